"""Legal forms and generic business words, in the languages the lists are written in.

A legal form (``LLC``, ``GmbH``, ``ООО``, ``S.A. de C.V.``) says nothing about *which* company a name
is, and neither do words such as *Trading*, *International* or *Group*: they are taken off the name
(legal forms) or weighted down (generic words) so that two companies never match on them alone.
"""

from __future__ import annotations

from .normalisation import name_tokens

# canonical form -> spellings (tokenised the same way names are)
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "llc": (
        "llc", "l l c", "limited liability company", "limited liability co", "ooo", "obshchestvo s "
        "ogranichennoi otvetstvennostyu", "obshchestvo s ogranichennoy otvetstvennostyu", "tov", "too",
        "srl", "s r l", "sarl", "s a r l", "sp z o o", "spolka z ograniczona odpowiedzialnoscia",
        "sro", "s r o", "kft", "doo", "d o o", "llp", "pllc", "ltda", "ltd a",
    ),
    "ltd": (
        "ltd", "limited", "co ltd", "company limited", "pte ltd", "pte", "pvt ltd", "pvt", "private limited",
        "pty ltd", "pty", "plc", "public limited company", "bhd", "sdn bhd", "berhad", "sdn", "ltd sti",
        "ltd sirketi", "san tic ltd sti", "san ve tic ltd sti", "tic ltd sti", "limitada", "yugen kaisha",
    ),
    "jsc": (
        "jsc", "ojsc", "cjsc", "pjsc", "oao", "zao", "pao", "ao", "jsc", "joint stock company",
        "open joint stock company", "closed joint stock company", "public joint stock company",
        "aktsionernoe obshchestvo", "otkrytoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo", "as", "a s", "ad", "a d", "ab", "asa", "oyj", "oy", "nv",
        "n v", "sa", "s a", "sa de cv", "s a de c v", "sab de cv", "s a b de c v", "sapi de cv", "spa",
        "s p a", "ag", "kgaa", "se", "kabushiki kaisha", "kk", "as", "anonim sirketi", "a s", "jsco",
    ),
    "gmbh": ("gmbh", "gesellschaft mit beschrankter haftung", "gmbh and co kg", "gmbh co kg", "ug", "mbh"),
    "inc": ("inc", "incorporated", "corp", "corporation", "co", "company", "cie", "cia", "and co", "and cie"),
    "partnership": ("lp", "l p", "kg", "ohg", "snc", "sas", "scs", "gbr", "partnership"),
    "free_zone": ("fze", "fzco", "fzc", "fz llc", "fz co", "dmcc", "free zone establishment"),
    "sole": ("ip", "individual entrepreneur", "eirl", "e i r l", "ek", "e k", "sole proprietorship"),
    "state": ("fgup", "gup", "mup", "federal state unitary enterprise", "state unitary enterprise", "ue"),
    "cooperative": ("coop", "cooperative", "eg", "kooperativ"),
}  # fmt: skip

# Words that many unrelated companies share.
GENERIC_WORDS: frozenset[str] = frozenset(
    """
    trading trade traders international intl group groups holding holdings company companies co
    corporation corp enterprise enterprises industries industry industrial services service general
    global worldwide import export imports exports and of the for de la del des du y e et und van von
    der den di da do dos das el al bin ibn technology technologies tech solutions systems logistics
    shipping management investment investments development partners associates consulting commercial
    manufacturing products overseas import export impex industrial engineering construction bank
    national united new center centre office branch
    """.split()
)

# Query-side words that mark an organisation when a list gives no type (e.g. the Denied Persons List).
_ORGANIZATION_HINTS: frozenset[str] = GENERIC_WORDS - {"and", "of", "the", "for", "de", "la", "del", "des",
                                                          "du", "y", "e", "et", "und", "van", "von", "der",
                                                          "den", "di", "da", "do", "dos", "das", "el", "al",
                                                          "bin", "ibn"}  # fmt: skip

_SEQUENCES: dict[tuple[str, ...], str] = {
    name_tokens(spelling): canonical for canonical, spellings in LEGAL_FORMS.items() for spelling in spellings
}
_LONGEST = max(len(tokens) for tokens in _SEQUENCES)
_SINGLE_LETTER_FORMS = {tokens for tokens in _SEQUENCES if any(len(token) == 1 for token in tokens)}


def split_legal_forms(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The name's core tokens and the legal forms found at its start or end.

    >>> split_legal_forms(("ooo", "achim", "development"))
    (('achim', 'development'), ('llc',))
    >>> split_legal_forms(("grupo", "alfa", "s", "a", "de", "c", "v"))
    (('grupo', 'alfa'), ('jsc',))
    """
    core = list(tokens)
    forms: list[str] = []
    changed = True
    while changed and len(core) > 1:
        changed = False
        for size in range(min(_LONGEST, len(core) - 1), 0, -1):
            tail = tuple(core[-size:])
            if tail in _SEQUENCES:
                forms.append(_SEQUENCES[tail])
                del core[-size:]
                changed = True
                break
            head = tuple(core[:size])
            # "S A Smith" is a person with initials, not a company: spelled-out forms only at the start.
            if head in _SEQUENCES and head not in _SINGLE_LETTER_FORMS:
                forms.append(_SEQUENCES[head])
                del core[:size]
                changed = True
                break
    return tuple(core), tuple(forms)


def is_generic_word(token: str) -> bool:
    """Whether a token is a generic business word or a particle that tells companies apart poorly."""
    return token in GENERIC_WORDS


def looks_like_organization(tokens: tuple[str, ...]) -> bool:
    """Whether a name carries a legal form or a business word (used when the list gives no type)."""
    core, forms = split_legal_forms(tokens)
    return bool(forms) or any(token in _ORGANIZATION_HINTS for token in core)
