"""Typing errors, legal forms and ties: what the engine does with the commonest ways a listed name
is mistyped, and which of two equally good names it puts first."""

from __future__ import annotations

import pytest

from ctpat.screening import DEFAULT_ALERT_THRESHOLD as ALERT
from ctpat.screening import build_index, score_pair
from ctpat.screening.legal_forms import generic_resemblance, split_legal_forms
from ctpat.screening.model import ListedEntity, ListedName, NameKind, PartyType, RestrictedPartyList
from ctpat.screening.name_matching import INITIAL_WEIGHT, token_similarity, typing_errors

from .conftest import WORDS, assert_first_alert, assert_index_scores_like_the_reference, list_index


def test_swapped_letters_cost_half_an_edit() -> None:
    assert typing_errors("eirc", "eric") == 0
    assert typing_errors("mans", "mars") == 1
    assert token_similarity("eirc", "eric") > token_similarity("erin", "eric")
    # A swap is closer than a substitution of the same length, and than a doubled letter dropped.
    assert token_similarity("badulah", "abdulah") > token_similarity("badulah", "abdullah")


@pytest.mark.parametrize(
    ("listed", "query", "kind"),
    [
        ("ERIC BAIRD", "EIRC BAIRD", "person"),
        ("GPB INTERNATIONAL SA", "PGB INTERNATIONAL SA", "organization"),  # a swap in a lone acronym
        ("RZHD", "ZRHD", "organization"),
        ("CNNC", "CFNC", "organization"),  # a four-letter abbreviation without vowels: one typo
        ("TNK TRADE LIMITED", "TNK TRADE LIMITEUHD", "organization"),  # a misspelt legal form
        ("BANK KUB AO", "BANK KUB OA", "organization"),
        ("OPEN JOINT STOCK COMPANY CHAYKA", "OPEN JOINT STOCK UCOPANY CHAYKA", "organization"),
    ],
)
def test_common_typing_errors_still_alert(listed: str, query: str, kind: str) -> None:
    assert score_pair(listed, query, kind=kind) >= ALERT


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        ("MARS OOO", "Mans Ltd"),  # one letter off a short word is another word
        ("LEON TECHNOLOGY COMPANY LIMITED", "Lion Technology Group"),
        ("COMPONIA GROUP", "Cook Group"),  # "Cook" is not a misspelt "Coop"
        ("SONS INVESTMENT", "Jones and Sons"),
        ("SMELL TRADING", "Shell Trading International"),  # nor off a five-letter one
        ("BEING SHIPPING", "Boeing"),
    ],
)
def test_short_words_one_letter_apart_do_not_alert(listed: str, query: str) -> None:
    assert score_pair(listed, query, kind="organization") < ALERT


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        ("GLOBE TRADE", "Gulobe Trade"),
        ("ROSE GROUP LIMITED", "Roose Group"),
        ("ROSE GROUP LIMITED", "Ross Group"),
        ("T. K. MOHAN", "T. K. Ohan"),
        ("HYDEL ENGINEERING PRODUCTS", "HLYDEL GENGINEERING PRODUCTS"),
    ],
)
def test_a_short_word_one_letter_off_alerts_when_the_rest_of_both_names_agrees(
    listed: str, query: str
) -> None:
    assert score_pair(listed, query, kind="organization") >= ALERT


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        ("ROSE GROUP LIMITED", "Ross"),  # nothing else agrees
        ("COSTAR GROUP CO., LTD.", "Da Costa"),  # a word on each side without a counterpart
        ("ROSE GROUP", "Ross Group Holding"),
        ("SMELL TRADING", "Shel Trading"),  # two typing errors
        ("GBS TRADING S.A.", "BBS Trading S.A."),  # three letters: one off is another abbreviation
        ("COSTAR GROUP CO., LTD.", "Köster Groep"),  # six letters already may carry one typing error
    ],
)
def test_a_short_word_one_letter_off_needs_all_of_the_rest(listed: str, query: str) -> None:
    assert score_pair(listed, query, kind="organization") < ALERT


