"""The hulpwijzer's conversation state, kept in a signed, expiring cookie.

Nothing of a conversation is stored on the server. The state (the hulpvraag, the answers
in the order they were given and the chosen view) travels in one cookie:

- signed with HMAC-SHA256 under a key derived from `settings.secret_key`, so a browser
  cannot change it; it is not encrypted (the person's own words, in their own browser),
  but it is `HttpOnly` (no script can read it) and scoped to `Path=/assistent`, so it is
  sent to no other page, no static file and not to the API;
- expiring: the expiry time is inside the signed value and checked on every request (30
  minutes after the last step); `Max-Age` tells the browser the same;
- `SameSite=Lax`, and `Secure` whenever the request came in over https.

CSRF: the conversation changes only by POST, and every form carries a token that is an
HMAC of the random `sid` inside the cookie. A cross-site page can neither read the
cookie nor the token, so its posts change nothing (see `token` and `check_token`).

The conversation itself is plain data with pure transitions (`answer`, `edit`, ...);
the web layer decides what to ask next (etalage.web.assistant).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from etalage.assistant.config import QUESTION_KEYS

Mode = Literal["inwoner", "professional"]

COOKIE_NAME = "hulpwijzer"
COOKIE_PATH = "/assistent"
MAX_AGE_S = 30 * 60
MAX_COOKIE_BYTES = 4000  # browsers keep at most 4096 bytes per cookie (name + value)
TEXT_KEY = "tekst"  # the hulpvraag in the list of answers ("wijzig" and editing)
_VERSION = "v1"


class ConversationTooLarge(ValueError):
    """The conversation no longer fits in one cookie."""


@dataclass(frozen=True)
class Step:
    """One answered question: `value` None means "weet ik niet" (skipped)."""

    key: str
    value: Any = None
    said: str = ""  # the words the person typed, when they typed their answer

    def as_list(self) -> list[Any]:
        return [self.key, self.value, self.said]


@dataclass(frozen=True)
class Conversation:
    sid: str
    text: str | None = None  # None: the hulpvraag is not told yet
    steps: tuple[Step, ...] = ()
    mode: Mode = "inwoner"
    editing: str | None = None  # TEXT_KEY or a question key being changed
    crisis_seen: bool = False  # crisis contacts stay on the page once shown
    notice: str = ""  # one-off message for the next page (not a personal detail)

    @classmethod
    def new(cls, mode: Mode = "inwoner") -> Conversation:
        return cls(sid=secrets.token_urlsafe(16), mode=mode)

    # ---- reading ---------------------------------------------------------------------

    @property
    def answered(self) -> frozenset[str]:
        return frozenset(s.key for s in self.steps)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    # ---- transitions (each returns a new conversation) -------------------------------

    def tell(self, text: str) -> Conversation:
        return replace(self, text=text, editing=None, notice="")

    def answer(self, key: str, value: Any, said: str = "") -> Conversation:
        """Record an answer; a changed answer keeps its place in the list."""
        new = Step(key, value, said)
        if any(s.key == key for s in self.steps):
            steps = tuple(new if s.key == key else s for s in self.steps)
        else:
            steps = (*self.steps, new)
        return replace(self, steps=steps, editing=None, notice="")

    def edit(self, key: str) -> Conversation:
        known = (key == TEXT_KEY and self.text is not None) or key in self.answered
        return replace(self, editing=key if known else None, notice="")

    def stop_editing(self) -> Conversation:
        return replace(self, editing=None, notice="")

    def switch(self, mode: Mode) -> Conversation:
        return replace(self, mode=mode, notice="")

    def restart(self) -> Conversation:
        """Everything told is forgotten; the view and the crisis contacts stay."""
        return Conversation(sid=self.sid, mode=self.mode, crisis_seen=self.crisis_seen)

    def saw_crisis(self) -> Conversation:
        return self if self.crisis_seen else replace(self, crisis_seen=True)

    def with_notice(self, notice: str) -> Conversation:
        return replace(self, notice=notice)

    # ---- (de)serialising -------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "text": self.text,
            "steps": [s.as_list() for s in self.steps],
            "mode": self.mode,
            "editing": self.editing,
            "crisis_seen": self.crisis_seen,
            "notice": self.notice,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Conversation:
        """Strict: anything unexpected raises ValueError (the cookie is then ignored)."""
        sid, text, mode = data["sid"], data["text"], data["mode"]
        if not isinstance(sid, str) or not sid or (text is not None and not isinstance(text, str)):
            raise ValueError("bad conversation")
        if mode not in ("inwoner", "professional"):
            raise ValueError("bad mode")
        steps = []
        for item in data["steps"]:
            key, value, said = item
            if key not in QUESTION_KEYS or not isinstance(said, str):
                raise ValueError("bad step")
            steps.append(Step(key, value, said))
        editing = data["editing"]
        if editing is not None and editing != TEXT_KEY and editing not in QUESTION_KEYS:
            raise ValueError("bad editing")
        return cls(
            sid=sid,
            text=text,
            steps=tuple(steps),
            mode=mode,
            editing=editing,
            crisis_seen=bool(data["crisis_seen"]),
            notice=str(data.get("notice") or ""),
        )


@dataclass(frozen=True)
class Loaded:
    conversation: Conversation | None
    expired: bool = False  # a genuine cookie whose time was up


@dataclass
class ConversationCookie:
    """Signs, checks and expires the conversation cookie."""

    secret: str
    max_age: int = MAX_AGE_S
    now: Callable[[], float] = field(default=time.time)

    def __post_init__(self) -> None:
        self._key = hashlib.sha256(b"etalage.hulpwijzer.cookie\x00" + self.secret.encode()).digest()

    def _sign(self, message: bytes) -> str:
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def dump(self, conversation: Conversation) -> str:
        body = {"exp": int(self.now()) + self.max_age, "c": conversation.as_json()}
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        payload = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode()
        message = f"{_VERSION}.{payload}"
        value = f"{message}.{self._sign(message.encode())}"
        if len(COOKIE_NAME) + 1 + len(value) > MAX_COOKIE_BYTES:
            raise ConversationTooLarge(len(value))
        return value

    def load(self, value: str | None) -> Loaded:
        if not value:
            return Loaded(None)
        version, _, rest = value.partition(".")
        payload, _, signature = rest.rpartition(".")
        if version != _VERSION or not payload:
            return Loaded(None)
        expected = self._sign(f"{version}.{payload}".encode())
        if not hmac.compare_digest(expected, signature):
            return Loaded(None)
        try:
            padded = payload + "=" * (-len(payload) % 4)
            raw = zlib.decompressobj().decompress(base64.urlsafe_b64decode(padded), 64 * 1024)
            body = json.loads(raw)
            if int(body["exp"]) <= self.now():
                return Loaded(None, expired=True)
            return Loaded(Conversation.from_json(body["c"]))
        except (ValueError, KeyError, TypeError, binascii.Error, zlib.error):
            return Loaded(None)

    # ---- CSRF ------------------------------------------------------------------------

    def token(self, conversation: Conversation) -> str:
        return self._sign(b"csrf\x00" + conversation.sid.encode())

    def check_token(self, conversation: Conversation | None, token: object) -> bool:
        if conversation is None or not isinstance(token, str) or not token:
            return False
        return hmac.compare_digest(self.token(conversation), token)


__all__ = [
    "COOKIE_NAME",
    "COOKIE_PATH",
    "MAX_AGE_S",
    "TEXT_KEY",
    "Conversation",
    "ConversationCookie",
    "ConversationTooLarge",
    "Loaded",
    "Mode",
    "Step",
]
