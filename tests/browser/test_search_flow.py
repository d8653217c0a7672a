"""Search in headless Chromium on the demo data: search-as-you-type with htmx, the
address bar and the back button, filter counts, "did you mean", the zero-results page,
the form without JavaScript, and axe-core on every state."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browsing import Axe, PageEvents, api, result_slugs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RESULTS = "#resultaten"
SECTION = ".etalage-search__results"  # the status line (#telling) and the list


def _q(url: str) -> list[str] | None:
    return parse_qs(urlsplit(url).query).get("q")


def _open_catalogue(page: Any, base: str) -> None:
    response = page.goto(base + "/aanbieders")
    assert response is not None and response.status == 200
    page.wait_for_function("() => typeof window.htmx === 'object'")


def _wait_for_results(page: Any, slugs: list[str]) -> None:
    page.wait_for_function(
        """([selector, slugs]) => {
            const region = document.querySelector(selector);
            if (!region) return false;
            const found = [...region.querySelectorAll("a[href^='/aanbieders/']")]
                .map((a) => a.getAttribute("href").split("/").pop());
            return JSON.stringify([...new Set(found)]) === JSON.stringify(slugs);
        }""",
        arg=[RESULTS, slugs],
    )


# "One history step for the whole word" holds while keys come faster than the 300 ms
# debounce: a wall-clock promise, so it runs with the timing tests on an idle machine.
@pytest.mark.timing
def test_search_as_you_type_updates_results_address_and_back_button(
    page: Any, page_events: PageEvents, live_server: str
) -> None:
    _open_catalogue(page, live_server)
    everything = api(page, live_server, "/api/v1/providers")
    expected = api(page, live_server, "/api/v1/providers?q=autsime")
    wanted = [r["slug"] for r in expected["results"]]
    assert 0 < expected["total"] < everything["total"]
    page.evaluate("() => { window.__noFullLoad = 'still here'; }")
    loads = len(page_events.full_loads)
    steps = page.evaluate("() => history.length")

    page.locator("#f-q").press_sequentially("autsime", delay=40)
    page.wait_for_url(lambda url: _q(url) == ["autsime"])
    _wait_for_results(page, wanted)

    region = page.locator(SECTION)
    assert f"{expected['total']} aanbieders gevonden" in region.inner_text()
    assert "We zochten op ‘autisme’" in region.inner_text()  # the typo was read as autisme
    assert region.locator("mark").count() > 0  # the matches are marked
    assert page.evaluate("() => window.__noFullLoad") == "still here", "the page was reloaded"
    assert len(page_events.full_loads) == loads
    assert page.evaluate("() => document.activeElement.id") == "f-q", "typing lost focus"
    # one debounced request for the whole word: one step in the history
    assert page.evaluate("() => history.length") == steps + 1

    # Back: the list without search text, and the search box empty again.
    page.go_back()
    page.wait_for_url(lambda url: _q(url) is None)
    _wait_for_results(page, [r["slug"] for r in everything["results"]])
    assert page.locator("#f-q").input_value() == ""
    assert f"{everything['total']} aanbieders gevonden" in page.locator(SECTION).inner_text()

    # Forward: the search again, with its text in the box.
    page.go_forward()
    page.wait_for_url(lambda url: _q(url) == ["autsime"])
    _wait_for_results(page, wanted)
    assert page.locator("#f-q").input_value() == "autsime"
    assert not page_events.problems(), "\n".join(page_events.problems())


def test_filter_counts_follow_the_search_text(
    page: Any, page_events: PageEvents, live_server: str
) -> None:
    _open_catalogue(page, live_server)
    facets = api(page, live_server, "/api/v1/providers?q=dementie")["facets"]["gemeente"]
    page.locator("#f-q").fill("dementie")
    page.wait_for_url(lambda url: _q(url) == ["dementie"])
    option = page.locator("#o-gemeente-enkhuizen")
    expected = f"Enkhuizen ({facets.get('enkhuizen', 0)})"
    page.wait_for_function(
        "([id, text]) => document.getElementById(id).textContent === text",
        arg=["o-gemeente-enkhuizen", expected],
    )
    # choosing the option keeps the text and narrows the results, without a reload
    page.locator("#f-gemeente").select_option("enkhuizen")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("gemeente") == ["enkhuizen"])
    narrowed = api(page, live_server, "/api/v1/providers?q=dementie&gemeente=enkhuizen")
    _wait_for_results(page, [r["slug"] for r in narrowed["results"]])
    assert option.evaluate("o => o.selected") is True
    assert page.locator("#f-q").input_value() == "dementie"
    assert not page_events.problems(), "\n".join(page_events.problems())


def test_did_you_mean_and_the_zero_results_page(
    page: Any, page_events: PageEvents, live_server: str
) -> None:
    _open_catalogue(page, live_server)
    page.locator("#f-q").fill("dmntie")
    page.wait_for_url(lambda url: _q(url) == ["dmntie"])
    suggestion = page.locator(f"{RESULTS} .etalage-suggestion a")
    suggestion.wait_for()
    region = page.locator(SECTION).inner_text()
    assert "Geen aanbieders gevonden" in region
    assert "Bedoelde u dementie?" in region
    assert page.locator(f"{RESULTS} a[href='/assistent']").count() == 1
    # Clicked while the box still has focus: leaving the box must not start another
    # search that swaps the link away under the click.
    suggestion.click()
    page.wait_for_url(lambda url: _q(url) == ["dementie"])
    expected = api(page, live_server, "/api/v1/providers?q=dementie")
    _wait_for_results(page, [r["slug"] for r in expected["results"]])
    assert page.locator("#f-q").input_value() == "dementie"

    # Too many filters: each way to widen the search is a link that finds something.
    page.goto(live_server + "/aanbieders?" + urlencode({"q": "dementie", "leeftijd": "8"}))
    widen = page.locator(f"{RESULTS} .etalage-empty a", has_text="Zoek zonder")
    assert widen.count() >= 1
    widen.first.click()
    page.wait_for_load_state()
    assert "aanbieders gevonden" in page.locator(SECTION).inner_text()
    assert not page_events.problems(), "\n".join(page_events.problems())


def test_search_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(live_server + "/aanbieders")
        page.locator("#f-q").fill("autsime 12 jaar hoorn")
        page.locator("form#zoekformulier button[type=submit]").first.click()
        page.wait_for_url(lambda url: _q(url) == ["autsime 12 jaar hoorn"])
        expected = api(page, live_server, "/api/v1/providers?q=autsime%2012%20jaar%20hoorn")
        assert result_slugs(page, RESULTS) == [r["slug"] for r in expected["results"]]
        assert re.search(
            r"We zochten op ‘autisme’, leeftijd 12 jaar, gemeente Hoorn\.",
            page.locator(SECTION).inner_text(),
        )
    finally:
        context.close()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "autsime 12 jaar hoorn"},  # results with marks and the "we zochten op" line
        {"q": "dmntie"},  # nothing found, with "did you mean"
        {"q": "dementie", "leeftijd": "8", "gemeente": "hoorn"},  # widen the search
    ],
    ids=["results", "did-you-mean", "zero-results"],
)
def test_search_states_have_no_axe_violations(
    page: Any, axe: Axe, live_server: str, query: dict[str, str]
) -> None:
    response = page.goto(f"{live_server}/aanbieders?{urlencode(query)}")
    assert response is not None and response.status == 200
    axe.assert_clean(page)


def test_results_after_typing_have_no_axe_violations(page: Any, axe: Axe, live_server: str) -> None:
    _open_catalogue(page, live_server)
    page.locator("#f-q").fill("hersenletsel")
    page.wait_for_url(lambda url: _q(url) == ["hersenletsel"])
    page.locator(f"{RESULTS} mark").first.wait_for()
    page.wait_for_load_state("networkidle")
    axe.assert_clean(page)
    page.locator("#f-q").fill("xqzwv")
    page.wait_for_url(lambda url: _q(url) == ["xqzwv"])
    page.locator(f"{RESULTS} .etalage-empty").wait_for()
    page.wait_for_load_state("networkidle")
    axe.assert_clean(page)
