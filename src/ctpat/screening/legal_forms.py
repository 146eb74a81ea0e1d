"""Legal forms and generic business words, in the languages the lists are written in.

A legal form (``LLC``, ``GmbH``, ``ООО``, ``S.A. de C.V.``) says nothing about *which* company a name
is, and neither do words such as *Trading*, *International* or *Group*: they are taken off the name
(legal forms) or weighted down (generic words) so that two companies never match on them alone.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

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
    "inc": ("inc", "incorporated", "corp", "corporation", "co", "company", "cie", "cia", "and co", "and cie",
            "compania", "companhia", "compagnie", "compagnia"),
    "partnership": ("lp", "l p", "kg", "ohg", "snc", "sas", "scs", "gbr", "partnership"),
    "free_zone": ("fze", "fzco", "fzc", "fz llc", "fz co", "dmcc", "free zone establishment"),
    "sole": ("ip", "individual entrepreneur", "eirl", "e i r l", "ek", "e k", "sole proprietorship"),
    "state": ("fgup", "gup", "mup", "federal state unitary enterprise", "state unitary enterprise", "ue"),
    "cooperative": ("coop", "cooperative", "eg", "kooperativ"),
    # Spelled with initials, recognised at the end of a name only.
    "civil": ("sc", "s c", "ac", "a c", "scp", "s c p", "sl", "s l", "slne", "s l n e", "ks", "k s", "os", "o s",
              "sas", "s a s", "sca", "s c a", "bv", "b v", "cv", "c v", "vof", "ltda me", "me", "epp", "eireli"),
}  # fmt: skip

# Words that many unrelated companies share.
GENERIC_WORDS: frozenset[str] = frozenset(
    [
        "trading",
        "trade",
        "traders",
        "international",
        "intl",
        "group",
        "sons",
        "brothers",
        "bros",
        "groups",
        "holding",
        "holdings",
        "company",
        # the words of "open/closed joint-stock company" when the form is not recognised whole
        "joint",
        "stock",
        "open",
        "closed",
        "companies",
        "co",
        "corporation",
        "corp",
        "enterprise",
        "enterprises",
        "industries",
        "industry",
        "industrial",
        "services",
        "service",
        "general",
        "global",
        "worldwide",
        "import",
        "export",
        "imports",
        "exports",
        "and",
        "of",
        "the",
        "for",
        "de",
        "la",
        "del",
        "des",
        "du",
        "y",
        "e",
        "et",
        "und",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "el",
        "al",
        "bin",
        "ibn",
        "technology",
        "technologies",
        "tech",
        "solutions",
        "systems",
        "logistics",
        "shipping",
        "management",
        "investment",
        "investments",
        "development",
        "partners",
        "associates",
        "consulting",
        "commercial",
        "manufacturing",
        "products",
        "overseas",
        "import",
        "export",
        "impex",
        "industrial",
        "engineering",
        "construction",
        "bank",
        "national",
        "united",
        "new",
        "center",
        "centre",
        "office",
        "branch",
    ]
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
_SINGLE_LETTER_FORMS = {
    tokens for tokens in _SEQUENCES if 2 * sum(len(token) == 1 for token in tokens) >= len(tokens)
}
_END_ONLY = {name_tokens(spelling) for spelling in LEGAL_FORMS["civil"]}
# Forms written before the name ("OOO ROMASHKA", "JSC X", "FGUP Y"): only these are read from a
# misspelt word at the start of a name; elsewhere a word there is more likely a given name or a
# word of the name ("BEHAD POURGHANNAD" is not "Berhad Pourghannad").
_LEADING = {
    name_tokens(spelling)
    for spelling in ("ooo", "zao", "oao", "ao", "pao", "too", "tov", "llc", "jsc", "ojsc", "cjsc", "pjsc",
                     "jsco", "fgup", "gup", "mup", "ip")
}  # fmt: skip
# Words of legal forms, to recognise a misspelt form ("LIMIETD", "GMMBH", "AKTSLIONVRNOE"): one
# typing error in words of five letters or more, two in words of eight letters or more.
_FORM_WORDS = sorted({token for tokens in _SEQUENCES for token in tokens if len(token) >= 4})
_FORM_WORD_SET = frozenset(_FORM_WORDS)
_LONG_FORM_WORD = 8
_LOOSE_FORM_WORD = 6  # inside a form of several words ("OPEN JOINT STOCK UCOPANY")
_SHORT_FORMS = {tokens[0] for tokens in _SEQUENCES if len(tokens) == 1 and len(tokens[0]) == 3}
_FOUR_LETTER_FORMS = {token for token in _FORM_WORDS if len(token) == 4}
_SEQUENCES_ONE = {tokens[0] for tokens in _SEQUENCES if len(tokens) == 1}
_TWO_LETTER_FORMS = {tokens[0] for tokens in _SEQUENCES if len(tokens) == 1 and len(tokens[0]) == 2}
_FORMS_BY_LETTERS: dict[str, list[str]] = {}
for _form in sorted(_SHORT_FORMS | _FOUR_LETTER_FORMS):
    _FORMS_BY_LETTERS.setdefault("".join(sorted(_form)), []).append(_form)
_UNWORDLIKE_FORM_WORDS = sorted(
    {"cjsc", "dmcc", "fgup", "fzco", "gmbh", "jsco", "ltda", "ojsc", "pjsc", "pllc"}
    | {token for tokens in _SEQUENCES if len(tokens) > 1 for token in tokens if len(token) >= 4}
)


@lru_cache(maxsize=100_000)
def respelt_form_word(token: str, *, loose: bool = False) -> str:
    """The legal-form word a token misspells by one edit (two when ``loose`` and the word has six
    letters or more), or the token itself."""
    if token in _FORM_WORD_SET or token in _SHORT_FORMS or len(token) < 2:
        return token
    if len(token) == 2:
        # "OA" for "AO": swapped letters of a two-letter form that is no form itself
        swapped_form = token[::-1]
        # ("GA" may be a word; two vowels or two consonants are not).
        wordlike = len({char in "aeiouy" for char in token}) > 1
        known = swapped_form in _TWO_LETTER_FORMS and token not in _SEQUENCES_ONE
        return swapped_form if known and not wordlike else token
    if len(token) <= 4:
        # "ldt" for "ltd", "gmhb" for "gmbh": swapped letters. One other letter off a short word
        # makes another word ("cook" is not a misspelt "coop"), except for forms no word resembles
        # ("ojqc" is a misspelt "ojsc") and words of forms spelled in several words ("joit stock").
        swapped = [
            form
            for form in _FORMS_BY_LETTERS.get("".join(sorted(token)), [])
            if OSA.distance(token, form) == 1
        ]
        if len(swapped) == 1:
            return swapped[0]
        if len(token) == 3:
            return token
        near = [word for word in _UNWORDLIKE_FORM_WORDS if OSA.distance(token, word) == 1]
        return near[0] if len(near) == 1 else token
    close = sorted(
        (distance, word)
        for word, distance, _ in process.extract(
            token, _FORM_WORDS, scorer=OSA.distance, score_cutoff=2, limit=None
        )
        if distance <= (2 if len(word) >= (_LOOSE_FORM_WORD if loose else _LONG_FORM_WORD) else 1)
    )
    return close[0][1] if close else token


def _with_respelt_edges(tokens: list[str], *, loose: bool = False) -> list[str]:
    edge = min(_LONGEST, len(tokens))
    positions = set(range(edge)) | set(range(len(tokens) - edge, len(tokens)))
    return [
        respelt_form_word(token, loose=loose) if i in positions else token for i, token in enumerate(tokens)
    ]


@lru_cache(maxsize=100_000)
def split_legal_forms(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The name's core tokens and the legal forms found at its start or end.

    >>> split_legal_forms(("ooo", "achim", "development"))
    (('achim', 'development'), ('llc',))
    >>> split_legal_forms(("grupo", "alfa", "s", "a", "de", "c", "v"))
    (('grupo', 'alfa'), ('jsc',))
    """
    core = _with_respelt_edges(list(tokens))
    if core == list(tokens) or not _has_form_at_edge(core):
        core = list(tokens)
    loose = _with_respelt_edges(list(tokens), loose=True)
    if loose != core and _has_form_at_edge(loose, words=2):
        core = loose  # two typing errors in one word of a form of several words
    written = list(tokens)  # the tokens as written, in step with core
    forms: list[str] = []
    changed = True
    while changed and len(core) > 1:
        changed = False
        for size in range(min(_LONGEST, len(core) - 1), 0, -1):
            tail = tuple(core[-size:])
            if tail in _SEQUENCES:
                forms.append(_SEQUENCES[tail])
                del core[-size:], written[-size:]
                changed = True
                break
            head = tuple(core[:size])
            if _leads(head, tuple(written[:size])):
                forms.append(_SEQUENCES[head])
                del core[:size], written[:size]
                changed = True
                break
    return tuple(written), tuple(forms)


