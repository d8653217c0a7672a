"""The Westfriesland pack holds exactly the contract codes of docs/region-pack.md.

The expected values below are copied from the spec on purpose: the API, the importer and
the assistant depend on these codes, so a change to the pack that breaks the contract
must fail here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from itertools import product

import pytest

from etalage.region import RegionPack, available_packs

MUNICIPALITIES = {
    "drechterland": "Drechterland",
    "enkhuizen": "Enkhuizen",
    "hoorn": "Hoorn",
    "koggenland": "Koggenland",
    "medemblik": "Medemblik",
    "opmeer": "Opmeer",
    "stede-broec": "Stede Broec",
}

SEGMENTS = {
    "A": "Vrij toegankelijk",
    "B": "Arrangement (profiel × intensiteit)",
    "C": "Hoogcomplex / maatwerk",
}

# code: (law, name, specialist signals, other signals), as in the spec's table.
PROFILES: dict[str, tuple[str, str, list[str], list[str]]] = {
    "J1": (
        "jeugdwet",
        "Opvoed- en gezinsproblematiek",
        [],
        [
            "opvoeding",
            "opvoedvragen",
            "grenzen stellen",
            "ruzie thuis",
            "scheiding",
            "vechtscheiding",
            "ouders oneens",
        ],
    ),
    "J2": (
        "jeugdwet",
        "Gedragsproblematiek",
        ["ADHD", "ADD", "ODD", "gedragsstoornis"],
        ["agressie", "agressief", "driftbuien", "woedeaanvallen", "gedrag op school", "geschorst"],
    ),
    "J3": (
        "jeugdwet",
        "Psychische problematiek",
        [
            "depressie",
            "angststoornis",
            "trauma",
            "PTSS",
            "eetstoornis",
            "anorexia",
            "hechtingsstoornis",
        ],
        ["somber", "angstig", "piekeren", "paniekaanvallen", "laag zelfbeeld", "slaapt slecht"],
    ),
    "J4": (
        "jeugdwet",
        "Autisme en ontwikkelingsstoornissen",
        ["autisme", "ASS", "PDD-NOS", "ontwikkelingsstoornis"],
        ["ontwikkelingsachterstand", "prikkelverwerking", "overprikkeld"],
    ),
    "J5": (
        "jeugdwet",
        "Verstandelijke beperking",
        ["LVB", "verstandelijke beperking"],
        ["laag IQ", "moeite met leren en begrijpen"],
    ),
    "J6": (
        "jeugdwet",
        "Lichamelijke beperking of chronische ziekte",
        ["lichamelijke beperking", "chronische ziekte", "epilepsie", "spierziekte"],
        ["rolstoel", "vaak in het ziekenhuis"],
    ),
    "J7": (
        "jeugdwet",
        "Verslavingsproblematiek",
        ["verslaving", "verslaafd"],
        ["drugs", "alcohol", "blowen", "gamen", "middelengebruik"],
    ),
    "W1": (
        "wmo",
        "Lichamelijke beperking / somatische problematiek",
        ["lichamelijke beperking", "chronische ziekte", "reuma", "MS", "parkinson"],
        ["slecht ter been", "rollator", "valt vaak", "revalidatie"],
    ),
    "W2": (
        "wmo",
        "Psychogeriatrische problematiek",
        ["dementie", "alzheimer"],
        ["geheugenproblemen", "vergeetachtig", "dwaalt"],
    ),
    "W3": (
        "wmo",
        "Psychische / psychosociale problematiek",
        [
            "depressie",
            "psychose",
            "angststoornis",
            "bipolair",
            "borderline",
            "schizofrenie",
            "autisme",
        ],
        ["psychische problemen", "somber", "angstig", "eenzaam", "overspannen"],
    ),
    "W4": (
        "wmo",
        "Verstandelijke beperking",
        ["LVB", "verstandelijke beperking"],
        ["laag IQ", "moeite met lezen en regelen"],
    ),
    "W5": (
        "wmo",
        "Niet-aangeboren hersenletsel",
        ["NAH", "hersenletsel", "beroerte", "CVA", "herseninfarct", "hersenbloeding"],
        [],
    ),
    "W6": (
        "wmo",
        "Zintuiglijke beperking",
        ["blind", "slechtziend", "doof", "slechthorend", "doofblind"],
        [],
    ),
    "W7": (
        "wmo",
        "Verslavingsproblematiek",
        ["verslaving", "verslaafd", "alcoholisme"],
        ["drinkt te veel", "drugs", "gokken", "blowen"],
    ),
    "W8": (
        "wmo",
        "Huishoudelijke ondersteuning",
        [],
        ["huishouden", "schoonmaken", "wassen en strijken", "boodschappen"],
    ),
}

LIFE_DOMAINS_ALL = [
    "financien",
    "werk_opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke_relaties",
    "geestelijke_gezondheid",
    "lichamelijke_gezondheid",
    "middelengebruik",
    "basale_adl",
    "instrumentele_adl",
    "sociaal_netwerk",
    "maatschappelijke_participatie",
    "justitie",
]
LIFE_DOMAINS_YOUTH = ["opvoeding_gezin", "ontwikkeling", "school_dagbesteding"]

EXPERTISE = [
    "autisme",
    "adhd",
    "trauma",
    "angst-depressie",
    "eetstoornis",
    "hechting",
    "gedrag",
    "lvb",
    "verstandelijke-beperking",
    "nah",
    "dementie",
    "verslaving",
    "lichamelijke-beperking",
    "zintuiglijke-beperking",
    "opvoedondersteuning",
    "scheiding",
    "gezinsbegeleiding",
    "dagbesteding",
    "begeleid-wonen",
    "ambulante-begeleiding",
    "huishoudelijke-hulp",
    "mantelzorgondersteuning",
    "schuldhulp",
    "jongerenwerk",
    "crisis",
]

DOMAIN_HINTS = [
    ("opvoeding_gezin", {"jeugdwet": "J1"}),
    ("school_dagbesteding", {"jeugdwet": "J2"}),
    ("geestelijke_gezondheid", {"jeugdwet": "J3", "wmo": "W3"}),
    ("ontwikkeling", {"jeugdwet": "J4"}),
    ("lichamelijke_gezondheid", {"jeugdwet": "J6", "wmo": "W1"}),
    ("basale_adl", {"jeugdwet": "J6", "wmo": "W1"}),
    ("middelengebruik", {"jeugdwet": "J7", "wmo": "W7"}),
    ("instrumentele_adl", {"wmo": "W8"}),
]


def words(text: str) -> tuple[str, ...]:
    """Case- and accent-free words, the way a reader of free text sees a phrase."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return tuple(re.findall(r"[a-z0-9]+", plain))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def signals(pack: RegionPack, law: str) -> list[tuple[str, str]]:
    return [
        (s, p.code)
        for p in pack.profiles_for_law(law)
        for s in (*p.specialist_signals, *p.other_signals)
    ]


