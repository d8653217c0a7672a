"""Two app processes against one PostgreSQL and one Meilisearch (docs/operations.md):
writes through both (the portal on one, an API token on the other, an import from the
command line) reach the database, Meilisearch and both processes' embedded copies; a
login on one process is valid on the other. With Meilisearch paused, both processes
answer from their embedded copies, with the changes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from meili_process import MeiliProcess
from support import ROOT, free_port, until, wait_for_port

from etalage.accounts.tokens import create_token
from etalage.accounts.users import create_user
from etalage.db.session import make_engine

pytestmark = [pytest.mark.timing, pytest.mark.meili, pytest.mark.postgres]
PASSWORD = "Paars-Olifant-Regent-42"


def _etalage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "etalage.cli", *args], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, (args, done.stdout[-1000:], done.stderr[-1000:])
    return done


@pytest.fixture
def cluster(pg_server: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    from sqlalchemy import create_engine, text

    name = f"two_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{pg_server}/{name}"
    meili = MeiliProcess(Path(tempfile.mkdtemp(prefix="etalage-two-")) / "data.ms")
    meili.start()
    env = {
        **os.environ,
        "ETALAGE_DATABASE_URL": url,
        "ETALAGE_MEILISEARCH_URL": meili.url,
        "ETALAGE_MEILISEARCH_KEY": meili.master_key,
        "ETALAGE_SECRET_KEY": "two-processes-test-secret-" + uuid.uuid4().hex,
        "ETALAGE_ALLOWED_HOSTS": "127.0.0.1",
        "ETALAGE_VAR_DIR": str(tmp_path),
    }
    _etalage(env, "db", "upgrade")
    _etalage(env, "demo", "load")
    servers = []
    ports = [free_port(), free_port()]
    try:
        for port in ports:
            log = (tmp_path / f"serve-{port}.log").open("wb")
            servers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "etalage.cli", "serve", "--port", str(port)],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for port, base in zip(ports, bases, strict=True):
            wait_for_port(port, timeout=90)
            until(
                lambda b=base: requests.get(b + "/readyz", timeout=5).status_code == 200,
                90,
                "ready",
            )
        yield {"env": env, "url": url, "meili": meili, "bases": bases, "tmp": tmp_path}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        if meili.proc is not None and meili.proc.poll() is None:
            os.kill(meili.proc.pid, signal.SIGCONT)
        meili.stop()


def _providers(base: str) -> list[dict[str, Any]]:
    body = requests.get(
        base + "/api/v1/providers", params={"per_page": 100, "sort": "naam"}, timeout=10
    ).json()
    return list(body["results"])


def _find(base: str, q: str) -> dict[str, Any]:
    body: dict[str, Any] = requests.get(
        base + "/api/v1/providers", params={"q": q}, timeout=10
    ).json()
    return body


def test_two_processes_one_truth(cluster: dict[str, Any]) -> None:
    a, b = cluster["bases"]
    env = cluster["env"]
    first, second, third = (p["kvk"] for p in _providers(a)[:3])
    engine = make_engine(cluster["url"])
    create_user(engine, "portaal@zorg.example", "aanbieder", PASSWORD, [first])
    create_user(engine, "systeem@zorg.example", "aanbieder", PASSWORD, [second])
    _view, token = create_token(engine, "systeem@zorg.example", "planning")
    engine.dispose()

    # log in on A; the session (and its CSRF cookie) is valid on B
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(a + "/inloggen")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        assert csrf
        r = browser.post(
            a + "/inloggen",
            data={
                "email": "portaal@zorg.example",
                "wachtwoord": PASSWORD,
                "_csrf_token": csrf.group(1),
            },
        )
        assert r.status_code == 303, r.text[:300]
        assert browser.get(b + "/portaal").status_code == 200
        portal = browser.get(f"{b}/portaal/{first}")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', portal.text)
        assert csrf
        saved = browser.post(
            f"{b}/portaal/{first}/wachttijd",
            data={
                "aanmeldwachttijd_weken": "1",
                "behandelwachttijd_weken": "2",
                "_csrf_token": csrf.group(1),
            },
        )
        assert saved.status_code == 303, saved.text[:300]

    # an API token on A
    r = requests.put(
        f"{a}/api/v1/providers/{second}/wachttijd",
        json={"aanmelden_weken": 3, "behandeling_weken": 4},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text

    # an import from the command line renames the third provider
    csv = requests.get(
        a + "/aanbieders.csv", params={"q": _providers(a)[2]["naam"]}, timeout=10
    ).content
    text = csv.decode("utf-8-sig")
    header, *rows = text.splitlines()
    row = next(r for r in rows if r.startswith(third + ";"))
    cells = row.split(";")
    cells[1] = "Hernoemd Door Import"
    path = cluster["tmp"] / "import.csv"
    path.write_text(header + "\n" + ";".join(cells) + "\n", encoding="utf-8")
    _etalage(env, "import", str(path))

    def everywhere(backend: str | None) -> bool:
        """Both processes find the changes (from `backend`, or from either)."""
        for base in (a, b):
            found = _find(base, "Hernoemd Door Import")
            if backend is not None and found["backend"] != backend:
                return False
            if [p["kvk"] for p in found["results"]] != [third]:
                return False
            waits = {p["kvk"]: p["wachttijd"] for p in _providers(base)}
            if (waits[first] or {}).get("behandeling_weken") != 2:
                return False
            if (waits[second] or {}).get("behandeling_weken") != 4:
                return False
        return True

    # every process answers with every change within 2 s (Meilisearch may still be
    # indexing: then the embedded copy, which has them, answers)
    took = until(lambda: everywhere(None), 2.0, "both processes")
    meili: MeiliProcess = cluster["meili"]
    auth = {"Authorization": f"Bearer {meili.master_key}"}
    indexes = requests.get(f"{meili.url}/indexes", headers=auth, timeout=5).json()["results"]
    assert len(indexes) == 1, indexes
    uid = indexes[0]["uid"]

    def in_meili() -> bool:
        doc = requests.get(f"{meili.url}/indexes/{uid}/documents/{third}", headers=auth, timeout=5)
        return doc.status_code == 200 and doc.json().get("naam") == "Hernoemd Door Import"

    until(in_meili, 30, "Meilisearch holds the import")
    # Meilisearch paused: both processes answer from their embedded copies, with the changes
    assert meili.proc is not None
    os.kill(meili.proc.pid, signal.SIGSTOP)
    try:
        until(lambda: everywhere("embedded"), 30, "both embedded copies")
    finally:
        os.kill(meili.proc.pid, signal.SIGCONT)
    until(lambda: everywhere(None), 5, "after Meilisearch is back")
    print({"changes_everywhere_s": round(took, 2)})