def _leads(head: tuple[str, ...], written: tuple[str, ...]) -> bool:
    """Whether the first words of a name are a legal form written before it."""
    if head not in _SEQUENCES or head in _SINGLE_LETTER_FORMS or head in _END_ONLY:
        # "S A Smith" is a person with initials, not a company: spelled-out forms only at the end.
        return False
    return head == written or len(head) > 1 or head in _LEADING


# Abbreviated forms that are no word: a token one typing error away from one of them, at the end of
# a name (or at its start, for forms written first), is that form mistyped ("LC", "LLO", "JDSC",
# "IQC") -- unless it is one of the few words that are that close (*led* is no *Ltd*), or a list uses
# it as a word (see ScreeningIndex).
_ABBREVIATED_FORMS = ("llc", "ltd", "inc", "plc", "jsc", "ojsc", "pjsc", "cjsc", "gmbh", "pllc", "ltda")
# Russian forms made of vowels: a letter added or dropped ("OOTO", "OO", "GZAO"), as a letter changed
# makes a name ("MAO", "TAO").
_VOWEL_FORMS = ("ooo", "oao", "zao")
_WORDS_NEAR_FORMS = frozenset(
    ["inn", "ink", "int", "ind", "ins", "ing", "inch", "inca", "zinc", "lad", "led", "lid", "pic",
     "ply", "lac", "loc", "lada", "leda"]
)  # fmt: skip
_LEADING_ABBREVIATED = tuple(form for form in _ABBREVIATED_FORMS if (form,) in _LEADING)
# Forms glued to the word before them ("TECHMAGMBH", "AWTRONICSLLC", "POWERCORPORATION").
# (Not "ZAO" or "OAO": "URALMASHZAO" is a misspelt "Uralmashzavod" more likely than "Uralmash ZAO".)
_GLUED_FORMS = ("llc", "ltd", "gmbh", "jsc", "ojsc", "pjsc", "cjsc", "pllc", "ltda",
                "corporation", "company", "limited", "incorporated")  # fmt: skip
