"""Changing a provider's facts: the one path for the portal, beheer and the update API.

Each function
1. finds the provider and checks the actor may change it (`NotYours` otherwise, the
   same as for an unknown KvK number: a 404 at the edge; `NotAllowed` for a role that may
   not do this at all);
2. validates the new values as the importer does (`validate_table` on a one-row table
   with the import's columns, docs/import-format.md), so the rules cannot drift;
3. writes the change and its audit entry (old and new values) in one transaction;
   the outbox (etalage.db.outbox) then brings the search index up to date within the
   worker's poll interval.

"Klopt nog" (`confirm`) records that the current figures still hold: `confirmed_on`
becomes today, the measurement keeps its peildatum. A waiting time or capacity saved
with the same values as now is a confirmation too, never a new measurement.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from etalage.accounts.actor import Actor, NotAllowed, NotYours
from etalage.audit import record, record_changes
from etalage.catalogue.import_header import INVISIBLE_CATEGORIES
from etalage.catalogue.import_reader import Row, Table
from etalage.catalogue.import_validation import validate_table
from etalage.catalogue.writer import ProviderChange, apply_records
from etalage.dates import parse_day
from etalage.db.models import Provider
from etalage.db.session import transaction
from etalage.portal.snapshot import snapshot
from etalage.provider import CAPACITY_STATUSES
from etalage.region.model import RegionPack

MAX_PROBLEMS = 20
NOTE_MAX = 500
CAPACITY_MAX_AHEAD = timedelta(days=2 * 366)

# What a provider may change in the portal (import columns).
DETAIL_COLUMNS = (
    "omschrijving",
    "website",
    "telefoon",
    "email",
    "expertise",
    "talen",
    "aanmelding",
    "verwijzing_zorgdomein",
    "verwijzing_inhoud",
)
# The import's waiting-time columns and the update API's names for them.
WAITING_FIELDS = {
    "aanmeldwachttijd_weken": "aanmelden_weken",
    "behandelwachttijd_weken": "behandeling_weken",
    "wachtlijst_aantal": "wachtlijst_aantal",
    "wachttijd_peildatum": "peildatum",
}


@dataclass(frozen=True)
class Problem:
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class UpdateError(ValueError):
    """Why a change was refused (Dutch); nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)[:MAX_PROBLEMS]
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Outcome:
    kvk: str
    changed: bool  # False: nothing differed (a confirmation, or nothing to do)
    confirmed: bool = False


def _provider(session: Session, actor: Actor, kvk: str, *, lock: bool = True) -> Provider:
    if not actor.may_edit(kvk):
        raise NotYours(kvk)
    query = select(Provider).where(Provider.kvk == kvk)
    if lock:
        query = query.with_for_update()
    provider = session.scalar(query)
    if provider is None:
        raise NotYours(kvk)
    return provider


def validate_columns(
    pack: RegionPack,
    values: Mapping[str, str],
    today: date,
    *,
    kvk: str,
    current: Provider | None,
    names: Mapping[str, str] | None = None,
) -> ProviderChange:
    """The importer's validation of one row with these columns (import column names);
    the import's required columns the caller leaves out are the provider's current
    values. `names` maps a column to the field name the caller shows in errors."""
    cells = dict(values)
    cells["kvk"] = kvk
    if current is not None:
        cells.setdefault("naam", current.name)
        cells.setdefault("wetten", "|".join(current.codes_of("wet")))
        cells.setdefault("segmenten", "|".join(current.codes_of("segment")))
        if "wetten" not in values and "segmenten" not in values:
            cells.setdefault(
                "arrangementen",
                "|".join(sorted(f"{a.profile}:{a.intensity}" for a in current.arrangements)),
            )
    columns = list(cells)
    table = Table(header=tuple(columns), rows=(Row(2, tuple(cells[c] for c in columns)),))
    checked = validate_table(pack, table, today=today)
    if checked.issues:
        raise UpdateError(
            [
                Problem((names or {}).get(i.column or "", i.column), i.message)
                for i in checked.issues
            ]
        )
    return checked.records[0]


