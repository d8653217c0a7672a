"""The catalogue as the web handlers see it: one object holding the engine and the pack.

Each call opens its own short session. Handlers that call these run in a worker
thread (`sync_to_thread=True`), so the event loop never waits on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etalage.catalogue import queries
from etalage.catalogue.presenters import ProviderRecord
from etalage.region.model import RegionPack


@dataclass(frozen=True)
class SearchOutcome:
    page: queries.ProviderPage
    has_demo: bool


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
        self, engine: Engine, pack: RegionPack, clock: Callable[[], date] = date.today
    ) -> None:
        self.engine = engine
        self.pack = pack
        self.clock = clock

    def today(self) -> date:
        return self.clock()

    def _session(self) -> Session:
        return Session(self.engine)

    def search(self, filters: queries.ProviderFilters) -> SearchOutcome:
        with self._session() as session:
            page = queries.search_providers(session, self.pack, filters, self.today())
            return SearchOutcome(page=page, has_demo=queries.any_demo(session))

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
