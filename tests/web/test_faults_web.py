"""Faults under a running app (issue 14): the SQLite file's disk full, PostgreSQL
restarted. Nothing is lost, no half write is visible, the app answers in Dutch (503,
never 500) while the fault lasts and recovers by itself, without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from accounts_support import make_user, token_headers
from conftest import settings_for
from litestar.testing import TestClient
from pg_cluster import PgCluster
from sqlalchemy import Engine, create_engine, event, func, select, text
from support import until
from web_catalogue import ALFA, fill_catalogue

from etalage.audit import entries
from etalage.db.migrate import upgrade
from etalage.db.models import Provider, SearchOutbox, WaitingTime
from etalage.db.session import engine_for, make_engine, transaction
from etalage.web.app import create_app
from etalage.web.errors import DATABASE_AWAY, STORAGE_FULL


def _state(engine: Engine) -> dict[str, Any]:
    """What a waiting-time write touches: its rows, its audit entries, its outbox rows."""
    with transaction(engine) as session:
        provider = session.scalar(select(Provider).where(Provider.kvk == ALFA))
        assert provider is not None
        waiting = session.execute(
            select(
                WaitingTime.peildatum, WaitingTime.treatment_weeks, WaitingTime.waiting_list_size
            )
            .where(WaitingTime.provider_id == provider.id)
            .order_by(WaitingTime.peildatum)
        ).all()
        outbox = session.scalar(select(func.count()).where(SearchOutbox.kvk == ALFA))
    return {
        "waiting": [tuple(row) for row in waiting],
        "audit": len(entries(engine, kvk=ALFA)),
        "outbox": outbox or 0,
    }


def _put_waiting(client: TestClient[Any], headers: dict[str, str], weeks: int) -> Any:
    return client.put(
        f"/api/v1/providers/{ALFA}/wachttijd",
        json={"aanmelden_weken": 1, "behandeling_weken": weeks, "wachtlijst_aantal": weeks},
        headers=headers,
    )


@pytest.mark.timing
def test_a_full_disk_for_the_sqlite_file_loses_nothing_and_recovers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'etalage.db'}"
    setup = make_engine(url)
    upgrade(setup)
    fill_catalogue(setup)
    headers = token_headers(setup, make_user(setup, "aanbieder", [ALFA]))
    with setup.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
    setup.dispose()
    settings = settings_for(make_engine(url), tmp=tmp_path)
    with TestClient(create_app(settings)) as client:
        engine = engine_for(settings.database_url)
        # The disk is full: the file may not grow by a page (SQLite answers exactly as
        # it does on a full disk: SQLITE_FULL, "database or disk is full").
        with engine.connect() as conn:
            pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

        def full(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(engine, "connect", full)
        engine.dispose()
        answers = []
        for weeks in range(1, 41):
            before = _state(engine)
            r = _put_waiting(client, headers, weeks)
            after = _state(engine)
            answers.append(r.status_code)
            assert r.status_code in (200, 503), r.text
            if r.status_code == 503:
                assert r.json()["detail"] == STORAGE_FULL
                assert r.headers["retry-after"] == "5"
                assert after == before  # nothing half written: no row, no audit, no outbox
            else:
                assert r.json()["wachttijd"]["behandeling_weken"] == weeks
                assert (date.today(), weeks, weeks) in after["waiting"]
                assert after["audit"] == before["audit"] + 1
        assert 503 in answers, "the disk never filled: the test proves nothing"
        # Reading goes on while the disk is full.
        assert client.get("/aanbieders").status_code == 200
        assert client.get(f"/api/v1/providers/{ALFA}").status_code == 200

        # Space again: the next write succeeds without a restart.
        event.remove(engine, "connect", full)
        engine.dispose()
        before = _state(engine)
        r = _put_waiting(client, headers, 99)
        assert r.status_code == 200, r.text
        assert (date.today(), 99, 99) in _state(engine)["waiting"]
        until(
            lambda: (
                client.get(f"/api/v1/providers/{ALFA}").json()["wachttijd"]["behandeling_weken"]
                == 99
            ),
            5,
            "the write after the disk was freed",
        )


@pytest.fixture
def own_postgres() -> Iterator[PgCluster]:
    cluster = PgCluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.mark.timing
@pytest.mark.postgres
def test_a_postgresql_restart_is_answered_in_dutch_and_healed_without_a_restart(
    own_postgres: PgCluster, tmp_path: Path
) -> None:
    admin = create_engine(f"{own_postgres.base_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "faults"'))
    admin.dispose()
    url = f"{own_postgres.base_url}/faults"
    setup = make_engine(url)
    upgrade(setup)
    fill_catalogue(setup)
    headers = token_headers(setup, make_user(setup, "aanbieder", [ALFA]))
    setup.dispose()
    settings = settings_for(make_engine(url), tmp=tmp_path)
    with TestClient(create_app(settings)) as client:
        engine = engine_for(settings.database_url)
        assert _put_waiting(client, headers, 3).status_code == 200
        before = _state(engine)

        own_postgres.stop("fast")
        try:
            r = client.get(f"/api/v1/providers/{ALFA}")
            assert r.status_code == 503 and r.json()["detail"] == DATABASE_AWAY
            r = _put_waiting(client, headers, 4)
            assert r.status_code == 503, r.text
            ready = client.get("/readyz")
            assert ready.status_code == 503
            # Searching goes on from the embedded copy.
            assert client.get("/api/v1/providers", params={"q": "jeugd"}).status_code == 200
        finally:
            own_postgres.start()

        # Back without a restart of the app: reads, writes, the search copy, readiness.
        until(lambda: client.get(f"/api/v1/providers/{ALFA}").status_code == 200, 15, "reads")
        assert _state(engine) == before  # the refused write left nothing
        assert _put_waiting(client, headers, 5).status_code == 200
        until(
            lambda: (
                client.get("/api/v1/providers", params={"q": "Alfa Jeugdhulp"}).json()["results"][
                    0
                ]["wachttijd"]["behandeling_weken"]
                == 5
            ),
            5,
            "the search copy follows the write after the restart",
        )
        until(lambda: client.get("/readyz").status_code == 200, 15, "ready again")
