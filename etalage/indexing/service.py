"""The app's search service: one resilient backend kept in step with the database.

- At start-up every provider is read from the database into the embedded index (the
  fallback, and the only index when no Meilisearch is configured). When Meilisearch is
  configured, a background check compares its documents with the database (count and
  checksum) and rebuilds it when they drift apart. The first check starts as soon as
  the documents are read and runs while the embedded index is built (Meilisearch
  indexes in its own process), so a cold start costs the longer of the two. Meilisearch
  work is serialised by its own lock, taken after the service lock where both are held.
- Changes reach the indexes through the transactional outbox (`etalage.db.outbox`): a
  worker thread reads new outbox rows every `poll_interval_s`, builds the documents
  and applies them to the embedded copy; a second worker sends them to Meilisearch, so
  neither a request nor the embedded copy ever waits on Meilisearch (a slow write there,
  seconds after an index was built, must not hold the copy back). Several processes may
  share one outbox: each keeps a high-water mark for its own embedded copy (every
  process applies every row), while a row goes to Meilisearch once, sent by whichever
  process holds the sender lock and stamped `sent_at` (`etalage.indexing.sender`). A
  Meilisearch failure leaves the rows unsent; they are retried with backoff. Sent rows
  older than `outbox_retention` are pruned.
- `rebuild()` builds a new Meilisearch index and swaps it in; outbox rows written while
  it ran are sent again afterwards, so no change is lost at the swap. Drift checks and
  rebuilds hold the sender lock too, so processes starting together rebuild once.
- Documents depend on today's date (stale waiting times); on a new day the service
  reloads everything.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from etalage.db.models import SearchOutbox
from etalage.db.session import session_factory
from etalage.indexing import snapshot
from etalage.indexing.changes import apply_outbox, load_changes
from etalage.indexing.cursor import OutboxCursor
from etalage.indexing.reader import read_documents
from etalage.indexing.sender import SenderLock, first_unsent, mark_sent, prune, unsent_rows
from etalage.region import RegionPack
from etalage.settings import Settings
from search_index import (
    BackendError,
    DocumentBuilder,
    MeiliBackend,
    ResilientBackend,
    ResultsPage,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchRequest,
    SearchResult,
    documents_checksum,
    make_backend,
)
from search_index.documents import checksum_of

log = logging.getLogger(__name__)

# At most this many outbox rows go to Meilisearch per round (the next round follows at once).
SEND_LIMIT = 5000
# How long a drift check waits for another process's round or rebuild to finish.
LOCK_WAIT_S = 120.0
# Drift of at most this many documents (or a tenth of them) is repaired in place; more
# means a rebuild into a new index.
REPAIR_LIMIT = 100


class SearchService:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        pack: RegionPack,
        *,
        poll_interval_s: float = 0.2,
        outbox_retention: timedelta = timedelta(days=1),
        backend: ResilientBackend | None = None,
    ) -> None:
        self.engine = engine
        self.pack = pack
        self.backend = backend or make_backend(
            settings.meilisearch_url, settings.meilisearch_key, pack
        )
        self.builder = DocumentBuilder(pack)
        self.poll_interval_s = poll_interval_s
        self.outbox_retention = outbox_retention
        self._sessions = session_factory(engine)
        self._lock = threading.RLock()  # one drain/reload/rebuild at a time
        # Everything that talks to Meilisearch or moves its cursor, one at a time; taken
        # after `_lock` where both are needed. The first drift check holds only this one,
        # so it runs while the embedded index is built (see `reload`).
        self._meili_lock = threading.RLock()
        self._first_check: threading.Thread | None = None
        self._embedded_ready = threading.Event()  # the first load is done
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._meili_thread: threading.Thread | None = None
        self._meili_wake = threading.Event()
        self._embedded = OutboxCursor()
        self._sender = SenderLock(engine)
        # The embedded index on disk for a fast start (etalage.indexing.snapshot).
        # Not with a key made up at start (then no snapshot could be read back).
        self._snapshots = (
            snapshot.SnapshotFile(
                settings.var_dir / snapshot.FILENAME, settings.secret_key or "", pack
            )
            if settings.var_dir and not settings.secret_key_is_ephemeral
            else None
        )
        self.loaded_from_snapshot = False
        self._meili_checked = False  # drift check done since start
        self._meili_retry_at = 0.0
        self._meili_backoff = 0.5
        self._loaded_on: date | None = None
        self._snapshot: tuple[int, list[SearchDocument]] | None = None
        self._last_prune = 0.0
        # Bumped whenever the indexed data changes; other caches (the assistant's
        # provider index) compare it to know when to refresh.
        self.version = 0

    # ---- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Fill the embedded index now, then keep everything in step in the background."""
        self.reload()
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="search-sync", daemon=True)
            self._thread.start()
        if self.backend.primary is not None and (
            self._meili_thread is None or not self._meili_thread.is_alive()
        ):
            self._meili_thread = threading.Thread(
                target=self._run_meili, name="search-sync-meili", daemon=True
            )
            self._meili_thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._meili_wake.set()
        for thread in (self._thread, self._meili_thread):
            if thread is not None:
                thread.join(timeout=5)
        self._thread = self._meili_thread = None
        self._save_snapshot_at_stop()
        self.backend.close()

    def search(self, query: SearchQuery) -> SearchResult:
        return self.backend.search(query)

    def results_page(
        self,
        request: SearchRequest,
        *,
        highlight: bool = True,
        option_counts: bool = True,
        wider: bool = True,
    ) -> ResultsPage:
        """One page of results with its counts (see `ResilientBackend.results_page`)."""
        return self.backend.results_page(
            request, highlight=highlight, option_counts=option_counts, wider=wider
        )

    def status(self) -> dict[str, object]:
        """For readiness: the embedded copy loaded, Meilisearch compared with the
        database (when configured) and answering, and how many outbox rows wait."""
        try:
            waiting: int | None = max(0, self._head_now() - self._embedded.floor)
        except SQLAlchemyError:  # the database is away: /readyz says so for its part
            waiting = None
        return {
            "embedded_ready": self._embedded_ready.is_set(),
            "meilisearch": self.backend.primary is not None,
            "meilisearch_verified": self.backend.verified,
            "meilisearch_open": self.backend.using_fallback and self.backend.primary is not None,
            "outbox_waiting": waiting,
        }

    def documents(self) -> list[SearchDocument]:
        """Every provider's search document, as indexed (shared: do not change them)."""
        return self.backend.documents()

    # ---- reading the database -----------------------------------------------------------

    def _outbox_head(self, session: Session) -> int:
        return int(session.scalar(select(func.coalesce(func.max(SearchOutbox.id), 0))) or 0)

    def _documents(
        self, session: Session, kvks: Sequence[str] | None = None
    ) -> list[SearchDocument]:
        return read_documents(session, self.pack, date.today(), kvks, self.builder)

    def _head_now(self) -> int:
        with self._sessions() as session, session.begin():
            return self._outbox_head(session)

    def all_documents(self) -> tuple[int, list[SearchDocument]]:
        """The outbox head and every provider's document, read in one transaction."""
        with self._sessions() as session, session.begin():
            head = self._outbox_head(session)
            return head, self._documents(session)

    # ---- the snapshot on disk ------------------------------------------------------------

    def _fingerprint(self, session: Session) -> str | None:
        return self._snapshots.fingerprint(session) if self._snapshots else None

    def _copy_holds(self, head: int) -> bool:
        """The embedded copy holds every outbox row up to `head`, and no later one."""
        return self._embedded.floor == head and not self._embedded.seen

    def _save_snapshot_soon(self, fingerprint: str, head: int) -> None:
        """Write the index just built from the database (in a thread: the process is
        ready meanwhile; the outbox worker waits, so the index does not change)."""
        snapshots = self._snapshots
        assert snapshots is not None

        def write() -> None:
            with self._lock:
                if self._copy_holds(head):
                    snapshots.save(fingerprint, head, self.backend.fallback.state)

        threading.Thread(target=write, name="search-snapshot", daemon=True).start()

    def _save_snapshot_at_stop(self) -> None:
        """At a graceful stop: the index as it is now, when it holds every outbox row,
        so the next start (a rolling restart) can use it."""
        if self._snapshots is None or not self._embedded_ready.is_set():
            return
        try:
            with self._lock:
                self._apply_outbox(self._embedded, self.backend.fallback)
                with self._sessions() as session, session.begin():
                    head = self._outbox_head(session)
                    fingerprint = self._snapshots.fingerprint(session)
                if self._copy_holds(head):
                    self._snapshots.save(fingerprint, head, self.backend.fallback.state)
        except Exception as exc:  # a stop must not fail on it (the database may be gone)
            log.warning("search: no index snapshot at stop (%s)", exc)

    def _load_embedded(
        self,
        meanwhile: Callable[[int, list[SearchDocument]], None] | None = None,
        *,
        use_snapshot: bool = False,
    ) -> tuple[int, list[SearchDocument]]:
        """Every provider's document into the embedded index; the outbox head they
        were read at, and the documents. `meanwhile` gets them first (before the
        embedded index is built). With `use_snapshot`, an index snapshot that matches
        the database is used instead of building (see etalage.indexing.snapshot)."""
        gc.unfreeze()
        # Millions of objects are made here and all of them live on: collecting while
        # they are made only walks them again and again (a third of the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._load_embedded_now(meanwhile, use_snapshot)
        finally:
            if collecting:
                gc.enable()

    def _load_embedded_now(
        self,
        meanwhile: Callable[[int, list[SearchDocument]], None] | None,
        use_snapshot: bool,
    ) -> tuple[int, list[SearchDocument]]:
        restored = None
        with self._sessions() as session, session.begin():
            head = self._outbox_head(session)
            fingerprint = self._fingerprint(session)
            if use_snapshot and fingerprint is not None and self._snapshots is not None:
                restored = self._snapshots.load(fingerprint, head)
            if restored is None:
                docs = self._documents(session)
        self.loaded_from_snapshot = restored is not None
        if restored is not None:
            try:
                self.backend.fallback.restore(restored)
            except TypeError:
                self.loaded_from_snapshot = False
        if self.loaded_from_snapshot:
            docs = self.backend.fallback.documents()
            if meanwhile is not None:
                meanwhile(head, docs)
            log.info("search: embedded index read from its snapshot")
        else:
            if restored is not None:  # a snapshot we could not use after all
                with self._sessions() as session, session.begin():
                    docs = self._documents(session)
            if meanwhile is not None:
                meanwhile(head, docs)
            self.backend.load_fallback(docs)
            if fingerprint is not None:
                self._save_snapshot_soon(fingerprint, head)
        # The embedded index is millions of long-lived objects. Left to the cyclic
        # garbage collector, each full pass walks them all and pauses every thread for
        # tens of milliseconds; frozen, they are only freed by reference count (the
        # index holds no cycles), and unfrozen again at the next reload. (After a
        # snapshot there is next to no garbage to collect first; a full pass over the
        # fresh index would cost a second.)
        if not self.loaded_from_snapshot:
            gc.collect()
        gc.freeze()
        return head, docs

    def reload(self) -> None:
        """Read every provider into the embedded index. Meilisearch is checked against
        the same documents: at the first load in a thread of its own while the embedded
        index is built (Meilisearch indexes in its own process, so a cold start takes
        the longer of the two, not their sum), later by the worker's next round."""

        def check_meanwhile(head: int, docs: list[SearchDocument]) -> None:
            with self._meili_lock:
                self._meili_checked = False
                if self.backend.primary is None:
                    return
                self.backend.mark_unverified()
                if self._first_check is None:
                    self._first_check = threading.Thread(
                        target=self._check_first, args=(head, docs), name="search-first-check",
                        daemon=True,
                    )  # fmt: skip
                    self._first_check.start()
                else:  # the drift check reuses them if nothing changed
                    self._snapshot = (head, docs)

        with self._lock:
            head, docs = self._load_embedded(check_meanwhile, use_snapshot=True)
            self._embedded_ready.set()
            self._embedded.reset(head)
            self._loaded_on = date.today()
            self.version += 1
            log.info("search: %d providers loaded into the embedded index", len(docs))

    # ---- Meilisearch: drift check and rebuild -------------------------------------------

    def wait_for_first_check(self, timeout: float | None = None) -> bool:
        """Wait for the first drift check (started by the first `reload`); True when
        Meilisearch was found in step or was brought in step."""
        if self._first_check is not None:
            self._first_check.join(timeout)
        return self._meili_checked

    def _check_first(self, head: int, docs: list[SearchDocument]) -> None:
        """The first drift check, on the documents the embedded index is built from."""
        try:
            primary = self.backend.primary
            if isinstance(primary, MeiliBackend) and primary.holds_documents():
                # Most likely in step (a restart): hashing 10,000 documents would only
                # compete with the embedded index for the interpreter, so check after it.
                self._embedded_ready.wait(timeout=600)
            with self._meili_lock, self._sender.hold(wait=LOCK_WAIT_S, stop=self._stop) as held:
                if held and not self._meili_checked:
                    self._check_documents(head, docs)
        except (BackendError, OSError) as exc:  # the worker's rounds retry
            log.warning("search: first Meilisearch check failed (%s); the worker retries", exc)
            self.backend.report_failure(str(exc)[:200])
        except Exception:
            log.exception("search: first Meilisearch check failed; the worker retries")

    def check_drift(self) -> bool:
        """Compare Meilisearch with the database; rebuild when they differ. True: repaired.
        (Takes the sender lock, waiting for another process's round.)"""
        if self.backend.primary is None:
            return False
        with self._meili_lock, self._sender.hold(wait=LOCK_WAIT_S, stop=self._stop) as held:
            if not held:
                raise BackendError("another process holds the search sender lock")
            return self._check_unlocked()

    def _check_unlocked(self) -> bool:
        with self._meili_lock:
            snapshot, self._snapshot = self._snapshot, None
            if snapshot is not None and snapshot[0] == self._head_now():
                head, docs = snapshot
            else:
                head, docs = self.all_documents()
            return self._check_documents(head, docs)

    def _check_documents(self, head: int, docs: list[SearchDocument]) -> bool:
        primary = self.backend.primary
        assert primary is not None
        with self._meili_lock:
            primary.ensure_index()
            hashes = primary.document_hashes()
            expected = documents_checksum(docs)
            if len(hashes) == len(docs) and checksum_of(hashes.items()) == expected:
                self._meili_checked = True
                self._send_unsent(primary)  # what changed since the read
                self.backend.mark_verified()
                return False
            changed = [d for d in docs if hashes.get(str(d["id"])) != d["hash"]]
            gone = sorted(set(hashes) - {str(d["id"]) for d in docs})
            if len(changed) + len(gone) <= max(REPAIR_LIMIT, len(docs) // 10):
                # A few documents differ (typically: waiting times that went stale
                # overnight): send those, no rebuild.
                log.info(
                    "search: Meilisearch differs from the database in %d documents; updating those",
                    len(changed) + len(gone),
                )
                self._repair_primary(head, changed, gone)
                return True
            log.warning(
                "search: Meilisearch drifted from the database (%d documents, expected %d, "
                "%d differ); rebuilding",
                len(hashes),
                len(docs),
                len(changed) + len(gone),
            )
            self._rebuild_primary(head, docs)
            return True

    def rebuild(self) -> int:
        """Rebuild every index from the database (new index, then an atomic swap)."""
        with self._lock:
            head, docs = self._load_embedded()
            self._embedded.reset(head)
            if self.backend.primary is not None:
                with self._meili_lock, self._sender.hold(wait=LOCK_WAIT_S) as held:
                    if not held:
                        raise BackendError("another process holds the search sender lock")
                    self._rebuild_primary(head, docs)
            self.version += 1
            return len(docs)

    def _repair_primary(self, head: int, changed: list[SearchDocument], gone: list[str]) -> None:
        primary = self.backend.primary
        assert primary is not None
        if changed:
            primary.index_documents(changed)
        if gone:
            primary.delete(gone)
        self._replay_since(head)

    def _rebuild_primary(self, head: int, docs: list[SearchDocument]) -> None:
        primary = self.backend.primary
        assert primary is not None
        primary.rebuild(docs)
        self._replay_since(head)

    def _replay_since(self, head: int) -> None:
        """After a rebuild or repair from documents read at outbox `head`: changes
        committed meanwhile may have gone to the old index, so send everything after
        the head again."""
        primary = self.backend.primary
        assert primary is not None
        with self._sessions() as session, session.begin():
            session.execute(update(SearchOutbox).where(SearchOutbox.id > head).values(sent_at=None))
        self._meili_checked = True
        while self._send_unsent(primary) >= SEND_LIMIT:
            pass
        self.backend.mark_verified()

    # ---- the outbox ---------------------------------------------------------------------

    def _apply_outbox(self, cursor: OutboxCursor, target: SearchBackend) -> int:
        return apply_outbox(self._sessions, self._documents, cursor, target)

    def _send_unsent(self, primary: SearchBackend) -> int:
        """Send unsent outbox rows to Meilisearch and stamp them; rows sent. Call with
        the sender lock held. On failure nothing is stamped (the next round resends)."""
        with self._sessions() as session, session.begin():
            rows = unsent_rows(session, SEND_LIMIT)
        if not rows:
            return 0
        ops = {kvk: operation for _id, kvk, operation in rows}
        docs, deletes = load_changes(self._sessions, self._documents, ops)
        if docs:
            primary.index_documents(docs)
        if deletes:
            primary.delete(deletes)
        self._mark_sent([row_id for row_id, _kvk, _op in rows])
        return len(rows)

    def _mark_sent(self, ids: list[int]) -> None:
        with self._sessions() as session, session.begin():
            mark_sent(session, ids)

    def _first_unsent(self) -> int | None:
        with self._sessions() as session, session.begin():
            return first_unsent(session)

    def drain_once(self) -> int:
        """Apply new outbox rows to the embedded index and to Meilisearch; rows applied.
        (The background workers do the two parts in threads of their own, so a slow
        Meilisearch never holds up the embedded copy.)"""
        applied = self._drain_embedded()
        primary = self.backend.primary
        if primary is not None and time.monotonic() >= self._meili_retry_at:
            self._sync_primary(primary)
        self._prune()
        return applied

    def _drain_embedded(self) -> int:
        with self._lock:
            if self._loaded_on != date.today():
                self.reload()
            applied = self._apply_outbox(self._embedded, self.backend.fallback)
            if applied:
                self.version += 1
                if self.backend.primary is not None:
                    self.backend.mark_behind()
                    self._meili_wake.set()
            return applied

    @staticmethod
    def _position(cursor: OutboxCursor) -> int:
        return max(cursor.floor, max(cursor.seen, default=0))

    def _sync_primary(self, primary: SearchBackend) -> None:
        """Meilisearch's part of a round (waits for a first drift check still running).
        Only the process holding the sender lock sends; the others see the rows stamped."""
        with self._meili_lock:
            try:
                position = self._position(self._embedded)
                wait = 0.0 if self._meili_checked else 5.0
                with self._sender.hold(wait=wait, stop=self._stop) as held:
                    if held:
                        if not self._meili_checked:
                            self._check_unlocked()
                        if self._send_unsent(primary) >= SEND_LIMIT:
                            self._meili_wake.set()  # more waiting: next round at once
                # Everything the copy had is in Meilisearch, whoever sent it (the copy
                # may have taken newer rows meanwhile: it runs in a thread of its own).
                first = self._first_unsent()
                if self._meili_checked and (first is None or first > position):
                    self.backend.mark_caught_up()
            except (BackendError, OSError, SQLAlchemyError) as exc:
                self.backend.report_failure(str(exc)[:200])
                self._meili_retry_at = time.monotonic() + self._meili_backoff
                log.warning(
                    "search: Meilisearch sync failed (%s); retry in %.1f s",
                    exc,
                    self._meili_backoff,
                )
                self._meili_backoff = min(self._meili_backoff * 2, 30.0)
            else:
                self._meili_backoff = 0.5

    def _prune(self) -> None:
        now = time.monotonic()
        if now - self._last_prune < 60:
            return
        self._last_prune = now
        with self._sessions() as session, session.begin():
            prune(session, self.outbox_retention, keep_unsent=self.backend.primary is not None)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._drain_embedded()
                self._prune()
            except Exception:  # the worker must survive anything; the next round retries
                log.exception("search: sync round failed")
            self._stop.wait(self.poll_interval_s)

    def _run_meili(self) -> None:
        """Meilisearch's worker: woken by a change, or every poll interval."""
        while not self._stop.is_set():
            self._meili_wake.wait(self.poll_interval_s)
            self._meili_wake.clear()
            primary = self.backend.primary
            if primary is None or time.monotonic() < self._meili_retry_at:
                continue
            try:
                self._sync_primary(primary)
            except Exception:
                log.exception("search: Meilisearch round failed")
