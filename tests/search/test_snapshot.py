"""The embedded index's snapshot on disk (issue 14, etalage/indexing/snapshot.py): a
restart on an unchanged database uses it, anything else builds from the database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy import Engine, select

from etalage.catalogue.importer import import_file
from etalage.db.models import Provider
from etalage.db.session import transaction
from etalage.indexing import SearchService
from etalage.indexing.snapshot import FILENAME
from etalage.region import RegionPack
from etalage.settings import Settings
from search_index import SearchQuery

VALID_30 = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "aanbieders_30.csv"


def _service(engine: Engine, pack: RegionPack, var: Path, key: str = "geheim") -> SearchService:
    settings = Settings(
        database_url=str(engine.url), meilisearch_url=None, meilisearch_key=None,
        secret_key=key, region="westfriesland", var_dir=var,
    )  # fmt: skip
    return SearchService(settings, engine, pack)


def _written(engine: Engine, pack: RegionPack, var: Path) -> None:
    """The 30 providers imported, and a service started and stopped (which writes its
    snapshot)."""
    assert import_file(engine, pack, VALID_30).ok
    first = _service(engine, pack, var)
    first.start()
    assert first.loaded_from_snapshot is False  # nothing on disk yet: built
    first.stop()
    assert (var / FILENAME).is_file()


def _hashes(svc: SearchService) -> dict[str, str]:
    return {str(d["id"]): d["hash"] for d in svc.backend.fallback.documents()}


def _expected(svc: SearchService) -> dict[str, str]:
    return {str(d["id"]): d["hash"] for d in svc.all_documents()[1]}


def test_a_restart_on_the_same_data_uses_the_snapshot(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    _written(sqlite_engine, pack, tmp_path)

    second = _service(sqlite_engine, pack, tmp_path)
    second.start()
    try:
        assert second.loaded_from_snapshot is True
        assert _hashes(second) == _expected(second)
        assert second.search(SearchQuery(q="haven")).total >= 1
    finally:
        second.stop()


def test_a_change_while_stopped_is_read_from_the_database(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    _written(sqlite_engine, pack, tmp_path)
    with transaction(sqlite_engine) as session:
        provider = session.scalars(select(Provider).order_by(Provider.kvk)).first()
        assert provider is not None
        provider.name = "Zeearend Jeugdzorg"
        kvk = provider.kvk
    second = _service(sqlite_engine, pack, tmp_path)
    second.start()
    try:
        assert second.loaded_from_snapshot is False
        assert [h.id for h in second.search(SearchQuery(q="Zeearend")).hits] == [kvk]
        assert _hashes(second) == _expected(second)
    finally:
        second.stop()


def test_a_bad_or_foreign_snapshot_is_never_used(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    _written(sqlite_engine, pack, tmp_path)
    path = tmp_path / FILENAME
    good = path.read_bytes()

    other_key = _service(sqlite_engine, pack, tmp_path, key="een ander geheim")
    other_key.start()
    assert other_key.loaded_from_snapshot is False  # signed with another key
    other_key.stop()

    for damaged in (good[:-100], good[:40] + b"x" + good[41:], b"not a snapshot"):
        path.write_bytes(damaged)
        svc = _service(sqlite_engine, pack, tmp_path)
        svc.start()
        try:
            assert svc.loaded_from_snapshot is False
            assert _hashes(svc) == _expected(svc)
        finally:
            svc.stop()


def test_the_next_day_builds_from_the_database(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    _written(sqlite_engine, pack, tmp_path)
    with time_machine.travel(timedelta(days=1), tick=True):
        svc = _service(sqlite_engine, pack, tmp_path)
        svc.start()
        try:
            assert svc.loaded_from_snapshot is False  # waiting times may have gone stale
        finally:
            svc.stop()


def test_a_rebuild_never_uses_the_snapshot(
    sqlite_engine: Engine, pack: RegionPack, tmp_path: Path
) -> None:
    assert import_file(sqlite_engine, pack, VALID_30).ok
    first = _service(sqlite_engine, pack, tmp_path)
    first.start()
    try:
        first.rebuild()
        assert first.loaded_from_snapshot is False
    finally:
        first.stop()
