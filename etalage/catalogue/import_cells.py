"""Reading the cells of one import row (import_validation.py uses it per row): the raw
cells against the header, and typed values (whole numbers, decimals, codes, yes/no,
dates, web address, phone, e-mail) with a Dutch message per bad cell."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from etalage.catalogue.import_header import INVISIBLE_CATEGORIES
from etalage.catalogue.import_header import shown as _shown
from etalage.catalogue.import_reader import Row
from etalage.catalogue.import_report import ImportIssue

if TYPE_CHECKING:
    from etalage.catalogue.import_validation import _Vocabulary

# Free-text columns where a formula-looking start is refused (e-mail too: its format
# would allow `=` in front of the @).
FREE_TEXT_COLUMNS = frozenset(
    {"naam", "omschrijving", "adres", "plaats", "email", "verwijzing_inhoud"}
)
# Free-text columns whose whitespace (line breaks too) is collapsed to single spaces.
ONE_LINE_COLUMNS = frozenset({"naam", "adres", "plaats"})
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_LENGTH = {
    "naam": 200,
    "omschrijving": 10_000,
    "website": 500,
    "telefoon": 40,
    "email": 254,
    "adres": 200,
    "plaats": 100,
    "verwijzing_inhoud": 2000,
}
# Yes and no as people type them (and as Excel shows a boolean cell).
YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1"})
NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})
_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")
_PHONE_PATTERNS = (
    re.compile(r"^0[1-9][0-9]{8}$"),  # 0229123456, 0612345678
    re.compile(r"^\+31[1-9][0-9]{8}$"),  # +31229123456
    re.compile(r"^0031[1-9][0-9]{8}$"),
    re.compile(r"^0(?:800|900|906|909)[0-9]{4,7}$"),  # information numbers
    re.compile(r"^14[0-9]{3,4}$"),  # municipal 14 + area code
)


def _split(value: str) -> list[str]:
    seen: list[str] = []
    for part in value.split("|"):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


def _choices(codes: Iterable[str]) -> str:
    return ", ".join(codes)


# Unicode category Cc except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_character(value: str) -> str | None:
    found = _CONTROL.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


class Cells:
    """The cells of one row, read once; every bad cell gets one message."""

    def __init__(
        self,
        row: Row,
        columns: dict[str, int],
        width: int,
        vocab: _Vocabulary,
        today: date,
        issues: list[ImportIssue],
    ) -> None:
        self.row = row
        self.columns = columns
        self.width = width
        self.vocab = vocab
        self.today = today
        self.issues = issues
        self.bad: set[str] = set()
        self.values: dict[str, str] = {}

    # -- helpers

    def err(self, column: str | None, message: str) -> None:
        self.issues.append(ImportIssue(self.row.number, column, message))
        if column:
            self.bad.add(column)

    def given(self, column: str) -> bool:
        """The cell has content (valid or not)."""
        return bool(self.values.get(column)) or column in self.bad

    def text(self, column: str) -> str | None:
        """The trimmed cell, or None when empty or already found invalid."""
        if column in self.bad:
            return None
        return self.values.get(column) or None

    def integer(self, column: str, low: int, high: int) -> int | None:
        value = self.text(column)
        if value is None:
            return None
        if not _INT.match(value):
            self.err(column, f"moet een geheel getal zijn (gevonden: '{_shown(value)}')")
            return None
        number = int(value)
        if number < low or number > high:
            self.err(
                column, f"moet een getal van {low} tot en met {high} zijn (gevonden: '{value}')"
            )
            return None
        return number

    def decimal(self, column: str, low: float, high: float) -> float | None:
        value = self.text(column)
        if value is None:
            return None
        if not _DECIMAL.match(value):
            self.err(column, f"moet een getal zijn (gevonden: '{_shown(value)}')")
            return None
        number = float(value.replace(",", "."))
        if number < low or number > high:
            self.err(
                column,
                f"moet een getal van {low:g} tot en met {high:g} zijn (gevonden: '{value}')",
            )
            return None
        return number

    def codes(
        self, column: str, table: dict[str, str], unknown: str, choices: Iterable[str]
    ) -> list[str]:
        value = self.text(column)
        if value is None:
            return []
        found: list[str] = []
        choice_list = list(choices)
        for item in _split(value):
            code = table.get(item.casefold())
            if code is None:
                self.err(column, self._unknown(unknown, item, choice_list))
            elif code not in found:
                found.append(code)
        return found

    @staticmethod
    def _unknown(what: str, item: str, choices: list[str]) -> str:
        if len(choices) > 12:
            folded = {c.casefold(): c for c in choices}
            close = difflib.get_close_matches(item.casefold(), folded, n=1, cutoff=0.7)
            if close:
                return f"{what} '{_shown(item)}' (bedoelt u '{folded[close[0]]}'?)"
        return f"{what} '{_shown(item)}'; kies uit: {_choices(choices)}"

    def _read_cells(self) -> bool:
        cells = self.row.cells
        if any(c.strip() for c in cells[self.width :]):
            self.err(
                None,
                f"heeft meer cellen ({len(cells)}) dan de kopregel ({self.width}); "
                "controleer het scheidingsteken en de aanhalingstekens",
            )
            return False
        for name, index in self.columns.items():
            raw = cells[index] if index < len(cells) else ""
            value = raw.strip()
            if value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
                value = value[1:]  # neutralised by our export: `'+31 229 123456`
            self.values[name] = value
            flag = self.row.flags.get(index)
            if flag == "formule":
                self.err(
                    name,
                    f"is een formule (gevonden: '{_shown(value)}'); vul de uitkomst zelf in "
                    "als waarde",
                )
            elif flag == "fout":
                self.err(name, f"bevat een foutwaarde uit Excel (gevonden: '{_shown(value)}')")
            elif control := _control_character(value):
                self.err(
                    name,
                    f"bevat een onzichtbaar stuurteken ({control}); haal dat teken weg",
                )
            elif name in MAX_LENGTH and len(value) > MAX_LENGTH[name]:
                self.err(
                    name,
                    f"is te lang ({len(value)} tekens; het maximum is {MAX_LENGTH[name]})",
                )
            elif name in FREE_TEXT_COLUMNS and value.startswith(FORMULA_PREFIXES):
                self.err(
                    name,
                    f"lijkt op een spreadsheetformule, want begint met '{value[0]}' "
                    f"(gevonden: '{_shown(value)}'); haal dat teken weg",
                )
            if name in ONE_LINE_COLUMNS:
                self.values[name] = " ".join(value.split())
        return True

    def _free_text(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        hidden = next(
            (
                c
                for c in value
                if c not in "\t\n\r" and unicodedata.category(c) in INVISIBLE_CATEGORIES
            ),
            None,
        )
        if hidden is not None:
            # Right-to-left overrides and zero-width characters can make a name read as
            # another one ("Zorg\u202eekorW"); there is no good reason for them here.
            self.err(
                column,
                f"bevat een onzichtbaar teken (U+{ord(hidden):04X}) dat tekst kan omdraaien of "
                "verbergen. Haal het weg en typ de tekst opnieuw.",
            )
            return None
        return value

    def _yes_no(self, column: str) -> bool | None:
        value = self.text(column)
        if value is None:
            return None
        folded = value.strip().casefold()
        if folded in YES:
            return True
        if folded in NO:
            return False
        self.err(column, f"moet ja of nee zijn (gevonden: '{_shown(value)}')")
        return None

    def _website(self) -> str | None:
        value = self.text("website")
        if value is None:
            return None
        parts = urlsplit(value) if " " not in value else None
        host = parts.hostname if parts else None
        if (
            parts is None
            or parts.scheme.lower() not in ("http", "https")
            or not host
            or "." not in host
        ):
            self.err(
                "website",
                "moet een webadres zijn dat begint met http:// of https:// "
                f"(gevonden: '{_shown(value)}')",
            )
            return None
        return value

    def _phone(self) -> str | None:
        value = self.text("telefoon")
        if value is None:
            return None
        digits = re.sub(r"[ ()\-.]", "", value)
        if not _PHONE_CHARS.match(value) or not any(p.match(digits) for p in _PHONE_PATTERNS):
            self.err(
                "telefoon",
                f"is geen geldig Nederlands telefoonnummer (gevonden: '{_shown(value)}'); "
                "schrijf het bijvoorbeeld als 0229-123456 of +31 229 123456",
            )
            return None
        return " ".join(value.split())

    def _email(self) -> str | None:
        value = self.text("email")
        if value is None:
            return None
        if not _EMAIL.match(value):
            self.err("email", f"is geen geldig e-mailadres (gevonden: '{_shown(value)}')")
            return None
        return value

    def _date(self, column: str) -> date | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            self.err(
                column,
                f"moet een datum zijn in de vorm jjjj-mm-dd, bijvoorbeeld 2025-03-01 "
                f"(gevonden: '{_shown(value)}')",
            )
            return None
        if day > self.today:
            self.err(column, f"ligt in de toekomst ({value}); vul de datum van de meting in")
            return None
        return day
