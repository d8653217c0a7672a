"""A snapshot of the embedded search index on disk, for a fast start (issue 14).

Reading 10,000 providers from the database, building their search documents and the
embedded index takes about 6 s; a rolling restart should not. So a process that stops
(or that has just built its index) writes the index to `ETALAGE_VAR_DIR`, and the next
start uses it instead, but only when it is certainly what the database holds now. The
*fingerprint* says so; it is computed from the database in the transaction that reads
the outbox head, and it covers everything a search document depends on:

- the snapshot format, the code that builds documents and indexes them (a hash of its
  source files), the region pack (a hash of its content) and today's date (documents
  carry stale waiting times);
- the outbox head (every change to a provider or its rows writes an outbox row in its
  own transaction) and, for writes that bypass the ORM (a restore of a backup), per
  table that feeds the documents: the number of rows, the highest id, and the newest
  `updated_at` of the providers.

Anything else (another database, a changed row, another day, a new release, a file
that is cut off, changed or written with another key) gives another fingerprint or a
bad signature, and the index is built from the database as before. The file is signed
with HMAC-SHA256 under a key derived from the secret key (it is unpickled, so it must
be ours) and written atomically (a temporary file, then a rename).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import tempfile
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from etalage.db.models import Provider, SearchOutbox
from etalage.db.outbox import CHILD_MODELS
from etalage.region import RegionPack

log = logging.getLogger(__name__)

FORMAT = 1
FILENAME = "zoekindex.snapshot"
_MAGIC = b"ETALAGE-SNAPSHOT\n"
_TABLES = (Provider, *CHILD_MODELS)  # every table a search document is read from
_ROOT = Path(__file__).resolve().parents[2]
# The code a search document and the embedded index depend on.
_SOURCES = (
    "search_index/documents.py",
    "search_index/embedded.py",
    "search_index/embedded_state.py",
    "search_index/text.py",
    "search_index/vocabulary.py",
    "etalage/catalogue/reader.py",
    "etalage/indexing/reader.py",
    "etalage/provider.py",
    "etalage/indexing/snapshot.py",
)


@lru_cache(maxsize=1)
def _code_hash() -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        path = _ROOT / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def pack_hash(pack: RegionPack) -> str:
    return hashlib.sha256(pack.model_dump_json().encode()).hexdigest()


def fingerprint(session: Session, pack_digest: str, today: date) -> str:
    """What the embedded index depends on, read in the caller's transaction."""
    parts: list[Any] = [FORMAT, _code_hash(), pack_digest, today.isoformat()]
    parts.append(session.scalar(select(func.coalesce(func.max(SearchOutbox.id), 0))))
    for model in _TABLES:
        count, top = session.execute(select(func.count(), func.max(model.id))).one()
        parts += [model.__tablename__, count, top]
    parts.append(str(session.scalar(select(func.max(Provider.updated_at)))))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"etalage search snapshot\0" + secret.encode()).digest()


def save(path: Path, secret: str, fingerprint_: str, head: int, state: Any) -> bool:
    """Write the snapshot atomically; False (logged) when it cannot be written."""
    try:
        body = pickle.dumps((fingerprint_, head, state), protocol=pickle.HIGHEST_PROTOCOL)
        mac = hmac.new(_key(secret), body, hashlib.sha256).digest()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".zoekindex-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + mac + body)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError) as exc:
        log.warning("search: index snapshot not written to %s (%s)", path, exc)
        return False
    return True


def load(path: Path, secret: str, fingerprint_: str) -> tuple[int, Any] | None:
    """The snapshot's outbox head and index state, when it is ours and current."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(_MAGIC) or len(raw) < len(_MAGIC) + 32:
        log.warning("search: index snapshot %s is not a snapshot; building from the database", path)
        return None
    mac, body = raw[len(_MAGIC) : len(_MAGIC) + 32], raw[len(_MAGIC) + 32 :]
    if not hmac.compare_digest(mac, hmac.new(_key(secret), body, hashlib.sha256).digest()):
        log.warning(
            "search: index snapshot %s has a bad signature; building from the database", path
        )
        return None
    try:
        stored, head, state = pickle.loads(body)  # noqa: S301 (signed by us, see above)
    except Exception as exc:  # a signed file of an older format
        log.warning("search: index snapshot %s unreadable (%s)", path, exc)
        return None
    if stored != fingerprint_:
        log.info("search: the database changed since the index snapshot; building from it")
        return None
    return int(head), state


class SnapshotFile:
    """One process's snapshot file: its fingerprint of the database, reading and writing."""

    def __init__(self, path: Path, secret: str, pack: RegionPack) -> None:
        self.path = path
        self.secret = secret
        self.pack = pack
        self._pack_digest: str | None = None

    def fingerprint(self, session: Session) -> str:
        if self._pack_digest is None:
            self._pack_digest = pack_hash(self.pack)
        return fingerprint(session, self._pack_digest, date.today())

    def load(self, fingerprint_: str, head: int) -> Any | None:
        """The index state, when the snapshot is ours, current and at this outbox head."""
        found = load(self.path, self.secret, fingerprint_)
        return found[1] if found is not None and found[0] == head else None

    def save(self, fingerprint_: str, head: int, state: Any) -> bool:
        return save(self.path, self.secret, fingerprint_, head, state)
