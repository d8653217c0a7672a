"""A per-client request budget for open endpoints that harvesters call (the HSDS API):
`LIMIT` requests per `WINDOW_S` seconds per client address, counted per app process in
a fixed window; over it, a Dutch 429 with `Retry-After`. Memory stays bounded: at most
`MAX_CLIENTS` addresses are tracked, the oldest windows are dropped first."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

LIMIT = 600
WINDOW_S = 60.0
MAX_CLIENTS = 10_000


class RateLimit:
    def __init__(
        self,
        limit: int = LIMIT,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._lock = threading.Lock()
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def wait_s(self, client: str) -> float:
        """0 when the request may go ahead (and is counted); else seconds to wait."""
        now = self.clock()
        with self._lock:
            start, count = self._windows.get(client, (now, 0))
            if now - start >= self.window_s:
                start, count = now, 0
            if count >= self.limit:
                return max(1.0, self.window_s - (now - start))
            self._windows[client] = (start, count + 1)
            self._windows.move_to_end(client)
            while len(self._windows) > MAX_CLIENTS:
                self._windows.popitem(last=False)
            return 0.0
