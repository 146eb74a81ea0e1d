"""Unicode clean-up and transliteration: what a name becomes before it is compared."""

from __future__ import annotations

import pytest

from ctpat.screening import score_pair
from ctpat.screening.legal_forms import split_legal_forms
from ctpat.screening.normalisation import clean_name, name_tokens, natural_order, scholarly_reading


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ｇａｚｐｒｏｍ", "gazprom"),  # full-width compatibility forms
        ("Gaz\u200bprom\u200d Neft", "gazprom neft"),  # zero-width space and joiner
        ("\u202eGazprom\u202c \u200fNeft", "gazprom neft"),  # direction overrides and marks
        ("Müller Façade Ørsted Łódź", "muller facade orsted lodz"),  # diacritics
        ("Gаzрrоm", "gazprom"),  # Cyrillic а, р, о inside a Latin word (homoglyphs)
        ("ΑΒΒ Ltd", "abb ltd"),  # Greek capitals that look Latin, in a Latin name
        ("Владимир Путин", "vladimir putin"),  # Cyrillic
        ("ООО Ромашка", "ooo romashka"),
        ("Αλέξης Τσίπρας", "alexis tsipras"),  # Greek
        ("محمد علي", "mhmd ly"),  # Arabic (an abjad: consonants; phonetic keys match them)
        ("משה כהן", "msh khhn"),  # Hebrew
        ("习近平", "xi jin ping"),  # CJK: one token per syllable
        ("김정은", "gim jeong eun"),  # Hangul
        ("NU'MAN ALAEDDIN", "numan alaeddin"),  # apostrophes join
        ("AL-SHANTI, Jamileh", "al shanti jamileh"),
        ("H&M", "h and m"),
    ],
)
def test_clean_name(written: str, expected: str) -> None:
    assert clean_name(written) == expected


def test_surname_first_is_put_in_natural_order() -> None:
    assert natural_order("HANIYA, Ismail Abdul Salah") == "Ismail Abdul Salah HANIYA"
    assert natural_order("Ismail Haniya") == "Ismail Haniya"


@pytest.mark.parametrize(
    ("written", "core", "forms"),
    [
        ("ACHIM DEVELOPMENT, OOO", ("achim", "development"), ("llc",)),
        ("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU TYUMENTRANSGAZ", ("tyumentransgaz",), ("llc",)),
        ("Grupo Alfa S.A. de C.V.", ("grupo", "alfa"), ("jsc",)),
        ("Kowalski Sp. z o.o.", ("kowalski",), ("llc",)),
        ("Acme Pte Ltd", ("acme",), ("ltd",)),
        ("Gulf Star FZE", ("gulf", "star"), ("free_zone",)),
        ("Siemens AG", ("siemens",), ("jsc",)),
        ("TECHMA GMMBH", ("techma",), ("gmbh",)),  # misspelt legal form
        ("S A Smith", ("s", "a", "smith"), ()),  # initials at the start are not a legal form
    ],
)
def test_legal_forms_come_off(written: str, core: tuple[str, ...], forms: tuple[str, ...]) -> None:
    assert split_legal_forms(name_tokens(written)) == (core, forms)


def test_ascii_names_take_the_short_way_to_the_same_tokens() -> None:
    """Plain ASCII skips normalisation and transliteration; the result must be what the long way gives."""
    import random
    import string

    from ctpat.screening import normalisation

    rng = random.Random(5)
    alphabet = string.ascii_letters + string.digits + " ,.-'&`()/\t"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        long_way = normalisation.clean_name.__wrapped__(text + "\u00e9")  # one non-ASCII letter
        assert normalisation.clean_name(text + "e") == long_way, text


@pytest.mark.parametrize(
    ("written", "reading"),
    [
        ("Цветков Хасан", "Cvetkov Hasan"),
        ("йим ройас", "jim rojas"),
        ("ООО «Цвет»", "ООО <<Cvet>>"),  # only the words with ц, х or й are read again
        ("Путин", None),  # none of those letters: the one reading anyascii gives
        ("Eхxon", None),  # a Latin word with a look-alike letter is a homoglyph, not Cyrillic
        ("Exxon", None),
    ],
)
def test_a_name_in_cyrillic_has_a_scholarly_reading(written: str, reading: str | None) -> None:
    assert scholarly_reading(written) == reading


def test_both_readings_of_a_cyrillic_name_are_scored() -> None:
    # anyascii writes "Tsvetkov Khasan"; the scholarly reading is the list's "Cvetkov Hasan".
    assert score_pair("Цветков Хасан", "CVETKOV, Hasan", kind="person") == 1.0
    assert score_pair("CVETKOV, Hasan", "Цветков Хасан", kind="person") == 1.0
    assert score_pair("Цветков Хасан", "TSVETKOV, Khasan", kind="person") == 1.0
