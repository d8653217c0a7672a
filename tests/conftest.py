"""Shared fixtures: databases (SQLite and a real PostgreSQL server), the region pack."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Property tests: in CI the same examples every run (a failure there is reproducible,
# not luck); locally new ones each run, to find what the fixed set misses.
from hypothesis import settings as _hypothesis_settings
from sqlalchemy import Engine, create_engine, text
from support import IN_CI, ROOT, free_port, require, wait_for_port

from etalage.db.migrate import upgrade
from etalage.db.session import make_engine
from etalage.region import RegionPack, load_pack

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    _hypothesis_settings.load_profile("ci")

__all__ = ["IN_CI", "ROOT", "free_port", "require", "wait_for_port"]


# ---------------------------------------------------------------------------- packs


@pytest.fixture(scope="session")
def pack() -> RegionPack:
    return load_pack("westfriesland")


@pytest.fixture(scope="session")
def test_pack() -> RegionPack:
    return load_pack("testregio")


# ---------------------------------------------------------------------------- PostgreSQL


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free loopback port; yields a base URL."""
    bindir = _pg_bin()
    require(bindir is not None, "PostgreSQL server (Debian package postgresql)")
    assert bindir is not None
    run_as: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="etalage-pg-"))
    if os.geteuid() == 0:  # postgres refuses to run as root: use the package's user
        shutil.chown(workdir, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    datadir = workdir / "data"
    port = free_port()
    subprocess.run(
        [
            *run_as,
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "etalage",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *run_as,
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-l",
            str(workdir / "log"),
            "-w",
            "-o",
            f"-p {port} -h 127.0.0.1 -k {workdir} -F",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://etalage@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _new_pg_database(base: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database URL; tests using it run on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'etalage.db'}"
    else:
        url = _new_pg_database(request.getfixturevalue("pg_server"))
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database only, for tests that are not about the data layer."""
    eng = make_engine(f"sqlite:///{tmp_path / 'etalage.db'}")
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def pg_engine(pg_server: str) -> Iterator[Engine]:
    """A fresh, migrated PostgreSQL database only (for what SQLite cannot show, such as
    several processes sharing one database)."""
    eng = make_engine(_new_pg_database(pg_server))
    upgrade(eng)
    yield eng
    eng.dispose()
