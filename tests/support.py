"""Plain helpers shared by the test packages (importable as `support`).

Under CI=true a missing component (PostgreSQL binaries, Chromium, Meilisearch,
axe-core) is a failure, never a skip: `require()` decides.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, what: str) -> None:
    """Skip locally when a component is missing; fail under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing under CI=true; `make test` should have installed it")
    pytest.skip(f"{what} is not installed (run `make test` to install it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def patient(backend: object) -> None:
    """Let a ResilientBackend wait for a slow Meilisearch instead of falling back.

    For tests about *which* backend answers or *whether* a change arrives, not about
    speed: on a loaded test machine a Meilisearch reply over the 300 ms limit would
    (rightly) switch searches to the embedded fallback.
    """
    backend.slow_ms = 10_000  # type: ignore[attr-defined]
    primary = getattr(backend, "primary", None)
    if primary is not None:
        primary.search_timeout_s = 5.0
