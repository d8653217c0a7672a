"""Beheer (docs/portal.md#beheer), for users with the role `beheerder`: providers and
their contracts, imports uploaded in the browser, import templates, KPI imports,
users and their KvK bindings, the stale providers, and the audit log (search and CSV
export). Other roles get a 404; anonymous visitors are sent to `/inloggen`.

Uploads: at most `MAX_UPLOAD_BYTES`; the type is read from the content (an XLSX is a
ZIP archive, a CSV is text without NUL bytes), not from the name or the browser's
content type; nothing is written when the file has a single error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from etalage.accounts.actor import Actor, NotYours
from etalage.accounts.users import AccountError, create_user, disable_user, list_users
from etalage.audit import MAX_ENTRIES, csv_text, entries
from etalage.catalogue import views
from etalage.catalogue.import_header import COLUMNS, REQUIRED_COLUMNS
from etalage.catalogue.import_reader import (
    MAX_FILE_BYTES,
    FileProblem,
    read_csv_bytes,
    read_xlsx_bytes,
)
from etalage.catalogue.import_report import ImportIssue, ImportReport
from etalage.catalogue.import_template import HELP, csv_template, xlsx_template
from etalage.catalogue.importer import import_table
from etalage.db.models import ROLES
from etalage.portal import updates
from etalage.portal.freshness import is_stale_record
from etalage.portal.kpi_import import KPI_COLUMNS, import_kpis
from etalage.portal.snapshot import snapshot
from etalage.web.account_pages import NO_STORE, page, require
from etalage.web.auth import accounts_of
from etalage.web.errors import DutchNotFound
from etalage.web.params import ParamError, parse_kvk
from etalage.web.services import Catalogue

ROLE = ("beheerder",)
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
MAX_ERRORS_SHOWN = 20
XLSX_MAGIC = b"PK\x03\x04"


def _guard(request: Request[Any, Any, Any]) -> Actor | Redirect:
    return require(request, ROLE)


@get("/beheer", name="beheer", include_in_schema=False, sync_to_thread=True)
def beheer_home(request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    records = catalogue.all_records()
    today = catalogue.today()
    stale = [r for r in records if is_stale_record(r, catalogue.pack, today)]
    return page(
        "beheer_home.html",
        title="Beheer",
        actor=actor,
        total=len(records),
        stale=stale,
        views={r.kvk: views.provider_view(r, catalogue.pack, today) for r in stale},
        recent=entries(catalogue.engine, limit=10),
    )


@get("/beheer/aanbieders", name="beheer-providers", include_in_schema=False, sync_to_thread=True)
def beheer_providers(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], q: str | None = None
) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    today = catalogue.today()
    records = catalogue.all_records()
    text = (q or "").strip().casefold()[:100]
    if text:
        records = [r for r in records if text in r.name.casefold() or text in r.kvk]
    return page(
        "beheer_providers.html",
        title="Aanbieders beheren",
        actor=actor,
        q=q or "",
        rows=[(r, is_stale_record(r, catalogue.pack, today)) for r in records],
        saved=request.query_params.get("opgeslagen"),
    )


def _provider_form(
    actor: Actor,
    catalogue: Catalogue,
    values: dict[str, str],
    *,
    kvk: str | None,
    errors: list[tuple[str | None, str]] | None = None,
    status: int = 200,
) -> Any:
    return page(
        "beheer_provider.html",
        status,
        title="Nieuwe aanbieder" if kvk is None else f"Aanbieder {values.get('naam', kvk)}",
        actor=actor,
        kvk=kvk,
        values=values,
        columns=[c for c in COLUMNS if not c.startswith(("kpi_", "uitval", "doelr", "tevr"))],
        required=REQUIRED_COLUMNS,
        help=HELP,
        errors=errors or [],
        labels={c: c for c in COLUMNS},
    )


def _cells(snap: dict[str, Any]) -> dict[str, str]:
    """A provider's snapshot as import cells, for the edit form."""
    cells: dict[str, str] = {}
    for key, value in snap.items():
        if isinstance(value, list):
            cells[key] = "|".join(value)
        elif isinstance(value, bool):
            cells[key] = "ja" if value else "nee"
        elif value is None or isinstance(value, dict):
            cells[key] = ""
        else:
            cells[key] = str(value)
    waiting = snap.get("wachttijd") or {}
    cells["aanmeldwachttijd_weken"] = str(waiting.get("aanmelden_weken") or "")
    cells["behandelwachttijd_weken"] = str(waiting.get("behandeling_weken") or "")
    cells["wachtlijst_aantal"] = str(waiting.get("wachtlijst_aantal") or "")
    cells["wachttijd_peildatum"] = str(waiting.get("peildatum") or "")
    return cells


