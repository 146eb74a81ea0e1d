"""What only the lists' vocabulary shows about a query: a mistyped legal form at its edge, a form
glued to the last word, words run together with a typo."""

from __future__ import annotations

import pytest

from ctpat.screening import DEFAULT_ALERT_THRESHOLD as ALERT
from ctpat.screening import index as index_module
from ctpat.screening.index import ScreeningIndex
from ctpat.screening.legal_forms import glued_form, mistyped_form, resembled_forms
from ctpat.screening.model import PartyType
from ctpat.screening.name_matching import score_pair

from .conftest import WORDS, assert_first_alert, list_index

ORG = PartyType.ORGANIZATION


@pytest.mark.parametrize(
    ("token", "leading", "form"),
    [
        ("lc", False, "llc"),  # a letter dropped
        ("lrc", False, "llc"),
        ("iqc", False, "inc"),
        ("jdsc", True, "jsc"),  # JSC is written first too
        ("ltdd", False, "ltd"),
        ("ldt", True, None),  # Ltd is not written first
        ("led", False, None),  # a word that close
        ("inn", False, None),
        ("li", False, None),  # a surname: two-letter forms are not guessed
        ("mao", False, None),  # a letter changed in OAO makes a name
        ("ooto", False, "llc"),  # a letter added to OOO
        ("oo", True, "llc"),
        ("ooao", True, "jsc"),  # OAO with a letter of its own doubled
        ("olao", True, None),  # at the start, a given name ("OLAO TEPPER")
        ("olao", False, "jsc"),
    ],
)
def test_a_mistyped_abbreviated_form(token: str, leading: bool, form: str | None) -> None:
    assert mistyped_form(token, leading=leading) == form


def test_a_form_glued_to_the_last_word() -> None:
    assert glued_form("techmagmbh") == ("techma", "gmbh")
    assert glued_form("powermcorporation") == ("powerm", "inc")
    assert glued_form("zinc") is None and glued_form("gmbh") is None
    assert glued_form("uralmashzao") is None  # more likely a misspelt "Uralmashzavod"


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return list_index(
        ("SIRJANCO TRADING LLC", ORG),
        ("TECHMA GMBH", ORG),
        ("CHINA MOBILE LIMITED", ORG),
        ("BRIGHT LED", ORG),
        ("ROSE INN", ORG),
        ("ROSE", ORG),
    )


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("SIRJANCO TRADING LC", "SIRJANCO TRADING LLC"),
        ("SIRJANCO TRADING IQC", "SIRJANCO TRADING LLC"),
        ("TECHMAGMBH", "TECHMA GMBH"),
        ("CHINA MOBILELLIMITED", "CHINA MOBILE LIMITED"),
    ],
)
def test_a_mistyped_or_glued_form_is_taken_off_the_query(
    index: ScreeningIndex, query: str, listed: str
) -> None:
    assert_first_alert(index, query, listed)


def test_a_word_a_list_uses_is_not_read_as_a_form(index: ScreeningIndex) -> None:
    # "LED" is close to "Ltd", and "INN" to "Inc", but here they are words of listed names.
    assert index.search("BRIGHT LED")[0].score == 1.0
    assert [hit.matched_name for hit in index.search("ROSE INN")][:1] == ["ROSE INN"]


def test_words_run_together_with_two_typos_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    others = [(f"ABU {word}{end}", PartyType.PERSON) for word in WORDS for end in ("", "IA")]
    index = list_index(*others, ("ABU REIHAN GROUP", ORG))
    hits = index.search("ABU REIHANWGROUQ", threshold=0)
    assert hits[0].matched_name == "ABU REIHAN GROUP" and hits[0].score >= ALERT
    # Without the run-on rule the one word "ABU" brings sixty shorter names, and the listed one is not
    # among those scored.
    monkeypatch.setattr(index_module, "RUN_ON_LENGTH", 100)
    index.forget()
    assert "ABU REIHAN GROUP" not in [
        hit.matched_name for hit in index.search("ABU REIHANWGROUQ", threshold=0)
    ]


def test_a_name_ending_with_a_legal_form_is_a_company() -> None:
    index = list_index(("AMLI, Ali", PartyType.PERSON), ("ALI TRADING", ORG))
    person = next(hit for hit in index.search("ALI INC", threshold=0) if hit.matched_name == "AMLI, Ali")
    assert "type organization vs person -0.2" in person.explanation
    # A form written first, or two letters that may be initials, say nothing of the type.
    assert "type" not in index.search("AB AMLI, Ali", threshold=0)[0].explanation


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("CLOSED JOINT STOCKcCOMPANY SURGUTNEFTEGASBANK", "CLOSED JOINT STOCK COMPANY SURGUTNEFTEGASBANK"),
        ("PJSCiVTB BANK (KIEV)", "PJSC VTB BANK (KIEV)"),
        ("OJSC'GIPROTRUBOPROVOD'", "OJSC 'GIPROTRUBOPROVOD'"),  # the quote joins the words
        ("LIMITED LIABILITY COMPANYz'BM PROYEKT'", "LIMITED LIABILITY COMPANY 'BM PROYEKT'"),
    ],
)
def test_words_run_together_are_split_where_the_lists_know_the_parts(query: str, listed: str) -> None:
    index = list_index((listed, ORG), ("VTB CAPITAL", ORG), ("GIPROTRUBOPROVOD SERVICES", ORG))
    assert_first_alert(index, query, listed)


