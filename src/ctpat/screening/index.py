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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA, Indel, Prefix
from rapidfuzz.process import cdist

from .context import (
    IDENTIFIER_MIN_LENGTH,
    MAX_CONTEXT_BONUS,
    QueryContext,
    context_adjustment,
    identifier_key,
)
from .legal_forms import is_generic_word
from .model import ListedEntity, NameKind, PartyType, RestrictedPartyList
from .name_matching import (
    DISTINCT_MATCH,
    GENERIC_CAP,
    GLUE_FACTOR,
    GLUE_MIN_LENGTH,
    GLUE_MIN_SIMILARITY,
    INITIAL_SIMILARITY,
    INITIAL_WORD_CREDIT,
    PHONETIC_MIN_KEY,
    PHONETIC_MIN_SPELLING,
    PHONETIC_SIMILARITY,
    PREFIX_BASE,
    TOKEN_FLOOR,
    PreparedName,
    compare_names,
    phonetic_key,
    prepare_name,
)
from .snapshot import content_hash

# The score at and above which a hit is an alert (tuned on perturbed and non-listed names; see the docs).
DEFAULT_ALERT_THRESHOLD = 0.75
DEFAULT_LIMIT = 10
CANDIDATES_PER_QUERY = 24
UNKNOWN_TOKEN_WEIGHT = 1.0
GENERIC_WEIGHT = 0.12
MIN_WEIGHT = 0.05
WEAK_ALIAS_FACTOR = 0.95
_IDF_PRIOR = 50  # keeps weights sensible on a small list
MATCH_CACHE_SIZE = 50_000  # query tokens whose list matches are remembered

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


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
    """The list tokens a query token resembles (similarity above the floor) and the weight it gets."""

    ids: IntArray
    similarity: FloatArray
    weight: float


