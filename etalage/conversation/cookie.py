"""The conversation in one signed, expiring cookie value (nothing is kept on the server).

- signed with HMAC-SHA256 under a key derived from the app's secret key, so a browser
  cannot change it; it is not encrypted (the person's own words, in their own browser);
- expiring: the expiry time is inside the signed value and checked on every load (30
  minutes after the last step);
- CSRF: every form carries a token that is an HMAC of the random `sid` inside the
  value. A cross-site page can read neither, so its posts change nothing.

The web layer sets the cookie flags (web/assistant_session.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from etalage.conversation.state import Conversation

COOKIE_NAME = "hulpwijzer"
MAX_AGE_S = 30 * 60
MAX_COOKIE_BYTES = 4000  # browsers keep at most 4096 bytes per cookie (name + value)
_VERSION = "v1"


class ConversationTooLarge(ValueError):
    """The conversation no longer fits in one cookie."""


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

    def _seal(self, conversation: Conversation) -> str:
        body = {"exp": int(self.now()) + self.max_age, "c": conversation.as_json()}
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        payload = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode()
        message = f"{_VERSION}.{payload}"
        return f"{message}.{self._sign(message.encode())}"

    def fits(self, conversation: Conversation) -> bool:
        """Does the conversation fit in the cookie (without its turn mark, a hint)?"""
        return _fits(self._seal(conversation.marked(None)))

    def dump(self, conversation: Conversation) -> str:
        value = self._seal(conversation)
        if not _fits(value) and conversation.last_turn is not None:
            value = self._seal(conversation.marked(None))  # the next step does without
        if not _fits(value):
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


def _fits(value: str) -> bool:
    return len(COOKIE_NAME) + 1 + len(value) <= MAX_COOKIE_BYTES


__all__ = [
    "COOKIE_NAME",
    "MAX_AGE_S",
    "MAX_COOKIE_BYTES",
    "ConversationCookie",
    "ConversationTooLarge",
    "Loaded",
]
