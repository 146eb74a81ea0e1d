"""Independent perturbations of listed names, one class at a time, as screening queries."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from ctpat.screening.legal_forms import split_legal_forms
from ctpat.screening.normalisation import name_tokens

LATIN_TO_CYRILLIC = {"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "k": "к",
                     "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
                     "f": "ф", "h": "х", "c": "ц", "y": "ы", "j": "й"}  # fmt: skip
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
              "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "H": "Н", "K": "К", "M": "М", "T": "Т"}  # fmt: skip
DIACRITICS = {
    "a": "áàâäã",
    "e": "éèêë",
    "i": "íìîï",
    "o": "óòôöõ",
    "u": "úùûü",
    "n": "ñ",
    "c": "ç",
    "s": "š",
    "z": "ž",
}
SPELLING = [("mohammed", "muhammad"), ("mohammad", "mohamed"), ("ou", "u"), ("ee", "i"), ("ph", "f"), ("kh", "h"),
            ("y", "i"), ("ei", "ai"), ("oo", "u"), ("sh", "ch"), ("ks", "x"), ("ck", "k"), ("dj", "j")]  # fmt: skip
LEGAL_FORMS = ["LLC", "Ltd", "GmbH", "AG", "S.A.", "S.A. de C.V.", "OOO", "AO", "PJSC", "Sp. z o.o.", "Pte Ltd",
               "Pvt Ltd", "FZE", "Inc.", "Corp.", "JSC", "Limited"]  # fmt: skip


def _edit(word: str, rng: random.Random) -> str:
    if len(word) < 2:
        return word
    position = rng.randrange(len(word))
    action = rng.choice(("substitute", "insert", "delete"))
    letter = rng.choice(string.ascii_lowercase)
    if word[position].isupper():
        letter = letter.upper()
    if action == "substitute":
        return word[:position] + letter + word[position + 1 :]
    if action == "insert":
        return word[:position] + letter + word[position:]
    return word[:position] + word[position + 1 :]


def _edit_name(name: str, edits: int, rng: random.Random) -> str:
    words = name.split()
    for _ in range(edits):
        candidates = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
        if not candidates:
            return name
        i = rng.choice(candidates)
        words[i] = _edit(words[i], rng)
    return " ".join(words)


def typo_1(name: str, rng: random.Random, person: bool) -> str | None:
    return _edit_name(name, 1, rng)


def typo_2(name: str, rng: random.Random, person: bool) -> str | None:
    return _edit_name(name, 2, rng)


def _edit_anywhere(name: str, rng: random.Random) -> str:
    """One typing error at any position of the name: a letter, a space or a punctuation mark
    replaced, added, dropped, or swapped with its neighbour."""
    position = rng.randrange(len(name))
    action = rng.choice(("substitute", "insert", "delete", "transpose"))
    letter = rng.choice(string.ascii_letters)
    if action == "substitute":
        return name[:position] + letter + name[position + 1 :]
    if action == "insert":
        return name[:position] + letter + name[position:]
    if action == "delete" or position == len(name) - 1:
        return name[:position] + name[position + 1 :]
    return name[:position] + name[position + 1] + name[position] + name[position + 2 :]


def anywhere_1(name: str, rng: random.Random, person: bool) -> str | None:
    return _edit_anywhere(name, rng)


def anywhere_2(name: str, rng: random.Random, person: bool) -> str | None:
    return _edit_anywhere(_edit_anywhere(name, rng), rng)


def transposition(name: str, rng: random.Random, person: bool) -> str | None:
    spots = [
        i
        for i in range(len(name) - 1)
        if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def token_drop(name: str, rng: random.Random, person: bool) -> str | None:
    words = name.replace(",", " ").split()
    if len(words) < 3:
        return None
    # Drop a middle token: the first and last usually carry the given name and the surname.
    del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def token_swap(name: str, rng: random.Random, person: bool) -> str | None:
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return None
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def surname_first(name: str, rng: random.Random, person: bool) -> str | None:
    if not person:
        return None
    if "," in name:
        surname, given = (p.strip() for p in name.split(",", 1))
        return f"{given} {surname}"
    words = name.split()
    return f"{words[-1].upper()}, {' '.join(words[:-1])}" if len(words) >= 2 else None


def initials(name: str, rng: random.Random, person: bool) -> str | None:
    if not person:
        return None
    if "," in name:
        surname, given = (p.strip() for p in name.split(",", 1))
        words = given.split()
    else:
        words = name.split()
        surname, words = words[-1], words[:-1]
    if not words:
        return None
    # One given name becomes its initial; the others stay.
    i = rng.randrange(len(words))
    words[i] = words[i][0] + "."
    return f"{' '.join(words)} {surname}"


def legal_form(name: str, rng: random.Random, person: bool) -> str | None:
    if person:
        return None
    tokens = name_tokens(name)
    core, forms = split_legal_forms(tokens)
    if forms:
        return (
            " ".join(core).upper()
            if rng.random() < 0.5
            else f"{' '.join(core).upper()} {rng.choice(LEGAL_FORMS)}"
        )
    return f"{name} {rng.choice(LEGAL_FORMS)}"


def transliteration(name: str, rng: random.Random, person: bool) -> str | None:
    lowered = name.lower()
    if rng.random() < 0.5:
        for old, new in rng.sample(SPELLING, len(SPELLING)):
            if old in lowered:
                return lowered.replace(old, new, 1).title()
    return "".join(LATIN_TO_CYRILLIC.get(ch, ch) for ch in lowered)


def diacritics(name: str, rng: random.Random, person: bool) -> str | None:
    chars = list(name)
    spots = [i for i, ch in enumerate(chars) if ch.lower() in DIACRITICS]
    for i in rng.sample(spots, min(len(spots), 3)):
        accented = rng.choice(DIACRITICS[chars[i].lower()])
        chars[i] = accented.upper() if chars[i].isupper() else accented
    return "".join(chars) if spots else None


def homoglyphs(name: str, rng: random.Random, person: bool) -> str | None:
    chars = list(name)
    spots = [i for i, ch in enumerate(chars) if ch in HOMOGLYPHS]
    for i in rng.sample(spots, min(len(spots), 3)):
        chars[i] = HOMOGLYPHS[chars[i]]
    return "".join(chars) + ("\u200b" if rng.random() < 0.5 else "") if spots else None


def truncation(name: str, rng: random.Random, person: bool) -> str | None:
    if len(name) < 16:
        return None
    return name[: max(12, int(len(name) * 0.8))].rstrip(" ,")


PERTURBATIONS: dict[str, Callable[[str, random.Random, bool], str | None]] = {
    "typo_1": typo_1,
    "typo_2": typo_2,
    "transposition": transposition,
    "anywhere_1": anywhere_1,
    "anywhere_2": anywhere_2,
    "token_drop": token_drop,
    "token_swap": token_swap,
    "surname_first": surname_first,
    "initials": initials,
    "legal_form": legal_form,
    "transliteration": transliteration,
    "diacritics": diacritics,
    "homoglyphs": homoglyphs,
    "truncation": truncation,
}
# typo_1/typo_2: edits inside words of four letters or more; anywhere_1/anywhere_2: edits at any
# position, short words, legal forms, spaces and punctuation included.
EDIT_CLASSES = ("typo_1", "typo_2", "transposition", "anywhere_1", "anywhere_2")
