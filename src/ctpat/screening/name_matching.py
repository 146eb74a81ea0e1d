"""How two names are compared: the reference implementation, one pair at a time.

A name is prepared once (:func:`prepare_name`): cleaned and transliterated tokens, legal forms taken
off, and the glued forms used for split/glued tokens. Two prepared names are then compared token by
token without regard to order (so ``SURNAME, Given`` meets ``Given Surname``): each token on either
side takes its best counterpart, and the score is the weighted share of both sides that found one::

    score = (Σ w(q)·best(q) + Σ w(c)·best(c)) / (Σ w(q) + Σ w(c))

(when one name's tokens are all in the other, the other's extra tokens weigh half in the divisor).

Token weights come from how common a token is on the lists (a rare surname weighs more than
*Mohammed* or *Bank*); generic words and legal forms cannot make a match by themselves. The
candidate index (:mod:`ctpat.screening.index`) computes exactly this score for many names at once
with array operations; tests compare the two.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel, Levenshtein

from .legal_forms import generic_resemblance, is_generic_word, resembled_forms, split_legal_forms
from .model import PartyType
from .normalisation import name_readings, name_tokens, natural_order

# Tuned on perturbed list names and on non-listed names (see docs/screening.md); not per list.
TOKEN_FLOOR = 0.55  # a token similarity below this counts as no match at all
INITIAL_SIMILARITY = 0.9  # credit of an initial that matches a word ("J" against "John")
INITIAL_WORD_CREDIT = 0.55  # credit of the word matched only by an initial: an initial says little
PHONETIC_SIMILARITY = 0.86  # same phonetic key, different spelling ("Mohammed" / "Muhammad")
PREFIX_BASE = 0.55  # a token that is the start of another ("Zah" / "Zahhar"), plus its covered share
GLUE_FACTOR = 0.97  # glued/split tokens compared as one string, slightly discounted
GENERIC_CAP = 0.5  # most a name can score when only generic words and legal forms agree
DISTINCT_MATCH = 0.65  # a token similarity that counts as a real match of a distinctive token
# When every token of a name of two distinctive words or more is found in the other name (similarity
# EXTRA_MATCH or more, each by a token of its own), the other name's extra tokens (a middle name, a
# patronymic, one more word) count for half their weight.
EXTRA_TOKEN_FACTOR = 0.5
EXTRA_MATCH = 0.85
GLUE_MIN_LENGTH = 6
GLUE_MIN_SIMILARITY = 0.88  # below this, the glued comparison says nothing the tokens did not
# Names written without spaces of nearly the same length (GLUE_TYPO_LENGTH letters apart at most)
# count from GLUE_TYPO_SIMILARITY: two typing errors in a name of eleven letters ("ALIWALHA" for
# "ALI ALHAY"). A longer name is not a typo: it has a word more ("COMERCIALIZADORA HERVIA").
GLUE_TYPO_LENGTH = 2
GLUE_TYPO_SIMILARITY = 0.82
# A name written as the other but for a typing error or two, legal forms and spaces included ("VTBD C
# LTD" for "VTB DC LTD", "ROSTELEKOM RJSL" for "ROSTELEKOM PJSC"): each error costs this much of
# GLUE_FACTOR (allowed_edits of the shorter name's distinctive letters).
SPELT_EDIT_COST = 0.08
# The same for a query cut off inside a word, as fixed-length fields of trade documents cut names:
# written without spaces (TRUNCATED_MIN_LENGTH letters or more) it starts the listed name's, and its
# last word is no word of the listed name ("NICKY LEE QU" for "NICKY LEE QUIROZ").
TRUNCATED_MIN_LENGTH = 12
# A name's last word of CUT_WORD_LENGTH letters or more that starts a longer word may be that word cut
# off: it counts as no typing error for a lone distinctive word ("JSC SIBNEFTEPR", "TEKHNOD").
CUT_WORD_LENGTH = 7
PHONETIC_MIN_KEY = 3  # shorter consonant skeletons ("lf", "km") collide too often
PHONETIC_MIN_SPELLING = 0.6  # and the spellings must still be more than half alike
LONE_EXACT_LENGTH = 5  # a name's only distinctive token of up to 5 letters must be equal
LONE_ONE_EDIT_LENGTH = 6  # of 6 letters: one typing error; longer: two
ABBREVIATION_LENGTH = 4  # from 4 letters, an abbreviation without vowels may carry one typing error
# A lone distinctive token of 4 or 5 letters may carry one typing error when the rest of both
# names agrees word for word ("GULOBE TRADE" / "GLOBE TRADE", "T. K. OHAN" / "T. K. MOHAN"): both names
# have other words, and every word but the lone one has a counterpart of EXTRA_MATCH or more.
SUPPORTED_LONE_LENGTH = 4
INITIAL_WEIGHT = 0.3  # most a single letter weighs: an initial, or a letter after a hyphen ("GEFEST-M")
PAIR_GENERIC_WEIGHT = 0.15  # a generic word's weight when two names are scored without list statistics
TRANSPOSITION_COST = 0.5  # two neighbouring letters swapped: the commonest typing error, half an edit
# A query token that the lists would not write (it holds a pair of letters that they rarely do:
# "EXRFORD", "AVMXAIR") shows a typing error; its first typing error costs half an edit, and does not
# count against the lone distinctive token (see ScreeningIndex.looks_mistyped).
MISTYPED_COST = 0.5
# Legal forms do not make a match, but they tell apart otherwise equal names ("SKY BLUE BIRD FZC" and
# "SKY BLUE BIRD LTD"): a form on one side only, or forms of different kinds, take a little off.
FORM_MISSING_PENALTY = 0.004
FORM_CONFLICT_PENALTY = 0.008

_VOWELS = re.compile(r"[aeiouy]")
_DIGRAPHS = (
    ("sch", "s"), ("tch", "c"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"),
    ("sh", "s"), ("ch", "c"), ("zh", "j"), ("ck", "k"), ("ts", "s"), ("tz", "s"), ("dj", "j"),
    ("dz", "j"), ("ks", "x"), ("q", "k"), ("c", "k"), ("z", "s"), ("w", "v"),
)  # fmt: skip
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=100_000)
def phonetic_key(token: str) -> str:
    """A consonant skeleton that spelling and transliteration variants share.

    >>> phonetic_key("mohammed"), phonetic_key("muhammad"), phonetic_key("mhmd")
    ('mhmd', 'mhmd', 'mhmd')
    """
    if not token.isalpha():
        return token
    key = token
    for old, new in _DIGRAPHS:
        key = key.replace(old, new)
    key = _VOWELS.sub("", key)
    # An h that ends a word or follows a consonant is silent ("Ahmad"/"Ahmed" keep it, "Shah" drops it).
    key = re.sub(r"(?<=[^aeiouy])h|h$", "", key) if len(key) > 2 else key
    return _REPEATS.sub(r"\1", key)


def token_credits(query_token: str, list_token: str, *, mistyped: bool = False) -> tuple[float, float]:
    """The credit each token gets from the other: equal but for an initial against a word.

    An initial earns most of its (small) weight from the word it abbreviates, but the word earns
    little from an initial, so that initials alone cannot make two names match.
    """
    similarity = token_similarity(query_token, list_token, mistyped=mistyped)
    if similarity and len(query_token) == 1 and len(list_token) > 1:
        return similarity, INITIAL_WORD_CREDIT
    if similarity and len(list_token) == 1 and len(query_token) > 1:
        return INITIAL_WORD_CREDIT, similarity
    return similarity, similarity


@lru_cache(maxsize=200_000)
def edit_counts(first: str, second: str) -> tuple[int, int]:
    """The OSA distance of two tokens and how many of its edits are swapped neighbouring letters
    (a swap is one OSA edit and two Levenshtein edits)."""
    distance = OSA.distance(first, second)
    return distance, Levenshtein.distance(first, second) - distance


@lru_cache(maxsize=200_000)
def token_similarity(query_token: str, list_token: str, *, mistyped: bool = False) -> float:
    """How alike two tokens are, 0 to 1; numbers must be equal, initials match their word.

    ``mistyped``: the query token shows a typing error (:data:`MISTYPED_COST`)."""
    if query_token == list_token:
        return 1.0
    if not (query_token.isalpha() and list_token.isalpha()):
        return 0.0
    if len(query_token) == 1 or len(list_token) == 1:
        return INITIAL_SIMILARITY if query_token[0] == list_token[0] else 0.0
    distance, swaps = edit_counts(query_token, list_token)
    shown = MISTYPED_COST if mistyped and distance > swaps else 0.0
    similarity = 1 - (distance - TRANSPOSITION_COST * swaps - shown) / max(len(query_token), len(list_token))
    key_q, key_l = phonetic_key(query_token), phonetic_key(list_token)
    if key_q == key_l and len(key_q) >= PHONETIC_MIN_KEY and similarity >= PHONETIC_MIN_SPELLING:
        similarity = max(similarity, PHONETIC_SIMILARITY)
    if len(query_token) >= 3 and list_token.startswith(query_token):
        similarity = max(similarity, PREFIX_BASE + (1 - PREFIX_BASE) * len(query_token) / len(list_token))
    return similarity if similarity >= TOKEN_FLOOR else 0.0


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name ready for comparison: core tokens, the legal forms taken off, glued forms."""

    text: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]
    glued: tuple[str, ...]
    # The whole name as written, legal forms included, without spaces (the query's first); also
    # reordered when written "SURNAME, Given".
    spelt: tuple[str, ...]

    distinctive: tuple[bool, ...]  # tokens that can make a match: not generic words, not initials
    form_at_end: bool = False  # a legal form ends the name ("… LLC"): a company's name, not a person's

    @property
    def distinctive_words(self) -> tuple[str, ...]:
        """The tokens that can make a match (see ``distinctive``)."""
        return tuple(token for token, flag in zip(self.tokens, self.distinctive, strict=True) if flag)

    @property
    def distinctive_letters(self) -> int:
        """The letters of the name's distinctive tokens, together."""
        return sum(map(len, self.distinctive_words))


