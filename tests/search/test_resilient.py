"""Search never goes dark: Meilisearch down, slow or failing means the embedded answer."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from meili_process import MeiliProcess, meili_available
from search_testdata import AUTISM
from support import free_port

from search_index.documents import SearchDocument
from search_index.embedded import EmbeddedBackend
from search_index.engine import FALLBACK_NOTICE
from search_index.meili import MeiliBackend
from search_index.protocol import BackendError, QueryError, SearchQuery
from search_index.resilient import ResilientBackend
from search_index.vocabulary import Vocabulary

# Thresholds (300 ms) and a kill/restart: wall-clock behaviour, run serially.
pytestmark = pytest.mark.timing


def _fallback(vocabulary: Vocabulary, documents: list[SearchDocument]) -> EmbeddedBackend:
    backend = EmbeddedBackend(vocabulary)
    backend.rebuild(documents)
    return backend


def test_without_meilisearch_the_embedded_backend_answers_plainly(
    vocabulary: Vocabulary, documents: list[SearchDocument]
) -> None:
    backend = ResilientBackend(None, _fallback(vocabulary, documents))
    result = backend.search(SearchQuery(q="autisme"))
    assert (result.backend, result.notice) == ("embedded", None)
    assert {h.id for h in result.hits} == AUTISM
    assert backend.name == "embedded"


def test_an_unreachable_meilisearch_falls_back_and_says_so(
    vocabulary: Vocabulary, documents: list[SearchDocument], caplog: pytest.LogCaptureFixture
) -> None:
    primary = MeiliBackend(f"http://127.0.0.1:{free_port()}", "key", vocabulary)
    backend = ResilientBackend(primary, _fallback(vocabulary, documents), retry_after_s=60)
    with caplog.at_level(logging.WARNING, logger="search_index.resilient"):
        first = backend.search(SearchQuery(q="autisme"))
        second = backend.search(SearchQuery(q="autisme"))
    assert first.backend == second.backend == "embedded"
    assert first.notice == FALLBACK_NOTICE
    assert {h.id for h in first.hits} == AUTISM
    assert sum("answering from embedded" in r.message for r in caplog.records) == 1
    with pytest.raises(QueryError):  # a bad parameter stays a bad parameter
        backend.search(SearchQuery(sort="afstand"))
    with pytest.raises(BackendError):  # writes report the failure, for a retry
        backend.index_documents(documents[:1])
    assert backend.fallback.stats().count == len(documents)


class _SlowMeili(BaseHTTPRequestHandler):
    delay = 1.0

    def _json(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/health"):
            self._json(200, {"status": "available"})
        else:
            self._json(404, {"message": "not found", "code": "api_key_not_found"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.endswith("/search"):
            time.sleep(self.delay)
            self._json(200, {"hits": [], "totalHits": 0, "facetDistribution": {}})
        else:
            self._json(403, {"message": "forbidden", "code": "invalid_api_key"})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slow_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowMeili)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_slow_meilisearch_is_not_waited_for(
    slow_server: str, vocabulary: Vocabulary, documents: list[SearchDocument]
) -> None:
    primary = MeiliBackend(slow_server, "key", vocabulary, search_timeout_s=0.3)
    backend = ResilientBackend(primary, _fallback(vocabulary, documents), retry_after_s=60)
    started = time.monotonic()
    result = backend.search(SearchQuery(q="autisme"))
    assert time.monotonic() - started < 0.95  # the 0.3 s timeout, not the 1 s answer
    assert result.backend == "embedded" and {h.id for h in result.hits} == AUTISM
    started = time.monotonic()
    assert backend.search(SearchQuery(q="dementie")).backend == "embedded"
    assert time.monotonic() - started < 0.25  # the breaker is open: no waiting at all


def test_an_answer_slower_than_the_limit_opens_the_breaker(
    slow_server: str, vocabulary: Vocabulary, documents: list[SearchDocument]
) -> None:
    _SlowMeili.delay = 0.15
    try:
        primary = MeiliBackend(slow_server, "key", vocabulary, search_timeout_s=2.0)
        backend = ResilientBackend(
            primary, _fallback(vocabulary, documents), slow_ms=50, retry_after_s=60
        )
        assert backend.search(SearchQuery(q="autisme")).backend == "meilisearch"
        assert backend.using_fallback
        assert backend.search(SearchQuery(q="autisme")).backend == "embedded"
    finally:
        _SlowMeili.delay = 1.0


@pytest.mark.meili
def test_killing_meilisearch_mid_run_switches_to_embedded_and_back(
    vocabulary: Vocabulary, documents: list[SearchDocument], caplog: pytest.LogCaptureFixture
) -> None:
    meili_available()
    workdir = Path(tempfile.mkdtemp(prefix="etalage-meili-kill-"))
    server = MeiliProcess(workdir / "data.ms")
    server.start()
    try:
        # Generous limits: this test is about a dead server, not a slow one (CI is busy).
        primary = MeiliBackend(
            server.url, server.master_key, vocabulary, index="kill", search_timeout_s=1.0
        )
        backend = ResilientBackend(
            primary,
            EmbeddedBackend(vocabulary),
            slow_ms=1000,
            retry_after_s=0.1,
            max_retry_after_s=0.4,
        )
        backend.rebuild(documents)
        assert backend.search(SearchQuery(q="autisme")).backend == "meilisearch"

        answered: list[tuple[str, frozenset[str]]] = []
        restarted = threading.Event()

        def chaos() -> None:
            time.sleep(0.4)
            server.kill()
            time.sleep(0.8)
            server.start()
            restarted.set()

        caplog.set_level(logging.INFO, logger="search_index.resilient")
        chaos_thread = threading.Thread(target=chaos)
        chaos_thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            result = backend.search(SearchQuery(q="autsime 12 jaar hoorn"))
            answered.append((result.backend, frozenset(h.id for h in result.hits)))
            if restarted.is_set() and result.backend == "meilisearch":
                break
            time.sleep(0.01)
        chaos_thread.join()

        backends = [b for b, _ in answered]
        assert backends[0] == "meilisearch" and backends[-1] == "meilisearch"
        assert "embedded" in backends
        switch = backends.index("embedded")
        assert "meilisearch" in backends[switch:]
        # Every search answered, and answered the same.
        assert {found for _, found in answered} == {frozenset({"10000001", "10000002"})}
        messages = " ".join(r.message for r in caplog.records)
        assert "answering from embedded" in messages and "Meilisearch is back" in messages
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
