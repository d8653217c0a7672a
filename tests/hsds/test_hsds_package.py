"""HSDS 3.0 tabular data packages (docs/hsds.md#tabular-data-packages): the export
validates with frictionless; export -> import into an empty database -> export gives the
same package byte for byte, and the providers read back equal the originals in every
field the mapping carries; the specification's example imports with its problems
reported in Dutch, not crashed on."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import frictionless
import pytest
from accounts_support import dump
from click.testing import CliRunner
from sqlalchemy import Engine

from etalage.catalogue.demo import load_demo
from etalage.catalogue.reader import read_records
from etalage.db.migrate import upgrade
from etalage.db.session import make_engine, session_factory
from etalage.hsds.tabular import read_package, write_package
from etalage.region import RegionPack
from etalage.settings import get_settings

TODAY = date.today()
EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "hsds" / "example-csv"


def _fresh(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def _records(engine: Engine) -> list[Any]:
    with session_factory(engine)() as session:
        return read_records(session, history=False)


def test_export_import_export_is_the_same_package(tmp_path: Path, pack: RegionPack) -> None:
    source = _fresh(tmp_path / "a.db")
    load_demo(source, pack)
    first = tmp_path / "first"
    write_package(_records(source), pack, first, TODAY)
    report = frictionless.validate(str(first / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[
        :5
    ]

    target = _fresh(tmp_path / "b.db")
    done = read_package(target, pack, first, TODAY)
    assert done.ok, done.errors[:5]
    assert done.created == 125
    second = tmp_path / "second"
    write_package(_records(target), pack, second, TODAY)
    for path in sorted(first.iterdir()):
        assert (second / path.name).read_bytes() == path.read_bytes(), path.name

    # the providers read back equal the originals in every field the mapping carries
    old, new = _records(source), _records(target)
    for a, b in zip(old, new, strict=True):
        for attr in (
            "kvk", "slug", "name", "description", "website", "phone", "email", "age_min",
            "age_max", "serves_region", "laws", "segments", "expertise", "languages",
            "registration_routes", "arrangements", "locations", "capacity",
        ):  # fmt: skip
            assert getattr(a, attr) == getattr(b, attr), (a.kvk, attr)
        assert a.latest_waiting == b.latest_waiting and a.latest_kpi == b.latest_kpi, a.kvk
    # importing the same package again changes nothing but the audit log
    again_before = {
        k: v for k, v in dump(target).items() if k not in ("audit_log", "search_outbox")
    }
    assert read_package(target, pack, first, TODAY).ok
    again_after = {k: v for k, v in dump(target).items() if k not in ("audit_log", "search_outbox")}
    assert again_before == again_after


def test_the_specifications_example_is_reported_not_crashed_on(
    tmp_path: Path, pack: RegionPack
) -> None:
    engine = _fresh(tmp_path / "x.db")
    before = dump(engine)
    report = read_package(engine, pack, EXAMPLE, TODAY)
    assert not report.ok
    text = " ".join(report.errors)
    assert "geen KvK-nummer" in text and "Onbekende term" in text
    assert dump(engine) == before


def test_problems_in_a_package_are_dutch_and_nothing_is_written(
    tmp_path: Path, pack: RegionPack
) -> None:
    source = _fresh(tmp_path / "a.db")
    load_demo(source, pack)
    folder = tmp_path / "pkg"
    write_package(_records(source), pack, folder, TODAY)
    terms = (folder / "taxonomy_terms.csv").read_text(encoding="utf-8")
    (folder / "taxonomy_terms.csv").write_text(terms.replace(",J4,", ",J99,"), encoding="utf-8")
    target = _fresh(tmp_path / "b.db")
    before = dump(target)
    report = read_package(target, pack, folder, TODAY)
    assert not report.ok and any("J99" in e for e in report.errors), report.errors[:3]
    assert dump(target) == before
    (folder / "organizations.csv").unlink()
    assert "organizations.csv ontbreekt" in " ".join(
        read_package(target, pack, folder, TODAY).errors
    )


def test_the_export_and_import_commands(
    tmp_path: Path, pack: RegionPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etalage.cli import main

    source = _fresh(tmp_path / "a.db")
    load_demo(source, pack)
    monkeypatch.setenv("ETALAGE_DATABASE_URL", str(source.url))
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        out = runner.invoke(main, ["export", "hsds", str(tmp_path / "pkg")])
        assert out.exit_code == 0 and "HSDS-pakket geschreven" in out.output, out.output
        target = _fresh(tmp_path / "b.db")
        monkeypatch.setenv("ETALAGE_DATABASE_URL", str(target.url))
        get_settings.cache_clear()
        dry = runner.invoke(main, ["import", "hsds", str(tmp_path / "pkg"), "--dry-run"])
        assert dry.exit_code == 0 and "Proefimport" in dry.output and not _records(target)
        done = runner.invoke(main, ["import", "hsds", str(tmp_path / "pkg")])
        assert done.exit_code == 0 and "125 nieuw" in done.output, done.output
        shutil.copytree(EXAMPLE, tmp_path / "example")
        bad = runner.invoke(main, ["import", "hsds", str(tmp_path / "example")])
        assert bad.exit_code == 1 and "geen KvK-nummer" in bad.output
        assert runner.invoke(main, ["import", "hsds"]).exit_code == 2
        assert runner.invoke(main, ["import", "hsds", str(tmp_path)]).exit_code == 2
    finally:
        get_settings.cache_clear()