def _glued_form(tokens: Sequence[str]) -> str:
    return "".join(tokens)


def is_distinctive(token: str) -> bool:
    """Whether a token can make a match: not a generic word, not an initial."""
    return len(token) > 1 and not is_generic_word(token)


def prepare_name(text: str, *, party_type: PartyType = PartyType.UNKNOWN) -> PreparedName:
    """Clean, transliterate and tokenise a name; take legal forms off unless it is a person's."""
    written = tokens = name_tokens(text)
    forms: tuple[str, ...] = ()
    if party_type is not PartyType.PERSON:
        tokens, forms = split_legal_forms(tokens)
    glued = [_glued_form(tokens)]
    spelt = [_glued_form(written)]
    reordered = natural_order(text)
    if reordered != text:
        reordered_tokens = name_tokens(reordered)
        spelt.append(_glued_form(reordered_tokens))
        if party_type is not PartyType.PERSON:
            reordered_tokens = split_legal_forms(reordered_tokens)[0]
        glued.append(_glued_form(reordered_tokens))
    distinctive = tuple(map(is_distinctive, tokens))
    at_end = bool(forms) and tokens[-1:] != written[-1:]
    return PreparedName(
        text, tokens, forms, tuple(dict.fromkeys(glued)), tuple(dict.fromkeys(spelt)), distinctive, at_end
    )


