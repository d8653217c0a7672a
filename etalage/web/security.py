"""Security headers on every response, set by us rather than left to defaults.

Applied as a `before_send` hook, which wraps the whole app: pages, the API, static
files, the OpenAPI document and error responses alike.

The Content-Security-Policy allows only our own scripts and styles: no inline
scripts, no inline styles (htmx is told not to inject its indicator style through the
`htmx-config` meta tag), nothing from other hosts. `data:` images are allowed for the
small SVG icons inside the NL Design System stylesheet.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# Over https only: a browser that saw it keeps to https for a year (not over plain http,
# where a man in the middle could strip it anyway and a local test server has no TLS).
HSTS = "max-age=31536000; includeSubDomains"


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    if scope.get("scheme") == "https":
        headers["Strict-Transport-Security"] = HSTS