@dataclass(frozen=True, slots=True)
class ScreeningQuery:
    """A name to screen and what else is known about the party."""

    query_id: str
    name: str
    party_type: str | None = None
    country: str | None = None
    dob: str | None = None
    identifiers: tuple[str, ...] = ()


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

    # ----------------------------------------------------------------------------- building
    def _prepare_names(self) -> None:
        self.names: list[PreparedName] = []
        self.name_entity: list[int] = []
        self.name_kind: list[NameKind] = []
        for number, entity in enumerate(self.entities):
            seen: set[tuple[str, ...]] = set()
            for listed in entity.names:
                prepared = prepare_name(listed.text, party_type=entity.party_type)
                key = prepared.tokens + prepared.glued
                if not prepared.tokens or key in seen:
                    continue
                seen.add(key)
                self.names.append(prepared)
                self.name_entity.append(number)
                self.name_kind.append(listed.kind)
        self.name_entity_array = np.asarray(self.name_entity, dtype=np.int64)

    def _build_vocabulary(self) -> None:
        self.token_id: dict[str, int] = {}
        document_frequency: list[int] = []
        for prepared in self.names:
            for token in set(prepared.tokens):
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
        self.token_length = np.array([len(token) for token in self.tokens], dtype=np.int64)
        self.token_first = np.array([ord(token[0]) for token in self.tokens], dtype=np.int64)
        self.token_distinct = np.array(
            [len(token) > 1 and not is_generic_word(token) for token in self.tokens]
        )
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
        self.name_all_generic = ~np.any(valid & self.token_distinct[np.maximum(self.name_tokens, 0)], axis=1)

    @staticmethod
    def _weight(token: str, document_frequency: int, total: int) -> float:
        weight = math.log(total / (document_frequency + 1)) / math.log(total)
        if is_generic_word(token):
            weight = min(weight, GENERIC_WEIGHT)
        return max(MIN_WEIGHT, min(1.0, weight))

    def _build_lookups(self) -> None:
        postings: dict[int, list[int]] = defaultdict(list)
        glued: dict[str, list[int]] = defaultdict(list)
        for row, prepared in enumerate(self.names):
            for token in dict.fromkeys(prepared.tokens):
                postings[self.token_id[token]].append(row)
            for first, second in zip(prepared.tokens, prepared.tokens[1:], strict=False):
                glued[first + second].append(row)
        self.postings = [np.asarray(postings[number], dtype=np.int64) for number in range(len(self.tokens))]
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
        self.deletions = dict(deletions)
        self.phonetic_tokens = dict(phonetic)
        self.trigram_tokens = {gram: np.asarray(ids, dtype=np.int64) for gram, ids in trigrams.items()}
        self.name_glued = [prepared.glued for prepared in self.names]
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
        """Vocabulary tokens close to a query token, with their true similarity (cached per token)."""
        cached = self._match_cache.get(token)
        if cached is not None:
            return cached
        found: set[int] = set()
        exact = self.token_id.get(token, -1)
        if exact >= 0:
            found.add(exact)
        if token.isalpha() and len(token) >= 2:
            for variant in _deletions(token, _deletion_depth(token)):
                found.update(self.deletions.get(variant, ()))
            key = phonetic_key(token)
            if len(key) >= PHONETIC_MIN_KEY and key in self.phonetic_id:
                found.update(self.phonetic_tokens.get(self.phonetic_id[key], ()))
            if not found:
                found = self._trigram_matches(token)
        ids = np.fromiter(sorted(found), dtype=np.int64, count=len(found))
        similarity = self._token_similarities((token,), ids)[0][0] if len(ids) else np.zeros(0)
        close = similarity > 0
        ids, similarity = ids[close], similarity[close]
        if exact >= 0:
            weight = float(self.token_weight[exact])
        elif is_generic_word(token):
            weight = GENERIC_WEIGHT
        elif len(ids):
            # A misspelt token weighs what the list token it resembles most weighs, as far as it
            # resembles it; the rest of its weight is that of a token no list has.
            best = int(np.argmax(similarity))
            share = float(similarity[best])
            weight = share * float(self.token_weight[ids[best]]) + (1 - share) * UNKNOWN_TOKEN_WEIGHT
        else:
            weight = UNKNOWN_TOKEN_WEIGHT
        match = TokenMatch(ids, similarity, weight)
        if len(self._match_cache) >= MATCH_CACHE_SIZE:
            self._match_cache.clear()
        self._match_cache[token] = match
        return match

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

    def _candidates(self, prepared: PreparedName, matches: Sequence[TokenMatch], weights: FloatArray) -> IntArray:
        """The names most likely to score well: each shared (or similar) token adds what it would add
        to the score, its weight on both sides times its similarity."""
        rows: list[IntArray] = []
        gains: list[FloatArray] = []
        for match, weight in zip(matches, weights, strict=True):
            for number, similarity in zip(match.ids.tolist(), match.similarity.tolist(), strict=True):
                rows.append(self.postings[number])
                gains.append(np.full(len(self.postings[number]), (weight + self.token_weight[number]) * similarity))
        tokens = prepared.tokens
        for position, (first, second) in enumerate(itertools.pairwise(tokens)):
            # A name listed with "AL SHANTI" for a query "ALSHANTI", and the other way round.
            key = first + second
            if key in self.glued_postings:
                rows.append(self.glued_postings[key])
                gains.append(np.full(len(rows[-1]), GLUE_FACTOR * 2 * (weights[position] + weights[position + 1])))
        for position, token in enumerate(tokens):
            if token in self.glued_postings:
                rows.append(self.glued_postings[token])
                gains.append(np.full(len(rows[-1]), GLUE_FACTOR * 2 * weights[position]))
        if not rows:
            return self._fallback_candidates(prepared)
        all_rows = np.concatenate(rows)
        totals = np.bincount(all_rows, weights=np.concatenate(gains), minlength=len(self.names))
        touched = np.flatnonzero(totals)
        ranking = totals[touched] / (self.name_weight_sum[touched] + weights.sum())
        if len(touched) > CANDIDATES_PER_QUERY:
            keep = np.argpartition(-ranking, CANDIDATES_PER_QUERY)[:CANDIDATES_PER_QUERY]
            touched = touched[keep]
        return np.sort(touched)

    def _fallback_candidates(self, prepared: PreparedName, *, share: float = 0.4) -> IntArray:
        """No token of the query resembles a list token: the names sharing most character trigrams
        with the whole name written without spaces."""
        probe = prepared.glued[0] if prepared.glued else ""
        grams = [self.name_trigrams[g] for g in _trigrams(probe) if g in self.name_trigrams]
        if not grams:
            return np.zeros(0, dtype=np.int64)
        counts = np.bincount(np.concatenate(grams), minlength=len(self.names))
        needed = max(1, math.ceil(share * len(probe)))
        touched = np.flatnonzero(counts >= needed)
        if len(touched) > CANDIDATES_PER_QUERY:
            touched = touched[np.argpartition(-counts[touched], CANDIDATES_PER_QUERY)[:CANDIDATES_PER_QUERY]]
        return np.sort(touched)

    # ----------------------------------------------------------------------------- scoring
    def _token_similarities(
        self, query: Sequence[str], vocabulary: IntArray
    ) -> tuple[FloatArray, FloatArray]:
        """Query tokens × vocabulary tokens: the credits of :func:`token_credits`, query side and list side."""
        strings = [self.tokens[number] for number in vocabulary]
        osa = cdist(query, strings, scorer=OSA.normalized_similarity, dtype=np.float64)
        prefix = cdist(query, strings, scorer=Prefix.similarity, dtype=np.int64)
        q_length = np.array([len(t) for t in query], dtype=np.int64)[:, None]
        q_alpha = np.array([t.isalpha() for t in query])[:, None]
        q_first = np.array([ord(t[0]) for t in query], dtype=np.int64)[:, None]
        q_keys = [phonetic_key(t) for t in query]
        q_phonetic = np.array(
            [self.phonetic_id.get(k, -2) if len(k) >= PHONETIC_MIN_KEY else -2 for k in q_keys]
        )[:, None]
        q_ids = np.array([self.token_id.get(t, -1) for t in query], dtype=np.int64)[:, None]
        v_length = self.token_length[vocabulary][None, :]
        both_alpha = q_alpha & self.token_alpha[vocabulary][None, :]
        sounds_alike = (q_phonetic == self.token_phonetic[vocabulary][None, :]) & (
            osa >= PHONETIC_MIN_SPELLING
        )
        similarity = np.where(sounds_alike, np.maximum(osa, PHONETIC_SIMILARITY), osa)
        covered = PREFIX_BASE + (1 - PREFIX_BASE) * q_length / v_length
        is_prefix = (q_length >= 3) & (prefix == q_length)
        similarity = np.where(is_prefix, np.maximum(similarity, covered), similarity)
        initial = (q_length == 1) | (v_length == 1)
        initial_match = q_first == self.token_first[vocabulary][None, :]
        similarity = np.where(initial, np.where(initial_match, INITIAL_SIMILARITY, 0.0), similarity)
        similarity = np.where(both_alpha & (similarity >= TOKEN_FLOOR), similarity, 0.0)
        equal = q_ids == vocabulary[None, :]
        similarity = np.where(equal, 1.0, similarity)
        word_credit = np.where(similarity > 0, INITIAL_WORD_CREDIT, 0.0)
        query_initial = (q_length == 1) & (v_length > 1) & ~equal
        list_initial = (v_length == 1) & (q_length > 1) & ~equal
        query_side = np.where(list_initial, word_credit, similarity)
        list_side = np.where(query_initial, word_credit, similarity)
        return query_side, list_side

    def _score_names(self, prepared: PreparedName, weights: FloatArray, rows: IntArray) -> FloatArray:
        """The name score of the query against each candidate name (vectorised ``compare_names``)."""
        if len(rows) == 0 or not prepared.tokens:
            return np.zeros(len(rows))
        token_rows = self.name_tokens[rows]
        valid = token_rows >= 0
        flat = token_rows[valid]
        segment = np.nonzero(valid)[0]
        vocabulary, position = np.unique(flat, return_inverse=True)
        query_side, list_credit = self._token_similarities(prepared.tokens, vocabulary)
        matrix = query_side[:, position]
        best_list = list_credit[:, position].max(axis=0)
        list_side = np.bincount(segment, weights=self.token_weight[flat] * best_list, minlength=len(rows))
        starts = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
        best_query = np.maximum.reduceat(matrix, starts, axis=1)
        token_score = (weights @ best_query + list_side) / (weights.sum() + self.name_weight_sum[rows])
        score = np.maximum(token_score, self._glued_scores(prepared, rows))
        return np.where(
            self._generic_only(prepared, matrix, flat, starts, rows), np.minimum(score, GENERIC_CAP), score
        )

    def _glued_scores(self, prepared: PreparedName, rows: IntArray) -> FloatArray:
        probe = prepared.glued[0]
        if len(probe) < GLUE_MIN_LENGTH:
            return np.zeros(len(rows))
        forms: list[str] = []
        owner: list[int] = []
        for position, row in enumerate(rows):
            for form in self.name_glued[row]:
                if len(form) >= GLUE_MIN_LENGTH:
                    forms.append(form)
                    owner.append(position)
        scores = np.zeros(len(rows))
        if forms:
            similarity = cdist([probe], forms, scorer=Indel.normalized_similarity, dtype=np.float64)[0]
            np.maximum.at(scores, np.asarray(owner), similarity)
        return np.where(scores >= GLUE_MIN_SIMILARITY, scores * GLUE_FACTOR, 0.0)

    def _generic_only(
        self, prepared: PreparedName, matrix: FloatArray, flat: IntArray, starts: IntArray, rows: IntArray
    ) -> npt.NDArray[np.bool_]:
        q_distinct = np.array(prepared.distinctive)
        if not q_distinct.any():
            return np.array([self.names[row].tokens != prepared.tokens for row in rows])
        distinct = np.where(q_distinct[:, None] & self.token_distinct[flat][None, :], matrix, 0.0)
        has_match = np.maximum.reduceat(distinct, starts, axis=1).max(axis=0) >= DISTINCT_MATCH
        all_generic = self.name_all_generic[rows]
        exact = (
            np.array([self.names[row].tokens == prepared.tokens for row in rows])
            if all_generic.any()
            else all_generic
        )
        return np.where(all_generic, ~exact, ~has_match)

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
        context = QueryContext.from_values(party_type=type, country=country, dob=dob)
        prepared = prepare_name(name, party_type=context.party_type)
        best: dict[int, tuple[float, int]] = {}
        weights = np.zeros(0)
        if prepared.tokens:
            matches = [self._token_matches(token) for token in prepared.tokens]
            weights = self._query_weights(prepared, matches)
            rows = self._candidates(prepared, matches, weights)
            if threshold <= 0 and len(set(self.name_entity_array[rows].tolist())) < limit:
                # "The top N whatever the score": top up with names that merely look alike.
                rows = np.union1d(rows, self._fallback_candidates(prepared, share=0.0))
            scores = self._score_names(prepared, weights, rows)
            kinds = np.array([self.name_kind[row] is NameKind.WEAK_ALIAS for row in rows], dtype=bool)
            scores = np.where(kinds, scores * WEAK_ALIAS_FACTOR, scores) if len(rows) else scores
            for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
                entity = self.name_entity[row]
                if entity not in best or score > best[entity][0]:
                    best[entity] = (score, row)
        decided = self._identifier_matches(identifiers)
        return self._hits(prepared, weights, context, best, decided, limit=limit, threshold=threshold)

    def _identifier_matches(self, identifiers: Iterable[str]) -> dict[int, str]:
        decided: dict[int, str] = {}
        for number in identifiers:
            key = identifier_key(number)
            for entity in self.identifier_entities.get(key, ()) if len(key) >= IDENTIFIER_MIN_LENGTH else ():
                decided[entity] = number
        return decided

    def _hits(
        self,
        prepared: PreparedName,
        weights: FloatArray,
        context: QueryContext,
        best: dict[int, tuple[float, int]],
        decided: dict[int, str],
        *,
        limit: int,
        threshold: float,
    ) -> list[Hit]:
        scored: list[tuple[float, int, int, list[str]]] = []
        for entity_number in decided:
            row = best[entity_number][1] if entity_number in best else self._primary_row(entity_number)
            scored.append(
                (1.0, entity_number, row, [f"identifier {decided[entity_number]} matches: decides"])
            )
        for entity_number, (name_score, row) in best.items():
            if entity_number in decided or name_score + MAX_CONTEXT_BONUS < threshold:
                continue
            entity = self.entities[entity_number]
            delta, notes = context_adjustment(context, entity)
            score = min(1.0, max(0.0, name_score + delta)) if name_score > 0 else 0.0
            scored.append((round(score, 4), entity_number, row, notes))
        scored.sort(
            key=lambda item: (-item[0], self.entities[item[1]].list_code, self.entities[item[1]].entity_id)
        )
        hits: list[Hit] = []
        for score, entity_number, row, notes in scored:
            if score < threshold or len(hits) >= limit:
                break
            hits.append(self._hit(len(hits) + 1, score, entity_number, row, prepared, weights, notes))
        return hits

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
            comparison = compare_names(
                prepared,
                listed,
                query_weights=weights.tolist(),
                list_weights=[float(self.token_weight[self.token_id[t]]) for t in listed.tokens],
            )
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

    def _list_of(self, entity: ListedEntity) -> str:
        return "CSL" if entity.list_code.startswith("CSL-") else entity.list_code

    def screen(self, query: ScreeningQuery, *, limit: int, threshold: float) -> list[Hit]:
        """Screen one :class:`ScreeningQuery` (what the backends call for each row)."""
        return self.search(
            query.name,
            type=query.party_type,
            country=query.country,
            dob=query.dob,
            identifiers=query.identifiers,
            limit=limit,
            threshold=threshold,
        )

    def __len__(self) -> int:
        return len(self.entities)


def build_index(lists: Sequence[RestrictedPartyList]) -> ScreeningIndex:
    """Build a screening index from lists read by :func:`ctpat.screening.readers.read_list`."""
    return ScreeningIndex(lists)


def party_type_of(value: str | None) -> PartyType:
    """A query's party type, ``unknown`` when empty."""
    return PartyType(value.strip().lower()) if value and value.strip() else PartyType.UNKNOWN
