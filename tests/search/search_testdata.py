"""A fixed, synthetic set of providers for the search contract suite.

Built here on purpose (not from the demo loader): every provider exists to prove one
rule, and the expected answers below follow from these facts alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from support import record_of

from etalage.provider import KpiPoint, Location, ProviderRecord, WaitingPoint

TODAY = date.today()
FRESH = TODAY - timedelta(weeks=1)
OLD = TODAY - timedelta(weeks=20)


def loc(municipality: str, city: str, lat: float, lon: float, postcode: str = "") -> Location:
    return Location(
        address="Straat 1",
        postcode=postcode or None,
        city=city,
        municipality=municipality,
        lat=lat,
        lon=lon,
    )


HOORN = loc("hoorn", "Hoorn", 52.6400, 5.0580, "1621 AB")
ZWAAG = loc("hoorn", "Zwaag", 52.6660, 5.0740, "1689 AA")
ENKHUIZEN = loc("enkhuizen", "Enkhuizen", 52.7040, 5.2920, "1600 AA")
MEDEMBLIK = loc("medemblik", "Medemblik", 52.7710, 5.1050, "1671 AA")
OPMEER = loc("opmeer", "Opmeer", 52.7060, 4.9440, "1716 AA")
AVENHORN = loc("koggenland", "Avenhorn", 52.6180, 4.9550, "1633 AA")
VENHUIZEN = loc("drechterland", "Venhuizen", 52.6620, 5.2000, "1606 AA")
BOVENKARSPEL = loc("stede-broec", "Bovenkarspel", 52.6970, 5.2450, "1611 AA")


def wt(aanmelden: int | None, behandeling: int | None, day: date = FRESH) -> WaitingPoint:
    return WaitingPoint(peildatum=day, registration_weeks=aanmelden, treatment_weeks=behandeling)


def kpi(uitval: float, doel: float, tevreden: float, n: int = 100) -> KpiPoint:
    return KpiPoint(
        period="2025",
        n=n,
        dropout_pct=uitval,
        goal_attainment_pct=doel,
        satisfaction_pct=tevreden,
    )


PROVIDERS: list[ProviderRecord] = [
    record_of(
        kvk="10000001",
        naam="De Kleine Haven",
        slug="de-kleine-haven",
        omschrijving="Ambulante hulp voor kinderen en hun ouders, thuis en op school.",
        wetten=["jeugdwet"],
        segmenten=["B"],
        arrangementen=[("J4", "licht"), ("J4", "midden")],
        expertise=["autisme"],
        talen=["nl", "en"],
        aanmelding=["huisarts", "toegang"],
        leeftijd_min=4,
        leeftijd_max=18,
        locations=[HOORN],
        waiting_time=wt(3, 5),
        kpi=kpi(8, 76, 88, n=120),
    ),
    record_of(
        kvk="10000002",
        naam="Autisme Centrum Noord",
        slug="autisme-centrum-noord",
        omschrijving="Behandeling en begeleiding van jongeren met autisme en hun gezin.",
        wetten=["jeugdwet"],
        segmenten=["B", "C"],
        arrangementen=[("J4", "midden"), ("J4", "zwaar")],
        expertise=["autisme"],
        talen=["nl"],
        leeftijd_min=0,
        leeftijd_max=23,
        werkgebied=["hoorn", "koggenland", "opmeer"],
        locations=[AVENHORN],
        waiting_time=wt(8, 12),
        kpi=kpi(15, 60, 70),
    ),
    record_of(
        kvk="10000003",
        naam="Spectrum Volwassenen",
        slug="spectrum-volwassenen",
        omschrijving="Begeleiding thuis voor volwassenen met autisme.",
        wetten=["wmo"],
        segmenten=["B"],
        arrangementen=[("W3", "licht"), ("W3", "midden")],
        expertise=["autisme", "ambulante-begeleiding"],
        talen=["nl"],
        leeftijd_min=18,
        serves_region=True,
        locations=[ENKHUIZEN],
        waiting_time=wt(2, 2),
        kpi=kpi(5, 80, 90),
    ),
    record_of(
        kvk="10000004",
        naam="Geheugenhuis Enkhuizen",
        slug="geheugenhuis-enkhuizen",
        omschrijving="Dagbesteding en ondersteuning bij dementie, ook voor mantelzorgers.",
        wetten=["wmo"],
        segmenten=["B"],
        arrangementen=[("W2", "midden"), ("W2", "zwaar")],
        expertise=["dementie", "mantelzorgondersteuning", "dagbesteding"],
        talen=["nl"],
        leeftijd_min=18,
        locations=[ENKHUIZEN],
        werkgebied=["enkhuizen", "stede-broec"],
        waiting_time=wt(1, 1),
        kpi=kpi(3, 85, 95, n=60),
    ),
    record_of(
        kvk="10000005",
        naam="Hersenwerk Medemblik",
        slug="hersenwerk-medemblik",
        omschrijving="Revalidatie en begeleiding na een beroerte of ander letsel.",
        wetten=["wmo"],
        segmenten=["B"],
        arrangementen=[("W5", "midden")],
        expertise=["nah"],
        talen=["nl", "de"],
        leeftijd_min=18,
        locations=[MEDEMBLIK],
        waiting_time=wt(4, 6, OLD),
        kpi=kpi(10, 70, 75, n=45),
    ),
    record_of(
        kvk="10000006",
        naam="Gedragskracht",
        slug="gedragskracht",
        omschrijving="Training en behandeling voor kinderen met driftbuien of ADHD.",
        wetten=["jeugdwet"],
        segmenten=["B"],
        arrangementen=[("J2", "licht"), ("J2", "zwaar")],
        expertise=["gedrag", "adhd"],
        talen=["nl"],
        leeftijd_min=6,
        leeftijd_max=18,
        serves_region=True,
        locations=[ZWAAG],
        waiting_time=wt(6, 10),
        kpi=kpi(20, 55, 65),
    ),
    record_of(
        kvk="10000007",
        naam="Thuis in Balans",
        slug="thuis-in-balans",
        omschrijving="Schoonmaken, wassen en strijken voor wie dat zelf niet meer kan.",
        wetten=["wmo"],
        segmenten=["B"],
        arrangementen=[("W8", "licht")],
        expertise=["huishoudelijke-hulp"],
        talen=["nl", "pl"],
        leeftijd_min=18,
        locations=[OPMEER],
    ),
    record_of(
        kvk="10000008",
        naam="Taalbrug Gezinshulp",
        slug="taalbrug-gezinshulp",
        omschrijving="Gezinsbegeleiding in de eigen taal, vrij toegankelijk.",
        wetten=["jeugdwet"],
        segmenten=["A"],
        expertise=["gezinsbegeleiding", "opvoedondersteuning"],
        talen=["nl", "ar", "tr"],
        aanmelding=["direct"],
        locations=[AVENHORN],
        waiting_time=wt(0, 1),
        kpi=kpi(12, 70, 80, n=10),
    ),
    record_of(
        kvk="10000009",
        naam="Zorgboerderij De Klaver",
        slug="zorgboerderij-de-klaver",
        omschrijving="Werken op de boerderij met dieren: dagbesteding voor volwassenen.",
        wetten=["wmo"],
        segmenten=["B"],
        arrangementen=[("W3", "midden"), ("W4", "midden")],
        expertise=["dagbesteding", "lvb"],
        talen=["nl"],
        leeftijd_min=18,
        leeftijd_max=67,
        locations=[VENHUIZEN],
        waiting_time=wt(5, 0),
        kpi=kpi(9, 72, 91, n=5),
    ),
    record_of(
        kvk="10000010",
        naam="Jeugdcrisis Noord",
        slug="jeugdcrisis-noord",
        omschrijving="Crisishulp en behandeling bij trauma, dag en nacht bereikbaar.",
        wetten=["jeugdwet"],
        segmenten=["C"],
        arrangementen=[("J3", "zwaar")],
        expertise=["crisis", "trauma"],
        talen=["nl", "en"],
        leeftijd_min=0,
        leeftijd_max=18,
        serves_region=True,
        locations=[HOORN],
        waiting_time=wt(0, 0),
        kpi=kpi(25, 50, 60),
    ),
    record_of(
        kvk="10000011",
        naam="Kwartier Jeugdhulp",
        slug="kwartier-jeugdhulp",
        omschrijving="Jeugdhulp bij angst, somberheid en problemen met eten.",
        wetten=["jeugdwet"],
        segmenten=["B"],
        arrangementen=[("J3", "licht"), ("J3", "midden")],
        expertise=["angst-depressie", "eetstoornis"],
        talen=["nl"],
        leeftijd_min=12,
        leeftijd_max=18,
        locations=[BOVENKARSPEL],
        werkgebied=["stede-broec", "enkhuizen", "drechterland"],
        waiting_time=wt(10, 12),
        kpi=kpi(18, 64, 77),
    ),
    record_of(
        kvk="10000012",
        naam="Stap voor Stap LVB",
        slug="stap-voor-stap-lvb",
        omschrijving="Begeleid wonen en coaching voor jongvolwassenen met een beperking.",
        wetten=["wmo", "jeugdwet"],
        segmenten=["B"],
        arrangementen=[("W4", "midden"), ("J5", "midden")],
        expertise=["lvb", "begeleid-wonen"],
        talen=["nl"],
        leeftijd_min=16,
        leeftijd_max=30,
        locations=[MEDEMBLIK],
        werkgebied=["medemblik", "opmeer"],
        waiting_time=wt(12, 20),
        kpi=kpi(11, 69, 79),
    ),
    record_of(
        kvk="10000013",
        naam="Oog en Oor",
        slug="oog-en-oor",
        omschrijving="Ondersteuning voor mensen die slecht zien of slecht horen.",
        wetten=["wmo"],
        segmenten=["B"],
        arrangementen=[("W6", "licht")],
        expertise=["zintuiglijke-beperking"],
        talen=["nl"],
        leeftijd_min=18,
        serves_region=True,
        locations=[HOORN],
    ),
    record_of(
        kvk="10000014",
        naam="Vrij Baan",
        slug="vrij-baan",
        omschrijving="Hulp bij verslaving aan alcohol, drugs of gokken.",
        wetten=["wmo", "jeugdwet"],
        segmenten=["B"],
        arrangementen=[("W7", "midden"), ("J7", "midden")],
        expertise=["verslaving"],
        talen=["nl", "en"],
        leeftijd_min=14,
        locations=[HOORN],
        waiting_time=wt(2, 4, OLD),
    ),
    record_of(
        kvk="10000015",
        naam="Buurtwerk Westfriesland",
        slug="buurtwerk-westfriesland",
        omschrijving="Jongerenwerk en hulp bij schulden in de wijk.",
        wetten=["jeugdwet", "wmo"],
        segmenten=["A"],
        expertise=["jongerenwerk", "schuldhulp"],
        talen=["nl", "tr"],
        serves_region=True,
        locations=[],  # no location: no _geo
    ),
    record_of(
        kvk="10000016",
        naam='Escape "Test" \\ Huis',
        slug="escape-test-huis",
        omschrijving="Een aanbieder met lastige tekens in naam en codes.",
        wetten=["wmo"],
        segmenten=["A"],
        expertise=['x"y\\z'],
        talen=["nl"],
        locations=[OPMEER],
    ),
]

IDS = {p.name: p.kvk for p in PROVIDERS}
AUTISM = {"10000001", "10000002", "10000003"}
