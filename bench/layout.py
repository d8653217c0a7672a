"""What a person sees on each screen: results above the fold, page heights, a GP's task.

    python bench/layout.py

Loads the fictional demo set into a fresh SQLite database, starts `etalage serve` on a
free loopback port and opens the pages in headless Chromium (/usr/bin/chromium) at
1366×900 (desktop) and 390×844 (phone). Prints one JSON object with, per screen:

- `results_above_fold`: result rows of the catalogue ("autisme 10 jaar hoorn") that
  are wholly inside the first screen;
- `first_result_y`: where the first result's title starts, in px from the top;
- `catalogue_height`, `provider_height`, `home_height`: full page heights in px;
- `provider_register_y`, `provider_contact_y`: where "Aanmelden" and "Contact" start on
  the provider page of the first result (inside the first screen is what counts);
- `gp_task_actions`: actions from the home page to the registration text of the provider
  with the shortest waiting time for "autisme 10 jaar hoorn" (typing the question is
  one; then "Kortste wachttijd eerst"; then the first result);
- `*_bytes`: what each page transfers (HTML and assets, as served).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_server import demo_server

SCREENS = {"desktop": (1366, 900), "phone": (390, 844)}
QUERY = "autisme 10 jaar hoorn"


def _transferred(page: Any, url: str) -> int:
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body()) if r.ok else 0))
    page.goto(url, wait_until="networkidle")
    return sum(sizes)


def _top(page: Any, selector: str) -> float | None:
    found = page.query_selector(selector)
    if found is None:
        return None
    box = found.bounding_box()
    return None if box is None else round(box["y"] + page.evaluate("window.scrollY"))


def _shot(page: Any, shots: Path | None, name: str) -> None:
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{name}.png"))


def _screen(browser: Any, base: str, width: int, height: int, shots: Path | None) -> dict[str, Any]:
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    page = context.new_page()
    out: dict[str, Any] = {}
    page.goto(base + "/", wait_until="networkidle")
    out["home_height"] = page.evaluate("document.documentElement.scrollHeight")
    _shot(page, shots, f"home-{width}")
    page.goto(base + "/aanbieders?q=" + QUERY.replace(" ", "+"), wait_until="networkidle")
    _shot(page, shots, f"catalogue-{width}")
    rows = page.query_selector_all("#resultaten .etalage-results > li")
    out["results_above_fold"] = sum(
        1 for t in rows if (box := t.bounding_box()) and box["y"] + box["height"] <= height
    )
    out["first_result_y"] = _top(page, "#resultaten .etalage-results > li")
    out["catalogue_height"] = page.evaluate("document.documentElement.scrollHeight")
    first = page.query_selector("#resultaten .etalage-results > li h3 a")
    if first is not None:
        page.goto(base + first.get_attribute("href"), wait_until="networkidle")
        out["provider_height"] = page.evaluate("document.documentElement.scrollHeight")
        _shot(page, shots, f"provider-{width}")
        out["provider_register_y"] = _top(page, "#aanmelden-kop")
        out["provider_contact_y"] = _top(page, "#contact-kop")
    context.close()
    return out


def _gp_task(browser: Any, base: str) -> dict[str, Any]:
    """Home: type the question, press "Kortste wachttijd eerst", open the first provider."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(base + "/", wait_until="networkidle")
    actions = 0
    page.fill("#h-q", QUERY)
    actions += 1  # typing the question
    page.click("button[name=sort][value=wachttijd]")
    actions += 1
    page.wait_for_load_state("networkidle")
    page.click("#resultaten .etalage-results > li h3 a")
    actions += 1
    page.wait_for_load_state("networkidle")
    register = _top(page, "#aanmelden-kop")
    context.close()
    return {
        "gp_task_actions": actions,
        "gp_task_register_on_first_screen": register is not None and register < 900,
    }


def main() -> None:
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, help="keep a screenshot of each page here")
    args = parser.parse_args()

    result: dict[str, Any] = {}
    with demo_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
        )
        for name, (width, height) in SCREENS.items():
            for key, value in _screen(browser, base, width, height, args.screenshots).items():
                result[f"{name}_{key}"] = value
        result.update(_gp_task(browser, base))
        page = browser.new_page()
        result["home_bytes"] = _transferred(page, base + "/")
        result["catalogue_bytes"] = _transferred(page, base + "/aanbieders")
        page.close()
        browser.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
