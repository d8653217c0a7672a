"""The catalogue as the web handlers see it: search through the search service, and
single providers from the database.

A search never waits on the database: hits carry their search documents, and the
presenters build the API's JSON and the result cards from them. The only database
fact a search page needs besides, which providers are demo data, is read at most once
every few seconds. Handlers that call these methods run in a worker thread
(`sync_to_thread=True`), so the event loop never waits on the database or on
Meilisearch.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etalage.catalogue import queries
from etalage.catalogue.presenters import ProviderRecord
from etalage.catalogue.queries import ProviderFilters
from etalage.region.model import RegionPack
from etalage.web.params import REGIO, ParamError
from search_index import ResilientBackend, SearchFilters, SearchQuery, SearchResult
from search_index.engine import FALLBACK_NOTICE
from search_index.protocol import QueryError

log = logging.getLogger("etalage.web")

DEMO_TTL_S = 5.0
# Filters with one value each: their option counts leave their own choice out.
SINGLE_CHOICE_FACETS = ("gemeente", "wet", "segment", "profiel", "intensiteit", "taal")


class Searcher(Protocol):
    """What the web needs of `etalage.indexing.service.SearchService`."""

    backend: ResilientBackend

    def search(self, query: SearchQuery) -> SearchResult: ...


def without(f: ProviderFilters, kind: str, **changes: Any) -> ProviderFilters:
    """The same search without one filter (and with `changes`)."""
    fields: dict[str, Any] = {kind: None, **changes}
    return replace(f, **fields)


def search_query(
    f: ProviderFilters,
    *,
    hits: bool = True,
    facets: bool = True,
    highlight: bool = True,
    read_place: bool = True,
) -> SearchQuery:
    """The search layer's query for validated parameters (and what to compute)."""
    return SearchQuery(
        q=f.q or "",
        filters=SearchFilters(
            gemeente=f.gemeente,
            wet=f.wet,
            segment=f.segment,
            profiel=f.profiel,
            intensiteit=f.intensiteit,
            expertise=f.expertise,
            taal=f.taal,
            leeftijd=f.leeftijd,
            max_wachttijd_weken=f.max_wachttijd_weken,
            postcode=f.postcode,
            afstand_km=f.afstand_km,
        ),
        sort=f.sort,  # type: ignore[arg-type]  # validated by params
        page=f.page,
        per_page=f.per_page,
        hits=hits,
        facets=facets,
        highlight=highlight,
        read_place=read_place,
    )


@dataclass(frozen=True)
class Found:
    """One page of search results with the search that found them."""

    filters: ProviderFilters
    result: SearchResult
    demo_kvks: frozenset[str]

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def page(self) -> int:
        return self.result.page

    @property
    def per_page(self) -> int:
        return self.result.per_page

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_demo(self) -> bool:
        return bool(self.demo_kvks)


@dataclass(frozen=True)
class Widening:
    """A search with one filter less, offered when nothing was found."""

    label: str  # "gemeente: Hoorn"
    filters: ProviderFilters
    total: int


@dataclass(frozen=True)
class ProviderOutcome:
    record: ProviderRecord
    history: queries.RegionalHistory
    has_demo: bool


@dataclass(frozen=True)
class Overview:
    providers: int
    has_demo: bool


