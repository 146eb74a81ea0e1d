"""Name comparison: order, initials, glued tokens, legal forms and generic words, numbers."""

from __future__ import annotations

import random

import numpy as np
import pytest

from ctpat.screening import DEFAULT_ALERT_THRESHOLD, ScreeningIndex, score_pair
from ctpat.screening.name_matching import compare_names, prepare_name, token_similarity

from .conftest import assert_index_scores_like_the_reference

ALERT = DEFAULT_ALERT_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second", "kind"),
    [
        ("HANIYA, Ismail Abdul Salah", "Ismail Abdul Salah Haniya", "person"),  # SURNAME, Given
        ("Ismail Abdul Salah Haniya", "Salah Haniya Ismail Abdul", "person"),  # order-free
        ("Mahmoud Khaled Zahhar", "M. Khaled Zahhar", "person"),  # initials
        ("Mahmoud Khaled Zahhar", "Mahmoud K Zahhar", "person"),
        ("AL-SHANTI, Jamileh Abdullah", "Jamileh Abdullah Alshanti", "person"),  # glued
        ("ABUBAKR AL BAGHDADI", "Abu Bakr Al-Baghdadi", "person"),  # split
        ("Mohammed Abu Teir", "Muhammad Abu Tair", "person"),  # transliteration variants
        ("Gazprom Neft PJSC", "ПАО Газпром Нефть", "organization"),  # Cyrillic and legal form
        ("Gazprom Neft", "Gazprom Neft Limited Liability Company", "organization"),  # legal form added
        ("ROSNEFT TRADING S.A.", "Rosneft Trading SA", "organization"),
    ],
)
def test_variants_of_one_name_match(first: str, second: str, kind: str) -> None:
    assert score_pair(first, second, kind=kind) >= ALERT


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Alpha Trading LLC", "Omega Trading LLC"),  # only a generic word and a legal form agree
        ("International Trading Group Ltd", "Global Trading Holding GmbH"),  # generic words only
        ("Acme Holding AG", "Zenith Holding AG"),
        ("GmbH", "LLC"),
        ("7TH OF TIR", "8TH OF TIR"),  # numbers are kept and must agree
        ("Ahmed Hassan", "Hassan Nasrallah"),
        ("J. Smith", "Jamal Sharif"),  # initials alone do not match
    ],
)
def test_different_names_do_not_match(first: str, second: str) -> None:
    assert score_pair(first, second) < ALERT


def test_score_pair_is_symmetric_and_bounded() -> None:
    assert score_pair("Gazprom", "Gazprom") == 1.0
    assert score_pair("", "Gazprom") == 0.0
    assert score_pair("ABU TEIR, Mohammed", "Mohamed Abu Teer") == score_pair(
        "Mohamed Abu Teer", "ABU TEIR, Mohammed"
    )


def test_index_scores_equal_the_reference_implementation(index: ScreeningIndex) -> None:
    """The vectorised scoring in the index gives exactly the score of compare_names."""
    rng = random.Random(3)
    probes = [
        "Ismael Haniyah",
        "Gasprom Neft Trading",
        "Frank Kakorere Bwambale",
        "VTB Bank",
        "J Ash",
        "Achim Dev",
        "Gazprm",  # a lone token, one edit
        "Gazpromneft",  # glued
        "Sberbank Trading Group",
        "International Trading",  # generic words only
        "Ismail Abdul Salah Hniy",  # two edits in one token
        "M. Zahhar",
    ]
    probes += [rng.choice(index.names).text for _ in range(20)]
    for probe in probes:
        prepared = prepare_name(probe)
        weights = index._query_weights(prepared, [index._token_matches(token) for token in prepared.tokens])
        best = int(np.argmax(index._score_names(prepared, weights, np.arange(len(index.names)))))
        assert_index_scores_like_the_reference(index, probe, [*rng.sample(range(len(index.names)), 40), best])


