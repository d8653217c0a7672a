"""HTML pages: what a referrer, a citizen or a screen-reader user would notice."""

from __future__ import annotations

import gzip
import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.params import FromQuery
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from web_catalogue import ALFA, fill_catalogue, make_provider, weeks_ago

from etalage.web.pages import FIELD_LABELS
from etalage.web.security import CONTENT_SECURITY_POLICY

Client = TestClient[Litestar]
PAGES = ["/", "/aanbieders", "/aanbieders/alfa-jeugdhulp", "/toegankelijkheid", "/assistent"]


class Html(HTMLParser):
    """Collects what the accessibility checks below need."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.headings: list[int] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(client: Client, url: str, status: int = 200, **kwargs: Any) -> Html:
    r = client.get(url, **kwargs)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return Html(r.text)


# ---------------------------------------------------------------------------- structure


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_a_full_accessible_page(page_client: Client, url: str) -> None:
    r = page_client.get(url)
    assert r.status_code == 200
    assert '<html lang="nl">' in r.text
    doc = Html(r.text)
    assert doc.all("a")[0]["href"] == "#inhoud"  # skip link first
    assert doc.all("main")[0]["id"] == "inhoud"
    for landmark in ("header", "nav", "main", "footer"):
        assert doc.all(landmark), landmark
    assert "utrecht-theme" in doc.all("body")[0]["class"]
    # headings start at h1 and never skip a level
    assert doc.headings[0] == 1 and doc.headings.count(1) == 1
    for before, after in zip(doc.headings, doc.headings[1:], strict=False):
        assert after <= before + 1, doc.headings
    # unique ids, no empty links, a label for every form control
    ids = [a["id"] for _, a in doc.tags if "id" in a]
    assert len(ids) == len(set(ids))
    labels = {a["for"] for a in doc.all("label")}
    for tag in ("input", "select", "textarea"):
        for control in doc.all(tag):
            if control.get("type") in ("hidden", "submit"):
                continue
            assert control["id"] in labels, control
    # CSP: no inline scripts or styles; htmx is loaded deferred from our own host
    # (a JSON-LD data block is data, not a script: browsers do not run it)
    scripts = [s for s in doc.all("script") if s.get("type") != "application/ld+json"]
    assert scripts and all(s.get("src", "").startswith("/static/") for s in scripts)
    assert all("defer" in s for s in scripts)
    assert not any("style" in a for _, a in doc.tags)
    assert "<style" not in r.text
    # the htmx config keeps htmx from injecting inline styles
    meta = next(m for m in doc.all("meta") if m.get("name") == "htmx-config")
    assert '"includeIndicatorStyles":false' in meta["content"]


def test_home_explains_and_leads_on(page_client: Client) -> None:
    doc = page(page_client, "/")
    hrefs = {a.get("href") for a in doc.all("a")}
    assert {"/aanbieders", "/assistent", "/toegankelijkheid"} <= hrefs
    assert "Treeknorm" in doc.plain and "verouderd" in doc.plain
    assert "4 aanbieders" in doc.plain
    form = doc.all("form")[0]
    assert (form["action"], form["method"]) == ("/aanbieders", "get")
    assert "demogegevens" not in doc.plain  # no demo provider in this catalogue


def test_static_links_are_versioned_and_cached(page_client: Client) -> None:
    r = page_client.get("/")
    css = re.search(r'href="(/static/css/etalage\.css\?v=[0-9a-f]{10})"', r.text)
    assert css, "own CSS carries a content hash"
    for url in (
        css.group(1),
        "/static/vendor/htmx-2.0.11.min.js",
        "/static/vendor/utrecht-component-library-css-9.0.4.css",
    ):
        s = page_client.get(url)
        assert s.status_code == 200, url
        assert "max-age=31536000" in s.headers["cache-control"]
        assert "immutable" in s.headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    ["/static/vendor/%00", "/static/css/etalage.css%00.png", "/static/" + "a" * 300],
    ids=["nul", "nul-suffix", "name-too-long"],
)
def test_static_paths_the_file_system_refuses_are_a_dutch_404(
    page_client: Client, path: str
) -> None:
    r = page_client.get(path)
    assert r.status_code == 404
    assert "Pagina niet gevonden" in r.text


@pytest.mark.parametrize("path", ["/", "/aanbieders", "/api/v1/providers", "/toegankelijkheid"])
def test_head_is_answered_like_get_without_a_body(page_client: Client, path: str) -> None:
    get = page_client.get(path)
    head = page_client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert "content-security-policy" in head.headers


# ---------------------------------------------------------------------------- catalogue


def test_catalogue_lists_key_facts(page_client: Client) -> None:
    doc = page(page_client, "/aanbieders")
    text = doc.plain
    assert "4 aanbieders gevonden" in text
    for name in ("Alfa Jeugdhulp", "Bravo Wmo Begeleiding", "Charlie Inloop"):
        assert name in text
    assert "J4 Autisme en ontwikkelingsstoornissen: licht en midden" in text
    assert "Binnen de Treeknorm" in text  # Alfa: 2 + 3 weeks
    assert "Ruim boven de Treeknorm" in text  # Delta: 35 weeks
    assert "Verouderd" in text  # Bravo: 10 weeks old
    assert "Te weinig waarnemingen" in text  # Bravo: n=12
    assert "Doelen 76%" in text  # Alfa: n=120
    assert "Doelen 91%" not in text  # Bravo's percentage is not shown
    # A screen reader hears the short status after a search, not the whole list.
    results = next(d for d in doc.all("div") if d.get("id") == "resultaten")
    assert "aria-live" not in results
    status = next(p for p in doc.all("p") if p.get("id") == "telling")
    assert status["role"] == "status"


def test_catalogue_filters_and_keeps_the_form(page_client: Client) -> None:
    r = page_client.get("/aanbieders?wet=wmo&expertise=angst-depressie&gemeente=")
    doc = Html(r.text)
    assert "1 aanbieder gevonden" in doc.plain and "Bravo" in doc.plain
    selected = [o["value"] for o in doc.all("option") if "selected" in o]
    assert "wmo" in selected
    checked = [i["value"] for i in doc.all("input") if "checked" in i]
    assert checked == ["angst-depressie"]


def test_catalogue_form_works_without_and_with_htmx(page_client: Client) -> None:
    doc = page(page_client, "/aanbieders")
    form = next(f for f in doc.all("form") if f.get("hx-get"))
    assert (form["action"], form["method"]) == ("/aanbieders", "get")
    assert form["hx-target"] == "#resultaten"
    assert form["hx-push-url"] == "true"
    assert "change" in form["hx-trigger"] and "submit" in form["hx-trigger"]
    assert any(b.get("type") == "submit" for b in doc.all("button"))


def test_htmx_request_gets_only_the_results_fragment(page_client: Client) -> None:
    full = page_client.get("/aanbieders?wet=wmo")
    frag = page_client.get("/aanbieders?wet=wmo", headers={"HX-Request": "true"})
    assert full.status_code == frag.status_code == 200
    for r in (full, frag):
        assert "HX-Request" in r.headers["vary"]
    assert "<html" in full.text and "<form" in full.text
    assert "<html" not in frag.text and "<form" not in frag.text and "<main" not in frag.text
    assert "2 aanbieders gevonden" in frag.text
    assert "Bravo Wmo Begeleiding" in frag.text
    # the address bar gets the canonical URL, not every empty form field
    raw = page_client.get(
        "/aanbieders?q=&gemeente=&wet=wmo&sort=relevance&leeftijd=", headers={"HX-Request": "true"}
    )
    assert raw.headers["hx-push-url"] == "/aanbieders?wet=wmo"
    assert "hx-push-url" not in full.headers
    # a history restore needs the whole page again
    restore = page_client.get(
        "/aanbieders?wet=wmo", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text


def test_pagination_links_keep_the_filters(page_client: Client) -> None:
    doc = page(page_client, "/aanbieders?wet=jeugdwet&per_page=2&sort=naam")
    assert "3 aanbieders gevonden voor Jeugdwet; u ziet 1 tot en met 2." in doc.plain
    nav = [a for a in doc.all("a") if a.get("rel") == "next"]
    assert nav and nav[0]["href"] == "/aanbieders?wet=jeugdwet&sort=naam&page=2&per_page=2"
    assert nav[0]["hx-get"] == nav[0]["href"]
    second = page(page_client, nav[0]["href"])
    assert "u ziet 3 tot en met 3" in second.plain
    assert "Delta Zorgcombinatie" in second.plain
    current = [a for a in second.all("a") if a.get("aria-current") == "page"]
    assert any(a.get("aria-label", "").startswith("Pagina 2") for a in current)


def test_catalogue_shows_distance_with_postcode(page_client: Client) -> None:
    doc = page(page_client, "/aanbieders?postcode=1601+AA&sort=afstand")
    assert "km van postcode 1601 AA" in doc.plain
    assert doc.plain.index("Bravo") < doc.plain.index("Alfa")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("leeftijd=abc", "leeftijd"),
        ("profiel=J9", "profiel"),
        ("postcode=12", "postcode"),
        ("sort=afstand", "sort"),
        ("per_page=1000", "per_page"),
    ],
)
def test_bad_filter_shows_a_dutch_alert_with_400(
    page_client: Client, query: str, parameter: str
) -> None:
    r = page_client.get(f"/aanbieders?{query}")
    assert r.status_code == 400
    doc = Html(r.text)
    alert = re.search(r'role="alert">(.*?)</div>\s*</div>\s*</div>', r.text, re.S)
    assert alert, r.text
    said = html.unescape(re.sub(r"<[^>]+>", "", alert.group(1)))
    assert FIELD_LABELS[parameter] in said  # names the field as the form does
    assert "Hieronder ziet u de resultaten zonder deze keuze" in said
    assert "aanbieders gevonden" in doc.plain  # the search without the bad value
    assert "<form" in r.text  # the form is still there to fix it
    invalid = [c for _, c in doc.tags if c.get("aria-invalid") == "true"]
    if parameter in ("leeftijd", "profiel", "postcode", "sort"):
        assert parameter in [c["name"] for c in invalid]
        message = next(t for t in doc.all("span") if t.get("id") == f"f-{parameter}-fout")
        assert message is not None
    frag = page_client.get(f"/aanbieders?{query}", headers={"HX-Request": "true"})
    assert frag.status_code == 400 and 'role="alert"' in frag.text and "<html" not in frag.text
    if parameter != "per_page":  # a hidden field: the alert says it
        assert f'id="f-{parameter}-fout" hx-swap-oob="innerHTML">' in frag.text


def test_unknown_parameters_are_ignored_on_pages(page_client: Client) -> None:
    assert page_client.get("/aanbieders?utm_source=nieuwsbrief").status_code == 200


def test_user_text_is_escaped(sqlite_engine: Engine, app_for: Any) -> None:
    with Session(sqlite_engine) as s:
        make_provider(
            s,
            kvk="12121212",
            name="<script>alert(1)</script> Zorg",
            slug="xss-zorg",
            description='"><img src=x onerror=alert(1)>',
            website="javascript:alert(1)",
        )
        s.commit()
    with TestClient(app_for(sqlite_engine)) as c:
        for url in ("/aanbieders", "/aanbieders/xss-zorg", "/aanbieders?q=%3Cscript%3E"):
            r = c.get(url)
            assert "<script>alert" not in r.text
            assert "<img src=x" not in r.text
            assert 'href="javascript:' not in r.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Zorg" in c.get("/aanbieders/xss-zorg").text


# ---------------------------------------------------------------------------- provider page


def test_provider_page_has_all_facts(page_client: Client) -> None:
    doc = page(page_client, "/aanbieders/alfa-jeugdhulp")
    text = doc.plain
    assert doc.all("title") and "Alfa Jeugdhulp" in text
    assert "Ambulante hulp voor kinderen en hun ouders." in text
    assert "4 tot en met 17 jaar" in text
    assert "Autisme en ontwikkelingsstoornissen (J4, Jeugdwet): licht en midden." in text
    assert "Gedragsproblematiek (J2, Jeugdwet): zwaar." in text
    assert "Binnen de Treeknorm" in text
    assert "Mensen op de wachtlijst 7" in text
    # how to register, in words
    assert "Via de huisarts" in text and "verwijzing" in text
    assert "wijkteam" in text
    # contact
    hrefs = {a.get("href") for a in doc.all("a")}
    assert {"tel:0229123456", "mailto:info@alfa.example", "https://alfa.example"} <= hrefs
    assert "Kerkstraat 1, 1621 AB Hoorn" in text
    assert f"/api/v1/providers/{ALFA}" in hrefs


def test_provider_page_history_charts_have_text_alternatives(page_client: Client) -> None:
    r = page_client.get("/aanbieders/alfa-jeugdhulp")
    doc = Html(r.text)
    svgs = doc.all("svg")
    assert len(svgs) == 4  # waiting time + three outcome indicators
    titles = set(re.findall(r'<title id="([^"]+)">', r.text))
    for svg in svgs:
        assert svg["role"] == "img"
        assert svg["aria-labelledby"] in titles
    assert "<polyline" in r.text
    tables = doc.all("table")
    assert len(tables) == 2
    assert len(doc.all("caption")) == 2
    assert all(th.get("scope") in ("col", "row") for th in doc.all("th"))
    text = doc.plain
    assert weeks_ago(12).year and "Gemiddelde regio" in text
    assert "Doelen bereikt" in text and "76% (regio" in text
    assert "Doorgetrokken lijn: deze aanbieder" in text  # the line style is explained


def test_provider_page_marks_stale_waiting_time_and_small_n(page_client: Client) -> None:
    doc = page(page_client, "/aanbieders/bravo-wmo-begeleiding")
    text = doc.plain
    assert "Verouderd." in text and "meer dan 6 weken geleden" in text
    assert "Boven de Treeknorm" in text
    assert "te weinig waarnemingen" in text
    assert "91%" not in text and "93%" not in text  # no precise percentage for n=12
    assert "Vanaf 18 jaar" in text
    assert "Heel de regio Westfriesland" in text


def test_provider_without_measurements(page_client: Client) -> None:
    text = page(page_client, "/aanbieders/charlie-inloop").plain
    assert "nog geen wachttijd bekend" in text
    assert "nog geen resultaten bekend" in text
    assert "zelf aanmelden" in text


def test_unknown_provider_page_is_a_dutch_404(page_client: Client) -> None:
    doc = page(page_client, "/aanbieders/bestaat-niet", status=404)
    assert "Deze aanbieder staat niet (meer) in de etalage" in doc.plain


# ---------------------------------------------------------------------------- demo banner


def test_demo_banner_when_any_provider_is_demo(sqlite_engine: Engine, app_for: Any) -> None:
    fill_catalogue(sqlite_engine)
    with Session(sqlite_engine) as s:
        make_provider(s, kvk="00990001", name="Verzonnen Zorg", wet=("wmo",), is_demo=True)
        s.commit()
    with TestClient(app_for(sqlite_engine)) as c:
        for url in ("/", "/aanbieders?wet=jeugdwet", "/aanbieders/alfa-jeugdhulp"):
            assert "Let op: dit zijn demogegevens." in Html(c.get(url).text).plain, url
        assert "Demo: verzonnen aanbieder" in c.get("/aanbieders/verzonnen-zorg").text
        assert c.get("/api/v1/providers/00990001").json()["demo"] is True


# ---------------------------------------------------------------------------- errors


def test_unknown_page_is_a_dutch_404(page_client: Client) -> None:
    doc = page(page_client, "/bestaat/niet", status=404)
    assert "Pagina niet gevonden" in doc.plain
    assert '<html lang="nl">' in page_client.get("/bestaat/niet").text


def test_crashes_and_framework_errors_are_dutch(sqlite_engine: Engine, app_for: Any) -> None:
    app = app_for(sqlite_engine)

    @get("/kapot", sync_to_thread=False)
    def broken_page() -> str:
        raise RuntimeError("geheime details")

    @get("/api/v1/kapot", sync_to_thread=False)
    def broken_api() -> str:
        raise RuntimeError("geheime details")

    @get("/api/v1/getal", sync_to_thread=False)
    def typed_api(n: FromQuery[int]) -> int:
        return n

    app.register(broken_page)
    app.register(broken_api)
    app.register(typed_api)
    with TestClient(app, raise_server_exceptions=False) as c:
        # Litestar's own parsing errors come out as Dutch 400s naming the parameter too
        r = c.get("/api/v1/getal?n=abc")
        assert r.status_code == 400
        assert r.json() == {
            "detail": "De parameter 'n' heeft een ongeldige waarde.",
            "parameter": "n",
        }
        r = c.get("/kapot")
        assert r.status_code == 500
        assert "Er ging iets mis" in r.text and "geheime" not in r.text
        assert r.headers["content-type"].startswith("text/html")
        r = c.get("/api/v1/kapot")
        assert r.status_code == 500
        assert r.json()["detail"].startswith("Er ging bij ons iets mis")
        assert "geheime" not in r.text


# ---------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "url",
    ["/", "/aanbieders", "/api/v1/providers", "/static/css/etalage.css", "/nope", "/api/schema"],
)
def test_security_headers_on_every_response(page_client: Client, url: str) -> None:
    r = page_client.get(url)
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "url", ["/", "/aanbieders", "/api/v1/providers", "/static/css/etalage.css"]
)
def test_responses_are_gzipped(page_client: Client, url: str) -> None:
    r = page_client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in r.headers["vary"]
    # httpx decoded it; the body on the wire is smaller than the page
    assert len(gzip.compress(r.content)) < len(r.content)
