"""Reading declarations: CSV or Parquet, canonical or KCS layout, with every unfit row reported.

Every reader goes through the same two steps so that the local and the Dask engines agree row for
row: a *raw scan* that yields the canonical columns as text plus the file line of each row, then
:func:`declarations_validate`, which types the columns and sets aside the rows that do not fit the
schema, each with its line and reason.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
import polars as pl

from ctpat.targeting.schema import (
    COLUMN_BY_NAME,
    COLUMNS,
    OUTCOMES,
    Layout,
    canonical_names,
    layout_recognise,
)

LINE = "line"
"""Column holding the file line a row came from (the header is line 1)."""
_ROW = "__row"  # the readers' row index, renamed to LINE

_TRUE_WORDS = {
    "1": True,
    "1.0": True,
    "true": True,
    "yes": True,
    "0": False,
    "0.0": False,
    "false": False,
    "no": False,
}
_NON_NEGATIVE = ("customs_value", "net_mass")
_PARQUET_SUFFIXES = (".parquet", ".pq")


class InvalidRows(StrEnum):
    """What to do when some rows do not fit the schema."""

    REJECT = "reject"
    """All or nothing: report the unfit rows and process none."""
    SKIP = "skip"
    """Report the unfit rows and process the others."""


@dataclass(frozen=True, slots=True)
class DeclarationProblem:
    """A row that does not fit the schema: its file line (header = line 1) and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class DeclarationFileError(Exception):
    """The declaration file cannot be opened or parsed at all."""


