"""How two names are compared: the reference implementation, one pair at a time.

A name is prepared once (:func:`prepare_name`): cleaned and transliterated tokens, legal forms taken
off, and the glued forms used for split/glued tokens. Two prepared names are then compared token by
token without regard to order (so ``SURNAME, Given`` meets ``Given Surname``): each token on either
side takes its best counterpart, and the score is the weighted share of both sides that found one::

    score = (Σ w(q)·best(q) + Σ w(c)·best(c)) / (Σ w(q) + Σ w(c))

Token weights come from how common a token is on the lists (a rare surname weighs more than
*Mohammed* or *Bank*); generic words and legal forms cannot make a match by themselves. The
candidate index (:mod:`ctpat.screening.index`) computes exactly this score for many names at once
with array operations; tests compare the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel

from .legal_forms import is_generic_word, split_legal_forms
from .model import PartyType
from .normalisation import name_tokens, natural_order

# Tuned on perturbed list names and on non-listed names (see docs/screening.md); not per list.
TOKEN_FLOOR = 0.55  # a token similarity below this counts as no match at all
INITIAL_SIMILARITY = 0.9  # credit of an initial that matches a word ("J" against "John")
INITIAL_WORD_CREDIT = 0.55  # credit of the word matched only by an initial: an initial says little
PHONETIC_SIMILARITY = 0.86  # same phonetic key, different spelling ("Mohammed" / "Muhammad")
PREFIX_BASE = 0.55  # a token that is the start of another ("Zah" / "Zahhar"), plus its covered share
GLUE_FACTOR = 0.97  # glued/split tokens compared as one string, slightly discounted
GENERIC_CAP = 0.5  # most a name can score when only generic words and legal forms agree
DISTINCT_MATCH = 0.75  # a token similarity that counts as a real match of a distinctive token
GLUE_MIN_LENGTH = 6
GLUE_MIN_SIMILARITY = 0.88  # below this, the glued comparison says nothing the tokens did not
PHONETIC_MIN_KEY = 3  # shorter consonant skeletons ("lf", "km") collide too often
PHONETIC_MIN_SPELLING = 0.6  # and the spellings must still be more than half alike

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


def token_credits(query_token: str, list_token: str) -> tuple[float, float]:
    """The credit each token gets from the other: equal but for an initial against a word.

    An initial earns most of its (small) weight from the word it abbreviates, but the word earns
    little from an initial, so that initials alone cannot make two names match.
    """
    similarity = token_similarity(query_token, list_token)
    if similarity and len(query_token) == 1 and len(list_token) > 1:
        return similarity, INITIAL_WORD_CREDIT
    if similarity and len(list_token) == 1 and len(query_token) > 1:
        return INITIAL_WORD_CREDIT, similarity
    return similarity, similarity


def token_similarity(query_token: str, list_token: str) -> float:
    """How alike two tokens are, 0 to 1; numbers must be equal, initials match their word."""
    if query_token == list_token:
        return 1.0
    if not (query_token.isalpha() and list_token.isalpha()):
        return 0.0
    if len(query_token) == 1 or len(list_token) == 1:
        return INITIAL_SIMILARITY if query_token[0] == list_token[0] else 0.0
    similarity = OSA.normalized_similarity(query_token, list_token)
    if "two" in EXP and max(len(query_token), len(list_token)) >= 5 and OSA.distance(query_token, list_token) <= 2:
        similarity = max(similarity, 0.75)
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

    @property
    def distinctive(self) -> tuple[bool, ...]:
        """Tokens that can make a match: not generic words, not initials."""
        return tuple(len(token) > 1 and not is_generic_word(token) for token in self.tokens)


def _glued_form(tokens: Sequence[str]) -> str:
    return "".join(tokens)


def prepare_name(text: str, *, party_type: PartyType = PartyType.UNKNOWN) -> PreparedName:
    """Clean, transliterate and tokenise a name; take legal forms off unless it is a person's."""
    tokens = name_tokens(text)
    forms: tuple[str, ...] = ()
    if party_type is not PartyType.PERSON:
        tokens, forms = split_legal_forms(tokens)
    glued = [_glued_form(tokens)]
    reordered = natural_order(text)
    if reordered != text:
        reordered_tokens = name_tokens(reordered)
        if party_type is not PartyType.PERSON:
            reordered_tokens = split_legal_forms(reordered_tokens)[0]
        glued.append(_glued_form(reordered_tokens))
    return PreparedName(text=text, tokens=tokens, legal_forms=forms, glued=tuple(dict.fromkeys(glued)))


