"""Lighthouse accessibility and performance scores of the main pages.

    python bench/lighthouse.py            # mobile (Lighthouse's default: a throttled phone)
    python bench/lighthouse.py --desktop  # the desktop preset

Installs the pinned Lighthouse from the npm registry into .cache/lighthouse (once; not
a test dependency, so `npm ci` stays small), loads the fictional demo set into a fresh
SQLite database, starts `etalage serve` on a free loopback port and runs Lighthouse with
Debian's /usr/bin/chromium (headless) on the home page, the catalogue with a search, a
provider page and the hulpwijzer. Prints one JSON object: per page the accessibility
and performance scores (0..100) and the largest contentful paint and total blocking
time in ms. Performance on these shared 2-core machines is noisy: run it twice.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from demo_server import demo_server  # noqa: E402

LIGHTHOUSE = "lighthouse@13.5.0"
CACHE = ROOT / ".cache" / "lighthouse"
BIN = CACHE / "node_modules" / ".bin" / "lighthouse"


def _install() -> None:
    if BIN.exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund",
         "--loglevel=error", LIGHTHOUSE],
        check=True,
    )  # fmt: skip


def _run(url: str, desktop: bool, out: Path) -> dict[str, Any]:
    args = [
        str(BIN), url, "--quiet", "--output=json", f"--output-path={out}",
        "--only-categories=accessibility,performance",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    if desktop:
        args.append("--preset=desktop")
    subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    args = parser.parse_args()
    _install()
    result: dict[str, Any] = {"preset": "desktop" if args.desktop else "mobile"}
    with demo_server() as base, tempfile.TemporaryDirectory() as tmp:
        with urllib.request.urlopen(base + "/api/v1/providers?q=autisme&per_page=1") as r:
            slug = json.load(r)["results"][0]["slug"]
        pages = {
            "home": "/",
            "catalogue": "/aanbieders?q=autisme+10+jaar+hoorn",
            "provider": f"/aanbieders/{slug}",
            "assistant": "/assistent",
        }
        for name, path in pages.items():
            result[name] = _run(base + path, args.desktop, Path(tmp) / f"{name}.json")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