def test_the_index_reads_the_rest_of_both_names_as_the_reference_does() -> None:
    listed = ["GLOBE TRADE", "ROSE GROUP LIMITED", "T. K. MOHAN", "COSTAR GROUP CO., LTD.", "SMELL TRADING",
              "HYDEL ENGINEERING PRODUCTS", "GBS TRADING S.A.", "ROSE GROUP", "LEON TECHNOLOGY COMPANY LIMITED"]  # fmt: skip
    index = list_index(*[(name, PartyType.ORGANIZATION) for name in listed])
    for probe in ("Gulobe Trade", "Ross Group", "Ross", "Da Costa", "T. K. Ohan", "Shel Trading",
                  "Ross Group Holding", "Lion Technology", "HLYDEL GENGINEERING PRODUCTS"):  # fmt: skip
        assert_index_scores_like_the_reference(index, probe, range(len(listed)))


def test_a_name_written_without_a_space_and_with_a_typo_is_found() -> None:
    listed = ["ALI ALHAY", "IHSAN ELASHI", "7TH OF TIR COMPLEX", "CHRIS RODRIGUEZ", "COMERCIALIZADORA INC."]
    index = list_index(*[(name, PartyType.UNKNOWN) for name in listed])
    for query, name in (("ALIWALHA", "ALI ALHAY"), ("IHSANUEjASHI", "IHSAN ELASHI")):
        assert_first_alert(index, query, name, because="glued/split")
    # Written without spaces, the numbers must still agree.
    assert not index.search("8TH OF TIR COMPLEX")
    # A name a word longer is no typo: the looser similarity is for names of nearly equal length.
    assert not index.search("Comercializadora Hervia S.L.N.E")
    probes = (
        "ALIWALHA",
        "8TH OF TIR COMPLEX",
        "7TH OF TIRCOMPLEX",
        "CHRISTOPHER RODRIGUEZ",
        "Comercializadora Hervia",
    )
    for probe in probes:
        assert_index_scores_like_the_reference(index, probe, range(len(listed)))


def test_misspelt_legal_forms_are_recognised_but_everyday_words_are_not() -> None:
    assert split_legal_forms(("exiar", "ojqc")) == (("exiar",), ("jsc",))
    assert split_legal_forms(("kub", "oa")) == (("kub",), ("jsc",))
    assert split_legal_forms(("cook", "group")) == (("cook", "group"), ())
    assert split_legal_forms(("ma", "li")) == (("ma", "li"), ())
    assert generic_resemblance("limiteuhd") > 0.7
    assert generic_resemblance("rexford") == 0.0


def test_the_legal_form_breaks_a_tie_between_equal_names() -> None:
    index = list_index(
        ("SKY BLUE BIRD LTD", PartyType.ORGANIZATION),
        ("SKY BLUE BIRD FZC", PartyType.ORGANIZATION),
        ("SKY BLUE BIRD", PartyType.ORGANIZATION),
    )
    assert [hit.matched_name for hit in index.search("Sky Blue Bird FZC")][:1] == ["SKY BLUE BIRD FZC"]
    assert [hit.matched_name for hit in index.search("Sky Blue Bird")][:1] == ["SKY BLUE BIRD"]
    hits = index.search("Sky Blue Bird FZC")
    conflict = next(hit for hit in hits if hit.matched_name == "SKY BLUE BIRD LTD")
    assert "legal form differs -0.008" in conflict.explanation
    assert conflict.score == pytest.approx(hits[0].score - 0.008)


def test_equal_scores_go_to_the_name_written_most_like_the_query() -> None:
    index = list_index(
        ("AL-NASER AIRLINES", PartyType.ORGANIZATION),
        ("ALNASER AIRLINES", PartyType.ORGANIZATION),
    )
    hits = index.search("ALNASER ARLZINES")
    assert hits[0].score == hits[1].score
    assert hits[0].matched_name == "ALNASER AIRLINES"
    assert index.search("AL NASER ARLZINES")[0].matched_name == "AL-NASER AIRLINES"


def test_a_swap_ranks_the_closer_spelling_first() -> None:
    index = list_index(
        ("ABDULLAH AL NASSER", PartyType.PERSON),
        ("ABDULAH AL NASSER", PartyType.PERSON),
    )
    assert index.search("BADULAH AL NASSER")[0].matched_name == "ABDULAH AL NASSER"


