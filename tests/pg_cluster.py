"""A throw-away PostgreSQL cluster on a free loopback port (for the tests: a shared one
per test process, and one of its own for a test that restarts it)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from support import free_port, require


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PgCluster:
    def __init__(self) -> None:
        bindir = pg_bin()
        require(bindir is not None, "PostgreSQL server (Debian package postgresql)")
        assert bindir is not None
        self.bindir = bindir
        self.run_as: list[str] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="etalage-pg-"))
        if os.geteuid() == 0:  # postgres refuses to run as root: use the package's user
            shutil.chown(self.workdir, "postgres", "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.datadir = self.workdir / "data"
        self.port = free_port()
        self._pg("initdb", "-D", str(self.datadir), "-U", "etalage", "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://etalage@127.0.0.1:{self.port}"

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run([*self.run_as, str(self.bindir / tool), *args], check=True,
                       capture_output=True)  # fmt: skip

    def start(self) -> None:
        self._pg("pg_ctl", "-D", str(self.datadir), "-l", str(self.workdir / "log"), "-w",
                 "-o", f"-p {self.port} -h 127.0.0.1 -k {self.workdir} -F", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", mode,
             "stop"], capture_output=True,
        )  # fmt: skip

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.workdir, ignore_errors=True)