_GLUED_FORM_REMAINDER = 4


@lru_cache(maxsize=50_000)
def mistyped_form(token: str, *, leading: bool = False) -> str | None:
    """The legal form (canonical) that a token at the edge of a name mistypes, or ``None``: one typing
    error from an abbreviated form that is no word; a two-letter token only by a dropped letter
    (``lc`` for ``llc``)."""
    if not token.isalpha() or len(token) < 2 or (token,) in _SEQUENCES or token in _WORDS_NEAR_FORMS:
        return None
    for form in _LEADING_ABBREVIATED if leading else _ABBREVIATED_FORMS:
        if OSA.distance(token, form) == 1 and (len(token) > 2 or len(form) == 3):
            return _SEQUENCES[(form,)]
    for form in _VOWEL_FORMS:
        # At the start, only with a letter of the form itself added ("OOAO"): "OLAO" is a given name.
        own_letters = not leading or set(token) <= set(form)
        if abs(len(token) - len(form)) == 1 and OSA.distance(token, form) == 1 and own_letters:
            return _SEQUENCES[(form,)]
    return None


# Forms spelt as one word, and those of them written first.
_ONE_WORD_SPELLINGS = sorted({tokens[0] for tokens in _SEQUENCES if len(tokens) == 1 and len(tokens[0]) >= 2})
_LEADING_ONE_WORD = sorted({tokens[0] for tokens in _LEADING if len(tokens) == 1 and len(tokens[0]) >= 2})
_RESEMBLED_FORM_LENGTH = 5  # from five letters, a word may be two typing errors from a form's spelling


