"""Plain helpers shared by the test packages (importable as `support`).

Under CI=true a missing component (PostgreSQL binaries, Chromium, Meilisearch,
axe-core) is a failure, never a skip: `require()` decides.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from etalage.provider import KpiPoint, Location, ProviderRecord, WaitingPoint

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


def until(check: Any, timeout: float, what: str, interval: float = 0.05) -> float:
    """Wait until `check()` is true; the seconds it took (fails after `timeout`)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, f"{what}: not within {timeout} s"
        time.sleep(interval)
    return time.monotonic() - start


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


def provider_record(
    kvk: str,
    naam: str,
    *,
    slug: str | None = None,
    wetten: Iterable[str] = (),
    segmenten: Iterable[str] = (),
    arrangementen: Iterable[tuple[str, str]] = (),
    expertise: Iterable[str] = (),
    werkgebied: Iterable[str] = (),
    serves_region: bool = False,
    gemeente: str | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    wait_weeks: int | None = None,
    wait_peildatum: date | None = None,
    lat: float | None = None,
    lon: float | None = None,
    quality: float | None = None,
) -> ProviderRecord:
    """A provider record from the flat facts the assistant's tests speak of: a total
    waiting time on a date, a place, and a quality score (made from a KPI point whose
    three indicators all give that score, on plenty of trajectories)."""
    assert wait_weeks is None or wait_peildatum is not None, "a waiting time has a date"
    located = gemeente is not None or lat is not None or lon is not None
    return ProviderRecord(
        kvk=kvk,
        slug=slug or naam.lower().replace(" ", "-"),
        name=naam,
        laws=tuple(sorted(set(wetten))),
        segments=tuple(sorted(set(segmenten))),
        arrangements=tuple(sorted(set(arrangementen))),
        expertise=tuple(sorted(set(expertise))),
        service_area=tuple(sorted(set(werkgebied))),
        serves_region=serves_region,
        age_min=age_min,
        age_max=age_max,
        locations=(Location(municipality=gemeente, lat=lat, lon=lon),) if located else (),
        waiting_times=(WaitingPoint(wait_peildatum, registration_weeks=wait_weeks),)
        if wait_weeks is not None and wait_peildatum is not None
        else (),
        kpis=(
            KpiPoint(
                "2025",
                n=1000,
                dropout_pct=100.0 - quality,
                goal_attainment_pct=quality,
                satisfaction_pct=quality,
            ),
        )
        if quality is not None
        else (),
    )


_FACT_FIELDS = {
    "naam": "name",
    "omschrijving": "description",
    "telefoon": "phone",
    "wetten": "laws",
    "segmenten": "segments",
    "arrangementen": "arrangements",
    "talen": "languages",
    "aanmelding": "registration_routes",
    "werkgebied": "service_area",
    "leeftijd_min": "age_min",
    "leeftijd_max": "age_max",
}


def record_of(**facts: Any) -> ProviderRecord:
    """A provider record from the Dutch names of the import columns (`naam`, `wetten`,
    `werkgebied` ...), the way the search tests write their providers; `waiting_time`
    and `kpi` are the latest points."""
    fields: dict[str, Any] = {"slug": facts.get("slug") or facts["kvk"]}
    for key, value in facts.items():
        if key == "waiting_time":
            fields["waiting_times"] = () if value is None else (value,)
        elif key == "kpi":
            fields["kpis"] = () if value is None else (value,)
        else:
            name = _FACT_FIELDS.get(key, key)
            fields[name] = tuple(value) if isinstance(value, list | set | tuple) else value
    return ProviderRecord(**fields)


def cli_commands() -> dict[tuple[str, ...], Any]:
    """Every runnable (leaf) command of the `etalage` click group, by its path of names."""
    import click

    from etalage.cli import main

    found: dict[tuple[str, ...], click.Command] = {}

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found[path] = command

    walk(main, ())
    return found
