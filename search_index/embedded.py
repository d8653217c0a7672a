"""The embedded backend: in-process search over the same documents, on rapidfuzz.

It follows Meilisearch's rules closely enough to pass the same contract tests:

- every query word must match (stop words are not searched), the last word also as the
  start of a longer word unless the query ends with a space;
- typos by word length (none below 5 letters, one for 5-8, two from 9; a wrong first
  letter counts as two), never on numbers;
- the vocabulary's synonyms, also multi-word ones, and two adjacent words written as one
  ("jeugd hulp" finds "jeugdhulp");
- ranking: explicit sort first, then fewer typos, query words in the same attribute
  (proximity "byAttribute", as the Meilisearch settings say), matches in more important
  attributes and earlier in their value, more exact words, then the name;
- the same filters (via `filters.py` conditions) and facet counts.

Speed comes from precomputed structures, not from scanning: an inverted index from
word to documents, documents as bits of Python integers (filters, facets and word
matches are AND/OR of integers), typo candidates found by rapidfuzz among the
indexed words of a similar length (cached per word), and ranking in buckets (typos,
proximity, attributes as masks) so per-document details are computed only for the
bucket that fills the page.

The parts: the index state (embedded_state.py), the query's words and their matches
(embedded_query.py), filters and radius (embedded_filters.py), ordering
(embedded_order.py); this module keeps indexing, term lookup and the run.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_index.documents import SearchDocument, checksum_of
from search_index.embedded_filters import cell_of, filter_mask, unit_xyz
from search_index.embedded_order import order, refresh_order
from search_index.embedded_query import NO_MARKS, _Marks, _Query, _segments
from search_index.embedded_state import (
    MAX_VALUES,
    NUMBER_ATTRIBUTES,
    VALUE_ATTRIBUTES,
    VALUE_STRIDE,
    Alternative,
    _State,
    _values,
    mask_of,
)
from search_index.engine import (
    CROP_FIELD,
    CROP_WORDS,
    HIGHLIGHTED,
    SEARCHABLE,
    BaseBackend,
    Plan,
    RawHit,
    RawPage,
)
from search_index.protocol import (
    FACETS,
    BackendName,
    Health,
    IndexStats,
    Segment,
)
from search_index.text import typo_budget, words
from search_index.vocabulary import Vocabulary, phrases_in


def _heaviness(doc: Mapping[str, Any] | None) -> int:
    value = doc.get("zwaarte") if doc is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _number_key(value: Any, sign: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.inf
    return sign * float(value)


class EmbeddedBackend(BaseBackend):
    name: BackendName = "embedded"

    def __init__(self, vocabulary: Vocabulary, *, freshness_weeks: int = 6) -> None:
        self.vocabulary = vocabulary
        self.freshness_weeks = freshness_weeks
        self._lock = threading.RLock()
        self._state = _State()
        self._alternatives = lru_cache(maxsize=8192)(self._word_alternatives)

    # ---- writing ------------------------------------------------------------------------

    def _index_doc(self, state: _State, doc: SearchDocument) -> None:
        doc_id = str(doc["id"])
        if doc_id in state.slot:
            self._remove(state, doc_id)
        slot = state.free.pop() if state.free else len(state.docs)
        if slot == len(state.docs):
            state.docs.append(None)
            state.doc_terms.append({})
            state.wait_key.append(math.inf)
            state.quality_key.append(math.inf)
        state.docs[slot] = doc
        state.slot[doc_id] = slot
        bit = 1 << slot
        state.alive |= bit
        stop = self.vocabulary.stop_words
        terms: dict[str, tuple[int, int]] = {}
        for rank, attribute in enumerate(SEARCHABLE):
            for value in _values(doc.get(attribute))[:MAX_VALUES]:
                for offset, word in enumerate(words(str(value))[: VALUE_STRIDE - 1]):
                    if word in stop:
                        continue
                    position = rank * VALUE_STRIDE + offset  # attribute first, then position
                    known = terms.get(word)
                    if known is None:
                        terms[word] = (position, 1 << rank)
                    else:
                        terms[word] = (min(known[0], position), known[1] | 1 << rank)
        new_terms = False
        for word, (position, _bits) in terms.items():
            posting = state.postings.get(word)
            if posting is None:
                posting = state.postings[word] = {}
                new_terms = True
            posting[slot] = position
            if word in state.term_masks:
                state.term_masks[word] |= bit
            state.term_attr_masks.pop(word, None)
            state.term_first_masks.pop(word, None)
        state.doc_terms[slot] = terms
        for attribute in VALUE_ATTRIBUTES:
            table = state.values.setdefault(attribute, {})
            for stored in _values(doc.get(attribute)):
                table[stored] = table.get(stored, 0) | bit
        for attribute in NUMBER_ATTRIBUTES:
            stored = doc.get(attribute)
            if isinstance(stored, int | float) and not isinstance(stored, bool):
                table_n = state.numbers.setdefault(attribute, {})
                table_n[float(stored)] = table_n.get(float(stored), 0) | bit
        geo = doc.get("_geo")
        if geo:
            lat, lng = float(geo["lat"]), float(geo["lng"])
            state.xyz[slot] = point = unit_xyz(lat, lng)
            cell = state.slot_cell[slot] = cell_of(lat, lng)
            state.cells.setdefault(cell, {})[slot] = point
            state.cell_masks[cell] = state.cell_masks.get(cell, 0) | bit
        state.wait_key[slot] = _number_key(doc.get("wachttijd_sorteer"), 1.0)
        state.quality_key[slot] = _number_key(doc.get("kwaliteit"), -1.0)
        heavy = _heaviness(doc)
        state.heaviness[heavy] = state.heaviness.get(heavy, 0) | bit
        state.order_dirty = True
        if new_terms:
            state.version += 1

    def _remove(self, state: _State, doc_id: str) -> None:
        slot = state.slot.pop(doc_id, None)
        if slot is None:
            return
        doc = state.docs[slot]
        bit = 1 << slot
        state.alive &= ~bit
        gone = False
        for word in state.doc_terms[slot]:
            posting = state.postings.get(word)
            state.term_attr_masks.pop(word, None)
            state.term_first_masks.pop(word, None)
            if posting is not None:
                posting.pop(slot, None)
                if not posting:
                    del state.postings[word]
                    state.term_masks.pop(word, None)
                    gone = True
                elif word in state.term_masks:
                    state.term_masks[word] &= ~bit
        assert doc is not None
        for attribute in VALUE_ATTRIBUTES:
            table = state.values.get(attribute, {})
            for stored in _values(doc.get(attribute)):
                if stored in table:
                    table[stored] &= ~bit
                    if not table[stored]:
                        del table[stored]
        for attribute in NUMBER_ATTRIBUTES:
            stored = doc.get(attribute)
            table_n = state.numbers.get(attribute, {})
            if (
                isinstance(stored, int | float)
                and not isinstance(stored, bool)
                and float(stored) in table_n
            ):
                table_n[float(stored)] &= ~bit
                if not table_n[float(stored)]:
                    del table_n[float(stored)]
        state.xyz.pop(slot, None)
        cell = state.slot_cell.pop(slot, None)
        if cell is not None:
            members = state.cells[cell]
            del members[slot]
            if members:
                state.cell_masks[cell] &= ~bit
            else:
                del state.cells[cell], state.cell_masks[cell]
        heavy = _heaviness(doc)
        state.heaviness[heavy] = state.heaviness.get(heavy, 0) & ~bit
        state.doc_terms[slot] = {}
        state.wait_key[slot] = state.quality_key[slot] = math.inf
        state.docs[slot] = None
        state.free.append(slot)
        state.order_dirty = True
        if gone:
            state.version += 1

    def index_documents(self, docs: Iterable[SearchDocument]) -> None:
        with self._lock:
            for doc in docs:
                self._index_doc(self._state, dict(doc))

    def delete(self, ids: Iterable[str]) -> None:
        with self._lock:
            for doc_id in ids:
                self._remove(self._state, str(doc_id))
            self._state.version += 1

    def rebuild(self, docs: Iterable[SearchDocument]) -> None:
        fresh = _State()
        for doc in docs:
            self._index_doc(fresh, dict(doc))
        fresh.version = self._state.version + 1
        with self._lock:
            self._state = fresh  # the swap: searches see the old or the new index whole

    @property
    def state(self) -> _State:
        """The whole index (for a snapshot on disk: pickle it while nothing writes)."""
        return self._state

    def restore(self, state: _State) -> None:
        """Swap in an index from a snapshot (see etalage.indexing.snapshot)."""
        if not isinstance(state, _State):
            raise TypeError("not an embedded index state")
        state.version = self._state.version + 1
        with self._lock:
            self._state = state

    def stats(self) -> IndexStats:
        with self._lock:
            docs = [d for d in self._state.docs if d is not None]
        return IndexStats(
            count=len(docs), checksum=checksum_of((str(d["id"]), str(d["hash"])) for d in docs)
        )

    def versions(self, wanted: Sequence[tuple[str, str]]) -> list[SearchDocument | None]:
        """The documents with these (id, hash) pairs; None where this copy holds another
        version or none (see `MeiliBackend.document_store`)."""
        with self._lock:
            state = self._state
            out: list[SearchDocument | None] = []
            for doc_id, doc_hash in wanted:
                slot = state.slot.get(doc_id)
                doc = state.docs[slot] if slot is not None else None
                out.append(doc if doc is not None and doc.get("hash") == doc_hash else None)
            return out

    def documents(self) -> list[SearchDocument]:
        """Every document held (a copy of the list; the documents themselves are shared
        and must not be changed)."""
        with self._lock:
            return [d for d in self._state.docs if d is not None]

    def health(self) -> Health:
        return Health(ok=True, backend=self.name, detail="in het geheugen", latency_ms=0.0)

    def __len__(self) -> int:
        return len(self._state.slot)

    # ---- word look-ups --------------------------------------------------------------------

    def _refresh_terms(self, state: _State) -> None:
        if state.terms_version == state.version:
            return
        state.sorted_terms = sorted(state.postings)
        by_len: dict[int, list[str]] = {}
        for term in state.sorted_terms:
            by_len.setdefault(len(term), []).append(term)
        state.terms_by_len = by_len
        state.prefixes_by_len = {}
        state.terms_version = state.version
        self._alternatives.cache_clear()

    def _prefixes(self, state: _State, length: int) -> list[str]:
        found = state.prefixes_by_len.get(length)
        if found is None:
            found = sorted({t[:length] for t in state.sorted_terms if len(t) >= length})
            state.prefixes_by_len[length] = found
        return found

    def _starting_with(self, state: _State, prefix: str) -> list[str]:
        terms = state.sorted_terms
        index = bisect.bisect_left(terms, prefix)
        out: list[str] = []
        while index < len(terms) and terms[index].startswith(prefix):
            out.append(terms[index])
            index += 1
        return out

    def _word_alternatives(self, word: str, prefix: bool, version: int) -> tuple[Alternative, ...]:
        """Indexed words that match a query word: itself, by prefix, with typos."""
        state = self._state
        found: dict[str, Alternative] = {}

        def add(alt: Alternative) -> None:
            old = found.get(alt.terms[0])
            if old is None or (alt.typos, not alt.exact) < (old.typos, not old.exact):
                found[alt.terms[0]] = alt

        if word in state.postings:
            add(Alternative((word,), 0, True))
        if prefix:
            for completion in self._starting_with(state, word):
                if completion != word:
                    add(Alternative((completion,), 0, False, prefix_of=word))
        budget = 0 if word.isdigit() else typo_budget(word)
        if budget:
            choices: list[str] = []
            for length in range(len(word) - budget, len(word) + budget + 1):
                choices.extend(state.terms_by_len.get(length, ()))
            for term, dist, _ in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                cost = int(dist) + (0 if term[:1] == word[:1] else 1)
                if 0 < cost <= budget:
                    add(Alternative((term,), cost, False))
            if prefix:
                for length in range(max(1, len(word) - budget), len(word) + budget + 1):
                    for near_prefix, dist, _ in process.extract(
                        word,
                        self._prefixes(state, length),
                        scorer=OSA.distance,
                        score_cutoff=budget,
                        limit=None,
                    ):
                        cost = int(dist) + (0 if near_prefix[:1] == word[:1] else 1)
                        if 0 < cost <= budget:
                            for completion in self._starting_with(state, near_prefix):
                                add(Alternative((completion,), cost, False, prefix_of=near_prefix))
        return tuple(found.values())

    def _term_mask(self, state: _State, term: str) -> int:
        mask = state.term_masks.get(term)
        if mask is None:
            mask = mask_of(state.postings.get(term, ()))
            state.term_masks[term] = mask
        return mask

    def _term_attr_masks(self, state: _State, term: str) -> tuple[int, ...]:
        """Per searchable attribute: the documents that have the word there."""
        masks = state.term_attr_masks.get(term)
        if masks is None:
            per_attr: dict[int, list[int]] = {}
            doc_terms = state.doc_terms
            for slot in state.postings.get(term, ()):
                bits = doc_terms[slot][term][1]
                if bits & (bits - 1) == 0:  # one attribute: the usual case
                    per_attr.setdefault(bits.bit_length() - 1, []).append(slot)
                    continue
                for rank in range(bits.bit_length()):
                    if bits >> rank & 1:
                        per_attr.setdefault(rank, []).append(slot)
            masks = tuple(mask_of(per_attr.get(r, [])) for r in range(len(SEARCHABLE)))
            state.term_attr_masks[term] = masks
        return masks

    def _term_first_mask(self, state: _State, term: str) -> int:
        """The documents where the word opens its best value ("Autisme", "Hulp bij ...")."""
        mask = state.term_first_masks.get(term)
        if mask is None:
            posting = state.postings.get(term, {})
            mask = mask_of([s for s, rp in posting.items() if rp % VALUE_STRIDE == 0])
            state.term_first_masks[term] = mask
        return mask

    # ---- query ----------------------------------------------------------------------------

    def _slots(
        self, state: _State, plan: Plan
    ) -> tuple[list[list[Alternative]], list[tuple[int, int, Alternative]]]:
        """Per query word its alternatives; plus alternatives that cover several words."""
        qwords = list(plan.words)
        last = len(qwords) - 1
        singles: list[list[Alternative]] = []
        for position, word in enumerate(qwords):
            alts = list(self._alternatives(word, plan.prefix and position == last, state.version))
            for synonym in self.vocabulary.expand(word):
                terms = tuple(x for x in synonym.split() if x not in self.vocabulary.stop_words)
                if terms:
                    alts.append(Alternative(terms, 0, False))
            singles.append(alts)
        spans: list[tuple[int, int, Alternative]] = []
        vocab = self.vocabulary
        if len(qwords) > 1:
            for key in phrases_in(qwords, vocab.expansions, vocab.max_phrase_words):
                size = len(key.split())
                if size < 2:
                    continue
                for position in range(len(qwords) - size + 1):
                    if " ".join(qwords[position : position + size]) != key:
                        continue
                    for synonym in vocab.expand(key):
                        terms = tuple(x for x in synonym.split() if x not in vocab.stop_words)
                        if terms:
                            spans.append(
                                (position, position + size - 1, Alternative(terms, 0, False))
                            )
            for position in range(len(qwords) - 1):
                joined = qwords[position] + qwords[position + 1]
                if joined in state.postings:
                    spans.append((position, position + 1, Alternative((joined,), 0, False)))
                elif plan.prefix and position + 1 == last:
                    for completion in self._starting_with(state, joined):
                        spans.append(
                            (
                                position,
                                position + 1,
                                Alternative((completion,), 0, False, prefix_of=joined),
                            )
                        )
        return singles, spans

    def _alt_mask(self, state: _State, alt: Alternative) -> int:
        mask = self._term_mask(state, alt.terms[0])
        for term in alt.terms[1:]:
            mask &= self._term_mask(state, term)
        return mask

    def _run(self, plan: Plan, offset: int, limit: int, facets: bool, highlight: bool) -> RawPage:
        with self._lock:
            state = self._state
            self._refresh_terms(state)
            refresh_order(state)
            candidates = filter_mask(state, plan)
            query: _Query | None = None
            if plan.words and candidates:
                singles, spans = self._slots(state, plan)
                if limit:
                    query = _Query.build(self, state, singles, spans)
                    covered = query.covered
                else:  # counting only: which documents match, not how well
                    covered = _Query.covered_by(self, state, singles, spans)
                for mask in covered:
                    candidates &= mask
            elif plan.words:
                candidates = 0
            total = candidates.bit_count()
            facet_counts: dict[str, dict[str, int]] = {}
            if facets:
                for name, attribute in FACETS.items():
                    counts = {}
                    for value, mask in state.values.get(attribute, {}).items():
                        count = (mask & candidates).bit_count()
                        if count:
                            counts[str(value)] = count
                    facet_counts[name] = dict(sorted(counts.items()))
            if not limit or not total or offset >= total:
                return RawPage(hits=[], total=total, facets=facet_counts)
            ranked = order(state, plan, candidates, total, query, offset + limit)[offset:]
            hits = [
                RawHit(doc=doc, highlights=self._highlight(doc, query) if highlight else {})
                for doc in (state.docs[s] for s in ranked)
                if doc is not None
            ]
            return RawPage(hits=hits, total=total, facets=facet_counts)

    # ---- highlighting ----------------------------------------------------------------------

    def _highlight(
        self, doc: Mapping[str, Any], query: _Query | None
    ) -> dict[str, list[list[Segment]]]:
        return self._marked(doc, query.marked if query is not None else NO_MARKS)

    def _marked(self, doc: Mapping[str, Any], marks: _Marks) -> dict[str, list[list[Segment]]]:
        out: dict[str, list[list[Segment]]] = {}
        for attribute in HIGHLIGHTED:
            crop = CROP_WORDS if attribute == CROP_FIELD else 0
            out[attribute] = [_segments(str(v), marks, crop) for v in _values(doc.get(attribute))]
        return out
