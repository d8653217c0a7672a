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

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etalage.catalogue import reader
from etalage.portal.snapshot import snapshot_of
from etalage.provider import ProviderRecord
from etalage.region.model import RegionPack
from etalage.web.params import REGIO, ParamError
from search_index import LeftOut, QueryError, ResultsPage, SearchRequest, SearchResult

DEMO_TTL_S = 5.0
# What a wider search leaves out, in the words of "Zoek zonder ...".
LEFT_OUT_NAMES = {
    "gemeente": "gemeente",
    "wet": "voor wie",
    "segment": "soort hulp",
    "profiel": "profiel",
    "intensiteit": "intensiteit",
    "taal": "taal",
}


class Searcher(Protocol):
    """What the web needs of `etalage.indexing.service.SearchService`."""

    def results_page(
        self,
        request: SearchRequest,
        *,
        highlight: bool = True,
        option_counts: bool = True,
        wider: bool = True,
    ) -> ResultsPage: ...

    # Bumped whenever the indexed data changes (any provider, waiting time or KPI).
    version: int


@dataclass(frozen=True)
class Widening:
    """A search with one filter less, offered when nothing was found."""

    label: str  # "gemeente: Hoorn"
    filters: SearchRequest
    total: int


@dataclass(frozen=True)
class Found:
    """One page of search results with the search that found them."""

    filters: SearchRequest
    result: SearchResult
    # filter -> option -> how many choosing it finds (see ResultsPage.option_counts)
    counts: dict[str, dict[str, int]]
    widenings: list[Widening]
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
class ProviderOutcome:
    record: ProviderRecord
    history: reader.Histories
    has_demo: bool


@dataclass(frozen=True)
class Overview:
    providers: int
    has_demo: bool


def left_out_label(left_out: LeftOut, pack: RegionPack) -> str:
    """What "Zoek zonder ..." leaves out, in Dutch: "gemeente: Hoorn"."""
    parameter, value = left_out.parameter, left_out.value
    if parameter == "q":
        return f"zoekwoord: ‘{value}’"
    if parameter == "leeftijd" and left_out.until is not None:
        return f"leeftijd: {value} tot en met {left_out.until} jaar"
    if parameter == "leeftijd":
        return f"leeftijd: {value} jaar"
    if parameter == "max_wachttijd_weken":
        return f"wachttijd: hoogstens {value} weken"
    if parameter == "afstand_km":
        return f"afstand: hoogstens {value:g} km".replace(".", ",")
    if parameter == "expertise":
        return f"expertise: {pack.label('expertise', str(value))}"
    shown = "heel de regio" if value == REGIO else pack.label(parameter, str(value))
    return f"{LEFT_OUT_NAMES[parameter]}: {shown}"


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
        # Every provider's waiting and KPI history, for the regional averages on each
        # provider page: read once per data version, not on every page (at 10,000
        # providers that read alone would cost more than the page).
        self._histories_lock = threading.Lock()
        self._histories: tuple[int, reader.Histories] | None = None

    def today(self) -> date:
        return self.clock()

    def close(self) -> None:
        """Nothing to let go: the search layer's helper threads stop with the search
        service (`SearchService.stop`)."""

    def _session(self) -> Session:
        return Session(self.engine)

    # ---- search ---------------------------------------------------------------------

    def _results_page(
        self, request: SearchRequest, *, highlight: bool, option_counts: bool, wider: bool
    ) -> Found:
        try:
            page = self.searcher.results_page(
                request, highlight=highlight, option_counts=option_counts, wider=wider
            )
        except QueryError as exc:
            raise ParamError(
                exc.param, f"De parameter '{exc.param}' klopt niet: {exc.message}."
            ) from exc
        widenings = [
            Widening(left_out_label(found.left_out, self.pack), found.request, found.total)
            for found in page.wider
        ]
        return Found(request, page.result, page.option_counts, widenings, self.demo_kvks())

    def search(self, request: SearchRequest, *, highlight: bool = True) -> Found:
        """One page of results with the facet counts; `highlight=False` when the
        caller does not show match marks (the JSON API)."""
        return self._results_page(request, highlight=highlight, option_counts=False, wider=False)

    def results_page(self, request: SearchRequest) -> Found:
        """A results page: the search, the counts to show next to each filter option
        (how many providers you find when you choose it) and, when nothing was found,
        the ways to widen the search."""
        return self._results_page(request, highlight=True, option_counts=True, wider=True)

    def demo_kvks(self) -> frozenset[str]:
        """KvK numbers of demo providers (the search index does not hold the mark),
        read from the database at most once every DEMO_TTL_S seconds."""
        now = time.monotonic()
        with self._demo_lock:
            if now < self._demo_until:
                return self._demo
        with self._session() as session:
            kvks = frozenset(reader.demo_kvks(session))
        with self._demo_lock:
            self._demo, self._demo_until = kvks, now + DEMO_TTL_S
        return kvks

    # ---- single providers (database) ------------------------------------------------

    def provider(self, kvk: str) -> ProviderRecord | None:
        with self._session() as session:
            return reader.read_record(session, kvk=kvk)

    def all_records(self, *, history: bool = False) -> list[ProviderRecord]:
        """Every provider, by KvK number: with its latest figures (beheer lists), or with
        the whole waiting-time and KPI history (the landscape)."""
        with self._session() as session:
            return reader.read_records(session, history=history)

    def modified_times(self) -> dict[str, datetime]:
        """When each provider last changed (UTC), by KvK number."""
        with self._session() as session:
            return reader.modified_times(session)

    def provider_snapshot(self, kvk: str) -> dict[str, Any] | None:
        """A provider's facts keyed by import column (etalage.portal.snapshot)."""
        with self._session() as session:
            return snapshot_of(session, kvk)

    def providers(self, kvks: Sequence[str]) -> list[ProviderRecord]:
        """Several providers in the order asked (unknown ones left out)."""
        with self._session() as session:
            found = {r.kvk: r for r in reader.read_records(session, list(kvks))}
        return [found[k] for k in kvks if k in found]

    def provider_page(self, slug: str) -> ProviderOutcome | None:
        with self._session() as session:
            record = reader.read_record(session, slug=slug)
            if record is None:
                return None
            return ProviderOutcome(
                record=record,
                history=self._regional_histories(session),
                has_demo=reader.any_demo(session),
            )

    def _regional_histories(self, session: Session) -> reader.Histories:
        version = getattr(self.searcher, "version", None)
        if not isinstance(version, int):
            return reader.read_histories(session)
        with self._histories_lock:
            cached = self._histories
            if cached is not None and cached[0] == version:
                return cached[1]
        histories = reader.read_histories(session)  # outside the lock: pages go on
        with self._histories_lock:
            self._histories = (version, histories)
        return histories

    def overview(self) -> Overview:
        with self._session() as session:
            return Overview(
                providers=reader.provider_count(session), has_demo=reader.any_demo(session)
            )

    def has_demo(self) -> bool:
        with self._session() as session:
            return reader.any_demo(session)