# ---------------------------------------------------------------------------- contract


def test_pack_identity_and_norms(pack: RegionPack) -> None:
    assert (pack.code, pack.name) == ("westfriesland", "Westfriesland")
    assert pack.is_demo is True
    assert pack.freshness_weeks == 6
    assert pack.kpi_min_n == 20
    t = pack.treeknorm
    assert (t.registration_weeks, t.treatment_weeks, t.total_weeks) == (4, 10, 14)
    assert {"westfriesland", "testregio"} <= set(available_packs())


def test_municipalities(pack: RegionPack) -> None:
    assert {m.code: m.name for m in pack.municipalities} == MUNICIPALITIES


def test_laws_and_age_ranges(pack: RegionPack) -> None:
    assert [(x.code, x.age_min, x.age_max) for x in pack.laws] == [
        ("jeugdwet", 0, 17),
        ("wmo", 18, 120),
    ]
    assert all(x.description for x in pack.laws)
    law_17, law_18 = pack.law_for_age(17), pack.law_for_age(18)
    assert law_17 is not None and law_17.code == "jeugdwet"
    assert law_18 is not None and law_18.code == "wmo"
    assert pack.law_for_age(121) is None


def test_segments(pack: RegionPack) -> None:
    assert {s.code: s.name for s in pack.segments} == SEGMENTS
    assert {s.code: s.needs_arrangement for s in pack.segments} == {
        "A": False,
        "B": True,
        "C": True,
    }
    assert all(s.description for s in pack.segments)


