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
"""

from __future__ import annotations

import bisect
import heapq
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_index.documents import SearchDocument, checksum_of
from search_index.engine import (
    CROP_FIELD,
    CROP_MARKER,
    CROP_WORDS,
    HIGHLIGHTED,
    SEARCHABLE,
    BaseBackend,
    Plan,
    RawHit,
    RawPage,
)
from search_index.filters import ATTRIBUTES, EARTH_RADIUS_M, Compare, Eq, GeoRadius, distance_m
from search_index.protocol import (
    FACETS,
    BackendName,
    Health,
    IndexStats,
    Segment,
)
from search_index.text import typo_budget, word_spans, words
from search_index.vocabulary import Vocabulary, phrases_in

# A word's best position in a document: attribute rank * VALUE_STRIDE + its position within
# its value (each value of a list counts from its own start, as Meilisearch does).
VALUE_STRIDE = 1_000
MAX_VALUES = 1_000
NUMBER_ATTRIBUTES = tuple(a for a, k in ATTRIBUTES.items() if k == "number")
VALUE_ATTRIBUTES = tuple(a for a, k in ATTRIBUTES.items() if k in ("string", "bool"))

_BITS: list[tuple[int, ...]] = [tuple(b for b in range(8) if byte >> b & 1) for byte in range(256)]


def mask_of(indices: Iterable[int]) -> int:
    idx = indices if isinstance(indices, list) else list(indices)
    if not idx:
        return 0
    buf = bytearray((max(idx) >> 3) + 1)
    for i in idx:
        buf[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buf, "little")


def indices_of(mask: int) -> list[int]:
    out: list[int] = []
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for n, byte in enumerate(data):
        if byte:
            base = n << 3
            out.extend(base + b for b in _BITS[byte])
    return out


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Alternative:
    """One way a slot (or a run of slots) of the query can match."""

    terms: tuple[str, ...]  # all must occur (a phrase); usually one term
    typos: int
    exact: bool  # the typed word itself, not a prefix, typo or synonym
    prefix_of: str | None = None  # matched as the start of a longer word


@dataclass
class _State:
    docs: list[SearchDocument | None] = field(default_factory=list)
    slot: dict[str, int] = field(default_factory=dict)
    free: list[int] = field(default_factory=list)
    alive: int = 0
    # word -> {slot: best position}; per slot: word -> (best position, attribute bits)
    postings: dict[str, dict[int, int]] = field(default_factory=dict)
    doc_terms: list[dict[str, tuple[int, int]]] = field(default_factory=list)
    term_masks: dict[str, int] = field(default_factory=dict)
    term_attr_masks: dict[str, tuple[int, ...]] = field(default_factory=dict)
    term_first_masks: dict[str, int] = field(default_factory=dict)  # word first in a value
    # attribute -> value -> mask (filters and facets)
    values: dict[str, dict[Any, int]] = field(default_factory=dict)
    numbers: dict[str, dict[float, int]] = field(default_factory=dict)
    xyz: dict[int, tuple[float, float, float]] = field(default_factory=dict)
    # geo cell -> {slot: xyz} and -> mask of its slots; slot -> its cell
    cells: dict[tuple[int, int], dict[int, tuple[float, float, float]]] = field(
        default_factory=dict
    )
    cell_masks: dict[tuple[int, int], int] = field(default_factory=dict)
    slot_cell: dict[int, tuple[int, int]] = field(default_factory=dict)
    # sort keys per slot (smaller first; unknown values are infinite: last)
    wait_key: list[float] = field(default_factory=list)
    quality_key: list[float] = field(default_factory=list)
    name_order: list[int] = field(default_factory=list)
    name_rank: list[int] = field(default_factory=list)
    order_dirty: bool = True
    version: int = 0  # bumped when the set of words changes
    sorted_terms: list[str] = field(default_factory=list)
    terms_by_len: dict[int, list[str]] = field(default_factory=dict)
    prefixes_by_len: dict[int, list[str]] = field(default_factory=dict)
    terms_version: int = -1


# Radius filters look at documents cell by cell: a cell wholly inside the circle is
# taken whole (one OR), wholly outside skipped, and only the cells on its edge have their
# documents measured. About 1 by 0.7 km in this part of the world.
GEO_CELL_DEG = 0.01
GEO_MARGIN_M = 10.0  # cell classification errs towards measuring


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return (math.floor(lat / GEO_CELL_DEG), math.floor(lng / GEO_CELL_DEG))


def _xyz(lat: float, lng: float) -> tuple[float, float, float]:
    """A point on the unit sphere: chord length orders distances like the great circle."""
    la, lo = math.radians(lat), math.radians(lng)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


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

    def _index_doc(self, st: _State, doc: SearchDocument) -> None:
        doc_id = str(doc["id"])
        if doc_id in st.slot:
            self._remove(st, doc_id)
        slot = st.free.pop() if st.free else len(st.docs)
        if slot == len(st.docs):
            st.docs.append(None)
            st.doc_terms.append({})
            st.wait_key.append(math.inf)
            st.quality_key.append(math.inf)
        st.docs[slot] = doc
        st.slot[doc_id] = slot
        bit = 1 << slot
        st.alive |= bit
        stop = self.vocabulary.stop_words
        terms: dict[str, tuple[int, int]] = {}
        for rank, attribute in enumerate(SEARCHABLE):
            for value in _values(doc.get(attribute))[:MAX_VALUES]:
                for pos, w in enumerate(words(str(value))[: VALUE_STRIDE - 1]):
                    if w in stop:
                        continue
                    rp = rank * VALUE_STRIDE + pos  # attribute first, then position
                    known = terms.get(w)
                    if known is None:
                        terms[w] = (rp, 1 << rank)
                    else:
                        terms[w] = (min(known[0], rp), known[1] | 1 << rank)
        new_terms = False
        for w, (rp, _bits) in terms.items():
            posting = st.postings.get(w)
            if posting is None:
                posting = st.postings[w] = {}
                new_terms = True
            posting[slot] = rp
            if w in st.term_masks:
                st.term_masks[w] |= bit
            st.term_attr_masks.pop(w, None)
            st.term_first_masks.pop(w, None)
        st.doc_terms[slot] = terms
        for attribute in VALUE_ATTRIBUTES:
            table = st.values.setdefault(attribute, {})
            for v in _values(doc.get(attribute)):
                table[v] = table.get(v, 0) | bit
        for attribute in NUMBER_ATTRIBUTES:
            v = doc.get(attribute)
            if isinstance(v, int | float) and not isinstance(v, bool):
                table_n = st.numbers.setdefault(attribute, {})
                table_n[float(v)] = table_n.get(float(v), 0) | bit
        geo = doc.get("_geo")
        if geo:
            lat, lng = float(geo["lat"]), float(geo["lng"])
            st.xyz[slot] = point = _xyz(lat, lng)
            cell = st.slot_cell[slot] = _cell(lat, lng)
            st.cells.setdefault(cell, {})[slot] = point
            st.cell_masks[cell] = st.cell_masks.get(cell, 0) | bit
        st.wait_key[slot] = _number_key(doc.get("wachttijd_sorteer"), 1.0)
        st.quality_key[slot] = _number_key(doc.get("kwaliteit"), -1.0)
        st.order_dirty = True
        if new_terms:
            st.version += 1

    def _remove(self, st: _State, doc_id: str) -> None:
        slot = st.slot.pop(doc_id, None)
        if slot is None:
            return
        doc = st.docs[slot]
        bit = 1 << slot
        st.alive &= ~bit
        gone = False
        for w in st.doc_terms[slot]:
            posting = st.postings.get(w)
            st.term_attr_masks.pop(w, None)
            st.term_first_masks.pop(w, None)
            if posting is not None:
                posting.pop(slot, None)
                if not posting:
                    del st.postings[w]
                    st.term_masks.pop(w, None)
                    gone = True
                elif w in st.term_masks:
                    st.term_masks[w] &= ~bit
        assert doc is not None
        for attribute in VALUE_ATTRIBUTES:
            table = st.values.get(attribute, {})
            for v in _values(doc.get(attribute)):
                if v in table:
                    table[v] &= ~bit
                    if not table[v]:
                        del table[v]
        for attribute in NUMBER_ATTRIBUTES:
            v = doc.get(attribute)
            table_n = st.numbers.get(attribute, {})
            if isinstance(v, int | float) and not isinstance(v, bool) and float(v) in table_n:
                table_n[float(v)] &= ~bit
                if not table_n[float(v)]:
                    del table_n[float(v)]
        st.xyz.pop(slot, None)
        cell = st.slot_cell.pop(slot, None)
        if cell is not None:
            members = st.cells[cell]
            del members[slot]
            if members:
                st.cell_masks[cell] &= ~bit
            else:
                del st.cells[cell], st.cell_masks[cell]
        st.doc_terms[slot] = {}
        st.wait_key[slot] = st.quality_key[slot] = math.inf
        st.docs[slot] = None
        st.free.append(slot)
        st.order_dirty = True
        if gone:
            st.version += 1

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
            st = self._state
            out: list[SearchDocument | None] = []
            for doc_id, doc_hash in wanted:
                slot = st.slot.get(doc_id)
                doc = st.docs[slot] if slot is not None else None
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

    def _refresh_terms(self, st: _State) -> None:
        if st.terms_version == st.version:
            return
        st.sorted_terms = sorted(st.postings)
        by_len: dict[int, list[str]] = {}
        for t in st.sorted_terms:
            by_len.setdefault(len(t), []).append(t)
        st.terms_by_len = by_len
        st.prefixes_by_len = {}
        st.terms_version = st.version
        self._alternatives.cache_clear()

    def _prefixes(self, st: _State, n: int) -> list[str]:
        found = st.prefixes_by_len.get(n)
        if found is None:
            found = sorted({t[:n] for t in st.sorted_terms if len(t) >= n})
            st.prefixes_by_len[n] = found
        return found

    def _starting_with(self, st: _State, prefix: str) -> list[str]:
        terms = st.sorted_terms
        i = bisect.bisect_left(terms, prefix)
        out: list[str] = []
        while i < len(terms) and terms[i].startswith(prefix):
            out.append(terms[i])
            i += 1
        return out

    def _word_alternatives(self, word: str, prefix: bool, version: int) -> tuple[Alternative, ...]:
        """Indexed words that match a query word: itself, by prefix, with typos."""
        st = self._state
        found: dict[str, Alternative] = {}

        def add(alt: Alternative) -> None:
            old = found.get(alt.terms[0])
            if old is None or (alt.typos, not alt.exact) < (old.typos, not old.exact):
                found[alt.terms[0]] = alt

        if word in st.postings:
            add(Alternative((word,), 0, True))
        if prefix:
            for t in self._starting_with(st, word):
                if t != word:
                    add(Alternative((t,), 0, False, prefix_of=word))
        budget = 0 if word.isdigit() else typo_budget(word)
        if budget:
            choices: list[str] = []
            for n in range(len(word) - budget, len(word) + budget + 1):
                choices.extend(st.terms_by_len.get(n, ()))
            for term, dist, _ in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                cost = int(dist) + (0 if term[:1] == word[:1] else 1)
                if 0 < cost <= budget:
                    add(Alternative((term,), cost, False))
            if prefix:
                for n in range(max(1, len(word) - budget), len(word) + budget + 1):
                    for p, dist, _ in process.extract(
                        word,
                        self._prefixes(st, n),
                        scorer=OSA.distance,
                        score_cutoff=budget,
                        limit=None,
                    ):
                        cost = int(dist) + (0 if p[:1] == word[:1] else 1)
                        if 0 < cost <= budget:
                            for t in self._starting_with(st, p):
                                add(Alternative((t,), cost, False, prefix_of=p))
        return tuple(found.values())

    def _term_mask(self, st: _State, term: str) -> int:
        mask = st.term_masks.get(term)
        if mask is None:
            mask = mask_of(st.postings.get(term, ()))
            st.term_masks[term] = mask
        return mask

    def _term_attr_masks(self, st: _State, term: str) -> tuple[int, ...]:
        """Per searchable attribute: the documents that have the word there."""
        masks = st.term_attr_masks.get(term)
        if masks is None:
            per_attr: dict[int, list[int]] = {}
            doc_terms = st.doc_terms
            for s in st.postings.get(term, ()):
                bits = doc_terms[s][term][1]
                if bits & (bits - 1) == 0:  # one attribute: the usual case
                    per_attr.setdefault(bits.bit_length() - 1, []).append(s)
                    continue
                for r in range(bits.bit_length()):
                    if bits >> r & 1:
                        per_attr.setdefault(r, []).append(s)
            masks = tuple(mask_of(per_attr.get(r, [])) for r in range(len(SEARCHABLE)))
            st.term_attr_masks[term] = masks
        return masks

    def _term_first_mask(self, st: _State, term: str) -> int:
        """The documents where the word opens its best value ("Autisme", "Hulp bij ...")."""
        mask = st.term_first_masks.get(term)
        if mask is None:
            posting = st.postings.get(term, {})
            mask = mask_of([s for s, rp in posting.items() if rp % VALUE_STRIDE == 0])
            st.term_first_masks[term] = mask
        return mask

    # ---- query ----------------------------------------------------------------------------

    def _slots(
        self, st: _State, plan: Plan
    ) -> tuple[list[list[Alternative]], list[tuple[int, int, Alternative]]]:
        """Per query word its alternatives; plus alternatives that cover several words."""
        qwords = list(plan.words)
        last = len(qwords) - 1
        singles: list[list[Alternative]] = []
        for i, w in enumerate(qwords):
            alts = list(self._alternatives(w, plan.prefix and i == last, st.version))
            for synonym in self.vocabulary.expand(w):
                terms = tuple(x for x in synonym.split() if x not in self.vocabulary.stop_words)
                if terms:
                    alts.append(Alternative(terms, 0, False))
            singles.append(alts)
        spans: list[tuple[int, int, Alternative]] = []
        vocab = self.vocabulary
        if len(qwords) > 1:
            for key in phrases_in(qwords, vocab.expansions, vocab.max_phrase_words):
                n = len(key.split())
                if n < 2:
                    continue
                for i in range(len(qwords) - n + 1):
                    if " ".join(qwords[i : i + n]) != key:
                        continue
                    for synonym in vocab.expand(key):
                        terms = tuple(x for x in synonym.split() if x not in vocab.stop_words)
                        if terms:
                            spans.append((i, i + n - 1, Alternative(terms, 0, False)))
            for i in range(len(qwords) - 1):
                joined = qwords[i] + qwords[i + 1]
                if joined in st.postings:
                    spans.append((i, i + 1, Alternative((joined,), 0, False)))
                elif plan.prefix and i + 1 == last:
                    for t in self._starting_with(st, joined):
                        spans.append((i, i + 1, Alternative((t,), 0, False, prefix_of=joined)))
        return singles, spans

    def _alt_mask(self, st: _State, alt: Alternative) -> int:
        mask = self._term_mask(st, alt.terms[0])
        for t in alt.terms[1:]:
            mask &= self._term_mask(st, t)
        return mask

    def _filter_mask(self, st: _State, plan: Plan) -> int:
        mask = st.alive
        for c in plan.conditions:
            if not mask:
                break
            if isinstance(c, Eq):
                mask &= st.values.get(c.attribute, {}).get(c.value, 0)
            elif isinstance(c, Compare):
                table = st.numbers.get(c.attribute, {})
                m = 0
                for value, value_mask in table.items():
                    if (value <= c.value) if c.op == "<=" else (value >= c.value):
                        m |= value_mask
                mask &= m
            elif isinstance(c, GeoRadius):
                mask &= self._geo_mask(st, c, mask)
        return mask

    def _geo_mask(self, st: _State, c: GeoRadius, within: int) -> int:
        # Compare chord lengths on the unit sphere: no trigonometry per document.
        x0, y0, z0 = _xyz(c.lat, c.lng)
        angle = min(math.pi, c.meters / EARTH_RADIUS_M)
        limit = (2 * math.sin(angle / 2)) ** 2 * (1 + 1e-12)
        inside = c.meters - GEO_MARGIN_M
        outside = c.meters + GEO_MARGIN_M
        mask = 0
        measure: list[int] = []
        for (i, j), cell_mask in st.cell_masks.items():
            if not cell_mask & within:
                continue
            south, west = i * GEO_CELL_DEG, j * GEO_CELL_DEG
            north, east = south + GEO_CELL_DEG, west + GEO_CELL_DEG
            # Nearest point of the cell, and its farthest corner.
            near = distance_m(
                c.lat, c.lng, min(max(c.lat, south), north), min(max(c.lng, west), east)
            )
            if near > outside:
                continue
            far = max(
                distance_m(c.lat, c.lng, la, lo)
                for la, lo in ((south, west), (south, east), (north, west), (north, east))
            )
            if far < inside:
                mask |= cell_mask
                continue
            for slot, (x, y, z) in st.cells[(i, j)].items():
                if (x - x0) ** 2 + (y - y0) ** 2 + (z - z0) ** 2 <= limit:
                    measure.append(slot)
        return (mask | mask_of(measure)) & within

    def _run(self, plan: Plan, offset: int, limit: int, facets: bool, highlight: bool) -> RawPage:
        with self._lock:
            st = self._state
            self._refresh_terms(st)
            self._refresh_order(st)
            candidates = self._filter_mask(st, plan)
            query: _Query | None = None
            if plan.words and candidates:
                singles, spans = self._slots(st, plan)
                if limit:
                    query = _Query.build(self, st, singles, spans)
                    covered = query.covered
                else:  # counting only: which documents match, not how well
                    covered = _Query.covered_by(self, st, singles, spans)
                for m in covered:
                    candidates &= m
            elif plan.words:
                candidates = 0
            total = candidates.bit_count()
            facet_counts: dict[str, dict[str, int]] = {}
            if facets:
                for name, attribute in FACETS.items():
                    counts = {}
                    for value, m in st.values.get(attribute, {}).items():
                        n = (m & candidates).bit_count()
                        if n:
                            counts[str(value)] = n
                    facet_counts[name] = dict(sorted(counts.items()))
            if not limit or not total or offset >= total:
                return RawPage(hits=[], total=total, facets=facet_counts)
            ranked = self._order(st, plan, candidates, total, query, offset + limit)[offset:]
            hits = [
                RawHit(doc=doc, highlights=self._highlight(doc, query) if highlight else {})
                for doc in (st.docs[s] for s in ranked)
                if doc is not None
            ]
            return RawPage(hits=hits, total=total, facets=facet_counts)

    # ---- ordering ---------------------------------------------------------------------------

    def _refresh_order(self, st: _State) -> None:
        if not st.order_dirty:
            return
        keys = {
            s: (str(d.get("naam_sort") or ""), str(d["id"]))
            for s, d in enumerate(st.docs)
            if d is not None
        }
        live = sorted(keys, key=keys.__getitem__)
        rank = [0] * len(st.docs)
        for r, s in enumerate(live):
            rank[s] = r
        st.name_order = live
        st.name_rank = rank
        st.order_dirty = False

    def _by_name(self, st: _State, mask: int, count: int, k: int) -> list[int]:
        """The first k documents of a mask in name order."""
        if count * 8 < len(st.name_order):
            return heapq.nsmallest(k, indices_of(mask), key=st.name_rank.__getitem__)
        data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
        size = len(data)
        out: list[int] = []
        for s in st.name_order:
            byte = s >> 3
            if byte < size and data[byte] >> (s & 7) & 1:
                out.append(s)
                if len(out) >= k:
                    break
        return out

    def _relevance_order(
        self, st: _State, mask: int, count: int, query: _Query | None, k: int
    ) -> list[int]:
        """The first k documents of a mask by relevance (Meilisearch's rules, then name)."""
        if query is None:
            return self._by_name(st, mask, count, k)
        out: list[int] = []
        first_exact = query.all_first_and_exact()
        for bucket in query.buckets(mask):
            # Every word exact and first in its value: those go by name, no details needed.
            plain = bucket & first_exact
            if plain:
                need = k - len(out)
                out.extend(self._by_name(st, plain, plain.bit_count(), need))
                if len(out) >= k:
                    break
            rest = bucket & ~first_exact
            if rest:
                docs = indices_of(rest)
                need = k - len(out)
                if len(docs) > need:
                    docs = heapq.nsmallest(need, docs, key=query.fine_key)
                else:
                    docs.sort(key=query.fine_key)
                out.extend(docs)
                if len(out) >= k:
                    break
        return out[:k]

    def _order(
        self, st: _State, plan: Plan, mask: int, count: int, query: _Query | None, k: int
    ) -> list[int]:
        sort = plan.sort
        if sort == "relevance" or (sort == "naam" and query is None):
            return self._relevance_order(st, mask, count, query, k)
        primary: Callable[[int], float]
        if sort == "naam":
            primary = st.name_rank.__getitem__
        elif sort == "wachttijd":
            primary = st.wait_key.__getitem__
        elif sort == "kwaliteit":
            primary = st.quality_key.__getitem__
        else:
            origin = plan.origin or (0.0, 0.0)
            x0, y0, z0 = _xyz(origin[0], origin[1])
            xyz = st.xyz

            def primary(s: int) -> float:
                p = xyz.get(s)
                if p is None:
                    return math.inf
                return (p[0] - x0) ** 2 + (p[1] - y0) ** 2 + (p[2] - z0) ** 2

        slots = indices_of(mask)
        values = {s: primary(s) for s in slots}
        first = heapq.nsmallest(k, slots, key=values.__getitem__)
        if not first:
            return []
        # Documents sharing the last visible value: all of them compete for the places.
        boundary = values[first[-1]]
        top = [s for s in slots if values[s] <= boundary]
        if query is None:
            tie: Callable[[int], Any] = st.name_rank.__getitem__
        else:
            within = self._relevance_order(st, mask_of(top), len(top), query, len(top))
            position = {s: n for n, s in enumerate(within)}
            tie = position.__getitem__
        top.sort(key=lambda s: (values[s], tie(s)))
        return top[:k]

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


@dataclass(frozen=True)
class _Marks:
    """What to mark in a hit: words matched whole, words matched by their start (with
    how many letters of it were typed), and phrases (several-word synonyms), whose
    words are marked only in a value that holds all of them."""

    whole: frozenset[str] = frozenset()
    prefixes: Mapping[str, int] = field(default_factory=dict)
    phrases: tuple[tuple[str, ...], ...] = ()

    def whole_in(self, value_words: set[str]) -> set[str] | frozenset[str]:
        if not self.phrases:
            return self.whole
        return self.whole.union(
            *(phrase for phrase in self.phrases if value_words.issuperset(phrase))
        )


NO_MARKS = _Marks()


def _marks(alternatives: Iterable[Alternative]) -> _Marks:
    whole: set[str] = set()
    prefixes: dict[str, int] = {}
    phrases: set[tuple[str, ...]] = set()
    for alt in alternatives:
        if alt.prefix_of is not None:
            for t in alt.terms:
                prefixes[t] = max(prefixes.get(t, 0), len(alt.prefix_of))
        elif len(alt.terms) > 1:
            phrases.add(alt.terms)
        else:
            whole.update(alt.terms)
    return _Marks(frozenset(whole), prefixes, tuple(sorted(phrases)))


class _Query:
    """The masks one text query needs to select and rank documents.

    Per query word ("slot"): the documents matching it with 0, 1 or 2 typos, those whose
    best match is in attribute r, those with a match in attribute r at all, and those
    with an exact match. Ranking then walks buckets in Meilisearch's rule order (total
    typos, then words far apart, then attribute ranks) using only AND/OR of masks, and
    computes per-document details (positions, exactness, name) for a bucket only when
    it is reached.
    """

    def __init__(self, st: _State, n: int) -> None:
        self.st = st
        self.n = n
        self.covered = [0] * n
        self.typo = [[0, 0, 0] for _ in range(n)]
        self.attr_any = [[0] * len(SEARCHABLE) for _ in range(n)]
        self.exact = [0] * n
        self.first = [0] * n
        self.postings: list[list[dict[int, int]]] = [[] for _ in range(n)]
        self.marked = NO_MARKS

    @classmethod
    def build(
        cls,
        backend: EmbeddedBackend,
        st: _State,
        singles: list[list[Alternative]],
        spans: list[tuple[int, int, Alternative]],
    ) -> _Query:
        q = cls(st, len(singles))
        placed = [(i, i, alt) for i, alts in enumerate(singles) for alt in alts] + spans
        q.marked = _marks(alt for _, _, alt in placed)
        for start, end, alt in placed:
            mask = backend._alt_mask(st, alt)
            if not mask:
                continue
            attr_masks = backend._term_attr_masks(st, alt.terms[0])
            posting = st.postings.get(alt.terms[0], {})
            typos = alt.typos if start == end else 0
            for i in range(start, end + 1):
                q.covered[i] |= mask
                q.typo[i][typos] |= mask
                if alt.exact:
                    q.exact[i] |= mask
                q.first[i] |= backend._term_first_mask(st, alt.terms[0]) & mask
                for r, m in enumerate(attr_masks):
                    if m:
                        q.attr_any[i][r] |= m & mask
                q.postings[i].append(posting)
        for i in range(q.n):  # a document counts with its fewest typos only
            t0, t1, t2 = q.typo[i]
            q.typo[i] = [t0, t1 & ~t0, t2 & ~(t0 | t1)]
        return q

    @staticmethod
    def covered_by(
        backend: EmbeddedBackend,
        st: _State,
        singles: list[list[Alternative]],
        spans: list[tuple[int, int, Alternative]],
    ) -> list[int]:
        """Per query word the documents that match it (what `build` puts in
        `covered`), without the masks for ranking."""
        covered = [0] * len(singles)
        placed = [(i, i, alt) for i, alts in enumerate(singles) for alt in alts] + spans
        for start, end, alt in placed:
            mask = backend._alt_mask(st, alt)
            for i in range(start, end + 1):
                covered[i] |= mask
        return covered

    def _attr_best(self, i: int) -> list[int]:
        seen = 0
        out = []
        for m in self.attr_any[i]:
            out.append(m & ~seen)
            seen |= m
        return out

    def buckets(self, mask: int) -> Iterator[int]:
        """Partition `mask` into buckets, best first: typos, proximity, attributes."""
        n = self.n
        typo_sums = [mask]
        for i in range(n):
            nxt = [0] * (len(typo_sums) + 2)
            for total, m in enumerate(typo_sums):
                if m:
                    for t in range(3):
                        nxt[total + t] |= m & self.typo[i][t]
            typo_sums = nxt
        far = [mask]  # by the number of neighbouring words in different attributes
        for i in range(n - 1):
            close = 0
            for a, b in zip(self.attr_any[i], self.attr_any[i + 1], strict=True):
                close |= a & b
            nxt = [0] * (len(far) + 1)
            for count, m in enumerate(far):
                nxt[count] |= m & close
                nxt[count + 1] |= m & ~close
            far = nxt
        attr_sums = [mask]
        for i in range(n):
            best = self._attr_best(i)
            nxt = [0] * (len(attr_sums) + len(best))
            for total, m in enumerate(attr_sums):
                if m:
                    for r, b in enumerate(best):
                        if b:
                            nxt[total + r] |= m & b
            attr_sums = nxt
        for t in typo_sums:
            rest_t = t
            for f in far:
                if not rest_t:
                    break
                b2 = rest_t & f
                if not b2:
                    continue
                rest_t &= ~b2
                for a in attr_sums:
                    b3 = b2 & a
                    if b3:
                        yield b3
                        b2 &= ~b3
                        if not b2:
                            break

    def all_first_and_exact(self) -> int:
        mask = -1
        for i in range(self.n):
            mask &= self.first[i] & self.exact[i]
        return mask if self.n else 0

    def fine_key(self, s: int) -> tuple[int, int, int]:
        """Within a bucket: earlier positions, then more exact words, then the name."""
        positions = 0
        inexact = 0
        for i in range(self.n):
            best = VALUE_STRIDE * len(SEARCHABLE)
            for posting in self.postings[i]:
                rp = posting.get(s)
                if rp is not None and rp < best:
                    best = rp
            positions += best % VALUE_STRIDE
            if not self.exact[i] >> s & 1:
                inexact += 1
        return (positions, inexact, self.st.name_rank[s])


def _segments(text: str, marks: _Marks, crop: int = 0) -> list[Segment]:
    if marks is NO_MARKS and (not crop or len(text) < crop * 4):
        return [Segment(text)] if text else []  # nothing to mark, nothing to cut
    spans = list(word_spans(text))
    whole = marks.whole_in({w for _, _, w in spans}) if marks.phrases else marks.whole
    prefixes = marks.prefixes
    found: list[tuple[int, int]] = []
    first_match: int | None = None
    for n, (start, end, w) in enumerate(spans):
        if w in whole:
            found.append((start, end))
        elif w in prefixes:
            found.append((start, min(end, start + prefixes[w])))
        else:
            continue
        if first_match is None:
            first_match = n
    lo, hi = 0, len(text)
    lead = trail = ""
    if crop and len(spans) > crop:
        first = max(0, (first_match or 0) - crop // 3) if first_match is not None else 0
        first = min(first, len(spans) - crop)
        lo = spans[first][0] if first else 0
        last = first + crop - 1
        hi = spans[last][1] if last < len(spans) - 1 else len(text)
        lead = CROP_MARKER if first else ""
        trail = CROP_MARKER if last < len(spans) - 1 else ""
    out: list[Segment] = []
    if lead:
        out.append(Segment(lead))
    cursor = lo
    for start, end in found:
        if end <= lo or start >= hi:
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], True))
        cursor = end
    if cursor < hi:
        out.append(Segment(text[cursor:hi]))
    if trail:
        out.append(Segment(trail))
    merged: list[Segment] = []
    for s in out:
        if merged and merged[-1].match == s.match:
            merged[-1] = Segment(merged[-1].text + s.text, s.match)
        elif s.text:
            merged.append(s)
    return merged
