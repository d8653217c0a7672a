"""Beheer: imports uploaded in the browser, the import templates and KPI imports
(docs/portal.md#beheer). Uploads: at most `MAX_UPLOAD_BYTES`; the type is read from
the content (an XLSX is a ZIP archive, a CSV is text without NUL bytes), not from the
name or the browser's content type; nothing is written when the file has one error.
At most `MAX_ERRORS_SHOWN` errors are listed, with the count of the rest."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from etalage.accounts.actor import Actor
from etalage.catalogue.import_reader import (
    MAX_FILE_BYTES,
    FileProblem,
    read_csv_bytes,
    read_xlsx_bytes,
)
from etalage.catalogue.import_report import ImportIssue, ImportReport
from etalage.catalogue.import_template import csv_template, xlsx_template
from etalage.catalogue.importer import import_table
from etalage.portal.kpi_import import KPI_COLUMNS, import_kpis
from etalage.web.account_pages import NO_STORE, page
from etalage.web.beheer_pages import MAX_ERRORS_SHOWN, guard
from etalage.web.services import Catalogue

MAX_UPLOAD_BYTES = MAX_FILE_BYTES
XLSX_MAGIC = b"PK\x03\x04"


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
async def beheer_import(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = guard(request)
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
) -> Response[Any]:
    actor = guard(request)
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
def template_xlsx(
    request: Request[Any, Any, Any], catalogue: NamedDependency[Catalogue]
) -> Response[Any]:
    actor = guard(request)
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
async def template_csv(request: Request[Any, Any, Any]) -> Response[Any]:
    actor = guard(request)
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


IMPORT_HANDLERS = [beheer_import, beheer_import_upload, template_xlsx, template_csv]