def with_legal_forms(
    prepared: PreparedName, tokens: Sequence[str], forms: Sequence[str], *, at_end: bool
) -> PreparedName:
    """A prepared name of which more tokens turned out to be legal forms (``at_end``: one ends it)."""
    core = tuple(tokens)
    distinctive = tuple(map(is_distinctive, core))
    glued = (_glued_form(core),)
    return PreparedName(
        prepared.text, core, tuple(forms), glued, prepared.spelt, distinctive, prepared.form_at_end or at_end
    )


@dataclass(frozen=True, slots=True)
class Reading:
    """One way of reading a query name: as written, or otherwise with ``note`` saying how. A reading
    with ``forms`` counts only against a listed name that has one of those legal forms."""

    prepared: PreparedName
    note: str = ""
    forms: frozenset[str] | None = None


def edge_form_readings(prepared: PreparedName, party_type: PartyType) -> list[Reading]:
    """The readings of a company's name without its last or first word, where that word may be a
    misspelt legal form (:func:`~ctpat.screening.legal_forms.resembled_forms`): "REFXORD TD." is also
    read as "REFXORD" against names that end with *Ltd*. None for a person's name."""
    tokens = prepared.tokens
    if party_type is PartyType.PERSON or len(tokens) < 2:
        return []
    readings = []
    for position, leading in ((len(tokens) - 1, False), (0, True)):
        forms = resembled_forms(tokens[position], leading=leading)
        if forms:
            rest = tokens[:position] + tokens[position + 1 :]
            reading = with_legal_forms(prepared, rest, prepared.legal_forms, at_end=False)
            readings.append(Reading(reading, f"{tokens[position]!r} read as a misspelt legal form", forms))
    return readings


