"""Fixtures for the web app: the known catalogue of `web_catalogue` and a TestClient on
`create_app()` pointed at the test database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, create_engine, text
from web_catalogue import fill_catalogue

from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.settings import Settings, settings_from_env
from etalage.web.app import create_app

# The host Litestar's TestClient sends (base_url http://testserver.local).
TEST_HOST = "testserver.local"


def settings_for(engine: Engine, region: str = "westfriesland", tmp: Any = None) -> Settings:
    base = settings_from_env(
        {"ETALAGE_VAR_DIR": str(tmp) if tmp else "var", "ETALAGE_ALLOWED_HOSTS": TEST_HOST}
    )
    return replace(
        base, database_url=engine.url.render_as_string(hide_password=False), region=region
    )


@pytest.fixture
def app_for(tmp_path: Any) -> Iterator[Any]:
    """Build apps on given engines; their pooled connections are closed afterwards."""
    urls: list[str] = []

    def build(engine: Engine, region: str = "westfriesland") -> Litestar:
        settings = settings_for(engine, region, tmp_path)
        urls.append(settings.database_url)
        return create_app(settings)

    yield build
    for url in urls:
        engine_for(url).dispose()


def _fresh_database(kind: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'etalage.db'}"
    base = request.getfixturevalue("pg_server")
    name = f"web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient[Litestar]]:
    """The known catalogue on SQLite and on PostgreSQL, shared by a module's read-only
    tests (tests that write make their own database)."""
    folder = tmp_path_factory.mktemp("web")
    url = _fresh_database(request.param, request, folder)
    engine = make_engine(url)
    upgrade(engine)
    fill_catalogue(engine)
    engine.dispose()
    settings = settings_for(engine, tmp=folder)
    with TestClient(create_app(settings)) as c:
        yield c
    engine_for(settings.database_url).dispose()


@pytest.fixture(scope="module")
def page_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Litestar]]:
    """The known catalogue on SQLite only, for tests about pages, not about the data layer."""
    folder = tmp_path_factory.mktemp("pages")
    engine = make_engine(f"sqlite:///{folder / 'etalage.db'}")
    upgrade(engine)
    fill_catalogue(engine)
    engine.dispose()
    settings = settings_for(engine, tmp=folder)
    with TestClient(create_app(settings)) as c:
        yield c
    engine_for(settings.database_url).dispose()
