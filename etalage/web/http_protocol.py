"""uvicorn's HTTP/1.1 protocol, with two things added for production.

- **TCP_NODELAY on every connection.** With `--workers N` uvicorn binds the listening
  socket itself as `socket.socket(AF_INET)`, whose protocol number is 0, and asyncio
  only sets TCP_NODELAY on sockets whose protocol is IPPROTO_TCP. The accepted
  connections then keep Nagle's algorithm: a response written as headers and body in
  two segments waits for the client's delayed ACK, about 40 ms on Linux (measured with
  `bench/load.py`: a hulpwijzer turn took 52 ms with two workers and 9 ms with one).
- **A deadline for a request's headers.** uvicorn has none: a client that trickles a
  request line and headers in a byte at a time holds its connection for as long as it
  likes (found: 800 such connections stayed open). Here a request's headers must be
  complete within `HEADER_TIMEOUT_S` of its first byte (or of the connection opening);
  otherwise the connection is closed. The reverse proxy has its own (`deploy/Caddyfile`).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0


def set_nodelay(transport: asyncio.BaseTransport) -> bool:
    """Turn Nagle's algorithm off on a TCP transport's socket; True when done."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        return False
    return True


class NoDelayH11Protocol(H11Protocol):
    header_timeout_s = HEADER_TIMEOUT_S

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        set_nodelay(transport)
        self._headers_due: asyncio.TimerHandle | None = None
        super().connection_made(transport)  # type: ignore[arg-type]
        self._await_headers()

    def _await_headers(self) -> None:
        if self._headers_due is None:
            self._headers_due = self.loop.call_later(self.header_timeout_s, self._headers_late)

    def _headers_arrived(self) -> None:
        if self._headers_due is not None:
            self._headers_due.cancel()
            self._headers_due = None

    def _headers_late(self) -> None:
        self._headers_due = None
        if self.cycle is None or self.cycle.response_complete:  # still no request
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        before = self.cycle
        if before is None or before.response_complete:
            self._await_headers()  # the first bytes of a new request
        super().data_received(data)
        if self.cycle is not before:  # its headers are in: the request runs
            self._headers_arrived()

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_arrived()
        super().connection_lost(exc)