@dataclass(frozen=True, slots=True)
class TokenAlignment:
    """One query token and the list token it aligned with."""

    query_token: str
    list_token: str
    similarity: float
    weight: float
    mistyped: bool = False


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The score of one name against another and how it came about."""

    score: float
    token_score: float
    glued_score: float
    alignments: tuple[TokenAlignment, ...]
    unmatched_list_tokens: tuple[str, ...]
    generic_only: bool
    lone_token: bool = False
    form_penalty: float = 0.0
    extra_words: bool = False  # one name's words all in the other: the other's extra words weigh half
    one_word_of_person: bool = False  # one word of a listed person's name found, the others not
    spelt_score: float = 0.0  # the whole names written alike (spelt_similarity)

    def describe(self) -> str:
        """A one-line account: aligned tokens with their similarity and weight, and what was left."""
        parts = [
            f"{a.query_token}={a.list_token} {a.similarity:.2f}x{a.weight:.2f}"
            + (" (mistyped)" if a.mistyped else "")
            if a.list_token
            else f"{a.query_token}=- 0x{a.weight:.2f}"
            for a in self.alignments
        ]
        text = "tokens " + ", ".join(parts)
        if self.unmatched_list_tokens:
            text += "; unmatched on list: " + " ".join(self.unmatched_list_tokens)
        if self.extra_words:
            text += "; extra words weigh half"
        text += f"; token score {self.token_score:.3f}"
        if self.glued_score > self.token_score:
            if self.spelt_score >= self.glued_score:
                text += f"; written alike but for spaces and typing errors {self.spelt_score:.3f}"
            else:
                text += f"; glued/split {self.glued_score:.3f}"
        if self.generic_only:
            text += f"; only generic words agree (capped at {GENERIC_CAP})"
        elif self.lone_token:
            text += f"; the only distinctive token differs too much (capped at {GENERIC_CAP})"
        elif self.one_word_of_person:
            text += f"; one word of a person's name alone (capped at {GENERIC_CAP})"
        if self.form_penalty:
            text += f"; legal form {'differs' if self.form_penalty >= FORM_CONFLICT_PENALTY else 'on one side only'} -{self.form_penalty}"
        return text


def glued_digits(glued: str) -> str:
    """The digits of a name written without spaces, in order: they must agree for the glued names to
    count ("7TH OF TIR" is not "8TH OF TIR")."""
    return "".join(char for char in glued if char.isdigit())


def glued_similarity(query: PreparedName, listed: PreparedName) -> float:
    """Similarity of the names written without spaces, for glued or split tokens."""
    best = 0.0
    probe = query.glued[0]
    if len(probe) < GLUE_MIN_LENGTH:
        return 0.0
    digits = glued_digits(probe)
    for form in listed.glued:
        if len(form) >= GLUE_MIN_LENGTH and glued_digits(form) == digits:
            similarity = Indel.normalized_similarity(probe, form)
            close = abs(len(probe) - len(form)) <= GLUE_TYPO_LENGTH or (
                len(probe) >= TRUNCATED_MIN_LENGTH
                and form.startswith(probe)
                and query.tokens[-1] not in listed.tokens
            )
            if similarity >= (GLUE_TYPO_SIMILARITY if close else GLUE_MIN_SIMILARITY):
                best = max(best, similarity)
    return best * GLUE_FACTOR


def spelt_similarity(query: PreparedName, listed: PreparedName) -> float:
    """The whole names, legal forms included, written without spaces: :data:`GLUE_FACTOR` less
    :data:`SPELT_EDIT_COST` per typing error, when they differ by no more errors than the shorter
    name's distinctive letters allow (:func:`allowed_edits`: none up to five letters), and their
    numbers agree; else 0. It finds a space moved or a legal form mangled ("JON TSTOCK COMPANY") beside
    words that are otherwise equal. :func:`compare_names` counts two typing errors only between names
    that share a distinctive word (*Priya Sen* is not *Ali Yasen*, two letters apart)."""
    probe = query.spelt[0]
    if len(probe) < GLUE_MIN_LENGTH:
        return 0.0
    allowed = allowed_edits(min(query.distinctive_letters, listed.distinctive_letters))
    digits = glued_digits(probe)
    best = 0.0
    for form in listed.spelt:
        if len(form) >= GLUE_MIN_LENGTH and glued_digits(form) == digits:
            errors = OSA.distance(probe, form, score_cutoff=allowed)
            if errors <= allowed:
                best = max(best, GLUE_FACTOR - SPELT_EDIT_COST * errors)
    return best


def compare_names(
    query: PreparedName,
    listed: PreparedName,
    *,
    query_weights: Sequence[float],
    list_weights: Sequence[float],
    mistyped: Sequence[bool] = (),
    listed_person: bool = False,
) -> NameComparison:
    """Score two prepared names (the reference for the index's vectorised scoring).

    ``mistyped`` flags the query tokens that show a typing error (none when not given);
    ``listed_person``: the listed name is a person's, which one of its words alone does not find."""
    if not query.tokens or not listed.tokens:
        return NameComparison(0.0, 0.0, 0.0, (), listed.tokens, False)
    shown = tuple(mistyped) or (False,) * len(query.tokens)
    credits = [
        [token_credits(q, c, mistyped=flag) for c in listed.tokens]
        for q, flag in zip(query.tokens, shown, strict=True)
    ]
    sims = [[credit[0] for credit in row] for row in credits]
    best_list = [max(credits[i][j][1] for i in range(len(query.tokens))) for j in range(len(listed.tokens))]
    alignments = []
    for i, q in enumerate(query.tokens):
        j = max(range(len(listed.tokens)), key=lambda k, row=sims[i]: row[k])  # type: ignore[misc]
        matched = listed.tokens[j] if sims[i][j] > 0 else ""
        alignments.append(TokenAlignment(q, matched, sims[i][j], query_weights[i], shown[i]))
    covered = sum(a.similarity * a.weight for a in alignments)
    covered += sum(s * w for s, w in zip(best_list, list_weights, strict=True))
    extra = 0.0
    q_close = sum(a.similarity >= EXTRA_MATCH for a in alignments)
    l_close = sum(s >= EXTRA_MATCH for s in best_list)
    if sum(query.distinctive) >= 2 and q_close == len(query.tokens) <= l_close:
        extra += sum(w for s, w in zip(best_list, list_weights, strict=True) if s == 0)
    if sum(listed.distinctive) >= 2 and l_close == len(listed.tokens) <= q_close:
        extra += sum(a.weight for a in alignments if a.similarity == 0)
    total = sum(query_weights) + sum(list_weights) - (1 - EXTRA_TOKEN_FACTOR) * extra
    token_score = covered / total
    spelt = spelt_similarity(query, listed)
    if spelt < GLUE_FACTOR - SPELT_EDIT_COST and not _shares_a_word(query, listed, sims):
        spelt = 0.0
    glued = max(glued_similarity(query, listed), spelt)
    score = max(token_score, glued)
    generic_only = not _distinctive_match(query, listed, sims, best_list, glued)
    supported = (
        len(query.tokens) >= 2
        and len(listed.tokens) >= 2
        and _rest_agrees(query, [a.similarity for a in alignments])
        and _rest_agrees(listed, best_list)
    )
    # The whole names written alike vouch for a lone token, as the names written without spaces do.
    lone_token = (
        not generic_only and spelt == 0 and not _lone_token_agrees(query, listed, shown, supported=supported)
    )
    one_word = listed_person and glued == 0 and _one_word_of_person(query, listed, best_list)
    if generic_only or lone_token or one_word:
        score = min(score, GENERIC_CAP)
    penalty = form_penalty(query.legal_forms, listed.legal_forms)
    score = max(0.0, score - penalty)
    unmatched = tuple(c for c, s in zip(listed.tokens, best_list, strict=True) if s == 0)
    return NameComparison(
        score,
        token_score,
        glued,
        tuple(alignments),
        unmatched,
        generic_only,
        lone_token,
        penalty,
        extra > 0,
        one_word,
        spelt,
    )


def _one_word_of_person(query: PreparedName, listed: PreparedName, best_list: Sequence[float]) -> bool:
    """A query of one distinctive word that finds one word of a person's name of several (a surname
    alone, "Mathieu" for "Khaled Mathieu"); an initial that matches counts as a word found."""
    found = sum(flag and best > 0 for flag, best in zip(listed.distinctive, best_list, strict=True))
    return sum(query.distinctive) <= 1 and sum(listed.distinctive) >= 2 and found <= 1


def form_key(forms: Sequence[str]) -> tuple[str, ...]:
    """Legal forms compared without regard to order or repetition."""
    return tuple(sorted(set(forms)))


def form_penalty(query_forms: Sequence[str], listed_forms: Sequence[str]) -> float:
    """What the legal forms take off a name score: nothing when they agree (or neither name has
    one), a little when only one name has one, a little more when they are of different kinds."""
    first, second = form_key(query_forms), form_key(listed_forms)
    if first == second:
        return 0.0
    return FORM_MISSING_PENALTY if not first or not second else FORM_CONFLICT_PENALTY


def allowed_edits(length: int) -> int:
    """Typing errors a name's only distinctive token may carry: none up to five letters, one in six,
    two beyond. One letter off a short word makes another word (*Mars* / *Mans*, *Shell* / *Smell*);
    a token that shows its typing error is allowed one more (:data:`MISTYPED_COST`)."""
    return 0 if length <= LONE_EXACT_LENGTH else 1 if length <= LONE_ONE_EDIT_LENGTH else 2


def lone_token_supportable(token: str) -> bool:
    """Whether a lone token may carry one typing error more when the rest of both names agrees: a
    word of four or five letters (longer words already may carry one or two)."""
    return SUPPORTED_LONE_LENGTH <= len(token) <= LONE_EXACT_LENGTH


def lone_token_edits(token: str, *, supported: bool = False) -> int:
    """:func:`allowed_edits` of a token, and one for an abbreviation of four or five letters that is
    no word (no vowel: *CNNC*, *FDLR*): one letter off it makes no other word, only a typo. One more
    when the rest of both names agrees (``supported``, :data:`SUPPORTED_LONE_LENGTH`)."""
    if supported and lone_token_supportable(token):
        return lone_token_edits(token) + 1
    if ABBREVIATION_LENGTH <= len(token) <= LONE_EXACT_LENGTH and not any(c in "aeiouy" for c in token):
        return 1
    return allowed_edits(len(token))


def _distinctive_match(
    query: PreparedName, listed: PreparedName, sims: list[list[float]], best_list: list[float], glued: float
) -> bool:
    """Whether more than generic words agree: a distinctive token on each side that match, or the
    names written without spaces (glued/split tokens). Names made only of generic words and
    initials must agree token for token."""
    q_distinct, l_distinct = query.distinctive, listed.distinctive
    if not any(q_distinct) or not any(l_distinct):
        return (
            len(query.tokens) == len(listed.tokens)
            and all(max(row) >= DISTINCT_MATCH for row in sims)
            and all(s >= DISTINCT_MATCH for s in best_list)
        )
    return glued > 0 or _shares_a_word(query, listed, sims)


def _shares_a_word(query: PreparedName, listed: PreparedName, sims: Sequence[Sequence[float]]) -> bool:
    """A distinctive word of each name that match (:data:`DISTINCT_MATCH`)."""
    return any(
        sims[i][j] >= DISTINCT_MATCH
        for i in range(len(query.tokens))
        for j in range(len(listed.tokens))
        if query.distinctive[i] and listed.distinctive[j]
    )


def _lone_token_agrees(
    query: PreparedName, listed: PreparedName, mistyped: Sequence[bool], *, supported: bool = False
) -> bool:
    """A name with a single distinctive token (on either side) matches only when that token is
    nearly equal to one of the other name's tokens (see :func:`lone_token_edits`; ``supported``: the
    rest of both names agrees), or the two names written without spaces are."""
    # Every (query token, listed token) pair, with its typing errors (none for the query's last word
    # cut off).
    last = len(query.tokens) - 1
    pairs = [
        (q, c, 0 if i == last and cut_off(q, c) else typing_errors(q, c, mistyped=flag))
        for i, (q, flag) in enumerate(zip(query.tokens, mistyped, strict=True))
        for c in listed.tokens
    ]
    for side, name in ((1, listed), (0, query)):
        for position in _lone_positions(name):
            token = name.tokens[position]
            allowed = lone_token_edits(token, supported=supported)
            close = any(errors <= allowed for q, c, errors in pairs if (q, c)[side] == token)
            if not close and not _glued_close(query, listed):
                return False
    return True


def _rest_agrees(name: PreparedName, best: Sequence[float]) -> bool:
    """Every token of a name but its lone distinctive token (or, without one, but one token) has a
    counterpart of :data:`EXTRA_MATCH` or more in the other name."""
    far = [i for i, similarity in enumerate(best) if similarity < EXTRA_MATCH]
    lone = _lone_positions(name)
    return set(far) <= set(lone) if lone else len(far) <= 1


def _lone_positions(name: PreparedName) -> list[int]:
    """The position of a name's only distinctive token, or none."""
    positions = [i for i, flag in enumerate(name.distinctive) if flag]
    return positions if len(positions) == 1 else []


def cut_off(query_token: str, list_token: str) -> bool:
    """Whether a query's last word may be a listed word cut off: its start, of
    :data:`CUT_WORD_LENGTH` letters or more."""
    return (
        len(query_token) >= CUT_WORD_LENGTH
        and len(list_token) > len(query_token)
        and list_token.startswith(query_token)
        and query_token.isalpha()
    )


def typing_errors(first: str, second: str, *, mistyped: bool = False) -> int:
    """Edits between two tokens, not counting swapped neighbouring letters, nor the one typing
    error a ``mistyped`` token shows."""
    distance, swaps = edit_counts(first, second)
    return distance - swaps - (1 if mistyped and distance > swaps else 0)


def _glued_close(query: PreparedName, listed: PreparedName) -> bool:
    """The names written without spaces are nearly equal (*THANECOAT* / *THANE-COAT*); the edits
    allowed depend on the letters of the listed name's distinctive tokens alone."""
    probe = query.glued[0]
    allowed = allowed_edits(listed.distinctive_letters)
    return len(probe) >= GLUE_MIN_LENGTH and any(
        OSA.distance(probe, form) <= allowed for form in listed.glued
    )


def default_token_weight(token: str) -> float:
    """Weight of a token when no list statistics are at hand (pairs scored on their own)."""
    if is_generic_word(token):
        return PAIR_GENERIC_WEIGHT
    if len(token) == 1:
        return INITIAL_WEIGHT
    weight = 1.0 if len(token) > 3 else 0.7
    # A misspelt generic word or legal form weighs about what the word would.
    resemblance = generic_resemblance(token)
    return resemblance * PAIR_GENERIC_WEIGHT + (1 - resemblance) * weight


def score_pair(
    name1: str,
    name2: str,
    *,
    kind: str | None = None,
    weight: Callable[[str], float] = default_token_weight,
) -> float:
    """How likely two names designate the same party, from 0 to 1.

    ``kind`` is ``person``, ``organization``, ``vessel`` or ``aircraft`` when known; a person's name
    keeps tokens that would otherwise read as legal forms.

    >>> score_pair("HANIYA, Ismail", "Ismail Haniyah", kind="person") > 0.85
    True
    >>> score_pair("Alpha Trading LLC", "Omega Trading LLC", kind="organization") < 0.5
    True
    """
    party_type = PartyType(kind) if kind else PartyType.UNKNOWN
    # A name in Cyrillic is also read with the scholarly transliteration (``name_readings``).
    firsts = [prepare_name(text, party_type=party_type) for text in name_readings(name1)]
    seconds = [prepare_name(text, party_type=party_type) for text in name_readings(name2)]
    best = 0.0
    for first, second in itertools.product(firsts, seconds):
        for query, listed in ((first, second), (second, first)):
            # A word at the edge of a company's name that may be a misspelt form of the other's.
            queries = [query] + [
                reading.prepared
                for reading in edge_form_readings(query, party_type)
                if reading.forms and reading.forms.intersection(listed.legal_forms)
            ]
            for prepared in queries:
                comparison = compare_names(
                    prepared,
                    listed,
                    query_weights=[weight(t) for t in prepared.tokens],
                    list_weights=[weight(t) for t in listed.tokens],
                    listed_person=party_type is PartyType.PERSON,
                )
                best = max(best, comparison.score)
    return round(best, 4)
