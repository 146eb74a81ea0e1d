"""The Minimum Security Criteria (MSC) catalogue, read from the versioned YAML files in ``data/``.

Pure Python (no Django): the ``ctpat criteria`` command, the database loader and the tests all
read the catalogue through :func:`load_catalogue`. A file that breaks a rule is refused as a
whole with a :class:`CatalogueError` naming the file and the criterion, so that a half-valid
catalogue can never reach partners' security profiles.

>>> catalogue = load_catalogue()
>>> catalogue.get("3.4").requirement
<Requirement.MUST: 'must'>
>>> sorted(["3.10", "3.9", "10.1"], key=criterion_sort_key)
['3.9', '3.10', '10.1']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypedDict

import yaml

from ctpat.core.entity_types import EntityType

DATA_DIR = Path(__file__).resolve().parent / "data"
FILE_PREFIX = "msc-"

_ID_PATTERN = re.compile(r"^(\d+)\.(\d+)$")
# The C-accelerated safe loader where libyaml is present: ten times faster than the pure one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TOP_FIELDS = frozenset({"version", "effective", "focus_areas", "categories"})
_TOP_OPTIONAL = frozenset({"entity_type_groups"})  # YAML anchors only; expanded by the parser
_FOCUS_AREA_FIELDS = frozenset({"code", "number", "name", "description"})
_CATEGORY_FIELDS = frozenset({"number", "name", "focus_area", "program_areas", "description", "criteria"})
_CRITERION_FIELDS = frozenset({"id", "requirement", "program_area", "entity_types", "statement", "guidance"})


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message names the file and the criterion."""


class Requirement(StrEnum):
    """CBP's flag on each criterion: a *Must* is required, a *Should* is expected."""

    MUST = "must"
    SHOULD = "should"


class ProgramArea(StrEnum):
    """The six security areas of the program description: a second grouping of the criteria."""

    PHYSICAL = "physical"
    PERSONNEL = "personnel"
    PROCEDURAL = "procedural"
    INFORMATION = "information"
    PHYSICAL_ACCESS = "physical_access"
    IT = "it"


@dataclass(frozen=True)
class FocusArea:
    code: str
    number: int
    name: str
    description: str


