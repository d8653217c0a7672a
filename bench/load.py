"""Load and soak benchmark of `etalage serve` (issue 14; docs/operations.md#load).

    .venv/bin/python bench/load.py                      # 1 and 2 workers, 60 s at 32 clients
    .venv/bin/python bench/load.py --workers 2 --soak 600   # and a 10-minute soak
    .venv/bin/python bench/load.py --stack production   # PostgreSQL + Meilisearch

Starts the app on the fictional demo data (its own SQLite database in a temporary
folder, or with `--stack production` a throw-away PostgreSQL cluster and the pinned
Meilisearch, all on free loopback ports), waits until `/readyz` says ready, and drives it
with a bounded asyncio client: `--clients` virtual users, each with its own cookies,
one request at a time (paced users arrive spread over one pause, as people do, rather
than all in the same millisecond). A user's next request is drawn from a fixed mix:

- 50 % the catalogue's htmx results fragment (`GET /aanbieders?...` with
  `HX-Request: true`; words, places, ages, filters, sorts and page 2),
- 30 % a provider's page (`GET /aanbieders/{slug}`),
- 20 % a hulpwijzer turn (`POST /assistent`: a hulpvraag typed into the conversation
  the user opened with `GET /assistent`, or starting again).

It prints one JSON object: per run the request count, errors (any status >= 500, any
unexpected 4xx, any transport error), throughput and latency percentiles overall and per
kind, and the server's resident memory (the sum over its processes) before and after.
The soak run (`--soak SECONDS`, at `--soak-clients` paced users, on the last worker
count) samples that memory every `--sample` seconds and reports the curve and its growth
from the first sample after a one-minute warm-up to the last.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from demo_server import free_port  # noqa: E402
from search import Meili  # noqa: E402

QUERIES = [
    "autisme", "dyslexie", "schulden", "dagbesteding", "begeleiding thuis", "jeugd hoorn",
    "gezinscoach", "opvoeding 8 jaar", "dementie", "beschermd wonen", "logopedie",
    "angst 15 jaar", "verslaving", "mantelzorg", "huiselijk geweld", "ADHD", "autsime",
    "wonen enkhuizen", "", "psycholoog", "trauma", "budget", "hulp bij het huishouden",
]  # fmt: skip
FILTERS = [
    {}, {"wet": "jeugdwet"}, {"wet": "wmo"}, {"sort": "wachttijd"}, {"sort": "naam"},
    {"page": "2"}, {"max_wachttijd_weken": "6"}, {"gemeente": "hoorn"}, {"leeftijd": "12"},
]  # fmt: skip
HULPVRAGEN = [
    "Mijn zoon van 12 heeft autisme en loopt vast op school.",
    "Ik ben 82 en kan het huishouden niet meer alleen.",
    "Dochter 15 jr, angstig, gaat niet meer naar school",
    "Wij hebben schulden en de post stapelt zich op.",
    "Mijn moeder heeft dementie en ik zorg voor haar, ik ben op.",
    "Jgd 17 jr, cannabisgebruik, ruzie thuis",
    "Ik zoek dagbesteding voor mijn man na een herseninfarct.",
    "Onze baby huilt veel en wij slapen niet meer.",
]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds * 1000)

    def fail(self, kind: str, what: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.error_examples) < 10:
            self.error_examples.append(f"{kind}: {what}"[:300])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50_ms": _pct(values, 0.50),
        "p95_ms": _pct(values, 0.95),
        "p99_ms": _pct(values, 0.99),
        "max_ms": round(max(values, default=0.0), 1),
        "mean_ms": round(statistics.fmean(values), 1) if values else 0.0,
    }


# ---- the server -------------------------------------------------------------------------


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL is missing: run `make system-deps` first")
    return Path(found[-1]).parent


@contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free loopback port; yields a database URL."""
    bindir = _pg_bin()
    workdir = Path(tempfile.mkdtemp(prefix="etalage-load-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(workdir, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = workdir / "data", free_port()
    subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "etalage", "-A", "trust",
         "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(workdir / "log"), "-w",
         "-o", f"-p {port} -h 127.0.0.1 -k {workdir} -F", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        base = f"postgresql+psycopg://etalage@127.0.0.1:{port}"
        subprocess.run(
            [*run_as, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
             "etalage", "etalage"], check=True, capture_output=True,
        )  # fmt: skip
        yield f"{base}/etalage"
    finally:
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "etalage.cli", *args], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"etalage {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB."""
    children: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class Server:
    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "etalage.cli", "serve", "--port", str(self.port),
             "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = started + 180
        in_a_row = 0  # each worker answers /readyz for itself: ask until all have said so
        while True:
            try:
                ok = httpx.get(self.base + "/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                ok = False
            in_a_row = in_a_row + 1 if ok else 0
            if in_a_row >= 10 * workers:
                break
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise SystemExit("etalage serve did not become ready")
            time.sleep(0.05 if ok else 0.2)
        self.ready_s = round(time.monotonic() - started, 2)

    def rss_mb(self) -> float:
        return round(_tree_rss_kb(self.proc.pid) / 1024, 1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


# ---- the virtual users ------------------------------------------------------------------

_HIDDEN = re.compile(r'name="(_token|gezien)" value="([^"]*)"')


class User:
    def __init__(
        self, base: str, slugs: list[str], tally: Tally, seed: int, think: tuple[float, float]
    ) -> None:
        self.think = think
        self.client = httpx.AsyncClient(base_url=base, timeout=30.0)
        self.slugs = slugs
        self.tally = tally
        self.rng = random.Random(seed)
        self.hidden: dict[str, str] = {}

    async def _timed(
        self, kind: str, method: str, path: str, **kwargs: Any
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.tally.fail(kind, f"{type(exc).__name__}: {exc}")
            return None
        self.tally.add(kind, time.perf_counter() - started)
        if response.status_code >= 400:
            self.tally.fail(kind, f"{response.status_code} {method} {path}")
            return None
        return response

    async def fragment(self) -> None:
        params = {"q": self.rng.choice(QUERIES), **self.rng.choice(FILTERS)}
        await self._timed("fragment", "GET", "/aanbieders", params=params,
                          headers={"HX-Request": "true"})  # fmt: skip

    async def provider(self) -> None:
        await self._timed("provider_page", "GET", f"/aanbieders/{self.rng.choice(self.slugs)}")

    async def turn(self) -> None:
        if not self.hidden or self.rng.random() < 0.3:
            page = await self._timed("hulpwijzer_open", "GET", "/assistent")
            if page is None:
                return
            self.hidden = dict(_HIDDEN.findall(page.text))
            data = {**self.hidden, "actie": "tekst", "tekst": self.rng.choice(HULPVRAGEN)}
        else:
            data = {**self.hidden, "actie": "opnieuw"}
        answer = await self._timed("hulpwijzer_turn", "POST", "/assistent", data=data,
                                   headers={"HX-Request": "true"})  # fmt: skip
        if answer is not None:
            self.hidden = dict(_HIDDEN.findall(answer.text)) or self.hidden

    async def run(self, until: float) -> None:
        try:
            if self.think[1] > 0:  # users arrive spread over one pause, not all at once
                await asyncio.sleep(self.rng.uniform(0, self.think[1]))
            while time.monotonic() < until:
                draw = self.rng.random()
                if draw < 0.5:
                    await self.fragment()
                elif draw < 0.8:
                    await self.provider()
                else:
                    await self.turn()
                if self.think[1] > 0:
                    await asyncio.sleep(self.rng.uniform(*self.think))
        finally:
            await self.client.aclose()


def _slugs(base: str) -> list[str]:
    html = httpx.get(base + "/aanbieders", params={"per_page": "100"}, timeout=30).text
    slugs = sorted(set(re.findall(r'href="/aanbieders/([a-z0-9][a-z0-9-]+)"', html)))
    slugs = [s for s in slugs if s != "vergelijk"]
    if not slugs:
        raise SystemExit("no provider pages found on /aanbieders")
    return slugs


async def _drive(base: str, slugs: list[str], clients: int, seconds: float, tally: Tally,
                 think: tuple[float, float] = (0.0, 0.0), sample: float = 0.0,
                 server: Server | None = None,
                 curve: list[dict[str, float]] | None = None) -> float:  # fmt: skip
    started = time.monotonic()
    until = started + seconds
    users = [User(base, slugs, tally, seed, think) for seed in range(clients)]
    tasks = [asyncio.create_task(u.run(until)) for u in users]
    if sample and server is not None and curve is not None:
        while time.monotonic() < until:
            await asyncio.sleep(min(sample, max(0.0, until - time.monotonic())))
            curve.append({"t_s": round(time.monotonic() - started), "rss_mb": server.rss_mb()})
    await asyncio.gather(*tasks)
    return time.monotonic() - started


def _report(tally: Tally, elapsed: float) -> dict[str, Any]:
    every = [v for values in tally.latencies.values() for v in values]
    return {
        "requests": len(every)
        + sum(n for kind, n in tally.errors.items() if kind not in tally.latencies),
        "errors": sum(tally.errors.values()),
        "errors_by_kind": tally.errors,
        "error_examples": tally.error_examples,
        "rps": round(len(every) / elapsed, 1),
        **{k: v for k, v in _summary(every).items() if k != "count"},
        "by_kind": {kind: _summary(values) for kind, values in sorted(tally.latencies.items())},
    }


def run_load(env: dict[str, str], workers: int, clients: int, seconds: float,
             think: tuple[float, float]) -> dict[str, Any]:  # fmt: skip
    """Two runs on one server: users with think time (`paced`: what `--clients` people
    clicking cause), then without (`saturated`: the most the server does, and how long a
    request waits when more arrive than it can serve)."""
    server = Server(env, workers)
    try:
        slugs = _slugs(server.base)
        # Warm up: every page once, so the run measures the steady state.
        asyncio.run(_drive(server.base, slugs, min(clients, 4), 5, Tally()))
        out: dict[str, Any] = {"workers": workers, "clients": clients, "ready_s": server.ready_s}
        for name, pause in (("paced", think), ("saturated", (0.0, 0.0))):
            rss_before = server.rss_mb()
            tally = Tally()
            elapsed = asyncio.run(_drive(server.base, slugs, clients, seconds, tally, pause))
            out[name] = {
                "think_s": list(pause),
                "seconds": round(elapsed, 1),
                **_report(tally, elapsed),
                "rss_before_mb": rss_before,
                "rss_after_mb": server.rss_mb(),
            }
        return out
    finally:
        server.stop()


def run_soak(env: dict[str, str], workers: int, clients: int, seconds: float,
             sample: float, think: tuple[float, float]) -> dict[str, Any]:  # fmt: skip
    server = Server(env, workers)
    try:
        slugs = _slugs(server.base)
        tally = Tally()
        curve: list[dict[str, float]] = [{"t_s": 0, "rss_mb": server.rss_mb()}]
        elapsed = asyncio.run(
            _drive(server.base, slugs, clients, seconds, tally, think, sample, server, curve)
        )
        after_warmup = [p for p in curve if p["t_s"] >= min(60, seconds / 2)]
        first, last = after_warmup[0]["rss_mb"], curve[-1]["rss_mb"]
        return {
            "workers": workers,
            "clients": clients,
            "seconds": round(elapsed, 1),
            **_report(tally, elapsed),
            "rss_curve": curve,
            "rss_after_warmup_mb": first,
            "rss_end_mb": last,
            "rss_growth_pct": round(100 * (last - first) / first, 2) if first else None,
        }
    finally:
        server.stop()


@contextmanager
def stack(kind: str) -> Iterator[dict[str, str]]:
    """The environment of a served etalage with the demo data loaded."""
    tmp = Path(tempfile.mkdtemp(prefix="etalage-load-"))
    env = {
        **os.environ,
        "ETALAGE_VAR_DIR": str(tmp),
        "ETALAGE_SECRET_KEY": secrets.token_hex(32),
        "ETALAGE_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("ETALAGE_MEILISEARCH_URL", None)
    env.pop("ETALAGE_MEILISEARCH_KEY", None)
    try:
        if kind == "embedded":
            env["ETALAGE_DATABASE_URL"] = f"sqlite:///{tmp / 'etalage.db'}"
            _cli(env, "db", "upgrade")
            _cli(env, "demo", "load")
            yield env
            return
        meili = Meili()
        try:
            with postgres() as url:
                env.update(ETALAGE_DATABASE_URL=url, ETALAGE_MEILISEARCH_URL=meili.url,
                           ETALAGE_MEILISEARCH_KEY=meili.key)  # fmt: skip
                _cli(env, "db", "upgrade")
                _cli(env, "demo", "load")
                yield env
        finally:
            meili.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=["embedded", "production"], default="embedded")
    parser.add_argument("--workers", default="1,2", help="comma-separated, one run each")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--soak", type=float, default=0.0, help="seconds (0: no soak run)")
    parser.add_argument("--soak-clients", type=int, default=8)
    parser.add_argument("--sample", type=float, default=30.0)
    parser.add_argument(
        "--think", default="0.5-1.5", help="a paced user's pause between requests, seconds"
    )
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",") if w.strip()]
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    out: dict[str, Any] = {"stack": args.stack, "cpus": os.cpu_count(), "runs": []}
    with stack(args.stack) as env:
        for n in workers:
            out["runs"].append(run_load(env, n, args.clients, args.duration, think))
        if args.soak:
            out["soak"] = run_soak(
                env, workers[-1], args.soak_clients, args.soak, args.sample, think
            )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
