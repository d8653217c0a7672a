"""Shared fixtures: databases (SQLite and a real PostgreSQL server), the region pack."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Property tests: in CI the same examples every run (a failure there is reproducible,
# not luck); locally new ones each run, to find what the fixed set misses.
from hypothesis import settings as _hypothesis_settings
from pg_cluster import PgCluster
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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free loopback port; yields a base URL."""
    cluster = PgCluster()
    cluster.start()
    try:
        yield cluster.base_url
    finally:
        cluster.remove()


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
