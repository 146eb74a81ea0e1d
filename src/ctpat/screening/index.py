"""The screening index: listed names prepared once, found again fast.

A query does not scan the list. Each of its tokens looks up list tokens that are equal, one or two
edits away (a deletion dictionary), sound alike (phonetic key), or share character trigrams; glued
tokens are looked up as their parts joined. The names holding those tokens are the candidates; when
nothing is found, every name is compared as one string (the fallback). The candidates are then
scored with array operations that compute exactly the score of
:func:`ctpat.screening.name_matching.compare_names`, which also writes the explanation of each hit.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA, Indel, Levenshtein, Prefix
from rapidfuzz.process import cpdist

from .context import (
    IDENTIFIER_MIN_LENGTH,
    MAX_CONTEXT_BONUS,
    QueryContext,
    context_adjustment,
    identifier_key,
)
from .legal_forms import (
    FORM_SPELLING_WORDS,
    LEADING_GLUED_FORMS,
    generic_resemblance,
    glued_form,
    is_generic_word,
    mistyped_form,
    respelt_form_word,
    split_legal_forms,
)
from .model import ListedEntity, NameKind, PartyType, RestrictedPartyList
from .name_matching import (
    CUT_WORD_LENGTH,
    DISTINCT_MATCH,
    EXTRA_MATCH,
    EXTRA_TOKEN_FACTOR,
    FORM_CONFLICT_PENALTY,
    FORM_MISSING_PENALTY,
    GENERIC_CAP,
    GLUE_FACTOR,
    GLUE_MIN_LENGTH,
    GLUE_MIN_SIMILARITY,
    GLUE_TYPO_LENGTH,
    GLUE_TYPO_SIMILARITY,
    INITIAL_SIMILARITY,
    INITIAL_WEIGHT,
    INITIAL_WORD_CREDIT,
    LONE_EXACT_LENGTH,
    LONE_ONE_EDIT_LENGTH,
    MISTYPED_COST,
    PHONETIC_MIN_KEY,
    PHONETIC_MIN_SPELLING,
    PHONETIC_SIMILARITY,
    PREFIX_BASE,
    SPELT_EDIT_COST,
    TOKEN_FLOOR,
    TRANSPOSITION_COST,
    TRUNCATED_MIN_LENGTH,
    NameComparison,
    PreparedName,
    Reading,
    allowed_edits,
    compare_names,
    edge_form_readings,
    form_key,
    glued_digits,
    is_distinctive,
    lone_token_edits,
    lone_token_supportable,
    phonetic_key,
    prepare_name,
    typing_errors,
    with_legal_forms,
)
from .normalisation import name_readings
from .snapshot import content_hash

# The score at and above which a hit is an alert (tuned on perturbed and non-listed names; see the docs).
DEFAULT_ALERT_THRESHOLD = 0.75
DEFAULT_LIMIT = 10
CANDIDATES_PER_QUERY = 24
COVERING_CANDIDATES = 8  # beyond those, names kept because they cover the query better
# A query word of RUN_ON_LENGTH letters or more that resembles no listed word that well brings in the
# names most like the whole query written without spaces (words run together, with a typo).
RUN_ON_LENGTH = 8
RUN_ON_SIMILARITY = 0.8
RUN_ON_CANDIDATES = 8
RUN_ON_SPLIT_LENGTH = 6  # a query word this long that no list uses may be two run together
RUN_ON_WORD_LENGTH = 4  # parts that are not legal-form words must be this long
UNKNOWN_TOKEN_WEIGHT = 1.0
GENERIC_WEIGHT = 0.12
MIN_WEIGHT = 0.05
WEAK_ALIAS_FACTOR = 0.95
_IDF_PRIOR = 50  # keeps weights sensible on a small list
MATCH_CACHE_SIZE = 20_000  # query tokens whose list matches are remembered
BATCH_SIZE = 256  # queries scored together by screen_many
# A pair of letters is rare when fewer than one token in RARE_PAIR_SHARE of the lists' vocabulary has
# it; a smaller vocabulary cannot tell rare pairs from merely unseen ones, so none is rare there.
RARE_PAIR_SHARE = 600
MISTYPED_MIN_VOCABULARY = 3000
MISTYPED_MIN_LENGTH = 4  # shorter tokens are abbreviations as often as words

# rank, score, entity number, matched name, name kind, explanation
CompactHit = tuple[int, float, int, str, str, str]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _allowed_edits(length: IntArray) -> IntArray:
    """:func:`allowed_edits` of many lengths."""
    return np.where(length <= LONE_EXACT_LENGTH, 0, np.where(length <= LONE_ONE_EDIT_LENGTH, 1, 2))


def _spread(
    blocks: IntArray, block_row: IntArray, start: IntArray, count: IntArray
) -> tuple[IntArray, IntArray]:
    """For blocks whose names have several forms (``count`` of them from ``start`` in a flat array):
    each form's block and its place in the flat array."""
    rows = block_row[blocks]
    counts = count[rows]
    form_block = np.repeat(blocks, counts)
    form_index = np.repeat(start[rows], counts) + (
        np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    return form_block, form_index


@dataclass(frozen=True, slots=True)
class Hit:
    """One listed entity found for a query, with the score, the name that matched and why."""

    rank: int
    score: float
    list_code: str
    entity_id: str
    matched_name: str
    name_kind: NameKind
    explanation: str
    list_date: str
    snapshot_hash: str
    entity: ListedEntity


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """The list tokens a query token resembles (similarity above the floor), the weight the query
    token gets, and the names holding those tokens with what each would gain (for candidates)."""

    ids: IntArray
    similarity: FloatArray
    weight: float
    rows: npt.NDArray[np.int32]
    # What each name holding a similar token gains on its own side: that token's weight times the
    # similarity (a name may gain twice from one of its tokens; the ranking caps it at the name's weight).
    gains: npt.NDArray[np.float32]
    # The query token's own share of each name holding a similar token: weight times the best
    # similarity (a name with several spellings of the token holds it once).
    cover_rows: npt.NDArray[np.int32]
    coverage: npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ScreeningQuery:
    """A name to screen and what else is known about the party."""

    query_id: str
    name: str
    party_type: str | None = None
    country: str | None = None
    dob: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _QueryPlan:
    """A query prepared for scoring: its tokens, their weights, its candidate names."""

    prepared: PreparedName
    context: QueryContext
    weights: FloatArray
    rows: IntArray
    identifiers: tuple[str, ...]
    note: str = ""  # how the name was read, when not as written


def _deletions(token: str, depth: int) -> set[str]:
    found = {token}
    frontier = {token}
    for _ in range(depth):
        frontier = {word[:i] + word[i + 1 :] for word in frontier for i in range(len(word))}
        found |= frontier
    return found


def _trigrams(token: str) -> set[str]:
    padded = f"${token}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _letter_pairs(token: str) -> list[str]:
    """Neighbouring letters of a token, with its start and end (``^e`` … ``d$``)."""
    padded = f"^{token}$"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def _deletion_depth(token: str) -> int:
    return 2 if len(token) >= 5 else 1 if len(token) >= 3 else 0


class ScreeningIndex:
    """Restricted-party lists prepared for search. Build with :func:`build_index` or load a snapshot."""

    def __init__(self, lists: Sequence[RestrictedPartyList]) -> None:
        self.lists = tuple(lists)
        self.snapshot_hash = content_hash(self.lists)
        self.list_dates = {lst.code: lst.list_date for lst in self.lists}
        self.entities: list[ListedEntity] = [entity for lst in self.lists for entity in lst.entities]
        self._prepare_names()
        self._build_vocabulary()
        self._build_lookups()
        self._build_identifiers()
        self._match_cache: dict[str, TokenMatch] = {}
        self._mistyped: dict[str, bool] = {}
        self._form_masks: dict[frozenset[str], BoolArray] = {}
        self._entity_numbers: dict[int, int] | None = None

    # ----------------------------------------------------------------------------- building
    def _prepare_names(self) -> None:
        self.names: list[PreparedName] = []
        self.name_entity: list[int] = []
        self.name_kind: list[NameKind] = []
        for number, entity in enumerate(self.entities):
            seen: dict[tuple[str, ...], int] = {}
            for listed in entity.names:
                prepared = prepare_name(listed.text, party_type=entity.party_type)
                key = prepared.tokens + prepared.glued
                if not prepared.tokens:
                    continue
                if key in seen:
                    # The same words with other legal forms ("KINEF OOO", "LLC KINEF"): one name,
                    # written either way.
                    kept = self.names[seen[key]]
                    spelt = tuple(dict.fromkeys(kept.spelt + prepared.spelt))
                    self.names[seen[key]] = replace(kept, spelt=spelt)
                    continue
                seen[key] = len(self.names)
                self.names.append(prepared)
                self.name_entity.append(number)
                self.name_kind.append(listed.kind)
        self.name_entity_array = np.asarray(self.name_entity, dtype=np.int64)

    def _build_vocabulary(self) -> None:
        self.token_id: dict[str, int] = {}
        document_frequency: list[int] = []
        for prepared in self.names:
            # In name order, not set order: token numbers must not depend on the hash seed.
            for token in dict.fromkeys(prepared.tokens):
                number = self.token_id.setdefault(token, len(self.token_id))
                if number == len(document_frequency):
                    document_frequency.append(0)
                document_frequency[number] += 1
        self.tokens = list(self.token_id)
        total = len(self.names) + _IDF_PRIOR
        self.token_weight = np.array(
            [
                self._weight(token, df, total)
                for token, df in zip(self.tokens, document_frequency, strict=True)
            ]
        )
        self.token_alpha = np.array([token.isalpha() for token in self.tokens])
        words = [token for token in self.tokens if token.isalpha()]
        self.letter_pairs = Counter(pair for word in words for pair in _letter_pairs(word))
        self.rare_pair_limit = len(words) // RARE_PAIR_SHARE if len(words) >= MISTYPED_MIN_VOCABULARY else 0
        self.token_length = np.array([len(token) for token in self.tokens], dtype=np.int64)
        self.token_first = np.array([ord(token[0]) for token in self.tokens], dtype=np.int64)
        self.token_distinct = np.array([is_distinctive(token) for token in self.tokens])
        self.phonetic_id: dict[str, int] = {}
        keys = [phonetic_key(token) for token in self.tokens]
        self.token_phonetic = np.array(
            [
                self.phonetic_id.setdefault(key, len(self.phonetic_id))
                if len(key) >= PHONETIC_MIN_KEY
                else -1
                for key in keys
            ],
            dtype=np.int64,
        )
        width = max(len(prepared.tokens) for prepared in self.names) if self.names else 1
        self.name_tokens = np.full((len(self.names), width), -1, dtype=np.int64)
        for row, prepared in enumerate(self.names):
            self.name_tokens[row, : len(prepared.tokens)] = [self.token_id[t] for t in prepared.tokens]
        valid = self.name_tokens >= 0
        self.name_weight_sum = np.where(valid, self.token_weight[np.maximum(self.name_tokens, 0)], 0.0).sum(
            axis=1
        )
        self.token_strings = np.asarray(self.tokens, dtype=object)
        self.name_length = valid.sum(axis=1).astype(np.int64)
        distinct = valid & self.token_distinct[np.maximum(self.name_tokens, 0)]
        self.name_distinct_count = distinct.sum(axis=1).astype(np.int64)
        lengths = np.where(valid, self.token_length[np.maximum(self.name_tokens, 0)], 0)
        self.name_distinct_letters = np.where(distinct, lengths, 0).sum(axis=1).astype(np.int64)
        # The position and length of a name's only distinctive token (-1 and 0 when it has not one).
        lone = self.name_distinct_count == 1
        self.name_lone_pos = np.where(lone, np.argmax(distinct, axis=1), -1).astype(np.int64)
        self.name_lone_edits = np.asarray(
            [
                lone_token_edits(self.tokens[self.name_tokens[row, pos]]) if pos >= 0 else 0
                for row, pos in enumerate(self.name_lone_pos.tolist())
            ],
            dtype=np.int64,
        )
        # Whether that token may carry one more typing error when the rest of both names agrees.
        self.name_lone_supportable = np.asarray(
            [
                pos >= 0 and lone_token_supportable(self.tokens[self.name_tokens[row, pos]])
                for row, pos in enumerate(self.name_lone_pos.tolist())
            ],
            dtype=bool,
        )
        self.name_person = np.asarray(
            [self.entities[number].party_type is PartyType.PERSON for number in self.name_entity], dtype=bool
        )
        self.name_weak = np.asarray([kind is NameKind.WEAK_ALIAS for kind in self.name_kind], dtype=bool)
        # Legal forms as numbers: 0 for none, the same number for the same forms.
        self.form_id: dict[tuple[str, ...], int] = {(): 0}
        self.name_form = np.asarray(
            [self.form_id.setdefault(form_key(p.legal_forms), len(self.form_id)) for p in self.names],
            dtype=np.int64,
        )

    @staticmethod
    def _weight(token: str, document_frequency: int, total: int) -> float:
        weight = math.log(total / (document_frequency + 1)) / math.log(total)
        if is_generic_word(token):
            weight = min(weight, GENERIC_WEIGHT)
        if len(token) == 1:
            weight = min(weight, INITIAL_WEIGHT)
        return max(MIN_WEIGHT, min(1.0, weight))

    def _build_lookups(self) -> None:
        postings: dict[int, list[int]] = defaultdict(list)
        glued: dict[str, list[int]] = defaultdict(list)
        for row, prepared in enumerate(self.names):
            for token in dict.fromkeys(prepared.tokens):
                postings[self.token_id[token]].append(row)
            for first, second in zip(prepared.tokens, prepared.tokens[1:], strict=False):
                glued[first + second].append(row)
        self.postings = [np.asarray(postings[number], dtype=np.int32) for number in range(len(self.tokens))]
        self.glued_postings = {key: np.asarray(rows, dtype=np.int64) for key, rows in glued.items()}
        deletions: dict[str, list[int]] = defaultdict(list)
        phonetic: dict[int, list[int]] = defaultdict(list)
        trigrams: dict[str, list[int]] = defaultdict(list)
        for number, token in enumerate(self.tokens):
            if not token.isalpha():
                continue
            for variant in _deletions(token, _deletion_depth(token)):
                deletions[variant].append(number)
            if self.token_phonetic[number] >= 0:
                phonetic[int(self.token_phonetic[number])].append(number)
            for gram in _trigrams(token):
                trigrams[gram].append(number)
        self.deletions = {variant: tuple(ids) for variant, ids in deletions.items()}
        self.phonetic_tokens = {key: tuple(ids) for key, ids in phonetic.items()}
        self.trigram_tokens = {gram: np.asarray(ids, dtype=np.int64) for gram, ids in trigrams.items()}
        self.name_glued = [prepared.glued for prepared in self.names]
        self.glued_count = np.asarray([len(forms) for forms in self.name_glued], dtype=np.int64)
        self.glued_start = np.cumsum(self.glued_count) - self.glued_count
        flat_forms = [form for forms in self.name_glued for form in forms]
        self.glued_forms = np.asarray(flat_forms, dtype=object)
        self.glued_length = np.asarray([len(form) for form in flat_forms], dtype=np.int64)
        self.glued_digits = np.asarray([glued_digits(form) for form in flat_forms], dtype=object)
        # The whole names, legal forms included, without spaces (spelt_similarity).
        spelt: dict[str, list[int]] = defaultdict(list)
        for row, prepared in enumerate(self.names):
            for form in prepared.spelt:
                spelt[form].append(row)
        self.spelt_postings = {key: np.asarray(rows, dtype=np.int64) for key, rows in spelt.items()}
        self.spelt_count = np.asarray([len(prepared.spelt) for prepared in self.names], dtype=np.int64)
        self.spelt_start = np.cumsum(self.spelt_count) - self.spelt_count
        flat_spelt = [form for prepared in self.names for form in prepared.spelt]
        self.spelt_forms = np.asarray(flat_spelt, dtype=object)
        self.spelt_length = np.asarray([len(form) for form in flat_spelt], dtype=np.int64)
        self.spelt_digits = np.asarray([glued_digits(form) for form in flat_spelt], dtype=object)
        name_grams: dict[str, list[int]] = defaultdict(list)
        for row, prepared in enumerate(self.names):
            for gram in _trigrams(prepared.glued[0]):
                name_grams[gram].append(row)
        self.name_trigrams = {gram: np.asarray(rows, dtype=np.int64) for gram, rows in name_grams.items()}

    def _build_identifiers(self) -> None:
        self.identifier_entities: dict[str, list[int]] = defaultdict(list)
        for number, entity in enumerate(self.entities):
            for identifier in entity.identifiers:
                key = identifier_key(identifier.number)
                if len(key) >= IDENTIFIER_MIN_LENGTH and any(ch.isdigit() for ch in key):
                    self.identifier_entities[key].append(number)

    # ----------------------------------------------------------------------------- candidates
    def _token_matches(self, token: str) -> TokenMatch:
        """List tokens close to a query token, their similarity, and what each name holding one of
        them gains from it (cached per token: a register repeats its given names and business words)."""
        return self._token_matches_many([token])[token]

    def _token_matches_many(self, tokens: Iterable[str]) -> dict[str, TokenMatch]:
        """:meth:`_token_matches` of several tokens, the new ones computed together."""
        wanted = dict.fromkeys(tokens)
        new = [token for token in wanted if token not in self._match_cache]
        if new:
            found = [self._similar_tokens(token) for token in new]
            q_index = np.repeat(np.arange(len(new)), [len(ids) for ids in found])
            v_index = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
            similarity = self._pair_credits(new, q_index, v_index)[0] if len(v_index) else np.zeros(0)
            bounds = np.cumsum([len(ids) for ids in found])[:-1]
            if len(self._match_cache) + len(new) > MATCH_CACHE_SIZE:
                self._match_cache.clear()
            for token, ids, sims in zip(new, found, np.split(similarity, bounds), strict=True):
                self._match_cache[token] = self._token_match(token, ids, sims)
        return {token: self._match_cache[token] for token in wanted}

    def _similar_tokens(self, token: str) -> IntArray:
        """Vocabulary tokens that may resemble a query token: equal, up to two deletions apart (one
        for short tokens), the same phonetic key, or else sharing character trigrams."""
        found: set[int] = set()
        exact = self.token_id.get(token, -1)
        if exact >= 0:
            found.add(exact)
        if token.isalpha() and len(token) >= 2:
            for variant in _deletions(token, _deletion_depth(token)):
                found.update(self.deletions.get(variant, ()))
            if len(token) == 2:
                # Too short for deletions: its swapped letters ("HR INTERNATIONAL" for "RH …").
                found.update(self.deletions.get(token[::-1], ()))
            key = phonetic_key(token)
            if len(key) >= PHONETIC_MIN_KEY and key in self.phonetic_id:
                found.update(self.phonetic_tokens.get(self.phonetic_id[key], ()))
            if not found:
                found = self._trigram_matches(token)
        return np.fromiter(sorted(found), dtype=np.int64, count=len(found))

    def _token_match(self, token: str, ids: IntArray, similarity: FloatArray) -> TokenMatch:
        close = similarity > 0
        ids, similarity = ids[close], similarity[close]
        exact = self.token_id.get(token, -1)
        if exact >= 0:
            weight = float(self.token_weight[exact])
        elif is_generic_word(token):
            weight = GENERIC_WEIGHT
        elif len(token) == 1:
            weight = INITIAL_WEIGHT
        else:
            # A misspelt token weighs what the list token (or the generic word) it resembles most
            # weighs, as far as it resembles it; the rest of its weight is that of a token no list has.
            best = int(np.argmax(similarity)) if len(ids) else -1
            share = float(similarity[best]) if len(ids) else 0.0
            like = float(self.token_weight[ids[best]]) if len(ids) else UNKNOWN_TOKEN_WEIGHT
            resemblance = generic_resemblance(token)
            if resemblance > share:
                share, like = resemblance, GENERIC_WEIGHT
            weight = share * like + (1 - share) * UNKNOWN_TOKEN_WEIGHT
        postings = [self.postings[number] for number in ids.tolist()]
        rows = np.concatenate(postings) if postings else np.zeros(0, dtype=np.int32)
        # What the name's token gains if it aligns with this query token (the ranking of candidates,
        # not yet the score).
        gain = self.token_weight[ids] * similarity
        counts = [len(p) for p in postings]
        gains = np.repeat(gain, counts).astype(np.float32)
        coverage = np.repeat(weight * similarity, counts).astype(np.float32)
        cover_rows = rows
        if len(postings) > 1:
            # One entry per name, its best: sorted by name, then best first.
            order = np.lexsort((-coverage, rows))
            cover_rows, coverage = rows[order], coverage[order]
            first = np.ones(len(order), dtype=bool)
            first[1:] = cover_rows[1:] != cover_rows[:-1]
            cover_rows, coverage = cover_rows[first], coverage[first]
        return TokenMatch(ids, similarity, weight, rows, gains, cover_rows, coverage)

    def _trigram_matches(self, token: str) -> set[int]:
        grams = [self.trigram_tokens[g] for g in _trigrams(token) if g in self.trigram_tokens]
        if not grams:
            return set()
        counts = np.bincount(np.concatenate(grams), minlength=len(self.tokens))
        needed = max(2, math.ceil(0.5 * (len(token) + 1)))
        close = np.flatnonzero(counts >= needed)
        return set(close[:200].tolist())

    def _query_weights(self, prepared: PreparedName, matches: Sequence[TokenMatch]) -> FloatArray:
        return np.asarray([match.weight for match in matches], dtype=np.float64)

    def _candidates(
        self, prepared: PreparedName, matches: Sequence[TokenMatch], weights: FloatArray
    ) -> IntArray:
        """The names most likely to score well: at most :data:`CANDIDATES_PER_QUERY`, ranked by
        what their similar tokens would add to the score."""
        rows: list[npt.NDArray[np.integer[Any]]] = [match.rows for match in matches]
        gains: list[npt.NDArray[np.floating[Any]]] = [match.gains for match in matches]
        cover_rows: list[npt.NDArray[np.integer[Any]]] = [match.cover_rows for match in matches]
        coverage: list[npt.NDArray[np.floating[Any]]] = [match.coverage for match in matches]
        tokens = prepared.tokens
        for position, (first, second) in enumerate(itertools.pairwise(tokens)):
            # A name listed with "AL SHANTI" for a query "ALSHANTI", and the other way round.
            glued = self.glued_postings.get(first + second)
            if glued is not None:
                pair_weight = weights[position] + weights[position + 1]
                rows.append(glued)
                gains.append(np.full(len(glued), GLUE_FACTOR * pair_weight))
                cover_rows.append(glued)
                coverage.append(np.full(len(glued), GLUE_FACTOR * pair_weight))
        for position, token in enumerate(tokens):
            glued = self.glued_postings.get(token)
            if glued is not None:
                rows.append(glued)
                gains.append(np.full(len(glued), GLUE_FACTOR * weights[position]))
                cover_rows.append(glued)
                coverage.append(np.full(len(glued), GLUE_FACTOR * weights[position]))
        # The whole name written alike but for its spaces ("VTBD C LTD" for "VTB DC LTD").
        spelt = self.spelt_postings.get(prepared.spelt[0])
        if spelt is not None and len(prepared.spelt[0]) >= GLUE_MIN_LENGTH:
            rows.append(spelt)
            gains.append(np.full(len(spelt), GLUE_FACTOR * weights.sum()))
            cover_rows.append(spelt)
            coverage.append(np.full(len(spelt), GLUE_FACTOR * weights.sum()))
        all_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
        if len(all_rows) == 0:
            return self._fallback_candidates(prepared)
        all_gains = np.concatenate(gains)
        touched: IntArray
        if len(all_rows) < len(self.names) // 8:
            unique, inverse = np.unique(all_rows, return_inverse=True)
            touched = unique.astype(np.int64)
            totals = np.bincount(inverse, weights=all_gains)
        else:
            dense = np.bincount(all_rows, weights=all_gains, minlength=len(self.names))
            touched = np.flatnonzero(dense).astype(np.int64)
            totals = dense[touched]
        if len(touched) > CANDIDATES_PER_QUERY:
            # Ranked by the share of both names the similar tokens would cover: the query's side
            # once per query token, the name's side at most its weight (a list token that resembles
            # two query tokens, "AHMAD" for "AHMAD AMHAD", is counted once); the names that cover
            # the query better than any of those kept are kept too.
            at = np.searchsorted(touched, np.concatenate(cover_rows))
            covered = np.bincount(at, weights=np.concatenate(coverage), minlength=len(touched))
            name_weight = self.name_weight_sum[touched]
            ranking = (covered + np.minimum(totals, name_weight)) / (name_weight + weights.sum())
            keep = np.argpartition(-ranking, CANDIDATES_PER_QUERY)[:CANDIDATES_PER_QUERY]
            better = np.flatnonzero(covered > covered[keep].max() + 1e-9)
            if len(better) > COVERING_CANDIDATES:
                # Equal coverage: the better ranked first.
                cover = covered[better] + 1e-3 * ranking[better]
                better = better[np.argpartition(-cover, COVERING_CANDIDATES)[:COVERING_CANDIDATES]]
            touched = np.sort(touched[np.concatenate([keep, better])])
        if any(
            len(token) >= RUN_ON_LENGTH and not (match.similarity >= RUN_ON_SIMILARITY).any()
            for token, match in zip(tokens, matches, strict=True)
        ):
            # A long word like no listed word: perhaps two run together with a typo ("REIHANWGROUP").
            touched = np.union1d(touched, self._fallback_candidates(prepared, limit=RUN_ON_CANDIDATES))
        return touched

    def _fallback_candidates(
        self, prepared: PreparedName, *, share: float = 0.4, limit: int = CANDIDATES_PER_QUERY
    ) -> IntArray:
        """No token of the query resembles a list token: the names sharing most character trigrams
        with the whole name written without spaces."""
        probe = prepared.glued[0] if prepared.glued else ""
        grams = [self.name_trigrams[g] for g in _trigrams(probe) if g in self.name_trigrams]
        if not grams:
            return np.zeros(0, dtype=np.int64)
        counts = np.bincount(np.concatenate(grams), minlength=len(self.names))
        needed = max(1, math.ceil(share * len(probe)))
        touched = np.flatnonzero(counts >= needed)
        if len(touched) > limit:
            touched = touched[np.argpartition(-counts[touched], limit)[:limit]]
        return np.sort(touched)

    # ----------------------------------------------------------------------------- scoring
    def _pair_credits(
        self, query: Sequence[str], q_index: IntArray, v_index: IntArray, last: BoolArray | None = None
    ) -> tuple[FloatArray, FloatArray, IntArray]:
        """:func:`token_credits` (query side, list side) and the typing errors (:func:`typing_errors`)
        of many token pairs: ``query[q_index[k]]`` against vocabulary token ``v_index[k]``.

        ``last`` flags the query tokens that end their name: one that is the start of a list token
        may be that word cut off (:func:`cut_off`), which counts as no typing error."""
        q_strings = [query[k] for k in q_index.tolist()]
        v_strings = self.token_strings[v_index].tolist()
        distance = cpdist(q_strings, v_strings, scorer=OSA.distance, dtype=np.int64)
        swaps = cpdist(q_strings, v_strings, scorer=Levenshtein.distance, dtype=np.int64) - distance
        prefix = cpdist(q_strings, v_strings, scorer=Prefix.similarity, dtype=np.int64)
        features = self._query_token_features(query)
        q_length, q_alpha, q_first, q_phonetic, q_ids, q_mistyped = (feature[q_index] for feature in features)
        v_length = self.token_length[v_index]
        errors = distance - swaps
        shown = q_mistyped & (errors > 0)  # the typing error a mistyped query token shows
        cost = distance - TRANSPOSITION_COST * swaps - MISTYPED_COST * shown
        osa = 1.0 - cost / np.maximum(q_length, v_length)
        sounds_alike = (q_phonetic == self.token_phonetic[v_index]) & (osa >= PHONETIC_MIN_SPELLING)
        similarity = np.where(sounds_alike, np.maximum(osa, PHONETIC_SIMILARITY), osa)
        covered = PREFIX_BASE + (1 - PREFIX_BASE) * q_length / v_length
        is_prefix = (q_length >= 3) & (prefix == q_length)
        similarity = np.where(is_prefix, np.maximum(similarity, covered), similarity)
        initial = (q_length == 1) | (v_length == 1)
        initial_match = q_first == self.token_first[v_index]
        similarity = np.where(initial, np.where(initial_match, INITIAL_SIMILARITY, 0.0), similarity)
        both_alpha = q_alpha & self.token_alpha[v_index]
        similarity = np.where(both_alpha & (similarity >= TOKEN_FLOOR), similarity, 0.0)
        equal = q_ids == v_index
        similarity = np.where(equal, 1.0, similarity)
        word_credit = np.where(similarity > 0, INITIAL_WORD_CREDIT, 0.0)
        query_initial = (q_length == 1) & (v_length > 1) & ~equal
        list_initial = (v_length == 1) & (q_length > 1) & ~equal
        query_side = np.where(list_initial, word_credit, similarity)
        list_side = np.where(query_initial, word_credit, similarity)
        errors = errors - shown
        if last is not None:
            cut = (
                last[q_index]
                & q_alpha
                & (prefix == q_length)
                & (v_length > q_length)
                & (q_length >= CUT_WORD_LENGTH)
            )
            errors = np.where(cut, 0, errors)
        return query_side, list_side, errors

    def looks_mistyped(self, token: str) -> bool:
        """Whether a query token shows a typing error: no list has it, and it holds a pair of letters
        that the lists rarely write (``EXRFORD``, ``AVMXAIR``; not ``FERRAND``). Random typing errors
        make such pairs; a real name that is not listed seldom does."""
        if len(token) < MISTYPED_MIN_LENGTH or token in self.token_id or not token.isalpha():
            return False
        known = self._mistyped.get(token)
        if known is None:
            if len(self._mistyped) >= MATCH_CACHE_SIZE:
                self._mistyped.clear()
            pairs = _letter_pairs(token)
            known = self._mistyped[token] = any(
                self.letter_pairs.get(pair, 0) < self.rare_pair_limit for pair in pairs
            )
        return known

    def forget(self) -> None:
        """Forget what this index remembered about query tokens (see :func:`clear_caches`)."""
        self._match_cache.clear()
        self._mistyped.clear()

    def _query_token_features(
        self, query: Sequence[str]
    ) -> tuple[IntArray, BoolArray, IntArray, IntArray, IntArray, BoolArray]:
        keys = [phonetic_key(token) for token in query]
        return (
            np.fromiter((len(token) for token in query), dtype=np.int64, count=len(query)),
            np.fromiter((token.isalpha() for token in query), dtype=bool, count=len(query)),
            np.fromiter((ord(token[0]) for token in query), dtype=np.int64, count=len(query)),
            np.fromiter(
                (self.phonetic_id.get(k, -2) if len(k) >= PHONETIC_MIN_KEY else -2 for k in keys),
                dtype=np.int64,
                count=len(query),
            ),
            np.fromiter((self.token_id.get(token, -1) for token in query), dtype=np.int64, count=len(query)),
            np.fromiter((self.looks_mistyped(token) for token in query), dtype=bool, count=len(query)),
        )

    def _score_names(self, prepared: PreparedName, weights: FloatArray, rows: IntArray) -> FloatArray:
        """The name score of the query against each candidate name (vectorised ``compare_names``)."""
        return self._score_batch([(prepared, weights, rows)])[0]

    def _score_batch(self, batch: Sequence[tuple[PreparedName, FloatArray, IntArray]]) -> list[FloatArray]:
        """:func:`compare_names` for every (query, candidate name) pair of a batch of queries at once.

        Each pair of names is a *block* of query-token × list-token pairs, laid end to end in flat
        arrays; the token credits are computed once per distinct (query token, list token) pair and
        reduced per block with ``reduceat``, so the cost per query is a share of a few array
        operations rather than a few dozen of them.
        """
        scores = [np.zeros(len(rows)) for _, _, rows in batch]
        live = [number for number, (prepared, _, rows) in enumerate(batch) if prepared.tokens and len(rows)]
        if not live:
            return scores
        # Query tokens of the batch, end to end.
        q_tokens: list[str] = []
        q_start: list[int] = []
        q_weights: list[FloatArray] = []
        q_distinct: list[bool] = []
        q_lone_pos: list[int] = []
        q_lone_edits: list[int] = []
        q_lone_supportable: list[bool] = []
        for number in live:
            prepared, weights, _ = batch[number]
            q_start.append(len(q_tokens))
            q_tokens += prepared.tokens
            q_weights.append(weights)
            distinct = prepared.distinctive
            q_distinct += distinct
            lone = [i for i, flag in enumerate(distinct) if flag]
            q_lone_pos.append(lone[0] if len(lone) == 1 else -1)
            q_lone_edits.append(lone_token_edits(prepared.tokens[lone[0]]) if len(lone) == 1 else 0)
            q_lone_supportable.append(len(lone) == 1 and lone_token_supportable(prepared.tokens[lone[0]]))
        q_weight = np.concatenate(q_weights)
        q_distinct_arr = np.asarray(q_distinct, dtype=bool)
        nq_query = np.asarray([len(batch[n][0].tokens) for n in live], dtype=np.int64)
        # Blocks: one per (query, candidate name).
        block_query = np.repeat(np.arange(len(live)), [len(batch[n][2]) for n in live])
        block_row = np.concatenate([batch[n][2] for n in live]).astype(np.int64)
        nq = nq_query[block_query]
        nl = self.name_length[block_row]
        sizes = nq * nl
        block_start = np.cumsum(sizes) - sizes
        pair_block = np.repeat(np.arange(len(block_row)), sizes)
        offset = np.arange(int(sizes.sum())) - block_start[pair_block]
        pair_nl = nl[pair_block]
        pair_i = offset // pair_nl
        pair_j = offset % pair_nl
        pair_q = np.asarray(q_start, dtype=np.int64)[block_query][pair_block] + pair_i
        pair_v = self.name_tokens[block_row[pair_block], pair_j]
        # Credits, once per distinct (query token, list token).
        key = pair_q * len(self.tokens) + pair_v
        unique, inverse = np.unique(key, return_inverse=True)
        q_last = np.zeros(len(q_tokens), dtype=bool)
        q_last[np.asarray(q_start, dtype=np.int64) + nq_query - 1] = True
        u_query_side, u_list_side, u_distance = self._pair_credits(
            q_tokens, unique // len(self.tokens), unique % len(self.tokens), q_last
        )
        query_side, list_side, distance = u_query_side[inverse], u_list_side[inverse], u_distance[inverse]
        # Best counterpart of each query token (pairs are in block, i, j order) ...
        q_segments = np.flatnonzero(pair_j == 0)
        best_query = np.maximum.reduceat(query_side, q_segments)
        q_segment_block = pair_block[q_segments]
        q_segment_token = pair_q[q_segments]
        # ... and of each list token (the same pairs in block, j, i order).
        pair_nq = nq[pair_block]
        order = block_start[pair_block] + (offset % pair_nq) * pair_nl + offset // pair_nq
        l_segments = np.flatnonzero(offset % pair_nq == 0)
        best_list = np.maximum.reduceat(list_side[order], l_segments)
        l_segment_block = pair_block[order][l_segments]
        l_segment_token = pair_v[order][l_segments]
        blocks = len(block_row)
        covered = np.bincount(
            q_segment_block, weights=q_weight[q_segment_token] * best_query, minlength=blocks
        )
        covered += np.bincount(
            l_segment_block, weights=self.token_weight[l_segment_token] * best_list, minlength=blocks
        )
        q_weight_sum = np.bincount(
            np.repeat(np.arange(len(live)), nq_query), weights=q_weight, minlength=len(live)
        )
        # One name's tokens all found in the other, each by a token of its own: the other's extra
        # tokens (a middle name, a patronymic, a word more) count for EXTRA_TOKEN_FACTOR of their weight.
        q_close = np.bincount(q_segment_block, weights=best_query >= EXTRA_MATCH, minlength=blocks)
        l_close = np.bincount(l_segment_block, weights=best_list >= EXTRA_MATCH, minlength=blocks)
        q_unmatched = np.bincount(
            q_segment_block, weights=q_weight[q_segment_token] * (best_query == 0), minlength=blocks
        )
        l_unmatched = np.bincount(
            l_segment_block, weights=self.token_weight[l_segment_token] * (best_list == 0), minlength=blocks
        )
        q_distinct_count = np.bincount(
            np.repeat(np.arange(len(live)), nq_query), weights=q_distinct_arr, minlength=len(live)
        )[block_query]
        q_complete = (q_close == nq) & (l_close >= nq) & (q_distinct_count >= 2)
        l_complete = (l_close == nl) & (q_close >= nl) & (self.name_distinct_count[block_row] >= 2)
        extra = np.where(q_complete, l_unmatched, 0.0) + np.where(l_complete, q_unmatched, 0.0)
        total = q_weight_sum[block_query] + self.name_weight_sum[block_row] - (1 - EXTRA_TOKEN_FACTOR) * extra
        token_score = covered / total
        # Evidence: more than generic words agree, and a lone distinctive token is nearly equal.
        distinct_pair = q_distinct_arr[pair_q] & self.token_distinct[pair_v] & (query_side >= DISTINCT_MATCH)
        has_distinct = np.bincount(pair_block, weights=distinct_pair, minlength=blocks) > 0
        spelt = self._spelt_blocks(batch, live, block_query, block_row)
        # Two typing errors in the whole names count only between names that share a distinctive word.
        spelt = np.where(has_distinct | (spelt >= GLUE_FACTOR - SPELT_EDIT_COST), spelt, 0.0)
        glued, glued_close = self._glued_blocks(batch, live, block_query, block_row)
        glued = np.maximum(glued, spelt)
        glued_close |= spelt > 0  # the whole names written alike vouch for a lone token too
        score = np.maximum(token_score, glued)
        q_has_distinct = (
            np.bincount(
                np.repeat(np.arange(len(live)), nq_query), weights=q_distinct_arr, minlength=len(live)
            )[block_query]
            > 0
        )
        all_generic = ~q_has_distinct | (self.name_distinct_count[block_row] == 0)
        q_short = np.bincount(q_segment_block, weights=best_query < DISTINCT_MATCH, minlength=blocks)
        l_short = np.bincount(l_segment_block, weights=best_list < DISTINCT_MATCH, minlength=blocks)
        near_equal = (nq == nl) & (q_short == 0) & (l_short == 0)
        generic_only = np.where(all_generic, ~near_equal, ~(has_distinct | (glued > 0)))
        pair_row = block_row[pair_block]
        # The rest of both names agrees: a lone token of four or five letters may
        # carry one more typing error.
        q_lone_at = np.asarray(q_start, dtype=np.int64) + np.asarray(q_lone_pos, dtype=np.int64)
        q_far = best_query < EXTRA_MATCH
        q_far_rest = np.bincount(
            q_segment_block,
            weights=q_far & (q_segment_token != q_lone_at[block_query][q_segment_block]),
            minlength=blocks,
        )
        l_far = best_list < EXTRA_MATCH
        l_segment_position = pair_j[order][l_segments]
        l_far_rest = np.bincount(
            l_segment_block,
            weights=l_far & (l_segment_position != self.name_lone_pos[block_row][l_segment_block]),
            minlength=blocks,
        )
        q_far_count, l_far_count = nq - q_close, nl - l_close
        query_lone = np.asarray(q_lone_pos, dtype=np.int64)[block_query] >= 0
        listed_lone = self.name_lone_pos[block_row] >= 0
        supported = (
            (nq >= 2)
            & (nl >= 2)
            & np.where(query_lone, q_far_rest == 0, q_far_count <= 1)
            & np.where(listed_lone, l_far_rest == 0, l_far_count <= 1)
        )
        listed_edits = self.name_lone_edits[block_row] + (supported & self.name_lone_supportable[block_row])
        query_edits = np.asarray(q_lone_edits, dtype=np.int64)[block_query] + (
            supported & np.asarray(q_lone_supportable, dtype=bool)[block_query]
        )
        # distance: typing errors (swapped letters and the error a mistyped token shows not counted).
        listed_close = (pair_j == self.name_lone_pos[pair_row]) & (distance <= listed_edits[pair_block])
        q_lone_pos_arr = np.asarray(q_lone_pos, dtype=np.int64)[block_query][pair_block]
        q_lone_edits_arr = query_edits[pair_block]
        query_close = (pair_i == q_lone_pos_arr) & (distance <= q_lone_edits_arr)
        listed_ok = np.bincount(pair_block, weights=listed_close, minlength=blocks) > 0
        query_ok = np.bincount(pair_block, weights=query_close, minlength=blocks) > 0
        lone_fails = ((listed_lone & ~listed_ok) | (query_lone & ~query_ok)) & ~glued_close
        # A person's name is not found by one of its words alone (a surname, a given name): a query
        # of one distinctive word that finds one distinctive word of a listed person's name of several.
        l_distinct_found = np.bincount(
            l_segment_block,
            weights=self.token_distinct[l_segment_token] & (best_list > 0),
            minlength=blocks,
        )
        one_word = (
            self.name_person[block_row]
            & (self.name_distinct_count[block_row] >= 2)
            & (l_distinct_found <= 1)
            & (q_distinct_count <= 1)
            & (glued == 0)
        )
        score = np.where(generic_only | lone_fails | one_word, np.minimum(score, GENERIC_CAP), score)
        q_form = np.asarray(
            [self.form_id.get(form_key(batch[n][0].legal_forms), -1) for n in live], dtype=np.int64
        )[block_query]
        l_form = self.name_form[block_row]
        penalty = np.where(
            q_form == l_form,
            0.0,
            np.where((q_form == 0) | (l_form == 0), FORM_MISSING_PENALTY, FORM_CONFLICT_PENALTY),
        )
        score = np.maximum(score - penalty, 0.0)
        bounds = np.cumsum([len(batch[n][2]) for n in live])
        for number, part in zip(live, np.split(score, bounds[:-1]), strict=True):
            scores[number] = part
        return scores

    def _glued_blocks(
        self,
        batch: Sequence[tuple[PreparedName, FloatArray, IntArray]],
        live: list[int],
        block_query: IntArray,
        block_row: IntArray,
    ) -> tuple[FloatArray, BoolArray]:
        """Per block: the glued score of :func:`glued_similarity` and whether the glued forms are
        close enough to vouch for a lone token (``_glued_close``)."""
        blocks = len(block_row)
        glued = np.zeros(blocks)
        close = np.zeros(blocks, dtype=bool)
        probes = [batch[n][0].glued[0] for n in live]
        long_probe = np.asarray([len(p) >= GLUE_MIN_LENGTH for p in probes], dtype=bool)[block_query]
        blocks_used = np.flatnonzero(long_probe)
        if len(blocks_used) == 0:
            return glued, close
        form_block, form_index = _spread(blocks_used, block_row, self.glued_start, self.glued_count)
        probe_strings = [probes[k] for k in block_query[form_block].tolist()]
        form_strings = self.glued_forms[form_index].tolist()
        similarity = cpdist(probe_strings, form_strings, scorer=Indel.normalized_similarity, dtype=np.float64)
        distance = cpdist(probe_strings, form_strings, scorer=OSA.distance, dtype=np.int64)
        # Numbers must agree ("7TH OF TIR" is not "8TH OF TIR").
        probe_digits = np.asarray([glued_digits(p) for p in probes], dtype=object)[block_query[form_block]]
        probe_length = np.fromiter(map(len, probe_strings), dtype=np.int64, count=len(probe_strings))
        form_length = self.glued_length[form_index]
        loose = np.abs(probe_length - form_length) <= GLUE_TYPO_LENGTH
        # A query cut off inside a word: its last word is no word of the listed name, and the query
        # written without spaces starts the listed name's. (A word no list has is -2: -1 pads names.)
        may_be_cut = (probe_length >= TRUNCATED_MIN_LENGTH) & ~loose
        if may_be_cut.any():
            at = np.flatnonzero(may_be_cut)
            last_ids = np.asarray(
                [self.token_id.get(batch[n][0].tokens[-1], -2) for n in live], dtype=np.int64
            )[block_query[form_block[at]]]
            starts = (
                cpdist(
                    [probe_strings[k] for k in at.tolist()],
                    [form_strings[k] for k in at.tolist()],
                    scorer=Prefix.similarity,
                    dtype=np.int64,
                )
                == probe_length[at]
            )
            whole_word = (self.name_tokens[block_row[form_block[at]]] == last_ids[:, None]).any(axis=1)
            loose[at] = starts & ~whole_word
        needed = np.where(loose, GLUE_TYPO_SIMILARITY, GLUE_MIN_SIMILARITY)
        usable = (
            (form_length >= GLUE_MIN_LENGTH)
            & (probe_digits == self.glued_digits[form_index])
            & (similarity >= needed)
        )
        np.maximum.at(glued, form_block, np.where(usable, similarity, 0.0))
        glued *= GLUE_FACTOR
        within = distance <= _allowed_edits(self.name_distinct_letters[block_row[form_block]])
        close[form_block[within]] = True
        return glued, close

    def _spelt_blocks(
        self,
        batch: Sequence[tuple[PreparedName, FloatArray, IntArray]],
        live: list[int],
        block_query: IntArray,
        block_row: IntArray,
    ) -> FloatArray:
        """Per block: :func:`spelt_similarity`."""
        blocks = len(block_row)
        spelt = np.zeros(blocks)
        probes = [batch[n][0].spelt[0] for n in live]
        long_probe = np.asarray([len(p) >= GLUE_MIN_LENGTH for p in probes], dtype=bool)[block_query]
        blocks_used = np.flatnonzero(long_probe)
        if len(blocks_used) == 0:
            return spelt
        form_block, form_index = _spread(blocks_used, block_row, self.spelt_start, self.spelt_count)
        probe_strings = [probes[k] for k in block_query[form_block].tolist()]
        errors = cpdist(
            probe_strings, self.spelt_forms[form_index].tolist(), scorer=OSA.distance, dtype=np.int64
        )
        query_letters = np.asarray([batch[n][0].distinctive_letters for n in live], dtype=np.int64)
        allowed = _allowed_edits(
            np.minimum(
                query_letters[block_query[form_block]], self.name_distinct_letters[block_row[form_block]]
            )
        )
        probe_digits = np.asarray([glued_digits(p) for p in probes], dtype=object)[block_query[form_block]]
        usable = (
            (self.spelt_length[form_index] >= GLUE_MIN_LENGTH)
            & (probe_digits == self.spelt_digits[form_index])
            & (errors <= allowed)
        )
        np.maximum.at(spelt, form_block, np.where(usable, GLUE_FACTOR - SPELT_EDIT_COST * errors, 0.0))
        return spelt

    # ----------------------------------------------------------------------------- search
    def search(
        self,
        name: str,
        *,
        type: str | None = None,
        country: str | None = None,
        dob: str | None = None,
        identifiers: Iterable[str] = (),
        limit: int = DEFAULT_LIMIT,
        threshold: float = DEFAULT_ALERT_THRESHOLD,
    ) -> list[Hit]:
        """Screen one name: the best listed entities scoring at least ``threshold``, best first.

        ``type`` is ``person``, ``organization``, ``vessel`` or ``aircraft``; ``country`` an ISO-2 code
        or a name; ``dob`` a date (``1962-03-13``) or a year. A missing fact is neutral, a conflicting
        one lowers the score; an identifier equal to a listed document number decides the match.
        """
        query = ScreeningQuery("", name, type, country, dob, tuple(identifiers))
        return self.screen_many([query], limit=limit, threshold=threshold)[0]

    def screen(self, query: ScreeningQuery, *, limit: int, threshold: float) -> list[Hit]:
        """Screen one :class:`ScreeningQuery`."""
        return self.screen_many([query], limit=limit, threshold=threshold)[0]

    def screen_many(
        self,
        queries: Sequence[ScreeningQuery],
        *,
        limit: int = DEFAULT_LIMIT,
        threshold: float = DEFAULT_ALERT_THRESHOLD,
    ) -> list[list[Hit]]:
        """Screen many queries; the hits of each, in query order (what the backends call).

        The candidate names of a batch of queries are scored together (:meth:`_score_batch`), which
        is what makes many names per second; the hits are those :meth:`search` gives one at a time.
        """
        results: list[list[Hit]] = []
        for start in range(0, len(queries), BATCH_SIZE):
            part = queries[start : start + BATCH_SIZE]
            contexts = [
                QueryContext.from_values(party_type=query.party_type, country=query.country, dob=query.dob)
                for query in part
            ]
            # Each query's readings: as written, and for a name in Cyrillic the scholarly reading.
            written = [
                [
                    self._query_name(prepare_name(text, party_type=context.party_type), context.party_type)
                    for text in name_readings(query.name)
                ]
                for query, context in zip(part, contexts, strict=True)
            ]
            # A name that ends with a legal form is a company's, when the query does not say.
            contexts = [
                replace(context, party_type=PartyType.ORGANIZATION)
                if context.party_type is PartyType.UNKNOWN and any(name.form_at_end for name in names)
                else context
                for context, names in zip(contexts, written, strict=True)
            ]
            readings = [
                self._readings(names, context.party_type)
                for names, context in zip(written, contexts, strict=True)
            ]
            matches = self._token_matches_many(
                token
                for query_readings in readings
                for reading in query_readings
                for token in reading.prepared.tokens
            )
            plans = [
                [
                    self._plan(reading, context, query.identifiers, matches, limit=limit, threshold=threshold)
                    for reading in query_readings
                ]
                for query, context, query_readings in zip(part, contexts, readings, strict=True)
            ]
            flat = [plan for query_plans in plans for plan in query_plans]
            scores = iter(self._score_batch([(plan.prepared, plan.weights, plan.rows) for plan in flat]))
            results += [
                self._finish([(plan, next(scores)) for plan in query_plans], limit=limit, threshold=threshold)
                for query_plans in plans
            ]
        return results

    @staticmethod
    def _readings(written: Sequence[PreparedName], party_type: PartyType) -> list[Reading]:
        """A query's readings: as written, the scholarly reading of a Cyrillic name, and each of these
        without a first or last word that may be a misspelt legal form."""
        readings = [
            Reading(name, f"read as {' '.join(name.tokens)!r} (scholarly transliteration)" if number else "")
            for number, name in enumerate(written)
        ]
        return readings + [form for name in written for form in edge_form_readings(name, party_type)]

    def _query_name(self, prepared: PreparedName, party_type: PartyType) -> PreparedName:
        """The query name as the lists' vocabulary reads it (not for persons): words that no list
        uses split where they are two words run together (:meth:`_run_on_parts`), and taken off as
        legal forms where they mistype an abbreviated form at the name's edge (``SIRJANCO TRADING
        LC``) or end with one glued to the last word (``TECHMAGMBH``)."""
        if party_type is PartyType.PERSON or not prepared.tokens:
            return prepared
        tokens, forms = list(prepared.tokens), list(prepared.legal_forms)
        at_end = False
        words = [part for token in tokens for part in self._run_on_parts(token)]
        if words != tokens:
            core, more = split_legal_forms(tuple(words))
            at_end = bool(more) and core[-1:] != tuple(words[-1:])
            tokens, forms = list(core), forms + list(more)
        if len(tokens) > 1 and tokens[-1] not in self.token_id and (form := mistyped_form(tokens[-1])):
            forms.append(form)
            del tokens[-1]
            at_end = True
        if (
            len(tokens) > 1
            and tokens[0] not in self.token_id
            and (form := mistyped_form(tokens[0], leading=True))
        ):
            forms.append(form)
            del tokens[0]
        if tokens[-1] not in self.token_id and (split := glued_form(tokens[-1])):
            tokens[-1] = split[0]
            forms.append(split[1])
            at_end = True
        if tokens == list(prepared.tokens) and len(forms) == len(prepared.legal_forms):
            return prepared
        return with_legal_forms(prepared, tokens, forms, at_end=at_end)

    def _run_on_parts(self, token: str) -> list[str]:
        """A query word that no list uses, split where it is two words run together, perhaps with a
        stray letter for the space: both parts words of the lists or of legal forms (``STOCKCCOMPANY``,
        ``PJSCIVTB``, ``LIABILITYCOMPANY``), or a form written first and the rest (``OJSCORENBURGNEFT``).
        A word that is none of these stays whole."""
        if len(token) < RUN_ON_SPLIT_LENGTH or token in self.token_id or not token.isalpha():
            return [token]
        found: list[tuple[int, int, int, str, str]] = []  # known parts first, then no stray letter
        for cut in range(2, len(token) - 1):
            left = token[:cut]
            for stray, right in ((0, token[cut:]), (1, token[cut + 1 :])):
                if len(right) < 2:
                    continue
                if self._known_word(left) and self._known_word(right):
                    form_part = left in FORM_SPELLING_WORDS or right in FORM_SPELLING_WORDS
                    if form_part or min(len(left), len(right)) >= RUN_ON_WORD_LENGTH:
                        found.append((0, stray, -min(len(left), len(right)), left, right))
                elif left in LEADING_GLUED_FORMS and len(right) >= RUN_ON_WORD_LENGTH:
                    found.append((1, stray, 0, left, right))
        if not found or self._has_near_word(token):
            return [token]
        *_, left, right = min(found)
        return [left, right]

    def _has_near_word(self, token: str) -> bool:
        """Whether a word is a listed word or a legal-form word mistyped (``CORPRATION``, ``DIASAN``
        for *Diascan*) rather than two words run together."""
        if respelt_form_word(token) != token:
            return True
        allowed = max(1, allowed_edits(len(token)))
        return any(
            typing_errors(token, self.tokens[number]) <= allowed
            for number in self._similar_tokens(token).tolist()
        )

    def _known_word(self, word: str) -> bool:
        return word in self.token_id or word in FORM_SPELLING_WORDS

    def _plan(
        self,
        reading: Reading,
        context: QueryContext,
        identifiers: tuple[str, ...],
        token_matches: dict[str, TokenMatch],
        *,
        limit: int,
        threshold: float,
    ) -> _QueryPlan:
        """The reading's weights and candidate names; a reading that counts only against names with
        certain legal forms keeps only those candidates."""
        prepared = reading.prepared
        weights = np.zeros(0)
        rows = np.zeros(0, dtype=np.int64)
        if prepared.tokens:
            matches = [token_matches[token] for token in prepared.tokens]
            weights = self._query_weights(prepared, matches)
            rows = self._candidates(prepared, matches, weights)
            if threshold <= 0 and len(set(self.name_entity_array[rows].tolist())) < limit:
                # "The top N whatever the score": top up with names that merely look alike.
                rows = np.union1d(rows, self._fallback_candidates(prepared, share=0.0))
            if reading.forms is not None:
                rows = rows[self._with_forms(reading.forms)[self.name_form[rows]]]
        return _QueryPlan(prepared, context, weights, rows, identifiers, reading.note)

    def _finish(
        self, readings: Sequence[tuple[_QueryPlan, FloatArray]], *, limit: int, threshold: float
    ) -> list[Hit]:
        """The hits of one query from the scores of its readings: each entity's best name under
        any reading."""
        best: dict[int, tuple[float, int, int]] = {}  # entity: score, row, reading
        for reading, (plan, scores) in enumerate(readings):
            if len(plan.rows):
                scores = np.where(self.name_weak[plan.rows], scores * WEAK_ALIAS_FACTOR, scores)
                for row, score in zip(plan.rows.tolist(), scores.tolist(), strict=True):
                    entity = self.name_entity[row]
                    if entity not in best or score > best[entity][0]:
                        best[entity] = (score, row, reading)
        first = readings[0][0]
        decided = self._identifier_matches(first.identifiers)
        return self._hits(
            [plan for plan, _ in readings],
            first.context,
            best,
            decided,
            limit=limit,
            threshold=threshold,
        )

    def _with_forms(self, forms: frozenset[str]) -> BoolArray:
        """Per legal-form number (``name_form``): whether those forms include one of ``forms``."""
        found = self._form_masks.get(forms)
        if found is None:
            keys = sorted(self.form_id, key=self.form_id.__getitem__)
            found = self._form_masks[forms] = np.asarray([bool(forms.intersection(key)) for key in keys])
        return found

    def _identifier_matches(self, identifiers: Iterable[str]) -> dict[int, str]:
        decided: dict[int, str] = {}
        for number in identifiers:
            key = identifier_key(number)
            for entity in self.identifier_entities.get(key, ()) if len(key) >= IDENTIFIER_MIN_LENGTH else ():
                decided[entity] = number
        return decided

    def _hits(
        self,
        readings: Sequence[_QueryPlan],
        context: QueryContext,
        best: dict[int, tuple[float, int, int]],
        decided: dict[int, str],
        *,
        limit: int,
        threshold: float,
    ) -> list[Hit]:
        """``readings``: the plans of the query's readings; ``best``: each entity's best name score,
        its row and the reading that gave it."""
        scored: list[tuple[float, int, int, int, list[str]]] = []
        for entity_number in decided:
            row, reading = (
                best[entity_number][1:] if entity_number in best else (self._primary_row(entity_number), 0)
            )
            scored.append(
                (1.0, entity_number, row, reading, [f"identifier {decided[entity_number]} matches: decides"])
            )
        for entity_number, (name_score, row, reading) in best.items():
            if entity_number in decided or name_score + MAX_CONTEXT_BONUS < threshold:
                continue
            entity = self.entities[entity_number]
            delta, notes = context_adjustment(context, entity)
            score = min(1.0, max(0.0, name_score + delta)) if name_score > 0 else 0.0
            scored.append((round(score, 4), entity_number, row, reading, notes))
        # Equal scores (the same name listed twice, as PJSC and as JSC, with and without a hyphen) go to
        # the name written most like the query: as typed, legal forms included, then word for word;
        # then in list order.
        spelt = [plan.prepared.spelt[0] for plan in readings]
        probes = [" ".join(plan.prepared.tokens + plan.prepared.legal_forms) for plan in readings]
        scored.sort(
            key=lambda item: (
                -item[0],
                -max(Indel.normalized_similarity(spelt[item[3]], form) for form in self.names[item[2]].spelt)
                if item[0] >= threshold
                else 0.0,
                -Indel.normalized_similarity(probes[item[3]], self._written(item[2]))
                if item[0] >= threshold
                else 0.0,
                self.entities[item[1]].list_code,
                self.entities[item[1]].entity_id,
            )
        )
        hits: list[Hit] = []
        for score, entity_number, row, reading, notes in scored:
            if score < threshold or len(hits) >= limit:
                break
            plan = readings[reading]
            if plan.note:
                notes = [plan.note, *notes]
            hits.append(
                self._hit(len(hits) + 1, score, entity_number, row, plan.prepared, plan.weights, notes)
            )
        return hits

    def _written(self, row: int) -> str:
        listed = self.names[row]
        return " ".join(listed.tokens + listed.legal_forms)

    def _primary_row(self, entity_number: int) -> int:
        return int(np.searchsorted(self.name_entity_array, entity_number))

    def _hit(
        self,
        rank: int,
        score: float,
        entity_number: int,
        row: int,
        prepared: PreparedName,
        weights: FloatArray,
        notes: list[str],
    ) -> Hit:
        entity = self.entities[entity_number]
        listed = self.names[row]
        parts = [f"{self.name_kind[row].value} name"]
        if prepared.tokens:
            comparison = self.compare(prepared, weights, row)
            parts.append(comparison.describe())
            parts.append(f"name {comparison.score:.3f}")
        if self.name_kind[row] is NameKind.WEAK_ALIAS:
            parts.append(f"weak alias x{WEAK_ALIAS_FACTOR}")
        parts += notes
        parts.append(f"list {entity.list_code} of {self.list_dates.get(self._list_of(entity), '')}")
        parts.append(f"snapshot {self.snapshot_hash[:12]}")
        list_date = self.list_dates.get(self._list_of(entity), "")
        return Hit(
            rank=rank,
            score=score,
            list_code=entity.list_code,
            entity_id=entity.entity_id,
            matched_name=listed.text,
            name_kind=self.name_kind[row],
            explanation="; ".join(parts),
            list_date=list_date,
            snapshot_hash=self.snapshot_hash,
            entity=entity,
        )

    def compact_hit(self, hit: Hit) -> CompactHit:
        """A hit without its entity (the entity's number in this index instead), to send elsewhere."""
        if self._entity_numbers is None:
            self._entity_numbers = {id(entity): number for number, entity in enumerate(self.entities)}
        number = self._entity_numbers[id(hit.entity)]
        return (hit.rank, hit.score, number, hit.matched_name, hit.name_kind.value, hit.explanation)

    def expand_hit(self, compact: CompactHit) -> Hit:
        """The hit of :meth:`compact_hit`, made whole again from this (identical) index."""
        rank, score, number, matched_name, name_kind, explanation = compact
        entity = self.entities[number]
        return Hit(
            rank=rank,
            score=score,
            list_code=entity.list_code,
            entity_id=entity.entity_id,
            matched_name=matched_name,
            name_kind=NameKind(name_kind),
            explanation=explanation,
            list_date=self.list_dates.get(self._list_of(entity), ""),
            snapshot_hash=self.snapshot_hash,
            entity=entity,
        )

    def compare(self, prepared: PreparedName, weights: FloatArray, row: int) -> NameComparison:
        """:func:`compare_names` of a query against the listed name ``row``, with this index's token
        weights and mistyped words: the score the vectorised scoring gives, and its explanation."""
        listed = self.names[row]
        return compare_names(
            prepared,
            listed,
            query_weights=weights.tolist(),
            list_weights=[float(self.token_weight[self.token_id[t]]) for t in listed.tokens],
            mistyped=[self.looks_mistyped(t) for t in prepared.tokens],
            listed_person=bool(self.name_person[row]),
        )

    def _list_of(self, entity: ListedEntity) -> str:
        return "CSL" if entity.list_code.startswith("CSL-") else entity.list_code

    def __len__(self) -> int:
        return len(self.entities)

    def __getstate__(self) -> dict[str, object]:
        # Sent to Dask workers as built (an exact copy), without the per-token cache.
        state = dict(self.__dict__)
        state["_match_cache"] = {}
        state["_mistyped"] = {}
        state["_form_masks"] = {}
        state["_entity_numbers"] = None  # object ids differ in every process
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)


def clear_caches() -> None:
    """Forget what was remembered about names and tokens seen before (for cold-start timings)."""
    from . import legal_forms, name_matching, normalisation

    for cached in (
        normalisation.clean_name,
        legal_forms.split_legal_forms,
        legal_forms.generic_resemblance,
        legal_forms.respelt_form_word,
        name_matching.phonetic_key,
        name_matching.token_similarity,
        name_matching.edit_counts,
    ):
        cached.cache_clear()


def build_index(lists: Sequence[RestrictedPartyList]) -> ScreeningIndex:
    """Build a screening index from lists read by :func:`ctpat.screening.readers.read_list`."""
    return ScreeningIndex(lists)


def party_type_of(value: str | None) -> PartyType:
    """A query's party type, ``unknown`` when empty."""
    return PartyType(value.strip().lower()) if value and value.strip() else PartyType.UNKNOWN
