"""Several processes share one outbox on PostgreSQL (issue 14): every process's embedded
copy applies every row, but each row goes to Meilisearch once, and processes starting
together on an empty index rebuild it once (etalage.indexing.sender)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from meili_process import MeiliProcess
from sqlalchemy import Engine, func, select
from support import patient, until

from etalage.catalogue.importer import import_file
from etalage.db.models import Provider, SearchOutbox
from etalage.db.session import make_engine, transaction
from etalage.indexing import SearchService
from etalage.region import RegionPack
from etalage.settings import Settings
from search_index import SearchDocument, make_backend

pytestmark = [pytest.mark.meili, pytest.mark.postgres]

VALID_30 = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "aanbieders_30.csv"


class Recording(SearchService):
    """A service that records which outbox rows it stamped sent, and its rebuilds
    (or repairs) of Meilisearch."""

    sent: Counter[int]
    rebuilds: int

    def _mark_sent(self, ids: list[int]) -> None:
        super()._mark_sent(ids)
        self.sent.update(ids)

    def _rebuild_primary(self, head: int, docs: list[SearchDocument]) -> None:
        self.rebuilds += 1
        super()._rebuild_primary(head, docs)

    def _repair_primary(self, head: int, changed: list[SearchDocument], gone: list[str]) -> None:
        self.rebuilds += 1  # an empty index of 30 is filled in place
        super()._repair_primary(head, changed, gone)


def _service(engine: Engine, pack: RegionPack, meili: MeiliProcess, index: str) -> Recording:
    settings = Settings(
        database_url=str(engine.url),
        meilisearch_url=meili.url,
        meilisearch_key=meili.master_key,
        secret_key="test",
        region="westfriesland",
        var_dir=Path("/nonexistent"),
    )
    backend = make_backend(meili.url, meili.master_key, pack, index=index)
    patient(backend)
    # Each "process" has an engine of its own (its own pool, so its own advisory lock).
    svc = Recording(
        settings,
        make_engine(engine.url.render_as_string(hide_password=False)),
        pack,
        poll_interval_s=0.05,
        backend=backend,
    )
    svc.sent, svc.rebuilds = Counter(), 0
    return svc


def test_each_outbox_row_reaches_meilisearch_once(
    pg_engine: Engine, pack: RegionPack, meili_server: MeiliProcess
) -> None:
    assert import_file(pg_engine, pack, VALID_30).ok
    index = f"once_{uuid.uuid4().hex[:8]}"
    services = [_service(pg_engine, pack, meili_server, index) for _ in range(2)]
    starters = [threading.Thread(target=s.start) for s in services]
    for t in starters:  # start together, on an empty index
        t.start()
    for t in starters:
        t.join()
    try:
        for s in services:
            assert s.wait_for_first_check(60) is True
        assert sum(s.rebuilds for s in services) == 1  # not one rebuild per process

        with transaction(pg_engine) as session:
            kvks = list(session.scalars(select(Provider.kvk).order_by(Provider.kvk)))
            before = session.scalar(select(func.max(SearchOutbox.id))) or 0
        # Forty changes while both processes run, some providers changed twice.
        for i in range(40):
            with transaction(pg_engine) as session:
                provider = session.scalar(select(Provider).where(Provider.kvk == kvks[i % 25]))
                assert provider is not None
                provider.name = f"Proefnaam volgnummer{i:02d}"
            time.sleep(0.01)

        def all_sent() -> bool:
            with transaction(pg_engine) as session:
                return not session.scalar(
                    select(func.count()).where(SearchOutbox.sent_at.is_(None))
                )

        until(all_sent, 20, "every outbox row stamped sent")
        with transaction(pg_engine) as session:
            written = set(session.scalars(select(SearchOutbox.id).where(SearchOutbox.id > before)))
        assert len(written) == 40
        sent = services[0].sent + services[1].sent
        assert all(count == 1 for count in sent.values()), sent.most_common(3)  # never twice
        assert written <= set(sent)  # every change sent, by one process or the other

        # Meilisearch and both embedded copies hold every provider's last state.
        _head, docs = services[0].all_documents()
        expected = {str(d["id"]): d["hash"] for d in docs}

        def agree() -> bool:
            for s in services:
                assert s.backend.primary is not None
                copy = {str(d["id"]): d["hash"] for d in s.backend.fallback.documents()}
                if copy != expected or s.backend.primary.document_hashes() != expected:
                    return False
            return True

        until(agree, 20, "Meilisearch and both copies hold the last change")
        for s in services:
            until(lambda s=s: s.backend.caught_up, 10, "caught up")
    finally:
        for s in services:
            s.stop()
            s.engine.dispose()
