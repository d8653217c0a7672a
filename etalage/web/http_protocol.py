"""uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection.

With `--workers N` uvicorn binds the listening socket itself as `socket.socket(AF_INET)`,
whose protocol number is 0, and asyncio only sets TCP_NODELAY on sockets whose protocol
is IPPROTO_TCP. The accepted connections then keep Nagle's algorithm: a response
written as headers and body in two segments waits for the client's delayed ACK, about
40 ms on Linux, on every request that does not fit one segment (measured with
`bench/load.py`: a hulpwijzer turn took 52 ms with two workers and 9 ms with one).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


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
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        set_nodelay(transport)
        super().connection_made(transport)  # type: ignore[arg-type]
