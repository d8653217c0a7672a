"""The embedded backend's index state: documents as bits of Python integers, word
postings, filter and facet masks, sort keys. Shared by embedded.py (writing, ordering)
and embedded_query.py (matching).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from search_index.documents import SearchDocument
from search_index.filters import ATTRIBUTES

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
    for slot in idx:
        buf[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(buf, "little")


def indices_of(mask: int) -> list[int]:
    out: list[int] = []
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for byte_index, byte in enumerate(data):
        if byte:
            base = byte_index << 3
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
    # `zwaarte` (how heavy the help is) -> mask of its slots, for lighter-first ranking
    heaviness: dict[int, int] = field(default_factory=dict)
    name_order: list[int] = field(default_factory=list)
    name_rank: list[int] = field(default_factory=list)
    order_dirty: bool = True
    version: int = 0  # bumped when the set of words changes
    sorted_terms: list[str] = field(default_factory=list)
    terms_by_len: dict[int, list[str]] = field(default_factory=dict)
    prefixes_by_len: dict[int, list[str]] = field(default_factory=dict)
    terms_version: int = -1