@get(
    "/beheer/aanbieders/nieuw",
    name="beheer-provider-new",
    include_in_schema=False,
    sync_to_thread=True,
)
def beheer_provider_new(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    return _provider_form(actor, catalogue, {}, kvk=None)


def _number(kvk: str) -> str:
    try:
        return parse_kvk(kvk)
    except ParamError:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet.") from None


@get(
    "/beheer/aanbieders/{kvk:str}",
    name="beheer-provider",
    include_in_schema=False,
    sync_to_thread=True,
)
def beheer_provider(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: str
) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    found = catalogue.provider_snapshot(_number(kvk))
    if found is None:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet.")
    return _provider_form(actor, catalogue, _cells(found), kvk=kvk)


async def _form_values(request: Request[Any, Any, Any], names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {c: str(form.get(c) or "")[:10_000] for c in names if c in form}


@post("/beheer/aanbieders", name="beheer-provider-create", include_in_schema=False, status_code=303)
async def beheer_provider_create(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Any:
    return await _save(request, catalogue, None)


@post(
    "/beheer/aanbieders/{kvk:str}",
    name="beheer-provider-save",
    include_in_schema=False,
    status_code=303,
)
async def beheer_provider_save(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: str
) -> Any:
    return await _save(request, catalogue, _number(kvk))


async def _save(request: Request[Any, Any, Any], catalogue: Catalogue, kvk: str | None) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    values = await _form_values(request, COLUMNS)
    asked = kvk if kvk is not None else values.get("kvk", "").strip()
    known: dict[str, Any] | None = None
    if asked:
        known = await anyio.to_thread.run_sync(catalogue.provider_snapshot, asked)
    if kvk is not None:
        values["kvk"] = kvk
        if known is None:
            raise DutchNotFound(detail="Deze aanbieder bestaat niet.")
    elif known is not None:
        return _provider_form(
            actor,
            catalogue,
            values,
            kvk=None,
            errors=[("kvk", "er is al een aanbieder met dit KvK-nummer; wijzig die aanbieder")],
            status=400,
        )
    values = {c: v for c, v in values.items() if v.strip() or c in REQUIRED_COLUMNS or kvk}
    try:
        outcome = await anyio.to_thread.run_sync(
            updates.save_provider,
            catalogue.engine,
            catalogue.pack,
            actor,
            values,
            catalogue.today(),
        )
    except updates.UpdateError as error:
        return _provider_form(
            actor,
            catalogue,
            values,
            kvk=kvk,
            errors=[(p.field, p.message) for p in error.problems],
            status=400,
        )
    return Redirect(f"/beheer/aanbieders?opgeslagen={outcome.kvk}", status_code=303)


@post(
    "/beheer/aanbieders/{kvk:str}/beeindigen",
    name="beheer-provider-end",
    include_in_schema=False,
    status_code=303,
)
async def beheer_provider_end(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue], kvk: str
) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    number = _number(kvk)
    if form.get("zeker") != "ja":
        return Redirect(f"/beheer/aanbieders/{number}?bevestig=1#beeindigen", status_code=303)
    try:
        await anyio.to_thread.run_sync(updates.end_provider, catalogue.engine, actor, number)
    except NotYours:
        raise DutchNotFound(detail="Deze aanbieder bestaat niet.") from None
    return Redirect("/beheer/aanbieders?opgeslagen=beeindigd", status_code=303)


# ---------------------------------------------------------------------------- imports


def _table(data: bytes) -> Any:
    if data.startswith(XLSX_MAGIC):
        return read_xlsx_bytes(data)
    if b"\x00" in data[:65536]:
        raise FileProblem(
            "dit is geen CSV- of XLSX-bestand. Sla het op als CSV (UTF-8) of als "
            "Excel-werkmap (.xlsx)."
        )
    return read_csv_bytes(data)


def _report_context(report: ImportReport | None) -> dict[str, Any]:
    if report is None:
        return {"report": None}
    return {
        "report": report,
        "shown_errors": [str(e) for e in report.errors[:MAX_ERRORS_SHOWN]],
        "more_errors": max(0, len(report.errors) - MAX_ERRORS_SHOWN),
    }


@get("/beheer/import", name="beheer-import", include_in_schema=False)
async def beheer_import(request: Request[Any, Any, Any]) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    return page(
        "beheer_import.html",
        title="Importeren",
        actor=actor,
        kind=None,
        kpi_columns=KPI_COLUMNS,
        **_report_context(None),
    )


@post(
    "/beheer/import",
    name="beheer-import-upload",
    include_in_schema=False,
    status_code=200,
    request_max_body_size=MAX_UPLOAD_BYTES + 64 * 1024,
)
async def beheer_import_upload(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    upload = form.get("bestand")
    kind = "kpi" if form.get("soort") == "kpi" else "aanbieders"
    dry_run = form.get("proef") == "ja"
    report: ImportReport
    if upload is None or isinstance(upload, str):
        report = ImportReport(
            errors=[ImportIssue(None, None, "kies een bestand om te importeren.")], dry_run=dry_run
        )
    else:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            report = ImportReport(
                errors=[
                    ImportIssue(
                        None, None, f"het bestand is groter dan {MAX_UPLOAD_BYTES // 1_000_000} MB."
                    )
                ],
                dry_run=dry_run,
            )
        elif not data:
            report = ImportReport(
                errors=[ImportIssue(None, None, "het bestand is leeg.")], dry_run=dry_run
            )
        else:
            report = await anyio.to_thread.run_sync(
                _run_import, catalogue, actor, data, kind, dry_run
            )
    status = 200 if report.ok else 400
    return page(
        "beheer_import.html",
        status,
        title="Importeren",
        actor=actor,
        kind=kind,
        kpi_columns=KPI_COLUMNS,
        **_report_context(report),
    )


def _run_import(
    catalogue: Catalogue, actor: Actor, data: bytes, kind: str, dry_run: bool
) -> ImportReport:
    try:
        table = _table(data)
    except FileProblem as problem:
        return ImportReport(errors=[ImportIssue(None, None, str(problem))], dry_run=dry_run)
    if kind == "kpi":
        return import_kpis(
            catalogue.engine, catalogue.pack, actor, table, catalogue.today(), dry_run=dry_run
        )
    return import_table(
        catalogue.engine,
        catalogue.pack,
        table,
        dry_run=dry_run,
        today=catalogue.today(),
        actor=actor,
    )


@get(
    "/beheer/import/sjabloon.xlsx",
    name="beheer-template-xlsx",
    include_in_schema=False,
    sync_to_thread=True,
)
def template_xlsx(request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    return Response(
        xlsx_template(catalogue.pack),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": 'attachment; filename="aanbieders-sjabloon.xlsx"',
            **NO_STORE,
        },
    )


@get("/beheer/import/sjabloon.csv", name="beheer-template-csv", include_in_schema=False)
async def template_csv(request: Request[Any, Any, Any]) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    return Response(
        csv_template(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="aanbieders-sjabloon.csv"',
            **NO_STORE,
        },
    )


# ---------------------------------------------------------------------------- users


@get("/beheer/gebruikers", name="beheer-users", include_in_schema=False)
async def beheer_users(request: Request[Any, Any, Any]) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    return await _users_page(request, actor)


async def _users_page(
    request: Request[Any, Any, Any],
    actor: Actor,
    *,
    errors: list[str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    users = await anyio.to_thread.run_sync(list_users, accounts_of(request).engine)
    return page(
        "beheer_users.html",
        status,
        title="Gebruikers",
        actor=actor,
        users=users,
        roles=ROLES,
        errors=(errors or [])[:MAX_ERRORS_SHOWN],
        typed=typed or {},
        saved=request.query_params.get("opgeslagen"),
    )


@post("/beheer/gebruikers", name="beheer-user-create", include_in_schema=False, status_code=303)
async def beheer_user_create(request: Request[Any, Any, Any]) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    email = str(form.get("email") or "")[:300]
    role = str(form.get("rol") or "")[:40]
    kvks = [
        k.strip() for k in str(form.get("kvk") or "")[:2000].replace(",", " ").split() if k.strip()
    ]
    password = str(form.get("wachtwoord") or "")[:1000]
    engine = accounts_of(request).engine
    try:
        await anyio.to_thread.run_sync(
            lambda: create_user(engine, email, role, password, kvks, actor=actor)
        )
    except AccountError as error:
        return await _users_page(
            request,
            actor,
            errors=error.problems,
            typed={"email": email, "rol": role, "kvk": " ".join(kvks)},
            status=400,
        )
    return Redirect("/beheer/gebruikers?opgeslagen=aangemaakt", status_code=303)


@post(
    "/beheer/gebruikers/uitzetten",
    name="beheer-user-disable",
    include_in_schema=False,
    status_code=303,
)
async def beheer_user_disable(request: Request[Any, Any, Any]) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    form = await request.form()
    email = str(form.get("email") or "")[:300]
    engine = accounts_of(request).engine
    try:
        await anyio.to_thread.run_sync(lambda: disable_user(engine, email, actor=actor))
    except AccountError as error:
        return await _users_page(request, actor, errors=error.problems, status=400)
    return Redirect("/beheer/gebruikers?opgeslagen=uitgezet", status_code=303)


# ---------------------------------------------------------------------------- audit


def _audit_filters(kvk: str | None, sinds: str | None) -> tuple[str | None, date | None, list[str]]:
    problems = []
    number = None
    if kvk and kvk.strip():
        try:
            number = parse_kvk(kvk)
        except ParamError:
            problems.append("Een KvK-nummer heeft precies 8 cijfers.")
    day = None
    if sinds and sinds.strip():
        try:
            day = date.fromisoformat(sinds.strip()) if len(sinds.strip()) == 10 else None
        except ValueError:
            day = None
        if day is None:
            problems.append("Vul de datum in als jjjj-mm-dd, bijvoorbeeld 2026-12-01.")
    return number, day, problems


@get("/beheer/audit", name="beheer-audit", include_in_schema=False, sync_to_thread=True)
def beheer_audit(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    kvk: str | None = None,
    sinds: str | None = None,
    zoek: str | None = None,
) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    number, day, problems = _audit_filters(kvk, sinds)
    text = (zoek or "").strip()[:100] or None
    found = (
        [] if problems else entries(catalogue.engine, kvk=number, since=day, text=text, limit=200)
    )
    return page(
        "beheer_audit.html",
        400 if problems else 200,
        title="Auditlog",
        actor=actor,
        found=found,
        problems=problems,
        kvk=kvk or "",
        sinds=sinds or "",
        zoek=zoek or "",
        query=request.url.query,
    )


@get("/beheer/audit.csv", name="beheer-audit-csv", include_in_schema=False, sync_to_thread=True)
def beheer_audit_csv(
    request: Request[Any, Any, Any],
    catalogue: NamedDependency[Catalogue],
    kvk: str | None = None,
    sinds: str | None = None,
    zoek: str | None = None,
) -> Any:
    actor = _guard(request)
    if isinstance(actor, Redirect):
        return actor
    number, day, problems = _audit_filters(kvk, sinds)
    if problems:
        raise ParamError("sinds" if day is None and sinds else "kvk", " ".join(problems))
    found = entries(
        catalogue.engine,
        kvk=number,
        since=day,
        text=(zoek or "").strip()[:100] or None,
        limit=MAX_ENTRIES,
    )
    return Response(
        "\ufeff" + csv_text(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="auditlog.csv"', **NO_STORE},
    )


BEHEER_HANDLERS = [
    beheer_home,
    beheer_providers,
    beheer_provider_new,
    beheer_provider,
    beheer_provider_create,
    beheer_provider_save,
    beheer_provider_end,
    beheer_import,
    beheer_import_upload,
    template_xlsx,
    template_csv,
    beheer_users,
    beheer_user_create,
    beheer_user_disable,
    beheer_audit,
    beheer_audit_csv,
]

__all__ = ["BEHEER_HANDLERS", "snapshot"]
