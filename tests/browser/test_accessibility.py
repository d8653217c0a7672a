"""axe-core finds no WCAG 2.1 A/AA violations on the pages a visitor sees."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Axe, api, municipality_that_filters

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("path", ["/", "/aanbieders", "/toegankelijkheid"])
def test_page_has_no_axe_violations(page: Any, axe: Axe, live_server: str, path: str) -> None:
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200
    axe.assert_clean(page)


def test_filtered_catalogue_has_no_axe_violations(page: Any, axe: Axe, live_server: str) -> None:
    page.goto(live_server + "/aanbieders")
    code, _ = municipality_that_filters(page, live_server)
    response = page.goto(f"{live_server}/aanbieders?gemeente={code}")
    assert response is not None and response.status == 200
    axe.assert_clean(page)


def test_catalogue_after_an_htmx_update_has_no_axe_violations(
    page: Any, axe: Axe, live_server: str
) -> None:
    page.goto(live_server + "/aanbieders")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    code, expected = municipality_that_filters(page, live_server)
    form = page.locator("form:has([name=gemeente])").first
    form.locator("[name=gemeente]").select_option(code)
    submit = form.locator("button[type=submit], input[type=submit]")
    if submit.count():
        submit.first.click()
    page.wait_for_selector(f"a[href$='/aanbieders/{expected['results'][0]['slug']}']")
    page.wait_for_load_state("networkidle")
    axe.assert_clean(page)


def _provider(providers: list[dict[str, Any]], with_figures: bool) -> dict[str, Any]:
    """A provider with waiting times and KPIs (charts on its page), or one with neither."""
    for provider in providers:
        has_figures = provider["wachttijd"] is not None and provider["kpi"] is not None
        has_none = provider["wachttijd"] is None and provider["kpi"] is None
        if (with_figures and has_figures) or (not with_figures and has_none):
            return provider
    return providers[0]


@pytest.mark.parametrize("with_figures", [True, False], ids=["with-figures", "without-figures"])
def test_provider_page_has_no_axe_violations(
    page: Any, axe: Axe, live_server: str, with_figures: bool
) -> None:
    page.goto(live_server + "/")
    providers = api(page, live_server, "/api/v1/providers?per_page=100")["results"]
    provider = _provider(providers, with_figures)
    response = page.goto(f"{live_server}/aanbieders/{provider['slug']}")
    assert response is not None and response.status == 200
    axe.assert_clean(page)
