"""Search through the web app: the JSON API and the catalogue page on the search service.

The catalogue is `web_catalogue` (Alfa, Bravo, Charlie, Delta) plus one provider whose
name is markup, to prove that highlighted names stay text.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from msgspec import to_builtins
from search.meili_process import MeiliProcess, meili_available
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from support import free_port, patient
from web_catalogue import ALFA, BRAVO, CHARLIE, DELTA, fill_catalogue, make_provider

from etalage.catalogue.presenters import provider_summary
from etalage.catalogue.reader import read_record
from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.indexing.reader import read_documents
from etalage.region import RegionPack
from etalage.settings import Settings, settings_from_env
from etalage.web.app import create_app
from search_index.documents import record_from_document

Client = TestClient[Litestar]
MARKUP = "12121212"
MARKUP_NAME = "<script>alert(1)</script> Zorg"


def settings_for(engine: Engine, tmp: Path) -> Settings:
    base = settings_from_env(
        {"ETALAGE_VAR_DIR": str(tmp), "ETALAGE_ALLOWED_HOSTS": "testserver.local"}
    )
    return replace(base, database_url=engine.url.render_as_string(hide_password=False))


def _catalogue(folder: Path) -> Engine:
    engine = make_engine(f"sqlite:///{folder / 'etalage.db'}")
    upgrade(engine)
    fill_catalogue(engine)
    with Session(engine) as s:
        make_provider(
            s,
            kvk=MARKUP,
            name=MARKUP_NAME,
            slug="markup-zorg",
            description='Wij helpen bij "schulden" <b>en</b> geldzorgen.',
            wet=("wmo",),
            segment=("A",),
            expertise=("schuldhulp",),
            gebied=("opmeer",),
            location={"postcode": "1715 AA", "city": "Spanbroek", "municipality": "opmeer"},
        )
        s.commit()
    return engine


@pytest.fixture(scope="module")
def search_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    folder = tmp_path_factory.mktemp("search")
    engine = _catalogue(folder)
    engine.dispose()
    settings = settings_for(engine, tmp=folder)
    with TestClient(create_app(settings)) as c:
        yield c
    engine_for(settings.database_url).dispose()


def kvks(client: Client, query: str) -> list[str]:
    r = client.get(f"/api/v1/providers?{query}")
    assert r.status_code == 200, r.text
    return [x["kvk"] for x in r.json()["results"]]


def fragment(client: Client, query: str, **headers: str) -> Any:
    return client.get(f"/aanbieders?{query}", headers={"HX-Request": "true", **headers})


def results_region(html: str) -> str:
    """The results of a full page: the status line and the list (to the end of its section)."""
    start = html.index('id="telling"')
    return html[start : html.index("</section>", start)]


# ---------------------------------------------------------------------------- API


def test_api_reads_words_age_and_place(search_client: Client) -> None:
    assert set(kvks(search_client, "q=autisme")) == {ALFA, DELTA}
    assert kvks(search_client, "q=autsime%2010%20jaar") == [ALFA]  # Delta starts at 12
    assert set(kvks(search_client, "q=autisme%20hoorn")) == {ALFA, DELTA}
    assert kvks(search_client, "q=geldzorgen%20medemblik") == [CHARLIE]
    assert kvks(search_client, "q=ADD") == [ALFA]  # a synonym of ADHD
    assert kvks(search_client, "q=somber") == [BRAVO]  # a synonym of depressie


def test_api_text_with_filters_sort_and_distance(search_client: Client) -> None:
    assert set(kvks(search_client, "q=autisme&postcode=1621&afstand_km=5")) == {ALFA, DELTA}
    body = search_client.get("/api/v1/providers?q=autisme&postcode=1601&sort=afstand").json()
    distances = [x["afstand_km"] for x in body["results"]]
    assert [x["kvk"] for x in body["results"]] == [ALFA, DELTA]  # Alfa is nearer Enkhuizen
    assert distances == sorted(distances) and all(d > 10 for d in distances)
    assert kvks(search_client, "q=autisme&sort=wachttijd") == [ALFA, DELTA]  # 5 before 35
    assert kvks(search_client, "q=autisme&sort=kwaliteit") == [ALFA, DELTA]
    assert kvks(search_client, "sort=naam&per_page=2&page=2") == [CHARLIE, DELTA]


def test_api_results_are_built_from_the_index_in_the_contract_shape(search_client: Client) -> None:
    body = search_client.get("/api/v1/providers?q=alfa").json()
    assert body["backend"] == "embedded"
    assert (body["total"], body["page"], body["per_page"]) == (1, 1, 20)
    alfa = body["results"][0]
    # the same summary the database gave before (tests/web/test_web_api.py)
    assert alfa["arrangementen"] == ["J2:zwaar", "J4:licht", "J4:midden"]
    assert alfa["wachttijd"]["aanmelden_weken"] == 2 and alfa["kpi"]["n"] == 120
    assert set(body["facets"]) == {
        "gemeente", "wet", "segment", "profiel", "intensiteit", "expertise", "taal",
    }  # fmt: skip
    assert body["facets"]["expertise"] == {"adhd": 1, "autisme": 1}


def test_api_filter_injection_is_only_text(search_client: Client) -> None:
    for q in ['autisme" OR wet = "wmo', "autisme) OR (regio = true", 'autisme\\" OR "x']:
        r = search_client.get("/api/v1/providers", params={"q": q})
        assert r.status_code == 200, (q, r.text)
        assert BRAVO not in [x["kvk"] for x in r.json()["results"]], q
    for q in ["\\", "'; --", '"', "()"]:  # no words at all: everything, nothing broken
        r = search_client.get("/api/v1/providers", params={"q": q})
        assert r.status_code == 200 and r.json()["total"] == 5, q
    r = search_client.get("/api/v1/providers", params={"gemeente": 'hoorn" OR regio = true'})
    assert r.status_code == 400 and r.json()["parameter"] == "gemeente"


def test_api_gemeente_regio_means_the_whole_region(search_client: Client) -> None:
    assert kvks(search_client, "gemeente=regio") == [BRAVO]


def test_openapi_describes_search_and_the_backend_field(search_client: Client) -> None:
    doc = search_client.get("/api/schema/openapi.json").json()
    listing = doc["paths"]["/api/v1/providers"]["get"]
    assert "tikfouten" in listing["description"] and "`embedded`" in listing["description"]
    backend = doc["components"]["schemas"]["ProviderSearchResponse"]["properties"]["backend"]
    assert backend == {"type": "string", "enum": ["meilisearch", "embedded"]}


# ---------------------------------------------------------------------------- page


def test_full_page_is_a_plain_get_form_with_search_as_you_type(search_client: Client) -> None:
    r = search_client.get("/aanbieders?q=autisme")
    assert r.status_code == 200 and "<html" in r.text
    form = re.search(r"<form[^>]*hx-get[^>]*>", r.text, re.S)
    assert form, "the search form"
    tag = form.group(0)
    assert 'action="/aanbieders"' in tag and 'method="get"' in tag
    assert (
        'hx-trigger="input changed delay:300ms from:#f-q, change from:#filterkeuzes, '
        'change from:#f-sort, submit"' in tag
    )
    assert 'hx-sync="this:replace"' in tag and 'hx-push-url="true"' in tag
    assert 'hx-history="false"' in r.text  # back button: the page is loaded again
    assert re.search(r'<input[^>]*type="search"[^>]*id="f-q" name="q"[^>]*value="autisme"', r.text)
    results = results_region(r.text)
    assert "2 aanbieders gevonden" in results
    assert "hx-swap-oob" not in r.text  # out-of-band copies only in fragments


def test_htmx_request_gets_fragment_with_new_filter_counts(search_client: Client) -> None:
    r = fragment(search_client, "q=autisme&wet=&gemeente=")
    assert r.status_code == 200
    assert r.headers["vary"].startswith("HX-Request") or "HX-Request" in r.headers["vary"]
    assert "<html" not in r.text and "<form" not in r.text
    assert "2 aanbieders gevonden" in r.text
    assert r.headers["hx-push-url"] == "/aanbieders?q=autisme"
    # every option comes along, swapped in place with its new count
    assert (
        '<option id="o-gemeente-hoorn" value="hoorn" hx-swap-oob="true">Hoorn (2)</option>'
        in r.text
    )
    assert '<option id="o-wet-wmo" value="wmo" hx-swap-oob="true">Wmo (0)</option>' in r.text
    assert re.search(r'id="n-expertise-trauma" hx-swap-oob="true">\s*\(1\)</span>', r.text)


def test_same_address_is_not_pushed_twice(search_client: Client) -> None:
    r = fragment(
        search_client,
        "q=autisme",
        **{"HX-Current-URL": "http://testserver.local/aanbieders?q=autisme"},
    )
    assert r.headers["hx-push-url"] == "false"


def test_counts_of_a_chosen_filter_leave_that_filter_out(search_client: Client) -> None:
    text = search_client.get("/aanbieders?wet=wmo").text
    # choosing another law is still possible: its count ignores the chosen law
    assert '<option id="o-wet-jeugdwet" value="jeugdwet">Jeugdwet (3)</option>' in text
    assert '<option id="o-wet-wmo" value="wmo" selected>Wmo (3)</option>' in text
    # the other filters count within the chosen law
    assert '<option id="o-gemeente-opmeer" value="opmeer">Opmeer (2)</option>' in text
    assert '<option id="o-gemeente-hoorn" value="hoorn">Hoorn (1)</option>' in text


@pytest.mark.parametrize("q", ["autisme hoorn", "autisme", "enkhuizen"])
def test_each_municipality_count_is_what_choosing_it_finds(search_client: Client, q: str) -> None:
    """Also when the text names a place and another municipality is chosen: choosing
    one keeps a differing place in the text as words, and the counts say so."""
    text = search_client.get("/aanbieders", params={"q": q, "gemeente": "enkhuizen"}).text
    shown = dict(re.findall(r'<option id="o-gemeente-([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', text))
    assert len(shown) >= 7
    for code, count in shown.items():
        found = search_client.get("/api/v1/providers", params={"q": q, "gemeente": code}).json()
        assert found["total"] == int(count), (q, code)


def test_matches_are_marked_and_markup_stays_text(search_client: Client) -> None:
    r = search_client.get("/aanbieders?q=script")
    results = results_region(r.text)
    assert "<script>alert" not in r.text
    assert (
        '&lt;<mark class="etalage-mark">script</mark>&gt;alert(1)&lt;/'
        '<mark class="etalage-mark">script</mark>&gt; Zorg'
    ) in results
    r = search_client.get("/aanbieders?q=geldzorgen")
    assert "<b>en</b>" not in r.text and "/aanbieders/markup-zorg" in r.text
    detail = search_client.get("/aanbieders/markup-zorg").text
    assert "<b>en</b>" not in detail and "&lt;b&gt;en&lt;/b&gt;" in detail
    r = search_client.get("/aanbieders?q=autisme")
    assert '<mark class="etalage-mark">Autisme</mark>' in results_region(r.text)


def test_we_searched_for_line(search_client: Client) -> None:
    text = unescape(search_client.get("/aanbieders?q=autsime%2010%20jaar%20hoorn").text)
    assert "We zochten op ‘autisme’, leeftijd 10 jaar, gemeente Hoorn." in text
    assert "1 aanbieder gevonden" in text


def test_did_you_mean_links_to_the_suggestion(search_client: Client) -> None:
    r = search_client.get("/aanbieders?q=schldhlp")  # two letters missing: no match
    assert r.status_code == 200
    assert "Geen aanbieders gevonden" in r.text
    match = re.search(r'Bedoelde u <a class="utrecht-link" href="([^"]+)">([^<]+)</a>\?', r.text)
    assert match, results_region(r.text)
    assert (unescape(match.group(1)), match.group(2)) == ("/aanbieders?q=schuldhulp", "schuldhulp")
    # the suggestion keeps the other filters
    r = search_client.get("/aanbieders?q=schldhlp&wet=wmo")
    assert 'href="/aanbieders?q=schuldhulp&amp;wet=wmo"' in r.text
    # nothing close: no suggestion
    assert "Bedoelde u" not in search_client.get("/aanbieders?q=xqzwv").text


def test_zero_results_page_widens_and_points_to_the_assistant(search_client: Client) -> None:
    r = search_client.get("/aanbieders?q=autisme&gemeente=medemblik&taal=ar")
    assert r.status_code == 200
    results = unescape(results_region(r.text))
    assert "Geen aanbieders gevonden" in results
    links = dict(
        (text, href)
        for href, text in re.findall(r'<a class="utrecht-link" href="([^"]+)">([^<]+)</a>', results)
    )
    # without the municipality Alfa is found (autisme, Arabic); without the language,
    # Alfa and Delta do not work in Medemblik: not offered
    assert links["Zoek zonder gemeente: Medemblik"] == "/aanbieders?q=autisme&taal=ar"
    assert "Zoek zonder taal: Arabisch" not in links
    assert links["Gebruik de hulpwijzer"] == "/assistent"
    assert links["Begin opnieuw, zonder filters"] == "/aanbieders"
    assert "(1 aanbieder)" in results


def test_words_read_as_filters_can_be_dropped_one_by_one(search_client: Client) -> None:
    results = unescape(results_region(search_client.get("/aanbieders?q=autisme%203%20jaar").text))
    assert "Geen aanbieders gevonden" in results
    assert (
        '<a class="utrecht-link" href="/aanbieders?q=autisme">Zoek zonder leeftijd: 3 jaar</a>'
        in (results)
    )


def test_an_age_range_in_the_text_is_read_and_can_be_dropped(search_client: Client) -> None:
    page = unescape(search_client.get("/aanbieders?q=autisme%20van%200%20tot%203%20jaar").text)
    assert "We zochten op ‘autisme’, leeftijd 0 tot en met 3 jaar." in page
    results = results_region(page)
    assert "Geen aanbieders gevonden" in results
    assert (
        '<a class="utrecht-link" href="/aanbieders?q=autisme">'
        "Zoek zonder leeftijd: 0 tot en met 3 jaar</a>" in results
    )
    # Widening another way keeps the range in the text.
    api = search_client.get("/api/v1/providers?q=van%2012%20tot%2018%20jaar").json()
    assert api["total"] > 0


def test_bad_parameter_in_the_page_is_a_dutch_400(search_client: Client) -> None:
    r = fragment(search_client, "q=autisme&leeftijd=abc")
    assert r.status_code == 400 and 'role="alert"' in r.text
    # The message goes to the field, the search without the bad value stays shown.
    assert 'id="f-leeftijd-fout" hx-swap-oob="innerHTML">Vul een heel getal in' in r.text
    assert "2 aanbieders gevonden voor autisme." in r.text
    assert r.headers["hx-push-url"] == "/aanbieders?q=autisme"


# ---------------------------------------------------------------------------- degraded


def _settings_with(engine: Engine, folder: Path, url: str, key: str | None) -> Settings:
    return replace(settings_for(engine, tmp=folder), meilisearch_url=url, meilisearch_key=key)


def test_unreachable_meilisearch_answers_from_embedded_with_a_quiet_notice(
    tmp_path: Path,
) -> None:
    engine = _catalogue(tmp_path)
    settings = _settings_with(engine, tmp_path, f"http://127.0.0.1:{free_port()}", "key")
    try:
        with TestClient(create_app(settings)) as c:
            for _ in range(3):
                body = c.get("/api/v1/providers?q=autisme").json()
                assert body["backend"] == "embedded"
                assert {x["kvk"] for x in body["results"]} == {ALFA, DELTA}
            page = c.get("/aanbieders?q=autisme")
            assert page.status_code == 200
            notice = re.search(r'<p class="[^"]*etalage-notice[^"]*">([^<]+)</p>', page.text)
            assert notice and "eenvoudiger vorm" in notice.group(1)
    finally:
        engine_for(settings.database_url).dispose()
        engine.dispose()


@pytest.fixture(scope="module")
def meili_for_web() -> Iterator[MeiliProcess]:
    meili_available()
    workdir = Path(tempfile.mkdtemp(prefix="etalage-web-meili-"))
    server = MeiliProcess(workdir / "data.ms")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.mark.meili
def test_with_meilisearch_the_api_and_page_say_so(
    meili_for_web: MeiliProcess, tmp_path: Path
) -> None:
    engine = _catalogue(tmp_path)
    settings = _settings_with(engine, tmp_path, meili_for_web.url, meili_for_web.master_key)
    app = create_app(settings)
    patient(app.state.search.backend)  # about which backend answers, not speed
    try:
        with TestClient(app) as c:
            app.state.search.drain_once()  # the drift check builds the Meilisearch index
            body = c.get("/api/v1/providers?q=autsime%20hoorn").json()
            assert body["backend"] == "meilisearch"
            assert {x["kvk"] for x in body["results"]} == {ALFA, DELTA}
            assert kvks(c, "q=ADD") == [ALFA]
            page = c.get("/aanbieders?q=script")
            assert "etalage-notice" not in results_region(page.text)
            # Nothing found: the ways to widen the search are offered, with their counts.
            empty = unescape(results_region(c.get("/aanbieders?q=autisme%203%20jaar").text))
            assert "Zoek zonder leeftijd: 3 jaar</a> (2 aanbieders)" in empty
            assert "<script>alert" not in page.text
            assert '<mark class="etalage-mark">script</mark>&gt; Zorg' in page.text
    finally:
        engine_for(settings.database_url).dispose()
        engine.dispose()


@pytest.mark.meili
def test_filter_counts_with_meilisearch_are_meilisearchs_even_when_the_copy_differs(
    meili_for_web: MeiliProcess, tmp_path: Path
) -> None:
    """The counts next to the filter options come from the embedded copy only when it
    agrees with Meilisearch; a copy that is behind or ahead never shows."""
    engine = _catalogue(tmp_path)
    settings = _settings_with(engine, tmp_path, meili_for_web.url, meili_for_web.master_key)
    app = create_app(settings)
    backend = app.state.search.backend
    patient(backend)
    expected = {
        "o-wet-jeugdwet": "Jeugdwet (3)",
        "o-wet-wmo": "Wmo (3)",
        "o-gemeente-opmeer": "Opmeer (2)",
        "o-gemeente-hoorn": "Hoorn (1)",
    }

    def options(html: str) -> dict[str, str]:
        found = re.findall(r'<option id="(o-[^"]+)"[^>]*>([^<]*)</option>', html)
        return {key: text for key, text in found if key in expected}

    try:
        with TestClient(app) as c:
            app.state.search.drain_once()
            assert options(c.get("/aanbieders?wet=wmo").text) == expected
            assert backend.facet_fallbacks == 0  # the copies agreed
            backend.fallback.delete([BRAVO])  # the copy now differs from Meilisearch
            r = fragment(c, "wet=wmo")
            assert "3 aanbieders gevonden" in r.text
            assert options(r.text) == expected
            # Meilisearch counted for the search and for the law's own options.
            assert backend.facet_fallbacks == 2
    finally:
        engine_for(settings.database_url).dispose()
        engine.dispose()


def test_summary_from_the_index_equals_the_summary_from_the_database(
    tmp_path: Path, pack: RegionPack
) -> None:
    """The API builds results from search documents; they must say what the database
    says (except percentages resting on too few trajectories, which the index omits)."""
    engine = _catalogue(tmp_path)
    today = date.today()
    try:
        with Session(engine) as s:
            docs = read_documents(s, pack, today)
            for doc in docs:
                from_index = to_builtins(
                    provider_summary(record_from_document(doc), pack, today, 1.25)
                )
                record = read_record(s, kvk=doc["kvk"])
                assert record is not None
                from_db = to_builtins(provider_summary(record, pack, today, 1.25))
                if from_db["kpi"] and from_db["kpi"].get("te_weinig_waarnemingen"):
                    for key in ("uitval_pct", "doelrealisatie_pct", "tevredenheid_pct"):
                        from_db["kpi"][key] = None
                assert from_index == from_db, doc["kvk"]
    finally:
        engine.dispose()
