"""Search fixtures: a real Meilisearch process, the synthetic documents, both backends."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from meili_process import MeiliProcess, meili_available
from search_testdata import PROVIDERS

from etalage.region import RegionPack
from search_index.documents import DocumentBuilder, SearchDocument
from search_index.embedded import EmbeddedBackend
from search_index.meili import MeiliBackend
from search_index.vocabulary import Vocabulary


def _meili() -> Iterator[MeiliProcess]:
    meili_available()
    workdir = Path(tempfile.mkdtemp(prefix="etalage-meili-"))
    server = MeiliProcess(workdir / "data.ms")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def meili_server() -> Iterator[MeiliProcess]:
    """One Meilisearch for a test process (tests use indexes of their own)."""
    yield from _meili()


@pytest.fixture
def own_meili() -> Iterator[MeiliProcess]:
    """A Meilisearch of a test's own, for a test that kills or restarts it."""
    yield from _meili()


@pytest.fixture(scope="session")
def vocabulary(pack: RegionPack) -> Vocabulary:
    return Vocabulary.from_pack(pack)


@pytest.fixture(scope="session")
def documents(pack: RegionPack) -> list[SearchDocument]:
    builder = DocumentBuilder(pack)
    return [builder.build(p, date.today()) for p in PROVIDERS]


@pytest.fixture(scope="session")
def embedded_backend(vocabulary: Vocabulary, documents: list[SearchDocument]) -> EmbeddedBackend:
    backend = EmbeddedBackend(vocabulary)
    backend.rebuild(documents)
    return backend


@pytest.fixture(scope="session")
def meili_backend(
    meili_server: MeiliProcess, vocabulary: Vocabulary, documents: list[SearchDocument]
) -> MeiliBackend:
    backend = MeiliBackend(
        meili_server.url,
        meili_server.master_key,
        vocabulary,
        index="contract",
        search_timeout_s=2.0,
    )
    backend.rebuild(documents)
    return backend


@pytest.fixture(params=["embedded", pytest.param("meilisearch", marks=pytest.mark.meili)])
def backend(request: pytest.FixtureRequest) -> EmbeddedBackend | MeiliBackend:
    """Both backends, over the same documents: the contract suite runs on each."""
    if request.param == "embedded":
        return request.getfixturevalue("embedded_backend")  # type: ignore[no-any-return]
    return request.getfixturevalue("meili_backend")  # type: ignore[no-any-return]


@pytest.fixture
def index_name() -> str:
    return f"t_{uuid.uuid4().hex[:10]}"
