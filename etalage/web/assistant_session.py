"""The hulpwijzer's conversation cookie on the wire.

The conversation travels in one cookie, signed and expiring (etalage.conversation.cookie);
here it gets its flags, set by us and never library defaults: `HttpOnly` (no script can
read it), `Path=/assistent` (sent to no other page, no static file and not to the API),
`SameSite=Lax`, `Max-Age` as long as the signed expiry, and `Secure` whenever the
request came in over https.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from etalage.conversation import COOKIE_NAME, Conversation, ConversationCookie, Loaded

COOKIE_PATH = "/assistent"


def load_conversation(cookie: ConversationCookie, request: Request[Any, Any, Any]) -> Loaded:
    return cookie.load(request.cookies.get(COOKIE_NAME))


def conversation_cookie(
    cookie: ConversationCookie, request: Request[Any, Any, Any], conversation: Conversation
) -> Cookie:
    return Cookie(
        key=COOKIE_NAME,
        value=cookie.dump(conversation),
        path=COOKIE_PATH,
        max_age=cookie.max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


__all__ = ["COOKIE_NAME", "COOKIE_PATH", "conversation_cookie", "load_conversation"]
