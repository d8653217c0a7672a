"""Bounded cost for every request (issue 14, point 5): every route, given hostile input
(a huge page number, long words and texts, many keys, many filters, deep nesting, odd
bytes), answers without a server error and within a few seconds, and its answer stays
small. Run in the timing phase (wall clock)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from conftest import settings_for
from litestar.testing import TestClient
from web_catalogue import ALFA, fill_catalogue

from etalage.web.app import create_app

pytestmark = pytest.mark.timing
LIMIT_S = 5.0
MAX_ANSWER = 2_000_000

HOSTILE_QUERIES = [
    "page=999999999999999999&per_page=100",
    "per_page=1000000000",
    "q=" + "a" * 20_000,
    "q=" + quote(" ".join(["autisme"] * 3000)),
    "q=" + quote("ï" * 5000 + "\u202e" + "\x00"),
    "&".join(f"k{i}=v" for i in range(2000)),
    "&".join("expertise=autisme" for _ in range(500)),
    "leeftijd=" + "9" * 5000,
    "postcode=" + "1" * 1000 + "&afstand_km=1e308",
    "sort=" + "x" * 10_000,
    "kvk=" + "1" * 1000 + "&sinds=0001-01-01&zoek=" + "%" * 3000,
    "peildatum=9999-12-31&wet=" + "w" * 3000,
    "l=" + "A" * 60_000,
    "volgende=" + quote("//evil.example/" + "x" * 3000),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from etalage.db.migrate import upgrade
    from etalage.db.session import make_engine

    folder = tmp_path_factory.mktemp("bounded")
    engine = make_engine(f"sqlite:///{folder / 'etalage.db'}")
    upgrade(engine)
    fill_catalogue(engine)
    with TestClient(create_app(settings_for(engine, tmp=folder))) as c:
        yield c


def _paths(app: Any) -> list[tuple[str, str]]:
    out = []
    for route in app.routes:
        path = re.sub(
            r"\{(\w+):[^}]+\}",
            lambda m: {"kvk": ALFA, "slug": "alfa-jeugdhulp"}.get(m.group(1), "x" * 300),
            route.path,
        )
        for method in sorted(set(getattr(route, "methods", ())) - {"OPTIONS", "HEAD"}):
            out.append((method, path))
    return sorted(set(out))


def _check(r: Any, started: float, what: str) -> None:
    took = time.monotonic() - started
    assert r.status_code < 500, (what, r.status_code, r.text[:300])
    assert took < LIMIT_S, (what, round(took, 2))
    assert len(r.content) < MAX_ANSWER, (what, len(r.content))


def test_every_get_route_bounds_hostile_queries(client: Any) -> None:
    for method, path in _paths(client.app):
        if method != "GET" or path.startswith("/static"):
            continue
        for query in HOSTILE_QUERIES:
            started = time.monotonic()
            r = client.get(f"{path}?{query}")
            _check(r, started, f"GET {path}?{query[:60]}")


def _deep(depth: int) -> bytes:
    return b'{"a":' * depth + b'"x"' + b"}" * depth


HOSTILE_BODIES = [
    b"{" * 100_000,
    _deep(5000),
    json.dumps({f"k{i}": i for i in range(20_000)}).encode()[:60_000],
    json.dumps(
        {"text": "woord " * 9000, "answers": {"life_domains": {f"d{i}": 3 for i in range(2000)}}}
    ).encode()[:63_000],
    b"\xff\xfe" * 1000,
    json.dumps(["x"] * 20_000).encode()[:60_000],
    b"x" * 70_000,  # over the body limit
]


def test_every_post_and_put_route_bounds_hostile_bodies(client: Any) -> None:
    for method, path in _paths(client.app):
        if method not in ("POST", "PUT"):
            continue
        for body in HOSTILE_BODIES:
            for content_type in ("application/json", "application/x-www-form-urlencoded"):
                started = time.monotonic()
                r = client.request(
                    method,
                    path,
                    content=body,
                    headers={"Content-Type": content_type, "Authorization": "Bearer etl_x"},
                )
                _check(r, started, f"{method} {path} {content_type} {body[:20]!r}")
