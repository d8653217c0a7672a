"""A process killed in the middle of a write (issue 14): an import from the command line,
and the app while providers write their waiting times through the API. SIGKILL gives
no chance to clean up; what was acknowledged stays, what was not is either whole or
absent, the database is intact, and the next start serves it."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from support import ROOT, free_port, wait_for_port

from etalage.accounts.tokens import create_token
from etalage.accounts.users import create_user
from etalage.audit import entries
from etalage.catalogue.importer import import_file
from etalage.db.migrate import upgrade
from etalage.db.models import Provider, WaitingTime
from etalage.db.session import make_engine, transaction
from etalage.region import RegionPack

pytestmark = pytest.mark.timing

VALID_30 = ROOT / "tests" / "fixtures" / "import" / "aanbieders_30.csv"
PASSWORD = "Paars-Olifant-Regent-42"


def _env(url: str, tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "ETALAGE_DATABASE_URL": url,
        "ETALAGE_VAR_DIR": str(tmp),
        "ETALAGE_SECRET_KEY": "faults-" + "x" * 40,
        "ETALAGE_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("ETALAGE_MEILISEARCH_URL", None)
    return env


def _big_csv(path: Path, n: int) -> None:
    with VALID_30.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["kvk"] = str(20_000_000 + i)
            row["naam"] = f"{row['naam']} {i}"
            writer.writerow(row)


def _count(url: str) -> int:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return int(session.scalar(select(func.count()).select_from(Provider)) or 0)
    finally:
        engine.dispose()


def _intact(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()


def test_an_import_killed_at_any_moment_is_all_or_nothing(tmp_path: Path, pack: RegionPack) -> None:
    n = 1200
    big = tmp_path / "groot.csv"
    _big_csv(big, n)
    command = [sys.executable, "-m", "etalage.cli", "import", str(big)]

    # How long a whole import takes here (on a copy), to kill the real ones inside it.
    trial = f"sqlite:///{tmp_path / 'proef.db'}"
    engine = make_engine(trial)
    upgrade(engine)
    engine.dispose()
    started = time.monotonic()
    done = subprocess.run(command, env=_env(trial, tmp_path), cwd=ROOT, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    took = time.monotonic() - started
    assert _count(trial) == n

    url = f"sqlite:///{tmp_path / 'etalage.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert import_file(engine, pack, VALID_30).ok
    engine.dispose()
    for fraction in (0.4, 0.6, 0.8, 0.9, 0.97):
        proc = subprocess.Popen(command, env=_env(url, tmp_path), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(took * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        count = _count(url)
        assert count in (30, 30 + n), f"half an import visible after {fraction:.0%}: {count}"
        _intact(url)
        if count == 30 + n:  # it finished just before the kill: nothing more to learn
            break
    done = subprocess.run(command, env=_env(url, tmp_path), cwd=ROOT, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert _count(url) == 30 + n


def _serve(url: str, tmp: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "etalage.cli", "serve", "--port", str(port)],
        env=_env(url, tmp), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_port(port, timeout=60)
    return proc


def test_the_app_killed_during_writes_keeps_every_acknowledged_one(
    tmp_path: Path, pack: RegionPack
) -> None:
    url = f"sqlite:///{tmp_path / 'etalage.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert import_file(engine, pack, VALID_30).ok
    with transaction(engine) as session:
        kvks = list(session.scalars(select(Provider.kvk).order_by(Provider.kvk).limit(4)))
    create_user(engine, "schrijver@zorg.example", "aanbieder", PASSWORD, kvks)
    token = create_token(engine, "schrijver@zorg.example", "fouten")[1]
    engine.dispose()

    port = free_port()
    server = _serve(url, tmp_path, port)
    acked: dict[str, int] = {}
    sent: dict[str, int] = {}
    stop = threading.Event()

    def writer(kvk: str) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            weeks = 0
            while not stop.is_set() and weeks < 100:
                weeks += 1
                sent[kvk] = weeks
                try:
                    r = client.put(
                        f"/api/v1/providers/{kvk}/wachttijd",
                        json={"aanmelden_weken": 0, "behandeling_weken": weeks},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 200:
                    acked[kvk] = weeks

    threads = [threading.Thread(target=writer, args=(k,)) for k in kvks]
    try:
        for t in threads:
            t.start()
        time.sleep(1.5)
        server.send_signal(signal.SIGKILL)  # in the middle of the writes
        server.wait(10)
    finally:
        stop.set()
        for t in threads:
            t.join(15)
        if server.poll() is None:
            server.kill()
    assert acked, "no write got through before the kill: the test proves nothing"
    _intact(url)

    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            stored: dict[str, Any] = {}
            for kvk in kvks:
                provider = session.scalar(select(Provider).where(Provider.kvk == kvk))
                assert provider is not None
                stored[kvk] = session.scalar(
                    select(WaitingTime.treatment_weeks)
                    .where(WaitingTime.provider_id == provider.id)
                    .order_by(WaitingTime.peildatum.desc())
                    .limit(1)
                )
        for kvk in kvks:
            if kvk not in acked:
                continue
            # Acknowledged means stored; at most the one in flight got in after it.
            assert stored[kvk] in (acked[kvk], sent[kvk]), (kvk, stored[kvk], acked[kvk])
            # No half write: the newest audit entry tells the stored value.
            latest = entries(engine, kvk=kvk, limit=1)[0]
            assert latest.new["wachttijd"]["behandeling_weken"] == stored[kvk], latest
    finally:
        engine.dispose()

    # The next start serves exactly what is stored.
    server = _serve(url, tmp_path, port)
    try:
        for kvk in acked:
            body = httpx.get(f"http://127.0.0.1:{port}/api/v1/providers/{kvk}", timeout=10).json()
            assert body["wachttijd"]["behandeling_weken"] == stored[kvk]
    finally:
        server.terminate()
        server.wait(30)
