"""Allowed hosts: the app answers only for the host names it is configured for
(`ETALAGE_ALLOWED_HOSTS`), so a forged `Host` header cannot make it build links or
cache entries for another site. Anything else gets a Dutch 400, as every error does.

Names are compared without the port and without regard to case; `.example.nl` also
allows every subdomain; `*` allows any host. An empty list (the `Settings` default, for
code that builds settings itself) allows any host too; `settings_from_env` defaults to
the loopback names.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from litestar import Request, Response

from etalage.web.errors import error_response

HOST_REFUSED = (
    "Deze website is niet bereikbaar onder dit adres. Gebruik het adres van de etalage "
    "van uw regio."
)


def host_name(header: str) -> str:
    """'Etalage.Example.nl:8000' -> 'etalage.example.nl'; '[::1]:8000' -> '::1'."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def is_allowed(host: str, allowed: Sequence[str]) -> bool:
    if not allowed or "*" in allowed:
        return True
    name = host_name(host)
    for entry in allowed:
        entry = entry.strip().lower().strip("[]")
        if name == entry or (entry.startswith(".") and (name.endswith(entry) or name == entry[1:])):
            return True
    return False


def host_check(
    allowed: Sequence[str],
) -> Callable[[Request[Any, Any, Any]], Awaitable[Response[Any] | None]]:
    async def check(request: Request[Any, Any, Any]) -> Response[Any] | None:
        if is_allowed(request.headers.get("host", ""), allowed):
            return None
        return error_response(request, 400, HOST_REFUSED)

    return check
