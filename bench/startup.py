"""How long a new app process takes to be ready (issue 14; docs/operations.md#start-up).

    .venv/bin/python bench/startup.py                    # 10,000 providers, embedded
    .venv/bin/python bench/startup.py --meilisearch      # and with Meilisearch
    .venv/bin/python bench/startup.py --providers 1000 --starts 3

Writes `--providers` fictional providers (bench/search.py's generator) into a temporary
SQLite database, then starts `etalage serve` `--starts` times on it and measures, per
start, the seconds from the process start until `/readyz` answers 200 (the database
read, the search documents, the embedded index, the hulpwijzer's provider index and,
with `--meilisearch`, the comparison of Meilisearch with the database). The first start
with Meilisearch fills its index; the later ones are rolling restarts, where the index
is already in step. From the second start on, the embedded index comes from its
snapshot on disk (etalage/indexing/snapshot.py), written when the first start had built
it and again at each graceful stop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from demo_server import free_port  # noqa: E402
from search import Meili, fill_database, generate  # noqa: E402

from etalage.region import load_pack  # noqa: E402


def _ready_after(env: dict[str, str]) -> float:
    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "etalage.cli", "serve", "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    return round(time.monotonic() - started, 2)
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() - started > 300:
                raise SystemExit("etalage serve did not become ready")
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--meilisearch", action="store_true")
    args = parser.parse_args()
    pack = load_pack("westfriesland")
    tmp = Path(tempfile.mkdtemp(prefix="etalage-startup-"))
    meili = Meili() if args.meilisearch else None
    try:
        url = f"sqlite:///{tmp / 'etalage.db'}"
        fill_database(url, generate(pack, args.providers))
        env = {**os.environ, "ETALAGE_DATABASE_URL": url, "ETALAGE_VAR_DIR": str(tmp / "var"),
               "ETALAGE_SECRET_KEY": "bench-only"}  # fmt: skip
        env.pop("ETALAGE_MEILISEARCH_URL", None)
        env.pop("ETALAGE_MEILISEARCH_KEY", None)
        if meili is not None:
            env.update(ETALAGE_MEILISEARCH_URL=meili.url, ETALAGE_MEILISEARCH_KEY=meili.key)
        out: dict[str, Any] = {
            "providers": args.providers,
            "meilisearch": meili is not None,
            "ready_s": [_ready_after(env) for _ in range(args.starts)],
        }
        out["limit_s"] = 5.0
        out["within_limit"] = max(out["ready_s"][1:] or out["ready_s"]) <= 5.0
        print(json.dumps(out, indent=2))
    finally:
        if meili is not None:
            meili.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
