"""`etalage serve` on the fictional demo data, for the benchmarks that open pages.

    with demo_server() as base:  # "http://127.0.0.1:PORT"
        ...

Loads the demo set into a fresh SQLite database in a temporary folder, starts the app
on a free loopback port (embedded search, no Meilisearch), waits until it answers, and
stops it again afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etalage.catalogue.demo import load_demo  # noqa: E402
from etalage.db.migrate import upgrade  # noqa: E402
from etalage.db.session import make_engine  # noqa: E402
from etalage.region import load_pack  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def demo_server() -> Iterator[str]:
    pack = load_pack("westfriesland")
    with tempfile.TemporaryDirectory(prefix="etalage-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'etalage.db'}"
        engine = make_engine(url)
        upgrade(engine)
        load_demo(engine, pack)
        engine.dispose()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "ETALAGE_DATABASE_URL": url, "ETALAGE_VAR_DIR": tmp}
        env.pop("ETALAGE_MEILISEARCH_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "etalage.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(base)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)
