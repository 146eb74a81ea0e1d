"""Reading a file of examination outcomes: ``declaration_id,inspected,fraud,critical``.

Pure (no Django): every unfit line is reported with its file line (header = line 1) and reason,
in the same words as the targeting engine's declaration problems, so the service can refuse the
whole file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ctpat.targeting import DeclarationProblem

COLUMNS: tuple[str, ...] = ("declaration_id", "inspected", "fraud", "critical")
_WORDS: dict[str, bool | None] = {
    "1": True,
    "true": True,
    "yes": True,
    "0": False,
    "false": False,
    "no": False,
    "": None,
}


@dataclass(frozen=True)
class Outcome:
    """One examination's outcome; ``fraud`` and ``critical`` are None when not examined."""

    line: int
    declaration_id: str
    inspected: bool
    fraud: bool | None
    critical: bool | None


class OutcomesRefused(Exception):
    """The file cannot be used; nothing was recorded."""

    def __init__(self, problems: list[DeclarationProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems[:5]))


def outcomes_read(content: bytes) -> list[Outcome]:
    """Parse the file, or raise :class:`OutcomesRefused` listing every unfit line.

    >>> [o.fraud for o in outcomes_read(b"declaration_id,inspected,fraud,critical\\nD1,1,1,0\\n")]
    [True]
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OutcomesRefused([DeclarationProblem(1, "the file is not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise OutcomesRefused([DeclarationProblem(1, f"missing column(s): {', '.join(missing)}")])
    outcomes: list[Outcome] = []
    problems: list[DeclarationProblem] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        outcome, why = _outcome(line, row)
        if why is None and outcome is not None and outcome.declaration_id in seen:
            why = f"declaration_id: '{outcome.declaration_id}' repeats line {seen[outcome.declaration_id]}"
        if why is not None:
            problems.append(DeclarationProblem(line, why))
        elif outcome is not None:
            seen[outcome.declaration_id] = line
            outcomes.append(outcome)
    if problems:
        raise OutcomesRefused(problems)
    return outcomes


def _outcome(line: int, row: dict[str, str | None]) -> tuple[Outcome | None, str | None]:
    values = {name: (row.get(name) or "").strip() for name in COLUMNS}
    if not values["declaration_id"]:
        return None, "declaration_id: missing"
    flags: dict[str, bool | None] = {}
    for name in COLUMNS[1:]:
        if values[name].lower() not in _WORDS:
            return None, f"{name}: '{values[name]}' is not 0 or 1"
        flags[name] = _WORDS[values[name].lower()]
    inspected, fraud, critical = flags["inspected"], flags["fraud"], flags["critical"]
    if inspected is None:
        return None, "inspected: missing"
    if not inspected and (fraud or critical):
        return None, "a violation is reported for a declaration that was not inspected"
    if inspected and fraud is None:
        return None, "fraud: missing for an inspected declaration"
    if critical and not fraud:
        return None, "critical: a critical violation must also be a violation (fraud = 1)"
    if inspected and critical is None:
        critical = False
    return Outcome(line, values["declaration_id"], inspected, fraud, critical), None