@pytest.mark.parametrize(
    ("first", "second", "kind"),
    [
        ("A.C. International", "A.C. Intervational", "organization"),  # generic words, one typo
        ("THANE-COAT, INC", "THANECHOAT, INC", "organization"),  # glued, with a typo
        ("REXFORD LTD.", "REXFORT LTD.", "organization"),  # a lone 7-letter token, one edit
        ("TRANSNEFT-DIASKAN, AO", "AKTSLIONVRNOE OBSHCHESTVO 'TRANSNEFT - DIASKAN'", "organization"),
        ("ISSAM ANWAR", "ISSJ ANWAR", "person"),  # two edits in one short token, the other exact
    ],
)
def test_typing_errors_in_listed_names_still_match(first: str, second: str, kind: str) -> None:
    assert score_pair(first, second, kind=kind) >= ALERT


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("MARS OOO", "Mans"),  # a lone short token one letter off: another word, not a typo
        ("MARS OOO", "Marsh Inc"),
        ("KORUS JSC", "Kraus"),  # same consonants, two edits
        ("ROSE GROUP LIMITED", "Ross Holding"),  # the generic word does not make the glued names close
        ("BANCA HOLDING", "Bianca Campano"),  # "campano" is not a misspelt "company"
    ],
)
def test_a_lone_distinctive_token_must_be_nearly_equal(first: str, second: str) -> None:
    assert score_pair(first, second) < ALERT


def test_legal_form_words_carry_no_information() -> None:
    from ctpat.screening.legal_forms import is_generic_word, split_legal_forms

    assert all(is_generic_word(word) for word in ("pjsc", "gmbh", "obshchestvo", "llc"))
    assert not any(is_generic_word(word) for word in ("pao", "federal", "campano"))
    assert split_legal_forms(("aktslionvrnoe", "obshchestvo", "diaskan")) == (("diaskan",), ("jsc",))
    assert split_legal_forms(("bianca", "campano")) == (("bianca", "campano"), ())


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Viktor Bout", "Victor Anatolyevich Bout"),  # no patronymic
        ("Igor Sechin", "Igor Ivanovich Sechin"),
        ("Victor Anatolyevich Bout", "Viktor Bout"),  # the other way round
    ],
)
def test_a_name_missing_a_middle_name_still_alerts(query: str, listed: str) -> None:
    assert score_pair(query, listed, kind="person") >= DEFAULT_ALERT_THRESHOLD


def test_extra_words_weigh_half_only_when_the_other_name_is_all_there() -> None:
    # One word of two missing on one side, a different word on the other: no discount.
    assert score_pair("Igor Sechin", "Igor Shuvalov", kind="person") < 0.6
    # A single word is not a name "all there": a surname alone does not find everyone who bears it.
    assert score_pair("Ferrand", "FERRAND, Clemence", kind="person") < DEFAULT_ALERT_THRESHOLD
    query, listed = prepare_name("Viktor Bout"), prepare_name("Victor Anatolyevich Bout")
    comparison = compare_names(query, listed, query_weights=[1.0, 1.0], list_weights=[1.0, 1.0, 1.0])
    assert comparison.extra_words and "extra words weigh half" in comparison.describe()
    similar = token_similarity("viktor", "victor")
    # Both sides' credits over the weights, the patronymic at half its weight.
    assert comparison.token_score == pytest.approx((2 * similar + 2 * 1.0) / (2 + 2 + 0.5))


def test_extra_words_weigh_half_only_when_each_word_has_a_close_partner() -> None:
    # "Li Li" is all in "Ma Li", but both of its words lean on the one "Li".
    li_li, ma_li = prepare_name("Li Li"), prepare_name("Ma Li")
    assert not compare_names(li_li, ma_li, query_weights=[1.0, 1.0], list_weights=[1.0, 1.0]).extra_words
    # "Zhi" is only the start of "Zhifu": not close enough to count the name as all there.
    query, listed = prepare_name("Xiao Lin Zhi"), prepare_name("Zhifu Lin")
    weights = [1.0, 1.0, 1.0]
    assert not compare_names(query, listed, query_weights=weights, list_weights=[1.0, 1.0]).extra_words
