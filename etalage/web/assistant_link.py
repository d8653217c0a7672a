"""Taking the advice along: a signed link that reopens it (etalage.conversation.link),
and the page that link opens, `GET /assistent/advies?l=…`.

The page recomputes the advice from the link with today's providers and shows it with
the same copy and print buttons; it sets no cookie and changes nothing. A link that is
changed, cut off or too long gets a Dutch message (400), never an error page.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from etalage.conversation import Guide
from etalage.conversation.link import AdviceLink
from etalage.conversation.turn import take_turn
from etalage.web.assistant_rendering import LINK_PATH, NO_STORE, advice_view


@get(LINK_PATH, name="assistant_link", sync_to_thread=True, include_in_schema=False)
def assistant_link_page(
    request: Request[Any, Any, Any], hulpwijzer: NamedDependency[Any]
) -> Template:
    context: dict[str, Any] = {
        "title": "Advies van de hulpwijzer",
        "current": "assistant",
        "advice": None,
        "pro": False,
        "autofocus": False,
        "focus": "",
        "links": {"plain": None, "with_text": None},
        "from_link": True,
    }
    if not hulpwijzer.available:
        return Template("assistant_link.html", context=context, status_code=404)
    guide: Guide = hulpwijzer.guide
    link = AdviceLink(hulpwijzer.cookie.secret)
    conversation = link.load(request.query_params.get("l"))
    if conversation is None:
        return Template("assistant_link.html", context=context, status_code=400, headers=NO_STORE)
    turn = take_turn(guide, conversation)
    context.update(
        demo=guide.has_demo,
        advice=advice_view(guide, turn, conversation),
        pro=conversation.mode == "professional",
        own_text=bool(conversation.text),
        links={"plain": None, "with_text": None},
    )
    return Template("assistant_link.html", context=context, headers=NO_STORE)
