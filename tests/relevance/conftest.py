"""Relevance fixtures: the fictional demo data set, indexed by both backends.

The demo set is loaded into a temporary SQLite database exactly as `etalage demo load`
does, and its search documents are built from the database rows through
`etalage.indexing.reader`, as the app does at start-up. The Meilisearch backend runs on
a real Meilisearch process (the pinned binary, `tests/search/meili_process.py`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from search.meili_process import MeiliProcess, meili_available
from sqlalchemy.orm import Session

from etalage.catalogue.demo import load_demo
from etalage.db.migrate import upgrade
from etalage.db.session import make_engine
from etalage.indexing.reader import read_documents
from etalage.region import RegionPack
from search_index import EmbeddedBackend, MeiliBackend, SearchBackend, Vocabulary
from search_index.documents import SearchDocument


@pytest.fixture(scope="session")
def demo_documents(
    pack: RegionPack, tmp_path_factory: pytest.TempPathFactory
) -> list[SearchDocument]:
    folder = tmp_path_factory.mktemp("relevance")
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    try:
        upgrade(engine)
        report = load_demo(engine, pack)
        assert report.ok, report.summary()
        with Session(engine) as session:
            return read_documents(session, pack, date.today())
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def relevance_meili() -> Iterator[MeiliProcess]:
    meili_available()
    workdir = Path(tempfile.mkdtemp(prefix="etalage-relevance-meili-"))
    server = MeiliProcess(workdir / "data.ms")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def embedded_demo(pack: RegionPack, demo_documents: list[SearchDocument]) -> EmbeddedBackend:
    backend = EmbeddedBackend(Vocabulary.from_pack(pack), freshness_weeks=pack.freshness_weeks)
    backend.rebuild(demo_documents)
    return backend


@pytest.fixture(scope="session")
def meili_demo(
    pack: RegionPack, demo_documents: list[SearchDocument], relevance_meili: MeiliProcess
) -> MeiliBackend:
    backend = MeiliBackend(
        relevance_meili.url,
        relevance_meili.master_key,
        Vocabulary.from_pack(pack),
        index="relevance_demo",
        freshness_weeks=pack.freshness_weeks,
        search_timeout_s=5.0,
    )
    backend.rebuild(demo_documents)
    return backend


@pytest.fixture(
    scope="session", params=["embedded", pytest.param("meilisearch", marks=pytest.mark.meili)]
)
def demo_backend(request: pytest.FixtureRequest) -> SearchBackend:
    """Both backends over the same demo documents: every relevance case runs on each."""
    name = "embedded_demo" if request.param == "embedded" else "meili_demo"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]
