"""What an import found and did: issues (Dutch, one line each) and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an import file.

    `row` is the spreadsheet row number (the header is row 1); `None` for a problem
    with the file as a whole. `column` is the column name, or `None` for the whole row.
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"Bestand: {self.message}"
        if self.column is None:
            return f"Rij {self.row}: {self.message}"
        return f"Rij {self.row}, kolom '{self.column}': {self.message}"


def count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@dataclass
class ImportReport:
    errors: list[ImportIssue] = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0  # providers in the file
    created: int = 0  # (dry run: would be) created
    updated: int = 0  # (dry run: would be) updated
    waiting_times: int = 0  # rows with a waiting-time measurement
    kpis: int = 0  # rows with a KPI measurement
    provider_ids: list[int] = field(default_factory=list)  # ids written (empty on a dry run)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            what = "Proefimport" if self.dry_run else "Import afgebroken"
            return (
                f"{what}: {count(len(self.errors), 'fout', 'fouten')} gevonden. "
                "Er is niets opgeslagen."
            )
        history = self._history()
        if self.dry_run:
            return (
                f"Proefimport: {count(self.rows, 'aanbieder', 'aanbieders')} gecontroleerd, "
                f"geen fouten gevonden{history}. Bij een echte import worden er "
                f"{self.created} toegevoegd en {self.updated} bijgewerkt; "
                "er is niets opgeslagen."
            )
        return (
            f"{count(self.created, 'aanbieder', 'aanbieders')} toegevoegd, "
            f"{self.updated} bijgewerkt{history}."
        )

    def _history(self) -> str:
        parts = []
        if self.waiting_times:
            parts.append(count(self.waiting_times, "wachttijdmeting", "wachttijdmetingen"))
        if self.kpis:
            parts.append(count(self.kpis, "kwaliteitsmeting", "kwaliteitsmetingen"))
        return f" ({' en '.join(parts)})" if parts else ""
