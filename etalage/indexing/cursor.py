"""Which outbox rows one target (a process's embedded copy) has applied.

PostgreSQL hands out sequence values before commit, so an id below the highest one seen
may still be committed later: the cursor keeps the ids seen above its floor and moves
the floor over a gap only after `GAP_GRACE_S` (then it was a rolled-back transaction).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

# An outbox id below the highest one seen may still be committed later (PostgreSQL
# hands out sequence values before commit); such a gap is re-read for this long before
# it is taken as a rolled-back transaction.
GAP_GRACE_S = 60.0


class OutboxCursor:
    """Which outbox rows one target has applied: a floor plus the ids seen above it."""

    def __init__(self, floor: int = 0, clock: Callable[[], float] = time.monotonic) -> None:
        self.floor = floor
        self.seen: set[int] = set()
        self._gaps: dict[int, float] = {}
        self._clock = clock

    def reset(self, floor: int) -> None:
        self.floor = floor
        self.seen.clear()
        self._gaps.clear()

    def take(self, ids: Iterable[int]) -> list[int]:
        """The ids not applied yet, marking them applied."""
        fresh = [i for i in ids if i > self.floor and i not in self.seen]
        self.seen.update(fresh)
        return fresh

    def advance(self) -> None:
        """Move the floor up over ids seen, and over gaps older than the grace time."""
        now = self._clock()
        top = max(self.seen, default=self.floor)
        for missing in range(self.floor + 1, top):
            if missing not in self.seen:
                self._gaps.setdefault(missing, now)
        floor = self.floor
        while floor + 1 <= top and (
            floor + 1 in self.seen or now - self._gaps.get(floor + 1, now) >= GAP_GRACE_S
        ):
            floor += 1
            self.seen.discard(floor)
            self._gaps.pop(floor, None)
        self.floor = floor
