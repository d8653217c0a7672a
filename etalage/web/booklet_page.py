"""`GET /boekje.pdf` (docs/booklet.md): the booklet as a PDF, with the choices of
`etalage boekje` as query parameters: `gemeente`, `wet`, `voor` (huisarts, the
default; toegang; inwoner). Codes and tariffs only in the toegang version."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from litestar import Request, Response, get
from litestar.params import Parameter

from etalage.booklet.content import AUDIENCES
from etalage.booklet.service import BookletService
from etalage.web.params import ParamError

KNOWN = {"gemeente", "wet", "voor"}


def booklet_choices(
    request: Request[Any, Any, Any], service: BookletService
) -> tuple[str, str | None, str | None]:
    params = request.query_params
    pack = service.pack
    for key in params:
        if key not in KNOWN:
            raise ParamError(key, f"Onbekende parameter '{key[:40]}'. Wel: gemeente, wet, voor.")
        if len(params.getall(key)) > 1:
            raise ParamError(key, f"De parameter '{key}' staat er meer dan één keer in.")
    audience = (params.get("voor") or "huisarts").strip().lower()
    if audience not in AUDIENCES:
        raise ParamError("voor", f"Kies voor wie het boekje is: {', '.join(AUDIENCES)}.")
    place = (params.get("gemeente") or "").strip().lower() or None
    places = [m.code for m in pack.municipalities]
    if place is not None and place not in places:
        raise ParamError(
            "gemeente", f"Onbekende gemeente '{place[:40]}'. Kies uit: {', '.join(places)}."
        )
    law = (params.get("wet") or "").strip().lower() or None
    laws = [x.code for x in pack.laws]
    if law is not None and law not in laws:
        raise ParamError("wet", f"Onbekende wet '{law[:40]}'. Kies uit: {', '.join(laws)}.")
    return audience, place, law


@get("/boekje.pdf", name="booklet", include_in_schema=False)
async def booklet_pdf_page(
    request: Request[Any, Any, Any],
    gemeente: Annotated[str | None, Parameter(required=False)] = None,
    wet: Annotated[str | None, Parameter(required=False)] = None,
    voor: Annotated[str | None, Parameter(required=False)] = None,
) -> Response[bytes]:
    service: BookletService = request.app.state["booklet"]
    audience, place, law = booklet_choices(request, service)
    pdf = await anyio.to_thread.run_sync(service.pdf, audience, place, law)
    name = "-".join(x for x in ("boekje", place, law, audience) if x)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}.pdf"',
            "Cache-Control": "no-store",
        },
    )


BOOKLET_HANDLERS = [booklet_pdf_page]