@dataclass(frozen=True, slots=True)
class TokenAlignment:
    """One query token and the list token it aligned with."""

    query_token: str
    list_token: str
    similarity: float
    weight: float


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The score of one name against another and how it came about."""

    score: float
    token_score: float
    glued_score: float
    alignments: tuple[TokenAlignment, ...]
    unmatched_list_tokens: tuple[str, ...]
    generic_only: bool

    def describe(self) -> str:
        """A one-line account: aligned tokens with their similarity and weight, and what was left."""
        parts = [
            f"{a.query_token}={a.list_token} {a.similarity:.2f}x{a.weight:.2f}"
            if a.list_token
            else f"{a.query_token}=- 0x{a.weight:.2f}"
            for a in self.alignments
        ]
        text = "tokens " + ", ".join(parts)
        if self.unmatched_list_tokens:
            text += "; unmatched on list: " + " ".join(self.unmatched_list_tokens)
        text += f"; token score {self.token_score:.3f}"
        if self.glued_score > self.token_score:
            text += f"; glued/split {self.glued_score:.3f}"
        if self.generic_only:
            text += f"; only generic words agree (capped at {GENERIC_CAP})"
        return text


def glued_similarity(query: PreparedName, listed: PreparedName) -> float:
    """Similarity of the names written without spaces, for glued or split tokens."""
    best = 0.0
    probe = query.glued[0]
    if len(probe) < GLUE_MIN_LENGTH:
        return 0.0
    for form in listed.glued:
        if len(form) >= GLUE_MIN_LENGTH:
            best = max(best, Indel.normalized_similarity(probe, form))
    return best * GLUE_FACTOR if best >= GLUE_MIN_SIMILARITY else 0.0


import os
EXP = set(os.environ.get("SCR_EXP", "").split(","))


def _one_to_one(credits: list[list[tuple[float, float]]]) -> dict[int, int]:
    """Greedy 1:1 alignment: the most similar pair first, each token used once."""
    pairs = sorted(
        ((credits[i][j][0], i, j) for i in range(len(credits)) for j in range(len(credits[0])) if credits[i][j][0] > 0),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    taken_q: dict[int, int] = {}
    taken_l: set[int] = set()
    for _, i, j in pairs:
        if i not in taken_q and j not in taken_l:
            taken_q[i] = j
            taken_l.add(j)
    return taken_q


def compare_names(
    query: PreparedName,
    listed: PreparedName,
    *,
    query_weights: Sequence[float],
    list_weights: Sequence[float],
) -> NameComparison:
    """Score two prepared names (the reference for the index's vectorised scoring)."""
    if not query.tokens or not listed.tokens:
        return NameComparison(0.0, 0.0, 0.0, (), listed.tokens, False)
    credits = [[token_credits(q, c) for c in listed.tokens] for q in query.tokens]
    sims = [[credit[0] for credit in row] for row in credits]
    if "one" in EXP:
        assigned = _one_to_one(credits)
        best_list = [0.0] * len(listed.tokens)
        for i, j in assigned.items():
            best_list[j] = credits[i][j][1]
        alignments = []
        for i, q in enumerate(query.tokens):
            if i in assigned:
                j = assigned[i]
                alignments.append(TokenAlignment(q, listed.tokens[j], sims[i][j], query_weights[i]))
            else:
                alignments.append(TokenAlignment(q, "", 0.0, query_weights[i]))
    else:
        best_list = [max(credits[i][j][1] for i in range(len(query.tokens))) for j in range(len(listed.tokens))]
        alignments = []
        for i, q in enumerate(query.tokens):
            j = max(range(len(listed.tokens)), key=lambda k, row=sims[i]: row[k])  # type: ignore[misc]
            matched = listed.tokens[j] if sims[i][j] > 0 else ""
            alignments.append(TokenAlignment(q, matched, sims[i][j], query_weights[i]))
    covered = sum(a.similarity * a.weight for a in alignments)
    covered += sum(s * w for s, w in zip(best_list, list_weights, strict=True))
    token_score = covered / (sum(query_weights) + sum(list_weights))
    glued = glued_similarity(query, listed)
    score = max(token_score, glued)
    generic_only = not _distinctive_match(query, listed, sims, glued, alignments, best_list)
    if generic_only:
        score = min(score, GENERIC_CAP)
    elif "single" in EXP and not _enough_evidence(query, listed, alignments, best_list, glued):
        generic_only = True
        score = min(score, GENERIC_CAP)
    unmatched = tuple(c for c, s in zip(listed.tokens, best_list, strict=True) if s == 0)
    return NameComparison(score, token_score, glued, tuple(alignments), unmatched, generic_only)


def allowed_edits(length: int) -> int:
    """Typing errors a lone distinctive token may carry and still identify a name."""
    return 0 if length <= NEAR_EXACT_MIN[0] else 1 if length <= NEAR_EXACT_MIN[1] else 2


NEAR_EXACT_MIN = (3, 8) if 'k4' in EXP else (4, 8)


def _enough_evidence(query, listed, alignments, best_list, glued) -> bool:
    """A name that rests on one distinctive token on either side needs that token nearly equal."""
    l_distinct = [j for j, d in enumerate(listed.distinctive) if d]
    q_distinct = [i for i, d in enumerate(query.distinctive) if d]
    if len(l_distinct) == 1:
        token = listed.tokens[l_distinct[0]]
        close = [q for q in query.tokens if OSA.distance(q, token) <= allowed_edits(len(token))]
        if not close and not _glued_close(query, listed):
            return False
    if len(q_distinct) == 1:
        token = query.tokens[q_distinct[0]]
        close = [c for c in listed.tokens if OSA.distance(token, c) <= allowed_edits(len(token))]
        if not close and not _glued_close(query, listed):
            return False
    return True


def _glued_close(query: PreparedName, listed: PreparedName) -> bool:
    """The names written without spaces are nearly equal ("THANECOAT" / "THANE-COAT")."""
    probe = query.glued[0]
    return len(probe) >= GLUE_MIN_LENGTH and len(query.tokens) != len(listed.tokens) and any(
        OSA.distance(probe, form) <= allowed_edits(len(form)) for form in listed.glued
    )


def _distinctive_match(query, listed, sims, glued, alignments, best_list) -> bool:  # type: ignore[no-untyped-def]
    q_distinct, l_distinct = query.distinctive, listed.distinctive
    if not any(q_distinct) or not any(l_distinct):
        # Names made only of generic words match only when they are the same words.
        if "gen" in EXP:
            return (
                len(query.tokens) == len(listed.tokens)
                and all(a.similarity >= DISTINCT_MATCH for a in alignments)
                and all(s >= DISTINCT_MATCH for s in best_list)
            )
        return query.tokens == listed.tokens
    if "glue" in EXP and glued >= GLUE_MIN_SIMILARITY * GLUE_FACTOR and len(query.tokens) != len(listed.tokens):
        return True
    return any(
        sims[i][j] >= DISTINCT_MATCH
        for i in range(len(query.tokens))
        for j in range(len(listed.tokens))
        if q_distinct[i] and l_distinct[j]
    )


def default_token_weight(token: str) -> float:
    """Weight of a token when no list statistics are at hand (pairs scored on their own)."""
    if is_generic_word(token):
        return 0.15
    if len(token) == 1:
        return 0.3
    return 1.0 if len(token) > 3 else 0.7


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
    first = prepare_name(name1, party_type=party_type)
    second = prepare_name(name2, party_type=party_type)
    forward = compare_names(
        first,
        second,
        query_weights=[weight(t) for t in first.tokens],
        list_weights=[weight(t) for t in second.tokens],
    )
    backward = compare_names(
        second,
        first,
        query_weights=[weight(t) for t in second.tokens],
        list_weights=[weight(t) for t in first.tokens],
    )
    return round(max(forward.score, backward.score), 4)
