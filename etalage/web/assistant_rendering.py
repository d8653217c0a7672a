"""The hulpwijzer's pages: a turn of the conversation as a full page or an htmx fragment.

A full page (`assistant.html`) for a GET and for an error without JavaScript; a post
without JavaScript gets a redirect (post/redirect/get). An htmx step forward gets only
the new messages, appended to the transcript (an `aria-live` log that stays in the
page, so only the new messages are read out), plus the parts of the page that changed
(out of band, `_assistant_update.html`); anything else replaces the whole panel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from etalage.assistant.rules import CRISIS_ROUTE
from etalage.catalogue.views import format_date
from etalage.conversation import (
    ANSWER_MAX_CHARS,
    SKIP,
    TEXT_KEY,
    TEXT_MAX_CHARS,
    Conversation,
    ConversationCookie,
    Guide,
    Move,
    Outcome,
    Turn,
    update,
)
from etalage.conversation.link import AdviceLink, advice_tokens
from etalage.region.model import Municipality, RegionPack
from etalage.web.assistant_session import COOKIE_PATH, conversation_cookie
from etalage.web.auth import current_actor
from etalage.web.templating import query_url

PAGE_PATH = COOKIE_PATH
LINK_PATH = PAGE_PATH + "/advies"  # a link that reopens an advice (assistant_link.py)
VARY = {"Vary": "HX-Request"}
NO_STORE = {"Cache-Control": "no-store"}


@dataclass(frozen=True)
class AdviceView:
    data: dict[str, Any]
    crisis: bool
    law: str | None
    segment: str | None
    profile: str | None
    intensity: tuple[str, str] | None
    trajectory: tuple[str, str] | None
    catalogue_url: str | None
    skipped: tuple[str, ...]  # questions left open that would sharpen the advice
    municipality: Municipality | None  # from the postcode given, for its wijkteam
    text: str  # the advice as plain text, for the file (the copy button)


def advice_view(guide: Guide, turn: Turn, conversation: Conversation) -> AdviceView | None:
    advice = turn.advice
    if advice is None:
        return None
    pack = guide.pack
    data = advice.as_dict()
    law = next((x.name for x in pack.laws if x.code == advice.law), None)
    segment = next((s.description for s in pack.segments if s.code == advice.route), None)
    plain = conversation.mode == "inwoner"  # citizens see B1 names, professionals formal ones
    intensity = next(
        (
            _named(x.plain if plain else x.name, x.description)
            for x in pack.intensities
            if x.code == advice.intensity
        ),
        None,
    )
    trajectory = next(
        (
            _named(x.plain if plain else x.name, x.description)
            for x in pack.trajectory_types
            if x.code == advice.trajectory
        ),
        None,
    )
    profile = pack.profile(advice.profile["code"]) if advice.profile else None
    url = None
    if advice.route != CRISIS_ROUTE and advice.law and data["providers_total"]:
        answers = turn.engine_answers
        items = [("wet", advice.law), ("segment", advice.route)]
        if advice.route != "A" and advice.profile and advice.intensity:
            items += [("profiel", advice.profile["code"]), ("intensiteit", advice.intensity)]
        municipality = pack.municipality_of_postcode(answers.pc4) if answers.pc4 else None
        if municipality:
            items.append(("gemeente", municipality))
        if answers.age is not None:
            items.append(("leeftijd", str(answers.age)))
        url = query_url("/aanbieders", items)
    skipped = tuple(
        f.question for f in advice.follow_up_questions if f.key in conversation.answered
    )
    answers = turn.engine_answers
    code = pack.municipality_of_postcode(answers.pc4) if answers.pc4 else None
    where = next((m for m in pack.municipalities if m.code == code), None)
    profile_name = (profile.plain if plain else profile.name) if profile else None
    return AdviceView(
        data=data,
        crisis=advice.route == CRISIS_ROUTE,
        law=law,
        segment=segment,
        profile=profile_name,
        intensity=intensity,
        trajectory=trajectory,
        catalogue_url=url,
        skipped=skipped,
        municipality=where,
        text=advice_text(pack, data, profile_name, intensity, trajectory, law),
    )


def advice_text(
    pack: RegionPack,
    data: dict[str, Any],
    profile: str | None,
    intensity: tuple[str, str] | None,
    trajectory: tuple[str, str] | None,
    law: str | None,
) -> str:
    """The advice in plain text: what fits, why, what happens next, the providers."""
    lines = [f"Advies van de hulpwijzer ({pack.name}), {format_date(date.today())}", ""]
    for label, value in (
        ("Soort hulp", profile),
        ("Hoeveel hulp", intensity[0] if intensity else None),
        ("Hoe lang", trajectory[0] if trajectory else None),
        ("Regeling", law),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines += ["", "Waarom dit advies:", *(f"- {x}" for x in data["explanation"])]
    lines += ["", "Wat gebeurt er nu:", *(f"- {x}" for x in data["next_steps"])]
    if data["providers"]:
        lines += ["", "Aanbieders die deze hulp geven:"]
        for p in data["providers"]:
            weeks = p.get("wachttijd_weken")
            wait = f", wachttijd ongeveer {weeks} weken" if weeks is not None else ""
            lines.append(f"- {p['naam']}{wait} (/aanbieders/{p['slug']})")
    return "\n".join(lines)


def _named(name: str, description: str) -> tuple[str, str]:
    """A name and its explanation, without saying the name twice ("Regelmatig hulp:
    regelmatig hulp, bijvoorbeeld ..." becomes "Regelmatig hulp: bijvoorbeeld ...")."""
    if description.casefold().startswith(name.casefold()):
        rest = description[len(name) :].lstrip(" ,.:")
        description = rest[:1].upper() + rest[1:] if rest else ""
    return name, description


def _focus(turn: Turn, error: str | None, typed: Mapping[str, str]) -> str:
    """The element an htmx step moves the focus to (the `autofocus` of the fragment).
    Ids differ per question: htmx puts the focus back on an element with the id that had
    it before the swap, which would keep it on "Nee" of the previous question."""
    question = turn.question
    if turn.step == "text":
        return "hw-tekst"
    if turn.step == "advice" or question is None:
        return "crisis-kop" if turn.crisis is not None else "advies-kop"
    if question.kind in ("number", "postcode") or (error and typed.get("vrij")):
        return f"hw-{question.key}-vrij"
    if question.kind == "choice":
        return f"hw-{question.key}-0"
    if question.kind == "profile":
        return "hw-profiel-0"
    first = next((d.value for d in question.domains if d.value in question.open_domains), "")
    return f"hw-d-{first}-0"


def _context(
    guide: Guide,
    cookie: ConversationCookie,
    conversation: Conversation,
    turn: Turn,
    *,
    error: str | None = None,
    typed: Mapping[str, str] | None = None,
    autofocus: bool = False,
) -> dict[str, Any]:
    pro = conversation.mode == "professional"
    return {
        "title": "Hulpwijzer",
        "current": "assistant",
        "available": True,
        "demo": guide.has_demo,
        "conv": conversation,
        "token": cookie.token(conversation),
        "turn": turn,
        "question": turn.question,
        "advice": advice_view(guide, turn, conversation),
        "links": _links(guide, cookie, conversation, turn),
        "crisis": turn.crisis,
        "crisis_contacts": [c.model_dump() for c in guide.config.crisis.contacts],
        "pro": pro,
        "error": error,
        "typed": {"tekst": "", "vrij": "", **(typed or {})},
        "notice": conversation.notice,
        "autofocus": autofocus,
        "focus": _focus(turn, error, typed or {}),
        "shown": len(turn.transcript),
        "text_max": TEXT_MAX_CHARS,
        "answer_max": ANSWER_MAX_CHARS,
        "max_age_minutes": cookie.max_age // 60,
        "skip": SKIP,
        "text_key": TEXT_KEY,
    }


def _links(
    guide: Guide, cookie: ConversationCookie, conversation: Conversation, turn: Turn
) -> dict[str, str | None]:
    """Links that reopen the advice (etalage.conversation.link), once there is one."""
    if turn.step != "advice":
        return {"plain": None, "with_text": None}
    tokens = advice_tokens(guide, AdviceLink(cookie.secret), conversation, turn.advice)
    return {k: f"{LINK_PATH}?l={v}" if v else None for k, v in tokens.items()}


def is_fragment_request(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    return (
        headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    )


def unavailable(status: int = 200) -> Template:
    return Template(
        "assistant.html",
        context={"title": "Hulpwijzer", "current": "assistant", "available": False},
        status_code=status,
        headers={**VARY, **NO_STORE},
    )


def may_see_professional(request: Request[Any, Any, Any]) -> bool:
    """The professional view (codes, tariffs) is for toegang and beheerders, logged in."""
    actor = current_actor(request)
    return actor is not None and actor.is_professional


def page(
    guide: Guide,
    cookie: ConversationCookie,
    request: Request[Any, Any, Any],
    conversation: Conversation,
    turn: Turn,
) -> Template:
    """The conversation as it stands (GET): the page, or the panel for htmx."""
    fragment = is_fragment_request(request)
    context = _context(guide, cookie, conversation, turn, autofocus=fragment)
    context["may_pro"] = may_see_professional(request)
    kept = conversation.with_notice("")  # a notice is shown once
    return Template(
        "_assistant_panel.html" if fragment else "assistant.html",
        context=context,
        headers={**VARY, **NO_STORE},
        cookies=[conversation_cookie(cookie, request, kept)],
    )


def after_step(
    guide: Guide,
    cookie: ConversationCookie,
    request: Request[Any, Any, Any],
    before: Conversation | None,
    outcome: Outcome,
    move: Move,
) -> Template | Redirect:
    """The answer to a post: its error, a redirect, the new messages or the panel."""
    conversation, turn = outcome.conversation, outcome.turn
    kept = conversation_cookie(cookie, request, conversation)
    headers = {**VARY, **NO_STORE}
    fragment = is_fragment_request(request)
    if outcome.error is not None:
        context = _context(
            guide,
            cookie,
            conversation,
            turn,
            error=outcome.error,
            typed=outcome.typed,
            autofocus=fragment,
        )
        context["may_pro"] = may_see_professional(request)
        if fragment:
            headers.update({"HX-Retarget": "#hulpwijzer", "HX-Reswap": "outerHTML"})
            return Template(
                "_assistant_panel.html", context=context, status_code=400, headers=headers,
                cookies=[kept],
            )  # fmt: skip
        return Template(
            "assistant.html", context=context, status_code=400, headers=headers, cookies=[kept]
        )
    if not fragment:
        anchor = "crisis-kop" if turn.crisis is not None else "stap"
        return Redirect(f"{PAGE_PATH}#{anchor}", status_code=303, headers=headers, cookies=[kept])
    context = _context(guide, cookie, conversation, turn, autofocus=True)
    context["may_pro"] = may_see_professional(request)
    new = update(guide, before, outcome, move)
    if new is not None:
        context["new_messages"] = new.messages
        context["crisis_changed"] = new.crisis_changed
        headers.update({"HX-Retarget": "#gesprek-berichten", "HX-Reswap": "beforeend"})
        return Template("_assistant_update.html", context=context, headers=headers, cookies=[kept])
    headers.update({"HX-Retarget": "#hulpwijzer", "HX-Reswap": "outerHTML"})
    return Template("_assistant_panel.html", context=context, headers=headers, cookies=[kept])


__all__ = [
    "NO_STORE",
    "PAGE_PATH",
    "VARY",
    "AdviceView",
    "advice_view",
    "after_step",
    "is_fragment_request",
    "may_see_professional",
    "page",
    "unavailable",
]
