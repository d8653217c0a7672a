"""The embedded backend's radius filter: cell by cell, exactly as measuring every document.

`embedded_filters.geo_mask` takes cells wholly inside the circle whole, skips cells
wholly outside and measures only the documents of cells on the edge. These tests
compare it with measuring every document, over random places and radii (also radii
that end right at a document), and after documents move and disappear.
"""

from __future__ import annotations

import math
import random

from search_index.embedded import EmbeddedBackend
from search_index.embedded_filters import geo_mask
from search_index.embedded_filters import unit_xyz as _xyz
from search_index.embedded_state import indices_of
from search_index.filters import EARTH_RADIUS_M, GeoRadius, distance_m
from search_index.vocabulary import Vocabulary

CENTRE = (52.65, 5.05)


def _doc(i: int, lat: float, lng: float) -> dict[str, object]:
    return {"id": f"d{i}", "naam": f"Aanbieder {i}", "_geo": {"lat": lat, "lng": lng}}


def _measured(backend: EmbeddedBackend, c: GeoRadius) -> set[int]:
    st = backend._state
    x0, y0, z0 = _xyz(c.lat, c.lng)
    angle = min(math.pi, c.meters / EARTH_RADIUS_M)
    limit = (2 * math.sin(angle / 2)) ** 2 * (1 + 1e-12)
    return {
        s
        for s, (x, y, z) in st.xyz.items()
        if (x - x0) ** 2 + (y - y0) ** 2 + (z - z0) ** 2 <= limit
    }


def _grid(backend: EmbeddedBackend, c: GeoRadius) -> set[int]:
    st = backend._state
    return set(indices_of(geo_mask(st, c, st.alive)))


def test_cells_give_exactly_what_measuring_every_document_gives(
    vocabulary: Vocabulary,
) -> None:
    rng = random.Random(5)
    backend = EmbeddedBackend(vocabulary)
    points = [
        (CENTRE[0] + rng.uniform(-0.2, 0.2), CENTRE[1] + rng.uniform(-0.3, 0.3))
        for _ in range(3000)
    ]
    backend.rebuild(_doc(i, lat, lng) for i, (lat, lng) in enumerate(points))
    for _ in range(60):
        lat, lng = CENTRE[0] + rng.uniform(-0.25, 0.25), CENTRE[1] + rng.uniform(-0.35, 0.35)
        for meters in (0.0, 300.0, 2_500.0, 10_000.0, 25_000.0, 100_000.0):
            c = GeoRadius(lat, lng, meters)
            assert _grid(backend, c) == _measured(backend, c)
    # A radius that ends exactly at a document includes it.
    lat, lng = points[17]
    edge = GeoRadius(CENTRE[0], CENTRE[1], distance_m(CENTRE[0], CENTRE[1], lat, lng))
    assert backend._state.slot["d17"] in _grid(backend, edge)
    assert _grid(backend, edge) == _measured(backend, edge)


def test_moves_and_deletions_keep_the_cells_right(vocabulary: Vocabulary) -> None:
    backend = EmbeddedBackend(vocabulary)
    backend.rebuild([_doc(1, *CENTRE), _doc(2, CENTRE[0] + 0.3, CENTRE[1])])
    near = GeoRadius(CENTRE[0], CENTRE[1], 1_000)
    assert _grid(backend, near) == {backend._state.slot["d1"]}
    backend.index_documents([_doc(1, CENTRE[0] + 0.3, CENTRE[1] + 0.001)])  # d1 moves away
    backend.index_documents([_doc(2, *CENTRE)])  # d2 moves in
    assert _grid(backend, near) == {backend._state.slot["d2"]}
    backend.delete(["d2"])
    assert _grid(backend, near) == set()
    assert backend._state.cells and all(backend._state.cells.values())  # no empty cells