def test_intensities_and_trajectory_types(pack: RegionPack) -> None:
    assert [i.code for i in pack.intensities] == ["licht", "midden", "zwaar"]
    assert {t.code: t.name for t in pack.trajectory_types} == {
        "herstel": "Hersteltraject",
        "duurzaam": "Duurzaam traject",
    }
    assert all(i.description for i in pack.intensities)
    assert all(t.description for t in pack.trajectory_types)


def test_life_domains(pack: RegionPack) -> None:
    assert [d.code for d in pack.life_domains] == LIFE_DOMAINS_ALL + LIFE_DOMAINS_YOUTH
    assert {d.code for d in pack.life_domains if d.youth_only} == set(LIFE_DOMAINS_YOUTH)
    assert all(d.name and d.description for d in pack.life_domains)


def test_expertise_vocabulary(pack: RegionPack) -> None:
    assert [t.code for t in pack.expertise] == EXPERTISE
    assert all(t.label and t.synonyms for t in pack.expertise)


@pytest.mark.parametrize(
    ("tag", "synonyms"),
    [
        ("autisme", ["ASS", "autistisch", "autismespectrumstoornis", "PDD-NOS", "asperger"]),
        ("adhd", ["ADD", "aandachtstekort"]),
        ("lvb", ["licht verstandelijke beperking"]),
        ("nah", ["niet-aangeboren hersenletsel", "hersenletsel", "beroerte", "CVA"]),
        ("dementie", ["alzheimer", "geheugenproblemen", "dementerend"]),
        ("huishoudelijke-hulp", ["huishouden", "schoonmaken"]),
        ("schuldhulp", ["schulden"]),
    ],
)
def test_expertise_synonyms_for_search(pack: RegionPack, tag: str, synonyms: list[str]) -> None:
    found = next(t for t in pack.expertise if t.code == tag)
    assert {words(s) for s in synonyms} <= {words(s) for s in found.synonyms}


def test_a_search_word_belongs_to_one_expertise_tag(pack: RegionPack) -> None:
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for t in pack.expertise:
        for term in (t.code, t.label, *t.synonyms):
            owners[words(term)].add(t.code)
    shared = {" ".join(w): tags for w, tags in owners.items() if len(tags) > 1}
    assert shared == {}


def test_profiles_codes_laws_and_names(pack: RegionPack) -> None:
    assert {p.code: (p.law, p.name) for p in pack.profiles} == {
        code: (law, name) for code, (law, name, _, _) in PROFILES.items()
    }
    assert all(p.description for p in pack.profiles)


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_profile_signals_keep_the_spec_split(pack: RegionPack, code: str) -> None:
    _, _, specialist, other = PROFILES[code]
    profile = pack.profile(code)
    assert profile is not None
    got_specialist = {words(s) for s in profile.specialist_signals}
    got_other = {words(s) for s in profile.other_signals}
    assert {words(s) for s in specialist} <= got_specialist
    assert {words(s) for s in other} <= got_other
    # the pack extends the lists, but a signal is never both specialist and other
    assert got_specialist.isdisjoint(got_other)
    assert profile.expertise, f"{code} has no related expertise tags"
    # ... and extends them with synonyms and inflected forms
    assert len(got_specialist | got_other) > len(specialist) + len(other)


@pytest.mark.parametrize(
    ("code", "signal"),
    [
        ("J4", "autistisch"),
        ("J2", "driftbui"),
        ("J2", "woedeaanval"),
        ("J7", "verslaafde"),
        ("W7", "verslaafde"),
        ("W2", "dementerend"),
        ("W3", "autistisch"),
        ("J3", "depressief"),
    ],
)
def test_profiles_know_inflected_forms(pack: RegionPack, code: str, signal: str) -> None:
    profile = pack.profile(code)
    assert profile is not None
    assert signal in (*profile.specialist_signals, *profile.other_signals)


@pytest.mark.parametrize(
    ("code", "tags"),
    [
        ("J1", {"opvoedondersteuning", "scheiding"}),
        ("J2", {"gedrag", "adhd"}),
        ("J4", {"autisme"}),
        ("J5", {"lvb"}),
        ("J7", {"verslaving"}),
        ("W2", {"dementie"}),
        ("W5", {"nah"}),
        ("W6", {"zintuiglijke-beperking"}),
        ("W8", {"huishoudelijke-hulp"}),
    ],
)
def test_profile_expertise(pack: RegionPack, code: str, tags: set[str]) -> None:
    profile = pack.profile(code)
    assert profile is not None
    assert tags <= set(profile.expertise)


