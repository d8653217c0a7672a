"""Meilisearch specifics: settings as code, tasks checked, atomic rebuild, scoped keys."""

from __future__ import annotations

import time
from collections.abc import Iterator

import meilisearch
import pytest
from meili_process import MeiliProcess, settle
from meilisearch.errors import MeilisearchApiError
from support import free_port

from search_index.documents import SearchDocument, documents_checksum
from search_index.meili import MeiliBackend, MeiliTaskError, index_settings
from search_index.protocol import BackendError, SearchFilters, SearchQuery
from search_index.vocabulary import Vocabulary

pytestmark = pytest.mark.meili


@pytest.fixture
def fresh(meili_server: MeiliProcess, vocabulary: Vocabulary, index_name: str) -> MeiliBackend:
    return MeiliBackend(
        meili_server.url,
        meili_server.master_key,
        vocabulary,
        index=index_name,
        search_timeout_s=2.0,
    )


def _admin(server: MeiliProcess) -> meilisearch.Client:
    return meilisearch.Client(server.url, server.master_key)


def test_settings_are_applied_once(fresh: MeiliBackend, vocabulary: Vocabulary) -> None:
    fresh.ensure_index()
    assert fresh.apply_settings() == []  # ensure_index applied them; nothing left to do
    current = fresh._admin.index(fresh.index_uid).get_settings()
    desired = index_settings(vocabulary)
    assert current["searchableAttributes"] == desired["searchableAttributes"]
    assert current["rankingRules"] == desired["rankingRules"]
    assert current["synonyms"]["alzheimer"] == desired["synonyms"]["alzheimer"]
    assert "dementie" in current["synonyms"]["alzheimer"]
    # A setting changed behind our back is put right, and only that one.
    info = fresh._admin.index(fresh.index_uid).update_stop_words(["foo"])
    fresh._admin.wait_for_task(info.task_uid)
    assert fresh.apply_settings() == ["stopWords"]
    assert fresh.apply_settings() == []


def test_rebuild_swaps_atomically_and_survives_a_crash(
    fresh: MeiliBackend, meili_server: MeiliProcess, documents: list[SearchDocument]
) -> None:
    fresh.rebuild(documents[:5])
    assert fresh.search(SearchQuery(per_page=100)).total == 5

    def crashing() -> Iterator[SearchDocument]:
        yield from documents[5:8]
        raise RuntimeError("database went away half-way")

    with pytest.raises(RuntimeError):
        fresh.rebuild(crashing())
    # The old index still serves, untouched.
    assert {h.id for h in fresh.search(SearchQuery(per_page=100)).hits} == {
        d["id"] for d in documents[:5]
    }
    fresh.rebuild(documents)
    assert fresh.search(SearchQuery(per_page=100)).total == len(documents)
    names = {i.uid for i in _admin(meili_server).get_indexes({"limit": 1000})["results"]}
    assert fresh.index_uid in names and f"{fresh.index_uid}_new" not in names
    assert fresh.stats().checksum == documents_checksum(documents)


@pytest.mark.timing
def test_a_change_is_searchable_when_index_documents_returns(
    fresh: MeiliBackend, documents: list[SearchDocument]
) -> None:
    fresh.rebuild(documents)
    settle(fresh, documents[1:2])  # past a freshly built index's slow first writes
    changed = dict(documents[0], wachttijd_totaal_weken=0)
    started = time.monotonic()
    fresh.index_documents([changed])
    found = fresh.search(SearchQuery(filters=SearchFilters(max_wachttijd_weken=0), per_page=100))
    elapsed = time.monotonic() - started
    assert changed["id"] in {h.id for h in found.hits}
    # Meilisearch's own writes here take 0.1-0.3 s with spikes of 2-4 s (measured).
    assert elapsed < 10.0
    fresh.delete([changed["id"]])
    assert changed["id"] not in {h.id for h in fresh.search(SearchQuery(per_page=100)).hits}


def test_a_failed_task_is_reported_with_its_reason(fresh: MeiliBackend) -> None:
    with pytest.raises(MeiliTaskError) as e:
        fresh.index_documents([{"id": "not a valid id!", "naam": "x"}])
    assert "failed" in str(e.value) and "invalid_document_id" in str(e.value)


def test_searches_use_a_key_scoped_to_searching_this_index(
    fresh: MeiliBackend, meili_server: MeiliProcess, documents: list[SearchDocument]
) -> None:
    fresh.rebuild(documents[:3])
    fresh.search(SearchQuery())
    key = fresh.search_key()
    assert key and key != meili_server.master_key
    assert fresh.search_key() == key  # looked up, not created again
    details = _admin(meili_server).get_key(fresh.search_key_uid)
    assert details.actions == ["search"] and details.indexes == [fresh.index_uid]
    scoped = meilisearch.Client(meili_server.url, key)
    assert scoped.index(fresh.index_uid).search("")["hits"]
    with pytest.raises(MeilisearchApiError) as e:
        scoped.index(fresh.index_uid).add_documents([{"id": "1"}])
    assert e.value.status_code == 403
    with pytest.raises(MeilisearchApiError):
        scoped.index("contract").search("")


def test_an_unreachable_server_is_a_backend_error(vocabulary: Vocabulary) -> None:
    backend = MeiliBackend(f"http://127.0.0.1:{free_port()}", "x", vocabulary)
    started = time.monotonic()
    with pytest.raises(BackendError):
        backend.search(SearchQuery(q="autisme"))
    assert time.monotonic() - started < 2.0
    assert backend.health().ok is False