def test_a_word_is_not_split_into_parts_no_list_knows() -> None:
    index = list_index(("SUN TRADING", ORG), ("STAR SHIPPING", ORG), ("CORPORATE SOLUTIONS", ORG))
    assert index._run_on_parts("sunshine") == ["sunshine"]  # "shine" is on no list
    assert index._run_on_parts("corporate") == ["corporate"]  # a word of the lists
    assert index._run_on_parts("sunstar") == ["sunstar"]  # "sun" is too short a part
    assert index._run_on_parts("tradingxshipping") == ["trading", "shipping"]
    assert index._run_on_parts("ojscsunrise") == ["ojsc", "sunrise"]  # a form written first


def test_a_mistyped_word_is_not_split_into_parts() -> None:
    index = list_index(("TETRABAL CORPORATION, INC", ORG), ("JSC 'TRANSNEFT-DIASCAN'", ORG), ("DI SAN", ORG))
    # Both parts are known ("corp" is a form's word, "di" and "san" are listed), but the word as a
    # whole is a mistyped legal-form word or listed word.
    assert index._run_on_parts("corpration") == ["corpration"]
    assert index._run_on_parts("diasan") == ["diasan"]
    for query, listed in (
        ("TETRABAL CORPRATION, IaNC", "TETRABAL CORPORATION, INC"),
        ("JSC 'TRANSNEFT-DIASAN'", "JSC 'TRANSNEFT-DIASCAN'"),
    ):
        assert_first_alert(index, query, listed)


@pytest.mark.parametrize(
    ("token", "leading", "forms"),
    [
        ("ins", False, {"inc"}),  # no mistyped_form: "ins" is a word too
        ("uao", False, {"jsc"}),  # a letter changed in ZAO or OAO
        ("lt", False, {"ltd", "partnership"}),
        ("limtd", False, {"ltd"}),  # two typing errors in a word of five letters or more
        ("cjs", True, {"jsc"}),
        ("odzc", False, set()),  # two in four letters: too many
        ("casa", True, set()),
        ("ltd", False, set()),  # a form as written is taken off already
        ("wu", False, set()),
    ],
)
def test_the_forms_a_word_at_the_edge_may_be(token: str, leading: bool, forms: set[str]) -> None:
    assert resembled_forms(token, leading=leading) == forms


def test_a_word_at_the_edge_is_read_as_the_listed_names_form_misspelt() -> None:
    # "TD" and "INS" are words of listed names, so they are not taken off every query as forms.
    index = list_index(
        ("INFOCOM CORPORATION, INC", ORG), ("REXFORD LTD.", ORG), ("MARIN", ORG), ("TD AGROTORG", ORG),
        ("INS SHIPPING", ORG),
    )  # fmt: skip
    for query, listed, word in (
        ("INFOCOMo CORPORATION, INs", "INFOCOM CORPORATION, INC", "ins"),
        ("REFXORD TD.", "REXFORD LTD.", "td"),
    ):
        assert_first_alert(index, query, listed, because=f"'{word}' read as a misspelt legal form")
    # Only against a name with that form: "MARIN" has none, so "TD" stays a word of the query.
    assert index.search("MARIN TD") == []
    assert index.search("MARIN TD", threshold=0)[0].score < ALERT
    # Pairs scored on their own read the word the same way.
    assert score_pair("INFOCOMo CORPORATION, INs", "INFOCOM CORPORATION, INC") >= ALERT
    assert score_pair("REFXORD LT", "REXFORD") < ALERT <= score_pair("REFXORD LT", "REXFORD LTD.")


def test_a_given_name_like_a_form_is_kept_at_the_start() -> None:
    index = list_index(("OLAF TEPPER", PartyType.UNKNOWN))
    hit = index.search("OLAO TEPPER")[0]
    assert "olao=olaf" in hit.explanation and hit.score >= ALERT


def test_candidates_count_a_listed_word_once_however_many_query_words_resemble_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "HAMAD" resembles both "AHMAD" and "AMHAD" of the query; ranked as if it matched twice,
    # "HAMAD, Ali" would take the one place for candidates from the name the query mistypes.
    monkeypatch.setattr(index_module, "CANDIDATES_PER_QUERY", 1)
    monkeypatch.setattr(index_module, "COVERING_CANDIDATES", 0)
    person = PartyType.PERSON
    index = list_index(("HAMAD, Ali", person), ("AHMAD, Ahmad Ali", person), ("Ali Hamad", person))
    assert [hit.matched_name for hit in index.search("AHMAD, Amhad Ali", threshold=0.5)] == [
        "AHMAD, Ahmad Ali"
    ]
