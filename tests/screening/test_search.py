"""Searching an index: ranks, context (type, country, date of birth), identifiers, snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctpat.screening import (
    DEFAULT_ALERT_THRESHOLD,
    ListFileError,
    ScreeningIndex,
    build_index,
    load_index,
    read_list,
    save_snapshot,
)

from .conftest import FIXTURES, assert_index_scores_like_the_reference, list_index


def test_listed_name_is_found_first(index: ScreeningIndex) -> None:
    hits = index.search("Ismail Haniya")
    assert (hits[0].list_code, hits[0].entity_id) == ("OFAC-CONS", "9639")
    assert hits[0].score == 1.0
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))
    assert "haniya=haniya" in hits[0].explanation


def test_misspelt_and_reordered_names_are_found(index: ScreeningIndex) -> None:
    assert index.search("Ismael Abdul Salah Hanija")[0].entity_id == "9639"
    assert index.search("Zahar Mahmoud Khaled")[0].entity_id == "9647"
    assert index.search("Gazprom Neft")[0].entity_id == "17143"
    assert index.search("Sberbank of Russia PJSC")[0].entity_id == "17018"


def test_non_listed_names_give_no_alert(index: ScreeningIndex) -> None:
    for name in ("Maria Schmidt", "Acme Trading LLC", "Global Logistics Holding GmbH", "Bank of America"):
        assert index.search(name) == [], name


def test_threshold_zero_gives_the_top_n_whatever_the_score(index: ScreeningIndex) -> None:
    hits = index.search("Maria Schmidt", threshold=0.0, limit=5)
    assert len(hits) == 5
    assert all(hit.score < DEFAULT_ALERT_THRESHOLD for hit in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_dob_conflict_lowers_the_score_and_missing_dob_is_neutral(index: ScreeningIndex) -> None:
    plain = index.search("Ismail Abdul Salah Haniya", threshold=0)[0]
    agreeing = index.search("Ismail Abdul Salah Haniya", dob="1962", threshold=0)[0]
    conflicting = index.search("Ismail Abdul Salah Haniya", dob="1980-04-02", threshold=0)[0]
    assert plain.entity_id == agreeing.entity_id == conflicting.entity_id == "9639"
    assert conflicting.score < plain.score <= agreeing.score
    assert "dob 1980-04-02 vs 1962" in conflicting.explanation


def test_type_and_country_conflicts_lower_the_score(index: ScreeningIndex) -> None:
    as_person = index.search("Ismail Abdul Salah Haniya", type="person", threshold=0)[0]
    as_company = index.search("Ismail Abdul Salah Haniya", type="organization", threshold=0)[0]
    assert as_company.score < as_person.score
    martelly = index.search("Michel Joseph Martelly", country="Haiti", threshold=0)[0]
    elsewhere = index.search("Michel Joseph Martelly", country="FR", threshold=0)[0]
    assert martelly.entity_id == "50476"
    assert elsewhere.score < martelly.score


def test_exact_identifier_match_decides(index: ScreeningIndex) -> None:
    hits = index.search("Completely Different Name", identifiers=["0032768386"])
    assert hits[0].entity_id == "50476"
    assert hits[0].score == 1.0
    assert "identifier 0032768386 matches" in hits[0].explanation
    assert index.search("Completely Different Name", identifiers=["00327"]) == []


def test_hits_carry_list_date_and_snapshot_hash(index: ScreeningIndex) -> None:
    hit = index.search("Ismail Haniya")[0]
    assert hit.list_date == "2024-05-01"
    assert hit.snapshot_hash == index.snapshot_hash
    assert len(index.snapshot_hash) == 64
    assert f"snapshot {index.snapshot_hash[:12]}" in hit.explanation


def test_snapshot_round_trip(index: ScreeningIndex, tmp_path: Path) -> None:
    path = save_snapshot(index, tmp_path / "lists.snapshot.json.gz")
    loaded = load_index(str(path))
    assert loaded.snapshot_hash == index.snapshot_hash
    assert loaded.list_dates == index.list_dates
    for name in ("Ismail Haniya", "Gazprom Neft", "Frank Kakorere"):
        assert loaded.search(name) == index.search(name)


def test_damaged_snapshot_is_refused(index: ScreeningIndex, tmp_path: Path) -> None:
    import gzip
    import json

    path = save_snapshot(index, tmp_path / "s.json.gz")
    document = json.loads(gzip.decompress(path.read_bytes()))
    document["lists"][0]["entities"][0]["names"][0]["text"] = "SOMEONE ELSE"
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    with pytest.raises(ListFileError, match="content hash does not match"):
        load_index(str(path))


def test_hash_depends_on_content_not_on_where_lists_were_read() -> None:
    one = build_index([read_list("bis-dpl", FIXTURES / "dpl.txt", list_date="2024-05-01")])
    two = build_index([read_list("bis-dpl", str(FIXTURES / "dpl.txt"), list_date="2024-05-01")])
    other_date = build_index([read_list("bis-dpl", FIXTURES / "dpl.txt", list_date="2024-06-01")])
    assert one.snapshot_hash == two.snapshot_hash != other_date.snapshot_hash


def test_two_edits_in_one_token_are_found(index: ScreeningIndex) -> None:
    # "HANIYA" lost two letters: found through the deletion dictionary, the other tokens exact.
    assert index.search("Ismail Abdul Salah Hniy")[0].entity_id == "9639"


def test_batched_screening_equals_one_query_at_a_time(index: ScreeningIndex) -> None:
    from ctpat.screening import ScreeningQuery

    names = ["Ismail Haniya", "Gasprom Neft", "Maria Schmidt", "", "VTB Bank PJSC", "Zahar Mahmoud"]
    names += ["Исмаил Ханийа", "Гасцом"]  # Cyrillic: two readings merged
    names += [name.text for entity in index.entities[:40] for name in entity.names[:1]]
    queries = [ScreeningQuery(str(n), name) for n, name in enumerate(names)]
    for threshold in (DEFAULT_ALERT_THRESHOLD, 0.0):
        batched = index.screen_many(queries, limit=5, threshold=threshold)
        assert batched == [index.search(name, limit=5, threshold=threshold) for name in names]


def test_token_numbers_do_not_depend_on_the_hash_seed(index: ScreeningIndex) -> None:
    # Numbered in order of first appearance, so a worker process ranks ties the same way.
    first_name = index.names[0].tokens
    assert index.tokens[: len(set(first_name))] == list(dict.fromkeys(first_name))


def test_a_name_in_cyrillic_is_also_read_the_scholarly_way() -> None:
    from ctpat.screening.model import PartyType

    index = list_index(("CVETKOV, Hasan", PartyType.PERSON), ("TSVETKOVA, Mariya", PartyType.PERSON),
                       ("KIRISHIAVTOSERVIS LLC", PartyType.ORGANIZATION))  # fmt: skip
    hit = index.search("Цветков Хасан")[0]
    assert (hit.matched_name, hit.score) == ("CVETKOV, Hasan", 1.0)
    assert "read as 'cvetkov hasan' (scholarly transliteration)" in hit.explanation
    # The reading as anyascii writes it still finds the names written that way.
    hit = index.search("Цветкова Мария")[0]
    assert (hit.matched_name, hit.score) == ("TSVETKOVA, Mariya", 1.0)
    assert "scholarly" not in hit.explanation
    # A legal form spelled letter for letter ("ллц" for LLC) is a form under that reading.
    hit = index.search("ллц кирисхиавтосервис")[0]
    assert (hit.matched_name, hit.score >= DEFAULT_ALERT_THRESHOLD) == ("KIRISHIAVTOSERVIS LLC", True)


def test_one_word_of_a_persons_name_does_not_find_the_person() -> None:
    from ctpat.screening.model import PartyType

    # "Khaled" is common on the list, so "MATHIEU" alone would cover most of "Khaled MATHIEU".
    others = [(f"Khaled {word}", PartyType.PERSON) for word in ("Omar", "Saleh", "Haddad", "Nasser")]
    index = list_index(
        ("Khaled MATHIEU", PartyType.PERSON), ("MATHIEU", PartyType.ORGANIZATION), ("JOHNSON HU", PartyType.UNKNOWN),
        *others,
    )  # fmt: skip
    hits = {hit.matched_name: hit for hit in index.search("Mathieu", threshold=0)}
    assert hits["MATHIEU"].score == 1.0
    assert hits["Khaled MATHIEU"].score == 0.5
    assert "one word of a person's name alone (capped at 0.5)" in hits["Khaled MATHIEU"].explanation
    # The given name's initial, the whole name, or the name written without spaces find the person.
    for query in ("K. Mathieu", "Khaled Mathieu", "KHALEDMATHIEU"):
        found = {hit.matched_name for hit in index.search(query)}
        assert "Khaled MATHIEU" in found, query
    # A name the list gives no type keeps its score: it may be a company's.
    assert index.search("Johnson")[0].matched_name == "JOHNSON HU"
    for probe in ("Mathieu", "K. Mathieu", "Johnson"):
        assert_index_scores_like_the_reference(index, probe, range(len(index.names)))
