"""Transactional outbox for search-index sync.

Any flush that creates, changes or deletes a provider or one of its child rows
(codes, arrangements, locations, waiting times, KPIs) adds a `search_outbox` row for
that provider in the same transaction. A background worker drains the outbox into the
search backends, so a request never waits on the search engine and a change that was
committed can never be lost on its way to the index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from etalage.db.models import (
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    SearchOutbox,
    WaitingTime,
)

# The tables of a provider's rows: a change to any of them changes its search document.
CHILD_MODELS = (ProviderCode, Arrangement, Location, WaitingTime, KpiMeasurement)
_CHILDREN = CHILD_MODELS


def _touched(session: Session) -> tuple[set[Provider], set[str]]:
    changed: set[Provider] = set()
    deleted: set[str] = set()
    for obj in session.deleted:
        if isinstance(obj, Provider):
            deleted.add(obj.kvk)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Provider):
            if obj.kvk not in deleted:
                changed.add(obj)
        elif isinstance(obj, _CHILDREN):
            parent = obj.provider
            if parent is None and obj.provider_id is not None:
                parent = session.get(Provider, obj.provider_id)
            if parent is not None and parent.kvk not in deleted:
                changed.add(parent)
    return changed, deleted


@event.listens_for(Session, "before_flush")
def _enqueue_search_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get("skip_search_outbox"):
        return
    changed, deleted = _touched(session)
    queued = session.info.setdefault("search_outbox_queued", set())
    for provider in changed:
        key = ("upsert", provider.kvk)
        if key not in queued:
            queued.add(key)
            session.add(SearchOutbox(kvk=provider.kvk, op="upsert"))
    for kvk in deleted:
        key = ("delete", kvk)
        if key not in queued:
            queued.add(key)
            session.add(SearchOutbox(kvk=kvk, op="delete"))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _reset_queued(session: Session) -> None:
    session.info.pop("search_outbox_queued", None)