@pytest.mark.parametrize("law", ["jeugdwet", "wmo"])
def test_a_signal_points_to_one_profile_per_law(pack: RegionPack, law: str) -> None:
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for signal, code in signals(pack, law):
        owners[words(signal)].add(code)
    shared = {" ".join(w): codes for w, codes in owners.items() if len(codes) > 1}
    assert shared == {}


@pytest.mark.parametrize("law", ["jeugdwet", "wmo"])
def test_no_signal_is_part_of_another_in_the_same_law(pack: RegionPack, law: str) -> None:
    """Otherwise one phrase in a hulpvraag would count twice (or for two profiles)."""
    found = [(s, c) for s, c in signals(pack, law) if words(s)]
    nested = []
    for short, c1 in found:
        a = words(short)
        for long, c2 in found:
            b = words(long)
            if len(a) < len(b) and any(b[i : i + len(a)] == a for i in range(len(b))):
                nested.append(f"{short} ({c1}) in {long} ({c2})")
    assert nested == []


def test_signals_shared_between_laws_are_the_spec_ones(pack: RegionPack) -> None:
    youth = {words(s) for s, _ in signals(pack, "jeugdwet")}
    adult = {words(s) for s, _ in signals(pack, "wmo")}
    shared = youth & adult
    assert {words(s) for s in ("autisme", "drugs", "blowen", "depressie", "LVB")} <= shared


def test_domain_hints_follow_the_spec_table(pack: RegionPack) -> None:
    assert [(h.domain, h.profiles) for h in pack.domain_hints] == DOMAIN_HINTS


# ---------------------------------------------------------------------------- vocabulary


def test_spelling_variants(pack: RegionPack) -> None:
    variants = pack.spelling_variants
    assert len(variants) >= 40
    assert variants["autsime"] == "autisme"
    assert variants["adhd'er"] == "ADHD"
    assert variants["alzheimer"] == "dementie"
    assert variants["dementerend"] == "dementie"
    terms = pack.vocabulary_terms()
    for variant, target in variants.items():
        assert " ".join(target.casefold().split()) in terms
        assert words(variant) != words(target), f"{variant} points to itself"


def test_a_spelling_variant_never_moves_a_word_to_another_profile(pack: RegionPack) -> None:
    def profiles_of(term: str) -> set[str]:
        return {
            p.code
            for p in pack.profiles
            for s in (*p.specialist_signals, *p.other_signals)
            if words(s) == words(term)
        }

    moved = {
        v: (profiles_of(v), profiles_of(t))
        for v, t in pack.spelling_variants.items()
        if not profiles_of(v) <= profiles_of(t)
    }
    assert moved == {}


def test_languages_and_registration_routes(pack: RegionPack) -> None:
    assert len(pack.languages) >= 20
    assert all(re.fullmatch(r"[a-z]{2}", code) for code in pack.languages)
    assert {"nl", "en", "de", "ar", "tr", "pl", "uk", "so", "ti"} <= set(pack.languages)
    assert pack.languages["nl"] == "Nederlands"
    assert pack.registration_routes == {
        "huisarts": "Via de huisarts",
        "toegang": "Via het wijkteam / de toegang van de gemeente",
        "direct": "Direct bij de aanbieder",
    }


# ---------------------------------------------------------------------------- postcodes


def test_every_municipality_has_postcode_areas(pack: RegionPack) -> None:
    for m in pack.municipalities:
        assert len(m.postcodes) >= 3, m.code
        assert all(p.place for p in m.postcodes)
    all_pc4 = [p.pc4 for m in pack.municipalities for p in m.postcodes]
    assert len(all_pc4) == len(set(all_pc4))


def test_postcode_centroids_lie_near_their_municipality(pack: RegionPack) -> None:
    far = [
        (m.code, p.pc4, round(km(m.lat, m.lon, p.lat, p.lon), 1))
        for m in pack.municipalities
        for p in m.postcodes
        if km(m.lat, m.lon, p.lat, p.lon) > 15
    ]
    assert far == []
    # and the region as a whole sits in Westfriesland (between Obdam and Enkhuizen)
    for m in pack.municipalities:
        assert 52.55 < m.lat < 52.80 and 4.80 < m.lon < 5.35, m.code


