"""Tokens that show a typing error: letter pairs the lists rarely write mark a typo, which then costs
half an edit and does not count against a name's only distinctive word."""

from __future__ import annotations

import pytest
from faker import Faker

from ctpat.screening.index import MISTYPED_MIN_VOCABULARY, ScreeningIndex
from ctpat.screening.model import PartyType
from ctpat.screening.name_matching import token_similarity, typing_errors

from .conftest import assert_first_alert, assert_index_scores_like_the_reference, list_index

LISTED = [
    ("REXFORD LTD.", PartyType.ORGANIZATION),
    ("AVOMAIR LTD.", PartyType.ORGANIZATION),
    ("ABU FAYSAL", PartyType.PERSON),
    ("TERAND INC.", PartyType.ORGANIZATION),
    ("SUGON", PartyType.ORGANIZATION),
    ("Nzeri", PartyType.PERSON),
]


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    """The listed names above among made-up persons: a vocabulary large enough to know which letter
    pairs names rarely have."""
    faker = Faker(["en_US", "de_DE", "fr_FR", "es_ES", "it_IT"])
    faker.seed_instance(7)
    people = [(f"{faker.last_name()}, {faker.first_name()}", PartyType.PERSON) for _ in range(6000)]
    index = list_index(*LISTED, *people)
    assert sum(token.isalpha() for token in index.tokens) >= MISTYPED_MIN_VOCABULARY
    return index


def test_a_token_with_letter_pairs_names_rarely_have_looks_mistyped(index: ScreeningIndex) -> None:
    assert index.looks_mistyped("exrford")  # "xr"
    assert index.looks_mistyped("avmxair")  # "vm", "mx"
    assert not index.looks_mistyped("ferrand")  # a real name, not on the list
    assert not index.looks_mistyped("rexford")  # listed
    assert index.looks_mistyped("nzri")  # "zr": four letters are enough
    assert not index.looks_mistyped("xrz")  # too short: abbreviations look like this too


def test_a_small_list_cannot_tell_rare_letter_pairs() -> None:
    assert not list_index(*LISTED).looks_mistyped("exrford")


def test_the_typing_error_a_mistyped_token_shows_costs_half_an_edit() -> None:
    assert typing_errors("exrford", "rexford") == 2
    assert typing_errors("exrford", "rexford", mistyped=True) == 1
    assert token_similarity("exrford", "rexford", mistyped=True) == pytest.approx(1 - 1.5 / 7)
    assert token_similarity("exrford", "rexford") == pytest.approx(1 - 2 / 7)
    # A swap alone is no typing error to discount.
    assert typing_errors("erxford", "rexford", mistyped=True) == typing_errors("erxford", "rexford")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("EXRFORD LTD.", "REXFORD LTD."),  # two typing errors in a seven-letter word
        ("AVMXAIR LTD.", "AVOMAIR LTD."),
        ("ABU FAYFAD", "ABU FAYSAL"),
    ],
)
def test_two_typing_errors_that_show_alert(index: ScreeningIndex, query: str, listed: str) -> None:
    assert_first_alert(index, query, listed, because="(mistyped)")


def test_a_lone_five_letter_word_may_carry_the_typing_error_it_shows(index: ScreeningIndex) -> None:
    assert index.looks_mistyped("sugxn") and not index.looks_mistyped("sugan")
    assert [hit.matched_name for hit in index.search("SUGXN")] == ["SUGON"]
    assert [hit.matched_name for hit in index.search("SUGAN")] == []  # a word of its own, perhaps


def test_a_lone_short_word_may_carry_the_typing_error_it_shows(index: ScreeningIndex) -> None:
    # Four letters: "Nzri" shows its error ("zr"), "Nari" does not (a name of its own, perhaps).
    assert [hit.matched_name for hit in index.search("Nzri")] == ["Nzeri"]
    assert [hit.matched_name for hit in index.search("Nari")] == []


def test_a_real_name_two_letters_off_does_not_alert(index: ScreeningIndex) -> None:
    # "Ferrand" is as far from "Terand" as "Exrford" from "Rexford", but it is a name, not a typo.
    assert [hit.matched_name for hit in index.search("FERRAND INC.")] == []


def test_the_reference_comparison_agrees_with_the_index(index: ScreeningIndex) -> None:
    for probe in ["EXRFORD LTD.", "AVMXAIR LTD", "ABU FAYFAD", "FERRAND INC.", "TERXAND"]:
        assert_index_scores_like_the_reference(index, probe, range(len(LISTED)))  # listed names first
