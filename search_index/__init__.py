"""The search layer: one `SearchBackend` protocol, Meilisearch and embedded backends.

Typical use (the web app):

    vocabulary = Vocabulary.from_pack(pack)
    backend = make_backend(settings.meilisearch_url, settings.meilisearch_key, pack)
    backend.load_fallback(all_documents)          # at start-up, from the database
    result = backend.search(SearchQuery(q="autsime 12 jaar hoorn"))
    page = backend.results_page(SearchRequest(q="autisme", gemeente="hoorn"))
"""

from __future__ import annotations

from etalage.region.model import RegionPack
from search_index.documents import (
    DocumentBuilder,
    SearchDocument,
    build_document,
    documents_checksum,
    record_from_document,
)
from search_index.embedded import EmbeddedBackend
from search_index.meili import MeiliBackend
from search_index.protocol import (
    BackendError,
    Health,
    Hit,
    IndexStats,
    LeftOut,
    QueryError,
    ResultsPage,
    SearchBackend,
    SearchFilters,
    SearchQuery,
    SearchRequest,
    SearchResult,
    Segment,
    WiderSearch,
)
from search_index.resilient import ResilientBackend
from search_index.vocabulary import Understanding, Vocabulary

__all__ = [
    "BackendError",
    "DocumentBuilder",
    "EmbeddedBackend",
    "Health",
    "Hit",
    "IndexStats",
    "LeftOut",
    "MeiliBackend",
    "QueryError",
    "ResilientBackend",
    "ResultsPage",
    "SearchBackend",
    "SearchDocument",
    "SearchFilters",
    "SearchQuery",
    "SearchRequest",
    "SearchResult",
    "Segment",
    "Understanding",
    "Vocabulary",
    "WiderSearch",
    "build_document",
    "documents_checksum",
    "make_backend",
    "record_from_document",
]


def make_backend(
    meilisearch_url: str | None,
    meilisearch_key: str | None,
    pack: RegionPack,
    *,
    index: str = "etalage_providers",
) -> ResilientBackend:
    """The app's backend: Meilisearch with the embedded fallback, or embedded only."""
    vocabulary = Vocabulary.from_pack(pack)
    fallback = EmbeddedBackend(vocabulary, freshness_weeks=pack.freshness_weeks)
    primary = (
        MeiliBackend(
            meilisearch_url,
            meilisearch_key,
            vocabulary,
            index=index,
            freshness_weeks=pack.freshness_weeks,
        )
        if meilisearch_url
        else None
    )
    if primary is not None:
        # Hits with match marks come back as ids, hashes and marked fields; the
        # documents from the embedded copy (kept in step by the outbox worker).
        primary.document_store = fallback
    return ResilientBackend(primary, fallback)
