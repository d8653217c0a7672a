"""`etalage serve --workers N` (docs/operations.md): several processes answer, each ready
by /readyz, without a server banner; one process stops gracefully."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support import ROOT, free_port, wait_for_port

from etalage.db.migrate import upgrade
from etalage.db.session import make_engine


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_two_workers_answer_ready_without_a_banner(tmp_path: Path) -> None:
    db = tmp_path / "etalage.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "ETALAGE_DATABASE_URL": f"sqlite:///{db}",
        "ETALAGE_SECRET_KEY": "serve-test-only",
        "ETALAGE_ALLOWED_HOSTS": "127.0.0.1",
        "ETALAGE_VAR_DIR": str(tmp_path),
    }
    env.pop("ETALAGE_MEILISEARCH_URL", None)
    etalage = [sys.executable, "-m", "etalage.cli"]
    server = subprocess.Popen(
        [*etalage, "serve", "--port", str(port), "--workers", "2"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=60)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while _get(base + "/readyz")[0] != 200:
            assert time.monotonic() < deadline, "not ready"
            time.sleep(0.2)
        status, headers, body = _get(base + "/healthz")
        assert status == 200 and b'"ok"' in body
        assert "server" not in {k.lower() for k in headers}
        for _ in range(40):
            status, headers, _ = _get(base + "/readyz")
            assert status == 200
    finally:
        server.terminate()
        try:
            out, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            out, _ = server.communicate()
    text = out.decode(errors="replace")
    assert text.count("Started server process") >= 2, text[-2000:]


def test_several_workers_need_a_secret_key(tmp_path: Path) -> None:
    env = {**os.environ, "ETALAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    env.pop("ETALAGE_SECRET_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "etalage.cli", "serve", "--workers", "2", "--port",
         str(free_port())],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "ETALAGE_SECRET_KEY" in done.stderr


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def test_connections_get_tcp_nodelay_even_on_uvicorns_own_socket() -> None:
    """uvicorn binds `socket.socket(AF_INET)` (protocol 0) for several workers, which
    asyncio leaves with Nagle's algorithm on; the app's protocol turns it off."""
    import asyncio
    import socket

    from etalage.web.http_protocol import NoDelayH11Protocol, set_nodelay

    listener = socket.socket(socket.AF_INET)  # as uvicorn's Config.bind_socket makes it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    try:
        assert accepted.proto == 0
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0

        class Transport(asyncio.BaseTransport):
            def get_extra_info(self, name: str, default: object = None) -> object:
                return accepted if name == "socket" else default

        assert set_nodelay(Transport()) is True
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert set_nodelay(asyncio.BaseTransport()) is False  # no socket: nothing to do
    finally:
        for s in (client, accepted, listener):
            s.close()
    # and `etalage serve` hands uvicorn that protocol
    source = (ROOT / "etalage" / "cli.py").read_text()
    assert '"http": NoDelayH11Protocol' in source
    assert issubclass(NoDelayH11Protocol, __import__("uvicorn").protocols.http.h11_impl.H11Protocol)


@pytest.mark.timing
def test_headers_that_trickle_in_are_cut_off() -> None:
    """A request's headers must be complete within the header timeout (1 s here, 10 s
    in production); a request that arrives in time, also the second on a kept-alive
    connection after an idle pause, is answered."""
    import socket
    import threading

    import uvicorn

    from etalage.web.http_protocol import NoDelayH11Protocol

    class Quick(NoDelayH11Protocol):
        header_timeout_s = 1.0

    async def app(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        if scope["type"] != "http":
            return
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
        )  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, http=Quick, log_level="warning",
                            lifespan="off", timeout_keep_alive=5)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for_port(port)
        slow = socket.create_connection(("127.0.0.1", port), timeout=5)
        started = time.monotonic()
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for i in range(20):  # one header line every 0.25 s, never the blank line
            try:
                slow.sendall(f"X-Trickle-{i}: a\r\n".encode())
            except OSError:
                closed = True
                break
            time.sleep(0.25)
            slow.setblocking(False)
            try:
                closed = slow.recv(1024) == b""
            except BlockingIOError:
                pass
            except OSError:
                closed = True
            slow.setblocking(True)
            if closed:
                break
        assert closed, "the trickling connection stayed open"
        assert time.monotonic() - started < 3.0
        slow.close()

        kept = socket.create_connection(("127.0.0.1", port), timeout=5)
        for _ in range(2):
            kept.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while not answer.endswith(b"\r\n\r\nok"):  # headers and body may come apart
                chunk = kept.recv(1024)
                assert chunk, f"connection closed after {answer!r}"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200")
            time.sleep(1.5)  # idle longer than the header timeout: keep-alive rules
        kept.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
