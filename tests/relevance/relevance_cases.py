"""Realistic searches against the fictional demo set, with what a person must find.

Each case names the providers (by KvK number) that must be in the top 5, and a *fact*:
a predicate over a provider's demo data that says why it is relevant. The test checks
the expectations against the data before it checks the search engine:

- every `must` provider satisfies the fact (the expectation is justified by the data);
- with `complete=True`, the `must` list is every provider that satisfies the fact
  (five or fewer exist, so all of them belong in the top 5);
- every hit in the top 5 satisfies the fact too (`precise`, on by default): a search
  with filters or a place never shows a provider the facts rule out.

Demo data: 125 fictional providers, KvK 00990001..00990125 (etalage/catalogue/demo.py:
25 freely accessible ones (5 each of Buurtteam, Geldzorgpunt, Jongerenwerk,
Mantelzorgsteunpunt, Opvoedpunt), 84 arranged ones, 16 high-complex ones).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from search_index.filters import distance_m

Doc = Mapping[str, Any]
Fact = Callable[[Doc], bool]

# PC4 centroids of the Westfriesland pack used below.
PC4 = {"1601": (52.7036, 5.2866), "1621": (52.6424, 5.0597)}


def kvk(n: int) -> str:
    return f"0099{n:04d}"


# ---- facts ------------------------------------------------------------------------------


def has(*tags: str) -> Fact:
    return lambda d: any(t in d["expertise"] for t in tags)


def profile(*codes: str) -> Fact:
    return lambda d: any(p in d["profielen"] for p in codes)


def serves(gemeente: str) -> Fact:
    return lambda d: gemeente in d["werkgebied"]


def age(years: int) -> Fact:
    return lambda d: d["leeftijd_min"] <= years <= d["leeftijd_max"]


def named(word: str) -> Fact:
    return lambda d: word.casefold() in d["naam"].casefold()


def segment(code: str) -> Fact:
    return lambda d: code in d["segmenten"]


def law(code: str) -> Fact:
    return lambda d: code in d["wetten"]


def speaks(code: str) -> Fact:
    return lambda d: code in d["talen"]


def says(word: str) -> Fact:
    return lambda d: word.casefold() in d["omschrijving"].casefold()


def within_km(pc4: str, km: float) -> Fact:
    lat, lng = PC4[pc4]
    return lambda d: (
        "_geo" in d and distance_m(lat, lng, d["_geo"]["lat"], d["_geo"]["lng"]) <= km * 1000
    )


def all_of(*facts: Fact) -> Fact:
    return lambda d: all(f(d) for f in facts)


def any_of(*facts: Fact) -> Fact:
    return lambda d: any(f(d) for f in facts)


def no(fact: Fact) -> Fact:
    return lambda d: not fact(d)


def fits_ordinary_referral(d: Doc) -> bool:
    """Freely accessible help (A), or an arrangement (B) at licht or midden."""
    segments = d["segmenten"]
    return "A" in segments or (
        "B" in segments and any(not a.endswith(":zwaar") for a in d["arrangementen"])
    )


AUTISM = any_of(has("autisme"), profile("J4"))
ADHD = has("adhd")
DEMENTIA = has("dementie")
DEBT = has("schuldhulp")
BRAIN = any_of(has("nah"), profile("W5"))
ADDICTION = any_of(has("verslaving"), profile("J7", "W7"))


@dataclass(frozen=True)
class Case:
    q: str
    must: tuple[str, ...]  # KvK numbers that must be in the top 5
    fact: Fact  # why `must` is right: each satisfies it (all of them, when `complete`)
    why: str
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str = "relevance"
    complete: bool = False  # `must` is every provider the fact holds for
    relevant: Fact | None = None  # every top-5 hit satisfies this (default: `fact`)
    ranked_by: str | None = None  # `must` = the five best by this document field

    @property
    def id(self) -> str:
        extra = ",".join(f"{k}={v}" for k, v in self.filters.items())
        sort = "" if self.sort == "relevance" else f" sort={self.sort}"
        return f"{self.q or '(leeg)'}{' ' + extra if extra else ''}{sort}"


def ks(*numbers: int) -> tuple[str, ...]:
    return tuple(kvk(n) for n in numbers)


AUTISM_12_HOORN = all_of(has("autisme"), age(12), serves("hoorn"))
BRAIN_WMO_B_HOORN = all_of(BRAIN, law("wmo"), segment("B"), serves("hoorn"))

CASES: list[Case] = [
    # ---- the examples of the issue --------------------------------------------------
    Case(
        "autsime 12 jaar hoorn",
        (),
        AUTISM_12_HOORN,
        "Typo of autisme; '12 jaar' and 'hoorn' become filters. Nine providers with "
        "autism expertise serve a 12-year-old in Hoorn and match equally well, so no "
        "single one must win; but all of the top 5 must be among them (the J4-only "
        "providers 30 and 80 rank lower: an expertise outranks a profile name).",
    ),
    Case(
        "autsime 12 jaar hoorn",
        (),
        all_of(AUTISM, age(12), serves("hoorn")),
        "Shortest waiting time first, as a GP asks: of the providers with autism "
        "expertise or the autism profile (J4) that serve a 12-year-old in Hoorn, the "
        "five with the shortest total waiting time (taken from the facts by the test).",
        sort="wachttijd",
        ranked_by="wachttijd_totaal_weken",
    ),
    Case(
        "dementie enkhuizen",
        ks(79, 94),
        all_of(DEMENTIA, serves("enkhuizen")),
        "Two dementia providers work in Enkhuizen; 49 (Stede Broec only) must not show.",
        complete=True,
    ),
    Case(
        "schuldhulp",
        ks(2, 7, 12, 17, 22),
        DEBT,
        "The five Geldzorgpunten are the only debt-help providers.",
        complete=True,
    ),
    Case(
        "ADD",
        ks(27, 42, 87, 102, 110),
        ADHD,
        "ADD is a synonym of ADHD; five providers have that expertise.",
        complete=True,
    ),
    Case(
        "hersenletsel",
        ks(52, 67, 82, 96, 97),
        BRAIN_WMO_B_HOORN,
        "NAH (brain injury) arrangements (Wmo, segment B) in Hoorn.",
        filters={"wet": "wmo", "segment": "B", "gemeente": "hoorn"},
        complete=True,
    ),
    Case(
        "verslaving jongeren",
        ks(32, 47, 62, 77, 107),
        all_of(has("verslaving"), says("jongeren")),
        "Youth providers with addiction expertise (their texts speak of 'jongeren'); "
        "providers with only the J7 profile match too but rank lower, adult ones do "
        "not match 'jongeren'.",
        complete=True,
        relevant=all_of(ADDICTION, says("jongeren")),
    ),
    Case(
        "gezinsbegeleiding",
        ks(28, 31, 57),
        all_of(named("gezinsbegeleiding"), serves("stede-broec")),
        "In Stede Broec: the three named 'Gezinsbegeleiding' outrank providers that only "
        "have it as an expertise.",
        filters={"gemeente": "stede-broec"},
        complete=True,
        relevant=all_of(
            any_of(named("gezinsbegeleiding"), has("gezinsbegeleiding")), serves("stede-broec")
        ),
    ),
    Case(
        "opvoedondersteuning medemblik",
        ks(5, 6, 56),
        all_of(has("opvoedondersteuning"), serves("medemblik"), segment("A")),
        "Freely accessible parenting support in Medemblik (segment A filter).",
        filters={"segment": "A"},
        complete=True,
    ),
    # ---- typos ----------------------------------------------------------------------
    Case(
        "dementei",
        ks(49, 79, 94),
        DEMENTIA,
        "Typo of dementie; three providers have dementia expertise.",
        complete=True,
    ),
    Case("schuldhlup", ks(2, 7, 12, 17, 22), DEBT, "Typo of schuldhulp.", complete=True),
    Case(
        "eetstornis",
        ks(58, 77, 88, 103),
        all_of(has("eetstoornis"), segment("B")),
        "Typo of eetstoornis, arrangements only (segment B).",
        filters={"segment": "B"},
        complete=True,
    ),
    Case(
        "dementie enkhuzien",
        ks(79, 94),
        all_of(DEMENTIA, serves("enkhuizen")),
        "A typo in the place name is still read as Enkhuizen.",
        complete=True,
    ),
    Case(
        "kompasrosbaken",
        ks(101),
        named("kompasroosbaken"),
        "A provider's name with one letter missing.",
        complete=True,
    ),
    Case(
        "verslavnig 40 jaar stede broec",
        ks(39, 69, 84, 125),
        all_of(has("verslaving"), age(40), serves("stede-broec")),
        "Typo of verslaving, an adult in Stede Broec: adult addiction providers only.",
        complete=True,
        relevant=all_of(ADDICTION, age(40), serves("stede-broec")),
    ),
    # ---- synonyms and spelling variants ---------------------------------------------
    Case("alzheimer", ks(49, 79, 94), DEMENTIA, "Synonym of dementie.", complete=True),
    Case("geheugenproblemen", ks(49, 79, 94), DEMENTIA, "Synonym of dementie.", complete=True),
    Case("schulden", ks(2, 7, 12, 17, 22), DEBT, "Synonym of schuldhulp.", complete=True),
    Case("geldzorgen", ks(2, 7, 12, 17, 22), DEBT, "Synonym of schuldhulp.", complete=True),
    Case(
        "adhd 9 jaar",
        ks(27, 42, 87, 102, 110),
        all_of(ADHD, age(9)),
        "All five ADHD providers serve a 9-year-old.",
        complete=True,
    ),
    Case(
        "PTSS 16 jaar",
        ks(28, 103, 112, 123),
        all_of(has("trauma"), age(16)),
        "PTSS is a trauma synonym; four trauma providers serve a 16-year-old.",
        complete=True,
    ),
    Case(
        "asperger 25 jaar drechterland",
        ks(35, 53, 59),
        all_of(has("autisme"), age(25), serves("drechterland"), segment("B")),
        "Asperger is autism; an adult in Drechterland, arrangements (segment B).",
        filters={"segment": "B"},
        complete=True,
        relevant=all_of(AUTISM, age(25), serves("drechterland"), segment("B")),
    ),
    Case(
        "LVB",
        ks(66, 81, 96),
        all_of(has("lvb"), law("wmo"), serves("hoorn")),
        "Licht verstandelijke beperking, Wmo, in Hoorn (filters).",
        filters={"wet": "wmo", "gemeente": "hoorn"},
        complete=True,
    ),
    Case(
        "zwakbegaafd",
        ks(66, 81, 96),
        all_of(has("lvb"), law("wmo"), serves("hoorn")),
        "Zwakbegaafd is an LVB synonym.",
        filters={"wet": "wmo", "gemeente": "hoorn"},
        complete=True,
    ),
    Case(
        "anorexia",
        ks(58, 77, 88, 103),
        all_of(has("eetstoornis"), segment("B")),
        "Anorexia is an eating-disorder synonym.",
        filters={"segment": "B"},
        complete=True,
    ),
    Case(
        "vechtscheiding hoorn",
        ks(10, 56),
        all_of(has("scheiding"), serves("hoorn"), segment("A")),
        "Vechtscheiding is a scheiding synonym; freely accessible help in Hoorn.",
        filters={"segment": "A"},
        complete=True,
    ),
    Case(
        "somber 15 jaar stede broec",
        ks(28, 88, 112, 123),
        all_of(has("angst-depressie"), age(15), serves("stede-broec")),
        "Somber is a depression synonym; a municipality name of two words.",
        complete=True,
    ),
    Case(
        "jongerenwerker",
        ks(3, 8, 13, 18, 23),
        has("jongerenwerk"),
        "Synonym of jongerenwerk: the five Jongerenwerk providers.",
        complete=True,
    ),
    Case(
        "hechtingsprobleem",
        ks(31, 73, 77, 88),
        all_of(has("hechting"), serves("hoorn"), segment("B")),
        "Spelling variant of hechtingsproblemen; in Hoorn, arrangements only.",
        filters={"gemeente": "hoorn", "segment": "B"},
        complete=True,
    ),
    Case(
        "dementie",
        ks(79),
        all_of(DEMENTIA, speaks("ar")),
        "Dementia help in Arabic (language filter).",
        filters={"taal": "ar"},
        complete=True,
    ),
    # ---- Dutch compound words ---------------------------------------------------------
    Case(
        "mantelzorg",
        ks(4, 9, 14, 19, 24),
        named("mantelzorg"),
        "'mantelzorg' starts the name 'Mantelzorgsteunpunt': those five come first, "
        "before the other providers with that expertise.",
        complete=True,
        relevant=has("mantelzorgondersteuning"),
    ),
    Case(
        "mantelzorg stedebroec",
        ks(9, 14, 19, 24),
        all_of(named("mantelzorg"), serves("stede-broec")),
        "'stedebroec' is the pack's spelling variant of Stede Broec.",
        complete=True,
        relevant=all_of(has("mantelzorgondersteuning"), serves("stede-broec")),
    ),
    Case(
        "jeugdhulp verslaving",
        ks(47, 62),
        all_of(named("jeugdhulp"), has("verslaving")),
        "Named 'Jeugdhulp …' with addiction expertise; 90 (J7, the youth addiction "
        "profile, without the expertise) may follow.",
        complete=True,
        relevant=all_of(named("jeugdhulp"), ADDICTION),
    ),
    Case(
        "hersen letsel",
        ks(52, 67, 82, 96, 97),
        BRAIN_WMO_B_HOORN,
        "Split compound: a spelling variant of hersenletsel.",
        filters={"wet": "wmo", "segment": "B", "gemeente": "hoorn"},
        complete=True,
    ),
    Case(
        "begeleiding",
        ks(97, 120),
        all_of(has("nah"), speaks("uk"), any_of(named("begeleiding"), says("begeleiding"))),
        "'begeleiding' inside 'Thuisbegeleiding' (97) and in a description (120); "
        "expertise NAH and Ukrainian as filters.",
        filters={"expertise": ("nah",), "taal": "uk"},
        complete=True,
    ),
    Case(
        "opvoedpunt",
        ks(5, 10, 15, 20, 25),
        named("opvoedpunt"),
        "The five providers named Opvoedpunt.",
        complete=True,
    ),
    Case(
        "zorgcombinatie 10 jaar hoorn",
        ks(115, 118, 122, 124),
        all_of(named("zorgcombinatie"), age(10), serves("hoorn")),
        "High-complex care partnerships for a 10-year-old in Hoorn.",
        complete=True,
    ),
    # ---- names and places ---------------------------------------------------------------
    Case(
        "Geldzorgpunt Zandloperpoort",
        ks(22),
        named("zandloperpoort"),
        "A full provider name.",
        complete=True,
    ),
    Case(
        "zandloper",
        ks(21, 42, 60, 71),
        all_of(named("zandloper"), law("jeugdwet")),
        "The start of a name, youth only (wet filter).",
        filters={"wet": "jeugdwet"},
        complete=True,
    ),
    Case(
        "buurtteam koggenland",
        ks(6, 11, 16),
        all_of(named("buurtteam"), serves("koggenland")),
        "Neighbourhood teams working in Koggenland.",
        complete=True,
    ),
    Case(
        "dagbesteding obdam",
        ks(34, 39, 65, 109),
        all_of(named("dagbesteding"), serves("koggenland"), speaks("tr")),
        "Obdam is a village in Koggenland: day care working there, in Turkish.",
        filters={"taal": "tr"},
        complete=True,
    ),
    Case(
        "dementie",
        ks(49, 79),
        all_of(DEMENTIA, within_km("1601", 5)),
        "Within 5 km of postcode 1601 (Enkhuizen): 79 in Enkhuizen and 49 in Stede Broec "
        "next door (94 in Hoorn is too far).",
        filters={"postcode": "1601", "afstand_km": 5},
        complete=True,
    ),
    Case(
        "hersenletsel",
        (),
        all_of(BRAIN, serves("hoorn")),
        "Nearest first from postcode 1621 (Hoorn), providers working in Hoorn (the "
        "test takes the five nearest from the facts).",
        filters={"postcode": "1621", "gemeente": "hoorn"},
        sort="afstand",
        ranked_by="afstand",
    ),
    # ---- combined filters, no text --------------------------------------------------------
    Case(
        "",
        ks(67, 96, 97),
        all_of(lambda d: "W5:zwaar" in d["arrangementen"], serves("hoorn"), segment("B")),
        "Arrangement W5 (NAH) zwaar, in Hoorn, segment B.",
        filters={"profiel": "W5", "intensiteit": "zwaar", "gemeente": "hoorn", "segment": "B"},
        complete=True,
    ),
    Case(
        "crisis",
        ks(115, 124),
        all_of(has("crisis"), age(10), serves("hoorn"), segment("B")),
        "Crisis help for a 10-year-old in Hoorn that is also an arrangement (segment B; "
        "118 and 122 are segment C only).",
        filters={"leeftijd": 10, "gemeente": "hoorn", "segment": "B"},
        complete=True,
        relevant=all_of(has("crisis"), age(10), serves("hoorn"), segment("B")),
    ),
    # ---- a referrer's words, and help that fits an ordinary referral first ------------
    Case(
        "autisme 10 jaar hoorn",
        (),
        all_of(AUTISM, age(10), serves("hoorn"), fits_ordinary_referral),
        "A GP's search: a problem, an age, a place. Segment C centres (110, 111) also "
        "serve this child, but an ordinary referral fits segment A or B: those come first.",
    ),
    Case(
        "angst 15 jaar",
        (),
        all_of(has("angst-depressie"), age(15), fits_ordinary_referral),
        "Anxiety at 15: the segment C centre 123 has the expertise but ranks below the "
        "arrangements.",
    ),
    Case(
        "autisme verblijf",
        (),
        all_of(AUTISM, segment("C")),
        "'Verblijf' asks for residential care (begeleid wonen): the segment C autism "
        "centres are not pushed down.",
        relevant=all_of(AUTISM, has("begeleid-wonen")),
    ),
    Case(
        "gedrag 9 jaar",
        (),
        all_of(any_of(has("gedrag"), profile("J2")), age(9)),
        "With segment C chosen the heavier help is what is asked for.",
        filters={"segment": "C"},
        relevant=all_of(any_of(has("gedrag"), profile("J2")), age(9), segment("C")),
    ),
    Case(
        "schoolweigering 14 jaar",
        (),
        all_of(profile("J3"), age(14)),
        "School refusal is (mostly) anxiety: youth mental health care (J3).",
    ),
    Case(
        "thuiszitter",
        (),
        profile("J3"),
        "A child who does not go to school ('thuiszitter'): J3.",
    ),
    Case(
        "schoolverzuim",
        (),
        profile("J2"),
        "Truancy ('schoolverzuim'): behaviour (J2).",
    ),
    Case(
        "GGZ",
        (),
        profile("J3", "W3"),
        "GGZ is mental health care: the psychological profiles of both laws.",
    ),
    Case(
        "jeugd-ggz",
        (),
        profile("J3"),
        "Youth mental health care (jeugd-GGZ): J3.",
    ),
    Case(
        "poh-ggz 40 jaar",
        (),
        all_of(profile("J3", "W3"), age(40)),
        "A practice nurse for mental health (POH-GGZ) refers an adult: the mental health "
        "profiles (a provider with J3 may serve adults under another profile).",
    ),
]
