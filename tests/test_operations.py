"""Backup and restore (a restore into an empty database serves the same providers and
history, on SQLite and on PostgreSQL), `etalage doctor`, and /healthz and /readyz."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, text

from etalage.catalogue.demo import load_demo
from etalage.catalogue.reader import read_records
from etalage.db.migrate import upgrade
from etalage.db.session import make_engine, session_factory
from etalage.ops.backup import BackupError, backup, restore
from etalage.region import RegionPack
from etalage.settings import get_settings, settings_from_env


def _records(engine: Engine) -> list[Any]:
    with session_factory(engine)() as session:
        return read_records(session, history=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        import uuid

        base = request.getfixturevalue("pg_server")
        name = f"r_{uuid.uuid4().hex[:10]}"
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = f"{base}/{name}"
    engine = make_engine(url)
    upgrade(engine)
    return engine


def test_a_restore_into_an_empty_database_serves_the_same_providers_and_history(
    sqlite_engine: Engine, empty: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    from accounts_support import make_user, token_headers

    load_demo(sqlite_engine, pack)
    email = make_user(sqlite_engine, "aanbieder", ["00990001"])
    token_headers(sqlite_engine, email)
    settings = settings_from_env({"ETALAGE_VAR_DIR": str(tmp_path)})
    file = tmp_path / "etalage.backup"
    counts = backup(sqlite_engine, settings, file)
    assert counts["providers"] == 125 and counts["waiting_times"] > 125 and counts["users"] == 1
    done = restore(empty, file)
    assert done["counts"]["providers"] == 125 and done["settings"]["region"] == "westfriesland"
    assert _records(empty) == _records(sqlite_engine)  # every fact and the whole history
    with empty.connect() as conn:
        assert conn.execute(text("select email from users")).scalar() == email
        assert conn.execute(text("select count(*) from api_tokens")).scalar() == 1
    # new rows get new ids after the restore (PostgreSQL's sequences moved on)
    make_user(empty, "toegang")
    with pytest.raises(BackupError, match="niet leeg"):
        restore(empty, file)
    bad = tmp_path / "kapot.backup"
    bad.write_bytes(b"geen back-up")
    with pytest.raises(BackupError, match="geen back-up"):
        restore(empty, bad)


def test_the_backup_commands_and_doctor(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etalage.cli import main

    load_demo(sqlite_engine, pack)
    monkeypatch.setenv("ETALAGE_DATABASE_URL", str(sqlite_engine.url))
    monkeypatch.delenv("ETALAGE_SECRET_KEY", raising=False)
    monkeypatch.delenv("ETALAGE_MEILISEARCH_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        file = tmp_path / "b.backup"
        made = runner.invoke(main, ["backup", str(file)])
        assert made.exit_code == 0 and "125 aanbieders" in made.output, made.output
        target = make_engine(f"sqlite:///{tmp_path / 'leeg.db'}")
        upgrade(target)
        monkeypatch.setenv("ETALAGE_DATABASE_URL", str(target.url))
        get_settings.cache_clear()
        back = runner.invoke(main, ["restore", str(file)])
        assert back.exit_code == 0 and "125 aanbieders" in back.output, back.output
        again = runner.invoke(main, ["restore", str(file)])
        assert again.exit_code == 1 and "niet leeg" in again.output
        doctor = runner.invoke(main, ["doctor"])
        assert doctor.exit_code == 1  # no secret key
        assert "OK    database" in doctor.output and "FOUT  geheime sleutel" in doctor.output
        monkeypatch.setenv("ETALAGE_SECRET_KEY", "x" * 40)
        monkeypatch.setenv("ETALAGE_MEILISEARCH_URL", "http://127.0.0.1:9")
        get_settings.cache_clear()
        doctor = runner.invoke(main, ["doctor"])
        assert doctor.exit_code == 1 and "FOUT  meilisearch: niet bereikbaar" in doctor.output
    finally:
        get_settings.cache_clear()


def test_healthz_and_readyz(sqlite_engine: Engine, tmp_path: Path) -> None:
    from litestar.testing import TestClient

    from etalage.web.app import create_app

    base = settings_from_env(
        {"ETALAGE_VAR_DIR": str(tmp_path), "ETALAGE_ALLOWED_HOSTS": "testserver.local"}
    )
    with TestClient(create_app(replace(base, database_url=str(sqlite_engine.url)))) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200 and set(ready.json()["onderdelen"]) == {
            "database",
            "zoekindex",
            "outbox",
        }
        with sqlite_engine.begin() as conn:  # the database falls behind the app
            conn.execute(text("update alembic_version set version_num = '0005'"))
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert "etalage db upgrade" in ready.json()["onderdelen"]["database"]["reden"]


def test_every_request_has_an_id_and_a_json_access_line_without_personal_data(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    import json
    import logging

    from litestar.testing import TestClient

    from etalage.logs import JsonFormatter
    from etalage.web.app import create_app

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(JsonFormatter().format(record))

    keep = Keep()
    access = logging.getLogger("etalage.access")
    level = access.level
    access.setLevel(logging.INFO)  # as `etalage serve` configures it
    access.addHandler(keep)
    base = settings_from_env(
        {"ETALAGE_VAR_DIR": str(tmp_path), "ETALAGE_ALLOWED_HOSTS": "testserver.local"}
    )
    try:
        with TestClient(create_app(replace(base, database_url=str(sqlite_engine.url)))) as client:
            r = client.get("/aanbieders", params={"q": "mijn zoon Jan de Vries 0612345678"})
            given = client.get("/healthz", headers={"X-Request-ID": "proxy-id-12345"})
            odd = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    finally:
        access.removeHandler(keep)
        access.setLevel(level)
    assert len(r.headers["x-request-id"]) == 32
    assert given.headers["x-request-id"] == "proxy-id-12345"
    assert odd.headers["x-request-id"] != "<script>"
    entries = [json.loads(line) for line in lines]
    first = next(e for e in entries if e["path"] == "/aanbieders")
    assert first["status"] == 200 and first["ms"] >= 0 and first["level"] == "info"
    assert first["request_id"] == r.headers["x-request-id"]
    assert any(e["request_id"] == "proxy-id-12345" for e in entries)
    assert all("Vries" not in line and "0612345678" not in line for line in lines)
    record = logging.LogRecord("x", logging.WARNING, "f", 1, "login van jan@example.nl", (), None)
    assert "<e-mail>" in JsonFormatter().format(record)
