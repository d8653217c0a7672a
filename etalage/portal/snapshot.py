"""A provider's facts as plain JSON-able values, keyed by import column, for the audit
log's old and new values (etalage.audit.record_changes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from etalage.db.models import Provider


def snapshot_of(session: Session, kvk: str) -> dict[str, Any] | None:
    found = session.scalar(select(Provider).where(Provider.kvk == kvk))
    return snapshot(found) if found is not None else None


def snapshot(p: Provider) -> dict[str, Any]:
    main = p.main_location
    w = p.latest_waiting_time
    k = p.latest_kpi
    return {
        "naam": p.name,
        "omschrijving": p.description or "",
        "website": p.website,
        "telefoon": p.phone,
        "email": p.email,
        "verwijzing_zorgdomein": p.referral_zorgdomein,
        "verwijzing_inhoud": p.referral_note or "",
        "leeftijd_min": p.age_min,
        "leeftijd_max": p.age_max,
        "wetten": p.codes_of("wet"),
        "segmenten": p.codes_of("segment"),
        "expertise": p.codes_of("expertise"),
        "talen": p.codes_of("taal"),
        "aanmelding": p.codes_of("aanmelding"),
        "werkgebied": ["regio"] if p.serves_region else p.codes_of("gebied"),
        "arrangementen": sorted(f"{a.profile}:{a.intensity}" for a in p.arrangements),
        "adres": main.address if main else None,
        "postcode": main.postcode if main else None,
        "plaats": main.city if main else None,
        "gemeente": main.municipality if main else None,
        "wachttijd": None
        if w is None
        else {
            "peildatum": w.peildatum.isoformat(),
            "aanmelden_weken": w.registration_weeks,
            "behandeling_weken": w.treatment_weeks,
            "wachtlijst_aantal": w.waiting_list_size,
        },
        "kpi": None
        if k is None
        else {
            "periode": k.period,
            "n": k.n,
            "uitval_pct": k.dropout_pct,
            "doelrealisatie_pct": k.goal_attainment_pct,
            "tevredenheid_pct": k.satisfaction_pct,
        },
        "capaciteit": None
        if not p.capacity_status
        else {
            "status": p.capacity_status,
            "toelichting": p.capacity_note or "",
            "geldig_tot": p.capacity_until.isoformat() if p.capacity_until else None,
        },
        "bevestigd_op": p.confirmed_on.isoformat() if p.confirmed_on else None,
    }
