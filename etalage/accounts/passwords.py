"""Passwords: argon2id hashes and a policy a person can follow (Dutch messages).

- at least 12 characters (length beats composition rules, as NIST SP 800-63B says);
- not a common password: the 30,000 most used ones (zxcvbn's list), Dutch words people
  pick ("welkom", "wachtwoord", the region's places), with digits and signs around them
  ("Welkom2026!") counting as the word itself;
- not the e-mail address or name of the user;
- and hard enough to guess by zxcvbn's estimate (score 3 of 4 or more).

Hashes use argon2id with argon2-cffi's RFC 9106 low-memory profile; `needs_rehash`
says when a stored hash uses older parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 256  # hashing is costly; nobody types more
MIN_SCORE = 3
# Words Dutch users pick for a password, besides zxcvbn's (English) lists.
DUTCH_WORDS = (
    "welkom", "wachtwoord", "geheim", "inloggen", "toegang", "beheer", "beheerder",
    "gemeente", "etalage", "zorg", "jeugdzorg", "wijkteam", "aanbieder", "zomer", "winter",
    "lente", "herfst", "voorjaar", "najaar", "januari", "februari", "maart", "april", "mei",
    "juni", "juli", "augustus", "september", "oktober", "november", "december", "maandag",
    "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "voetbal", "ajax",
    "feyenoord", "psv", "oranje", "nederland", "holland", "amsterdam", "rotterdam",
    "westfriesland", "hoorn", "enkhuizen", "medemblik", "drechterland", "koggenland",
    "opmeer", "stedebroec", "schatje", "liefde", "hallo", "kaas", "fiets",
)  # fmt: skip
_COMMON = frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(DUTCH_WORDS)
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")

_hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


def policy_problems(password: str, personal: Iterable[str] = ()) -> list[str]:
    """What is wrong with a new password, in Dutch; empty when it is fine."""
    if len(password) < MIN_LENGTH:
        return [f"Het wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn."]
    if len(password) > MAX_LENGTH:
        return [f"Het wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn."]
    folded = password.casefold()
    core = _AROUND.sub("", folded)
    if folded in _COMMON or core in _COMMON or core.replace(" ", "") in _COMMON:
        return ["Dit wachtwoord wordt veel gebruikt en is snel te raden. Kies een ander."]
    parts = {p for value in personal for p in re.split(r"[\W_]+", value.casefold()) if len(p) >= 4}
    if any(part in folded for part in parts):
        return ["Het wachtwoord mag uw naam of e-mailadres niet bevatten."]
    if zxcvbn(password[:100], user_inputs=[*parts, *DUTCH_WORDS])["score"] < MIN_SCORE:
        return [
            "Dit wachtwoord is te makkelijk te raden. Maak het langer, bijvoorbeeld met "
            "een paar losse woorden die niet bij elkaar horen."
        ]
    return []


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
