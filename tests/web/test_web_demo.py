"""The web app on the real Westfriesland pack with the fictional demo dataset."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine

from etalage.catalogue.demo import load_demo
from etalage.region import RegionPack


def test_demo_catalogue_renders_everywhere(engine: Engine, pack: RegionPack, app_for: Any) -> None:
    report = load_demo(engine, pack)
    assert report.ok
    with TestClient(app_for(engine)) as c:
        body = c.get("/api/v1/providers?per_page=100&sort=naam").json()
        assert body["total"] >= 100
        assert body["backend"] == "embedded"
        names = [x["naam"] for x in body["results"]]
        assert names == sorted(names, key=str.casefold)
        home = c.get("/")
        assert home.status_code == 200 and "Let op: dit zijn demogegevens." in home.text
        for query in ("", "?sort=wachttijd", "?sort=kwaliteit", "?postcode=1621&sort=afstand"):
            r = c.get(f"/aanbieders{query}")
            assert r.status_code == 200, query
            assert "demogegevens" in r.text
        # every provider page and API detail renders (charts, history, tables); on
        # PostgreSQL a sample is enough, the data layer is the same
        step = 1 if engine.dialect.name == "sqlite" else 7
        page = 1
        while True:
            listing = c.get(f"/api/v1/providers?per_page=100&page={page}").json()
            for item in listing["results"][::step]:
                assert c.get(f"/aanbieders/{item['slug']}").status_code == 200, item["slug"]
                detail = c.get(f"/api/v1/providers/{item['kvk']}").json()
                assert detail["demo"] is True
            if page * 100 >= listing["total"]:
                break
            page += 1
        # every facet value filters to exactly its count
        facets = body["facets"]
        for kind in ("gemeente", "profiel", "expertise", "taal"):
            for code, count in list(facets[kind].items())[:4]:
                sub = c.get(f"/api/v1/providers?{kind}={code}").json()
                assert sub["total"] == count, (kind, code)