def test_a_misspelt_form_is_read_at_the_start_only_where_forms_are_written_first() -> None:
    # "Behad" is one letter off "Berhad", and "Eic" has the letters of "Cie", but neither goes first.
    assert split_legal_forms(("behad", "pourghannad")) == (("behad", "pourghannad"), ())
    assert split_legal_forms(("eic", "badege")) == (("eic", "badege"), ())
    assert split_legal_forms(("zoa", "vega")) == (("vega",), ("jsc",))  # ZAO, which goes first
    assert split_legal_forms(("vega", "ldt")) == (("vega",), ("ltd",))
    assert split_legal_forms(("ldt", "vega")) == (("ldt", "vega"), ())


def test_a_given_name_that_looks_like_a_misspelt_form_is_kept() -> None:
    index = list_index(("BEHZAD POURGHANNAD", PartyType.PERSON), ("ERIC BADEGE", PartyType.PERSON))
    assert index.search("BEHAD POURGHANNAD")[0].score >= ALERT
    assert index.search("EIC BADEGE")[0].score >= ALERT


def test_swapped_letters_of_a_two_letter_word_are_looked_up() -> None:
    others = [(f"{word} INTERNATIONAL, LLC", PartyType.ORGANIZATION) for word in WORDS]
    index = list_index(*others, ("RH INTERNATIONAL, LLC", PartyType.ORGANIZATION))
    assert index.search("HR INTERNATIONAL, LLC", threshold=0)[0].matched_name == "RH INTERNATIONAL, LLC"


def test_a_name_that_covers_the_query_is_a_candidate_among_many_shorter_ones() -> None:
    # Thirty names "HAMAD, Ali" look better on the quick count that picks the names to score,
    # because their one "HAMAD" resembles both "AHMAD" and "AMHAD"; the name that holds every token
    # of the query must still be scored.
    others = [("HAMAD, Ali", PartyType.PERSON)] * 30 + [(f"AHMAD {word}", PartyType.PERSON) for word in WORDS]
    index = list_index(*others, ("AHMAD, Ahmad Ali", PartyType.PERSON))
    assert index.search("AHMAD, Amhad Ali")[0].matched_name == "AHMAD, Ahmad Ali"


def test_a_single_letter_weighs_like_an_initial() -> None:
    index = list_index(("GEFEST-M LLC", PartyType.ORGANIZATION), ("GAFEST TRADING", PartyType.ORGANIZATION))
    assert index.token_weight[index.token_id["m"]] <= INITIAL_WEIGHT
    hits = index.search("GEFEST-H LLC", threshold=0)
    assert hits[0].matched_name == "GEFEST-M LLC"
    assert "h=- 0x0.30" in hits[0].explanation


def test_a_name_cut_off_inside_a_word_is_found() -> None:
    # Fixed-length fields of trade documents cut names off.
    listed = ["IDLEB COMPANY FOR SPINNING", "ISKEIK, Jamal Ismail", "JSC SIBNEFTEPROVOD", "COSTAR GROUP",
              "MELLI INDUSTRIAL BANK OF IRAN", "TEKHNO SUPPLY"]  # fmt: skip
    index = list_index(*[(name, PartyType.UNKNOWN) for name in listed])
    for query, name in (
        ("IDLEB COMPANY FOR SP", "IDLEB COMPANY FOR SPINNING"),
        ("ISKEIK, Jamal Is", "ISKEIK, Jamal Ismail"),
        ("JSC SIBNEFTEPR", "JSC SIBNEFTEPROVOD"),  # the lone word cut off
    ):
        assert_first_alert(index, query, name)
    # A whole word is no word cut off; a short start is as likely another word.
    assert not index.search("Melli Industrial Bank")
    assert not index.search("Costa")
    probes = ("IDLEB COMPANY FOR SP", "ISKEIK, Jamal Is", "JSC SIBNEFTEPR", "Melli Industrial Bank", "Costa",
              "SIBNEFTEPR JSC", "Tekhnosu")  # fmt: skip
    for probe in probes:
        assert_index_scores_like_the_reference(index, probe, range(len(listed)))


