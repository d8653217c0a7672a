"""The landscape and the exports through HTTP: `GET /api/v1/landschap`, the monitor page,
the monitor table and result lists as CSV and XLSX, and an export -> import round trip
of the demo data that changes nothing."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accounts_support import dump, login, make_user
from litestar.testing import TestClient
from sqlalchemy import Engine

from etalage.catalogue.demo import load_demo
from etalage.catalogue.importer import import_bytes
from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.region import RegionPack
from etalage.settings import settings_from_env
from etalage.web.app import create_app

HOST = "testserver.local"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Engine]]:
    from dataclasses import replace

    folder = tmp_path_factory.mktemp("landscape")
    engine = make_engine(f"sqlite:///{folder / 'etalage.db'}")
    upgrade(engine)
    from etalage.region import load_pack

    load_demo(engine, load_pack("westfriesland"))
    base = settings_from_env({"ETALAGE_VAR_DIR": str(folder), "ETALAGE_ALLOWED_HOSTS": HOST})
    settings = replace(base, database_url=str(engine.url))
    with TestClient(create_app(settings)) as client:
        yield client, engine
    engine_for(settings.database_url).dispose()


def test_the_landscape_api_has_the_contract_shape(demo_site: tuple[Any, Engine]) -> None:
    client, _ = demo_site
    body = client.get("/api/v1/landschap").json()
    assert set(body) >= {"peildatum", "treeknorm_weken", "versheid_weken", "cellen", "samenvatting"}
    cell = body["cellen"][0]
    assert set(cell) == {
        "profiel", "intensiteit", "gemeente", "aanbieders", "met_verse_wachttijd",
        "binnen_norm", "mediaan_wachttijd_weken", "kortste_wachttijd_weken", "lacune",
    }  # fmt: skip
    assert body["samenvatting"]["cellen"] == len(body["cellen"]) == 15 * 3 * 7
    assert body["samenvatting"]["lacunes"] == sum(c["lacune"] for c in body["cellen"])
    wmo = client.get("/api/v1/landschap", params={"wet": "wmo", "gemeente": "hoorn"}).json()
    assert {c["profiel"][0] for c in wmo["cellen"]} == {"W"}
    assert {c["gemeente"] for c in wmo["cellen"]} == {"hoorn"}
    past = client.get("/api/v1/landschap", params={"peildatum": "2026-08-01"}).json()
    assert past["peildatum"] == "2026-08-01" and past["cellen"] != body["cellen"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"peildatum": "2999-01-01"}, "peildatum"),
        ({"peildatum": "1-1-2026"}, "peildatum"),
        ({"wet": "zvw"}, "wet"),
        ({"gemeente": "amsterdam"}, "gemeente"),
        ({"profiel": "J4"}, "profiel"),
    ],
)
def test_bad_landscape_parameters_are_dutch_400s(
    demo_site: tuple[Any, Engine], params: dict[str, str], parameter: str
) -> None:
    client, _ = demo_site
    r = client.get("/api/v1/landschap", params=params)
    assert r.status_code == 400 and r.json()["parameter"] == parameter
    page = client.get("/landschap", params=params)
    assert page.status_code == 400


def test_the_monitor_page_marks_lacunes_and_links_each_cell(demo_site: tuple[Any, Engine]) -> None:
    client, engine = demo_site
    r = client.get("/landschap")
    assert r.status_code == 200
    body = client.get("/api/v1/landschap").json()
    gaps = sum(c["lacune"] for c in body["cellen"])
    assert r.text.count("etalage-level--lacune") == gaps + 1  # the cells and the legend
    assert "/aanbieders?profiel=J4&amp;intensiteit=midden&amp;gemeente=hoorn" in r.text
    assert r.text.count("<svg") >= 10 and r.text.count('role="img"') >= 10
    assert "Te weinig waarnemingen" in r.text
    assert "Voor de beheerder" not in r.text
    login(client, make_user(engine, "beheerder"))
    assert "Voor de beheerder" in client.get("/landschap").text
    client.cookies.clear()


def test_a_result_list_exports_every_match_as_csv_and_xlsx(demo_site: tuple[Any, Engine]) -> None:
    from openpyxl import load_workbook

    client, _ = demo_site
    total = client.get("/api/v1/providers", params={"wet": "wmo", "per_page": 1}).json()["total"]
    assert total > 20  # more than one page
    csv = client.get("/aanbieders.csv", params={"wet": "wmo"})
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("kvk;naam;omschrijving") and len(lines) == total + 1
    xlsx = client.get("/aanbieders.xlsx", params={"wet": "wmo"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) == total + 1 and rows[0][0] == "kvk"
    bad = client.get("/aanbieders.csv", params={"profiel": "J99"})
    assert bad.status_code == 400
    cells = client.get("/landschap.csv").content.decode("utf-8-sig").splitlines()
    assert cells[0].startswith("profiel;intensiteit;gemeente") and len(cells) == 316
    assert client.get("/landschap.xlsx").content[:2] == b"PK"
    for table, first in (("vrij", "expertise"), ("trends", "reeks"), ("resultaten", "profiel")):
        for suffix in ("csv", "xlsx"):
            r = client.get(f"/landschap.{suffix}", params={"tabel": table, "wet": "jeugdwet"})
            assert r.status_code == 200, (table, suffix)
        lines = client.get("/landschap.csv", params={"tabel": table}).content.decode("utf-8-sig")
        assert lines.startswith(first) and lines.count("\n") > 5
    assert client.get("/landschap.csv", params={"tabel": "x"}).status_code == 400
    page = client.get("/aanbieders", params={"wet": "wmo"}).text
    assert 'href="/aanbieders.csv?wet=wmo"' in page and 'href="/aanbieders.xlsx?wet=wmo"' in page


def test_formula_cells_are_neutralised_in_exports(demo_site: tuple[Any, Engine]) -> None:
    client, engine = demo_site
    from sqlalchemy import text as sql

    kvk = client.get("/api/v1/providers", params={"per_page": 1}).json()["results"][0]["kvk"]
    with engine.begin() as conn:  # as an older import or a direct edit may have left it
        conn.execute(
            sql("update providers set referral_note = '=HYPERLINK(1)' where kvk = :k"), {"k": kvk}
        )
    time.sleep(0.01)
    text = client.get("/aanbieders.csv").content.decode("utf-8-sig")
    assert ";'=HYPERLINK(1);" in text or "'=HYPERLINK(1)" in text
    assert ";=HYPERLINK" not in text


def test_an_export_imports_again_without_a_change(tmp_path: Path, pack: RegionPack) -> None:
    from dataclasses import replace

    engine = make_engine(f"sqlite:///{tmp_path / 'etalage.db'}")
    upgrade(engine)
    load_demo(engine, pack)
    base = settings_from_env({"ETALAGE_VAR_DIR": str(tmp_path), "ETALAGE_ALLOWED_HOSTS": HOST})
    with TestClient(create_app(replace(base, database_url=str(engine.url)))) as client:
        csv = client.get("/aanbieders.csv").content
        xlsx = client.get("/aanbieders.xlsx").content
    before = {k: v for k, v in dump(engine).items() if k not in ("audit_log", "search_outbox")}
    for data, kind in ((csv, "csv"), (xlsx, "xlsx")):
        report = import_bytes(engine, pack, data, format=kind)
        assert report.ok, [str(e) for e in report.errors[:5]]
        assert report.updated == 125 and report.created == 0
        after = {k: v for k, v in dump(engine).items() if k not in ("audit_log", "search_outbox")}
        changed = [t for t in before if before[t] != after[t]]
        assert not changed, changed
    engine_for(str(engine.url)).dispose()
