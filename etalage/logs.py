"""Structured logs (docs/operations.md#logs): one JSON object per line with the time,
level, logger, message and the request id, and one access line per request (method,
path without the query string, status, milliseconds). No personal data: query strings
(search texts), form fields and bodies are never logged, nor are e-mail addresses."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_EMAIL = re.compile(r"[^\s@]{1,64}@[^\s@]{1,255}")
access = logging.getLogger("etalage.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": _EMAIL.sub("<e-mail>", record.getMessage()),
            "request_id": REQUEST_ID.get(),
        }
        for key in ("method", "path", "status", "ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1][:500]
        return json.dumps(entry, ensure_ascii=False)


def configure(json_lines: bool = True, level: int = logging.INFO) -> dict[str, Any]:
    """A logging config for uvicorn and the app (`logging.config.dictConfig` shape)."""
    formatter = (
        {"()": JsonFormatter} if json_lines else {"format": "%(levelname)s %(name)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "root": {"handlers": ["main"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": ["main"], "level": level, "propagate": False},
            "uvicorn.error": {"handlers": ["main"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": logging.WARNING, "propagate": False},
        },
    }


class RequestLog:
    """ASGI middleware: a request id per request (a sane `X-Request-ID` from the proxy,
    else a new one), sent back in `X-Request-ID`, and an access line at the end."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = [500]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                MutableScopeHeaders.from_message(message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access.info(
                "%s %s %s",
                scope.get("method"),
                scope.get("path"),
                status[0],
                extra={
                    "method": scope.get("method"),
                    "path": str(scope.get("path"))[:300],
                    "status": status[0],
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            REQUEST_ID.reset(token)
