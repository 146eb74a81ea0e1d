"""The Minimum Security Criteria catalogue: the bundled data, the loader's checks and the export."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ctpat import cli
from ctpat.core.entity_types import EntityType
from ctpat.criteria.catalogue import (
    Catalogue,
    CatalogueError,
    ProgramArea,
    Requirement,
    available_versions,
    bundled_catalogue_path,
    catalogue_as_records,
    criterion_sort_key,
    load_catalogue,
)

# The known criterion IDs exactly as the domain file (section 5) lists them.
DOMAIN_FILE_IDS = (
    "1.1–1.4 · 2.1–2.4 · 3.1, 3.4–3.7, 3.9 · 4.1–4.13 · 5.1–5.6, 5.8, 5.14, 5.16, 5.29 · "
    "6.1, 6.2, 6.5–6.7 · 7.1, 7.2, 7.4–7.6, 7.8, 7.10, 7.23–7.25, 7.27–7.30, 7.37 · 8.1 · "
    "9.1–9.16 · 10.1–10.4, 10.7–10.10 · 11.1, 11.2, 11.5 · 12.1, 12.2, 12.4, 12.6–12.10"
)
DOMAIN_FILE_MUSTS = ["2.3", "3.4", "4.8", "6.2", "6.7", "7.23", "11.1"]
RECORD_KEYS = {
    "id",
    "category",
    "category_name",
    "focus_area",
    "requirement",
    "entity_types",
    "program_area",
    "text",
    "guidance",
    "version",
}


def expand_ids(listing: str) -> set[str]:
    """'3.1, 3.4–3.6' -> {'3.1', '3.4', '3.5', '3.6'}"""
    ids: set[str] = set()
    for part in re.split(r"[·,]", listing):
        first, _, last = part.strip().partition("–")
        category, start = first.split(".")
        end = last.split(".")[1] if last else start
        ids.update(f"{category}.{number}" for number in range(int(start), int(end) + 1))
    return ids


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


# ---------------------------------------------------------------- the bundled catalogue


def test_bundled_catalogue_has_every_domain_file_id_and_no_other(catalogue: Catalogue) -> None:
    expected = expand_ids(DOMAIN_FILE_IDS)
    assert len(expected) == 93
    assert {criterion.id for criterion in catalogue.criteria} == expected


def test_bundled_catalogue_is_the_latest_version_with_an_effective_date(catalogue: Catalogue) -> None:
    assert catalogue.version == available_versions()[-1]
    assert bundled_catalogue_path().name == f"msc-{catalogue.version}.yaml"
    assert catalogue.effective.year == 2020


def test_three_focus_areas_and_twelve_categories(catalogue: Catalogue) -> None:
    areas = {area.code: area.name for area in catalogue.focus_areas}
    assert list(areas.values()) == [
        "Corporate security",
        "Transportation security",
        "People & physical security",
    ]
    assert [category.number for category in catalogue.categories] == list(range(1, 13))
    by_area = {code: [c.number for c in catalogue.categories if c.focus_area == code] for code in areas}
    assert list(by_area.values()) == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
    assert catalogue.category(6).name == "Seal security"


def test_every_criterion_carries_its_category_and_focus_area(catalogue: Catalogue) -> None:
    for criterion in catalogue.criteria:
        assert criterion.id.split(".")[0] == str(criterion.category)
        assert criterion.focus_area == catalogue.category(criterion.category).focus_area
        assert criterion.statement
        assert criterion.guidance


@pytest.mark.parametrize("criterion_id", DOMAIN_FILE_MUSTS)
def test_domain_file_musts_are_must(catalogue: Catalogue, criterion_id: str) -> None:
    assert catalogue.get(criterion_id).requirement is Requirement.MUST
    assert catalogue.get(criterion_id).is_must


def test_both_flags_are_used(catalogue: Catalogue) -> None:
    assert {criterion.requirement for criterion in catalogue.criteria} == set(Requirement)


def test_all_six_program_areas_are_used(catalogue: Catalogue) -> None:
    assert {criterion.program_area for criterion in catalogue.criteria} == set(ProgramArea)


@pytest.mark.parametrize(
    ("category", "areas"),
    [
        (4, {ProgramArea.INFORMATION, ProgramArea.IT}),
        (7, {ProgramArea.PROCEDURAL}),
        (9, {ProgramArea.PHYSICAL}),
        (10, {ProgramArea.PHYSICAL_ACCESS}),
        (11, {ProgramArea.PERSONNEL}),
    ],
)
def test_program_areas_follow_the_domain_file_mapping(
    catalogue: Catalogue, category: int, areas: set[ProgramArea]
) -> None:
    used = {criterion.program_area for criterion in catalogue.criteria if criterion.category == category}
    assert used == areas


def test_criteria_are_in_numeric_id_order(catalogue: Catalogue) -> None:
    ids = [criterion.id for criterion in catalogue.criteria]
    assert ids == sorted(ids, key=criterion_sort_key)
    assert ids.index("4.10") > ids.index("4.9")


def test_get_unknown_criterion_raises_key_error(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match=r"3\.2"):
        catalogue.get("3.2")


# ---------------------------------------------------------------- entity types


def test_every_entity_type_has_the_corporate_security_criteria(catalogue: Catalogue) -> None:
    corporate = {criterion.id for criterion in catalogue.criteria if criterion.category <= 4} - {"3.9"}
    for entity_type in EntityType:
        assert corporate <= {criterion.id for criterion in catalogue.for_entity_type(entity_type)}


def test_customs_broker_gets_no_cargo_handling_criteria(catalogue: Catalogue) -> None:
    broker = catalogue.for_entity_type(EntityType.CUSTOMS_BROKER)
    assert {criterion.category for criterion in broker}.isdisjoint({5, 6, 8, 9})
    assert "4.8" in {criterion.id for criterion in broker}
    assert "7.5" in {criterion.id for criterion in broker}


def test_carriers_get_seal_verification(catalogue: Catalogue) -> None:
    for entity_type in (EntityType.HIGHWAY_CARRIER, EntityType.SEA_CARRIER, EntityType.RAIL_CARRIER):
        assert catalogue.get("6.7").applies_to(entity_type)
        assert catalogue.get("7.8").applies_to(entity_type)


def test_land_border_criteria_are_not_for_sea_carriers(catalogue: Catalogue) -> None:
    assert catalogue.get("5.16").applies_to(EntityType.HIGHWAY_CARRIER)
    assert not catalogue.get("5.16").applies_to(EntityType.SEA_CARRIER)


def test_for_entity_type_keeps_id_order(catalogue: Catalogue) -> None:
    ids = [criterion.id for criterion in catalogue.for_entity_type(EntityType.IMPORTER)]
    assert ids == sorted(ids, key=criterion_sort_key)


# ---------------------------------------------------------------- sort key and versions


def test_sort_key_orders_ids_numerically() -> None:
    assert sorted(["3.10", "10.1", "3.9", "1.2"], key=criterion_sort_key) == ["1.2", "3.9", "3.10", "10.1"]
    assert criterion_sort_key("12.10") == (12, 10)


def test_sort_key_refuses_a_non_id() -> None:
    with pytest.raises(ValueError, match="not a criterion ID"):
        criterion_sort_key("3.x")


def test_unknown_bundled_version_is_refused() -> None:
    with pytest.raises(CatalogueError, match="unknown catalogue version '1999'"):
        bundled_catalogue_path("1999")


# ---------------------------------------------------------------- validation of a bad file


def a_criterion(criterion_id: str) -> dict[str, Any]:
    return {
        "id": criterion_id,
        "requirement": "must",
        "program_area": "procedural",
        "entity_types": ["importer", "exporter"],
        "statement": "The Member must screen its business partners.",
        "guidance": "Use the screening lists.",
    }


def a_small_catalogue() -> dict[str, Any]:
    return {
        "version": "test-1",
        "effective": "2024-01-01",
        "focus_areas": [
            {"code": "corporate_security", "number": 1, "name": "Corporate security", "description": "d"}
        ],
        "categories": [
            {
                "number": 3,
                "name": "Business partners",
                "focus_area": "corporate_security",
                "program_areas": ["procedural"],
                "description": "d",
                "criteria": [a_criterion("3.1"), a_criterion("3.4")],
            }
        ],
    }


def write_catalogue(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "msc-test.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def second_criterion(data: dict[str, Any]) -> dict[str, Any]:
    criterion: dict[str, Any] = data["categories"][0]["criteria"][1]
    return criterion


def test_a_small_valid_file_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_catalogue(tmp_path, a_small_catalogue()))
    assert catalogue.version == "test-1"
    assert catalogue.effective.isoformat() == "2024-01-01"
    assert [criterion.id for criterion in catalogue.for_entity_type(EntityType.IMPORTER)] == ["3.1", "3.4"]
    assert catalogue.for_entity_type(EntityType.AIR_CARRIER) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda data: second_criterion(data).update(entity_types=["importer", "spaceport"]),
            r"criterion 3\.4 .*unknown entity type 'spaceport'",
            id="unknown-entity-type",
        ),
        pytest.param(
            lambda data: second_criterion(data).update(id="3.1"),
            r"criterion 3\.1 .*duplicate criterion ID",
            id="duplicate-id",
        ),
        pytest.param(
            lambda data: second_criterion(data).update(id="4.1"),
            r"criterion 4\.1 .*does not belong to category 3",
            id="id-not-in-its-category",
        ),
        pytest.param(
            lambda data: second_criterion(data).update(id=3.1),
            r"criterion 3\.1 .*must be a quoted string",
            id="unquoted-id",
        ),
        pytest.param(
            lambda data: second_criterion(data).update(requirement="could"),
            r"criterion 3\.4 .*requirement must be 'must' or 'should', not 'could'",
            id="bad-requirement",
        ),
        pytest.param(
            lambda data: second_criterion(data).pop("statement"),
            r"criterion 3\.4 .*missing field\(s\): statement",
            id="missing-field",
        ),
        pytest.param(
            lambda data: second_criterion(data).update(guidence="typo"),
            r"criterion 3\.4 .*unknown field\(s\): guidence",
            id="unknown-field",
        ),
        pytest.param(
            lambda data: second_criterion(data).update(program_area="it"),
            r"criterion 3\.4 .*program area 'it' is not one of its category's",
            id="program-area-outside-category",
        ),
        pytest.param(
            lambda data: second_criterion(data).update(entity_types=[]),
            r"criterion 3\.4 .*entity_types must be a non-empty list",
            id="no-entity-types",
        ),
        pytest.param(
            lambda data: data.pop("version"),
            r"top level: missing field\(s\): version",
            id="missing-version",
        ),
        pytest.param(
            lambda data: data.update(version=2020.10),
            r"top level: version must be a quoted, non-empty string, not 2020\.1",
            id="unquoted-version",
        ),
        pytest.param(
            lambda data: data.update(effective="January 2024"),
            r"effective must be a date",
            id="bad-effective-date",
        ),
        pytest.param(
            lambda data: data["categories"][0].update(focus_area="cyber"),
            r"category 3: unknown focus area 'cyber'",
            id="unknown-focus-area",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_place(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = a_small_catalogue()
    change(data)
    path = write_catalogue(tmp_path, data)
    with pytest.raises(CatalogueError, match=message) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(str(path))


def test_invalid_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot be read"):
        load_catalogue(tmp_path / "absent.yaml")


# ---------------------------------------------------------------- export


def test_records_have_the_export_fields(catalogue: Catalogue) -> None:
    records = catalogue_as_records(catalogue)
    assert len(records) == len(catalogue.criteria)
    first = records[0]
    assert set(first) >= RECORD_KEYS
    assert first["id"] == "1.1"
    assert first["category_name"] == "Security vision & responsibility"
    assert first["version"] == catalogue.version
    json.dumps(records)  # plain JSON types only


def test_cli_exports_json(capsys: pytest.CaptureFixture[str], catalogue: Catalogue) -> None:
    assert cli.main(["criteria", "export", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == len(catalogue.criteria)
    assert all(set(record) >= RECORD_KEYS for record in records)
    seal = next(record for record in records if record["id"] == "6.2")
    assert seal["requirement"] == "must"
    assert seal["focus_area"] == "transportation_security"
    assert "highway_carrier" not in seal["entity_types"]


def test_cli_exports_csv_for_one_entity_type(
    capsys: pytest.CaptureFixture[str], catalogue: Catalogue
) -> None:
    args = ["criteria", "export", "--format", "csv", "--entity-type", "customs_broker", "--version", "2020"]
    assert cli.main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(catalogue.for_entity_type(EntityType.CUSTOMS_BROKER))
    assert all("customs_broker" in row["entity_types"].split(";") for row in rows)


def test_cli_refuses_unknown_entity_type(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["criteria", "export", "--entity-type", "spaceport"]) == 2
    assert "unknown entity type 'spaceport'" in capsys.readouterr().err


def test_cli_refuses_unknown_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["criteria", "export", "--version", "1999"]) == 2
    assert "unknown catalogue version '1999'" in capsys.readouterr().err


def test_cli_bad_option_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["criteria", "export", "--format", "xml"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
