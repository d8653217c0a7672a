"""The booklet (docs/booklet.md), rendered for the demo data and read back with pypdf:
every provider of the filter is in it and no other, the table of contents is there,
codes and tariffs only for the toegang, the print date and page numbers on every page;
`etalage boekje` and `GET /boekje.pdf`."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import Engine

from etalage.booklet.content import booklet, matches
from etalage.booklet.render import booklet_pdf
from etalage.catalogue.demo import load_demo
from etalage.catalogue.reader import read_records
from etalage.db.session import session_factory
from etalage.provider import ProviderRecord
from etalage.region import RegionPack
from etalage.settings import get_settings

TODAY = date.today()


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, pack: RegionPack
) -> Iterator[tuple[Engine, list[ProviderRecord]]]:
    from etalage.db.migrate import upgrade
    from etalage.db.session import make_engine

    folder = tmp_path_factory.mktemp("booklet")
    engine = make_engine(f"sqlite:///{folder / 'etalage.db'}")
    upgrade(engine)
    load_demo(engine, pack)
    with session_factory(engine)() as session:
        records = read_records(session, history=False)
    yield engine, records
    engine.dispose()


def _text(pdf: bytes) -> tuple[list[str], str]:
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    return pages, re.sub(r"\s+", " ", " ".join(pages))


@pytest.mark.parametrize("audience", ["huisarts", "inwoner", "toegang"])
def test_the_booklet_holds_exactly_the_providers_of_its_filter(
    demo: tuple[Engine, list[ProviderRecord]], pack: RegionPack, audience: str
) -> None:
    _, records = demo
    pdf, book = booklet_pdf(
        records, pack, TODAY, audience=audience, municipality="opmeer", law="jeugdwet"
    )
    pages, text = _text(pdf)
    inside = {r.kvk for r in records if matches(r, pack, "opmeer", "jeugdwet")}
    assert set(book.providers) == inside and 3 <= len(inside) < len(records)
    for r in records:
        name = re.sub(r"\s+", " ", r.name)
        if r.kvk in inside:
            assert name in text, f"{name} is missing"
        else:
            assert name not in text, f"{name} should not be in it"
    assert "Inhoud" in pages[1] and pages[1].count(".....") >= len(book.sections)
    assert "Gemeente Opmeer" in pages[0] and "Jeugdwet" in pages[0]
    printed = book.printed
    for number, page in enumerate(pages[1:], start=2):
        assert f"Pagina {number} van {len(pages)}" in page, number
        assert f"gedrukt op {printed}" in page
    if audience == "toegang":
        assert "€" in text and re.search(r"\bJ\d:(licht|midden|zwaar)\b", text)
    else:
        assert "€" not in text and "tarief" not in text.lower()
    if audience == "inwoner":
        assert "Zo meldt u zich aan" in text and not re.search(r"\bJ\d\b", text)
    if audience == "huisarts":
        assert "Huisarts" in text and ("ZorgDomein" in text or "verwijsbrief" in text)


def test_every_provider_with_a_profile_is_in_that_profiles_section(
    demo: tuple[Engine, list[ProviderRecord]], pack: RegionPack
) -> None:
    _, records = demo
    book = booklet(records, pack, TODAY)
    assert set(book.providers) == {r.kvk for r in records}
    sections = {s.anchor: s for s in book.sections}
    for r in records:
        for profile in {p for p, _ in r.arrangements}:
            names = [e.name for e in sections[f"profiel-{profile.lower()}"].entries]
            assert r.name in names
        if "A" in r.segments:
            assert r.name in [e.name for e in sections["vrij"].entries]


def test_the_booklet_command(
    demo: tuple[Engine, list[ProviderRecord]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etalage.cli import main

    engine, _ = demo
    monkeypatch.setenv("ETALAGE_DATABASE_URL", str(engine.url))
    get_settings.cache_clear()
    try:
        out = tmp_path / "boekje.pdf"
        runner = CliRunner()
        done = runner.invoke(
            main,
            [
                "boekje",
                "--out",
                str(out),
                "--gemeente",
                "enkhuizen",
                "--wet",
                "wmo",
                "--voor",
                "inwoner",
            ],
        )
        assert done.exit_code == 0, done.output
        assert out.read_bytes()[:5] == b"%PDF-" and "Boekje geschreven naar" in done.output
        bad = runner.invoke(main, ["boekje", "--out", str(out), "--gemeente", "amsterdam"])
        assert bad.exit_code == 2
        assert (
            runner.invoke(main, ["boekje", "--out", str(out), "--voor", "iedereen"]).exit_code == 2
        )
    finally:
        get_settings.cache_clear()


def test_the_booklet_on_the_web(demo: tuple[Engine, list[ProviderRecord]], tmp_path: Path) -> None:
    from dataclasses import replace

    from litestar.testing import TestClient

    from etalage.settings import settings_from_env
    from etalage.web.app import create_app

    engine, _ = demo
    base = settings_from_env(
        {"ETALAGE_VAR_DIR": str(tmp_path), "ETALAGE_ALLOWED_HOSTS": "testserver.local"}
    )
    with TestClient(create_app(replace(base, database_url=str(engine.url)))) as client:
        r = client.get(
            "/boekje.pdf", params={"gemeente": "opmeer", "wet": "wmo", "voor": "toegang"}
        )
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert r.content[:5] == b"%PDF-"
        again = client.get(
            "/boekje.pdf", params={"gemeente": "opmeer", "wet": "wmo", "voor": "toegang"}
        )
        assert again.content == r.content  # kept, not rendered again
        for params, name in (
            ({"voor": "iedereen"}, "voor"),
            ({"gemeente": "x"}, "gemeente"),
            ({"wet": "x"}, "wet"),
            ({"x": "1"}, "x"),
        ):
            bad = client.get("/boekje.pdf", params=params)
            assert bad.status_code == 400 and name in bad.text, params
        bad = client.get("/boekje.pdf", params={"voor": "iedereen"})
        assert "Kies voor wie" in bad.text
