"""Helpers shared by the browser tests: API look-ups, page events, axe-core (no fixtures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # WCAG 2.2 AA


def api(page: Any, base: str, path: str) -> dict[str, Any]:
    """GET a JSON API URL through the page's context and return the parsed body."""
    response = page.request.get(base + path)
    assert response.ok, f"GET {path}: {response.status} {response.text()[:300]}"
    body: dict[str, Any] = response.json()
    return body


def municipality_that_filters(page: Any, base: str) -> tuple[str, dict[str, Any]]:
    """A municipality code whose filter keeps some, but not all, demo providers.

    Taken from the catalogue form's `gemeente` options and checked against the API, so
    the test does not depend on which fictional providers the demo happens to have.
    """
    everything = api(page, base, "/api/v1/providers?per_page=1")["total"]
    assert everything > 0, "the demo data has no providers"
    codes = page.eval_on_selector_all(
        "form [name=gemeente] option, form input[name=gemeente]",
        "els => els.map(e => e.value).filter(v => v)",
    )
    assert codes, "the catalogue form has no municipality choices (name=gemeente)"
    for code in codes:
        result = api(page, base, f"/api/v1/providers?gemeente={code}")
        if 0 < result["total"] < everything:
            return code, result
    raise AssertionError(f"no municipality in {codes} filters the {everything} demo providers")


def result_slugs(page: Any, region: str) -> list[str]:
    """Slugs of the provider links inside the results region, in page order."""
    hrefs = page.eval_on_selector_all(
        f"{region} a[href*='/aanbieders/']", "els => els.map(e => e.getAttribute('href'))"
    )
    slugs = []
    for href in hrefs:
        path = urlsplit(href).path.rstrip("/")
        slug = path.rsplit("/", 1)[-1]
        if path.startswith("/aanbieders/") and slug not in slugs:
            slugs.append(slug)
    return slugs


@dataclass
class PageEvents:
    """What happened in the page while a test ran."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    full_loads: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        # A request cancelled by a newer one (hx-sync="this:replace") is how the search
        # form is meant to work; htmx logs the abort, and the aborted request's
        # afterRequest, as console errors. Those two are not problems; anything else is.
        errors = list(self.console_errors)
        for _ in range(sum(m.startswith("htmx:sendAbort") for m in errors)):
            errors.remove(next(m for m in errors if m.startswith("htmx:sendAbort")))
            after = next((m for m in errors if m.startswith("htmx:afterRequest")), None)
            if after is not None:
                errors.remove(after)
        return [
            *(f"console error: {m}" for m in errors),
            *(f"uncaught error: {m}" for m in self.page_errors),
            *(f"failed request: {m}" for m in self.failed_requests),
            *(f"request to another host: {m}" for m in self.foreign_requests),
        ]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe-core violation(s):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(" >>> ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            if node.get("summary"):
                lines.extend(f"      {s}" for s in node["summary"].splitlines())
    return "\n".join(lines)


class Axe:
    """Runs axe-core in a page with the WCAG 2.1 A and AA rules."""

    def __init__(self, source: str) -> None:
        self._source = source

    def run(self, page: Any) -> list[dict[str, Any]]:
        # Evaluated over the DevTools protocol, so a Content-Security-Policy cannot block it.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self._source)
        result: list[dict[str, Any]] = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map((n) => ({
                        target: n.target, html: n.html, summary: n.failureSummary || '',
                    })),
                }));
            }""",
            AXE_TAGS,
        )
        return result

    def assert_clean(self, page: Any) -> None:
        violations = self.run(page)
        assert not violations, f"{page.url}\n{format_violations(violations)}"