@lru_cache(maxsize=50_000)
def resembled_forms(token: str, *, leading: bool = False) -> frozenset[str]:
    """The legal forms (canonical) that a word at the edge of a name may be, misspelt: one typing
    error from a one-word spelling, two when both have five letters or more (``TD`` and ``LIMTD`` for
    *Ltd*, ``INS`` for *Inc*, ``UAO`` for *ZAO*, ``ODSC`` for *OJSC*); ``leading``: forms written
    first. Many words are that close to some form ("MAO", "SUN"), so a name is read without such a
    word only against a listed name that has one of these forms (``edge_form_readings``)."""
    if len(token) < 2 or not token.isalpha() or (token,) in _SEQUENCES:
        return frozenset()
    found = set()
    for spelling in _LEADING_ONE_WORD if leading else _ONE_WORD_SPELLINGS:
        allowed = 2 if min(len(token), len(spelling)) >= _RESEMBLED_FORM_LENGTH else 1
        if OSA.distance(token, spelling, score_cutoff=allowed) <= allowed:
            found.add(_SEQUENCES[(spelling,)])
    return frozenset(found)


# Every word of a legal form's spellings of three letters or more ("ojsc", "liability", "company").
FORM_SPELLING_WORDS: frozenset[str] = frozenset(
    token for tokens in _SEQUENCES for token in tokens if len(token) >= 3
)
# Forms written first that are no word's start: what follows them in one token is the name
# ("PJSCVTB", "OJSCORENBURGNEFT").
LEADING_GLUED_FORMS = frozenset({"llc", "jsc", "ojsc", "pjsc", "cjsc", "ooo", "oao", "zao"})


@lru_cache(maxsize=50_000)
def glued_form(token: str) -> tuple[str, str] | None:
    """A token that ends with an abbreviated form glued to the word before it: the word and the form
    (canonical), or ``None``."""
    for form in _GLUED_FORMS:
        if token.endswith(form) and len(token) - len(form) >= _GLUED_FORM_REMAINDER and token.isalpha():
            return token[: -len(form)], _SEQUENCES[(form,)]
    return None


def _has_form_at_edge(tokens: list[str], *, words: int = 1) -> bool:
    return any(
        tuple(tokens[-size:]) in _SEQUENCES or tuple(tokens[:size]) in _SEQUENCES
        for size in range(words, min(_LONGEST, len(tokens) - 1) + 1)
    )


# Words of legal forms that are neither everyday words nor given names: wherever they stand in a
# name (a form in the middle, a form the table does not know whole), they carry no information.
_EVERYDAY_FORM_WORDS = frozenset(
    ["and", "closed", "federal", "free", "individual", "joint", "open", "private", "public", "sole",
     "state", "stock", "zone", "san", "tic", "sti", "mit", "too", "pao", "asa", "cia", "doo", "tov",
     "spa", "epp"]
)  # fmt: skip
FORM_WORDS: frozenset[str] = frozenset(
    token
    for tokens in _SEQUENCES
    for token in tokens
    if len(token) >= 3 and token not in _EVERYDAY_FORM_WORDS
)


def is_generic_word(token: str) -> bool:
    """Whether a token is a generic business word, a particle or a legal-form word: words that tell
    companies apart poorly and can never make a match on their own."""
    return token in GENERIC_WORDS or token in FORM_WORDS


def looks_like_organization(tokens: tuple[str, ...]) -> bool:
    """Whether a name carries a legal form or a business word (used when the list gives no type)."""
    core, forms = split_legal_forms(tokens)
    return bool(forms) or any(token in _ORGANIZATION_HINTS for token in core)


_RESEMBLED_WORDS = sorted(
    word for word in GENERIC_WORDS | FORM_WORDS | _EVERYDAY_FORM_WORDS if len(word) >= 3
)
_RESEMBLED_FORM_WORDS = sorted(FORM_SPELLING_WORDS)  # every form word of three letters or more


@lru_cache(maxsize=100_000)
def generic_resemblance(token: str) -> float:
    """How much a token that is no generic word looks like a misspelt one, 0 to 1: the similarity
    of the closest generic or legal-form word within one typing error (two from six letters on).

    A query's misspelt legal form ("LIMITEUHD", "OJS", "UCOPANY") then weighs about what the form
    would, instead of counting against the name as a word no list has.

    >>> round(generic_resemblance("limiteuhd"), 2), generic_resemblance("rexford")
    (0.78, 0.0)
    """
    if len(token) < 3 or not token.isalpha() or is_generic_word(token):
        return 0.0
    allowed = 2 if len(token) >= 6 else 1
    words = _RESEMBLED_FORM_WORDS if len(token) == 3 else _RESEMBLED_WORDS
    found = process.extractOne(token, words, scorer=OSA.distance, score_cutoff=allowed)
    if found is None:
        return 0.0
    word, distance, _ = found
    return 1 - distance / max(len(word), len(token))
