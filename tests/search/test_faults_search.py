"""Faults in the search layer (issue 14): Meilisearch killed while the app runs, and a
rebuild killed halfway. Searches go on (from the embedded copy), no change is lost, no
half-built index is ever searched, and everything heals by itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from meili_process import MeiliProcess
from sqlalchemy import Engine, func, select
from support import ROOT, patient, until

from etalage.catalogue.demo import load_demo
from etalage.catalogue.importer import import_file
from etalage.db.models import Provider, SearchOutbox
from etalage.db.session import transaction
from etalage.indexing import SearchService
from etalage.region import RegionPack
from etalage.settings import Settings
from search_index import SearchQuery, make_backend

pytestmark = [pytest.mark.timing, pytest.mark.meili]

VALID_30 = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "aanbieders_30.csv"


def test_meilisearch_killed_and_back_loses_no_change(
    own_meili: MeiliProcess, sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    assert import_file(sqlite_engine, pack, VALID_30).ok
    settings = Settings(
        database_url=str(sqlite_engine.url), meilisearch_url=own_meili.url,
        meilisearch_key=own_meili.master_key, secret_key="test", region="westfriesland",
        var_dir=tmp_path,
    )  # fmt: skip
    backend = make_backend(own_meili.url, own_meili.master_key, pack, index="faults")
    patient(backend)
    backend.retry_after_s = backend.max_retry_after_s = 0.5  # probe a returned one soon
    svc = SearchService(settings, sqlite_engine, pack, poll_interval_s=0.05, backend=backend)
    svc.start()
    try:
        assert svc.wait_for_first_check(60) is True
        assert svc.search(SearchQuery(q="jeugd")).backend == "meilisearch"
        with transaction(sqlite_engine) as session:
            provider = session.scalars(select(Provider).order_by(Provider.kvk)).first()
            assert provider is not None
            kvk = provider.kvk

        own_meili.kill()  # SIGKILL: no goodbye
        with transaction(sqlite_engine) as session:
            provider = session.scalar(select(Provider).where(Provider.kvk == kvk))
            assert provider is not None
            provider.name = "Stormvogel Zorgcollectief"

        def found() -> tuple[str, list[str]]:
            result = svc.search(SearchQuery(q="Stormvogel Zorgcollectief", per_page=3))
            return result.backend, [h.id for h in result.hits]

        # While Meilisearch is gone: the copy answers, with the change, within 2 s.
        until(lambda: found() == ("embedded", [kvk]), 2.0, "the change, from the copy")
        with transaction(sqlite_engine) as session:
            unsent = session.scalar(select(func.count()).where(SearchOutbox.sent_at.is_(None)))
        assert unsent, "the change must wait for Meilisearch, not be marked sent"

        own_meili.start()  # same data, same port
        until(lambda: found() == ("meilisearch", [kvk]), 30.0, "Meilisearch back, with it")
        assert svc.backend.primary is not None
        _head, docs = svc.all_documents()
        expected = {str(d["id"]): d["hash"] for d in docs}
        until(
            lambda: svc.backend.primary.document_hashes() == expected,  # type: ignore[union-attr]
            10.0,
            "Meilisearch in step with the database",
        )
    finally:
        svc.stop()


def test_a_rebuild_killed_halfway_leaves_the_live_index_whole(
    own_meili: MeiliProcess, tmp_path: Path, pack: RegionPack
) -> None:
    from etalage.db.migrate import upgrade
    from etalage.db.session import make_engine

    url = f"sqlite:///{tmp_path / 'etalage.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine, pack)
    with transaction(engine) as session:
        count = session.scalar(select(func.count()).select_from(Provider))
    engine.dispose()
    index = "etalage_providers"  # the app's, on a Meilisearch of this test's own
    env = {
        **os.environ, "ETALAGE_DATABASE_URL": url, "ETALAGE_MEILISEARCH_URL": own_meili.url,
        "ETALAGE_MEILISEARCH_KEY": own_meili.master_key, "ETALAGE_VAR_DIR": str(tmp_path),
    }  # fmt: skip
    command = [sys.executable, "-m", "etalage.cli", "index", "rebuild"]
    started = time.monotonic()
    first = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert first.returncode == 0, first.stderr[-2000:]
    took = time.monotonic() - started
    live = make_backend(own_meili.url, own_meili.master_key, pack, index=index).primary
    assert live is not None
    assert live.stats().count == count

    # Killed at moments spread over a whole rebuild (start-up, reading the database,
    # building the new index, the swap, removing the old one).
    for delay in (took * f for f in (0.6, 0.8, 0.9, 0.97)):
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        # Whatever the moment: the live index is whole (old or new, never half).
        assert live.stats().count == count, f"killed after {delay:.2f} s of {took:.2f} s"

    again = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stderr[-2000:]
    assert live.stats().count == count
