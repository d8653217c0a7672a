"""HEAD for every GET route (RFC 9110 §9.3.2): answered as GET without the body.

Litestar answers HEAD only where a handler declares it; link checkers, monitors and
caches send HEAD to pages and API alike. The app turns a HEAD request into a GET before
routing and drops the body from the response, keeping status and headers (including
the GET's Content-Length, as the RFC allows).
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.types import (
    LifeSpanReceive,
    LifeSpanScope,
    LifeSpanSend,
    Message,
    Receive,
    Scope,
    Send,
)


class HeadAsGetLitestar(Litestar):
    async def __call__(
        self,
        scope: Scope | LifeSpanScope,
        receive: Receive | LifeSpanReceive,
        send: Send | LifeSpanSend,
    ) -> None:
        if scope.get("method") != "HEAD":
            await super().__call__(scope, receive, send)
            return

        http_send: Send = send  # type: ignore[assignment]  # HEAD is always HTTP

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # swallow the chunks; the last one ends the response
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await http_send(message)

        get_scope: Any = {**scope, "method": "GET"}
        await super().__call__(get_scope, receive, send_without_body)
