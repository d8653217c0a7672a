"""Browser fixtures: a real `etalage serve` with the demo data, driven by headless Chromium.

- `live_server`: migrates a temporary SQLite database, loads the demo data and starts
  `etalage serve` on a free port, all as subprocesses, exactly as a person would.
- `browser` / `page`: Playwright (sync API) on Debian's /usr/bin/chromium.
- `page_events`: what the page logged: console errors, uncaught errors, failed requests
  and requests to any host other than the live server.
- `axe`: runs axe-core (node_modules/axe-core, installed by `npm ci`) on the page.

Under CI=true a missing Chromium or axe-core is a failure (`require()`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browsing import Axe, PageEvents
from support import free_port, require

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
_SERVER_LOGS: list[Path] = []  # shown with a failing browser test


# ---------------------------------------------------------------------------- live server


def _etalage(*args: str) -> list[str]:
    return [sys.executable, "-m", "etalage.cli", *args]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


# base URL of a live server -> its database URL (for tests that add users to it)
LIVE_DATABASES: dict[str, str] = {}


@pytest.fixture(scope="session")
def live_database(live_server: str) -> str:
    """The database URL of the shared `live_server`."""
    return LIVE_DATABASES[live_server]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `etalage serve` on a fresh SQLite database with the demo data."""
    workdir = tmp_path_factory.mktemp("live-server")
    env = {
        **os.environ,
        "ETALAGE_DATABASE_URL": f"sqlite:///{workdir / 'etalage.db'}",
        "ETALAGE_VAR_DIR": str(workdir / "var"),
        "ETALAGE_SECRET_KEY": "browser-tests-only-not-a-secret",
    }
    for name in ("ETALAGE_MEILISEARCH_URL", "ETALAGE_MEILISEARCH_KEY", "ETALAGE_REGION"):
        env.pop(name, None)

    # Run from a folder outside the repository: the app must not depend on the cwd.
    for step in (("db", "upgrade"), ("demo", "load")):
        done = subprocess.run(
            _etalage(*step), env=env, cwd=workdir, capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0:
            pytest.fail(
                f"`etalage {' '.join(step)}` failed with exit code {done.returncode}:\n"
                f"{done.stdout}\n{done.stderr}"
            )

    port = free_port()
    log_path = workdir / "serve.log"
    _SERVER_LOGS.append(log_path)
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            _etalage("serve", "--host", "127.0.0.1", "--port", str(port)),
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while not _port_open(port):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"`etalage serve` did not start listening on port {port} "
                        f"(exit code {server.poll()}); its log:\n{log_path.read_text()}"
                    )
                time.sleep(0.05)
            base = f"http://127.0.0.1:{port}"
            LIVE_DATABASES[base] = env["ETALAGE_DATABASE_URL"]
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# ---------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require(CHROMIUM.exists(), "Chromium at /usr/bin/chromium (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        require(False, "the Python package playwright (make venv)")
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page in its own context (Dutch locale); screenshot kept when a test fails."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        if request.node.stash.get(_CALL_FAILED, False):
            ARTIFACTS.mkdir(exist_ok=True)
            name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.nodeid)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as exc:  # a screenshot must not hide the real failure
                print(f"screenshot failed: {exc}")
            for log in _SERVER_LOGS:
                tail = log.read_text(errors="replace").splitlines()[-60:]
                print(f"--- last lines of {log}:", *tail, sep="\n")
        context.close()


@pytest.fixture
def page_events(page: Any, live_server: str) -> PageEvents:
    events = PageEvents(origin=live_server)
    server = urlsplit(live_server)

    def on_request(req: Any) -> None:
        parts = urlsplit(req.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != server.netloc:
            events.foreign_requests.append(req.url)

    def on_response(resp: Any) -> None:
        if resp.status >= 400:
            events.failed_requests.append(f"{resp.status} {resp.url}")

    def on_request_failed(req: Any) -> None:
        # An aborted request is one htmx (or a navigation) replaced by a newer one.
        if req.failure != "net::ERR_ABORTED":
            events.failed_requests.append(f"{req.failure} {req.url}")

    page.on("console", lambda m: m.type == "error" and events.console_errors.append(m.text))
    page.on("pageerror", lambda exc: events.page_errors.append(str(exc)))
    page.on("requestfailed", on_request_failed)
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("load", lambda p: events.full_loads.append(p.url))
    return events


# ---------------------------------------------------------------------------- axe-core


@pytest.fixture(scope="session")
def axe() -> Axe:
    require(AXE_JS.exists(), "axe-core in node_modules/ (run `npm ci`)")
    return Axe(AXE_JS.read_text(encoding="utf-8"))
