"""A link that reopens the same advice: the answers in the URL, signed.

For the file (a toegang worker) or to look again later (a citizen): `/assistent/advies?l=…`
recomputes the advice from what the link holds, with today's providers. The link holds:

- the structured answers (age, life domains, the yes/no questions, duration, postcode),
  without the words anyone typed;
- what the advice read from the free text, as answers: the age, the profile (as the
  "which description fits" answer), the duration and whether living elsewhere is needed;
- the person's own free text only when they choose so (`with_text`).

A link without the text is offered only when it gives the same advice (route, law,
profile, intensity, trajectory): `same_advice` checks that when the link is made. It is
signed with HMAC-SHA256 under its own key derived from the app's secret (a changed
link is refused), compressed and base64url-encoded, and does not expire: it holds no
more than the person chose to put in it. A crisis advice gets no link (the contacts come
first).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import zlib
from dataclasses import dataclass, replace
from typing import Any

from etalage.assistant import Advice
from etalage.conversation.guide import Guide
from etalage.conversation.state import Conversation, Step
from etalage.conversation.turn import take_turn

_VERSION = "l1"
MAX_LINK_CHARS = 6000  # well inside what browsers and servers accept in a URL
KEPT_FIELDS = ("route", "law", "intensity", "trajectory")


def same_advice(one: Advice, other: Advice) -> bool:
    def code(advice: Advice) -> str | None:
        return advice.profile["code"] if advice.profile else None

    return code(one) == code(other) and all(
        getattr(one, name) == getattr(other, name) for name in KEPT_FIELDS
    )


def snapshot(conversation: Conversation, advice: Advice, *, with_text: bool) -> Conversation:
    """The conversation a link keeps: answers only (the typed words left out), plus what
    the advice read from the text; the free text itself only `with_text`."""
    steps = [Step(s.key, s.value) for s in conversation.steps]
    have = {s.key for s in steps}
    decision = advice.decision
    read: list[tuple[str, Any]] = [
        ("age", decision.age),
        ("profile", advice.profile["code"] if advice.profile else None),
        ("duration", decision.duration),
        ("residential_care_needed", decision.residential),
    ]
    if not with_text:
        steps += [Step(key, value) for key, value in read if key not in have and value is not None]
    return Conversation(
        sid=secrets.token_urlsafe(16),
        text=(conversation.text or "") if with_text else "",
        steps=tuple(steps),
        mode=conversation.mode,
    )


def advice_tokens(
    guide: Guide, link: AdviceLink, conversation: Conversation, advice: Advice | None
) -> dict[str, str | None]:
    """The link tokens for an advice: without the free text (only when that gives the
    same advice) and with it (when there is a text); None where there is none."""
    out: dict[str, str | None] = {"plain": None, "with_text": None}
    if advice is None or advice.crisis is not None:
        return out
    plain = snapshot(conversation, advice, with_text=False)
    again = take_turn(guide, plain).advice
    if again is not None and same_advice(again, advice):
        out["plain"] = link.dump(plain)
    if conversation.text:
        out["with_text"] = link.dump(snapshot(conversation, advice, with_text=True))
    return out


@dataclass(frozen=True)
class AdviceLink:
    secret: str

    def _key(self) -> bytes:
        return hashlib.sha256(b"etalage.hulpwijzer.link\x00" + self.secret.encode()).digest()

    def _sign(self, message: bytes) -> str:
        digest = hmac.new(self._key(), message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).rstrip(b"=").decode()

    def dump(self, conversation: Conversation) -> str | None:
        """The link's token; None when it would be too long for a URL."""
        data = conversation.as_json()
        body = {"t": data["text"], "s": data["steps"], "m": data["mode"]}
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        payload = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode()
        message = f"{_VERSION}.{payload}"
        token = f"{message}.{self._sign(message.encode())}"
        return token if len(token) <= MAX_LINK_CHARS else None

    def load(self, token: str | None) -> Conversation | None:
        """The conversation of a genuine link; None for anything else."""
        if not token or len(token) > MAX_LINK_CHARS:
            return None
        version, _, rest = token.partition(".")
        payload, _, signature = rest.rpartition(".")
        if version != _VERSION or not payload:
            return None
        if not hmac.compare_digest(self._sign(f"{version}.{payload}".encode()), signature):
            return None
        try:
            padded = payload + "=" * (-len(payload) % 4)
            raw = zlib.decompressobj().decompress(base64.urlsafe_b64decode(padded), 64 * 1024)
            body = json.loads(raw)
            conversation = Conversation.from_json(
                {
                    "sid": secrets.token_urlsafe(16),
                    "text": body["t"],
                    "steps": body["s"],
                    "mode": body["m"],
                    "editing": None,
                    "crisis_seen": False,
                }
            )
        except (ValueError, KeyError, TypeError, binascii.Error, zlib.error):
            return None
        return replace(conversation, editing=None, notice="")
