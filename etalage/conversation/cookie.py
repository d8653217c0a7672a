"""The conversation in one encrypted, expiring cookie value.

- encrypted and authenticated with AES-256-GCM (`cryptography`) under a key derived
  from the app's secret key: the free text is personal, so nobody who sees the cookie
  (a shared computer, a proxy log) can read it, and a browser cannot change it;
- expiring: the expiry time is inside the encrypted value and checked on every load (30
  minutes after the last step);
- "Begin opnieuw" gives the conversation a new `sid`; the old one is handed to `ended`
  (the web layer keeps it in the database until its cookie would have expired), and a
  cookie whose `sid` has ended is not loaded: an old copy of the cookie cannot bring a
  conversation back. Only the random `sid` is kept, never anything that was said;
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
import os
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from etalage.conversation.state import Conversation

COOKIE_NAME = "hulpwijzer"
MAX_AGE_S = 30 * 60
MAX_COOKIE_BYTES = 4000  # browsers keep at most 4096 bytes per cookie (name + value)
_VERSION = "v2"
_NONCE_BYTES = 12


class Ended(Protocol):
    """Where conversations that were started over are kept (their `sid`s)."""

    def end(self, sid: str, until: float) -> None: ...

    def has_ended(self, sid: str) -> bool: ...


class EndedConversations:
    """Conversations that were started over: `end(sid, until)` and `has_ended(sid)`.
    This in-memory one serves tests and a single process; the app keeps them in the
    database (etalage.db.ended), shared by every process."""

    def __init__(self) -> None:
        self._ended: dict[str, float] = {}

    def end(self, sid: str, until: float) -> None:
        self._ended[sid] = until

    def has_ended(self, sid: str) -> bool:
        return sid in self._ended


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
    ended: Ended = field(default_factory=EndedConversations)

    def __post_init__(self) -> None:
        self._key = hashlib.sha256(b"etalage.hulpwijzer.cookie\x00" + self.secret.encode()).digest()
        self._cipher = AESGCM(
            hashlib.sha256(b"etalage.hulpwijzer.cookie.aes\x00" + self.secret.encode()).digest()
        )

    def _sign(self, message: bytes) -> str:
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def _seal(self, conversation: Conversation) -> str:
        body = {"exp": int(self.now()) + self.max_age, "c": conversation.as_json()}
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._cipher.encrypt(nonce, zlib.compress(raw, 9), _VERSION.encode())
        return f"{_VERSION}.{base64.urlsafe_b64encode(nonce + sealed).rstrip(b'=').decode()}"

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
        if not value or len(value) > MAX_COOKIE_BYTES:
            return Loaded(None)
        version, _, payload = value.partition(".")
        if version != _VERSION or not payload:
            return Loaded(None)
        try:
            sealed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            nonce, box = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
            packed = self._cipher.decrypt(nonce, box, _VERSION.encode())
            raw = zlib.decompressobj().decompress(packed, 64 * 1024)
            body = json.loads(raw)
            if int(body["exp"]) <= self.now():
                return Loaded(None, expired=True)
            conversation = Conversation.from_json(body["c"])
        except (InvalidTag, ValueError, KeyError, TypeError, binascii.Error, zlib.error):
            return Loaded(None)
        if self.ended.has_ended(conversation.sid):
            return Loaded(None)  # started over since: this copy of the cookie is void
        return Loaded(conversation)

    def end(self, conversation: Conversation) -> None:
        """The conversation was started over: its cookie may not come back."""
        self.ended.end(conversation.sid, self.now() + self.max_age)

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
