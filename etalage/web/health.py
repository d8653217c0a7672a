"""`GET /healthz` and `GET /readyz` (docs/operations.md#health): for a load balancer or
an orchestrator. `/healthz` says the process lives; `/readyz` says whether it should get
traffic: the database reachable and migrated to the newest version, the embedded search
copy loaded, Meilisearch (when configured) compared with the database, and the outbox
not far behind. Not ready: 503 with a Dutch reason per part."""

from __future__ import annotations

from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from etalage.db.migrate import alembic_config
from etalage.web.services import Catalogue

OUTBOX_LAG_LIMIT = 1000  # changes waiting for the embedded copy before it counts as behind
_HEAD: list[str] = []


def _head() -> str:
    if not _HEAD:
        script = ScriptDirectory.from_config(alembic_config("sqlite://"))
        _HEAD.append(script.get_current_head() or "")
    return _HEAD[0]


def _database(catalogue: Catalogue) -> dict[str, Any]:
    try:
        with catalogue.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:120]
        return {"status": "fout", "reden": f"De database is niet bereikbaar ({reason})."}
    if current != _head():
        return {
            "status": "fout",
            "reden": f"De database heeft versie {current}, de app verwacht {_head()}: "
            "voer 'etalage db upgrade' uit.",
        }
    return {"status": "ok", "versie": current}


def _search(request: Request[Any, Any, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    status = request.app.state["search"].status()
    index: dict[str, Any]
    if not status["embedded_ready"]:
        index = {"status": "fout", "reden": "De zoekindex wordt nog opgebouwd."}
    elif status["meilisearch"] and not status["meilisearch_verified"]:
        index = {
            "status": "fout",
            "reden": "Meilisearch is nog niet met de database vergeleken.",
        }
    else:
        index = {
            "status": "ok",
            "meilisearch": "niet ingesteld"
            if not status["meilisearch"]
            else ("storing: de ingebouwde index antwoordt" if status["meilisearch_open"] else "ok"),
        }
    waiting = status["outbox_waiting"]
    outbox: dict[str, Any]
    if waiting is None:
        outbox = {"status": "fout", "reden": "De wachtrij van de zoekindex is niet te lezen."}
    elif waiting > OUTBOX_LAG_LIMIT:
        outbox = {"status": "fout", "reden": f"Er wachten {waiting} wijzigingen op de zoekindex."}
    else:
        outbox = {"status": "ok", "wachtend": waiting}
    return index, outbox


@get("/healthz", name="healthz", include_in_schema=False)
async def healthz() -> Response[Any]:
    return Response({"status": "ok"}, headers={"Cache-Control": "no-store"})


@get("/readyz", name="readyz", include_in_schema=False, sync_to_thread=True)
def readyz(request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]) -> Response[Any]:
    index, outbox = _search(request)
    parts = {"database": _database(catalogue), "zoekindex": index, "outbox": outbox}
    ready = all(p["status"] == "ok" for p in parts.values())
    return Response(
        {"status": "ok" if ready else "niet klaar", "onderdelen": parts},
        status_code=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


HEALTH_HANDLERS = [healthz, readyz]
