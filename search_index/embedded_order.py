"""Ordering of the embedded backend (embedded.py): explicit sorts, and relevance in
buckets (typos, proximity, attributes as masks) so per-document details are computed
only for the bucket that fills the page."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any

from search_index.embedded_filters import unit_xyz
from search_index.embedded_query import _Query
from search_index.embedded_state import _State, indices_of, mask_of
from search_index.engine import Plan


def refresh_order(state: _State) -> None:
    if not state.order_dirty:
        return
    keys = {
        s: (str(d.get("naam_sort") or ""), str(d["id"]))
        for s, d in enumerate(state.docs)
        if d is not None
    }
    live = sorted(keys, key=keys.__getitem__)
    rank = [0] * len(state.docs)
    for position, slot in enumerate(live):
        rank[slot] = position
    state.name_order = live
    state.name_rank = rank
    state.order_dirty = False


def by_name(state: _State, mask: int, count: int, limit: int) -> list[int]:
    """The first `limit` documents of a mask in name order."""
    if count * 8 < len(state.name_order):
        return heapq.nsmallest(limit, indices_of(mask), key=state.name_rank.__getitem__)
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    size = len(data)
    out: list[int] = []
    for slot in state.name_order:
        byte = slot >> 3
        if byte < size and data[byte] >> (slot & 7) & 1:
            out.append(slot)
            if len(out) >= limit:
                break
    return out


def relevance_order(
    state: _State, mask: int, count: int, query: _Query | None, limit: int
) -> list[int]:
    """The first `limit` documents of a mask by relevance (Meilisearch's rules, then name)."""
    if query is None:
        return by_name(state, mask, count, limit)
    out: list[int] = []
    first_exact = query.all_first_and_exact()
    for bucket in query.buckets(mask):
        # Every word exact and first in its value: those go by name, no details needed.
        plain = bucket & first_exact
        if plain:
            need = limit - len(out)
            out.extend(by_name(state, plain, plain.bit_count(), need))
            if len(out) >= limit:
                break
        rest = bucket & ~first_exact
        if rest:
            docs = indices_of(rest)
            need = limit - len(out)
            if len(docs) > need:
                docs = heapq.nsmallest(need, docs, key=query.fine_key)
            else:
                docs.sort(key=query.fine_key)
            out.extend(docs)
            if len(out) >= limit:
                break
    return out[:limit]


def order(
    state: _State, plan: Plan, mask: int, count: int, query: _Query | None, limit: int
) -> list[int]:
    sort = plan.sort
    if sort == "relevance" and plan.lighter_first:
        # Meilisearch: sort ["zwaarte:asc"] before its ranking rules.
        out: list[int] = []
        for heavy in sorted(state.heaviness):
            group = mask & state.heaviness[heavy]
            if group:
                out.extend(
                    relevance_order(state, group, group.bit_count(), query, limit - len(out))
                )
                if len(out) >= limit:
                    break
        return out[:limit]
    if sort == "relevance" or (sort == "naam" and query is None):
        return relevance_order(state, mask, count, query, limit)
    primary: Callable[[int], float]
    if sort == "naam":
        primary = state.name_rank.__getitem__
    elif sort == "wachttijd":
        primary = state.wait_key.__getitem__
    elif sort == "kwaliteit":
        primary = state.quality_key.__getitem__
    else:
        origin = plan.origin or (0.0, 0.0)
        origin_x, origin_y, origin_z = unit_xyz(origin[0], origin[1])
        xyz = state.xyz

        def primary(slot: int) -> float:
            point = xyz.get(slot)
            if point is None:
                return math.inf
            return (
                (point[0] - origin_x) ** 2 + (point[1] - origin_y) ** 2 + (point[2] - origin_z) ** 2
            )

    slots = indices_of(mask)
    values = {s: primary(s) for s in slots}
    first = heapq.nsmallest(limit, slots, key=values.__getitem__)
    if not first:
        return []
    # Documents sharing the last visible value: all of them compete for the places.
    boundary = values[first[-1]]
    top = [s for s in slots if values[s] <= boundary]
    if query is None:
        tie: Callable[[int], Any] = state.name_rank.__getitem__
    else:
        within = relevance_order(state, mask_of(top), len(top), query, len(top))
        position = {s: n for n, s in enumerate(within)}
        tie = position.__getitem__
    top.sort(key=lambda slot: (values[slot], tie(slot)))
    return top[:limit]