class Catalogue:
    def __init__(
        self,
        engine: Engine,
        pack: RegionPack,
        searcher: Searcher,
        clock: Callable[[], date] = date.today,
    ) -> None:
        self.engine = engine
        self.pack = pack
        self.searcher = searcher
        self.clock = clock
        self._demo_lock = threading.Lock()
        self._demo: frozenset[str] = frozenset()
        self._demo_until = -math.inf
        # For the searches a page runs next to its main search (filter counts, ways
        # to widen an empty result): in parallel, so the page waits for the slowest only.
        self._pool_lock = threading.Lock()
        self._pool_threads: ThreadPoolExecutor | None = None

    def today(self) -> date:
        return self.clock()

    @property
    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool_threads is None:
                self._pool_threads = ThreadPoolExecutor(
                    max_workers=4, thread_name_prefix="catalogue-search"
                )
            return self._pool_threads

    def close(self) -> None:
        """Let the helper threads of the page searches go (at shutdown)."""
        with self._pool_lock:
            pool, self._pool_threads = self._pool_threads, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _session(self) -> Session:
        return Session(self.engine)

    # ---- search ---------------------------------------------------------------------

    def _search(self, query: SearchQuery) -> SearchResult:
        try:
            return self.searcher.search(query)
        except QueryError as exc:
            raise ParamError(
                exc.param, f"De parameter '{exc.param}' klopt niet: {exc.message}."
            ) from exc
        except Exception:
            # The resilient backend answers from the embedded index already; this is
            # the last line: whatever broke, the visitor still gets an answer.
            log.exception("search failed; answering from the embedded index directly")
            backend = self.searcher.backend
            notice = FALLBACK_NOTICE if backend.primary is not None else None
            return backend.fallback.search(query).with_backend("embedded", notice)

    def search(self, filters: ProviderFilters, *, highlight: bool = True) -> Found:
        """One page of results with the facet counts; `highlight=False` when the
        caller does not show match marks (the JSON API)."""
        query = search_query(filters, highlight=highlight)
        return Found(filters, self._search(query), self.demo_kvks())

    def count(self, filters: ProviderFilters) -> int:
        """How many a search would find (for the links that widen an empty search). The
        embedded copy counts when it serves Meilisearch's searches too: these are
        offers, and following one shows Meilisearch's own result and total."""
        query = search_query(replace(filters, page=1), hits=False, facets=False)
        backend = self.searcher.backend
        if backend.primary is not None and backend.local_copy and not backend.using_fallback:
            try:
                return backend.count_locally(query).total
            except QueryError:
                raise
            except Exception:
                log.exception("counting a wider search locally failed")
        return self._search(query).total

    def search_with_counts(
        self, filters: ProviderFilters
    ) -> tuple[Found, dict[str, dict[str, int]]]:
        """The search, and the counts to show next to each filter option: how many
        providers you find when you choose it. For a one-choice filter that is set, its
        own counts come from the search without it (else every other option would read
        0).

        Those counts come from the embedded copy when it agrees with Meilisearch on
        the one number both can check: choosing the option that is set finds what the
        main search found. Otherwise (or while the copies differ) they are searched
        like everything else, in parallel."""
        found = self.search(filters)
        counts = dict(found.result.facets)
        kinds = [kind for kind in SINGLE_CHOICE_FACETS if getattr(filters, kind) is not None]
        if not kinds:
            return found, counts
        backend = self.searcher.backend
        local = found.result.backend == "meilisearch" and backend.local_copy
        pending = {}
        for kind in kinds:
            # Choosing another municipality keeps a place in the text as words (an
            # explicit choice wins), so its count does too.
            query = search_query(
                without(filters, kind, page=1),
                hits=False,
                highlight=False,
                read_place=kind != "gemeente",
            )
            if local:
                try:
                    wider = backend.count_locally(query).facets.get(kind, {})
                except Exception:  # the copy failing must not cost the page
                    log.exception("counting the filter options locally failed")
                    wider = {}
                if wider.get(str(getattr(filters, kind))) == found.total:
                    counts[kind] = wider
                    continue
            pending[kind] = self._pool.submit(self._search, query)
        try:
            for kind, answer in pending.items():
                counts[kind] = answer.result().facets.get(kind, {})
        finally:
            for answer in pending.values():
                answer.cancel()
        for kind in kinds:
            # What the chosen option finds is this search itself (also when the text
            # named the same place, which the count above kept as words).
            chosen = str(getattr(filters, kind))
            counts[kind] = {**counts[kind], chosen: found.total}
        return found, counts

    def widenings(self, found: Found) -> list[Widening]:
        """When nothing matched: the same search with one filter less, each that finds
        something, most results first. What was read from the search text (an age, a
        place) counts as a filter too."""
        f = found.filters
        understood = found.result.understood
        pack = self.pack
        options: list[tuple[str, ProviderFilters]] = []
        kept = ""  # what stays in the search text when the words go: an age range
        if understood.changed:
            age_range = understood.leeftijd_tot is not None
            f = replace(
                f,
                q=understood.text or None,
                leeftijd=understood.leeftijd
                if f.leeftijd is None and not age_range
                else f.leeftijd,
                gemeente=f.gemeente or understood.gemeente,
            )
            if age_range:
                # A range has no filter field of its own: it stays in the search text.
                options.append(
                    (
                        f"leeftijd: {understood.leeftijd} tot en met "
                        f"{understood.leeftijd_tot} jaar",
                        f,
                    )
                )
                kept = understood.leeftijd_tekst
                f = replace(f, q=f"{f.q or ''} {kept}".strip())
        words = understood.text if kept else f.q
        if words:
            options.append((f"zoekwoord: ‘{words}’", replace(f, q=kept or None)))
        for kind, what in (
            ("gemeente", "gemeente"),
            ("wet", "voor wie"),
            ("segment", "soort hulp"),
            ("profiel", "profiel"),
            ("intensiteit", "intensiteit"),
            ("taal", "taal"),
        ):
            code = getattr(f, kind)
            if code is not None:
                shown = "heel de regio" if code == REGIO else pack.label(kind, code)
                options.append((f"{what}: {shown}", without(f, kind)))
        for tag in f.expertise:
            rest = tuple(t for t in f.expertise if t != tag)
            options.append(
                (f"expertise: {pack.label('expertise', tag)}", replace(f, expertise=rest))
            )
        if f.leeftijd is not None:
            options.append((f"leeftijd: {f.leeftijd} jaar", replace(f, leeftijd=None)))
        if f.max_wachttijd_weken is not None:
            options.append(
                (
                    f"wachttijd: hoogstens {f.max_wachttijd_weken} weken",
                    replace(f, max_wachttijd_weken=None),
                )
            )
        if f.afstand_km is not None:
            options.append(
                (
                    f"afstand: hoogstens {f.afstand_km:g} km".replace(".", ","),
                    replace(f, afstand_km=None),
                )
            )
        wider = [replace(option, page=1) for _, option in options]
        totals = self._pool.map(self.count, wider)
        found_more = [
            Widening(label, option, total)
            for (label, _), option, total in zip(options, wider, totals, strict=True)
            if total
        ]
        found_more.sort(key=lambda w: -w.total)
        return found_more

    def demo_kvks(self) -> frozenset[str]:
        """KvK numbers of demo providers (the search index does not hold the mark),
        read from the database at most once every DEMO_TTL_S seconds."""
        now = time.monotonic()
        with self._demo_lock:
            if now < self._demo_until:
                return self._demo
        with self._session() as session:
            kvks = frozenset(queries.demo_kvks(session))
        with self._demo_lock:
            self._demo, self._demo_until = kvks, now + DEMO_TTL_S
        return kvks

    # ---- single providers (database) ------------------------------------------------

    def provider(self, kvk: str) -> ProviderRecord | None:
        with self._session() as session:
            return queries.get_provider(session, kvk)

    def provider_page(self, slug: str) -> ProviderOutcome | None:
        with self._session() as session:
            record = queries.get_provider_by_slug(session, slug)
            if record is None:
                return None
            return ProviderOutcome(
                record=record,
                history=queries.regional_history(session),
                has_demo=queries.any_demo(session),
            )

    def overview(self) -> Overview:
        with self._session() as session:
            return Overview(
                providers=queries.provider_count(session), has_demo=queries.any_demo(session)
            )

    def has_demo(self) -> bool:
        with self._session() as session:
            return queries.any_demo(session)
