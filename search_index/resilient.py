"""Search that never goes dark: Meilisearch when it works, the embedded backend otherwise.

`ResilientBackend` asks Meilisearch first. When Meilisearch errors, times out (its
search client gives up after `MeiliBackend.search_timeout_s`, 0.3 s by default) or
answers slower than `slow_ms`, the breaker opens: this search and the following ones
are answered by the embedded backend, marked `backend="embedded"` with a quiet notice,
and the switch is logged once. While open, a background probe checks Meilisearch
every `retry_after_s` (doubling up to `max_retry_after_s`); when a probe succeeds the
breaker closes and searches go back to Meilisearch (logged too). No user request waits
on a Meilisearch that is known to be down.

Writes go to both: the embedded copy first (it cannot fail), then Meilisearch; a
Meilisearch failure is raised as `BackendError` so the caller (the outbox worker)
retries; the retry is harmless for the embedded copy.

Facet counts come from the embedded copy when it agrees with Meilisearch. Counting
facets is most of Meilisearch's work for a results page (it looks every candidate up
once more), while the embedded copy, which is in this process and kept in step anyway,
counts them with a few bitset intersections. So Meilisearch is asked for the hits and
the exact total only, the embedded copy then counts the same query, and its counts are
used when its total (and any words it had to leave out) equal Meilisearch's. When they
differ, for instance while Meilisearch is a write behind, a second Meilisearch request
counts them instead: the counts always belong to the total shown next to them.
`local_copy=False` leaves the counting to Meilisearch.

A results page (`results_page`) needs more counts than the facets of its search: next
to a one-choice filter that is set, how many each other option finds (its own search
without that filter), and when nothing was found, how many each wider search finds (the
"zoek zonder ..." links). The option counts come from the copy under the same check:
when it finds, for the chosen option, what Meilisearch found for the page; otherwise
Meilisearch counts them, in parallel. A wider search is an offer (following it shows
Meilisearch's own result and total), so the copy counts it whenever Meilisearch is in
use.

(Marking the matches in the copy as well was tried and measured: it moves as much work
into this process as it saves Meilisearch, so Meilisearch marks them.)

Changes must be searchable within seconds, and the embedded copy has them first (the
outbox worker writes it before Meilisearch). Meilisearch's own write usually takes a
tenth of a second but now and then several; while the worker reports Meilisearch
behind the copy (`mark_behind` / `mark_caught_up`) for longer than `lag_limit_s`,
searches are answered by the embedded copy, which is complete and current, marked
`backend="embedded"` without a notice, and go back to Meilisearch when it has caught up.

`QueryError` (a bad parameter) is not a backend failure: it is raised as is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from search_index.documents import SearchDocument
from search_index.embedded import EmbeddedBackend
from search_index.engine import FALLBACK_NOTICE
from search_index.meili import MeiliBackend
from search_index.protocol import (
    SINGLE_CHOICE_FILTERS,
    BackendError,
    BackendName,
    Health,
    IndexStats,
    QueryError,
    ResultsPage,
    SearchQuery,
    SearchRequest,
    SearchResult,
    WiderSearch,
)
from search_index.vocabulary import Understanding

log = logging.getLogger(__name__)


class ResilientBackend:
    def __init__(
        self,
        primary: MeiliBackend | None,
        fallback: EmbeddedBackend,
        *,
        slow_ms: float = 300.0,
        retry_after_s: float = 5.0,
        max_retry_after_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        local_copy: bool = True,
        lag_limit_s: float = 1.0,
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.local_copy = local_copy
        self.lag_limit_s = lag_limit_s
        self._behind_since: float | None = None  # Meilisearch lacks changes the copy has
        # Not yet compared with the database since this process started (or reloaded):
        # after a restart it may miss changes made meanwhile, so the copy answers.
        self._unverified = False
        self.facet_fallbacks = 0  # how often Meilisearch had to count (for tests, logs)
        self.slow_ms = slow_ms
        self.retry_after_s = retry_after_s
        self.max_retry_after_s = max_retry_after_s
        self._clock = clock
        self._lock = threading.Lock()
        self._open = False
        self._backoff = retry_after_s
        self._next_probe = 0.0
        self._probe: threading.Thread | None = None
        self.last_error: str | None = None
        # For the searches a results page runs next to its main search (option counts,
        # wider searches): in parallel, so the page waits for the slowest only.
        self._pool_lock = threading.Lock()
        self._pool_threads: ThreadPoolExecutor | None = None

    @property
    def name(self) -> BackendName:
        return "meilisearch" if self.primary is not None else "embedded"

    @property
    def using_fallback(self) -> bool:
        return self.primary is None or self._open

    # ---- the breaker ----------------------------------------------------------------------

    def report_failure(self, reason: str) -> None:
        """Meilisearch failed outside a search (the sync worker): open the breaker, so
        searches say they come from the simpler search until a probe succeeds."""
        if self.primary is not None:
            self._trip(reason)

    def _trip(self, reason: str) -> None:
        with self._lock:
            was_open = self._open
            self._open = True
            self.last_error = reason
            if not was_open:
                self._backoff = self.retry_after_s
            self._next_probe = self._clock() + self._backoff
        if not was_open:
            log.warning("search: Meilisearch unavailable (%s); answering from embedded", reason)

    def _close(self) -> None:
        with self._lock:
            was_open = self._open
            self._open = False
            self._backoff = self.retry_after_s
            self.last_error = None
        if was_open:
            log.info("search: Meilisearch is back; answering from Meilisearch again")

    def _maybe_probe(self) -> None:
        with self._lock:
            if not self._open or self._clock() < self._next_probe:
                return
            if self._probe is not None and self._probe.is_alive():
                return
            self._probe = threading.Thread(target=self._run_probe, name="meili-probe", daemon=True)
            self._probe.start()

    def _run_probe(self) -> None:
        primary = self.primary
        assert primary is not None
        started = self._clock()
        try:
            if not primary.health().ok:
                raise BackendError("health check failed")
            primary.search(SearchQuery(per_page=1, understand=False))
            if (self._clock() - started) * 1000 > self.slow_ms * 2:
                raise BackendError("still slow")
        except Exception as exc:  # any failure keeps the breaker open, a bit longer
            with self._lock:
                self._backoff = min(self._backoff * 2, self.max_retry_after_s)
                self._next_probe = self._clock() + self._backoff
                self.last_error = f"probe: {exc}"
            log.debug("search: Meilisearch probe failed: %s", exc)
            return
        self._close()

    def check(self) -> bool:
        """Probe Meilisearch now (for a background task); True when it is in use."""
        if self.primary is None:
            return False
        with self._lock:
            self._next_probe = 0.0
        if self._open:
            self._run_probe()
        return not self._open

    # ---- searching ----------------------------------------------------------------------

    def _from_primary(self, primary: MeiliBackend, query: SearchQuery) -> SearchResult:
        if not self.local_copy:
            return primary.search(query)
        if not query.facets:
            return primary.search(query)
        answer = primary.search(replace(query, facets=False))
        # After Meilisearch answered, not alongside: the count takes a fraction of a
        # millisecond, and a second busy thread would make this one wait for the GIL.
        try:
            counted: SearchResult | None = self._count_locally(query)
        except Exception as exc:  # a bug in the copy must not cost the visitor the page
            log.warning("search: embedded facet count failed (%s); Meilisearch counts", exc)
            counted = None
        if (
            counted is not None
            and counted.total == answer.total
            and counted.relaxed_words == answer.relaxed_words
        ):
            return answer.with_facets(counted.facets)
        self.facet_fallbacks += 1
        log.debug(
            "search: embedded copy found %s, Meilisearch %s; Meilisearch counts the facets",
            None if counted is None else counted.total,
            answer.total,
        )
        # The same query again, counted by Meilisearch (it relaxes it the same way).
        recount = primary.search(replace(query, hits=False, highlight=False))
        return answer.with_facets(recount.facets)

    def _count_locally(self, query: SearchQuery) -> SearchResult:
        """The total and facet counts of `query` from the embedded copy, without asking
        Meilisearch (callers check them against a Meilisearch total they have)."""
        return self.fallback.search(replace(query, hits=False, highlight=False))

    # ---- Meilisearch behind the embedded copy ----------------------------------------

    def mark_behind(self) -> None:
        """The embedded copy has changes Meilisearch does not have yet."""
        with self._lock:
            if self._behind_since is None:
                self._behind_since = self._clock()

    def mark_caught_up(self) -> None:
        """Meilisearch has every change the embedded copy has."""
        with self._lock:
            self._behind_since = None

    def mark_unverified(self) -> None:
        """Meilisearch has not been compared with the database yet: do not trust it."""
        with self._lock:
            self._unverified = True

    def mark_verified(self) -> None:
        """Meilisearch was found (or brought) in step with the database."""
        with self._lock:
            self._unverified = False

    @property
    def verified(self) -> bool:
        return not self._unverified

    @property
    def caught_up(self) -> bool:
        """Meilisearch has every change the copy has (as far as the worker knows)."""
        return self._behind_since is None

    @property
    def lagging(self) -> bool:
        """Meilisearch has been behind the copy for longer than `lag_limit_s`, or has not
        been compared with the database since the start: the copy answers instead."""
        if self._unverified:
            return True
        since = self._behind_since
        return since is not None and self._clock() - since > self.lag_limit_s

    def search(self, query: SearchQuery) -> SearchResult:
        primary = self.primary
        if primary is not None and not self._open and self.lagging:
            # Complete and current, only not Meilisearch: no notice needed.
            return self.fallback.search(query).with_backend("embedded", None)
        if primary is not None and not self._open:
            started = self._clock()
            try:
                result = self._from_primary(primary, query)
            except QueryError:
                raise
            except Exception as exc:
                self._trip(f"{type(exc).__name__}: {exc}")
            else:
                elapsed_ms = (self._clock() - started) * 1000
                if elapsed_ms > self.slow_ms:
                    # The answer is here: use it, but send the next searches elsewhere.
                    self._trip(f"slow: {elapsed_ms:.0f} ms")
                return result
        if primary is not None:
            self._maybe_probe()
            return self.fallback.search(query).with_backend("embedded", FALLBACK_NOTICE)
        return self.fallback.search(query)

    # ---- a results page -------------------------------------------------------------

    def results_page(
        self,
        request: SearchRequest,
        *,
        highlight: bool = True,
        option_counts: bool = True,
        wider: bool = True,
    ) -> ResultsPage:
        """One page of results for `request`, with what a results page shows next to
        them: `option_counts` the counts next to a chosen one-choice filter's other
        options (else the facet counts only), `wider` on an empty result the wider
        searches that find something; `highlight=False` when the caller shows no match
        marks (the JSON API). Raises QueryError for a bad parameter; whatever else
        breaks, the embedded copy answers."""
        result = self._answer(request.query(highlight=highlight))
        counts = self._option_counts(request, result) if option_counts else result.facets
        found_more: tuple[WiderSearch, ...] = ()
        if wider and result.total == 0:
            found_more = self._wider_searches(request, result.understood)
        return ResultsPage(request, result, counts, found_more)

    def _answer(self, query: SearchQuery) -> SearchResult:
        try:
            return self.search(query)
        except QueryError:
            raise
        except Exception:
            # `search` answers from the embedded copy already; this is the last line:
            # whatever broke, the visitor still gets an answer.
            log.exception("search failed; answering from the embedded index directly")
            notice = FALLBACK_NOTICE if self.primary is not None else None
            return self.fallback.search(query).with_backend("embedded", notice)

    def _option_counts(
        self, request: SearchRequest, found: SearchResult
    ) -> dict[str, dict[str, int]]:
        """How many providers you find when you choose each filter option. For a
        one-choice filter that is set, its own counts come from the search without it
        (else every other option would read 0): from the embedded copy when it agrees
        with Meilisearch on the one number both can check (choosing the option that is
        set finds what the main search found), otherwise searched like everything else,
        in parallel."""
        counts = dict(found.facets)
        chosen = [name for name in SINGLE_CHOICE_FILTERS if getattr(request, name) is not None]
        if not chosen:
            return counts
        local = found.backend == "meilisearch" and self.local_copy
        pending: dict[str, Future[SearchResult]] = {}
        for name in chosen:
            # Choosing another municipality keeps a place in the text as words (an
            # explicit choice wins), so its count does too.
            query = request.without(name, page=1).query(
                hits=False, highlight=False, read_place=name != "gemeente"
            )
            if local:
                try:
                    without_it = self._count_locally(query).facets.get(name, {})
                except Exception:  # the copy failing must not cost the page
                    log.exception("counting the filter options locally failed")
                    without_it = {}
                if without_it.get(str(getattr(request, name))) == found.total:
                    counts[name] = without_it
                    continue
            pending[name] = self._pool.submit(self._answer, query)
        try:
            for name, answer in pending.items():
                counts[name] = answer.result().facets.get(name, {})
        finally:
            for answer in pending.values():
                answer.cancel()
        for name in chosen:
            # What the chosen option finds is this search itself (also when the text
            # named the same place, which the count above kept as words).
            counts[name] = {**counts[name], str(getattr(request, name)): found.total}
        return counts

    def _wider_searches(
        self, request: SearchRequest, understood: Understanding
    ) -> tuple[WiderSearch, ...]:
        """The wider searches of an empty result that find something, most first."""
        options = request.wider(understood)
        totals = self._pool.map(self._count_wider, [option for _, option in options])
        found_more = [
            WiderSearch(left_out, option, total)
            for (left_out, option), total in zip(options, totals, strict=True)
            if total
        ]
        found_more.sort(key=lambda wider: -wider.total)
        return tuple(found_more)

    def _count_wider(self, request: SearchRequest) -> int:
        """How many a wider search finds. The embedded copy counts when it serves
        Meilisearch's searches too: these are offers, and following one shows
        Meilisearch's own result and total."""
        query = request.query(hits=False, facets=False)
        if self.primary is not None and self.local_copy and not self.using_fallback:
            try:
                return self._count_locally(query).total
            except QueryError:
                raise
            except Exception:
                log.exception("counting a wider search locally failed")
        return self._answer(query).total

    @property
    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool_threads is None:
                self._pool_threads = ThreadPoolExecutor(
                    max_workers=4, thread_name_prefix="results-page"
                )
            return self._pool_threads

    def close(self) -> None:
        """Let the helper threads of the results pages go (at shutdown; they start again
        when needed)."""
        with self._pool_lock:
            pool, self._pool_threads = self._pool_threads, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    # ---- writing ------------------------------------------------------------------------

    def _both(self, what: str, embedded: Callable[[], None], meili: Callable[[], None]) -> None:
        embedded()
        if self.primary is None:
            return
        try:
            meili()
        except Exception as exc:
            self._trip(f"{what}: {exc}")
            if isinstance(exc, BackendError):
                raise
            raise BackendError(f"Meilisearch {what} failed: {exc}") from exc

    def index_documents(self, docs: Iterable[SearchDocument]) -> None:
        batch = list(docs)
        self._both(
            "index",
            lambda: self.fallback.index_documents(batch),
            lambda: self.primary.index_documents(batch),  # type: ignore[union-attr]
        )

    def delete(self, ids: Iterable[str]) -> None:
        batch = [str(i) for i in ids]
        self._both(
            "delete",
            lambda: self.fallback.delete(batch),
            lambda: self.primary.delete(batch),  # type: ignore[union-attr]
        )

    def rebuild(self, docs: Iterable[SearchDocument]) -> None:
        batch = list(docs)
        self._both(
            "rebuild",
            lambda: self.fallback.rebuild(batch),
            lambda: self.primary.rebuild(batch),  # type: ignore[union-attr]
        )

    def load_fallback(self, docs: Iterable[SearchDocument]) -> None:
        """Fill the embedded copy only (at start-up, from the database)."""
        self.fallback.rebuild(docs)

    def documents(self) -> list[SearchDocument]:
        """Every document the embedded copy holds (the documents are shared: do not
        change them)."""
        return self.fallback.documents()

    # ---- checks -------------------------------------------------------------------------

    def stats(self) -> IndexStats:
        """The primary index's stats (drift checks are about Meilisearch)."""
        if self.primary is None:
            return self.fallback.stats()
        return self.primary.stats()

    def health(self) -> Health:
        if self.primary is None:
            return self.fallback.health()
        primary_health = self.primary.health()
        state = "in gebruik" if not self._open else "niet in gebruik (terugval actief)"
        return Health(
            ok=primary_health.ok,
            backend=primary_health.backend,
            detail=f"{primary_health.detail}; {state}",
            latency_ms=primary_health.latency_ms,
        )
