"""The import file's header: the column names of the format and how a header is checked
(docs/import-format.md#columns), and how a value is quoted in a message. Pure.

Split from import_validation.py, which checks the rows.
"""

from __future__ import annotations

import difflib
import unicodedata

from etalage.catalogue.import_reader import Table
from etalage.catalogue.import_report import ImportIssue

COLUMNS: tuple[str, ...] = (
    "kvk",
    "naam",
    "omschrijving",
    "website",
    "telefoon",
    "email",
    "wetten",
    "segmenten",
    "arrangementen",
    "expertise",
    "leeftijd_min",
    "leeftijd_max",
    "adres",
    "postcode",
    "plaats",
    "gemeente",
    "werkgebied",
    "talen",
    "aanmelding",
    "verwijzing_zorgdomein",
    "verwijzing_inhoud",
    "aanmeldwachttijd_weken",
    "behandelwachttijd_weken",
    "wachtlijst_aantal",
    "wachttijd_peildatum",
    "uitval_pct",
    "doelrealisatie_pct",
    "tevredenheid_pct",
    "kpi_n",
    "kpi_periode",
)
REQUIRED_COLUMNS = ("kvk", "naam", "wetten", "segmenten")
# Format and control characters (bidirectional overrides, zero-width spaces, NUL ...).
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs", "Cn"})
MAX_UNKNOWN_LISTED = 10  # more unknown columns than this are one error line


def shown(value: str, limit: int = 60) -> str:
    """A value quoted in a message: one line, at most `limit` characters, and control or
    invisible characters written as their code (a NUL is never printed raw)."""
    flat = " ".join(value.split())
    flat = "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in INVISIBLE_CATEGORIES else c for c in flat
    )
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ---------------------------------------------------------------------------- header


def check_header(table: Table, issues: list[ImportIssue]) -> dict[str, int] | None:
    """Column name -> index, or None when the header has errors (reported)."""
    columns: dict[str, int] = {}
    positions: dict[str, list[int]] = {}
    unknown: list[tuple[int, str]] = []
    known = set(COLUMNS)
    names = [h.strip().lstrip("\ufeff").strip().lower() for h in table.header]
    example = ", ".join(REQUIRED_COLUMNS)
    if not any(names):
        issues.append(
            ImportIssue(
                None,
                None,
                f"de eerste regel is leeg. Zet daar de kolomnamen ({example}, ...).",
            )
        )
        return None
    if not known.intersection(names):
        issues.append(
            ImportIssue(
                None,
                None,
                "de eerste regel is geen kopregel: er staat geen enkele bekende kolomnaam in. "
                f"Zet daar de kolomnamen ({example}, ...).",
            )
        )
        return None
    for index, raw in enumerate(table.header):
        name = raw.strip().lstrip("\ufeff").strip().lower()
        if table.header_flags.get(index) == "formule":
            issues.append(
                ImportIssue(None, None, f"de kopregel bevat een formule in kolom {index + 1}.")
            )
            continue
        if not name:
            if any(index < len(r.cells) and r.cells[index].strip() for r in table.rows):
                issues.append(
                    ImportIssue(
                        None,
                        None,
                        f"kolom {index + 1} heeft geen naam in de kopregel, maar er staan "
                        "wel gegevens in.",
                    )
                )
            continue
        if name not in known:
            unknown.append((index, raw))
            continue
        positions.setdefault(name, []).append(index)
        columns.setdefault(name, index)
    if len(unknown) > MAX_UNKNOWN_LISTED:
        # Thousands of unknown columns are one problem, said once.
        examples = ", ".join(f"'{shown(raw.strip(), 30)}'" for _, raw in unknown[:3])
        issues.append(
            ImportIssue(
                None,
                None,
                f"{len(unknown)} onbekende kolommen, bijvoorbeeld {examples}. Toegestane "
                f"kolommen: {', '.join(COLUMNS)}.",
            )
        )
    else:
        for _, raw in unknown:
            close = difflib.get_close_matches(raw.strip().lower(), COLUMNS, n=1, cutoff=0.75)
            hint = (
                f" (bedoelt u '{close[0]}'?)"
                if close
                else f". Toegestane kolommen: {', '.join(COLUMNS)}."
            )
            issues.append(ImportIssue(None, None, f"onbekende kolom '{shown(raw.strip())}'{hint}"))
    for name, where in positions.items():
        if len(where) > 1:
            places = " en ".join(str(i + 1) for i in where)
            issues.append(
                ImportIssue(
                    None,
                    None,
                    f"kolom '{name}' staat meer dan één keer in de kopregel (kolom {places}).",
                )
            )
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            issues.append(ImportIssue(None, None, f"verplichte kolom '{name}' ontbreekt."))
    return None if issues else columns
