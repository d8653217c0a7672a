"""The booklet for the web (`GET /boekje.pdf`): rendering costs seconds, so one PDF per
choice (audience, municipality, law) is kept until the data or the day changes, and
at most one booklet is rendered at a time per process; others wait for it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, func, select

from etalage.booklet.render import booklet_pdf
from etalage.catalogue.reader import read_records
from etalage.db.models import Provider, SearchOutbox
from etalage.db.session import session_factory
from etalage.region.model import RegionPack

KEEP = 16  # booklets kept (7 municipalities x 2 laws x 3 audiences would be 63)


class BookletService:
    def __init__(self, engine: Engine, pack: RegionPack, today: Callable[[], date]) -> None:
        self.engine = engine
        self.pack = pack
        self.today = today
        self._render = threading.Lock()
        self._kept: OrderedDict[tuple[object, ...], bytes] = OrderedDict()

    def _version(self) -> tuple[object, ...]:
        """Changes when any provider changes (every change adds an outbox row)."""
        with session_factory(self.engine)() as session:
            last_change = session.scalar(select(func.max(SearchOutbox.id)))
            count = session.scalar(select(func.count(Provider.id)))
        return (last_change, count, self.today())

    def pdf(self, audience: str, municipality: str | None, law: str | None) -> bytes:
        key = (audience, municipality, law, *self._version())
        found = self._kept.get(key)
        if found is not None:
            return found
        with self._render:
            found = self._kept.get(key)
            if found is not None:
                return found
            with session_factory(self.engine)() as session:
                records = read_records(session, history=False)
            pdf, _book = booklet_pdf(
                records,
                self.pack,
                self.today(),
                audience=audience,
                municipality=municipality,
                law=law,
            )
            self._kept[key] = pdf
            while len(self._kept) > KEEP:
                self._kept.popitem(last=False)
            return pdf
