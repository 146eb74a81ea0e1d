"""Turning a name as written into comparable tokens.

The steps, in order: Unicode compatibility forms (NFKC), removal of invisible characters
(zero-width, direction marks, soft hyphens), Cyrillic/Greek look-alike letters inside Latin words
mapped to their Latin twins (homoglyphs), transliteration of every other script to ASCII with
``anyascii`` (Cyrillic, Greek, Arabic, Hebrew, CJK, Hangul, and diacritics), case folding, and a split
into word tokens. Chinese, Japanese and Korean syllables come back glued (``XiJinPing``); they are
split so that each syllable is a token and glued-token matching puts them back together.

>>> name_tokens("Ｍüller\u200b GmbH")
('muller', 'gmbh')
>>> name_tokens("Владимир Путин")
('vladimir', 'putin')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Cyrillic and Greek letters that look like Latin ones: used only inside words that mix scripts,
# the usual trick to slip a listed name past an exact-match filter.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "ι": "i", "κ": "k",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip

_CJK_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
)
_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['`´‘’ʼʻ]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _is_invisible(char: str) -> bool:
    # Cf: zero-width joiners/spaces, direction marks and overrides, soft hyphen, BOM.
    return unicodedata.category(char) == "Cf" or "\ufe00" <= char <= "\ufe0f"


def _script(char: str) -> str:
    if char.isascii():
        return "latin" if char.isalpha() else "other"
    code = ord(char)
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x0370 <= code <= 0x03FF:
        return "greek"
    if any(low <= code <= high for low, high in _CJK_RANGES):
        return "cjk"
    return "latin" if unicodedata.name(char, "").startswith("LATIN") else "other"


def _unmask_homoglyphs(word: str, *, latin_context: bool) -> str:
    scripts = {_script(char) for char in word}
    lookalike = scripts & {"cyrillic", "greek"}
    if not lookalike:
        return word
    mixed = "latin" in scripts
    all_lookalike = all(char in HOMOGLYPHS or _script(char) not in lookalike for char in word)
    if mixed or (latin_context and all_lookalike):
        return "".join(HOMOGLYPHS.get(char, char) for char in word)
    return word


def _transliterate_word(word: str) -> str:
    if any(_script(char) == "cjk" for char in word):
        # anyascii writes each syllable capitalised: split them into tokens.
        return " ".join(_CAMEL.split(anyascii(word)))
    return anyascii(word)


@lru_cache(maxsize=200_000)
def clean_name(text: str) -> str:
    """The name in lower-case ASCII words, punctuation gone, order kept.

    >>> clean_name("AL-SHANTI, Jamileh  Abdullah")
    'al shanti jamileh abdullah'
    """
    if text.isascii():
        # Nothing to normalise, unmask or transliterate (the steps below leave ASCII unchanged).
        ascii_text = text
    else:
        text = unicodedata.normalize("NFKC", text)
        text = "".join(char for char in text if not _is_invisible(char))
        words = _WORD.findall(text)
        latin_context = any(_script(char) == "latin" for char in text)
        words = [_unmask_homoglyphs(word, latin_context=latin_context) for word in words]
        ascii_text = " ".join(_transliterate_word(word) for word in words)
    ascii_text = _APOSTROPHES.sub("", ascii_text).replace("&", " and ").lower()
    return " ".join(_TOKEN.findall(ascii_text))


# Cyrillic letters that scholarly and South Slavic transliterations write with one Latin letter
# (ISO 9, Serbian, Croatian, Polish): Цветков as "Cvetkov", Хасан as "Hasan", Йован as "Jovan", where
# anyascii (like the lists' BGN/PCGN style) writes "Tsvetkov", "Khasan", "Yovan".
_SCHOLARLY = str.maketrans({"ц": "c", "Ц": "C", "х": "h", "Х": "H", "й": "j", "Й": "J"})


def scholarly_reading(text: str) -> str | None:
    """The name with the Cyrillic letters ц, х, й of its Cyrillic words read as c, h, j: a second
    reading of a name written in Cyrillic, or ``None`` when it has none of them.

    >>> scholarly_reading("Цветков Хасан"), scholarly_reading("Путин")
    ('Cvetkov Hasan', None)
    """
    if text.isascii():
        return None
    text = unicodedata.normalize("NFKC", text)
    words = text.split(" ")
    read = [
        word
        if any(_script(char) == "latin" for char in word) or word == word.translate(_SCHOLARLY)
        else anyascii(word.translate(_SCHOLARLY))
        for word in words
    ]
    return " ".join(read) if read != words else None


def name_readings(text: str) -> tuple[str, ...]:
    """The ways a name is read: as written, and for a name in Cyrillic also the scholarly reading."""
    return tuple(dict.fromkeys([text, scholarly_reading(text) or text]))


def name_tokens(text: str) -> tuple[str, ...]:
    """The name's word tokens after clean-up and transliteration."""
    return tuple(clean_name(text).split())


def natural_order(text: str) -> str:
    """``SURNAME, Given Names`` as ``Given Names SURNAME``; other names unchanged.

    >>> natural_order("HANIYA, Ismail Abdul Salah")
    'Ismail Abdul Salah HANIYA'
    """
    if text.count(",") != 1:
        return text
    surname, given = (part.strip() for part in text.split(","))
    if not surname or not given:
        return text
    return f"{given} {surname}"
