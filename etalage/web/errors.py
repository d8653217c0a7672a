"""Errors in Dutch: JSON `{"detail", "parameter"}` under /api, an HTML page elsewhere.

Every error the app can raise ends here, including Litestar's own validation and
routing errors, so no English framework message and no stack trace reaches a user.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import InterfaceError, OperationalError

from etalage.web.params import ParamError

log = logging.getLogger("etalage.web")

TITLES = {
    400: "De vraag klopt niet",
    401: "Niet ingelogd",
    404: "Pagina niet gevonden",
    403: "Dit mag niet",
    405: "Dit kan niet op deze pagina",
    413: "Te veel gegevens",
    500: "Er ging iets mis",
    503: "Even niet beschikbaar",
}
DETAILS = {
    401: "U bent niet ingelogd, of uw token is niet (meer) geldig.",
    403: "Dit formulier is verlopen of komt niet van deze website. Laad de pagina opnieuw "
    "en probeer het nog eens.",
    404: "Deze pagina bestaat niet (meer). Misschien is het adres veranderd of verkeerd getypt.",
    405: "Deze pagina kan zo niet worden opgevraagd.",
    413: "Er werden te veel gegevens in één keer gestuurd. Stuur minder tekst.",
    500: "Er ging bij ons iets mis. Probeer het later nog eens. Blijft het misgaan? "
    "Neem dan contact op met de regio.",
}


def is_api(request: Request[Any, Any, Any]) -> bool:
    path = request.scope.get("path", "")
    return path in ("/api", "/hsds") or path.startswith(("/api/", "/hsds/"))


def error_response(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    parameter: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    if is_api(request):
        body: dict[str, Any] = {"detail": detail}
        if parameter is not None:
            body["parameter"] = parameter
        return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)
    context = {"status": status, "title": TITLES.get(status, "Er ging iets mis"), "detail": detail}
    try:
        html = request.app.template_engine.get_template("error.html").render(**context)  # type: ignore[union-attr]
    except Exception:  # the error page itself failed: plain text, still Dutch
        log.exception("error page could not be rendered")
        return Response(
            f"{context['title']}. {detail}",
            status_code=status,
            media_type=MediaType.TEXT,
            headers=headers,
        )
    return Response(html, status_code=status, media_type=MediaType.HTML, headers=headers)


def param_error_handler(request: Request[Any, Any, Any], exc: ParamError) -> Response[Any]:
    return error_response(request, 400, exc.message, exc.parameter)


def validation_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    key = next((e.get("key") for e in extra if isinstance(e, dict) and e.get("key")), None)
    if key:
        detail = f"De parameter '{key}' heeft een ongeldige waarde."
    else:
        detail = "De vraag bevat een ongeldige waarde."
    return error_response(request, 400, detail, key)


def not_found_handler(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
    detail = exc.detail if getattr(exc, "dutch", False) else DETAILS[404]
    return error_response(request, 404, detail)


def method_handler(
    request: Request[Any, Any, Any], exc: MethodNotAllowedException
) -> Response[Any]:
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() == "allow"}
    return error_response(request, 405, DETAILS[405], headers=headers or None)


def http_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        log.error("HTTP %s on %s: %s", status, request.scope.get("path"), exc.detail)
        return error_response(request, status, DETAILS[500])
    if getattr(exc, "dutch", False):
        return error_response(
            request, status, str(exc.detail), getattr(exc, "parameter", None), exc.headers
        )
    detail = DETAILS.get(status) or TITLES.get(status, "De vraag kon niet worden verwerkt.")
    return error_response(request, status, detail)


def internal_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled error on %s", request.scope.get("path"), exc_info=exc)
    return error_response(request, HTTP_500_INTERNAL_SERVER_ERROR, DETAILS[500])


STORAGE_FULL = (
    "De opslag van de etalage is vol. Wat u net verstuurde, is niet bewaard; er is ook "
    "niets anders verloren gegaan. Probeer het later nog eens; de beheerder is gewaarschuwd."
)
DATABASE_AWAY = (
    "De gegevens zijn even niet bereikbaar. Probeer het over een paar seconden opnieuw. "
    "Als u iets verstuurde, is dat niet bewaard."
)


def database_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The database is away (restarting, unreachable) or its disk is full: 503 with a
    Dutch reason and Retry-After. The request's transaction was rolled back, so nothing
    was half written; the pool reconnects by itself on the next request."""
    text = str(getattr(exc, "orig", exc)).lower()
    full = "disk is full" in text or "no space left" in text or "disk full" in text
    log.error(
        "database %s on %s: %.300s",
        "full" if full else "unavailable",
        request.scope.get("path"),
        text,
    )
    return error_response(
        request, 503, STORAGE_FULL if full else DATABASE_AWAY, headers={"Retry-After": "5"}
    )


def static_lookup_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A static path the file system cannot even look up (a NUL byte, a name too long)."""
    log.info("static path not looked up (%s): %.80s", type(exc).__name__, request.url.path)
    return error_response(request, 404, DETAILS[404])


class DutchError(HTTPException):
    """An error whose detail is already a Dutch sentence (and may name a field)."""

    dutch = True

    def __init__(
        self,
        status_code: int,
        detail: str,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail=detail, status_code=status_code, headers=headers)
        self.parameter = parameter


class DutchNotFound(NotFoundException):
    """A 404 whose detail is already a Dutch sentence for the user."""

    dutch = True


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ParamError: param_error_handler,
    ValidationException: validation_handler,
    NotFoundException: not_found_handler,
    MethodNotAllowedException: method_handler,
    HTTPException: http_handler,
    OperationalError: database_handler,
    InterfaceError: database_handler,
    Exception: internal_handler,
}