class DeclarationsRejected(Exception):
    """Rows did not fit the schema and the caller asked for all or nothing."""

    def __init__(self, problems: Sequence[DeclarationProblem]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(str(problem) for problem in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{len(self.problems)} row(s) do not fit the schema: {shown}{more}")


@dataclass(frozen=True, slots=True)
class DeclarationSource:
    """An opened declaration file: where it is, its format and its recognised layout."""

    path: Path
    is_parquet: bool
    layout: Layout
    header: tuple[str, ...]

    @property
    def has_outcomes(self) -> bool:
        """Whether the file carries the fraud outcome (a file to score need not)."""
        return "fraud" in canonical_names(self.header, layout=self.layout).values()


@dataclass(slots=True)
class Declarations:
    """Typed declarations in canonical columns (plus ``line``) and the rows that were set aside."""

    frame: pl.DataFrame
    layout: Layout
    problems: list[DeclarationProblem] = field(default_factory=list)


def declaration_source_open(path: str | Path) -> DeclarationSource:
    """Open a declaration file and recognise its layout from the header.

    Raises :class:`DeclarationFileError` for a missing or unreadable file and
    :class:`~ctpat.targeting.schema.MissingColumnsError` when the header fits no layout.
    """
    path = Path(path)
    if not path.is_file():
        raise DeclarationFileError(f"no such file: {path}")
    is_parquet = path.suffix.lower() in _PARQUET_SUFFIXES
    try:
        header = _parquet_header(path) if is_parquet else _csv_header(path)
    except (OSError, UnicodeDecodeError, pl.exceptions.PolarsError) as error:
        raise DeclarationFileError(f"cannot read {path}: {error}") from error
    return DeclarationSource(path=path, is_parquet=is_parquet, layout=layout_recognise(header), header=header)


def _csv_header(path: Path) -> tuple[str, ...]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        first = next(csv.reader(stream), None)
    if not first:
        raise DeclarationFileError(f"{path} is empty")
    return tuple(first)


def _parquet_header(path: Path) -> tuple[str, ...]:
    return tuple(pl.read_parquet_schema(path))


def declarations_raw_scan(source: DeclarationSource, *, columns: Sequence[str] | None = None) -> pl.LazyFrame:
    """A lazy scan of the file's canonical columns as text, with the file line of each row.

    ``columns`` limits the scan to those canonical columns (the reader then skips the others).
    """
    if source.is_parquet:
        scan = pl.scan_parquet(source.path).with_row_index(_ROW, offset=2)
        scan = scan.with_columns(pl.all().exclude(_ROW).cast(pl.String))
    else:
        scan = pl.scan_csv(
            source.path,
            infer_schema=False,
            row_index_name=_ROW,
            row_index_offset=2,
            truncate_ragged_lines=True,
        )
    return declarations_raw_canonical(scan, layout=source.layout, header=source.header, columns=columns)


def declarations_raw_canonical(
    raw: pl.LazyFrame, *, layout: Layout, header: Sequence[str], columns: Sequence[str] | None = None
) -> pl.LazyFrame:
    """Rename a raw (all-text) frame to canonical columns; absent optional columns become empty.

    ``raw`` carries the file line of each row in a column named ``__row``.
    """
    renames = canonical_names(header, layout=layout)
    present = set(renames.values())
    selected: list[pl.Expr] = [pl.col(_ROW).cast(pl.Int64).alias(LINE)]
    selected += [pl.col(source).alias(target) for source, target in renames.items()]
    absent = [column.name for column in (*COLUMNS, *OUTCOMES) if column.name not in present]
    selected += [pl.lit(None, dtype=pl.String).alias(name) for name in absent]
    canonical = raw.select(selected)
    if layout is Layout.KCS:
        canonical = canonical.with_columns(_kcs_outcomes(present))
    wanted = columns if columns is not None else [c.name for c in (*COLUMNS, *OUTCOMES)]
    return canonical.select(LINE, *wanted)


def _kcs_outcomes(present: set[str]) -> list[pl.Expr]:
    # KCS "Critical Fraud" is 0 none / 1 fraud / 2 critical; every row of that dataset was examined.
    if "fraud" not in present:
        return [pl.lit(None, dtype=pl.String).alias(name) for name in ("inspected", "fraud", "critical")]
    critical = pl.col("critical").str.strip_chars()
    return [
        pl.lit("1").alias("inspected"),
        pl.when(critical == "2")
        .then(pl.lit("1"))
        .when(critical.is_in(["0", "1"]))
        .then(pl.lit("0"))
        .otherwise(critical)
        .alias("critical"),
    ]


def declarations_validate(raw: pl.DataFrame) -> tuple[pl.DataFrame, list[DeclarationProblem]]:
    """Type a raw batch; return the rows that fit the schema and a problem for each row that does not.

    >>> raw = pl.DataFrame({"line": [2], "customs_value": ["abc"]})
    >>> rows, problems = declarations_validate(raw)
    >>> [str(problem) for problem in problems]
    ["line 2: customs_value: 'abc' is not a number"]
    """
    names = [name for name in raw.columns if name != LINE]
    # Each column is typed once (under a temporary name) and the checks read the typed value.
    typed_as = {name: f"__typed_{name}" for name in names if _dtype(name) != pl.String}
    value = {name: pl.col(typed_as.get(name, name)) for name in names}
    flags = [flag for name in names if (flag := _unfit(name, value=value[name])) is not None]
    unfit = pl.any_horizontal(flags) if flags else pl.lit(False)
    typed = raw.with_columns(_typed(name).alias(column) for name, column in typed_as.items()).select(
        pl.col(LINE), *(value[name].alias(name) for name in names), unfit.alias("__unfit")
    )
    if not typed["__unfit"].any():
        return typed.drop("__unfit"), []
    # Reasons are spelled out only for the few unfit rows: building text for every row is costly.
    rejected = raw.filter(typed["__unfit"])
    failures = [_failure(name, raw_value=pl.col(name), value=_typed(name)) for name in names]
    reasons = rejected.select(pl.col(LINE), pl.concat_str(failures, separator="; ", ignore_nulls=True))
    problems = [DeclarationProblem(line=line, reason=why) for line, why in reasons.iter_rows()]
    return typed.filter(~pl.col("__unfit")).drop("__unfit"), problems


def _dtype(name: str) -> type[pl.DataType] | pl.DataType:
    return COLUMN_BY_NAME[name].dtype if name in COLUMN_BY_NAME else pl.String


def _typed(name: str) -> pl.Expr:
    text = pl.col(name)
    dtype = _dtype(name)
    if dtype == pl.Float64:
        return text.cast(pl.Float64, strict=False)
    if dtype == pl.Date:
        return text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    if dtype == pl.Boolean:
        return text.str.to_lowercase().replace_strict(_TRUE_WORDS, default=None, return_dtype=pl.Boolean)
    return text


def _unfit(name: str, *, value: pl.Expr) -> pl.Expr | None:
    """True where a value does not fit, given the raw text and its ``value`` typed by :func:`_typed`
    (cheap: no text is built here)."""
    raw_value, dtype = pl.col(name), _dtype(name)
    flags: list[pl.Expr] = []
    if name in COLUMN_BY_NAME and COLUMN_BY_NAME[name].required:
        flags.append(raw_value.is_null())
    if dtype == pl.Float64:
        flags.append(raw_value.is_not_null() & (value.is_null() | ~value.is_finite()))
    if name in _NON_NEGATIVE:
        flags.append((value < 0).fill_null(False))
    if dtype in (pl.Date, pl.Boolean):
        flags.append(raw_value.is_not_null() & value.is_null())
    if name == "hs_code":
        flags.append(~raw_value.str.contains(r"^\d{6,10}$").fill_null(True))
    return pl.any_horizontal(flags) if flags else None


def declarations_read(path: str | Path, *, on_invalid: InvalidRows = InvalidRows.REJECT) -> Declarations:
    """Read a whole declaration file into memory (for training and evaluation).

    With ``on_invalid=InvalidRows.REJECT`` any unfit row raises :class:`DeclarationsRejected`
    listing every unfit row; with ``SKIP`` the unfit rows are dropped and listed in ``problems``.
    """
    source = declaration_source_open(path)
    try:
        raw = declarations_raw_scan(source).collect()
    except pl.exceptions.PolarsError as error:
        raise DeclarationFileError(f"cannot parse {source.path}: {error}") from error
    rows, problems = declarations_validate(raw)
    if problems and on_invalid is InvalidRows.REJECT:
        raise DeclarationsRejected(problems)
    return Declarations(frame=rows, layout=source.layout, problems=problems)


def declarations_raw_batches(
    source: DeclarationSource, *, batch_rows: int, columns: Sequence[str] | None = None
) -> Iterator[pl.DataFrame]:
    """Stream the raw (text) canonical rows in batches of about ``batch_rows``, in file order."""
    try:
        yield from declarations_raw_scan(source, columns=columns).collect_batches(
            chunk_size=batch_rows, maintain_order=True
        )
    except pl.exceptions.PolarsError as error:
        raise DeclarationFileError(f"cannot parse {source.path}: {error}") from error


def declarations_raw_parquet_slice(
    source: DeclarationSource, *, offset: int, rows: int, columns: Sequence[str] | None = None
) -> pl.DataFrame:
    """Rows ``offset`` to ``offset + rows`` of a Parquet file, raw and canonical like
    :func:`declarations_raw_scan` (only the row groups holding them are read)."""
    try:
        return declarations_raw_scan(source, columns=columns).slice(offset, rows).collect()
    except pl.exceptions.PolarsError as error:
        raise DeclarationFileError(f"cannot parse {source.path}: {error}") from error


def parquet_rows(source: DeclarationSource) -> int:
    """How many rows a Parquet file holds (from its metadata)."""
    try:
        return int(pl.scan_parquet(source.path).select(pl.len()).collect().item())
    except pl.exceptions.PolarsError as error:
        raise DeclarationFileError(f"cannot read {source.path}: {error}") from error


def csv_record_blocks(path: Path, *, block_bytes: int) -> Iterator[bytes]:
    """The data rows of a CSV file (after the header line) in blocks of about ``block_bytes``, each
    ending at a record boundary: a line break outside quotes, so a quoted line break never splits a
    record. Reading is pulled block by block, so memory holds one block whatever the file's size."""
    with path.open("rb") as stream:
        stream.readline()  # the header
        carry = b""
        while chunk := stream.read(block_bytes):
            chunk = carry + chunk
            cut = _record_end(chunk)
            if cut == 0:  # no record ends in this chunk yet
                carry = chunk
                continue
            block, carry = chunk[:cut], chunk[cut:]
            yield block
        if carry.strip():
            yield carry


def _record_end(chunk: bytes) -> int:
    """Where the last complete record of ``chunk`` ends (0: none). ``chunk`` starts a record."""
    if b'"' not in chunk:  # the usual case: every line break ends a record
        return chunk.rfind(b"\n") + 1
    # Every quote toggles "inside a quoted field" (an escaped "" toggles twice).
    data = np.frombuffer(chunk, dtype=np.uint8)
    inside = np.bitwise_xor.accumulate(data == ord('"'))
    ends = np.flatnonzero((data == ord("\n")) & ~inside)
    return int(ends[-1]) + 1 if len(ends) else 0


def csv_block_bytes(path: Path, *, batch_rows: int) -> int:
    """Bytes per block for about ``batch_rows`` rows, from the mean length of the file's first lines."""
    with path.open("rb") as stream:
        stream.readline()
        sample = stream.read(1 << 20)
    lines = max(1, sample.count(b"\n"))
    return max(1, batch_rows) * max(1, len(sample) // lines)


def declarations_raw_block(
    block: bytes,
    *,
    header: Sequence[str],
    layout: Layout,
    first_line: int,
    columns: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Parse a block of CSV rows (no header; see :func:`csv_record_blocks`) into raw canonical rows
    like :func:`declarations_raw_scan`'s, numbered from ``first_line``. Only the file columns that
    become ``columns`` are parsed. A block that cannot be parsed raises Polars' error."""
    renames = canonical_names(header, layout=layout)
    wanted = set(columns) if columns is not None else {c.name for c in (*COLUMNS, *OUTCOMES)}
    keep = [index for index, name in enumerate(header) if renames.get(name) in wanted]
    try:
        raw = pl.read_csv(
            block,
            has_header=False,
            new_columns=list(header),
            columns=keep,
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.NoDataError:
        raw = pl.DataFrame(schema={header[index]: pl.String for index in keep})
    raw = raw.with_row_index(_ROW, offset=first_line)
    kept = [header[index] for index in keep]
    return declarations_raw_canonical(raw.lazy(), layout=layout, header=kept, columns=columns).collect()


def _failure(name: str, *, raw_value: pl.Expr, value: pl.Expr) -> pl.Expr:
    """The reason a value does not fit, or null when it fits."""
    dtype = _dtype(name)
    shown = pl.lit(f"{name}: '") + raw_value + pl.lit("'")
    rules: list[tuple[pl.Expr, pl.Expr]] = []
    if name in COLUMN_BY_NAME and COLUMN_BY_NAME[name].required:
        rules.append((raw_value.is_null(), pl.lit(f"{name}: missing")))
    if dtype == pl.Float64:
        rules.append(
            (raw_value.is_not_null() & (value.is_null() | ~value.is_finite()), shown + " is not a number")
        )
    if name in _NON_NEGATIVE:
        rules.append((value < 0, shown + " is negative"))
    if dtype == pl.Date:
        rules.append((raw_value.is_not_null() & value.is_null(), shown + " is not a date (YYYY-MM-DD)"))
    if dtype == pl.Boolean:
        rules.append((raw_value.is_not_null() & value.is_null(), shown + " is not 0 or 1"))
    if name == "hs_code":
        rules.append((~raw_value.str.contains(r"^\d{6,10}$"), shown + " is not an HS code of 6 to 10 digits"))
    if not rules:
        return pl.lit(None, dtype=pl.String)
    # The first rule that applies gives the reason.
    return pl.coalesce([pl.when(when).then(then) for when, then in rules])
