"""The monitor page (`/landschap`) in headless Chromium: no axe violations (WCAG 2.2 AA)
at 390 and 1366 px, every chart an image with a text alternative and a table, and the
page no wider than a 320 px screen (the matrix scrolls in its own focusable box)."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_monitor_has_no_axe_violations(
    page: Any, axe: Axe, live_server: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server + "/landschap")
    assert response is not None and response.status == 200
    for details in page.locator("details").all()[:6]:
        details.evaluate("d => d.open = true")  # the tables behind the charts too
    axe.assert_clean(page)
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 10
    for i in range(charts.count()):
        label = charts.nth(i).get_attribute("aria-labelledby")
        assert label and (page.locator(f"#{label}").text_content() or "").strip()
    assert page.locator("table").count() >= charts.count()


def test_the_monitor_fits_a_small_phone(page: Any, live_server: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server + "/landschap")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, widths
    matrix = page.locator(".etalage-table-scroll").first
    assert matrix.get_attribute("tabindex") == "0"
    cell = page.locator("td.etalage-level--lacune a, td.etalage-level--krap a").first
    href = cell.get_attribute("href")
    assert href and href.startswith("/aanbieders?profiel=")
