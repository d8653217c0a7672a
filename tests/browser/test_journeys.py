"""Issue 10: the three main users' journeys, as people see them in Chromium.

- a GP scans results (five rows on a laptop screen, two on a phone), finds the shortest
  waiting time for "autisme 10 jaar hoorn" and how to refer in three actions, with the
  answer on the first screen of the provider page;
- a toegang worker compares four providers side by side and prints a provider page on
  one A4 page;
- nothing sticks out of the viewport at 320, 390 and 1366 px on any page, and axe finds
  no WCAG 2.2 AA violations in these states.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus

import pytest
from browsing import Axe, api

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GP_QUERY = "autisme 10 jaar hoorn"
ROWS = "#resultaten .etalage-results > li"

# Every element inside the viewport's width (a table or a long word would stick out).
_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const e of document.querySelectorAll('body *')) {
        // Inside a box that scrolls by itself (a wide table) is not the page overflowing.
        const scroller = e.parentElement && e.parentElement.closest('.etalage-table-scroll');
        if (scroller) continue;
        const box = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        if (style.position === 'absolute' && box.width <= 1) continue;  // visually hidden
        if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
            wide.push(`${e.tagName.toLowerCase()}.${e.className}: ${Math.round(box.left)}..`
                      + `${Math.round(box.right)} "${(e.textContent || '').trim().slice(0, 30)}"`);
        }
    }
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def _context(browser: Any, width: int, height: int) -> Any:
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    return context


def _rows_in_view(page: Any, height: int) -> int:
    boxes = [r.bounding_box() for r in page.query_selector_all(ROWS)]
    return sum(1 for b in boxes if b and b["y"] >= 0 and b["y"] + b["height"] <= height)


def _kvks_of_results(base: str, page: Any, query: str, n: int) -> list[str]:
    found = api(page, base, f"/api/v1/providers?q={quote_plus(query)}&per_page={n}")
    return [r["kvk"] for r in found["results"]]


@pytest.mark.parametrize(("width", "height", "least"), [(1366, 900, 5), (390, 844, 2)])
def test_results_fit_on_the_first_screen(
    browser: Any, axe: Axe, live_server: str, width: int, height: int, least: int
) -> None:
    context = _context(browser, width, height)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/aanbieders?q={quote_plus(GP_QUERY)}")
        page.wait_for_load_state("networkidle")
        assert page.locator(ROWS).count() >= least
        shown = _rows_in_view(page, height)
        assert shown >= least, f"{shown} whole result rows on the first screen at {width}px"
        if width < 600:  # on a phone the filters fold away behind one button
            assert not page.locator("#filterbox").evaluate("d => d.open")
            toggle = page.locator("#filterbox > summary")
            assert "Filters (1 gekozen)" in toggle.inner_text()  # Hoorn, read from the text
            axe.assert_clean(page)  # folded
            toggle.click()
            assert page.locator("#f-gemeente").is_visible()
            axe.assert_clean(page)  # open
        else:
            assert page.locator("#f-gemeente").is_visible()
            # The sort control sits next to the count, above the results.
            sort = page.locator("#f-sort").bounding_box()
            assert sort and sort["y"] < 400
    finally:
        context.close()


def test_gp_finds_the_shortest_wait_and_how_to_refer_in_three_actions(
    browser: Any, live_server: str
) -> None:
    context = _context(browser, 1366, 900)
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        page.fill("#h-q", GP_QUERY)  # 1: the question
        page.click("button[name=sort][value=wachttijd]")  # 2: shortest waiting time first
        page.wait_for_url(re.compile(r"/aanbieders\?.*sort=wachttijd"))
        expected = api(
            page, live_server, f"/api/v1/providers?q={quote_plus(GP_QUERY)}&sort=wachttijd"
        )["results"][0]
        first = page.locator(f"{ROWS} h3 a").first
        assert first.inner_text().strip() == expected["naam"]
        first.click()  # 3: open it
        page.wait_for_url(re.compile(rf"/aanbieders/{re.escape(expected['slug'])}$"))
        page.wait_for_load_state("networkidle")
        for heading in ("#aanmelden-kop", "#contact-kop"):
            box = page.locator(heading).bounding_box()
            assert box and box["y"] + box["height"] <= 900, f"{heading} below the first screen"
        gp = page.locator(".etalage-refer__way").first.inner_text()
        assert "Huisarts" in gp and "Verwijs" in gp
    finally:
        context.close()


def test_provider_page_prints_on_one_a4_page_with_contact_and_registration(
    page: Any, live_server: str
) -> None:
    kvk = _kvks_of_results(live_server, page, GP_QUERY, 1)[0]
    slug = api(page, live_server, f"/api/v1/providers/{kvk}")["slug"]
    page.goto(f"{live_server}/aanbieders/{slug}")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    for visible in ("#aanmelden-kop", "#contact-kop", ".etalage-print-only"):
        assert page.locator(visible).first.is_visible(), visible
    for hidden in (".etalage-nav", ".utrecht-skip-link", ".etalage-breadcrumb", "button"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert slug in page.locator(".etalage-print-only").inner_text()
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the provider page prints on {pages} A4 pages"


def test_compare_four_providers_side_by_side(browser: Any, axe: Axe, live_server: str) -> None:
    context = _context(browser, 1366, 900)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/aanbieders?q={quote_plus(GP_QUERY)}")
        page.wait_for_function("() => typeof window.htmx === 'object'")
        boxes = page.locator(f"{ROWS} input[type=checkbox][name=kvk]")
        assert boxes.count() >= 5
        for n in range(4):
            boxes.nth(n).check()
        assert boxes.nth(4).is_disabled(), "a fifth provider cannot be chosen"
        assert "Vergelijk (4)" in page.locator("#vergelijk-knop").inner_text()
        page.click("#vergelijk-knop")
        page.wait_for_url(re.compile(r"/aanbieders/vergelijk\?"))
        items = page.locator(".etalage-compare__item")
        assert items.count() == 4
        tops = {round(items.nth(n).bounding_box()["y"]) for n in range(4)}
        assert len(tops) == 1, "the four providers stand side by side"
        labels = page.eval_on_selector_all(
            ".etalage-compare dt", "els => els.map(e => e.textContent.trim())"
        )
        for label in ("Wachttijd", "Wachtlijst", "Resultaten", "Talen", "Afstand", "Aanmelden"):
            assert labels.count(label) == 4, label
        # The rows line up: each fact starts at the same height in every column.
        for fact in range(1, 4):
            ys = {
                round(
                    items.nth(n)
                    .locator(".etalage-compare__facts > div")
                    .nth(fact)
                    .bounding_box()["y"]
                )
                for n in range(4)
            }
            assert len(ys) == 1, f"fact {fact} is not lined up: {ys}"
        axe.assert_clean(page)
        # With a postcode the distance is shown.
        page.fill("#v-postcode", "1621")
        page.click("button:has-text('Toon afstand')")
        page.wait_for_url(re.compile(r"postcode=1621"))
        assert " km" in page.locator(".etalage-compare").inner_text()
    finally:
        context.close()


def test_compare_refuses_more_than_four_in_dutch(page: Any, live_server: str) -> None:
    kvks = _kvks_of_results(live_server, page, GP_QUERY, 5)
    response = page.goto(
        f"{live_server}/aanbieders/vergelijk?" + "&".join(f"kvk={k}" for k in kvks)
    )
    assert response is not None and response.status == 400
    assert "hoogstens 4 aanbieders" in page.locator("[role=alert]").inner_text()


def test_my_list_stays_in_the_browser(browser: Any, axe: Axe, live_server: str) -> None:
    context = _context(browser, 390, 844)
    try:
        page = context.new_page()
        kvk = _kvks_of_results(live_server, page, GP_QUERY, 1)[0]
        slug = api(page, live_server, f"/api/v1/providers/{kvk}")["slug"]
        sent: list[str] = []
        page.on("request", lambda r: sent.append(r.url))
        page.goto(f"{live_server}/aanbieders/{slug}")
        save = page.locator("button[data-bewaar]")
        save.click()
        assert save.get_attribute("aria-pressed") == "true"
        page.goto(live_server + "/mijn-lijst")
        assert page.locator("#mijn-lijst a").count() == 1
        assert "1 aanbieder in uw lijst" in page.locator("#mijn-lijst-status").inner_text()
        axe.assert_clean(page)
        assert not any(kvk in url for url in sent if "/mijn-lijst" in url)
        page.locator("#mijn-lijst button").click()
        assert page.locator("#mijn-lijst a").count() == 0
    finally:
        context.close()


def test_errors_are_shown_at_the_field_and_the_results_stay(
    page: Any, axe: Axe, live_server: str
) -> None:
    page.goto(f"{live_server}/aanbieders?q=autisme")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    before = page.locator("#telling").inner_text()
    page.fill("#f-postcode", "12")
    page.locator("#f-postcode").press("Tab")
    message = page.locator("#f-postcode-fout")
    message.wait_for(state="visible")
    assert "Vul een postcode in zoals 1621 AB" in message.inner_text()
    assert page.locator("#f-postcode").get_attribute("aria-invalid") == "true"
    assert page.locator("#telling").inner_text() == before  # the last good search stays
    assert page.locator(ROWS).count() > 0
    axe.assert_clean(page)
    # "Dichtstbij" without a postcode asks for one.
    page.fill("#f-postcode", "")
    page.locator("#f-postcode").press("Tab")
    page.wait_for_function("() => !document.querySelector('#f-postcode-fout').textContent.trim()")
    page.select_option("#f-sort", "afstand")
    page.locator("#f-sort-fout").wait_for(state="visible")
    assert "Vul uw postcode in" in page.locator("#f-sort-fout").inner_text()
    # A postcode outside the region says so, and what the distance is measured from.
    page.fill("#f-postcode", "1011 AB")
    page.locator("#f-postcode").press("Tab")
    page.wait_for_function(
        "() => document.querySelector('#f-postcode-fout').textContent.includes('buiten de regio')"
    )
    assert "het midden van uw postcodegebied" in page.locator("#f-postcode-fout").inner_text()


def test_a_screen_reader_hears_a_summary_not_the_list(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/aanbieders")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    page.fill("#f-q", GP_QUERY)
    page.wait_for_function(
        "() => document.querySelector('#telling').textContent.includes('autisme')"
    )
    live = page.eval_on_selector_all(
        "[aria-live], [role=status], [role=alert], [role=log]",
        "els => els.map(e => e.textContent.trim()).filter(t => t)",
    )
    assert live and all(len(t) < 200 for t in live), live
    assert re.search(r"\d+ aanbieders gevonden voor autisme, 10 jaar, Hoorn", " ".join(live))


def test_a_place_read_from_the_text_can_be_dropped_in_the_municipality_filter(
    page: Any, live_server: str
) -> None:
    page.goto(f"{live_server}/aanbieders?q={quote_plus(GP_QUERY)}")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    assert page.locator("#f-gemeente").input_value() == "hoorn"
    with_place = int(page.locator("#telling").inner_text().split()[0])
    page.select_option("#f-gemeente", "alle")
    page.wait_for_function(
        "() => !document.querySelector('#telling').textContent.includes('Hoorn')"
    )
    without = int(page.locator("#telling").inner_text().split()[0])
    assert without > with_place
    assert "gemeente=alle" in page.url


def test_home_offers_help_by_theme(page: Any, axe: Axe, live_server: str) -> None:
    page.goto(live_server + "/")
    themes = page.locator(".etalage-themes a")
    assert themes.count() >= 8
    page.locator(".etalage-themes a", has_text="Geldzorgen").click()
    page.wait_for_url(re.compile(r"/hulp/geldzorgen$"))
    assert page.locator("h1").inner_text() == "Geldzorgen en schulden"
    free = page.locator("#vrij-kop + p + ol .etalage-row")
    assert free.count() > 0, "freely accessible help comes first"
    assert page.locator("a[href='/assistent']").count() >= 1
    axe.assert_clean(page)


def test_provider_page_carries_structured_data(page: Any, live_server: str) -> None:
    import json

    kvk = _kvks_of_results(live_server, page, GP_QUERY, 1)[0]
    detail = api(page, live_server, f"/api/v1/providers/{kvk}")
    page.goto(f"{live_server}/aanbieders/{detail['slug']}")
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
    assert data["provider"]["name"] == detail["naam"]
    assert data["provider"]["identifier"]["value"] == kvk
    assert {a["name"] for a in data["areaServed"]}
    assert data["availableChannel"]["@type"] == "ServiceChannel"


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_no_page_sticks_out_of_the_screen(browser: Any, live_server: str, width: int) -> None:
    context = _context(browser, width, 800)
    try:
        page = context.new_page()
        kvks = _kvks_of_results(live_server, page, GP_QUERY, 4)
        slug = api(page, live_server, f"/api/v1/providers/{kvks[0]}")["slug"]
        paths = [
            "/",
            f"/aanbieders?q={quote_plus(GP_QUERY)}",
            "/aanbieders?postcode=12",
            f"/aanbieders/{slug}",
            "/aanbieders/vergelijk?" + "&".join(f"kvk={k}" for k in kvks),
            "/hulp/opvoeden",
            "/mijn-lijst",
            "/toegankelijkheid",
            "/assistent",
        ]
        for path in paths:
            page.goto(live_server + path)
            page.wait_for_load_state("networkidle")
            found = page.evaluate(_OVERFLOW)
            assert found["scroll"] <= found["width"] and not found["wide"], (path, found)
    finally:
        context.close()


def _walk_to_advice(page: Any, live_server: str, text: str) -> None:
    """The hulpvraag, then every question answered: domains, no, a duration, a postcode."""
    page.goto(live_server + "/assistent")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    page.fill("#hw-tekst", text)
    page.click("#hulpwijzer-stap button[type=submit]:has-text('Verstuur')")
    for _ in range(10):
        page.wait_for_function(
            "() => document.querySelector('#advies-kop') || "
            "document.querySelector('#hulpwijzer-stap input[name=vraag]')"
        )
        page.wait_for_load_state("networkidle")
        key = page.evaluate(
            "() => { const e = document.querySelector('#hulpwijzer-stap input[name=vraag]');"
            " return e ? e.value : null; }"
        )
        if key is None:
            return
        if key == "life_domains":
            page.check("#hw-d-ontwikkeling-2")
            page.click("#hulpwijzer-stap button:has-text('Verder')")
        elif key in ("duration", "postcode"):
            page.fill(f"#hw-{key}-vrij", "een paar maanden" if key == "duration" else "1621 AB")
            page.press(f"#hw-{key}-vrij", "Enter")
        else:
            page.click(f"#hw-{key}-1")  # "Nee"
        page.wait_for_function(
            "(key) => { const e = document.querySelector('#hulpwijzer-stap input[name=vraag]');"
            " return !e || e.value !== key; }",
            arg=key,
        )
    raise AssertionError("no advice after ten questions")


def test_the_advice_can_be_copied_printed_and_reopened(
    browser: Any, axe: Axe, live_server: str
) -> None:
    context = browser.new_context(
        locale="nl-NL",
        viewport={"width": 1366, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        text = "Mijn zoon van 10 heeft autisme en loopt vast op school."
        _walk_to_advice(page, live_server, text)
        advice = page.locator("#hw-advies-tekst").input_value()
        assert "Soort hulp:" in advice and "Waarom dit advies:" in advice
        page.click("button[data-kopieer='#hw-advies-tekst']")
        page.wait_for_function(
            "() => document.querySelector('#hw-kopieer-status').textContent.includes('Gekopieerd')"
        )
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == advice, "the copy button's text is the advice"
        axe.assert_clean(page)
        # Print: the advice, without the buttons.
        page.emulate_media(media="print")
        assert page.locator("#advies-kop").is_visible()
        assert not page.locator("button[data-kopieer]").first.is_visible()
        page.emulate_media(media="screen")
        # The link holds the answers, not the words typed, and reopens the same advice.
        href = page.locator("#hw-link").get_attribute("href")
        assert href and href.startswith("/assistent/advies?l=")
        assert "autisme" not in href and "school" not in href
        before = page.locator(".etalage-advice__facts").inner_text()
        providers = page.eval_on_selector_all(
            ".etalage-advice__providers h4 a", "els => els.map(e => e.getAttribute('href'))"
        )
        other = browser.new_context(locale="nl-NL")  # another browser: no cookie
        try:
            reopened = other.new_page()
            response = reopened.goto(live_server + href)
            assert response is not None and response.status == 200
            assert reopened.locator(".etalage-advice__facts").inner_text() == before
            again = reopened.eval_on_selector_all(
                ".etalage-advice__providers h4 a", "els => els.map(e => e.getAttribute('href'))"
            )
            assert again == providers
            assert text not in reopened.content()
            axe.assert_clean(reopened)
            broken = reopened.goto(live_server + href[:-4] + "abcd")
            assert broken is not None and broken.status == 400
            assert "Deze link werkt niet" in reopened.locator("[role=alert]").inner_text()
        finally:
            other.close()
    finally:
        context.close()
