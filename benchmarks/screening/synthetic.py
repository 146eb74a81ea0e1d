"""Growing the sample lists to the SDN's size with plausible extra entities.

New persons recombine a surname and given names taken from different listed persons; new companies
recombine distinctive words of listed companies (lightly respelt) with business words and a legal
form. Aliases are respellings, reorderings and shortened forms, as on the real lists. Nothing here
comes from Faker, which makes the non-listed names, so the two never share a generator.
"""

from __future__ import annotations

import random

from ctpat.screening.legal_forms import GENERIC_WORDS, split_legal_forms
from ctpat.screening.model import ListedEntity, ListedName, NameKind, PartyType, RestrictedPartyList
from ctpat.screening.normalisation import name_tokens

FORMS = ["LLC", "LTD", "OOO", "AO", "JSC", "GMBH", "S.A.", "CO., LTD.", "PJSC", "FZE", "PTE LTD", "INC."]
WORDS = [
    "TRADING",
    "INTERNATIONAL",
    "GROUP",
    "HOLDING",
    "INDUSTRIES",
    "SHIPPING",
    "ENGINEERING",
    "INVESTMENT",
]


def _respell(word: str, rng: random.Random) -> str:
    vowels = "AEIOU"
    chars = list(word)
    spots = [i for i, ch in enumerate(chars) if ch in vowels]
    if spots:
        i = rng.choice(spots)
        chars[i] = rng.choice(vowels.replace(chars[i], ""))
    return "".join(chars)


def _pools(lists: list[RestrictedPartyList]) -> tuple[list[str], list[str], list[str]]:
    surnames, given, company = [], [], []
    for party_list in lists:
        for entity in party_list.entities:
            for name in entity.names:
                if entity.party_type is PartyType.PERSON and "," in name.text:
                    surname, rest = name.text.split(",", 1)
                    surnames.append(surname.strip().upper())
                    given += [w.title() for w in rest.split() if len(w) > 2]
                elif entity.party_type is PartyType.ORGANIZATION:
                    core, _ = split_legal_forms(name_tokens(name.text))
                    company += [
                        t.upper() for t in core if t not in GENERIC_WORDS and len(t) > 3 and t.isalpha()
                    ]
    return surnames, given, company


def _person(number: int, pools: tuple[list[str], list[str], list[str]], rng: random.Random) -> ListedEntity:
    surnames, given, _ = pools
    surname = rng.choice(surnames)
    first = rng.sample(given, rng.choice((1, 2, 2, 3)))
    primary = f"{surname}, {' '.join(first)}"
    aliases = [f"{_respell(surname, rng)}, {' '.join(first)}", f"{' '.join(first[:1])} {surname.title()}"]
    names = [ListedName(primary)] + [ListedName(a, NameKind.AKA) for a in aliases[: rng.choice((1, 2, 2))]]
    return ListedEntity("SYNTH", f"S{number}", PartyType.PERSON, tuple(names))


def _company(number: int, pools: tuple[list[str], list[str], list[str]], rng: random.Random) -> ListedEntity:
    words = [
        _respell(w, rng) if rng.random() < 0.5 else w for w in rng.sample(pools[2], rng.choice((1, 2, 2)))
    ]
    if rng.random() < 0.6:
        words.append(rng.choice(WORDS))
    core = " ".join(words)
    primary = f"{core} {rng.choice(FORMS)}"
    aliases = [f"{rng.choice(FORMS)} {core}", f"{words[0]} {rng.choice(WORDS)}"]
    names = [ListedName(primary)] + [ListedName(a, NameKind.AKA) for a in aliases[: rng.choice((1, 2, 2))]]
    return ListedEntity("SYNTH", f"S{number}", PartyType.ORGANIZATION, tuple(names))


def synthetic_list(lists: list[RestrictedPartyList], *, entities: int, seed: int = 7) -> RestrictedPartyList:
    """A list of ``entities`` made-up entities in the style of the given lists."""
    rng = random.Random(seed)
    pools = _pools(lists)
    made = [(_person if rng.random() < 0.45 else _company)(n, pools, rng) for n in range(entities)]
    return RestrictedPartyList("SYNTH", "synthetic", "benchmark", "2000-01-01", tuple(made))
