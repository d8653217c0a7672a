"""Fixtures for the catalogue tests: databases that already hold the valid 30-provider
file, on SQLite and on PostgreSQL.

Building one (migrations plus an import) for every broken-file test would dominate the
run time, so it is built once per session and copied: a file copy for SQLite, a
`CREATE DATABASE ... TEMPLATE` for PostgreSQL. Each test still gets its own database.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from catalogue_testdata import TODAY, VALID_30, lines
from sqlalchemy import Engine, create_engine, text

from etalage.catalogue.importer import import_file
from etalage.db.migrate import upgrade
from etalage.db.session import make_engine
from etalage.region import RegionPack


def _load(url: str, pack: RegionPack) -> None:
    engine = make_engine(url)
    upgrade(engine)
    report = import_file(engine, pack, VALID_30, today=TODAY)
    assert report.ok, lines(report)
    engine.dispose()


@pytest.fixture(scope="session")
def loaded_sqlite_template(tmp_path_factory: pytest.TempPathFactory, pack: RegionPack) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "loaded.db"
    _load(f"sqlite:///{path}", pack)
    return path


@pytest.fixture(scope="session")
def loaded_pg_template(pg_server: str, pack: RegionPack) -> str:
    name = f"tpl_{uuid.uuid4().hex[:12]}"
    _admin(pg_server, f'CREATE DATABASE "{name}"')
    _load(f"{pg_server}/{name}", pack)
    return name


def _admin(base: str, statement: str) -> None:
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


def _sqlite_copy(template: Path, tmp_path: Path) -> Engine:
    target = tmp_path / "loaded.db"
    shutil.copyfile(template, target)
    return make_engine(f"sqlite:///{target}")


@pytest.fixture
def loaded_sqlite(loaded_sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    engine = _sqlite_copy(loaded_sqlite_template, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def loaded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database holding the valid file; tests using it run on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        engine = _sqlite_copy(request.getfixturevalue("loaded_sqlite_template"), tmp_path)
    else:
        base = request.getfixturevalue("pg_server")
        template = request.getfixturevalue("loaded_pg_template")
        name = f"t_{uuid.uuid4().hex[:12]}"
        _admin(base, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        engine = make_engine(f"{base}/{name}")
    yield engine
    engine.dispose()
