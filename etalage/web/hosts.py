"""Allowed hosts and same-origin posts, checked before any handler runs.

- The app answers only for the host names it is configured for (`ETALAGE_ALLOWED_HOSTS`),
  so a forged `Host` header cannot make it build links or cache entries for another
  site. Anything else gets a Dutch 400, as every error does.
- A state-changing request to a page (POST, PUT, PATCH, DELETE outside `/api/`) must come
  from the etalage itself: a browser's `Sec-Fetch-Site: cross-site` or an `Origin` of
  another host is refused with a Dutch 403, on top of the CSRF token every form carries.
  The JSON API is for other systems and is not cookie-authenticated, so it is exempt.

Names are compared without the port and without regard to case; `.example.nl` also
allows every subdomain; `*` allows any host. An empty list (the `Settings` default, for
code that builds settings itself) allows any host too; `settings_from_env` defaults to
the loopback names.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response

from etalage.web.errors import error_response, is_api

HOST_REFUSED = (
    "Deze website is niet bereikbaar onder dit adres. Gebruik het adres van de etalage "
    "van uw regio."
)
CROSS_SITE_REFUSED = (
    "Dit formulier kwam van een andere website. Daarom hebben we er niets mee gedaan. "
    "Open de etalage zelf en probeer het daar opnieuw."
)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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


def is_cross_site(request: Request[Any, Any, Any]) -> bool:
    """Whether a browser says the request comes from another site."""
    fetch_site = request.headers.get("sec-fetch-site", "").lower()
    if fetch_site == "cross-site":
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser form post from another page, or an old browser
    if origin == "null":
        return True  # a sandboxed frame or a file: no page of the etalage
    parts = urlsplit(origin)
    return host_name(parts.netloc) != host_name(request.headers.get("host", ""))


def host_check(
    allowed: Sequence[str],
) -> Callable[[Request[Any, Any, Any]], Awaitable[Response[Any] | None]]:
    async def check(request: Request[Any, Any, Any]) -> Response[Any] | None:
        host = request.headers.get("host", "")
        if not is_allowed(host, allowed):
            return error_response(request, 400, HOST_REFUSED)
        if request.method in UNSAFE_METHODS and not is_api(request) and is_cross_site(request):
            return error_response(request, 403, CROSS_SITE_REFUSED)
        return None

    return check
