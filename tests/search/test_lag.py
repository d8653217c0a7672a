"""While Meilisearch is behind the embedded copy for more than a second, the copy answers.

The outbox worker writes every change to the embedded copy first and then to
Meilisearch, and tells the resilient backend when Meilisearch is behind and when it has
caught up. A clock the test controls stands in for time.
"""

from __future__ import annotations

import pytest

from search_index.embedded import EmbeddedBackend
from search_index.meili import MeiliBackend
from search_index.protocol import SearchQuery
from search_index.resilient import ResilientBackend

pytestmark = pytest.mark.meili


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_lagging_meilisearch_hands_over_to_the_copy_and_takes_back(
    meili_backend: MeiliBackend, embedded_backend: EmbeddedBackend
) -> None:
    clock = Clock()
    backend = ResilientBackend(meili_backend, embedded_backend, clock=clock, lag_limit_s=1.0)
    query = SearchQuery(q="autisme")
    assert backend.search(query).backend == "meilisearch"
    backend.mark_behind()
    clock.now += 0.9  # a usual write: Meilisearch keeps answering
    assert backend.search(query).backend == "meilisearch"
    backend.mark_behind()  # a second change does not restart the clock
    clock.now += 0.2
    answer = backend.search(query)
    assert (answer.backend, answer.notice) == ("embedded", None)  # current, so no notice
    assert [h.id for h in answer.hits] == [h.id for h in meili_backend.search(query).hits]
    backend.mark_caught_up()
    assert backend.search(query).backend == "meilisearch"
    assert backend.caught_up and not backend.lagging
