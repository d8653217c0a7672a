"""The hulpwijzer on the web: the conversation at /assistent and the advice API.

- `GET /assistent` shows the conversation so far; `POST /assistent` takes one step (the
  hulpvraag, an answer, "wijzig", the view, "begin opnieuw"). Without JavaScript every
  post is answered with a redirect to `GET /assistent` (post/redirect/get), so reloading
  and the back button work; htmx gets fragments (assistant_rendering.py).
- `POST /api/v1/assistant/advice` (docs/http-api.md#hulpwijzer-advice): `Advice.as_dict()`
  of the pure engine, with providers matched over the real catalogue (its OpenAPI
  description is in advice_schema.py).

The conversation itself is pure (etalage.conversation): these handlers turn a form into
a `Move`, take the step (one engine run) and render the turn. The conversation lives in
a signed, expiring cookie (assistant_session.py); nothing of it is stored on the server
or logged. The provider index comes from a `ProviderSource`: in the app, the index made
from the search service's documents (etalage.indexing.providers).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from litestar import MediaType, Request, Response, Router, get, post
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect, Template

from etalage.assistant import (
    Advice,
    AdviceInputError,
    Answers,
    FieldError,
    assistant_for,
    parse_request,
)
from etalage.conversation import (
    ConversationCookie,
    Ended,
    EndedConversations,
    Guide,
    Mode,
    Move,
    ProviderSource,
    Reply,
    start,
    take_step,
)
from etalage.conversation.reading import encodable
from etalage.conversation.steps import Action
from etalage.region.model import RegionPack
from etalage.web.advice_schema import (
    ADVICE_DESCRIPTION,
    ADVICE_RESPONSE_DESCRIPTION,
    ADVICE_RESPONSES,
    ADVICE_SUMMARY,
    API_MAX_BODY_BYTES,
    AdviceOperation,
    Advies,
)
from etalage.web.assistant_link import assistant_link_page
from etalage.web.assistant_rendering import (
    PAGE_PATH,
    after_step,
    may_see_professional,
    page,
    unavailable,
)
from etalage.web.assistant_session import load_conversation
from etalage.web.auth import accounts_of
from etalage.web.errors import DutchError, DutchNotFound

API_PATH = "/api/v1/assistant/advice"
# The form's actions (Dutch, as the page sends them) and the moves they are.
ACTIONS: dict[str, Action] = {
    "tekst": "tell",
    "antwoord": "answer",
    "wijzig": "edit",
    "annuleer": "cancel",
    "modus": "switch",
    "opnieuw": "restart",
}


class Hulpwijzer:
    """The app's hulpwijzer: the region's guide over a provider source, and the cookie
    codec. `providers` is any object with `current() -> ProviderIndex` and `has_demo`:
    in the app, the index made from the search service's documents
    (`etalage.indexing.providers.AssistantProviders`)."""

    def __init__(
        self,
        pack: RegionPack,
        secret: str,
        providers: ProviderSource,
        ended: Ended | None = None,
    ) -> None:
        self.pack = pack
        self.available = bool(pack.assistant)
        # `ended`: conversations started over (in the app: in the database, shared by
        # every process, etalage.db.ended); their old cookies are void.
        self.cookie = ConversationCookie(secret, ended=ended or EndedConversations())
        self.providers: ProviderSource | None = None
        self._guide: Guide | None = None
        if not self.available:
            return
        self.assistant = assistant_for(pack)  # a broken assistant.yaml fails here, at start-up
        self.config = self.assistant.config
        self.providers = providers
        self._guide = Guide(pack, self.providers)

    @property
    def guide(self) -> Guide:
        if self._guide is None:
            raise RuntimeError("this region has no hulpwijzer")
        return self._guide

    @property
    def has_demo(self) -> bool:
        return self._guide is not None and self._guide.has_demo

    def advise(self, text: str, answers: Answers, mode: Mode = "inwoner") -> Advice:
        return self.guide.advise(text, answers, mode)

    def profile_line(self, story: str, answers: Answers, code: str) -> str:
        return self.guide.profile_line(story, answers, code)


def _form_str(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


def move_from_form(form: Mapping[str, Any]) -> Move:
    """The step a posted form asks for (nothing checked yet)."""
    domains = {
        name.removeprefix("domein_"): _form_str(form, name)
        for name in form
        if name.startswith("domein_")
    }
    reply = Reply(_form_str(form, "antwoord"), _form_str(form, "vrij"), domains)
    return Move(
        action=ACTIONS.get(_form_str(form, "actie"), "unknown"),
        token=_form_str(form, "_token"),
        text=_form_str(form, "tekst"),
        key=_form_str(form, "vraag"),
        reply=reply,
        mode=_form_str(form, "modus"),
        seen=_form_str(form, "gezien"),
    )


@get(PAGE_PATH, name="assistant", sync_to_thread=True, include_in_schema=False)
def assistant_page(
    request: Request[Any, Any, Any], hulpwijzer: NamedDependency[Hulpwijzer]
) -> Template:
    if not hulpwijzer.available:
        return unavailable()
    guide, cookie = hulpwijzer.guide, hulpwijzer.cookie
    loaded = load_conversation(cookie, request)
    was = loaded.conversation
    if was is not None and was.mode == "professional" and not may_see_professional(request):
        loaded = replace(loaded, conversation=was.switch("inwoner"))  # logged out since
    conversation, turn = start(guide, loaded, cookie.max_age)
    return page(guide, cookie, request, conversation, turn)


PRO_REFUSED = (
    "De weergave voor professionals, met codes en tarieven, is voor medewerkers van de "
    "toegang en de regio. Log in om hem te zien."
)


@post(PAGE_PATH, name="assistant-step", include_in_schema=False, status_code=200)
async def assistant_step(
    request: Request[Any, Any, Any], hulpwijzer: NamedDependency[Hulpwijzer]
) -> Template | Redirect:
    if not hulpwijzer.available:
        return unavailable(404)
    form = await request.form()
    move = move_from_form({key: form.get(key) for key in form})
    guide, cookie = hulpwijzer.guide, hulpwijzer.cookie
    before = load_conversation(cookie, request).conversation
    refused = False
    if not may_see_professional(request):
        if before is not None and before.mode == "professional":
            before = before.switch("inwoner")
        if move.mode == "professional":
            move = replace(move, mode="inwoner")
            refused = True

    def step() -> Template | Redirect:
        outcome = take_step(guide, cookie, before, move)
        if refused and outcome.error is None:
            outcome = replace(outcome, conversation=outcome.conversation.with_notice(PRO_REFUSED))
        return after_step(guide, cookie, request, before, outcome, move)

    return await sync_to_thread(step)


def advice_input_error(request: Request[Any, Any, Any], exc: AdviceInputError) -> Response[Any]:
    errors = [{"detail": e.message, "parameter": e.field} for e in exc.errors]
    first = exc.errors[0] if exc.errors else FieldError("body", "Ongeldige vraag.")
    detail = first.message if len(errors) <= 1 else " ".join(e.message for e in exc.errors)
    return Response(
        {"detail": detail, "parameter": first.field, "fouten": errors},
        status_code=400,
        media_type=MediaType.JSON,
    )


def _strings_ok(value: Any) -> bool:
    """No lone surrogates anywhere (they cannot be written back as UTF-8)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not encodable(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


@post(
    API_PATH,
    name="api-assistant-advice",
    tags=["hulpwijzer"],
    summary=ADVICE_SUMMARY,
    status_code=200,
    request_max_body_size=API_MAX_BODY_BYTES,
    operation_class=AdviceOperation,
    response_description=ADVICE_RESPONSE_DESCRIPTION,
    responses=ADVICE_RESPONSES,
    description=ADVICE_DESCRIPTION,
)
async def assistant_advice(
    request: Request[Any, Any, Any], hulpwijzer: NamedDependency[Hulpwijzer]
) -> Advies:
    if not hulpwijzer.available:
        raise DutchNotFound(detail="Deze regio heeft (nog) geen hulpwijzer.")
    raw = await request.body()
    if b"professional" in raw and not _professional_token(request):
        try:
            asked = json.loads(raw).get("mode") == "professional"
        except (ValueError, RecursionError, AttributeError):
            asked = False
        if asked:
            raise DutchError(
                403,
                "De weergave voor professionals (met codes en tarieven) vraagt een token van "
                "een medewerker van de toegang of de regio: Authorization: Bearer TOKEN.",
                "mode",
            )
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        raise AdviceInputError(
            [FieldError("body", "De inhoud is geen geldige JSON. Stuur een JSON-object.")]
        ) from None
    if not _strings_ok(payload):
        raise AdviceInputError([FieldError("body", "De inhoud bevat een ongeldig teken.")])
    parsed = parse_request(hulpwijzer.pack, payload)
    advice = await sync_to_thread(
        hulpwijzer.advise, parsed.text, parsed.answers, parsed.mode or "inwoner"
    )
    return advice.as_dict()  # type: ignore[return-value]


def _professional_token(request: Request[Any, Any, Any]) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    actor = accounts_of(request).tokens.actor(token.strip())
    return actor is not None and actor.is_professional


def assistant_router(hulpwijzer: Hulpwijzer) -> Router:
    """The page, the step and the API, with the hulpwijzer as a dependency."""

    def provide() -> Hulpwijzer:
        return hulpwijzer

    return Router(
        path="/",
        route_handlers=[assistant_page, assistant_step, assistant_advice, assistant_link_page],
        dependencies={"hulpwijzer": Provide(provide, sync_to_thread=False)},
        exception_handlers={AdviceInputError: advice_input_error},
    )


__all__ = [
    "API_PATH",
    "PAGE_PATH",
    "Hulpwijzer",
    "assistant_router",
    "move_from_form",
]