@pytest.mark.parametrize(
    ("listed", "query", "kind"),
    [
        ("VTB DC LTD", "VTBD C LTD", "organization"),  # a space moved, nothing else
        ("KRASLESINVEST CJSC", "KRASLESINVEST CJUB", "organization"),  # a form two letters off
        ("ROSTELEKOM PJSC", "ROSTELEKOM RJSL", "organization"),
        ("JOINT STOCK COMPANY SURGUTNEFTEGASBANK", "JON TSTOCK COMPANY SURGUTNEFTEGASBANK", "organization"),
        ("MITA ZAREK", "MOCA ZAREK", "person"),  # two typing errors in a name of nine letters
        # One typing error where a quote glued two words: no word alike, the whole name is.
        (
            "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO 'KRASNOYARSKGAZPROM'",
            "PUBLICHNOE AKTSIONERNOE OBSHCHEgSTVO'KRASNOYARSKGAZPROM'",
            "organization",
        ),
    ],
)
def test_a_name_written_alike_but_for_spaces_and_typing_errors_alerts(
    listed: str, query: str, kind: str
) -> None:
    assert score_pair(listed, query, kind=kind) >= ALERT


@pytest.mark.parametrize(
    ("listed", "query", "kind"),
    [
        ("ROSTELEKOM PJSC", "ROSTELEKOM ALPHA", "organization"),  # another word, not a mangled form
        ("YASEN, Ali", "Priya Sen", "person"),  # two letters apart, but no word in common
        ("MARINE SA", "Marin SA", "organization"),  # five letters must be written alike
        ("VTB 24 JSC", "VTB 25 JSC", "organization"),  # numbers must agree
    ],
)
def test_a_name_written_nearly_alike_is_not_enough_without_a_word_in_common(
    listed: str, query: str, kind: str
) -> None:
    assert score_pair(listed, query, kind=kind) < ALERT


def test_the_index_finds_names_written_alike_as_the_reference_does() -> None:
    listed = ["VTB DC LTD", "KRASLESINVEST CJSC", "ROSTELEKOM PJSC", "MITA ZAREK", "YASEN, Ali", "MARINE SA",
              "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO 'KRASNOYARSKGAZPROM'"]  # fmt: skip
    index = list_index(*[(name, PartyType.UNKNOWN) for name in listed])
    for query, name in (("VTBD C LTD", "VTB DC LTD"), ("KRASLESINVEST CJUB", "KRASLESINVEST CJSC")):
        assert_first_alert(index, query, name, because="written alike but for spaces and typing errors")
    assert not index.search("Priya Sen")
    assert not index.search("ROSTELEKOM ALPHA")
    for probe in ("VTBD C LTD", "KRASLESINVEST CJUB", "ROSTELEKOM RJSL", "ROSTELEKOM ALPHA", "MOCA ZAREK",
                  "Priya Sen", "Marin SA", "VTB DC", "PUBLICHNOE AKTSIONERNOE OBSHCHEgSTVO'KRASNOYARSKGAZPROM'"):  # fmt: skip
        assert_index_scores_like_the_reference(index, probe, range(len(listed)))


def test_every_way_a_name_is_written_is_kept_for_the_whole_name_comparison() -> None:
    """Aliases that differ only in their legal forms are one listed name, written either way."""
    entity = ListedEntity(
        "TEST", "1", PartyType.ORGANIZATION, (ListedName("KINEF OOO"), ListedName("LLC KINEF", NameKind.AKA))
    )
    index = build_index([RestrictedPartyList("TEST", "test list", "test", "2026-01-01", (entity,))])
    assert [name.spelt for name in index.names] == [("kinefooo", "llckinef")]


def test_a_tie_goes_to_the_name_written_most_like_the_query_legal_form_included() -> None:
    # PJSC and JSC read as the same form, so both names score alike; the query was typed as JSC.
    index = list_index(("PJSC SBERBANK", PartyType.ORGANIZATION), ("JSC SBERBANK", PartyType.ORGANIZATION))
    hits = index.search("JCS SBERBANK")
    assert hits[0].score == hits[1].score
    assert [hit.matched_name for hit in hits] == ["JSC SBERBANK", "PJSC SBERBANK"]
    assert [hit.matched_name for hit in index.search("PJSC SBERBANK")][:1] == ["PJSC SBERBANK"]