def _text(value: str | None, field: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise UpdateError([Problem(field, f"mag hoogstens {limit} tekens lang zijn")])
    bad = next((c for c in text if unicodedata.category(c) in INVISIBLE_CATEGORIES), None)
    if bad is not None:
        raise UpdateError(
            [Problem(field, f"bevat een onzichtbaar of stuurteken (U+{ord(bad):04X})")]
        )
    return text


# ---------------------------------------------------------------------------- waiting time


def set_waiting_time(
    engine: Engine,
    pack: RegionPack,
    actor: Actor,
    kvk: str,
    values: Mapping[str, str],
    today: date,
    *,
    names: Mapping[str, str] | None = None,
) -> Outcome:
    """A new waiting-time measurement from import-column values (strings, as typed).

    The same figures as the latest measurement are a confirmation, not a new point."""
    wanted = {c: (values.get(c) or "").strip() for c in WAITING_FIELDS}
    if not wanted["wachttijd_peildatum"]:
        wanted["wachttijd_peildatum"] = today.isoformat()
    if not any(wanted[c] for c in WAITING_FIELDS if c != "wachttijd_peildatum"):
        raise UpdateError(
            [Problem(None, "Vul een wachttijd in (aanmelden of behandeling, in weken).")]
        )
    with transaction(engine) as session:
        provider = _provider(session, actor, kvk)
        change = validate_columns(pack, wanted, today, kvk=kvk, current=provider, names=names)
        point = change.waiting_time
        assert point is not None
        before = snapshot(provider)
        latest = provider.latest_waiting_time
        if (
            latest is not None
            and latest.registration_weeks == point.registration_weeks
            and latest.treatment_weeks == point.treatment_weeks
            and (
                point.waiting_list_size is None
                or latest.waiting_list_size == point.waiting_list_size
            )
            and point.peildatum >= latest.peildatum
        ):
            _confirm(provider, point.peildatum)
            record(
                session,
                actor,
                "bevestiging",
                kvk=kvk,
                old=before["bevestigd_op"],
                new=snapshot(provider)["bevestigd_op"],
            )
            return Outcome(kvk, changed=False, confirmed=True)
        apply_records(
            session,
            [ProviderChange(kvk=kvk, name=provider.name, waiting_time=point, fields=frozenset())],
            is_demo=provider.is_demo,
        )
        record_changes(session, actor, "wachttijd", kvk, before, snapshot(provider))
        return Outcome(kvk, changed=True)


def _confirm(provider: Provider, day: date) -> None:
    if provider.confirmed_on is None or provider.confirmed_on < day:
        provider.confirmed_on = day


def confirm(engine: Engine, actor: Actor, kvk: str, today: date) -> Outcome:
    """ "Klopt nog": the current figures hold today, without a change to them."""
    with transaction(engine) as session:
        provider = _provider(session, actor, kvk)
        before = snapshot(provider)
        _confirm(provider, today)
        record(
            session,
            actor,
            "bevestiging",
            kvk=kvk,
            old=before["bevestigd_op"],
            new=today.isoformat(),
        )
        return Outcome(kvk, changed=False, confirmed=True)


# ---------------------------------------------------------------------------- capacity


def set_capacity(
    engine: Engine,
    actor: Actor,
    kvk: str,
    status: str | None,
    note: str | None,
    until: str | None,
    today: date,
) -> Outcome:
    """Capacity: one of CAPACITY_STATUSES (or "" / None to clear it), an explanation and
    an end date (not in the past, at most two years ahead)."""
    problems: list[Problem] = []
    status = (status or "").strip() or None
    if status is not None and status not in CAPACITY_STATUSES:
        problems.append(
            Problem(
                "status",
                f"onbekende status '{status[:40]}'; kies uit: {', '.join(CAPACITY_STATUSES)}",
            )
        )
    try:
        text = _text(note, "toelichting", NOTE_MAX)
    except UpdateError as error:
        problems += error.problems
        text = ""
    end: date | None = None
    if until and until.strip():
        end = parse_day(until)
        if end is None:
            problems.append(
                Problem(
                    "geldig_tot",
                    "moet een datum zijn in de vorm jjjj-mm-dd, bijvoorbeeld 2027-01-31",
                )
            )
        elif end < today:
            problems.append(Problem("geldig_tot", "ligt in het verleden"))
        elif end > today + CAPACITY_MAX_AHEAD:
            problems.append(Problem("geldig_tot", "ligt meer dan twee jaar vooruit"))
    if problems:
        raise UpdateError(problems)
    with transaction(engine) as session:
        provider = _provider(session, actor, kvk)
        before = snapshot(provider)
        same = (
            provider.capacity_status == status
            and (provider.capacity_note or "") == (text if status else "")
            and provider.capacity_until == (end if status else None)
        )
        if same:
            _confirm(provider, today)
            record(
                session,
                actor,
                "bevestiging",
                kvk=kvk,
                old=before["bevestigd_op"],
                new=today.isoformat(),
            )
            return Outcome(kvk, changed=False, confirmed=True)
        if provider.capacity_status != status:
            provider.capacity_since = today if status else None
        provider.capacity_status = status
        provider.capacity_note = text if status else ""
        provider.capacity_until = end if status else None
        record_changes(session, actor, "capaciteit", kvk, before, snapshot(provider))
        return Outcome(kvk, changed=True)


# ---------------------------------------------------------------------------- details


def set_details(
    engine: Engine,
    pack: RegionPack,
    actor: Actor,
    kvk: str,
    values: Mapping[str, str],
    today: date,
    *,
    columns: Sequence[str] = DETAIL_COLUMNS,
) -> Outcome:
    """The provider's own facts (DETAIL_COLUMNS, as import cells); a beheerder may pass
    every import column (`columns`)."""
    given = {c: (values.get(c) or "").strip() for c in columns if c in values}
    if not given:
        raise UpdateError([Problem(None, "Er is niets ingevuld om op te slaan.")])
    with transaction(engine) as session:
        provider = _provider(session, actor, kvk)
        change = validate_columns(pack, given, today, kvk=kvk, current=provider)
        before = snapshot(provider)
        apply_records(session, [change], is_demo=provider.is_demo)
        changed = record_changes(session, actor, "gegevens", kvk, before, snapshot(provider))
        return Outcome(kvk, changed=changed)


# ---------------------------------------------------------------------------- beheer


def save_provider(
    engine: Engine, pack: RegionPack, actor: Actor, values: Mapping[str, str], today: date
) -> Outcome:
    """Create a provider, or change one, from import columns (beheerder only)."""
    if not actor.is_beheerder:
        raise NotAllowed("beheer")
    given = {c: (v or "").strip() for c, v in values.items()}
    kvk = given.get("kvk", "")
    with transaction(engine) as session:
        existing = session.scalar(select(Provider).where(Provider.kvk == kvk).with_for_update())
        change = validate_columns(
            pack,
            given,
            today,
            kvk=kvk,
            current=existing,
        )
        before = snapshot(existing) if existing else {}
        result = apply_records(session, [change], is_demo=existing.is_demo if existing else False)
        provider = result.providers[0]
        what = "aanbieder gewijzigd" if existing else "aanbieder aangemaakt"
        changed = record_changes(session, actor, what, change.kvk, before, snapshot(provider))
        return Outcome(change.kvk, changed=changed)


def end_provider(engine: Engine, actor: Actor, kvk: str) -> Outcome:
    """End a provider's place in the etalage (its contract ended): it is removed, and
    its last facts stay in the audit log."""
    if not actor.is_beheerder:
        raise NotAllowed("beheer")
    with transaction(engine) as session:
        provider = _provider(session, actor, kvk)
        record(session, actor, "aanbieder beëindigd", kvk=kvk, old=snapshot(provider), new=None)
        session.delete(provider)
        return Outcome(kvk, changed=True)


def waiting_values(body: Mapping[str, Any]) -> dict[str, str]:
    """The update API's JSON waiting time as import cells (strings), refusing types the
    importer would not see (a boolean, a fraction, a list)."""
    problems: list[Problem] = []
    cells: dict[str, str] = {}
    for column, name in WAITING_FIELDS.items():
        value = body.get(name)
        if value is None:
            continue
        if name == "peildatum":
            if not isinstance(value, str):
                problems.append(Problem(name, "moet een datum zijn in de vorm jjjj-mm-dd"))
                continue
            cells[column] = value[:40]
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(name, "moet een geheel getal zijn"))
        else:
            cells[column] = str(value) if abs(value) < 10**9 else "1000000000"
    unknown = sorted(set(body) - set(WAITING_FIELDS.values()))
    if unknown:
        problems.append(
            Problem(
                unknown[0][:40],
                f"is geen veld van een wachttijd; wel: {', '.join(WAITING_FIELDS.values())}",
            )
        )
    if problems:
        raise UpdateError(problems)
    return cells
