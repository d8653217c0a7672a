"""KPI measurements imported per period (docs/import-format.md#kpi-import): a CSV or XLSX
with `kvk`, `kpi_periode`, `kpi_n` and the three percentages, for known providers only.
Checked as the importer checks, all or nothing, with an audit entry per provider."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import Engine, select

from etalage.accounts.actor import Actor, NotAllowed
from etalage.audit import record_changes
from etalage.catalogue.import_reader import Table
from etalage.catalogue.import_report import ImportIssue, ImportReport
from etalage.catalogue.import_validation import validate_table
from etalage.catalogue.writer import apply_records
from etalage.db.models import Provider
from etalage.db.session import transaction
from etalage.portal.snapshot import snapshot
from etalage.region.model import RegionPack

KPI_COLUMNS = (
    "kvk",
    "kpi_periode",
    "kpi_n",
    "uitval_pct",
    "doelrealisatie_pct",
    "tevredenheid_pct",
)


def import_kpis(
    engine: Engine,
    pack: RegionPack,
    actor: Actor,
    table: Table,
    today: date,
    *,
    dry_run: bool = False,
) -> ImportReport:
    if not actor.is_beheerder:
        raise NotAllowed("beheer")
    header = [h.strip().lstrip("\ufeff").strip().lower() for h in table.header]
    report = ImportReport(dry_run=dry_run)
    unknown = [h for h in header if h and h not in KPI_COLUMNS and h != "naam"]
    missing = [c for c in ("kvk", "kpi_periode", "kpi_n") if c not in header]
    if unknown:
        report.errors.append(
            ImportIssue(
                None,
                None,
                f"onbekende kolom(men): {', '.join(unknown[:10])}; wel: {', '.join(KPI_COLUMNS)}.",
            )
        )
    for column in missing:
        report.errors.append(ImportIssue(None, None, f"verplichte kolom '{column}' ontbreekt."))
    if report.errors:
        return report
    at = header.index("kvk")
    keep = [i for i, h in enumerate(header) if h and h != "naam"]
    kvks = [row.cells[at].strip() if at < len(row.cells) else "" for row in table.rows]
    with transaction(engine) as session:
        providers = {
            p.kvk: p
            for i in range(0, len(kvks), 500)
            for p in session.scalars(select(Provider).where(Provider.kvk.in_(kvks[i : i + 500])))
        }
        rows = []
        for row, kvk in zip(table.rows, kvks, strict=True):
            if not any(c.strip() for c in row.cells):
                continue
            provider = providers.get(kvk)
            if provider is None:
                report.errors.append(
                    ImportIssue(
                        row.number, "kvk", f"er is geen aanbieder met KvK-nummer '{kvk[:20]}'"
                    )
                )
                continue
            extra = (
                provider.name,
                "|".join(provider.codes_of("wet")),
                "|".join(provider.codes_of("segment")),
                "|".join(sorted(f"{a.profile}:{a.intensity}" for a in provider.arrangements)),
            )
            cells = [row.cells[i] if i < len(row.cells) else "" for i in keep]
            rows.append(replace(row, cells=(*cells, *extra), flags={}))
        checked = validate_table(
            pack,
            Table(
                header=(*(header[i] for i in keep), "naam", "wetten", "segmenten", "arrangementen"),
                rows=tuple(rows),
            ),
            today=today,
        )
        report.errors += checked.issues
        if not report.errors and not checked.records:
            report.errors.append(ImportIssue(None, None, "er staan geen metingen in."))
        if report.errors:
            report.errors.sort(key=lambda i: i.row or 0)
            return report
        report.rows = len(checked.records)
        report.kpis = sum(1 for r in checked.records if r.kpi is not None)
        if dry_run:
            report.updated = report.rows
            session.rollback()
            return report
        before = {k: snapshot(p) for k, p in providers.items()}
        changes = [replace(r, fields=frozenset()) for r in checked.records]
        result = apply_records(session, changes, is_demo=False)
        for provider in result.providers:
            record_changes(
                session, actor, "kpi-import", provider.kvk, before[provider.kvk], snapshot(provider)
            )
        report.updated = result.updated
        return report
