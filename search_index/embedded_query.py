"""The embedded backend's query: the typed words as alternatives (exact, prefix, typo,
synonym) placed over the index, their masks per attribute, the fine ranking key, and
the marks a hit's highlighted text gets. Split from embedded.py, which keeps the index
and the ordering.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from search_index.embedded_state import VALUE_STRIDE, Alternative, _State
from search_index.engine import CROP_MARKER, SEARCHABLE
from search_index.protocol import Segment
from search_index.text import word_spans

if TYPE_CHECKING:
    from search_index.embedded import EmbeddedBackend


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
            for term in alt.terms:
                prefixes[term] = max(prefixes.get(term, 0), len(alt.prefix_of))
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

    def __init__(self, state: _State, word_count: int) -> None:
        self.state = state
        self.word_count = word_count
        self.covered = [0] * word_count
        self.typo = [[0, 0, 0] for _ in range(word_count)]
        self.attr_any = [[0] * len(SEARCHABLE) for _ in range(word_count)]
        self.exact = [0] * word_count
        self.first = [0] * word_count
        self.postings: list[list[dict[int, int]]] = [[] for _ in range(word_count)]
        self.marked = NO_MARKS

    @classmethod
    def build(
        cls,
        backend: EmbeddedBackend,
        state: _State,
        singles: list[list[Alternative]],
        spans: list[tuple[int, int, Alternative]],
    ) -> _Query:
        query = cls(state, len(singles))
        placed = [(i, i, alt) for i, alts in enumerate(singles) for alt in alts] + spans
        query.marked = _marks(alt for _, _, alt in placed)
        for start, end, alt in placed:
            mask = backend._alt_mask(state, alt)
            if not mask:
                continue
            attr_masks = backend._term_attr_masks(state, alt.terms[0])
            posting = state.postings.get(alt.terms[0], {})
            typos = alt.typos if start == end else 0
            for word_index in range(start, end + 1):
                query.covered[word_index] |= mask
                query.typo[word_index][typos] |= mask
                if alt.exact:
                    query.exact[word_index] |= mask
                query.first[word_index] |= backend._term_first_mask(state, alt.terms[0]) & mask
                for rank, attr_mask in enumerate(attr_masks):
                    if attr_mask:
                        query.attr_any[word_index][rank] |= attr_mask & mask
                query.postings[word_index].append(posting)
        for word_index in range(query.word_count):  # a document counts with its fewest typos only
            typo0, typo1, typo2 = query.typo[word_index]
            query.typo[word_index] = [typo0, typo1 & ~typo0, typo2 & ~(typo0 | typo1)]
        return query

    @staticmethod
    def covered_by(
        backend: EmbeddedBackend,
        state: _State,
        singles: list[list[Alternative]],
        spans: list[tuple[int, int, Alternative]],
    ) -> list[int]:
        """Per query word the documents that match it (what `build` puts in
        `covered`), without the masks for ranking."""
        covered = [0] * len(singles)
        placed = [(i, i, alt) for i, alts in enumerate(singles) for alt in alts] + spans
        for start, end, alt in placed:
            mask = backend._alt_mask(state, alt)
            for word_index in range(start, end + 1):
                covered[word_index] |= mask
        return covered

    def _attr_best(self, word_index: int) -> list[int]:
        seen = 0
        out = []
        for attr_mask in self.attr_any[word_index]:
            out.append(attr_mask & ~seen)
            seen |= attr_mask
        return out

    def buckets(self, mask: int) -> Iterator[int]:
        """Partition `mask` into buckets, best first: typos, proximity, attributes."""
        word_count = self.word_count
        typo_sums = [mask]
        for word_index in range(word_count):
            nxt = [0] * (len(typo_sums) + 2)
            for total, subset in enumerate(typo_sums):
                if subset:
                    for typos in range(3):
                        nxt[total + typos] |= subset & self.typo[word_index][typos]
            typo_sums = nxt
        far = [mask]  # by the number of neighbouring words in different attributes
        for word_index in range(word_count - 1):
            close = 0
            for this_word, next_word in zip(
                self.attr_any[word_index], self.attr_any[word_index + 1], strict=True
            ):
                close |= this_word & next_word
            nxt = [0] * (len(far) + 1)
            for count, subset in enumerate(far):
                nxt[count] |= subset & close
                nxt[count + 1] |= subset & ~close
            far = nxt
        attr_sums = [mask]
        for word_index in range(word_count):
            best = self._attr_best(word_index)
            nxt = [0] * (len(attr_sums) + len(best))
            for total, subset in enumerate(attr_sums):
                if subset:
                    for rank, attr_mask in enumerate(best):
                        if attr_mask:
                            nxt[total + rank] |= subset & attr_mask
            attr_sums = nxt
        for typo_bucket in typo_sums:
            typo_rest = typo_bucket
            for far_bucket in far:
                if not typo_rest:
                    break
                typo_far = typo_rest & far_bucket
                if not typo_far:
                    continue
                typo_rest &= ~typo_far
                for attr_bucket in attr_sums:
                    bucket = typo_far & attr_bucket
                    if bucket:
                        yield bucket
                        typo_far &= ~bucket
                        if not typo_far:
                            break

    def all_first_and_exact(self) -> int:
        mask = -1
        for word_index in range(self.word_count):
            mask &= self.first[word_index] & self.exact[word_index]
        return mask if self.word_count else 0

    def fine_key(self, slot: int) -> tuple[int, int, int]:
        """Within a bucket: earlier positions, then more exact words, then the name."""
        positions = 0
        inexact = 0
        for word_index in range(self.word_count):
            best = VALUE_STRIDE * len(SEARCHABLE)
            for posting in self.postings[word_index]:
                position = posting.get(slot)
                if position is not None and position < best:
                    best = position
            positions += best % VALUE_STRIDE
            if not self.exact[word_index] >> slot & 1:
                inexact += 1
        return (positions, inexact, self.state.name_rank[slot])


def _segments(text: str, marks: _Marks, crop: int = 0) -> list[Segment]:
    if marks is NO_MARKS and (not crop or len(text) < crop * 4):
        return [Segment(text)] if text else []  # nothing to mark, nothing to cut
    spans = list(word_spans(text))
    whole = marks.whole_in({w for _, _, w in spans}) if marks.phrases else marks.whole
    prefixes = marks.prefixes
    found: list[tuple[int, int]] = []
    first_match: int | None = None
    for span_index, (start, end, word) in enumerate(spans):
        if word in whole:
            found.append((start, end))
        elif word in prefixes:
            found.append((start, min(end, start + prefixes[word])))
        else:
            continue
        if first_match is None:
            first_match = span_index
    crop_start, crop_end = 0, len(text)
    lead = trail = ""
    if crop and len(spans) > crop:
        first = max(0, (first_match or 0) - crop // 3) if first_match is not None else 0
        first = min(first, len(spans) - crop)
        crop_start = spans[first][0] if first else 0
        last = first + crop - 1
        crop_end = spans[last][1] if last < len(spans) - 1 else len(text)
        lead = CROP_MARKER if first else ""
        trail = CROP_MARKER if last < len(spans) - 1 else ""
    out: list[Segment] = []
    if lead:
        out.append(Segment(lead))
    cursor = crop_start
    for start, end in found:
        if end <= crop_start or start >= crop_end:
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], True))
        cursor = end
    if cursor < crop_end:
        out.append(Segment(text[cursor:crop_end]))
    if trail:
        out.append(Segment(trail))
    merged: list[Segment] = []
    for segment in out:
        if merged and merged[-1].match == segment.match:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.match)
        elif segment.text:
            merged.append(segment)
    return merged
