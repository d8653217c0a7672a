"""A real Meilisearch process for the tests: the pinned binary, a free loopback port,
a random master key; started and stopped by the fixtures that use it."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from pathlib import Path
from typing import Any

import requests
from support import ROOT, free_port, require

MEILI_BIN = ROOT / ".cache" / "meilisearch" / "meilisearch"


def meili_available() -> None:
    require(
        MEILI_BIN.is_file() and os.access(MEILI_BIN, os.X_OK),
        "Meilisearch binary (.cache/meilisearch/meilisearch, `make meilisearch`)",
    )


class MeiliProcess:
    """A Meilisearch server on a free loopback port with a random master key."""

    def __init__(self, db_path: Path, port: int | None = None) -> None:
        self.db_path = db_path
        self.port = port or free_port()
        self.master_key = secrets.token_hex(24)  # never starts with '-'
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = db_path.parent / f"meili-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                str(MEILI_BIN),
                "--db-path",
                str(self.db_path),
                "--http-addr",
                f"127.0.0.1:{self.port}",
                f"--master-key={self.master_key}",
                "--no-analytics",
                "--env",
                "development",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"meilisearch exited: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/health", timeout=0.5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"meilisearch not healthy after {timeout}s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def settle(backend: Any, docs: list[Any], fast_s: float = 0.5, max_s: float = 30.0) -> None:
    """Re-write `docs` until Meilisearch takes under `fast_s` for it (at most `max_s`).

    Right after an index is built and swapped in, Meilisearch takes seconds for each
    write for a while (measured: 2-4 s); tests that time a change measure the steady
    state after that.
    """
    deadline = time.monotonic() + max_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        backend.index_documents(docs)
        if time.monotonic() - started < fast_s:
            return
