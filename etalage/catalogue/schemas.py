"""The answers of the provider API (docs/http-api.md) as typed structs.

The presenters build these; Litestar serialises them and writes the OpenAPI document
from the same classes, so the document and the answers cannot drift. Keys are Dutch:
they are the API's contract. Pure: msgspec only.
"""

from __future__ import annotations

from typing import Literal

import msgspec


class Wachttijd(msgspec.Struct):
    """The latest waiting time; `verouderd` when older than the pack's freshness limit."""

    aanmelden_weken: int | None
    behandeling_weken: int | None
    peildatum: str
    verouderd: bool
    # The day these figures were last measured or confirmed unchanged ("klopt nog");
    # `verouderd` is judged by this day.
    bevestigd_op: str


class WachttijdMeting(Wachttijd):
    """One measurement of the history, with the size of the waiting list."""

    wachtlijst_aantal: int | None


class Capaciteit(msgspec.Struct):
    """Whether the provider takes new clients now (the HL7 SDOH capacity statuses)."""

    status: Literal["plek", "wachtlijst", "aanmeldstop", "eerst_screening"]
    toelichting: str
    geldig_tot: str | None
    sinds: str | None


class Kpi(msgspec.Struct, omit_defaults=True):
    """The outcome indicators of one period. With too few trajectories the percentages
    are `null` and `te_weinig_waarnemingen` is true (the key is left out otherwise)."""

    uitval_pct: float | None
    doelrealisatie_pct: float | None
    tevredenheid_pct: float | None
    n: int
    periode: str
    te_weinig_waarnemingen: bool = False


class ProviderFacts(msgspec.Struct):
    """What a search result and the full provider both say first."""

    kvk: str
    slug: str
    naam: str
    gemeente: str | None
    wetten: list[str]
    segmenten: list[str]
    arrangementen: list[str]
    expertise: list[str]
    wachttijd: Wachttijd | None
    capaciteit: Capaciteit | None
    kpi: Kpi | None


class ProviderSummary(ProviderFacts):
    """One search result."""

    afstand_km: float | None


class ProviderSearchResponse(msgspec.Struct):
    total: int
    page: int
    per_page: int
    backend: Literal["meilisearch", "embedded"]
    results: list[ProviderSummary]
    facets: dict[str, dict[str, int]]


class Locatie(msgspec.Struct):
    adres: str | None
    postcode: str | None
    plaats: str | None
    gemeente: str | None


class Verwijzing(msgspec.Struct):
    """How a GP refers (docs/http-api.md#one-provider)."""

    zorgdomein: bool | None  # through ZorgDomein; None: the provider did not say
    inhoud: str  # what the referral must contain ("" when not said)


class ProviderDetail(ProviderFacts):
    """The full provider, with the waiting-time and KPI histories (oldest first)."""

    omschrijving: str
    website: str | None
    telefoon: str | None
    email: str | None
    leeftijd_min: int | None
    leeftijd_max: int | None
    talen: list[str]
    aanmelding: list[str]
    verwijzing: Verwijzing
    werkgebied: list[str]
    locaties: list[Locatie]
    wachttijd_historie: list[WachttijdMeting]
    kpi_historie: list[Kpi]
    demo: bool