@dataclass(frozen=True)
class Category:
    number: int
    name: str
    focus_area: str
    description: str
    program_areas: tuple[ProgramArea, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    category: int
    focus_area: str
    requirement: Requirement
    entity_types: tuple[EntityType, ...]
    program_area: ProgramArea
    statement: str
    guidance: str

    @property
    def is_must(self) -> bool:
        return self.requirement is Requirement.MUST

    def applies_to(self, entity_type: EntityType) -> bool:
        return entity_type in self.entity_types


@dataclass(frozen=True)
class Catalogue:
    version: str
    effective: date
    focus_areas: tuple[FocusArea, ...]
    categories: tuple[Category, ...]
    criteria: tuple[Criterion, ...]  # in criterion ID order

    def for_entity_type(self, entity_type: EntityType) -> list[Criterion]:
        """The criteria that apply to one kind of partner, in ID order."""
        return [criterion for criterion in self.criteria if criterion.applies_to(entity_type)]

    def get(self, criterion_id: str) -> Criterion:
        """The criterion with this ID; ``KeyError`` if this version has none."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(f"MSC {self.version} has no criterion {criterion_id!r}")

    def category(self, number: int) -> Category:
        for category in self.categories:
            if category.number == number:
                return category
        raise KeyError(f"MSC {self.version} has no category {number}")

    def focus_area(self, code: str) -> FocusArea:
        for focus_area in self.focus_areas:
            if focus_area.code == code:
                return focus_area
        raise KeyError(f"MSC {self.version} has no focus area {code!r}")


class CriterionRecord(TypedDict):
    """One criterion as exported (JSON, CSV) and as loaded into the database."""

    id: str
    category: int
    category_name: str
    focus_area: str
    focus_area_name: str
    requirement: str
    entity_types: list[str]
    program_area: str
    text: str
    guidance: str
    version: str


def criterion_sort_key(criterion_id: str) -> tuple[int, ...]:
    """Numeric order of criterion IDs, so that "3.10" comes after "3.9".

    >>> criterion_sort_key("3.10") > criterion_sort_key("3.9")
    True
    """
    try:
        return tuple(int(part) for part in criterion_id.split("."))
    except ValueError:
        raise ValueError(f"not a criterion ID: {criterion_id!r}") from None


def available_versions() -> list[str]:
    """The catalogue versions bundled with the software, oldest first."""
    return sorted((path.stem.removeprefix(FILE_PREFIX) for path in _bundled_files()), key=_version_key)


def bundled_catalogue_path(version: str | None = None) -> Path:
    """The data file of a bundled version (default: the latest)."""
    versions = available_versions()
    if not versions:
        raise CatalogueError(f"{DATA_DIR}: no catalogue files ({FILE_PREFIX}*.yaml)")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise CatalogueError(f"unknown catalogue version {chosen!r}; available: {', '.join(versions)}")
    return DATA_DIR / f"{FILE_PREFIX}{chosen}.yaml"


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check one catalogue file (default: the latest bundled version)."""
    source = bundled_catalogue_path() if path is None else path
    try:
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    except OSError as exc:
        raise CatalogueError(f"{source}: cannot be read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{source}: not valid YAML: {exc}") from exc
    return _CatalogueParser(source).catalogue(raw)


def catalogue_as_records(
    catalogue: Catalogue, *, entity_type: EntityType | None = None
) -> list[CriterionRecord]:
    """Flat export objects, one per criterion in ID order (optionally for one entity type)."""
    criteria = catalogue.criteria if entity_type is None else catalogue.for_entity_type(entity_type)
    return [_record(catalogue, criterion) for criterion in criteria]


def _record(catalogue: Catalogue, criterion: Criterion) -> CriterionRecord:
    return {
        "id": criterion.id,
        "category": criterion.category,
        "category_name": catalogue.category(criterion.category).name,
        "focus_area": criterion.focus_area,
        "focus_area_name": catalogue.focus_area(criterion.focus_area).name,
        "requirement": criterion.requirement.value,
        "entity_types": [entity_type.value for entity_type in criterion.entity_types],
        "program_area": criterion.program_area.value,
        "text": criterion.statement,
        "guidance": criterion.guidance,
        "version": catalogue.version,
    }


def _bundled_files() -> list[Path]:
    return list(DATA_DIR.glob(f"{FILE_PREFIX}*.yaml"))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", version))


class _CatalogueParser:
    """Turns the parsed YAML of one file into a :class:`Catalogue`, or fails naming the place."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def error(self, where: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{self.source}: {where}: {problem}")

    def catalogue(self, raw: object) -> Catalogue:
        top = self.fields(raw, "top level", _TOP_FIELDS, _TOP_OPTIONAL)
        focus_areas = tuple(self.focus_area(item) for item in self.items(top, "focus_areas", "top level"))
        self.unique((area.code for area in focus_areas), "top level", "focus area code")
        categories: list[Category] = []
        criteria: list[Criterion] = []
        for item in self.items(top, "categories", "top level"):
            category, category_criteria = self.category(item, {area.code for area in focus_areas})
            categories.append(category)
            criteria.extend(category_criteria)
        self.unique((category.number for category in categories), "top level", "category number")
        self.unique_criteria(criteria)
        return Catalogue(
            version=self.version(top["version"]),
            effective=self.effective(top["effective"]),
            focus_areas=tuple(sorted(focus_areas, key=lambda area: area.number)),
            categories=tuple(sorted(categories, key=lambda category: category.number)),
            criteria=tuple(sorted(criteria, key=lambda criterion: criterion_sort_key(criterion.id))),
        )

    def focus_area(self, raw: object) -> FocusArea:
        where = f"focus area {_label(raw, 'code')}"
        fields = self.fields(raw, where, _FOCUS_AREA_FIELDS)
        return FocusArea(
            code=self.text(fields, "code", where),
            number=self.number(fields, "number", where),
            name=self.text(fields, "name", where),
            description=self.text(fields, "description", where),
        )

    def category(self, raw: object, focus_area_codes: set[str]) -> tuple[Category, list[Criterion]]:
        where = f"category {_label(raw, 'number')}"
        fields = self.fields(raw, where, _CATEGORY_FIELDS)
        focus_area = self.text(fields, "focus_area", where)
        if focus_area not in focus_area_codes:
            raise self.error(where, f"unknown focus area {focus_area!r}")
        category = Category(
            number=self.number(fields, "number", where),
            name=self.text(fields, "name", where),
            focus_area=focus_area,
            description=self.text(fields, "description", where),
            program_areas=tuple(
                self.program_area(code, where) for code in self.items(fields, "program_areas", where)
            ),
        )
        return category, [self.criterion(item, category) for item in self.items(fields, "criteria", where)]

    def criterion(self, raw: object, category: Category) -> Criterion:
        where = f"criterion {_label(raw, 'id')} (category {category.number})"
        fields = self.fields(raw, where, _CRITERION_FIELDS)
        program_area = self.program_area(fields["program_area"], where)
        if program_area not in category.program_areas:
            allowed = ", ".join(category.program_areas)
            raise self.error(where, f"program area '{program_area}' is not one of its category's ({allowed})")
        return Criterion(
            id=self.criterion_id(fields["id"], category, where),
            category=category.number,
            focus_area=category.focus_area,
            requirement=self.requirement(fields["requirement"], where),
            entity_types=self.entity_types(self.items(fields, "entity_types", where), where),
            program_area=program_area,
            statement=self.text(fields, "statement", where),
            guidance=self.text(fields, "guidance", where),
        )

    def criterion_id(self, raw: object, category: Category, where: str) -> str:
        if not isinstance(raw, str):
            # Unquoted, YAML reads 3.10 as the number 3.1: the ID must be a quoted string.
            raise self.error(where, f"the ID must be a quoted string such as '3.4', not {raw!r}")
        match = _ID_PATTERN.match(raw)
        if match is None:
            raise self.error(where, f"malformed ID {raw!r}: expected CATEGORY.NUMBER such as '3.4'")
        if int(match.group(1)) != category.number:
            raise self.error(where, f"ID {raw!r} does not belong to category {category.number}")
        return raw

    def requirement(self, raw: object, where: str) -> Requirement:
        if raw not in {member.value for member in Requirement}:
            raise self.error(where, f"requirement must be 'must' or 'should', not {raw!r}")
        return Requirement(str(raw))

    def program_area(self, raw: object, where: str) -> ProgramArea:
        if raw not in {member.value for member in ProgramArea}:
            known = ", ".join(ProgramArea)
            raise self.error(where, f"unknown program area {raw!r} (known: {known})")
        return ProgramArea(str(raw))

    def entity_types(self, codes: list[object], where: str) -> tuple[EntityType, ...]:
        known = {member.value for member in EntityType}
        for code in codes:
            if code not in known:
                raise self.error(where, f"unknown entity type {code!r} (known: {', '.join(sorted(known))})")
        self.unique((str(code) for code in codes), where, "entity type")
        return tuple(EntityType(str(code)) for code in codes)

    def version(self, raw: object) -> str:
        # Unquoted, YAML reads 2020.10 as the number 2020.1: the version must be a quoted string.
        if not isinstance(raw, str) or not raw.strip():
            raise self.error("top level", f"version must be a quoted, non-empty string, not {raw!r}")
        return raw.strip()

    def effective(self, raw: object) -> date:
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise self.error("top level", f"effective must be a date (YYYY-MM-DD), not {raw!r}") from None

    def fields(
        self, raw: object, where: str, required: frozenset[str], optional: frozenset[str] = frozenset()
    ) -> Mapping[str, Any]:
        if not isinstance(raw, dict):
            raise self.error(where, f"expected a mapping of fields, not {type(raw).__name__}")
        missing = sorted(required - raw.keys())
        if missing:
            raise self.error(where, f"missing field(s): {', '.join(missing)}")
        unknown = sorted(str(key) for key in raw.keys() - required - optional)
        if unknown:
            raise self.error(where, f"unknown field(s): {', '.join(unknown)}")
        return raw

    def items(self, fields: Mapping[str, Any], key: str, where: str) -> list[object]:
        value = fields[key]
        if not isinstance(value, list) or not value:
            raise self.error(where, f"{key} must be a non-empty list")
        return value

    def text(self, fields: Mapping[str, Any], key: str, where: str) -> str:
        value = fields[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, f"{key} must be non-empty text")
        return value.strip()

    def number(self, fields: Mapping[str, Any], key: str, where: str) -> int:
        value = fields[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(where, f"{key} must be a whole number, not {value!r}")
        return value

    def unique_criteria(self, criteria: list[Criterion]) -> None:
        seen: set[str] = set()
        for criterion in criteria:
            if criterion.id in seen:
                where = f"criterion {criterion.id} (category {criterion.category})"
                raise self.error(where, "duplicate criterion ID: an ID may appear only once in a version")
            seen.add(criterion.id)

    def unique(self, values: Iterable[object], where: str, what: str) -> None:
        seen: set[object] = set()
        for value in values:
            if value in seen:
                raise self.error(where, f"duplicate {what} {value!r}")
            seen.add(value)


def _label(raw: object, key: str) -> str:
    """How to name an entry in an error message before it has been checked."""
    value = raw.get(key) if isinstance(raw, dict) else None
    return "?" if value is None else str(value)
