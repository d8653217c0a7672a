"""Filters of the embedded backend (embedded.py): equality, ranges and radius, as AND/OR
of document bit masks; a radius looks at the documents cell by cell."""

from __future__ import annotations

import math

from search_index.embedded_state import _State, mask_of
from search_index.engine import Plan
from search_index.filters import EARTH_RADIUS_M, Compare, Eq, GeoRadius, distance_m

# Radius filters look at documents cell by cell: a cell wholly inside the circle is
# taken whole (one OR), wholly outside skipped, and only the cells on its edge have their
# documents measured. About 1 by 0.7 km in this part of the world.
GEO_CELL_DEG = 0.01
GEO_MARGIN_M = 10.0  # cell classification errs towards measuring


def cell_of(lat: float, lng: float) -> tuple[int, int]:
    return (math.floor(lat / GEO_CELL_DEG), math.floor(lng / GEO_CELL_DEG))


def unit_xyz(lat: float, lng: float) -> tuple[float, float, float]:
    """A point on the unit sphere: chord length orders distances like the great circle."""
    lat_rad, lng_rad = math.radians(lat), math.radians(lng)
    return (
        math.cos(lat_rad) * math.cos(lng_rad),
        math.cos(lat_rad) * math.sin(lng_rad),
        math.sin(lat_rad),
    )


def filter_mask(state: _State, plan: Plan) -> int:
    """The documents that pass every filter condition of the plan, as a bit mask."""
    mask = state.alive
    for condition in plan.conditions:
        if not mask:
            break
        if isinstance(condition, Eq):
            mask &= state.values.get(condition.attribute, {}).get(condition.value, 0)
        elif isinstance(condition, Compare):
            table = state.numbers.get(condition.attribute, {})
            in_range = 0
            for value, value_mask in table.items():
                if (
                    (value <= condition.value)
                    if condition.op == "<="
                    else (value >= condition.value)
                ):
                    in_range |= value_mask
            mask &= in_range
        elif isinstance(condition, GeoRadius):
            mask &= geo_mask(state, condition, mask)
    return mask


def geo_mask(state: _State, circle: GeoRadius, within: int) -> int:
    """The documents of `within` inside the circle."""
    # Compare chord lengths on the unit sphere: no trigonometry per document.
    mid_x, mid_y, mid_z = unit_xyz(circle.lat, circle.lng)
    angle = min(math.pi, circle.meters / EARTH_RADIUS_M)
    limit = (2 * math.sin(angle / 2)) ** 2 * (1 + 1e-12)
    inside = circle.meters - GEO_MARGIN_M
    outside = circle.meters + GEO_MARGIN_M
    mask = 0
    measure: list[int] = []
    for (cell_lat, cell_lng), cell_mask in state.cell_masks.items():
        if not cell_mask & within:
            continue
        south, west = cell_lat * GEO_CELL_DEG, cell_lng * GEO_CELL_DEG
        north, east = south + GEO_CELL_DEG, west + GEO_CELL_DEG
        # Nearest point of the cell, and its farthest corner.
        near = distance_m(
            circle.lat,
            circle.lng,
            min(max(circle.lat, south), north),
            min(max(circle.lng, west), east),
        )
        if near > outside:
            continue
        far = max(
            distance_m(circle.lat, circle.lng, la, lo)
            for la, lo in ((south, west), (south, east), (north, west), (north, east))
        )
        if far < inside:
            mask |= cell_mask
            continue
        for slot, (doc_x, doc_y, doc_z) in state.cells[(cell_lat, cell_lng)].items():
            if (doc_x - mid_x) ** 2 + (doc_y - mid_y) ** 2 + (doc_z - mid_z) ** 2 <= limit:
                measure.append(slot)
    return (mask | mask_of(measure)) & within
