"""Facet counts from the embedded copy, only when it agrees with Meilisearch.

`ResilientBackend` asks Meilisearch for the hits and the total, and lets the embedded
copy count the facets of the same query. These tests hold it to its promise: the
answer is exactly what Meilisearch alone would give, and when the copies disagree
Meilisearch counts the facets itself.
"""

from __future__ import annotations

import pytest
from meili_process import MeiliProcess
from search_testdata import PROVIDERS

from search_index.documents import SearchDocument
from search_index.embedded import EmbeddedBackend
from search_index.meili import MeiliBackend
from search_index.protocol import SearchFilters, SearchQuery, SearchResult
from search_index.resilient import ResilientBackend
from search_index.vocabulary import Vocabulary

pytestmark = pytest.mark.meili

QUERIES = [
    SearchQuery(),
    SearchQuery(q="autisme"),
    SearchQuery(q="autsime hoorn"),
    SearchQuery(q="begeleiding", filters=SearchFilters(wet="wmo")),
    SearchQuery(q="geheug"),  # prefix
    SearchQuery(q="dementie xyzzy"),  # a word left out
    SearchQuery(q="niets te vinden hier"),
    SearchQuery(filters=SearchFilters(gemeente="hoorn", leeftijd=12), sort="wachttijd"),
    SearchQuery(q="ass", page=2, per_page=2),
    SearchQuery(q="dagbesteding", hits=False, highlight=False),
]


def _same(a: SearchResult, b: SearchResult) -> None:
    assert [h.id for h in a.hits] == [h.id for h in b.hits]
    assert [h.document for h in a.hits] == [h.document for h in b.hits]
    assert (a.total, a.facets, a.relaxed_words, a.suggestion) == (
        b.total,
        b.facets,
        b.relaxed_words,
        b.suggestion,
    )
    assert [h.highlights for h in a.hits] == [h.highlights for h in b.hits]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q.q) + str(q.filters.gemeente))
def test_the_answer_is_what_meilisearch_alone_gives(
    meili_backend: MeiliBackend, embedded_backend: EmbeddedBackend, query: SearchQuery
) -> None:
    resilient = ResilientBackend(meili_backend, embedded_backend)
    answer = resilient.search(query)
    assert answer.backend == "meilisearch"
    _same(answer, meili_backend.search(query))
    assert resilient.facet_fallbacks == 0  # the copies agreed: no second request


def test_when_the_copies_disagree_meilisearch_counts(
    meili_backend: MeiliBackend, vocabulary: Vocabulary, documents: list[SearchDocument]
) -> None:
    # The embedded copy is a change ahead (as while Meilisearch applies a write).
    ahead = EmbeddedBackend(vocabulary)
    ahead.rebuild(documents)
    gone = PROVIDERS[0].kvk
    ahead.delete([gone])
    resilient = ResilientBackend(meili_backend, ahead)
    query = SearchQuery(per_page=100)
    answer = resilient.search(query)
    assert gone in {h.id for h in answer.hits}
    _same(answer, meili_backend.search(query))
    assert resilient.facet_fallbacks == 1
    # Where the change does not matter, the copy's counts are used again.
    other = SearchQuery(q="dementie")
    assert gone not in {h.id for h in meili_backend.search(other).hits}
    _same(resilient.search(other), meili_backend.search(other))
    assert resilient.facet_fallbacks == 1


def test_local_counting_can_be_turned_off(
    meili_backend: MeiliBackend, embedded_backend: EmbeddedBackend
) -> None:
    resilient = ResilientBackend(meili_backend, embedded_backend, local_copy=False)
    for query in QUERIES[:3]:
        _same(resilient.search(query), meili_backend.search(query))
    assert resilient.facet_fallbacks == 0


def test_documents_from_the_copy_only_when_the_same_version(
    meili_server: MeiliProcess,
    vocabulary: Vocabulary,
    documents: list[SearchDocument],
    meili_backend: MeiliBackend,
    index_name: str,
) -> None:
    """With a document store, a search with match marks gets ids, hashes and marked
    fields from Meilisearch and the documents from the store when their hash is the
    same; a different version in the store means asking Meilisearch for everything."""
    store = EmbeddedBackend(vocabulary)
    store.rebuild(documents)
    lean = MeiliBackend(meili_server.url, meili_server.master_key, vocabulary, index=index_name)
    lean.rebuild(documents)
    lean.document_store = store
    for query in QUERIES:
        _same(lean.search(query), meili_backend.search(query))
    first = lean.search(SearchQuery(per_page=100)).hits[0].document
    newer = {**next(d for d in documents if d["id"] == first["id"]), "naam": "Nieuw"}
    store.index_documents([{**newer, "hash": "a newer version"}])
    assert lean.search(SearchQuery(per_page=100)).hits[0].document == first