@pytest.mark.parametrize(
    ("pc4", "municipality"),
    [
        ("1621", "hoorn"),
        ("1625", "hoorn"),
        ("1601", "enkhuizen"),
        ("1611", "stede-broec"),
        ("1616", "drechterland"),
        ("1671", "medemblik"),
        ("1716", "opmeer"),
        ("1713", "koggenland"),
    ],
)
def test_municipality_of_postcode(pack: RegionPack, pc4: str, municipality: str) -> None:
    assert pack.municipality_of_postcode(pc4) == municipality
    assert pack.postcode_centroid(pc4) is not None


def test_places_are_in_the_right_municipality(pack: RegionPack) -> None:
    places = {m.code: {p.place for p in m.postcodes} for m in pack.municipalities}
    assert {"Bovenkarspel", "Grootebroek", "Lutjebroek"} <= places["stede-broec"]
    assert {"Hoogkarspel", "Venhuizen", "Schellinkhout"} <= places["drechterland"]
    assert {"Andijk", "Wognum", "Wervershoof"} <= places["medemblik"]
    assert {"Spanbroek", "Opmeer"} <= places["opmeer"]
    assert {"Avenhorn", "De Goorn", "Obdam"} <= places["koggenland"]
    assert pack.municipality_of_postcode("9999") is None
    assert pack.postcode_centroid("9999") is None


# ---------------------------------------------------------------------------- tariffs


def test_tariffs_cover_every_arrangement(pack: RegionPack) -> None:
    assert pack.tariffs.is_example is True
    assert "voorbeeld" in pack.tariffs.note.casefold()
    combos = [(t.profile, t.intensity, t.trajectory) for t in pack.tariffs.items]
    expected = set(product(PROFILES, ["licht", "midden", "zwaar"], ["herstel", "duurzaam"]))
    assert len(combos) == 90
    assert set(combos) == expected


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_tariffs_rise_with_intensity(pack: RegionPack, code: str) -> None:
    for trajectory, unit in (("herstel", "traject"), ("duurzaam", "maand")):
        found = [pack.tariff(code, i, trajectory) for i in ("licht", "midden", "zwaar")]
        assert all(t is not None and t.unit == unit for t in found)
        amounts = [t.amount_eur for t in found if t is not None]
        assert 0 < amounts[0] < amounts[1] < amounts[2]
    assert pack.tariff(code, "extreem", "herstel") is None


# ---------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("kind", "code", "label"),
    [
        ("gemeente", "stede-broec", "Stede Broec"),
        ("wet", "jeugdwet", "Jeugdwet"),
        ("segment", "A", "Vrij toegankelijk"),
        ("intensiteit", "zwaar", "Zwaar"),
        ("traject", "duurzaam", "Duurzaam traject"),
        ("domein", "opvoeding_gezin", "Opvoeding en gezin"),
        ("profiel", "J4", "Autisme en ontwikkelingsstoornissen"),
        ("profiel", "W5", "Niet-aangeboren hersenletsel"),
        ("expertise", "nah", "Niet-aangeboren hersenletsel (NAH)"),
        ("expertise", "huishoudelijke-hulp", "Huishoudelijke hulp"),
        ("taal", "ar", "Arabisch"),
        ("taal", "uk", "Oekraïens"),
        ("aanmelding", "toegang", "Via het wijkteam / de toegang van de gemeente"),
        # unknown codes and kinds fall back to the code itself
        ("profiel", "J9", "J9"),
        ("taal", "xx", "xx"),
        ("kleur", "rood", "rood"),
    ],
)
def test_label(pack: RegionPack, kind: str, code: str, label: str) -> None:
    assert pack.label(kind, code) == label


def test_look_ups(pack: RegionPack) -> None:
    hoorn = pack.municipality("hoorn")
    assert hoorn is not None and hoorn.name == "Hoorn"
    assert pack.municipality("alkmaar") is None
    assert pack.profile("X1") is None
    assert [p.code for p in pack.profiles_for_law("wmo")] == [f"W{i}" for i in range(1, 9)]
    assert pack.profiles_for_law("onbekend") == ()
