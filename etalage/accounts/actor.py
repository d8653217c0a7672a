"""Who is acting: a logged-in user, a provider system with a token, or the command line.

Every service that changes data takes an `Actor` and checks it there (not only in a
template): `may_edit(kvk)` for a provider's figures, `is_beheerder` for beheer. A
provider a user may not edit is answered as if it did not exist (`NotYours`, a 404 at
the edge), so nobody learns which KvK numbers exist from refusals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class NotYours(LookupError):
    """The provider is unknown, or not one the actor may change (the same answer)."""


class NotAllowed(PermissionError):
    """The actor's role may not do this at all."""


@dataclass(frozen=True)
class Actor:
    email: str
    role: str  # beheerder, toegang, aanbieder; "systeem" for the command line
    kvks: frozenset[str] = frozenset()
    user_id: int | None = None
    # How the actor came in, for the audit log: "sessie", "token:<name>" or "cli".
    via: str = "sessie"

    @property
    def is_beheerder(self) -> bool:
        return self.role in ("beheerder", "systeem")

    @property
    def is_professional(self) -> bool:
        """May see the hulpwijzer's professional view and the tariffs."""
        return self.role in ("beheerder", "toegang", "systeem")

    def may_edit(self, kvk: str) -> bool:
        return self.is_beheerder or (self.role == "aanbieder" and kvk in self.kvks)

    @property
    def label(self) -> str:
        """Who, as the audit log writes it."""
        return self.email if self.via == "sessie" else f"{self.email} ({self.via})"


SYSTEM = Actor(email="systeem", role="systeem", via="cli")


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without a zone; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
