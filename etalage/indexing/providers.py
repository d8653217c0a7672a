"""The assistant's provider index, made from the search service's documents.

The search service already holds every provider's search document in its embedded copy
and keeps it in step with the database through the outbox. The assistant's
`ProviderIndex` is built from those documents (read back into records by
`search_index.documents.record_from_document`), so there is one database read and one
document build for search and the assistant alike. It is rebuilt when the service's
`version` moves (a change arrived) or the day changes (waiting-time freshness depends
on the date); while one request rebuilds, the others use the previous index (or wait
for the first one).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Protocol

from etalage.assistant import ProviderIndex
from etalage.region.model import RegionPack
from search_index.documents import SearchDocument, record_from_document

log = logging.getLogger("etalage.indexing.providers")


class DocumentSource(Protocol):
    """What the index needs of the search service."""

    @property
    def version(self) -> int: ...

    def documents(self) -> list[SearchDocument]: ...


class AssistantProviders:
    def __init__(
        self,
        source: DocumentSource,
        pack: RegionPack,
        clock: Callable[[], date] = date.today,
        has_demo: Callable[[], bool] = lambda: False,
    ) -> None:
        self.source = source
        self.pack = pack
        self.clock = clock
        self._demo_check = has_demo
        self._lock = threading.Lock()
        self._index = ProviderIndex(pack, (), clock())
        self._built_for: tuple[int, date] | None = None
        self.has_demo = False
        self.builds = 0

    def current(self) -> ProviderIndex:
        wanted = (self.source.version, self.clock())
        if wanted == self._built_for:
            return self._index
        # Another request is rebuilding: use the previous index, unless there is none yet
        # (just after start-up), where waiting for the first one beats an empty answer.
        if not self._lock.acquire(blocking=self._built_for is None):
            return self._index
        try:
            wanted = (self.source.version, self.clock())  # read before the documents
            if wanted != self._built_for:
                records = [record_from_document(doc) for doc in self.source.documents()]
                self._index = ProviderIndex(self.pack, records, wanted[1])
                # Long-lived, like the embedded index (SearchService.reload): kept out of
                # the cyclic GC, whose full passes would otherwise walk it and pause
                # every request thread.
                gc.freeze()
                self.has_demo = self._demo_check()
                self._built_for = wanted
                self.builds += 1
        except Exception:  # keep the last index; the next request tries again
            log.exception("assistant provider index not rebuilt")
        finally:
            self._lock.release()
        return self._index
