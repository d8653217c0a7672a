"""Benchmark of the catalogue basics: loading the demo set, and what a first visit weighs.

    python bench/catalogue.py

Loads the fictional demo set into a fresh SQLite database through the import path
(`etalage.catalogue.demo.load_demo`, timed cold and again warm: the reload is the
idempotent re-import), then starts `etalage serve` on a free loopback port and fetches
the home and catalogue pages with every asset they link, as a browser would with
`Accept-Encoding: gzip`. Prints one JSON object: demo_providers, demo_load_s,
demo_reload_s, and per page the HTML bytes over the wire, the assets' bytes over the
wire and the first-visit total (`*_first_visit_bytes`), plus the HTML response time.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etalage.catalogue.demo import load_demo  # noqa: E402
from etalage.db.migrate import upgrade  # noqa: E402
from etalage.db.session import make_engine  # noqa: E402
from etalage.region import load_pack  # noqa: E402

ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, bytes, float]:
    """(bytes over the wire, decoded body, seconds); a fresh connection per request."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    raw = resp.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"GET {path}: {resp.status}")
    body = gzip.decompress(raw) if resp.getheader("Content-Encoding") == "gzip" else raw
    return len(raw), body, elapsed


def _page(port: int, path: str, repeat: int) -> dict[str, float]:
    wire, body, _ = _get(port, path)
    assets = sorted(set(ASSET.findall(body.decode())))
    asset_bytes = sum(_get(port, a)[0] for a in assets)
    times = [_get(port, path)[2] * 1000 for _ in range(repeat)]
    return {
        "html_bytes": wire,
        "html_raw_bytes": len(body),
        "assets": len(assets),
        "asset_bytes": asset_bytes,
        "first_visit_bytes": wire + asset_bytes,
        "p50_ms": round(statistics.median(times), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    args = parser.parse_args()

    pack = load_pack("westfriesland")
    with tempfile.TemporaryDirectory(prefix="etalage-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'etalage.db'}"
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        report = load_demo(engine, pack)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        load_demo(engine, pack)
        reload_s = time.perf_counter() - started
        engine.dispose()
        if not report.ok:
            raise SystemExit("\n".join(str(e) for e in report.errors))

        port = _free_port()
        env = {**os.environ, "ETALAGE_DATABASE_URL": url, "ETALAGE_VAR_DIR": tmp}
        env.pop("ETALAGE_MEILISEARCH_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "etalage.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    _get(port, "/")
                    break
                except (OSError, RuntimeError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            pages = {
                name: _page(port, path, args.repeat)
                for name, path in (("home", "/"), ("catalogue", "/aanbieders"))
            }
        finally:
            server.terminate()
            server.wait(timeout=10)

    result: dict[str, object] = {
        "demo_providers": report.created + report.updated,
        "demo_load_s": round(load_s, 3),
        "demo_reload_s": round(reload_s, 3),
    }
    for name, values in pages.items():
        for key, value in values.items():
            result[f"{name}_{key}"] = value
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
