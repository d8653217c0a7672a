"""End to end in headless Chromium: home -> catalogue -> htmx filter -> provider page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import PageEvents, api, municipality_that_filters, result_slugs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RESULTS = "#resultaten"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_browse_filter_with_htmx_and_open_a_provider(
    page: Any, page_events: PageEvents, live_server: str
) -> None:
    # Home, then follow the link to the catalogue like a visitor would.
    response = page.goto(live_server + "/")
    assert response is not None and response.status == 200
    assert page.get_attribute("html", "lang") == "nl"
    page.locator("main a[href='/aanbieders'], nav a[href='/aanbieders']").first.click()
    page.wait_for_url(re.compile(r"/aanbieders$"))
    page.wait_for_function("() => typeof window.htmx === 'object'")

    code, expected = municipality_that_filters(page, live_server)
    loads_before = len(page_events.full_loads)
    page.evaluate("() => { window.__noFullLoad = 'still here'; }")

    # Filter by municipality with the form; htmx swaps the results in place.
    form = page.locator("form:has([name=gemeente])").first
    form.locator("[name=gemeente]").select_option(code)
    submit = form.locator("button[type=submit], input[type=submit]")
    if submit.count():
        submit.first.click()
    page.wait_for_url(lambda url: _query(url).get("gemeente") == [code])
    wanted = [r["slug"] for r in expected["results"]]
    page.wait_for_function(
        """([selector, first]) => {
            const region = document.querySelector(selector);
            return region && region.querySelector(`a[href$="/aanbieders/${first}"]`);
        }""",
        arg=[RESULTS, wanted[0]],
    )

    assert page.evaluate("() => window.__noFullLoad") == "still here", (
        "filtering reloaded the whole page instead of swapping the results with htmx"
    )
    assert len(page_events.full_loads) == loads_before, page_events.full_loads
    # Only the short status is a live region, not the list.
    assert page.locator(f"{RESULTS}[aria-live], [aria-live] {RESULTS}").count() == 0
    assert page.locator("#telling[role=status]").count() == 1
    assert result_slugs(page, RESULTS) == wanted, "the results differ from the API's answer"
    assert str(expected["total"]) in page.locator("#telling").inner_text()

    # Open the first provider; its page is headed by its name.
    first = expected["results"][0]
    page.locator(f"{RESULTS} a[href$='/aanbieders/{first['slug']}']").first.click()
    page.wait_for_url(re.compile(rf"/aanbieders/{re.escape(first['slug'])}$"))
    assert page.locator("h1").inner_text().strip() == first["naam"]
    detail = api(page, live_server, f"/api/v1/providers/{first['kvk']}")
    assert detail["naam"] == first["naam"]

    # Back: the filtered catalogue again, with the same results.
    page.go_back()
    page.wait_for_url(lambda url: _query(url).get("gemeente") == [code])
    page.wait_for_selector(f"{RESULTS} a[href$='/aanbieders/{first['slug']}']")
    assert result_slugs(page, RESULTS) == wanted

    assert not page_events.problems(), "\n".join(page_events.problems())


def test_filter_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(live_server + "/aanbieders")
        code, expected = municipality_that_filters(page, live_server)
        form = page.locator("form:has([name=gemeente])").first
        form.locator("[name=gemeente]").select_option(code)
        form.locator("button[type=submit], input[type=submit]").first.click()
        page.wait_for_url(lambda url: _query(url).get("gemeente") == [code])
        assert result_slugs(page, RESULTS) == [r["slug"] for r in expected["results"]]
    finally:
        context.close()


def test_unknown_provider_gives_a_dutch_404_page(page: Any, live_server: str) -> None:
    response = page.goto(live_server + "/aanbieders/bestaat-niet-xyz")
    assert response is not None and response.status == 404
    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("h1").count() == 1
