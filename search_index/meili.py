"""The Meilisearch backend.

- Index settings are code (`index_settings`), applied idempotently: the current
  settings are read and only the ones that differ are sent.
- Every task is awaited with a timeout and its status checked; a failed or late task
  raises `MeiliTaskError` with the task's own error message.
- `rebuild` fills `<index>_new`, checks its count, swaps it with the live index in one
  atomic swap, then deletes the old one. A crash before the swap leaves the live
  index serving; the next rebuild first removes the leftover `_new` index.
- The configured key (master or admin) stays in this process. Searches use a key
  scoped to the `search` action on this index only, created (or found) with the
  admin key under a fixed uid; when the admin key may not manage keys, it is used for
  searching too and that is logged.
- Searches use a short client timeout (`search_timeout_s`, default 0.3 s): a slow
  Meilisearch is an error here, so the resilient wrapper can answer from the embedded
  backend instead.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

import meilisearch
import requests
from meilisearch.errors import MeilisearchApiError, MeilisearchError, MeilisearchTimeoutError
from meilisearch.models.task import TaskInfo

from search_index.documents import (
    DOCUMENT_FIELDS,
    SearchDocument,
    checksum_of,
    split_facet_values,
)
from search_index.engine import (
    CROP_FIELD,
    CROP_MARKER,
    CROP_WORDS,
    HIGHLIGHTED,
    NOT_RETRIEVED,
    SEARCHABLE,
    BaseBackend,
    Plan,
    RawHit,
    RawPage,
    parse_highlight,
)
from search_index.filters import ATTRIBUTES, to_meili
from search_index.protocol import BackendError, BackendName, Health, IndexStats
from search_index.text import HIGHLIGHT_POST, HIGHLIGHT_PRE
from search_index.vocabulary import Vocabulary

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
RETRIEVED = [f for f in DOCUMENT_FIELDS if f not in NOT_RETRIEVED]
SORT_EXPRESSIONS = {
    "wachttijd": "wachttijd_sorteer:asc",
    "kwaliteit": "kwaliteit:desc",
    "naam": "naam_sort:asc",
}
# Searches ask for an uncompressed answer. Meilisearch runs next to the app (same host
# or network); gzipping a results page of some 50 kB and unzipping it again cost more
# than sending it: measured, a few milliseconds per search at the 95th percentile.
SEARCH_HEADERS = {"Accept-Encoding": "identity"}
# The facets are counted on one attribute holding them all ("gemeente:hoorn", see
# documents.facet_values). A region has a few hundred values at most; this is the cap.
FACET_ATTRIBUTE = "facetten"
MAX_FACET_VALUES = 5000


class DocumentStore(Protocol):
    """Where whole documents can be had by (id, hash): the embedded copy."""

    def versions(self, wanted: Sequence[tuple[str, str]]) -> list[SearchDocument | None]: ...


class MeiliTaskError(BackendError):
    """A Meilisearch task failed, was cancelled or did not finish in time."""


def index_settings(vocabulary: Vocabulary) -> dict[str, Any]:
    """The index settings, as code. Same words, same rules as the embedded backend."""
    return {
        "searchableAttributes": list(SEARCHABLE),
        "filterableAttributes": sorted({*ATTRIBUTES, "_geo", FACET_ATTRIBUTE}),
        "sortableAttributes": ["_geo", "kwaliteit", "naam_sort", "wachttijd_sorteer", "zwaarte"],
        # "sort" first: an explicit sort wins, relevance breaks its ties; the name is
        # the last tie-break so equal documents come in a stable, explainable order.
        "rankingRules": [
            "sort",
            "words",
            "typo",
            "proximity",
            "attribute",
            "exactness",
            "naam_sort:asc",
        ],
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnNumbers": True,
            "disableOnWords": [],
            "disableOnAttributes": ["kvk", "profielen"],
        },
        "stopWords": sorted(vocabulary.stop_words),
        "synonyms": vocabulary.meili_synonyms(),
        "faceting": {"maxValuesPerFacet": MAX_FACET_VALUES, "sortFacetValuesBy": {"*": "alpha"}},
        "pagination": {"maxTotalHits": 100_000},
        # Proximity per attribute, not per word pair: indexing is several times faster
        # and the texts are short. No facet search: the facets are counted, not searched.
        "proximityPrecision": "byAttribute",
        "facetSearch": False,
    }


def _normalise(key: str, value: Any) -> Any:
    """A settings value in a form that compares equal when Meilisearch means the same."""
    if value is None:
        return None
    if key in ("filterableAttributes", "sortableAttributes", "stopWords"):
        names = [v if isinstance(v, str) else str(v.get("attributePatterns")) for v in value]
        return sorted(names)
    if key == "synonyms":
        return {k: sorted(v) for k, v in value.items()}
    if key == "typoTolerance":
        return {
            "enabled": value.get("enabled"),
            "minWordSizeForTypos": dict(value.get("minWordSizeForTypos") or {}),
            "disableOnNumbers": value.get("disableOnNumbers", False),
            "disableOnWords": sorted(value.get("disableOnWords") or []),
            "disableOnAttributes": sorted(value.get("disableOnAttributes") or []),
        }
    if key == "faceting":
        return {
            "maxValuesPerFacet": value.get("maxValuesPerFacet"),
            "sortFacetValuesBy": dict(value.get("sortFacetValuesBy") or {}),
        }
    if key == "pagination":
        return {"maxTotalHits": value.get("maxTotalHits")}
    return value


def _batches(docs: Iterable[SearchDocument], size: int) -> Iterator[list[SearchDocument]]:
    batch: list[SearchDocument] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class MeiliBackend(BaseBackend):
    name: BackendName = "meilisearch"

    def __init__(
        self,
        url: str,
        key: str | None,
        vocabulary: Vocabulary,
        *,
        index: str = "etalage_providers",
        search_timeout_s: float = 0.3,
        admin_timeout_s: float = 10.0,
        task_timeout_s: float = 120.0,
        freshness_weeks: int = 6,
    ) -> None:
        self.url = url.rstrip("/")
        self.index_uid = index
        self.vocabulary = vocabulary
        self.freshness_weeks = freshness_weeks
        self.search_timeout_s = search_timeout_s
        self.task_timeout_s = task_timeout_s
        # requests accepts float timeouts; the client's annotation says int.
        self._admin = meilisearch.Client(self.url, key, timeout=admin_timeout_s)  # type: ignore[arg-type]
        # For the key look-up on the search path: never hang a user's search for long.
        self._quick = meilisearch.Client(
            self.url,
            key,
            timeout=max(search_timeout_s, 1.0),  # type: ignore[arg-type]
        )
        self._key = key
        self._searcher: meilisearch.Client | None = None
        self._index_ready = False
        # With a store, a search that asks for match marks gets the ids, hashes and
        # marked fields of its hits only (Meilisearch repeats every retrieved field in
        # its marked copy, doubling the answer) and takes the documents from the store
        # when their hash is the same; otherwise it asks again for everything.
        self.document_store: DocumentStore | None = None

    # ---- plumbing -----------------------------------------------------------------------

    def _wait(self, info: TaskInfo, what: str) -> Any:
        try:
            task = self._admin.wait_for_task(
                info.task_uid, timeout_in_ms=int(self.task_timeout_s * 1000), interval_in_ms=10
            )
        except MeilisearchTimeoutError as exc:
            raise MeiliTaskError(
                f"Meilisearch task {info.task_uid} ({what}) did not finish within "
                f"{self.task_timeout_s:g} s"
            ) from exc
        except (MeilisearchError, requests.RequestException) as exc:
            raise BackendError(f"Meilisearch unreachable while waiting for {what}: {exc}") from exc
        if task.status != "succeeded":
            error = task.error or {}
            raise MeiliTaskError(
                f"Meilisearch task {task.uid} ({what}) {task.status}: "
                f"{error.get('code', '')} {error.get('message', '')}".strip()
            )
        return task

    def _call(self, what: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except MeiliTaskError:
            raise
        except (MeilisearchError, requests.RequestException) as exc:
            raise BackendError(f"Meilisearch {what} failed: {exc}") from exc

    def _index_exists(self, uid: str) -> bool:
        try:
            self._admin.get_raw_index(uid)
            return True
        except MeilisearchApiError as exc:
            if exc.status_code == 404:
                return False
            raise BackendError(f"Meilisearch: reading index {uid} failed: {exc}") from exc
        except (MeilisearchError, requests.RequestException) as exc:
            raise BackendError(f"Meilisearch unreachable: {exc}") from exc

    def _create_index(self, uid: str) -> None:
        info = self._call("create index", self._admin.create_index, uid, {"primaryKey": "id"})
        self._wait(info, f"create index {uid}")

    def _delete_index(self, uid: str) -> None:
        if self._index_exists(uid):
            self._wait(self._call("delete index", self._admin.delete_index, uid), f"delete {uid}")

    # ---- settings and keys --------------------------------------------------------------

    def apply_settings(self, uid: str | None = None) -> list[str]:
        """Bring the index settings in line with the code; return the names changed."""
        uid = uid or self.index_uid
        index = self._admin.index(uid)
        desired = index_settings(self.vocabulary)
        current = self._call("read settings", index.get_settings)
        changed = {
            key: value
            for key, value in desired.items()
            if _normalise(key, current.get(key)) != _normalise(key, value)
        }
        if changed:
            info = self._call("update settings", index.update_settings, changed)
            self._wait(info, f"settings of {uid}: {', '.join(sorted(changed))}")
            log.info("meilisearch settings of %s updated: %s", uid, ", ".join(sorted(changed)))
        return sorted(changed)

    def ensure_index(self) -> None:
        """Create the live index if needed and apply the settings (idempotent)."""
        if not self._index_exists(self.index_uid):
            self._create_index(self.index_uid)
        self.apply_settings(self.index_uid)
        self._index_ready = True

    @property
    def search_key_uid(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"etalage:search:{self.index_uid}"))

    def search_key(self) -> str | None:
        """The key scoped to searching this index: looked up, or created once."""
        uid = self.search_key_uid
        try:
            return str(self._quick.get_key(uid).key)
        except MeilisearchApiError as exc:
            if exc.status_code == 404:
                try:
                    created = self._admin.create_key(
                        {
                            "uid": uid,
                            "name": f"etalage-search-{self.index_uid}",
                            "description": "Etalage: search only, this index only",
                            "actions": ["search"],
                            "indexes": [self.index_uid],
                            "expiresAt": None,
                        }
                    )
                    return str(created.key)
                except MeilisearchApiError as create_exc:
                    exc = create_exc
            if exc.status_code in (401, 403):
                log.warning(
                    "meilisearch: the configured key may not manage keys (%s); "
                    "searching with it instead of a scoped search key",
                    exc.code,
                )
                return None
            raise BackendError(f"Meilisearch search key: {exc}") from exc
        except (MeilisearchError, requests.RequestException) as exc:
            raise BackendError(f"Meilisearch unreachable: {exc}") from exc

    def _search_index(self) -> Any:
        if self._searcher is None:
            key = self.search_key() or self._key
            self._searcher = meilisearch.Client(
                self.url,
                key,
                timeout=self.search_timeout_s,  # type: ignore[arg-type]
                custom_headers=SEARCH_HEADERS,
            )
        return self._searcher.index(self.index_uid)

    # ---- searching ----------------------------------------------------------------------

    def _body(
        self,
        plan: Plan,
        offset: int,
        limit: int,
        facets: bool,
        highlight: bool = True,
        whole: bool = True,
    ) -> dict[str, Any]:
        """The search request; `whole=False` retrieves ids and hashes only."""
        body: dict[str, Any] = {
            "matchingStrategy": "all",
            "page": offset // limit + 1 if limit else 1,
            "hitsPerPage": limit,
        }
        filter_string = to_meili(plan.conditions)
        if filter_string:
            body["filter"] = filter_string
        if plan.sort == "afstand" and plan.origin is not None:
            body["sort"] = [f"_geoPoint({plan.origin[0]!r}, {plan.origin[1]!r}):asc"]
        elif plan.sort in SORT_EXPRESSIONS:
            body["sort"] = [SORT_EXPRESSIONS[plan.sort]]
        elif plan.lighter_first:
            body["sort"] = ["zwaarte:asc"]
        if facets:
            body["facets"] = [FACET_ATTRIBUTE]
        if limit:
            body["attributesToRetrieve"] = RETRIEVED if whole else ["id", "hash"]
            if highlight:
                body.update(
                    attributesToHighlight=list(HIGHLIGHTED),
                    attributesToCrop=[f"{CROP_FIELD}:{CROP_WORDS}"],
                    cropMarker=CROP_MARKER,
                    highlightPreTag=HIGHLIGHT_PRE,
                    highlightPostTag=HIGHLIGHT_POST,
                )
        else:
            body["attributesToRetrieve"] = ["id"]
        return body

    def _run(self, plan: Plan, offset: int, limit: int, facets: bool, highlight: bool) -> RawPage:
        store = self.document_store if highlight and limit else None
        answer = self._ask(plan, self._body(plan, offset, limit, facets, highlight, store is None))
        found: list[dict[str, Any]] = answer.get("hits", [])
        if store is not None and found:
            docs = store.versions([(str(h.get("id")), str(h.get("hash"))) for h in found])
            if all(d is not None for d in docs):
                for hit, doc in zip(found, docs, strict=True):
                    hit.update((k, v) for k, v in (doc or {}).items() if k not in NOT_RETRIEVED)
            else:  # the store holds another version of a hit: ask for everything
                answer = self._ask(plan, self._body(plan, offset, limit, facets, highlight))
                found = answer.get("hits", [])
        hits: list[RawHit] = []
        for hit in found:
            formatted = hit.pop("_formatted", {}) or {}
            highlights = {}
            for attribute in HIGHLIGHTED:
                value = formatted.get(attribute)
                if value is None:
                    continue
                values = value if isinstance(value, list) else [value]
                highlights[attribute] = [parse_highlight(str(v)) for v in values]
            hits.append(RawHit(doc=hit, highlights=highlights))
        distribution = answer.get("facetDistribution") or {}
        facet_counts = split_facet_values(distribution.get(FACET_ATTRIBUTE) or {})
        total = answer.get("totalHits")
        if total is None:
            total = answer.get("estimatedTotalHits", len(hits))
        return RawPage(hits=hits, total=int(total), facets=facet_counts)

    def _ask(self, plan: Plan, body: dict[str, Any]) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = self._search_index().search(plan.text, body)
        except (MeilisearchError, requests.RequestException) as exc:
            if isinstance(exc, MeilisearchApiError) and exc.status_code in (401, 403):
                self._searcher = None  # e.g. a new Meilisearch database: look the key up again
            raise BackendError(f"Meilisearch search failed: {exc}") from exc
        return answer

    # ---- writing ------------------------------------------------------------------------

    def _ready(self) -> None:
        if not self._index_ready:
            self.ensure_index()

    def index_documents(self, docs: Iterable[SearchDocument]) -> None:
        self._ready()
        index = self._admin.index(self.index_uid)
        infos = [
            self._call("add documents", index.add_documents, batch, primary_key="id")
            for batch in _batches(docs, BATCH_SIZE)
        ]
        for info in infos:
            self._wait(info, f"add documents to {self.index_uid}")

    def delete(self, ids: Iterable[str]) -> None:
        ids = [str(i) for i in ids]
        if not ids:
            return
        self._ready()
        # POST /indexes/{uid}/documents/delete-batch (the client's `ids=` is deprecated).
        path = f"indexes/{self.index_uid}/documents/delete-batch"
        raw = self._call("delete documents", self._admin.http.post, path, ids)
        self._wait(TaskInfo(**raw), f"delete documents from {self.index_uid}")

    def rebuild(self, docs: Iterable[SearchDocument]) -> None:
        started = time.perf_counter()
        live, new = self.index_uid, f"{self.index_uid}_new"
        self._delete_index(new)  # a leftover of a rebuild that crashed
        self._create_index(new)
        self.apply_settings(new)
        index = self._admin.index(new)
        expected = 0
        infos = []
        for batch in _batches(docs, BATCH_SIZE):
            expected += len(batch)
            infos.append(self._call("add documents", index.add_documents, batch, primary_key="id"))
        for info in infos:
            self._wait(info, f"add documents to {new}")
        count = self._call("read stats", index.get_stats).number_of_documents
        if count != expected:
            raise BackendError(
                f"Meilisearch rebuild: {new} holds {count} documents, expected {expected}; "
                f"{live} left as it was"
            )
        if self._index_exists(live):
            info = self._call("swap", self._admin.swap_indexes, [{"indexes": [live, new]}])
            self._wait(info, f"swap {live} and {new}")
            self._delete_index(new)  # now the old documents
        else:
            info = self._call(
                "rename", self._admin.swap_indexes, [{"indexes": [new, live], "rename": True}]
            )
            self._wait(info, f"rename {new} to {live}")
        self._index_ready = True
        log.info(
            "meilisearch index %s rebuilt with %d documents in %.1f s",
            live,
            expected,
            time.perf_counter() - started,
        )

    # ---- checks -------------------------------------------------------------------------

    def holds_documents(self) -> bool:
        """Whether the live index exists and holds documents (one cheap call)."""
        if not self._index_exists(self.index_uid):
            return False
        index = self._admin.index(self.index_uid)
        return bool(self._call("read stats", index.get_stats).number_of_documents)

    def stats(self) -> IndexStats:
        pairs = self.document_hashes()
        return IndexStats(count=len(pairs), checksum=checksum_of(pairs.items()))

    def document_hashes(self) -> dict[str, str]:
        """Every document's id and content hash, to find what differs from the database."""
        self._ready()
        index = self._admin.index(self.index_uid)
        pairs: list[tuple[str, str]] = []
        offset = 0
        while True:
            page = self._call(
                "read documents",
                index.get_documents,
                {"fields": ["id", "hash"], "limit": 1000, "offset": offset},
            )
            for document in page.results:
                values = dict(document)
                pairs.append((str(values.get("id")), str(values.get("hash"))))
            offset += len(page.results)
            if not page.results or offset >= page.total:
                break
        return dict(pairs)

    def health(self) -> Health:
        started = time.perf_counter()
        try:
            response = requests.get(f"{self.url}/health", timeout=max(self.search_timeout_s, 0.5))
            healthy = response.status_code == 200 and response.json().get("status") == "available"
            detail = "beschikbaar" if healthy else f"status {response.status_code}"
        except (requests.RequestException, ValueError) as exc:
            healthy, detail = False, f"onbereikbaar: {type(exc).__name__}"
        return Health(
            ok=healthy,
            backend=self.name,
            detail=detail,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )
