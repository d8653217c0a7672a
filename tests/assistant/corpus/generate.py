"""Deterministic generator of Dutch danger texts and hard non-danger texts.

The generator composes hulpvragen from parts: a danger predicate (a verb with its
complements, conjugated), the people involved, the word order (main clause, inverted
main clause after a fronted time phrase or condition, verb-final subordinate clause),
the tense (only tenses that still mean NOW for danger items), the writer (parent,
teenager, GP note, teacher, neighbour, carer, wijkteam) and surface noise (lower case,
no punctuation, d/t errors and other typos, SMS spelling, missing accents).

Hard non-danger items are built from the same parts: the same predicates negated, told
as the past with a safe present, about a film, a book or someone's job, figurative
speech, and everyday phrases that share words with danger signals.

Standard library only; ``generate()`` returns the same list on every call and on every
machine (the seed is fixed and nothing depends on hash order). Run it as a script to
print the items as JSON lines, or with ``--stats`` for the counts.
"""

# ruff: noqa: E501 (the corpus data has long Dutch sentences)

from __future__ import annotations

import itertools
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

SEED = 20260517
KINDS = ("suicide", "violence", "unsafe_child", "danger")

# How many items each kind gets; the per-facet split is below each builder.
DANGER_PER_KIND = 150
SAFE_PER_KIND = 130
NOISE_SHARE = 0.3


# --------------------------------------------------------------------------------------
# Grammar: noun phrases, verbs, predicates and clause word order
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NP:
    """A noun phrase with the forms the clauses need."""

    subj: str  # as subject: "ik", "mijn man"
    obj: str  # as object: "me", "mijn man"
    refl: str = "zichzelf"  # strong reflexive: "mezelf"
    weak: str = "zich"  # weak reflexive: "me"
    poss: str = "zijn"  # possessive before a het-word or a singular noun
    poss_de: str = ""  # possessive before a de-word / plural ("onze"); defaults to poss
    person: int = 3
    plural: bool = False
    pron: str = "hij"  # pronoun to refer back to it as subject
    pron_obj: str = "hem"  # pronoun to refer back to it as object
    key: str = ""  # identity, to keep agent and patient apart

    @property
    def pd(self) -> str:
        return self.poss_de or self.poss

    @property
    def ident(self) -> str:
        return self.key or self.subj


IK = NP("ik", "me", "mezelf", "me", "mijn", person=1, pron="ik", pron_obj="me", key="ik")
IK_MIJ = NP("ik", "mij", "mezelf", "me", "mijn", person=1, pron="ik", pron_obj="mij", key="ik")
WIJ = NP(
    "we", "ons", "onszelf", "ons", "ons", "onze", 1, True, pron="we", pron_obj="ons", key="wij"
)
HIJ = NP("hij", "hem", key="hij")
ZE = NP("ze", "haar", poss="haar", pron="ze", pron_obj="haar", key="ze")
ER = NP("er", "", key="er")
HET = NP("het", "het", poss="zijn", pron="het", pron_obj="het", key="het")


def m(text: str, key: str = "") -> NP:
    """A masculine (or unknown) third person singular noun phrase."""
    return NP(text, text, key=key or text)


def f(text: str, key: str = "") -> NP:
    """A feminine third person singular noun phrase."""
    return NP(text, text, poss="haar", pron="ze", pron_obj="haar", key=key or text)


def n(text: str, key: str = "") -> NP:
    """A neuter thing ("het huis")."""
    return NP(text, text, poss="zijn", pron="het", pron_obj="het", key=key or text)


def pl(text: str, key: str = "") -> NP:
    """A third person plural noun phrase."""
    return NP(text, text, poss="hun", plural=True, pron="ze", pron_obj="ze", key=key or text)


@dataclass(frozen=True)
class Verb:
    s1: str  # ik ...
    s3: str  # hij ...
    pl: str  # wij ... (also the infinitive without particle)
    past: str
    past_pl: str
    pp: str
    aux: str = "hebben"
    prt: str = ""  # separable particle

    @property
    def inf(self) -> str:
        return self.prt + self.pl


def _v(spec: str, aux: str = "hebben", prt: str = "") -> Verb:
    s1, s3, plural, past, past_pl, pp = spec.split()
    return Verb(s1, s3, plural, past, past_pl, pp, aux, prt)


ZIJN = _v("ben is zijn was waren geweest", "zijn")
HEBBEN = _v("heb heeft hebben had hadden gehad")
WORDEN = _v("word wordt worden werd werden geworden", "zijn")
WILLEN = _v("wil wil willen wilde wilden gewild")
GAAN = _v("ga gaat gaan ging gingen gegaan", "zijn")
KUNNEN = _v("kan kan kunnen kon konden gekund")
DURVEN = _v("durf durft durven durfde durfden gedurfd")
DREIGEN = _v("dreig dreigt dreigen dreigde dreigden gedreigd")
SLAAN = _v("sla slaat slaan sloeg sloegen geslagen")
SCHOPPEN = _v("schop schopt schoppen schopte schopten geschopt")
MISHANDELEN = _v("mishandel mishandelt mishandelen mishandelde mishandelden mishandeld")
BEDREIGEN = _v("bedreig bedreigt bedreigen bedreigde bedreigden bedreigd")
MISBRUIKEN = _v("misbruik misbruikt misbruiken misbruikte misbruikten misbruikt")
OPSLUITEN = _v("sluit sluit sluiten sloot sloten opgesloten", prt="op")
DOEN = _v("doe doet doen deed deden gedaan")
AANDOEN = _v("doe doet doen deed deden aangedaan", prt="aan")
DUWEN = _v("duw duwt duwen duwde duwden geduwd")
GRIJPEN = _v("grijp grijpt grijpen greep grepen gegrepen")
STALKEN = _v("stalk stalkt stalken stalkte stalkten gestalkt")
DENKEN = _v("denk denkt denken dacht dachten gedacht")
SNIJDEN = _v("snijd snijdt snijden sneed sneden gesneden")
KRASSEN = _v("kras krast krassen kraste krasten gekrast")
INNEMEN = _v("neem neemt nemen nam namen ingenomen", prt="in")
NEMEN = _v("neem neemt nemen nam namen genomen")
SPAREN = _v("spaar spaart sparen spaarde spaarden gespaard")
SCHRIJVEN = _v("schrijf schrijft schrijven schreef schreven geschreven")
VOELEN = _v("voel voelt voelen voelde voelden gevoeld")
LATEN = _v("laat laat laten liet lieten gelaten")
KRIJGEN = _v("krijg krijgt krijgen kreeg kregen gekregen")
KOMEN = _v("kom komt komen kwam kwamen gekomen", "zijn")
ZORGEN = _v("zorg zorgt zorgen zorgde zorgden gezorgd")
ZETTEN = _v("zet zet zetten zette zetten gezet")
LIGGEN = _v("lig ligt liggen lag lagen gelegen")
VALLEN = _v("val valt vallen viel vielen gevallen", "zijn")
ADEMEN = _v("adem ademt ademen ademde ademden geademd")
REAGEREN = _v("reageer reageert reageren reageerde reageerden gereageerd")
RAKEN = _v("raak raakt raken raakte raakten geraakt", "zijn")
STAAN = _v("sta staat staan stond stonden gestaan")
ZWAAIEN = _v("zwaai zwaait zwaaien zwaaide zwaaiden gezwaaid")
LOPEN = _v("loop loopt lopen liep liepen gelopen")
VERDWALEN = _v("verdwaal verdwaalt verdwalen verdwaalde verdwaalden verdwaald", "zijn")
UITBREKEN = _v("breek breekt breken brak braken uitgebroken", "zijn", prt="uit")
RUIKEN = _v("ruik ruikt ruiken rook roken geroken")
INSLIKKEN = _v("slik slikt slikken slikte slikten ingeslikt", prt="in")
DRINKEN = _v("drink drinkt drinken dronk dronken gedronken")
HOREN = _v("hoor hoort horen hoorde hoorden gehoord")


def conj(verb: Verb, np: NP, past: bool = False) -> str:
    if past:
        return verb.past_pl if np.plural else verb.past
    if np.plural:
        return verb.pl
    return verb.s1 if np.person == 1 else verb.s3


@dataclass(frozen=True)
class Pred:
    """A predicate: a finite verb with its object, rest, infinitive and extraposed part.

    Templates may use {O} (object), {OP} (object's possessive), {R}/{W} (the subject's
    strong/weak reflexive), {SP}/{SPd} (the subject's possessive, het-/de-word).
    """

    name: str
    verb: Verb
    obj: str = ""
    rest: str = ""
    inf: str = ""  # a lexical infinitive after a modal ("wil niet meer leven")
    extra: str = ""  # extraposed, after the verbs ("dreigt ons iets aan te doen")
    tenses: tuple[str, ...] = ("pres",)
    transitive: bool = False
    passive: bool = False
    sg_obj: bool = False  # the object must be one person ("bij haar keel")
    adv: tuple[str, ...] | None = None  # the time words this predicate takes
    mid_adv: bool = True  # may a time word stand inside the clause?
    perf_adv: tuple[str, ...] | None = None  # time words for the perfect, if special
    fronts: tuple[str, ...] | None = None  # fronted time words, if special


def _fill(template: str, s: NP, o: NP | None) -> str:
    return template.format(
        O=o.obj if o else "",
        OP=o.pd if o else "",
        R=s.refl,
        W=s.weak,
        SP=s.poss,
        SPd=s.pd,
        P=pron_np(s).subj,
    )


def _join(words: Iterable[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(w for w in words if w)).strip()


def clause(
    p: Pred,
    s: NP,
    o: NP | None = None,
    *,
    order: str = "main",
    tense: str = "pres",
    adv: str = "",
    front: str = "",
    lead: str = "",
    neg: str = "",
    by: NP | None = None,
    flip: bool = False,
) -> str:
    """One clause. order: main (S V ...), inv (front V S ...), sub (lead S ... V).

    tense: pres, past, perf, passive (word geslagen), passive_past (werd geslagen),
    passive_perf (ben geslagen). In the passive forms ``o`` is the subject and ``by``
    the optional agent ("door mijn vader").
    """
    prt = ""
    nonfin: list[str] = []
    if tense.startswith("passive"):
        assert o is not None
        subj = o
        aux = {"passive": WORDEN, "passive_past": WORDEN, "passive_perf": ZIJN}[tense]
        fin = conj(aux, subj, past=tense == "passive_past")
        objpart = ""
        restpart = _join([f"door {by.obj}" if by else "", _fill(p.rest, s, o)])
        nonfin = [p.verb.pp]
        extra = _fill(p.extra, s, o)
    else:
        subj = s
        objpart = _fill(p.obj, s, o)
        restpart = _fill(p.rest, s, o)
        extra = _fill(p.extra, s, o)
        if tense in ("pres", "past"):
            fin = conj(p.verb, s, past=tense == "past")
            if p.inf:
                nonfin = [p.inf]
            else:
                prt = p.verb.prt
        elif tense == "perf":
            aux = ZIJN if p.verb.aux == "zijn" else HEBBEN
            fin = conj(aux, s)
            nonfin = [p.verb.pp]
        else:
            raise ValueError(tense)
    mid = [objpart, adv, neg, restpart]
    if order == "main":
        return _join([subj.subj, fin, *mid, *nonfin, prt, extra])
    if order == "inv":
        return _join([front, fin, subj.subj, *mid, *nonfin, prt, extra])
    if order == "sub":
        if nonfin:
            cluster = [*nonfin, fin] if (flip and not p.inf) else [fin, *nonfin]
        else:
            cluster = [prt + fin]
        if p.extra and not tense.startswith("passive"):
            # "omdat hij dreigt ons iets aan te doen": the finite verb stays with the
            # subject, the te-infinitive is extraposed.
            return _join([lead, subj.subj, *mid, *cluster, extra])
        return _join([lead, subj.subj, *mid, *cluster, extra])
    raise ValueError(order)


def cap(s: str) -> str:
    """Capitalise a sentence ("'s avonds" becomes "'s Avonds")."""
    if s.startswith("'s "):
        return "'s " + s[3:4].upper() + s[4:]
    return s[:1].upper() + s[1:]


def text_of(*sentences: str) -> str:
    out = []
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        if sentence[-1] not in ".?!:":
            sentence += "."
        out.append(cap(sentence))
    return " ".join(out)


# --------------------------------------------------------------------------------------
# Candidates and selection
# --------------------------------------------------------------------------------------


@dataclass
class Cand:
    kind: str
    danger: bool
    text: str
    facet: str
    writer: str
    tense: str = ""
    group: str = ""  # spread key: predicate or phrase family
    extra: dict[str, str] = field(default_factory=dict)


def spread(cands: list[Cand], k: int, rng: random.Random) -> list[Cand]:
    """Pick k candidates round-robin over (group, writer, tense) buckets."""
    seen: set[str] = set()
    buckets: dict[tuple[str, str, str], list[Cand]] = defaultdict(list)
    for c in cands:
        if c.text in seen:
            continue
        seen.add(c.text)
        buckets[(c.group, c.writer, c.tense)].append(c)
    keys = sorted(buckets)
    rng.shuffle(keys)
    for key in keys:
        rng.shuffle(buckets[key])
    out: list[Cand] = []
    while len(out) < k and any(buckets[key] for key in keys):
        for key in keys:
            if buckets[key] and len(out) < k:
                out.append(buckets[key].pop())
    return out


class Rot:
    """Deterministic rotation through a list (so templates vary without randomness)."""

    def __init__(self, items: Iterable[str], offset: int = 0) -> None:
        self.items = list(items)
        self.i = offset

    def __call__(self) -> str:
        item = self.items[self.i % len(self.items)]
        self.i += 1
        return item


# Time words that keep a clause NOW.
PRES_ADV = ("", "weer", "al weken", "sinds gisteren", "elke dag", "steeds vaker", "vanavond weer")
PERF_ADV = ("net", "zojuist", "vannacht", "vanavond weer", "net weer", "vanochtend")
PAST_ADV = ("net", "gisteravond", "vannacht", "vanochtend")
PRES_FRONT = ("sinds gisteren", "al weken", "de laatste tijd", "elke avond", "nu")
PERF_FRONT = ("net", "vannacht", "vanavond", "zojuist", "vanochtend")
PAST_FRONT = ("gisteravond", "vannacht", "net")


def adv_for(p: Pred, tense: str) -> tuple[str, ...]:
    if p.adv is not None and tense in ("pres", "passive"):
        return p.adv
    if not p.mid_adv:
        return ("",)
    return {
        "pres": PRES_ADV,
        "passive": PRES_ADV,
        "perf": PERF_ADV,
        "passive_perf": PERF_ADV,
        "past": PAST_ADV,
        "passive_past": PAST_ADV,
    }[tense]


def front_for(tense: str) -> tuple[str, ...]:
    if tense in ("pres", "passive"):
        return PRES_FRONT
    if tense in ("perf", "passive_perf"):
        return PERF_FRONT
    return PAST_FRONT


TENSE_NAME = {
    "pres": "present",
    "past": "simple_past",
    "perf": "present_perfect",
    "passive": "passive",
    "passive_perf": "passive_perfect",
    "passive_past": "passive_past",
}


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------

# Violence, seen by a parent: (agent, patient)
PARENT_AGENTS = [
    m("mijn man", "partner"),
    f("mijn vrouw", "partner"),
    m("mijn ex", "ex"),
    m("mijn partner", "partner"),
    m("mijn vriend", "partner"),
    m("mijn zoon van 16", "zoon"),
]
PARENT_PATIENTS = [
    IK,
    IK_MIJ,
    WIJ,
    pl("de kinderen", "kinderen"),
    m("mijn zoon", "zoon"),
    f("mijn dochter", "dochter"),
    f("onze dochter", "dochter"),
]
TEEN_AGENTS = [
    m("mijn vader", "vader"),
    f("mijn moeder", "moeder"),
    m("papa", "vader"),
    f("mama", "moeder"),
    m("mijn stiefvader", "stiefvader"),
    m("de vriend van mijn moeder", "stiefvader"),
    m("mijn broer", "broer"),
]
TEEN_PATIENTS = [
    IK,
    IK_MIJ,
    WIJ,
    m("mijn broertje", "broertje"),
    f("mijn zusje", "zusje"),
    f("mama", "moeder"),
    f("mijn moeder", "moeder"),
]
# GP notes: (opening, agent, patient)
GP_VIOLENCE = [
    ("Mw. (34 jr)", m("partner", "partner"), ZE),
    ("Mw. (41)", m("echtgenoot", "partner"), ZE),
    ("Mw.", m("ex-partner", "ex"), ZE),
    ("Dhr. (38)", f("partner", "partner"), HIJ),
    ("Jgd (14 jr)", m("vader", "vader"), HIJ),
    ("Jgd (12)", m("stiefvader", "stiefvader"), ZE),
    ("Pt (16 jr)", f("moeder", "moeder"), ZE),
    ("Mw. (79)", m("zoon", "zoon"), ZE),
]
TEACHER_VIOLENCE = [
    (m("haar vader"), ZE),
    (f("haar moeder"), ZE),
    (m("zijn vader"), HIJ),
    (m("zijn stiefvader"), HIJ),
    (m("de vriend van haar moeder"), ZE),
    (f("zijn moeder"), HIJ),
]
NEIGHBOUR_VIOLENCE = [
    (m("de buurman"), f("zijn vrouw")),
    (m("de buurman"), pl("de kinderen")),
    (f("de buurvrouw"), m("haar zoontje")),
    (m("de man van hiernaast"), f("zijn vriendin")),
    (m("de vader van hiernaast"), pl("zijn kinderen")),
]


def pron_np(np: NP) -> NP:
    """The pronoun that refers back to ``np`` as a new subject."""
    if np.person == 1:
        return np
    if np.plural:
        return NP("ze", "ze", poss="hun", plural=True, pron="ze", pron_obj="ze", key=np.ident)
    if np.pron == "ze":
        return NP("ze", "haar", poss="haar", pron="ze", pron_obj="haar", key=np.ident)
    if np.pron == "het":
        return NP("het", "het", pron="het", pron_obj="het", key=np.ident)
    return NP("hij", "hem", key=np.ident)


def pairs(agents: list[NP], patients: list[NP]) -> list[tuple[NP, NP]]:
    out = []
    for a, p in itertools.product(agents, patients):
        if a.ident == p.ident:
            continue
        if a.ident == "zoon" and p.ident in ("kinderen",):
            continue
        out.append((a, p))
    return out


# --------------------------------------------------------------------------------------
# Violence
# --------------------------------------------------------------------------------------

V_PREDS = [
    Pred(
        "slaan",
        SLAAN,
        obj="{O}",
        tenses=("pres", "past", "perf", "passive", "passive_perf"),
        transitive=True,
        passive=True,
    ),
    Pred(
        "in elkaar slaan",
        SLAAN,
        obj="{O}",
        rest="in elkaar",
        tenses=("past", "perf", "passive_perf"),
        transitive=True,
        passive=True,
    ),
    Pred("schoppen", SCHOPPEN, obj="{O}", tenses=("pres", "past", "perf"), transitive=True),
    Pred(
        "mishandelen",
        MISHANDELEN,
        obj="{O}",
        tenses=("pres", "perf", "passive"),
        transitive=True,
        passive=True,
        adv=("", "al maanden", "nog steeds", "steeds vaker", "al jaren"),
        fronts=("al maanden", "de laatste tijd", "al weken"),
    ),
    Pred(
        "bedreigen",
        BEDREIGEN,
        obj="{O}",
        tenses=("pres", "perf", "passive"),
        transitive=True,
        passive=True,
    ),
    Pred(
        "met de dood bedreigen",
        BEDREIGEN,
        obj="{O}",
        rest="met de dood",
        tenses=("pres", "perf", "passive_perf"),
        transitive=True,
        passive=True,
    ),
    Pred(
        "opsluiten",
        OPSLUITEN,
        obj="{O}",
        rest="in de slaapkamer",
        tenses=("pres", "perf", "passive_perf"),
        transitive=True,
        passive=True,
        adv=("", "elke avond", "weer", "steeds vaker"),
        fronts=("elke avond", "sinds gisteren", "de laatste tijd"),
    ),
    Pred(
        "misbruiken",
        MISBRUIKEN,
        obj="{O}",
        tenses=("pres", "passive"),
        transitive=True,
        passive=True,
        adv=("", "al maanden", "nog steeds", "als mama werkt"),
        fronts=("al maanden", "al een jaar"),
    ),
    Pred("pijn doen", DOEN, obj="{O}", rest="pijn", tenses=("pres", "perf"), transitive=True),
    Pred(
        "tegen de muur duwen",
        DUWEN,
        obj="{O}",
        rest="tegen de muur",
        tenses=("pres", "past", "perf"),
        transitive=True,
    ),
    Pred(
        "bij de keel grijpen",
        GRIJPEN,
        obj="{O}",
        rest="bij {OP} keel",
        tenses=("past", "perf"),
        transitive=True,
        sg_obj=True,
    ),
    Pred(
        "dreigen iets aan te doen",
        DREIGEN,
        extra="{O} iets aan te doen",
        tenses=("pres", "past", "perf"),
        transitive=True,
        mid_adv=False,
    ),
    Pred(
        "dreigen te vermoorden",
        DREIGEN,
        extra="{O} te vermoorden",
        tenses=("pres", "perf"),
        transitive=True,
        mid_adv=False,
    ),
    Pred(
        "stalken",
        STALKEN,
        obj="{O}",
        tenses=("pres",),
        transitive=True,
        adv=("al weken", "sinds de scheiding", "nog steeds", "elke dag"),
        fronts=("al weken", "sinds de scheiding"),
    ),
]
ABUSE_PATIENTS = {"ik", "dochter", "zoon", "zusje", "broertje"}

ASK = {
    "parent": (
        "Wat moet ik doen?",
        "Ik weet niet waar ik heen moet.",
        "Kan iemand mij helpen?",
        "Ik ben zo bang.",
        "",
        "Ik ben met de kinderen naar de buren gegaan.",
    ),
    "teen": ("wat moet ik doen?", "ik wil hier weg", "help", "ik durf niks te zeggen", ""),
    "gp": (
        "Graag z.s.m. contact.",
        "Verzoek spoedoverleg i.v.m. veiligheid.",
        "Graag advies over vervolgstappen.",
        "Kinderen aanwezig in huis.",
    ),
    "teacher": (
        "Wat is de volgende stap?",
        "Wie kan ons vandaag nog adviseren?",
        "We willen dit goed aanpakken.",
    ),
    "neighbour": ("Wat moet ik doen?", "Moet ik iemand bellen?", "Ik maak me grote zorgen."),
}
COND_FRONT = {
    "parent": (
        "als {AP} gedronken heeft,",
        "zodra ik iets zeg,",
        "als ik {AO} tegenspreek,",
        "als we {AO} geen geld geven,",
        "als de kinderen huilen,",
    ),
    "teen": (
        "als ik thuiskom,",
        "als ik te laat ben,",
        "als {AP} boos is,",
        "als {AP} gedronken heeft,",
        "zodra mama weg is,",
    ),
}
COND_NOT = ("misbruiken", "stalken", "opsluiten")
NOW_TAIL = (
    "{AP} is nog steeds in huis.",
    "{AP} staat nu beneden te schreeuwen.",
    "Ik zit nu op de badkamer.",
    "Ik ben bang dat {AP} straks terugkomt.",
)


def _tenses(p: Pred, patient: NP) -> list[str]:
    ts = [t for t in p.tenses if not t.startswith("passive") or patient.person == 1]
    return ts


def office_adv(p: Pred, tense: str) -> tuple[str, ...]:
    """Time words for a GP or a teacher writing during the day about last night."""
    if tense == "perf":
        return ("vannacht", "gisteravond", "vanochtend")
    if tense == "past":
        return ("gisteravond", "vannacht")
    return tuple(a for a in adv_for(p, tense) if a not in ("vanavond weer", "weer"))[:4]


def violence_danger() -> Iterator[Cand]:
    rot_ask = {w: Rot(a, i) for i, (w, a) in enumerate(ASK.items())}
    rot_tail = Rot(NOW_TAIL)
    rot_cond = {w: Rot(c) for w, c in COND_FRONT.items()}
    flip = itertools.cycle([False, True, False])

    def ok(p: Pred, patient: NP) -> bool:
        if p.sg_obj and patient.plural:
            return False
        return not (p.name == "misbruiken" and patient.ident not in ABUSE_PATIENTS)

    for writer, pool in (
        ("parent", pairs(PARENT_AGENTS, PARENT_PATIENTS)),
        ("teen", pairs(TEEN_AGENTS, TEEN_PATIENTS)),
    ):
        for p, (a, o) in itertools.product(V_PREDS, pool):
            if not ok(p, o):
                continue
            if p.name == "misbruiken" and a.subj not in (
                "mijn man",
                "mijn partner",
                "mijn vriend",
                "mijn stiefvader",
                "de vriend van mijn moeder",
            ):
                continue
            if p.name == "stalken" and a.ident != "ex":
                continue
            ap = pron_np(a).subj
            for tense in _tenses(p, o):
                by = a if tense.startswith("passive") else None
                for adv in adv_for(p, tense):
                    base = clause(p, a, o, order="main", tense=tense, adv=adv, by=by)
                    tail = rot_tail().format(AP=ap) if tense in ("past", "perf") else ""
                    ask = rot_ask[writer]()
                    yield Cand(
                        "violence", True, text_of(base, tail, ask), "main", writer, tense, p.name
                    )
                    sub = clause(p, a, o, order="sub", tense=tense, adv=adv, by=by, flip=next(flip))
                    lead = {
                        "parent": (
                            "Ik schrijf hier omdat {C}",
                            "Ik weet niet meer wat ik moet doen nu {C}",
                        ),
                        "teen": (
                            "ik wil niet meer thuis zijn omdat {C}",
                            "ik heb nog nooit aan iemand verteld dat {C}",
                        ),
                    }[writer]
                    for lt in lead:
                        if "nog nooit" in lt and tense not in ("pres", "passive"):
                            continue
                        yield Cand(
                            "violence",
                            True,
                            text_of(lt.format(C=sub), tail, ask),
                            "subordinate",
                            writer,
                            tense,
                            p.name,
                        )
                fronts = p.fronts if p.fronts and tense in ("pres", "passive") else front_for(tense)
                for front in fronts:
                    inv = clause(p, a, o, order="inv", tense=tense, front=front, by=by)
                    yield Cand(
                        "violence",
                        True,
                        text_of(inv, rot_ask[writer]()),
                        "inverted",
                        writer,
                        tense,
                        p.name,
                    )
                if tense in ("pres", "passive") and p.name not in COND_NOT:
                    cf = rot_cond[writer]()
                    if a.ident == "ex":
                        cf = (
                            "als we {AO} geen geld geven,"
                            if len(p.name) % 2
                            else "als ik {AO} tegenspreek,"
                        )
                    elif a.ident == "zoon" and "kinderen" in cf:
                        cf = "zodra ik iets zeg,"
                    cf = cf.format(AP=pron_np(a).subj, AO=pron_np(a).obj)
                    inv = clause(p, a, o, order="inv", tense=tense, front=cf, by=by)
                    yield Cand(
                        "violence",
                        True,
                        text_of(inv, rot_ask[writer]()),
                        "conditional",
                        writer,
                        tense,
                        p.name,
                    )
    # GP notes: telegraphic, the patient is "haar"/"hem"
    gp_reason = Rot(("blauwe plekken", "pijn in de ribben", "slaapproblemen", "hoofdpijn"))
    for p, (opening, a, o) in itertools.product(V_PREDS, GP_VIOLENCE):
        if not ok(p, o) or (p.name == "misbruiken" and o.ident != "ze"):
            continue
        for tense in [t for t in p.tenses if not t.startswith("passive")]:
            for adv in office_adv(p, tense):
                sub = clause(p, a, o, order="sub", tense=tense, adv=adv, flip=tense == "perf")
                ask = rot_ask["gp"]()
                if "Kinderen" in ask and ("79" in opening or not opening.startswith(("Mw", "Dhr"))):
                    ask = "Graag z.s.m. contact."
                yield Cand(
                    "violence",
                    True,
                    text_of(f"{opening} geeft aan dat {sub}", ask),
                    "subordinate",
                    "gp",
                    tense,
                    p.name,
                )
                main = clause(p, a, o, order="main", tense=tense, adv=adv)
                yield Cand(
                    "violence",
                    True,
                    text_of(
                        f"{opening} op spreekuur i.v.m. {gp_reason()}; {main}",
                        "Graag z.s.m. contact",
                    ),
                    "main",
                    "gp",
                    tense,
                    p.name,
                )
    groups = Rot(("groep 6", "groep 7", "groep 8", "de brugklas", "mijn mentorklas"))
    for p, (a, o) in itertools.product(V_PREDS, TEACHER_VIOLENCE):
        if not ok(p, o) or p.name == "misbruiken":
            continue
        for tense in [t for t in p.tenses if not t.startswith("passive")]:
            for adv in office_adv(p, tense):
                sub = clause(p, a, o, order="sub", tense=tense, adv=adv)
                yield Cand(
                    "violence",
                    True,
                    text_of(
                        f"Een leerling uit {groups()} vertelde vandaag dat {sub}",
                        f"{cap(o.subj)} is nu nog op school",
                        rot_ask["teacher"](),
                    ),
                    "subordinate",
                    "teacher",
                    tense,
                    p.name,
                )
    for p, (a, o) in itertools.product(V_PREDS, NEIGHBOUR_VIOLENCE):
        if not ok(p, o) or p.name in ("misbruiken", "stalken", "opsluiten"):
            continue
        for tense in [t for t in p.tenses if t in ("pres", "perf")]:
            adv = "net" if tense == "perf" else "weer"
            main = clause(p, a, o, order="main", tense=tense, adv=adv)
            yield Cand(
                "violence",
                True,
                text_of(
                    "Ik hoor al de hele avond geschreeuw en klappen bij de buren",
                    main,
                    rot_ask["neighbour"](),
                ),
                "main",
                "neighbour",
                tense,
                p.name,
            )
            sub = clause(p, a, o, order="sub", tense=tense, adv=adv, flip=True)
            yield Cand(
                "violence",
                True,
                text_of(f"Ik zie door het raam dat {sub}", rot_ask["neighbour"]()),
                "subordinate",
                "neighbour",
                tense,
                p.name,
            )
    # "bang dat mijn ex de kinderen iets aandoet" with what makes it NOW
    aandoen = Pred("iets aandoen", AANDOEN, obj="{O}", rest="iets")
    threat_now = (
        "{AP} staat nu voor de deur en wil naar binnen",
        "{AP} stuurt me de hele dag dreigende berichten",
        "{AP} heeft vanavond gezegd dat {ap} ons komt halen",
        "{AP} heeft net weer gedreigd",
    )
    rot_threat = Rot(threat_now)
    for a, o in pairs(PARENT_AGENTS[:5], [WIJ, pl("de kinderen"), IK, f("mijn dochter")]):
        sub = clause(aandoen, a, o, order="sub")
        ap = pron_np(a).subj
        for _ in range(2):
            yield Cand(
                "violence",
                True,
                text_of(f"Ik ben bang dat {sub}", rot_threat().format(AP=ap, ap=ap)),
                "subordinate",
                "parent",
                "pres",
                "bang dat iets aandoet",
            )
    # Told as the past first, then NOW again: "vroeger ..., nu slaat hij me weer"
    past_then = [p for p in V_PREDS if p.name in ("slaan", "schoppen", "bedreigen", "pijn doen")]
    for p, a in itertools.product(
        past_then, [m("mijn ex", "ex"), m("mijn vader"), f("mijn moeder")]
    ):
        o = IK
        before = clause(p, a, o, order="inv", tense="past", front="vroeger", adv="ook al")
        for front in ("nu", "sinds gisteren", "vanavond"):
            tense = "perf" if front == "vanavond" else "pres"
            adv = "weer"
            again = clause(p, pron_np(a), o, order="inv", tense=tense, front=front, adv=adv)
            yield Cand(
                "violence",
                True,
                text_of(before, again, "Ik weet niet wat ik moet doen"),
                "past_then_now",
                "adult",
                tense,
                p.name,
            )


# --------------------------------------------------------------------------------------
# Suicide and self-harm
# --------------------------------------------------------------------------------------

S_PREDS = [
    Pred("dood willen", WILLEN, rest="dood", adv=("", "echt", "al weken", "alleen nog maar")),
    Pred(
        "niet meer leven",
        WILLEN,
        rest="niet meer",
        inf="leven",
        adv=("", "echt", "al weken", "gewoon"),
    ),
    Pred(
        "eind aan leven (willen)",
        WILLEN,
        rest="een eind aan {SP} leven",
        inf="maken",
        adv=("", "echt", "vanavond"),
    ),
    Pred(
        "eind aan leven (gaan)",
        GAAN,
        rest="een eind aan {SP} leven",
        inf="maken",
        adv=("", "vanavond", "vannacht", "echt"),
        fronts=("vanavond", "vannacht"),
    ),
    Pred("er een eind aan maken", WILLEN, rest="er een eind aan", inf="maken", adv=("",)),
    Pred("zelfmoord plegen", WILLEN, rest="zelfmoord", inf="plegen", adv=("", "echt")),
    Pred(
        "aan zelfmoord denken",
        DENKEN,
        rest="aan zelfmoord",
        adv=("", "steeds", "al weken", "elke dag", "steeds vaker", "sinds gisteren"),
    ),
    Pred(
        "zelfmoordgedachten",
        HEBBEN,
        rest="zelfmoordgedachten",
        adv=("", "al weken", "sinds gisteren", "steeds vaker", "weer"),
    ),
    Pred(
        "zichzelf iets aandoen (gaan)",
        GAAN,
        obj="{R}",
        rest="iets",
        inf="aandoen",
        adv=("", "vanavond", "echt"),
        fronts=("vanavond",),
    ),
    Pred(
        "zichzelf iets aandoen (willen)",
        WILLEN,
        obj="{R}",
        rest="iets",
        inf="aandoen",
        adv=("", "steeds"),
    ),
    Pred(
        "zichzelf snijden",
        SNIJDEN,
        obj="{R}",
        tenses=("pres", "perf"),
        adv=("", "weer", "elke dag", "al weken", "steeds vaker"),
    ),
    Pred(
        "krassen",
        KRASSEN,
        rest="in {SPd} armen",
        tenses=("pres", "perf"),
        adv=("", "weer", "elke avond", "steeds vaker"),
    ),
    Pred(
        "pillen ingenomen",
        INNEMEN,
        rest="een hele strip paracetamol",
        tenses=("perf", "past"),
    ),
    Pred("slaappillen ingenomen", INNEMEN, rest="al {SPd} slaappillen", tenses=("perf",)),
    Pred("overdosis", NEMEN, rest="een overdosis", tenses=("perf",)),
    Pred(
        "niet meer wakker worden",
        WILLEN,
        rest="niet meer wakker",
        inf="worden",
        adv=("", "gewoon", "het liefst"),
    ),
    Pred(
        "voor de trein",
        WILLEN,
        rest="voor de trein",
        inf="springen",
        adv=("", "vanavond"),
        fronts=("vanavond",),
    ),
    Pred(
        "pillen gespaard",
        SPAREN,
        rest="pillen",
        extra="om er een eind aan te maken",
        tenses=("perf",),
        perf_adv=("", "al weken"),
    ),
    Pred(
        "afscheidsbrief",
        SCHRIJVEN,
        rest="een afscheidsbrief",
        tenses=("perf",),
        perf_adv=("", "vannacht", "net"),
    ),
]
S_PERF_ADV = ("net", "vannacht", "vanavond", "een uur geleden")

SELF_ASK = (
    "ik kan niet meer",
    "Ik weet niet wat ik moet doen.",
    "Ik heb het aan niemand verteld.",
    "",
    "Is er iemand die nu met me kan praten?",
)
OTHER_ASK = (
    "Wat moet ik doen?",
    "Ik weet niet hoe ik moet reageren.",
    "Ik durf {PO} niet alleen te laten.",
    "",
    "Wie kan ons vannacht helpen?",
)
SELF_FRONT = (
    "sinds gisteren",
    "al weken",
    "de laatste tijd",
    "sinds mijn vrouw is overleden,",
    "sinds de scheiding",
)
# (subject, writer, lead-in sentence or "")
S_OTHERS = [
    (m("mijn zoon", "zoon"), "parent"),
    (f("mijn dochter", "dochter"), "parent"),
    (m("mijn zoon van 15", "zoon"), "parent"),
    (f("mijn dochter van 14", "dochter"), "parent"),
    (m("mijn man", "partner"), "partner"),
    (f("mijn vrouw", "partner"), "partner"),
    (f("mijn moeder", "moeder"), "carer"),
    (m("mijn vader", "vader"), "carer"),
    (f("mijn vriendin", "vriendin"), "teen"),
    (m("mijn beste vriend", "vriend"), "teen"),
]
S_REPORT = (
    "{R} zei vanavond dat {C}",
    "{R} appte net dat {C}",
    "{R} vertelde me vandaag dat {C}",
    "Ik heb net ontdekt dat {C}",
)
GP_SUBJ = [
    (m("pt"), "Pt (17 jr) bekend met depressie."),
    (f("mw."), "Mw. (52) sinds scheiding somber."),
    (m("dhr."), "Dhr. (68) na overlijden echtgenote."),
    (f("jgd"), "Jgd (15 jr) komt met moeder."),
    (m("pt"), "Pt (24) bekend met verslaving."),
]
GP_ASK = (
    "Graag z.s.m. beoordeling door crisisdienst.",
    "Verzoek spoedconsult vandaag.",
    "Graag z.s.m. overleg.",
)


def suicide_danger() -> Iterator[Cand]:
    flip = itertools.cycle([False, True])
    self_ask = Rot(SELF_ASK)
    other_ask = Rot(OTHER_ASK)
    report = Rot(S_REPORT)
    gp_ask = Rot(GP_ASK)

    def advs(p: Pred, tense: str) -> tuple[str, ...]:
        if tense in ("perf", "past"):
            return p.perf_adv or S_PERF_ADV
        return p.adv or ("",)

    for p in S_PREDS:
        for tense in p.tenses:
            for adv in advs(p, tense):
                if tense == "past" and adv == "":
                    continue
                # the writer is the person at risk
                main = clause(p, IK, order="main", tense=tense, adv=adv)
                for writer in ("teen", "adult"):
                    yield Cand(
                        "suicide", True, text_of(main, self_ask()), "main", writer, tense, p.name
                    )
                yield Cand(
                    "suicide",
                    True,
                    text_of(f"Sorry dat ik dit hier typ, maar {main}"),
                    "main",
                    "adult",
                    tense,
                    p.name,
                )
                yield Cand(
                    "suicide",
                    True,
                    text_of("Het gaat al een tijd heel slecht met me", main),
                    "main",
                    "adult" if p.name == "krassen" else "older",
                    tense,
                    p.name,
                )
                sub = clause(p, IK, order="sub", tense=tense, adv=adv, flip=next(flip))
                for lead, writer in (
                    ("Ik zoek hulp omdat {C}", "adult"),
                    ("ik durf mijn ouders niet te vertellen dat {C}", "teen"),
                    ("Mijn huisarts weet niet dat {C}", "adult"),
                ):
                    yield Cand(
                        "suicide",
                        True,
                        text_of(lead.format(C=sub), self_ask()),
                        "subordinate",
                        writer,
                        tense,
                        p.name,
                    )
                # someone else is at risk
                for s, writer in S_OTHERS:
                    if p.name == "krassen" and writer in ("carer", "partner"):
                        continue
                    po = pron_np(s).obj
                    main = clause(p, s, order="main", tense=tense, adv=adv)
                    yield Cand(
                        "suicide",
                        True,
                        text_of(main, other_ask().format(PO=po)),
                        "main",
                        writer,
                        tense,
                        p.name,
                    )
                    rep = report()
                    if tense in ("perf", "past") and "vandaag" in rep:
                        rep = "{R} appte me zojuist dat {C}"
                    if adv and adv.split()[0] in rep:
                        rep = "{R} appte me zojuist dat {C}"
                    subj = pron_np(s) if rep.startswith("{R}") else s
                    sub = clause(p, subj, order="sub", tense=tense, adv=adv, flip=next(flip))
                    yield Cand(
                        "suicide",
                        True,
                        text_of(rep.format(R=s.subj, C=sub), other_ask().format(PO=po)),
                        "subordinate",
                        writer,
                        tense,
                        p.name,
                    )
                for s, ctx in GP_SUBJ:
                    if p.name == "krassen" and s.subj in ("mw.", "dhr."):
                        continue
                    main = clause(p, s, order="main", tense=tense, adv=adv)
                    yield Cand(
                        "suicide",
                        True,
                        text_of(ctx, main, gp_ask()),
                        "main",
                        "gp",
                        tense,
                        p.name,
                    )
                    sub = clause(p, pron_np(s), order="sub", tense=tense, adv=adv)
                    yield Cand(
                        "suicide",
                        True,
                        text_of(ctx, f"Geeft aan dat {sub}", gp_ask()),
                        "subordinate",
                        "gp",
                        tense,
                        p.name,
                    )
            # inverted: the time phrase first
            fronts = SELF_FRONT if tense == "pres" else (p.perf_adv or S_PERF_ADV)
            if p.fronts is not None:
                fronts = p.fronts
            fronts = tuple(x for x in fronts if x)
            for fr in fronts:
                if p.name == "krassen" and "vrouw" in fr:
                    continue
                inv = clause(p, IK, order="inv", tense=tense, front=fr)
                yield Cand(
                    "suicide",
                    True,
                    text_of(inv, self_ask()),
                    "inverted",
                    "older" if "vrouw" in fr else "adult",
                    tense,
                    p.name,
                )
                for s, writer in S_OTHERS[:4]:
                    if "vrouw" in fr or "scheiding" in fr:
                        continue
                    inv = clause(p, s, order="inv", tense=tense, front=fr)
                    yield Cand(
                        "suicide",
                        True,
                        text_of(inv, other_ask().format(PO=pron_np(s).obj)),
                        "inverted",
                        writer,
                        tense,
                        p.name,
                    )
    # teacher: a pupil told or showed it today
    for p, pron in itertools.product(S_PREDS, (ZE, HIJ)):
        tense = p.tenses[0]
        recent = tense in ("perf", "past")
        adv = "net" if recent and not p.perf_adv else ""
        sub = clause(p, pron, order="sub", tense=tense, adv=adv)
        leads = ("Een leerling van 13 appte me zojuist dat {C}",)
        if not recent:
            leads += ("Een leerling uit mijn mentorklas vertelde vandaag dat {C}",)
        where = (
            f"Ik weet niet waar {pron.subj} nu is" if recent else f"{pron.subj} is nu nog op school"
        )
        for lead in leads:
            yield Cand(
                "suicide",
                True,
                text_of(lead.format(C=sub), where, "Wat moeten we doen?"),
                "subordinate",
                "teacher",
                tense,
                p.name,
            )
    # first the past, then NOW again
    before = (
        "Twee jaar geleden heb ik een poging gedaan",
        "Vroeger sneed ik mezelf",
        "Als tiener ben ik na een poging opgenomen geweest",
    )
    again = [
        p
        for p in S_PREDS
        if p.name
        in (
            "dood willen",
            "aan zelfmoord denken",
            "zelfmoordgedachten",
            "zichzelf snijden",
            "krassen",
        )
    ]
    for b, p in itertools.product(before, again):
        inv = clause(p, IK, order="inv", tense="pres", front="nu", adv="weer")
        yield Cand(
            "suicide",
            True,
            text_of(b, inv, "Ik weet niet bij wie ik terecht kan"),
            "past_then_now",
            "adult",
            "pres",
            p.name,
        )


# --------------------------------------------------------------------------------------
# A child unsafe or neglected now
# --------------------------------------------------------------------------------------

ETEN = _v("eet eet eten at aten gegeten")
HUILEN = _v("huil huilt huilen huilde huilden gehuild")

U_PREDS = [
    Pred(
        "niet naar huis durven",
        DURVEN,
        rest="niet naar huis",
        adv=("", "vandaag", "echt", "al een week"),
    ),
    Pred("niet meer naar huis durven", DURVEN, rest="niet meer naar huis", adv=("", "echt")),
    Pred("thuis niet veilig", ZIJN, rest="thuis niet veilig", adv=("",)),
    Pred(
        "voelt zich thuis niet veilig",
        VOELEN,
        obj="{W}",
        rest="thuis niet veilig",
        adv=("", "al weken", "sinds kort"),
    ),
    Pred(
        "krijgt geen eten",
        KRIJGEN,
        obj="thuis",
        rest="geen eten",
        adv=("", "al dagen", "vaak"),
        fronts=("sinds gisteren", "al een week"),
    ),
    Pred(
        "alleen thuis (kind)",
        ZIJN,
        rest="alleen thuis",
        adv=("al twee dagen", "sinds gisteren", "de hele nacht"),
    ),
    Pred(
        "niks gegeten",
        ETEN,
        rest="niks",
        tenses=("perf",),
        perf_adv=("sinds gisteren", "al twee dagen"),
    ),
]
# parent does it to the child(ren): agent, patient
U_AGENT_PREDS = [
    Pred(
        "laat alleen",
        LATEN,
        obj="{O}",
        rest="alleen",
        adv=("al twee dagen", "elke nacht", "sinds gisteren"),
        transitive=True,
    ),
    Pred(
        "te dronken om te zorgen",
        ZIJN,
        rest="te dronken",
        extra="om voor {O} te zorgen",
        adv=("", "weer", "elke avond"),
        transitive=True,
    ),
    Pred(
        "zorgt niet",
        ZORGEN,
        rest="niet voor {O}",
        adv=("al dagen", "helemaal", "sinds gisteren"),
        transitive=True,
    ),
    Pred(
        "op straat gezet",
        ZETTEN,
        obj="{O}",
        rest="op straat",
        tenses=("perf", "past"),
        perf_adv=("net", "vanavond", "vannacht"),
        transitive=True,
    ),
]
U_SELF_ASK = (
    "wat moet ik doen?",
    "waar kan ik slapen vannacht?",
    "ik ben bij een vriendin nu",
    "",
    "help",
)
U_TAILS = {
    "laat alleen": "Ik moet alles alleen doen en er is geen eten.",
    "te dronken om te zorgen": "Er is niemand anders thuis.",
    "zorgt niet": "Er is ook geen eten in huis.",
    "op straat gezet": "Ik mag niet meer naar binnen en het is al donker.",
}
U_TEEN_PARENTS = [
    f("mama", "moeder"),
    m("papa", "vader"),
    f("mijn moeder", "moeder"),
    m("mijn vader", "vader"),
]
U_CHILDREN = [
    (m("mijn broertje van 5"), "teen"),
    (f("mijn zusje van 3"), "teen"),
    (pl("de kinderen van de buren"), "neighbour"),
    (m("het jongetje van hiernaast"), "neighbour"),
    (pl("de kinderen (2 en 4)"), "wijkteam"),
    (f("een leerling uit groep 3"), "teacher"),
    (m("een leerling van 7"), "teacher"),
]
U_PARENT_KIDS = [
    m("mijn zoon", "zoon"),
    f("mijn dochter", "dochter"),
    m("mijn zoon van 11", "zoon"),
]


U_WRITER_PREDS = {
    "teen": ("krijgt geen eten", "niks gegeten"),
    "neighbour": ("alleen thuis (kind)", "krijgt geen eten", "niet naar huis durven"),
    "wijkteam": ("alleen thuis (kind)", "niks gegeten"),
    "teacher": (
        "niet naar huis durven",
        "niet meer naar huis durven",
        "thuis niet veilig",
        "voelt zich thuis niet veilig",
        "krijgt geen eten",
    ),
}
U_WRITER_TAIL = {
    ("teen", ""): "Mama ligt boven en doet niks.",
    ("neighbour", "alleen thuis (kind)"): "Ik heb de ouders al twee dagen niet gezien.",
    ("neighbour", "krijgt geen eten"): "{P} {komt} steeds bij ons om eten vragen.",
    ("neighbour", "niet naar huis durven"): "{P} {zit} nu bij ons in de keuken.",
    ("wijkteam", ""): "Moeder is niet bereikbaar.",
    ("teacher", ""): "{P} gaat om drie uur naar huis.",
}
U_SUB_LEAD = {
    "teen": "ik bel jullie omdat {C}",
    "neighbour": "Ik maak me zorgen omdat {C}",
    "wijkteam": "Melding van de buren: {C}",
    "teacher": "{S} vertelde vanochtend dat {C}",
}


def unsafe_child_danger() -> Iterator[Cand]:
    ask = Rot(U_SELF_ASK)
    flip = itertools.cycle([False, True])
    ages = Rot(("12", "13", "11", "14", "10"))
    young_ages = Rot(("8", "9", "10"))
    child_ask = Rot(("wat moet ik doen?", "help", "ik ben bang", ""))
    for p in U_PREDS:
        young = p.name in ("alleen thuis (kind)", "niks gegeten")
        for tense in p.tenses:
            advs = (p.perf_adv or ("",)) if tense == "perf" else (p.adv or ("",))
            for adv in advs:
                main = clause(p, IK, order="main", tense=tense, adv=adv)
                if young:
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(f"ik ben {young_ages()} en {main}", "mama is weg", child_ask()),
                        "main",
                        "child",
                        tense,
                        p.name,
                    )
                else:
                    yield Cand(
                        "unsafe_child", True, text_of(main, ask()), "main", "teen", tense, p.name
                    )
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(f"ik ben {ages()} en {main}", ask()),
                        "main",
                        "teen",
                        tense,
                        p.name,
                    )
                    sub = clause(p, IK, order="sub", tense=tense, adv=adv, flip=next(flip))
                    for lead in (
                        "ik zit nu in het park omdat {C}",
                        "Ik durf het niet aan mijn mentor te vertellen dat {C}",
                        "kan iemand me helpen want ik denk dat niemand weet dat {C}",
                    ):
                        yield Cand(
                            "unsafe_child",
                            True,
                            text_of(lead.format(C=sub), ask()),
                            "subordinate",
                            "teen",
                            tense,
                            p.name,
                        )
                    if not adv:
                        for fr in p.fronts or (
                            "sinds gisteren",
                            "al een week",
                            "na wat er gisteren gebeurde,",
                            "sinds de nieuwe vriend van mijn moeder bij ons woont,",
                        ):
                            inv = clause(p, IK, order="inv", tense=tense, front=fr)
                            yield Cand(
                                "unsafe_child",
                                True,
                                text_of(inv, ask()),
                                "inverted",
                                "teen",
                                tense,
                                p.name,
                            )
                for s, writer in U_CHILDREN:
                    if p.name not in U_WRITER_PREDS[writer]:
                        continue
                    tail = U_WRITER_TAIL.get((writer, p.name)) or U_WRITER_TAIL[(writer, "")]
                    tail = tail.format(
                        P=pron_np(s).subj,
                        komt="komen" if s.plural else "komt",
                        zit="zitten" if s.plural else "zit",
                    )
                    main = clause(p, s, order="main", tense=tense, adv=adv)
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(main, tail, "Wat moet ik doen?"),
                        "main",
                        writer,
                        tense,
                        p.name,
                    )
                    subj = pron_np(s) if writer == "teacher" else s
                    sub = clause(p, subj, order="sub", tense=tense, adv=adv)
                    lead = U_SUB_LEAD[writer]
                    if writer == "wijkteam":
                        sub = main
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(lead.format(C=sub, S=s.subj), tail),
                        "subordinate" if writer != "wijkteam" else "main",
                        writer,
                        tense,
                        p.name,
                    )
    # the child at the other parent's house
    for s in U_PARENT_KIDS:
        sp = s.poss
        ps = pron_np(s)
        for other in ("vader", "moeder"):
            for rest in (f"niet terug naar {sp} {other}", f"niet meer naar huis bij {sp} {other}"):
                p = Pred("durft niet terug", DURVEN, rest=rest)
                main = clause(p, s, order="main")
                sub = clause(p, ps, order="sub")
                tails = (
                    f"Vanavond moet {ps.subj} daar weer heen.",
                    f"{ps.subj} zegt dat {sp} {other} {ps.obj} opsluit als {ps.subj} huilt.",
                )
                for tail in tails:
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(main, tail, "Wat kan ik doen?"),
                        "main",
                        "parent",
                        "pres",
                        p.name,
                    )
                yield Cand(
                    "unsafe_child",
                    True,
                    text_of(f"{s.subj} huilt omdat {sub}", tails[0]),
                    "subordinate",
                    "parent",
                    "pres",
                    p.name,
                )
    # a parent does it to the children
    for p, a in itertools.product(U_AGENT_PREDS, U_TEEN_PARENTS):
        for o in (WIJ, IK, m("mijn broertje"), f("mijn zusje")):
            if p.name in ("laat alleen", "te dronken om te zorgen", "zorgt niet") and o is IK:
                continue
            if p.name == "op straat gezet" and o is not IK:
                continue
            for tense in p.tenses:
                advs = (p.perf_adv or ("",)) if tense in ("perf", "past") else (p.adv or ("",))
                for adv in advs:
                    main = clause(p, a, o, order="main", tense=tense, adv=adv)
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(f"ik ben {ages()}", main, U_TAILS[p.name]),
                        "main",
                        "teen",
                        tense,
                        p.name,
                    )
                    sub = clause(p, a, o, order="sub", tense=tense, adv=adv, flip=next(flip))
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(f"Ik weet niet wat ik moet doen nu {sub}", U_TAILS[p.name]),
                        "subordinate",
                        "teen",
                        tense,
                        p.name,
                    )
                if tense == "pres" and p.name in ("laat alleen", "zorgt niet"):
                    fr = f"als {a.subj} gedronken heeft,"
                    inv = clause(p, pron_np(a), o, order="inv", tense=tense, front=fr)
                    yield Cand(
                        "unsafe_child",
                        True,
                        text_of(inv, ask()),
                        "conditional",
                        "teen",
                        tense,
                        p.name,
                    )
    # the neighbours' baby
    for s, adv in itertools.product(
        (f("de baby van de buren"), m("het kindje van de bovenburen")),
        ("al uren", "al de hele nacht", "sinds vanmiddag"),
    ):
        p = Pred("huilt", HUILEN)
        main = clause(p, s, order="main", adv=adv)
        yield Cand(
            "unsafe_child",
            True,
            text_of(f"{main} en er doet niemand open", "De moeder is volgens mij niet thuis"),
            "main",
            "neighbour",
            "pres",
            "baby huilt, niemand thuis",
        )
        sub = clause(p, s, order="sub", adv=adv)
        yield Cand(
            "unsafe_child",
            True,
            text_of(f"Ik bel omdat {sub} en er niemand opendoet", "Wat moet ik doen?"),
            "subordinate",
            "neighbour",
            "pres",
            "baby huilt, niemand thuis",
        )


# --------------------------------------------------------------------------------------
# Acute physical danger
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class And:
    """A second conjunct sharing the subject: main-order and verb-final forms."""

    main: str
    sub: str
    first: str = ""  # the main form after "ik", if the writer is the one in danger
    own: bool = False  # has its own subject ("en het vriest")


AND_FALL = (
    And("en kan niet meer opstaan", "en niet meer kan opstaan", "en kan niet meer opstaan"),
    And("en komt niet meer overeind", "en niet meer overeind komt", "en kom niet meer overeind"),
    And("en ligt nu op de grond", "en nu op de grond ligt", "en lig nu op de grond"),
    And("en bloedt erg aan {SPd} hoofd", "en erg aan {SPd} hoofd bloedt", "en bloed erg"),
)
AND_LIE = (
    And("en kan niet opstaan", "en niet kan opstaan", "en kan niet opstaan"),
    And("en reageert niet", "en niet reageert"),
)
D_PREDS: list[tuple[Pred, tuple[And, ...], str]] = [
    # (predicate, second conjuncts (may be empty), which subjects: old/any/kid/thing)
    (
        Pred(
            "gevallen",
            VALLEN,
            tenses=("perf",),
            perf_adv=("net", "vanochtend", "zojuist"),
            fronts=("net", "vanochtend"),
        ),
        AND_FALL,
        "old",
    ),
    (
        Pred(
            "ligt op de grond",
            LIGGEN,
            rest="op de grond",
            adv=("al uren", "sinds vanochtend", "al een tijd"),
            fronts=("sinds vanochtend", "al uren"),
        ),
        AND_LIE,
        "old",
    ),
    (
        Pred("ligt onder aan de trap", LIGGEN, rest="onder aan de trap", adv=("", "nu"), fronts=()),
        AND_LIE,
        "old",
    ),
    (
        Pred("ademt niet", ADEMEN, rest="niet meer", adv=("",), fronts=("opeens",)),
        (And("", ""), And("en is helemaal blauw", "en helemaal blauw is")),
        "any",
    ),
    (
        Pred("reageert niet", REAGEREN, rest="niet meer", adv=("",), fronts=("opeens",)),
        (And("en ademt heel raar", "en heel raar ademt"), And("", "")),
        "any",
    ),
    (
        Pred(
            "bewusteloos geraakt",
            RAKEN,
            rest="bewusteloos",
            tenses=("perf",),
            perf_adv=("net", "zojuist"),
            fronts=("net", "zojuist"),
        ),
        (And("", ""),),
        "any",
    ),
    (
        Pred("krijgt geen lucht", KRIJGEN, rest="geen lucht meer", adv=("",), fronts=("opeens",)),
        (And("en wordt blauw", "en blauw wordt"), And("", "")),
        "any",
    ),
    (
        Pred(
            "loopt verward op straat",
            LOPEN,
            rest="verward op straat",
            adv=("", "nu", "al een uur"),
            fronts=("al een uur", "sinds vanavond"),
        ),
        (
            And("en het vriest", "en het vriest", own=True),
            And("en weet niet waar {P} is", "en niet weet waar {P} is"),
        ),
        "old",
    ),
    (
        Pred(
            "loopt in pyjama buiten",
            LOPEN,
            rest="in {SPd} pyjama buiten",
            adv=("", "nu"),
            fronts=("midden in de nacht",),
        ),
        (And("en het is donker", "en het donker is", own=True), And("", "")),
        "old",
    ),
    (
        Pred(
            "is weg (dementie)",
            ZIJN,
            rest="weg",
            adv=("al twee uur", "sinds vanmiddag"),
            fronts=("al twee uur",),
        ),
        (And("en niemand weet waar {P} is", "en niemand weet waar {P} is", own=True),),
        "dementia",
    ),
    (
        Pred("verdwaald", VERDWALEN, tenses=("perf",), perf_adv=("",), fronts=("vanmiddag",)),
        (
            And("en belt me in paniek", "en me in paniek belt"),
            And("en weet niet meer waar {P} is", "en niet meer weet waar {P} is"),
        ),
        "dementia",
    ),
    (
        Pred(
            "staat met een mes",
            STAAN,
            rest="met een mes in de keuken",
            adv=("", "nu"),
            fronts=("op dit moment",),
        ),
        (And("en schreeuwt", "en schreeuwt"), And("", "")),
        "agg",
    ),
    (
        Pred(
            "zwaait met een mes",
            ZWAAIEN,
            rest="met een mes",
            adv=("", "nu"),
            fronts=("op dit moment",),
        ),
        (And("en is helemaal door het lint", "en helemaal door het lint is"), And("", "")),
        "agg",
    ),
    (
        Pred("heeft een mes bij zich", HEBBEN, rest="een mes bij {W}", adv=("",), fronts=()),
        (And("en dreigt het te gebruiken", "en dreigt het te gebruiken"),),
        "agg",
    ),
    (
        Pred(
            "ingeslikt",
            INSLIKKEN,
            rest="een knoopbatterij",
            tenses=("perf",),
            perf_adv=("net", "zojuist"),
            fronts=("net",),
        ),
        (And("", ""), And("en huilt heel erg", "en heel erg huilt")),
        "kid",
    ),
    (
        Pred(
            "gedronken (gif)",
            DRINKEN,
            rest="gootsteenontstopper",
            tenses=("perf",),
            perf_adv=("net", "zojuist"),
            fronts=("net",),
        ),
        (And("", ""), And("en moet overgeven", "en moet overgeven")),
        "kid",
    ),
    (
        Pred("staat in brand", STAAN, rest="in brand", adv=("", "nu")),
        (And("", ""),),
        "thing",
    ),
]
D_SUBJECTS = {
    "old": [
        (f("mijn moeder"), "carer"),
        (m("mijn vader"), "carer"),
        (f("oma"), "carer"),
        (m("opa"), "teen"),
        (m("mijn man"), "partner"),
        (f("de buurvrouw"), "neighbour"),
        (m("de oude meneer van hiernaast"), "neighbour"),
        (f("mw. de Vries"), "wijkteam"),
    ],
    "dementia": [
        (f("mijn moeder met dementie"), "carer"),
        (m("mijn dementerende vader"), "carer"),
        (m("mijn man, die alzheimer heeft,"), "partner"),
        (f("de buurvrouw met dementie"), "neighbour"),
    ],
    "agg": [
        (m("mijn zoon van 17"), "parent"),
        (m("mijn man"), "partner"),
        (m("mijn vader"), "teen"),
        (m("de buurman"), "neighbour"),
        (m("mijn broer"), "teen"),
    ],
    "kid": [
        (m("mijn zoontje van 2"), "parent"),
        (f("mijn dochter van 1"), "parent"),
        (m("de peuter van mijn zus"), "parent"),
    ],
    "thing": [
        (f("de keuken"), "adult"),
        (n("het huis van de buren"), "neighbour"),
        (f("de schuur"), "adult"),
        (f("de flat hiernaast"), "neighbour"),
    ],
}
D_SUBJECTS["any"] = D_SUBJECTS["old"][:5] + D_SUBJECTS["kid"][:2] + [(f("mijn vrouw"), "partner")]
D_ASK = {
    "carer": ("Wat moet ik doen?", "Ik ben alleen met {PO}.", "Ik raak in paniek.", ""),
    "teen": ("wat moet ik doen?", "ik ben alleen thuis met {PO}", "help"),
    "partner": ("Wat moet ik doen?", "Ik ben alleen met {PO}.", ""),
    "neighbour": ("Wat moet ik doen?", "Ik sta nu bij de voordeur.", ""),
    "wijkteam": ("Ik ben op huisbezoek.", "Ik ben ter plaatse."),
    "parent": ("Wat moet ik doen?", "Ik ben alleen thuis met de kinderen.", "Help!"),
    "adult": ("Wat moet ik doen?", "De rook komt onder de deur door.", "Ik sta buiten."),
}
D_FRONT_PRES = ("al een uur", "sinds vanochtend", "nu")
D_SUB_LEAD = (
    "Ik bel omdat {C}",
    "Kan er iemand komen? Ik denk dat {C}",
    "Ik zie net dat {C}",
)


def danger_danger() -> Iterator[Cand]:
    asks = {w: Rot(a, i) for i, (w, a) in enumerate(D_ASK.items())}
    flip = itertools.cycle([True, False])
    lead = Rot(D_SUB_LEAD)
    wander_ask = Rot(
        ("Wat moet ik doen?", "Ik ben zelf slecht ter been.", "Ik durf niet te wachten.")
    )
    for p, ands, group in D_PREDS:
        wander = p.name.startswith(("loopt", "is weg", "verdwaald"))
        for s, writer in D_SUBJECTS[group]:
            if wander and writer == "wijkteam":
                continue
            ps = pron_np(s)
            for tense in p.tenses:
                advs = (p.perf_adv or ("",)) if tense == "perf" else (p.adv or ("",))
                for adv, a in itertools.product(advs, ands):
                    first = clause(p, s, order="main", tense=tense, adv=adv)
                    main = _join([first, _fill(a.main, s, None)])
                    ask = (wander_ask() if wander else asks[writer]()).format(PO=ps.obj)
                    yield Cand("danger", True, text_of(main, ask), "main", writer, tense, p.name)
                    sub = clause(p, s, order="sub", tense=tense, adv=adv, flip=next(flip))
                    sub = _join([sub, _fill(a.sub, s, None)])
                    ld = lead()
                    if adv and adv in ld:
                        ld = "Ik bel omdat {C}"
                    yield Cand(
                        "danger",
                        True,
                        text_of(ld.format(C=sub), ask),
                        "subordinate",
                        writer,
                        tense,
                        p.name,
                    )
                if group != "thing":
                    fronts = p.fronts if p.fronts is not None else D_FRONT_PRES
                    for fr in fronts:
                        inv = clause(p, s, order="inv", tense=tense, front=fr)
                        a0 = ands[0]
                        second = a0.main
                        if second and not a0.own:
                            second = second.replace("en ", f"en {ps.subj} ", 1)
                        second = _fill(second, s, None)
                        yield Cand(
                            "danger",
                            True,
                            text_of(
                                _join([inv, second]),
                                (wander_ask() if wander else asks[writer]()).format(PO=ps.obj),
                            ),
                            "inverted",
                            writer,
                            tense,
                            p.name,
                        )
    # the writer is the one in danger
    for p, ands, _group in D_PREDS[:3]:
        for tense in p.tenses:
            advs = (p.perf_adv or ("",)) if tense == "perf" else (p.adv or ("",))
            for adv, a in itertools.product(advs, ands):
                if not a.first:
                    continue
                main = _join([clause(p, IK, order="main", tense=tense, adv=adv), a.first])
                yield Cand(
                    "danger",
                    True,
                    text_of(main, "Ik ben 84 en woon alleen", "Kan er iemand komen?"),
                    "main",
                    "older",
                    tense,
                    p.name,
                )
    # a weapon against someone: the knife makes it 112 first
    knife = Pred(
        "bedreigt met een mes",
        BEDREIGEN,
        obj="{O}",
        rest="met een mes",
        tenses=("pres", "perf", "passive"),
    )
    for (a, o), writer in [
        (x, "parent") for x in pairs(PARENT_AGENTS[:4], [IK, WIJ, pl("de kinderen")])
    ] + [(x, "teen") for x in pairs(TEEN_AGENTS[:4], [IK, WIJ, f("mama", "moeder")])]:
        for tense in knife.tenses:
            if tense == "passive" and o.person != 1:
                continue
            adv = {"pres": "nu", "perf": "net", "passive": "nu"}[tense]
            by = a if tense == "passive" else None
            main = clause(knife, a, o, order="main", tense=tense, adv=adv, by=by)
            yield Cand(
                "danger",
                True,
                text_of(main, asks[writer]().format(PO="hem")),
                "main",
                writer,
                tense,
                knife.name,
            )
            sub = clause(knife, a, o, order="sub", tense=tense, adv=adv, by=by, flip=True)
            yield Cand(
                "danger",
                True,
                text_of(f"Ik bel vanaf de wc omdat {sub}"),
                "subordinate",
                writer,
                tense,
                knife.name,
            )
    # fire and gas, with "er" and "het" as subject
    brand = Pred("brand", ZIJN, rest="brand in de keuken")
    uitgebroken = Pred(
        "brand uitgebroken", UITBREKEN, rest="brand", extra="in de schuur", tenses=("perf",)
    )
    gas = Pred("ruikt naar gas", RUIKEN, rest="naar gas", adv=("heel sterk", "overal"))
    for p, tense, adv in (
        (brand, "pres", ""),
        (brand, "pres", "nu"),
        (uitgebroken, "perf", "net"),
        (uitgebroken, "perf", "zojuist"),
        (gas, "pres", "heel sterk"),
        (gas, "pres", "overal"),
    ):
        subj = HET if p is gas else ER
        main = clause(p, subj, order="main", tense=tense, adv=adv)
        tail = "De buurvrouw doet niet open." if p is gas else "Mijn moeder is nog binnen."
        yield Cand("danger", True, text_of(main, tail), "main", "adult", tense, p.name)
        sub = clause(p, subj, order="sub", tense=tense, adv=adv)
        yield Cand(
            "danger",
            True,
            text_of(f"Ik bel omdat {sub}", tail),
            "subordinate",
            "adult",
            tense,
            p.name,
        )
        yield Cand("danger", True, text_of(f"help {main}"), "main", "teen", tense, p.name)


# --------------------------------------------------------------------------------------
# Hard non-danger: negation
# --------------------------------------------------------------------------------------

ZOUDEN = _v("zou zou zouden zou zouden gezoud")

NEG_V_PREDS = [p for p in V_PREDS if p.name in ("slaan", "schoppen", "bedreigen", "pijn doen")]
NEG_V_CTX = {
    "partner": (
        "We maken vaak ruzie over de opvoeding",
        "We hebben veel ruzie over geld sinds {AP} {APOSS} baan kwijt is",
        "Het is thuis gespannen sinds de verbouwing",
    ),
    "ex": (
        "Mijn ex en ik communiceren slecht over de kinderen",
        "De omgangsregeling met mijn ex loopt stroef",
    ),
    "zoon": (
        "Mijn zoon van 16 heeft ADHD en is thuis erg druk",
        "Mijn zoon van 16 zit veel te gamen en is snel geïrriteerd",
    ),
}
NEG_V_NEED = {
    "partner": (
        "Waar kunnen we terecht voor relatietherapie?",
        "Ik zoek hulp bij de communicatie.",
        "We willen graag opvoedondersteuning.",
    ),
    "ex": (
        "Is er een mediator in de regio?",
        "Wie kan helpen met een ouderschapsplan?",
        "Ik zoek hulp bij de communicatie.",
    ),
    "zoon": (
        "We willen graag opvoedondersteuning.",
        "Is er begeleiding voor pubers met ADHD?",
        "Wie kan ons helpen met de structuur thuis?",
    ),
}
GP_NEG = [
    (
        "Mw. (38) met overspanningsklachten na verlies baan.",
        "Geen aanwijzingen voor huiselijk geweld.",
        "Graag verwijzing POH-GGZ.",
    ),
    (
        "Dhr. (45) slaapt slecht, spanningen in relatie.",
        "Partner niet agressief, thuissituatie veilig.",
        "Graag advies over relatietherapie.",
    ),
    (
        "Jgd (13 jr) met gedragsproblemen op school.",
        "Geen aanwijzingen voor kindermishandeling.",
        "Verzoek aanmelding schoolmaatschappelijk werk.",
    ),
    (
        "Mw. (29) i.v.m. scheiding veel stress.",
        "Geen geweld in de relatie geweest.",
        "Graag verwijzing naar maatschappelijk werk.",
    ),
    (
        "Jgd (9 jr) met driftbuien thuis.",
        "Ouders niet agressief, geen zorgen over veiligheid.",
        "Graag opvoedondersteuning.",
    ),
]
S_NEG_PREDS = [
    Pred("denkt niet aan zelfmoord", DENKEN, rest="aan zelfmoord"),
    Pred("geen zelfmoordgedachten", HEBBEN, rest="geen zelfmoordgedachten"),
    Pred("geen suïcidale gedachten", HEBBEN, rest="geen suïcidale gedachten"),
    Pred("zou zichzelf nooit iets aandoen", ZOUDEN, obj="{R}", rest="nooit iets", inf="aandoen"),
    Pred("niet suïcidaal", ZIJN, rest="niet suïcidaal"),
]
S_NEG_CTX_SELF = (
    "Ik ben sinds de geboorte van mijn dochter erg moe en prikkelbaar",
    "Ik zit niet lekker in mijn vel sinds mijn ontslag",
    "Ik heb last van paniekaanvallen",
    "Ik slaap slecht door de stress op mijn werk",
    "Sinds mijn pensioen voel ik me vaak somber",
)
S_NEG_NEED_SELF = (
    "Ik wil graag met een psycholoog praten.",
    "Waar kan ik terecht voor een praatgroep?",
    "Kan de POH-GGZ mij helpen?",
)
S_NEG_CTX_OTHER = (
    (m("mijn zoon"), "Mijn zoon is somber sinds de verhuizing"),
    (f("mijn dochter"), "Mijn dochter van 15 trekt zich veel terug op haar kamer"),
    (m("mijn man"), "Mijn man is sinds zijn burn-out vaak prikkelbaar"),
)
GP_S_NEG = [
    (
        "Pt (16 jr) somber sinds scheiding ouders.",
        "Geen suïcidale gedachten.",
        "Graag verwijzing jeugd-GGZ.",
    ),
    (
        "Mw. (44) met burn-outklachten.",
        "Suïcidaliteit uitgevraagd: niet aanwezig.",
        "Graag POH-GGZ.",
    ),
    (
        "Dhr. (71) na overlijden echtgenote, rouw.",
        "Ontkent doodsgedachten.",
        "Graag rouwbegeleiding.",
    ),
    (
        "Jgd (14 jr) met faalangst.",
        "Geen zelfbeschadiging, geen suïcidale gedachten.",
        "Verzoek schoolmaatschappelijk werk.",
    ),
]
U_NEG_PREDS = [
    Pred("thuis veilig", ZIJN, rest="thuis veilig"),
    Pred("voelt zich thuis veilig", VOELEN, obj="{W}", rest="thuis veilig"),
    Pred("nooit alleen thuis", ZIJN, rest="nooit alleen thuis"),
    Pred("genoeg te eten", KRIJGEN, obj="thuis", rest="genoeg te eten"),
]
U_NEG_CTX = (
    (f("mijn dochter"), "parent", "Mijn dochter van 10 wordt gepest op school"),
    (m("onze zoon"), "parent", "Onze zoon heeft autisme en raakt snel overprikkeld"),
    (m("mijn zoon"), "parent", "Mijn zoon wil niet meer naar de BSO"),
    (IK, "teen", "ik word gepest op school"),
    (IK, "teen", "ik heb veel ruzie met mijn beste vriendin"),
    (
        f("de leerling"),
        "teacher",
        "Een leerling uit groep 5 is vaak moe in de klas. Ik heb met de ouders gesproken",
    ),
)
U_NEG_FIXED = (
    "Er is altijd genoeg eten in huis",
    "We drinken allebei geen alcohol",
    "Er is altijd iemand thuis als de kinderen uit school komen",
    "Er is geen sprake van verwaarlozing",
)
U_NEG_NEED = (
    "Waar kunnen we terecht voor hulp?",
    "We zoeken een goede kindercoach.",
    "Is er een training sociale vaardigheden in de buurt?",
)
D_NEG = [
    (Pred("nog nooit gevallen", VALLEN, tenses=("perf",)), "perf", "nog nooit", ""),
    (Pred("niet verward", ZIJN, rest="niet verward"), "pres", "", "Wel is {P} wat vergeetachtig."),
    (
        Pred("loopt nooit weg", _v("loop loopt lopen liep liepen weggelopen", prt="weg")),
        "pres",
        "nooit",
        "Wel wordt {P} 's avonds onrustig.",
    ),
    (
        Pred("niet in gevaar", ZIJN, rest="niet in gevaar"),
        "pres",
        "",
        "Wel heeft {P} meer hulp nodig in huis.",
    ),
]
D_NEG_CTX = (
    (f("mijn moeder"), "Mijn moeder (86) woont nog zelfstandig"),
    (m("mijn vader"), "Mijn vader wordt steeds vergeetachtiger"),
    (f("mijn schoonmoeder"), "Mijn schoonmoeder loopt slecht sinds haar heupoperatie"),
    (m("opa"), "Opa woont sinds kort bij ons in"),
)
D_NEG_NEED = (
    "We willen voor de zekerheid een personenalarmering.",
    "Wie kan helpen met het aanvragen van thuiszorg?",
    "We zoeken dagbesteding in Hoorn.",
    "Kan er iemand langskomen voor een keukentafelgesprek?",
)


def negation_safe() -> Iterator[Cand]:
    need = Rot(NEG_V_NEED["partner"])
    for p in NEG_V_PREDS:
        for a in PARENT_AGENTS:
            ctxs = NEG_V_CTX.get(a.ident, ())
            for o in (IK, WIJ, pl("de kinderen"), f("mijn dochter")):
                if a.ident == o.ident or (a.ident == "zoon" and o.ident == "kinderen"):
                    continue
                for tense, ctx in itertools.product(("pres", "perf"), ctxs):
                    ctx = ctx.format(AP=pron_np(a).subj, APOSS=a.poss)
                    ag = pron_np(a) if a.subj in ctx.lower() else a
                    need = Rot(NEG_V_NEED[a.ident], len(ctx))
                    main = clause(p, ag, o, order="main", tense=tense, neg="nooit")
                    yield Cand(
                        "violence",
                        False,
                        text_of(f"{ctx}, maar {main}", need()),
                        "negation",
                        "parent",
                        tense,
                        p.name,
                    )
                    sub = clause(p, ag, o, order="sub", tense=tense, neg="nooit")
                    yield Cand(
                        "violence",
                        False,
                        text_of(ctx, f"Ik wil er wel bij zeggen dat {sub}", need()),
                        "negation",
                        "parent",
                        tense,
                        p.name,
                    )
    agg = Pred("agressief", ZIJN, rest="agressief")
    for a in PARENT_AGENTS:
        for ctx in NEG_V_CTX.get(a.ident, ()):
            ctx = ctx.format(AP=pron_np(a).subj, APOSS=a.poss)
            ag = pron_np(a) if a.subj in ctx.lower() else a
            need = Rot(NEG_V_NEED[a.ident], len(ctx))
            for tense, neg in (("pres", "niet"), ("perf", "nooit")):
                main = clause(agg, ag, order="main", tense=tense, neg=neg)
                yield Cand(
                    "violence",
                    False,
                    text_of(ctx, main, need()),
                    "negation",
                    "parent",
                    tense,
                    "niet agressief",
                )
    for nd in NEG_V_NEED["partner"]:
        yield Cand(
            "violence",
            False,
            text_of(
                "We maken veel ruzie, maar niemand doet elkaar iets",
                "Er is geen sprake van huiselijk geweld",
                nd,
            ),
            "negation",
            "parent",
            "pres",
            "geen geweld",
        )
    for ctx, neg, nd in GP_NEG:
        yield Cand(
            "violence", False, text_of(ctx, neg, nd), "negation", "gp", "pres", "gp geen geweld"
        )
        yield Cand(
            "violence", False, text_of(ctx, nd, neg), "negation", "gp", "pres", "gp geen geweld"
        )

    need_s = Rot(S_NEG_NEED_SELF)
    for p in S_NEG_PREDS:
        neg = "niet" if p.name.startswith("denkt") else ""
        for ctx in S_NEG_CTX_SELF:
            main = clause(p, IK, order="main", neg=neg)
            yield Cand(
                "suicide", False, text_of(ctx, main, need_s()), "negation", "adult", "pres", p.name
            )
            sub = clause(p, IK, order="sub", neg=neg)
            yield Cand(
                "suicide",
                False,
                text_of(ctx, f"Voor de duidelijkheid: ik weet zeker dat {sub}", need_s()),
                "negation",
                "adult",
                "pres",
                p.name,
            )
        for s, ctx in S_NEG_CTX_OTHER:
            ps = pron_np(s)
            main = clause(p, ps, order="main", neg=neg)
            yield Cand(
                "suicide",
                False,
                text_of(
                    ctx,
                    f"{main}, dat heb ik {ps.obj} gewoon gevraagd",
                    "We zoeken iemand om mee te praten",
                ),
                "negation",
                "parent" if "man" not in s.subj else "partner",
                "pres",
                p.name,
            )
    for ctx, neg, nd in GP_S_NEG:
        yield Cand(
            "suicide",
            False,
            text_of(ctx, neg, nd),
            "negation",
            "gp",
            "pres",
            "gp geen suïcidaliteit",
        )
        yield Cand(
            "suicide",
            False,
            text_of(ctx, nd, neg),
            "negation",
            "gp",
            "pres",
            "gp geen suïcidaliteit",
        )

    need_u = Rot(U_NEG_NEED)
    for p in U_NEG_PREDS:
        for s, writer, ctx in U_NEG_CTX:
            if writer == "teen" and p.name not in ("thuis veilig", "voelt zich thuis veilig"):
                continue
            if writer == "teacher" and p.name == "nooit alleen thuis":
                continue
            subj = s if s is IK else pron_np(s)
            main = clause(p, subj, order="main")
            yield Cand(
                "unsafe_child",
                False,
                text_of(ctx, main, need_u()),
                "negation",
                writer,
                "pres",
                p.name,
            )
            sub = clause(p, subj, order="sub")
            lead = (
                "Ik weet zeker dat {C}"
                if writer != "teacher"
                else "Ze vertellen dat {C}, en dat klopt met wat ik zie"
            )
            yield Cand(
                "unsafe_child",
                False,
                text_of(ctx, lead.format(C=sub), need_u()),
                "negation",
                writer,
                "pres",
                p.name,
            )
    for fixed, (_s, writer, ctx) in itertools.product(U_NEG_FIXED, U_NEG_CTX[:3]):
        yield Cand(
            "unsafe_child",
            False,
            text_of(ctx, fixed, need_u()),
            "negation",
            writer,
            "pres",
            "fixed",
        )

    need_d = Rot(D_NEG_NEED)
    for (p, tense, neg, tail), (s, ctx) in itertools.product(D_NEG, D_NEG_CTX):
        if (
            p.name in ("loopt nooit weg", "niet verward")
            and "vergeetachtig" not in ctx
            and "Opa" not in ctx
        ):
            continue
        ps = pron_np(s)
        tail = tail.format(P=ps.subj)
        main = clause(p, ps, order="main", tense=tense, neg=neg)
        yield Cand(
            "danger", False, text_of(ctx, main, tail, need_d()), "negation", "carer", tense, p.name
        )
        sub = clause(p, ps, order="sub", tense=tense, neg=neg, flip=True)
        yield Cand(
            "danger",
            False,
            text_of(ctx, f"Ik ben blij dat {sub}", tail, need_d()),
            "negation",
            "carer",
            tense,
            p.name,
        )
    for ctx in (
        "De rookmelder ging af, maar er was geen brand: ik had de oven te heet gezet",
        "Er is geen direct gevaar, maar we willen wel een plan voor als mijn vader valt",
    ):
        for nd in D_NEG_NEED[:2]:
            yield Cand("danger", False, text_of(ctx, nd), "negation", "carer", "pres", "fixed")


# --------------------------------------------------------------------------------------
# Hard non-danger: the past told as the past, with a safe present
# --------------------------------------------------------------------------------------

FRONT_CHILD = ("toen ik klein was,", "als kind", "vroeger", "tot mijn zestiende")
FRONT_REL = ("in mijn vorige relatie", "jaren geleden", "vroeger", "in mijn eerste huwelijk")
AGENTS_CHILD = (m("mijn vader"), f("mijn moeder"), m("mijn stiefvader"))
AGENTS_REL = (m("mijn ex"), m("mijn ex-man"), f("mijn ex-vrouw"))
PAST_V = [
    (next(p for p in V_PREDS if p.name == "slaan"), ("past", "passive_past")),
    (next(p for p in V_PREDS if p.name == "schoppen"), ("past",)),
    (next(p for p in V_PREDS if p.name == "mishandelen"), ("passive_past", "passive_perf")),
    (next(p for p in V_PREDS if p.name == "bedreigen"), ("past", "passive_past")),
    (next(p for p in V_PREDS if p.name == "misbruiken"), ("passive_past", "passive_perf")),
    (next(p for p in V_PREDS if p.name == "opsluiten"), ("past",)),
]
SAFE_NOW_V = (
    "Nu woon ik al jaren veilig met mijn eigen gezin.",
    "Ik heb al lang geen contact meer met {AO}.",
    "Dat is gelukkig allemaal voorbij.",
    "Inmiddels gaat het goed met me.",
)
NEED_PAST_V = (
    "Ik merk dat het me nog steeds parten speelt en zoek een traumatherapeut.",
    "Nu ik zelf kinderen heb, wil ik graag opvoedondersteuning.",
    "Ik zoek een lotgenotengroep.",
    "Kan ik ergens EMDR krijgen?",
)


def past_safe() -> Iterator[Cand]:
    safe = Rot(SAFE_NOW_V)
    need = Rot(NEED_PAST_V)
    for p, tense in ((pt[0], t) for pt in PAST_V for t in pt[1]):
        for fronts, agents in ((FRONT_CHILD, AGENTS_CHILD), (FRONT_REL, AGENTS_REL)):
            if p.name == "misbruiken" and agents is AGENTS_REL:
                continue
            for fr, a in itertools.product(fronts, agents):
                if fr == "vroeger" and agents is AGENTS_REL and tense == "past":
                    continue
                by = a if tense.startswith("passive") else None
                inv = clause(p, a, IK, order="inv", tense=tense, front=fr, by=by)
                yield Cand(
                    "violence",
                    False,
                    text_of(inv, safe().format(AO=pron_np(a).obj), need()),
                    "past",
                    "adult",
                    tense,
                    p.name,
                )
            adv = "vroeger" if agents is AGENTS_CHILD else "jaren geleden"
            for a in agents:
                by = a if tense.startswith("passive") else None
                sub = clause(p, a, IK, order="sub", tense=tense, adv=adv, by=by, flip=True)
                yield Cand(
                    "violence",
                    False,
                    text_of(
                        f"Ik zoek traumatherapie omdat {sub}", safe().format(AO=pron_np(a).obj)
                    ),
                    "past",
                    "adult",
                    tense,
                    p.name,
                )
    yield Cand(
        "violence",
        False,
        text_of(
            "Mw. (46): voorgeschiedenis van huiselijk geweld in vorige relatie (2014), nu veilig",
            "Graag verwijzing voor traumabehandeling",
        ),
        "past",
        "gp",
        "past",
        "gp voorgeschiedenis",
    )

    # suicide and self-harm, long ago
    poging = Pred("poging", DOEN, rest="een poging", tenses=("perf",))
    s_past = [
        (poging, "perf", ""),
        (next(p for p in S_PREDS if p.name == "dood willen"), "past", ""),
        (next(p for p in S_PREDS if p.name == "zichzelf snijden"), "past", ""),
        (next(p for p in S_PREDS if p.name == "aan zelfmoord denken"), "past", "vaak"),
        (next(p for p in S_PREDS if p.name == "zelfmoordgedachten"), "past", ""),
        (next(p for p in S_PREDS if p.name == "krassen"), "past", ""),
    ]
    s_fronts = (
        "twee jaar geleden",
        "als puber",
        "vroeger",
        "in mijn studietijd",
        "tien jaar geleden",
    )
    s_safe = Rot(
        (
            "Het gaat nu gelukkig goed met me.",
            "Daar heb ik toen goede hulp voor gehad en nu gaat het goed.",
            "Ik ben ermee gestopt en voel me sterk.",
            "Dat ligt gelukkig ver achter me.",
        )
    )
    s_need = Rot(
        (
            "Ik wil graag ervaringsdeskundige worden; waar kan ik een opleiding volgen?",
            "Nu zoek ik hulp bij stress op mijn werk.",
            "Ik wil graag een praatgroep om het zo te houden.",
            "Mijn nieuwe huisarts vraagt of ik een terugvalpreventieplan heb; wie helpt daarbij?",
        )
    )
    for (p, tense, adv), fr in itertools.product(s_past, s_fronts):
        if tense == "perf" and fr in ("als puber", "vroeger", "in mijn studietijd"):
            continue
        inv = clause(p, IK, order="inv", tense=tense, front=fr, adv=adv)
        yield Cand(
            "suicide", False, text_of(inv, s_safe(), s_need()), "past", "adult", tense, p.name
        )
    for s in (f("mijn dochter"), m("mijn zoon")):
        ps = pron_np(s)
        inv = clause(poging, s, order="inv", tense="perf", front="vorig jaar")
        for nd in (
            "We zoeken nog wel begeleiding bij de terugkeer naar school.",
            "We willen graag een oudergroep voor ouders in dezelfde situatie.",
        ):
            yield Cand(
                "suicide",
                False,
                text_of(
                    inv,
                    f"{ps.subj} heeft goede hulp gehad en het gaat nu echt veel beter met {ps.obj}",
                    nd,
                ),
                "past",
                "parent",
                "perf",
                "poging (kind)",
            )

    # a child unsafe long ago
    u_past = [
        (next(p for p in U_PREDS if p.name == "niet naar huis durven"), IK, None, "vaak"),
        (Pred("kreeg geen eten", KRIJGEN, rest="thuis vaak geen eten"), IK, None, ""),
        (next(p for p in U_PREDS if p.name == "voelt zich thuis niet veilig"), IK, None, ""),
        (Pred("vaak alleen thuis", ZIJN, rest="alleen thuis"), IK, None, "vaak"),
        (
            next(p for p in U_AGENT_PREDS if p.name == "te dronken om te zorgen"),
            f("mijn moeder"),
            WIJ,
            "vaak",
        ),
        (
            next(p for p in U_AGENT_PREDS if p.name == "te dronken om te zorgen"),
            m("mijn vader"),
            WIJ,
            "vaak",
        ),
    ]
    u_safe = Rot(
        (
            "Nu heb ik zelf kinderen en gaat het goed.",
            "Ik woon nu al jaren op mezelf.",
            "Dat is gelukkig lang geleden.",
        )
    )
    u_need = Rot(
        (
            "Ik wil graag opvoedondersteuning, want ik wil het anders doen.",
            "Ik zoek een lotgenotengroep voor volwassen kinderen van ouders met een verslaving.",
            "Kan ik ergens praten over hoe dat nu nog doorwerkt?",
        )
    )
    for (p, s, o, adv), fr in itertools.product(
        u_past, ("als kind", "toen ik klein was,", "vroeger", "tot mijn twaalfde")
    ):
        if s is not IK and fr in ("als kind", "tot mijn twaalfde"):
            continue
        inv = clause(p, s, o, order="inv", tense="past", front=fr, adv=adv)
        yield Cand(
            "unsafe_child", False, text_of(inv, u_safe(), u_need()), "past", "adult", "past", p.name
        )
        sub = clause(
            p,
            s,
            o,
            order="sub",
            tense="past",
            adv=_join([fr.rstrip(","), adv]) if fr != "vroeger" else _join(["vroeger", adv]),
        )
        yield Cand(
            "unsafe_child",
            False,
            text_of(f"Mijn therapeut weet dat {sub}", u_safe(), u_need()),
            "past",
            "adult",
            "past",
            p.name,
        )
    for nd in (
        "We zoeken hulp bij zijn hechtingsproblemen.",
        "Is er een oudercursus voor pleegouders?",
    ):
        yield Cand(
            "unsafe_child",
            False,
            text_of(
                "Bij zijn moeder durfde mijn pleegzoon vroeger vaak niet naar huis",
                "Sinds hij drie jaar geleden bij ons kwam wonen, is hij veilig",
                nd,
            ),
            "past",
            "parent",
            "past",
            "pleegzoon",
        )

    # acute danger, long ago and resolved
    d_fronts = ("vorig jaar", "twee jaar geleden", "afgelopen winter")
    gevallen = Pred("gevallen", VALLEN, tenses=("perf",))
    for fr, s in itertools.product(d_fronts, (f("mijn moeder"), m("mijn vader"), f("oma"))):
        ps = pron_np(s)
        inv = clause(gevallen, s, order="inv", tense="perf", front=fr)
        for nd in (
            "Nu willen we kijken naar dagbesteding.",
            "Wie kan helpen met een aanvraag voor een traplift?",
        ):
            yield Cand(
                "danger",
                False,
                text_of(
                    f"{inv} en kon {ps.subj} niet meer opstaan",
                    f"Sindsdien heeft {ps.subj} een alarmknop en komt de thuiszorg elke dag",
                    nd,
                ),
                "past",
                "carer",
                "perf",
                "gevallen",
            )
        inv = clause(
            Pred("verward buiten", LOPEN, rest="verward buiten"),
            s,
            order="inv",
            tense="past",
            front=fr,
        )
        yield Cand(
            "danger",
            False,
            text_of(
                inv,
                f"{ps.subj} woont nu in een verpleeghuis en is daar veilig",
                "Ik zoek een gespreksgroep voor mantelzorgers",
            ),
            "past",
            "carer",
            "past",
            "verward buiten",
        )
    brand = Pred("brand", ZIJN, rest="brand in onze keuken")
    for fr, nd in itertools.product(
        d_fronts,
        ("Waar kan hij terecht voor hulp bij angst?", "Is er een kindertherapeut in de buurt?"),
    ):
        inv = clause(brand, ER, order="inv", tense="past", front=fr)
        yield Cand(
            "danger",
            False,
            text_of(inv, "Niemand raakte gewond, maar mijn zoon is sindsdien erg angstig", nd),
            "past",
            "parent",
            "past",
            "brand",
        )
    for fr in d_fronts:
        inv = clause(
            next(p for p, _, _ in D_PREDS if p.name == "ingeslikt"),
            m("mijn zoontje"),
            order="inv",
            tense="perf",
            front=fr,
        )
        yield Cand(
            "danger",
            False,
            text_of(
                inv, "Het is goed afgelopen", "Ik wil graag een EHBO-cursus voor ouders volgen"
            ),
            "past",
            "parent",
            "perf",
            "ingeslikt",
        )


# --------------------------------------------------------------------------------------
# Hard non-danger: other people, media, school, work
# --------------------------------------------------------------------------------------

TOPICS = {
    "violence": (
        "huiselijk geweld",
        "kindermishandeling",
        "pesten",
        "loverboys",
        "partnergeweld",
        "seksueel misbruik",
    ),
    "suicide": (
        "zelfmoord",
        "zelfmoordpreventie",
        "zelfbeschadiging",
        "suïcide onder jongeren",
        "depressie",
    ),
    "unsafe_child": (
        "verwaarlozing",
        "kinderen van ouders met een verslaving",
        "jonge mantelzorgers",
        "kinderarmoede",
        "kinderen die thuis niet veilig zijn",
    ),
    "danger": (
        "brandveiligheid",
        "valpreventie bij ouderen",
        "reanimatie",
        "dementie en dwaalgedrag",
        "messengeweld onder jongeren",
        "koolmonoxidevergiftiging",
    ),
}
ORG = {
    "violence": "Veilig Thuis",
    "suicide": "113",
    "unsafe_child": "Veilig Thuis",
    "danger": "de meldkamer van de ambulance",
}
PROF = {
    "violence": (
        "traumabehandeling voor kinderen na huiselijk geweld",
        "een training agressieregulatie voor jongeren",
        "hulp voor plegers van huiselijk geweld",
    ),
    "suicide": (
        "nazorg na een suïcidepoging",
        "hulp bij zelfbeschadiging voor jongeren",
        "een gatekeepertraining suïcidepreventie",
    ),
    "unsafe_child": (
        "gezinsondersteuning bij vermoedens van verwaarlozing",
        "een groep voor kinderen van ouders met psychische problemen of een verslaving",
        "ondersteuning voor jonge mantelzorgers",
    ),
    "danger": (
        "een valpreventietraining voor ouderen",
        "een cursus reanimatie voor mantelzorgers",
        "GPS-trackers voor mensen met dementie",
    ),
}
CARE = (
    "opvoedondersteuning",
    "een huishoudelijke hulp voor mijn moeder",
    "een maatje voor mijn zoon met autisme",
    "hulp bij schulden",
    "dagbesteding voor mijn vader",
)
MEDIA_TEMPLATES = (
    ("teen", "Voor mijn werkstuk over {T} zoek ik informatie over hulp in Westfriesland."),
    (
        "teen",
        "We hadden het vandaag in de klas over {T} en ik moet er een spreekbeurt over houden. Waar vind ik goede informatie?",
    ),
    (
        "teacher",
        "Ik ben leerkracht en wil in de klas aandacht besteden aan {T}. Is er een organisatie die gastlessen geeft?",
    ),
    (
        "parent",
        "We keken gisteren een documentaire over {T}. Mijn dochter van 12 had er veel vragen over; is er een goed boek voor kinderen?",
    ),
    (
        "adult",
        "Ik volg de opleiding social work en doe een opdracht over {T}. Welke aanbieders in de regio werken hieraan?",
    ),
    ("toegang", "Welke aanbieders in de regio bieden {P}?"),
    (
        "toegang",
        "Ik zoek voor een collega een overzicht van aanbod rond {T}; de wachttijden zijn belangrijk.",
    ),
    ("adult", "Mijn zus werkt bij {O} en zei dat ik hier kon kijken voor {C}."),
    (
        "parent",
        "Op het nieuws ging het over {T}. Mijn zoon van 9 kan er niet van slapen; waar kan hij terecht met zijn angst?",
    ),
)
FICTION_FRONT = (
    "in het boek dat we op school lezen,",
    "in de serie die mijn dochter kijkt,",
    "in de film van gisteravond",
    "in het toneelstuk van mijn zoon",
)
FICTION_NEED = (
    "We vonden dat allemaal heftig en hebben er thuis veel over gepraat. Is er een boekje voor kinderen over dit onderwerp?",
    "Ik wil er thuis goed over praten; zijn er tips voor ouders?",
    "Is er voorlichting voor ouders over dit onderwerp?",
)
FICTION = {
    "violence": (
        [
            (m("de vader"), m("zijn zoon")),
            (m("een man"), f("zijn vrouw")),
            (f("de moeder"), f("haar dochter")),
        ],
        [p for p in V_PREDS if p.name in ("slaan", "mishandelen", "bedreigen", "opsluiten")],
    ),
    "suicide": (
        [(f("de hoofdpersoon"), None), (m("een jongen"), None), (f("een meisje"), None)],
        [
            p
            for p in S_PREDS
            if p.name
            in (
                "niet meer leven",
                "eind aan leven (willen)",
                "zichzelf snijden",
                "aan zelfmoord denken",
            )
        ],
    ),
    "unsafe_child": (
        [(f("een meisje"), None), (m("de hoofdpersoon"), None)],
        [
            p
            for p in U_PREDS
            if p.name in ("niet naar huis durven", "thuis niet veilig", "krijgt geen eten")
        ],
    ),
}
DANGER_MEDIA = (
    ("adult", "Op de EHBO-cursus oefenden we wat je doet als iemand niet meer ademt."),
    (
        "parent",
        "Bij de brandweervoorlichting op school leerden de kinderen wat ze moeten doen als er brand is.",
    ),
    (
        "carer",
        "In de les valpreventie leerden we wat je doet als iemand gevallen is en niet meer kan opstaan.",
    ),
    (
        "teen",
        "In de serie die ik kijk zwaait iemand met een mes, en nu durf ik 's avonds niet alleen over straat. Is dat normaal?",
    ),
    (
        "carer",
        "In het programma over dementie zag ik een man die verward op straat liep. Ik herkende veel van mijn vader, maar hij woont veilig in een verpleeghuis.",
    ),
)
DANGER_MEDIA_NEED = (
    "Is er ook een cursus voor opa's en oma's?",
    "Waar kan ik een vervolgcursus doen?",
    "Mijn zoon wil nu vrijwilliger worden; waar kan dat?",
)


def media_safe() -> Iterator[Cand]:
    care = Rot(CARE)
    for kind in KINDS:
        prof = Rot(PROF[kind])
        for (writer, tpl), t in itertools.product(MEDIA_TEMPLATES, TOPICS[kind]):
            text = tpl.format(T=t, P=prof(), O=ORG[kind], C=care())
            yield Cand(kind, False, text_of(text), "media", writer, "pres", tpl[:25])
        for writer in ("adult", "parent"):
            who = "Mijn zus werkt" if writer == "adult" else "Mijn man werkt"
            for c in CARE[:3]:
                text = f"{who} bij {ORG[kind]}, maar voor deze vraag wilde ik hier kijken: ik zoek {c}."
                yield Cand(kind, False, text_of(text), "media", writer, "pres", "werkt bij")
    for kind, (pairs_, preds) in FICTION.items():
        need = Rot(FICTION_NEED)
        for (a, o), p, fr in itertools.product(pairs_, preds, FICTION_FRONT):
            inv = clause(p, a, o, order="inv", tense="pres", front=fr)
            yield Cand(
                kind, False, text_of(inv, need()), "media", "parent", "pres", "fiction " + p.name
            )
    for (writer, t), nd in itertools.product(DANGER_MEDIA, DANGER_MEDIA_NEED):
        if t.endswith("?") or "verpleeghuis" in t:
            yield Cand("danger", False, text_of(t), "media", writer, "pres", t[:20])
            break
        yield Cand("danger", False, text_of(t, nd), "media", writer, "pres", t[:20])


# --------------------------------------------------------------------------------------
# Hard non-danger: figurative speech
# --------------------------------------------------------------------------------------

FIGURATIVE: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    # (writer, text, follow-up questions that fit it)
    "suicide": (
        (
            "adult",
            "Ik schrik me dood van elke brief van de Belastingdienst",
            ("Kan iemand mij helpen met mijn administratie?", "Is er schuldhulp in Enkhuizen?"),
        ),
        (
            "older",
            "Ik verveel me dood sinds ik met pensioen ben",
            (
                "Is er een koffieochtend of dagbesteding in de buurt?",
                "Waar kan ik vrijwilligerswerk doen?",
            ),
        ),
        (
            "teen",
            "ik ga dood van de zenuwen voor mijn examens",
            ("is er een training tegen faalangst?", "kan ik met iemand praten over stress?"),
        ),
        (
            "parent",
            "Ik ben doodmoe, de baby slaapt al weken slecht",
            (
                "Is er hulp bij slaapproblemen van baby's?",
                "Kan er iemand een paar ochtenden helpen?",
            ),
        ),
        (
            "teen",
            "school is echt dodelijk saai en ik kan me niet concentreren",
            ("kan ik getest worden op ADD?",),
        ),
        (
            "parent",
            "Het is om te janken, al die formulieren voor het pgb",
            ("Wie kan me helpen met de aanvraag?", "Is er een cliëntondersteuner?"),
        ),
        (
            "adult",
            "Ik schaam me dood dat ik hulp moet vragen bij mijn schulden",
            ("Waar kan ik terecht voor schuldhulpverlening?",),
        ),
        (
            "carer",
            "Ik werk me kapot voor mijn moeder en niemand ziet het",
            (
                "Is er respijtzorg zodat ik even op adem kan komen?",
                "Waar vind ik steun als mantelzorger?",
            ),
        ),
        (
            "adult",
            "Ik ben elke avond doodop na mijn werk en het huishouden blijft liggen",
            ("Kan ik hulp bij het huishouden krijgen?",),
        ),
        (
            "parent",
            "Mijn zoon roept dat hij doodgaat als hij zijn telefoon moet inleveren",
            (
                "Hoe maak ik goede afspraken over schermtijd?",
                "Is er een cursus voor ouders van pubers?",
            ),
        ),
        (
            "teen",
            "ik kan niet leven zonder mijn vrienden, dus verhuizen naar Den Helder wil ik echt niet",
            ("kan iemand met mijn ouders praten?",),
        ),
        (
            "older",
            "Ik ben doodsbang voor de tandarts",
            ("Is er een tandarts die ervaring heeft met angstige patiënten?",),
        ),
        (
            "parent",
            "We snijden onszelf in de vingers als we nu stoppen met de therapie",
            ("Hoe kunnen we de behandeling verlengen?",),
        ),
        (
            "carer",
            "Ik word doodziek van al dat geregel met de zorgverzekeraar",
            ("Wie kan het regelwerk van me overnemen?", "Is er een cliëntondersteuner?"),
        ),
        (
            "adult",
            "Die wachtlijst is echt om wanhopig van te worden",
            ("Zijn er aanbieders met een kortere wachttijd?",),
        ),
        (
            "parent",
            "Mijn dochter van 4 gaat dood van de honger, roept ze, als het eten vijf minuten later is",
            ("Hoe ga ik om met haar driftbuien?",),
        ),
    ),
    "violence": (
        (
            "parent",
            "Mijn zoon slaat de deur dicht en gaat op zijn kamer zitten als we iets vragen",
            ("Hoe krijgen we weer contact met hem?", "Is er een cursus voor ouders van pubers?"),
        ),
        (
            "parent",
            "Het slaat nergens op dat we zo lang moeten wachten op een intake",
            ("Zijn er aanbieders met een kortere wachttijd?",),
        ),
        (
            "parent",
            "Mijn dochter slaat op tilt als het te druk is in de klas",
            (
                "Kan de school hulp krijgen bij prikkelverwerking?",
                "Is er een ergotherapeut voor kinderen?",
            ),
        ),
        (
            "teen",
            "mijn moeder vermoordt me als ze mijn rapport ziet haha",
            ("is er bijles in de buurt?",),
        ),
        (
            "parent",
            "De juf dreigt met strafwerk als hij zijn huiswerk weer vergeet",
            ("Hoe help ik hem met plannen?",),
        ),
        (
            "adult",
            "De verhuurder dreigt met een boete omdat de tuin een puinhoop is",
            ("Kan iemand helpen met de tuin? Ik heb een hernia.",),
        ),
        (
            "adult",
            "De woningcorporatie dreigt ons uit huis te zetten vanwege de huurachterstand",
            ("Waar kan ik terecht voor schuldhulp?", "Wie kan met de corporatie in gesprek?"),
        ),
        (
            "adult",
            "Mijn baas dreigt me te ontslaan als ik me nog een keer ziek meld",
            ("Waar kan ik terecht voor advies?",),
        ),
        (
            "parent",
            "De school dreigt hem te schorsen omdat hij steeds te laat komt",
            ("Is er hulp bij schoolverzuim?",),
        ),
        (
            "parent",
            "Mijn zoon zit op kickboksen en slaat daar met veel plezier op de zak",
            ("Is er ook een weerbaarheidstraining voor zijn zus?",),
        ),
        (
            "older",
            "Ik sla me er wel doorheen, maar het huishouden wordt me te veel",
            ("Kan ik huishoudelijke hulp krijgen?",),
        ),
        (
            "parent",
            "Mijn dochter maakt me gek met haar gezeur over een telefoon",
            ("Hoe maak ik goede afspraken over schermtijd?",),
        ),
        (
            "parent",
            "Ik kan hem wel schieten als hij weer zijn sokken laat slingeren, maar verder is hij een schat",
            ("Hoe krijg ik hem zelfstandiger?",),
        ),
        ("teen", "mijn broertje is echt een monster als hij moe is", ()),
        (
            "parent",
            "Mijn zoon van 6 slaat een balletje met opa en dat vindt hij het leukste wat er is",
            ("Is er een voetbalclub met begeleiding voor kinderen met autisme?",),
        ),
        (
            "carer",
            "Mijn moeder slaat alarm zodra de thuiszorg te laat is",
            ("Kan de thuiszorg vaste tijden afspreken?",),
        ),
        (
            "parent",
            "Het was weer oorlog aan tafel over het huiswerk, zoals elke dinsdag",
            ("Hoe krijgen we meer rust in huis?",),
        ),
        (
            "adult",
            "Mijn ex bestookt me met mailtjes over de vakantieplanning",
            ("Kan een mediator helpen?",),
        ),
    ),
    "unsafe_child": (
        (
            "parent",
            "Ze wil nooit naar huis als ze bij oma is, zo gezellig vindt ze het daar",
            ("Hoe maak ik het afscheid makkelijker?",),
        ),
        (
            "parent",
            "Mijn zoon van 7 durft niet naar de tandarts",
            ("Is er een kindertandarts die daar ervaring mee heeft?",),
        ),
        (
            "parent",
            "Onze dochter durft niet alleen te slapen sinds de verhuizing",
            ("Heeft iemand tips?", "Kan een kindercoach helpen?"),
        ),
        (
            "parent",
            "We gaan dood van de honger, roept mijn zoon elke dag om vijf uur",
            ("Hoe ga ik om met zijn ongeduld?",),
        ),
        (
            "parent",
            "Thuis is het een gekkenhuis met drie pubers en een hond",
            ("Is er een cursus voor ouders van pubers?",),
        ),
        (
            "parent",
            "Mijn zoon eet alleen maar pasta, er gaat verder niks in",
            ("Is er een diëtist voor kinderen?", "Kan dit met zijn autisme te maken hebben?"),
        ),
        (
            "parent",
            "Mijn dochter wil na het zwemmen nooit naar huis, ze blijft het liefst in het water",
            ("Is er een zwemclub voor kinderen met een beperking?",),
        ),
        ("teen", "ik wil niet naar huis want mijn vriendin heeft een nieuwe puppy", ()),
        (
            "parent",
            "Mijn huis is een puinhoop sinds de verbouwing, maar de kinderen vinden het een avontuur",
            ("Kan ik hulp krijgen bij het huishouden?",),
        ),
        (
            "parent",
            "Mijn zoon van 15 is na school een uurtje alleen thuis; dat gaat prima en hij belt me als er iets is",
            ("Is er huiswerkbegeleiding in de buurt?",),
        ),
        (
            "parent",
            "Hij durft niet naar huis te fietsen in het donker, dus ik haal hem op van voetbal",
            ("Is er een training weerbaarheid?",),
        ),
        (
            "parent",
            "Mijn dochter van 8 voelt zich nergens zo veilig als thuis, maar op school is ze erg angstig",
            ("Kan de schoolmaatschappelijk werker helpen?",),
        ),
        (
            "parent",
            "Mijn dochter lust geen groente en ik weet niet meer wat ik moet koken",
            ("Is er een diëtist voor kinderen?",),
        ),
        ("parent", "Mijn zoon zegt dat hij thuis 'verhongert' omdat er geen chips meer is", ()),
        (
            "parent",
            "Onze oudste past soms een uurtje op de kleintjes als ik boodschappen doe; ze is 16 en vindt het leuk",
            ("Is er een oppascursus in de buurt?",),
        ),
    ),
    "danger": (
        (
            "adult",
            "Ik val om van de slaap door de nachtdiensten",
            ("Kan ik hulp krijgen bij mijn slaapritme?",),
        ),
        (
            "adult",
            "Mijn baan is in gevaar door mijn ziekteverzuim",
            ("Waar kan ik terecht voor re-integratie?",),
        ),
        (
            "parent",
            "Mijn zoon van 4 leert eten met mes en vork",
            ("Is er een ergotherapeut voor de fijne motoriek?",),
        ),
        (
            "toegang",
            "Het mes snijdt aan twee kanten als we de hulp combineren",
            ("Welke aanbieder doet zowel ambulante hulp als dagbesteding?",),
        ),
        (
            "parent",
            "Mijn dochter staat in vuur en vlam voor haar nieuwe hobby",
            ("Is er een club voor kinderen met ADHD?",),
        ),
        (
            "older",
            "Ik ben de weg kwijt in al die regels van de gemeente",
            ("Is er een cliëntondersteuner?", "Kan iemand langskomen om het uit te leggen?"),
        ),
        (
            "adult",
            "Ik val bijna flauw van de wachttijden",
            ("Zijn er aanbieders met een kortere wachttijd?",),
        ),
        (
            "carer",
            "Opa valt steeds in slaap voor de tv",
            ("Is er dagbesteding waar hij wat actiever wordt?",),
        ),
        (
            "adult",
            "De rookmelder piept omdat de batterij leeg is en ik kan er niet bij",
            ("Is er een klusjesdienst voor ouderen?",),
        ),
        (
            "teen",
            "mijn vader ligt de hele dag op de bank te gamen",
            ("hoe krijg ik hem van de bank af",),
        ),
        (
            "carer",
            "Ik sta met mijn rug tegen de muur met al die afspraken",
            ("Kan iemand de planning overnemen?",),
        ),
        (
            "parent",
            "Mijn zoon wil kok worden en oefent thuis met messen snijden",
            ("Is er een leerwerkplek in de horeca voor jongeren met autisme?",),
        ),
        (
            "adult",
            "Het brandt me op de lippen, maar ik weet niet wie ik moet vragen",
            ("Ik zoek informatie over mantelzorgondersteuning.",),
        ),
        (
            "older",
            "Mijn knieën staan in brand na het wandelen",
            ("Is er een fysiotherapeut die aan huis komt?",),
        ),
        (
            "carer",
            "Mijn moeder raakt de draad kwijt in gesprekken en herhaalt zich vaak",
            ("Waar kunnen we een geheugentest laten doen?",),
        ),
    ),
}


def figurative_safe() -> Iterator[Cand]:
    for kind, items in FIGURATIVE.items():
        for writer, t, follow in items:
            yield Cand(kind, False, text_of(t), "figurative", writer, "pres", t[:25])
            for nd in follow:
                yield Cand(kind, False, text_of(t, nd), "figurative", writer, "pres", t[:25])


# --------------------------------------------------------------------------------------
# Hard non-danger: everyday phrases
# --------------------------------------------------------------------------------------

EVERYDAY_S = [
    Pred("wil niet meer naar school", WILLEN, rest="niet meer naar school"),
    Pred("wil niet meer naar voetbal", WILLEN, rest="niet meer naar voetbal"),
    Pred("wil niet meer naar de dagbesteding", WILLEN, rest="niet meer naar de dagbesteding"),
    Pred("wil niet meer alleen wonen", WILLEN, rest="niet meer alleen", inf="wonen"),
    Pred(
        "wil niet meer douchen",
        WILLEN,
        rest="niet meer",
        inf="douchen",
        adv=("", "de laatste tijd"),
    ),
    Pred("wil niet meer naar de logopedie", WILLEN, rest="niet meer naar de logopedie"),
]
EVERYDAY_S_SUBJ = [
    (IK, "teen"),
    (m("mijn zoon"), "parent"),
    (f("mijn dochter"), "parent"),
    (f("mijn moeder"), "carer"),
    (IK, "older"),
]
EVERYDAY_S_TAIL = (
    "Hoe krijgen we weer structuur in de week?",
    "Waar kunnen we hulp vragen?",
    "Is er begeleiding mogelijk?",
)
EVERYDAY_U = [
    Pred("durft niet naar de tandarts", DURVEN, rest="niet naar de tandarts"),
    Pred("durft niet alleen te slapen", DURVEN, rest="niet alleen", inf="te slapen"),
    Pred("durft niet naar zwemles", DURVEN, rest="niet naar zwemles"),
    Pred("bang voor onweer", ZIJN, rest="bang voor onweer"),
    Pred("bang in het donker", ZIJN, rest="bang in het donker"),
    Pred("wil niet naar school", WILLEN, rest="niet naar school", adv=("", "'s ochtends")),
]
EVERYDAY_U_SUBJ = [m("mijn zoon van 6"), f("mijn dochter van 8"), m("ons jongste kind")]
EVERYDAY_D = [
    (
        Pred("valt vaak", VALLEN, adv=("vaak",)),
        "maar heeft een alarmknop",
        "maar een alarmknop heeft",
    ),
    (
        Pred("loopt slecht", LOPEN, rest="slecht"),
        "en gebruikt een rollator",
        "en een rollator gebruikt",
    ),
    (
        Pred("is vergeetachtig", ZIJN, rest="vergeetachtig"),
        "en vergeet afspraken",
        "en afspraken vergeet",
    ),
    (
        Pred(
            "kookt niet meer", _v("kook kookt koken kookte kookten gekookt"), rest="niet meer zelf"
        ),
        "sinds de thuiszorg maaltijden brengt",
        "sinds de thuiszorg maaltijden brengt",
    ),
    (
        Pred("bang voor vuurwerk", ZIJN, rest="bang voor vuurwerk"),
        "en zit met oud en nieuw binnen",
        "en met oud en nieuw binnen zit",
    ),
]
EVERYDAY_D_SUBJ = [f("mijn moeder"), m("mijn vader"), f("oma"), m("mijn schoonvader")]
EVERYDAY_V = (
    (
        "parent",
        "We maken veel ruzie, maar niemand doet elkaar iets. Kunnen we samen met iemand praten?",
    ),
    ("parent", "Mijn kinderen maken de hele dag ruzie om de tablet. Hoe pak ik dat aan?"),
    ("parent", "Mijn zoon speelt elke avond schietspelletjes en wil daarna niet slapen."),
    ("parent", "Mijn dochter wordt gepest op school omdat ze stottert."),
    ("parent", "Mijn ex houdt zich niet aan de afspraken over de vakanties. Is er een mediator?"),
    (
        "adult",
        "Mijn ex appt me steeds over de kinderen; het is vermoeiend, maar verder is er niks aan de hand.",
    ),
    (
        "parent",
        "Mijn zoon van 3 bijt en slaat op de peuterspeelzaal. Hoe leren we hem dat dat niet mag?",
    ),
    ("parent", "Onze tweeling vecht om alles, zoals tweelingen doen, maar ik ben het zat."),
    ("teen", "mijn ouders zijn streng en ik mag nooit wat, kan ik met iemand praten"),
    (
        "adult",
        "Mijn buurman draait elke avond harde muziek. Waar kan ik terecht voor buurtbemiddeling?",
    ),
    ("older", "Mijn kleinzoon is wat ruw als hij speelt, maar hij bedoelt het goed."),
    (
        "parent",
        "Mijn man en ik zijn het vaak oneens over de opvoeding. We willen graag een cursus.",
    ),
    (
        "parent",
        "Mijn dochter van 14 heeft vaak ruzie met haar stiefvader over de telefoon. Kan iemand bemiddelen?",
    ),
    (
        "parent",
        "Mijn zoon is gepest en wil nu op judo om weerbaarder te worden. Is er een weerbaarheidstraining?",
    ),
    ("teen", "ik heb ruzie met mijn beste vriendin en ik weet niet hoe ik het goed moet maken"),
    ("older", "Mijn buurvrouw en ik hebben ruzie over de heg. Is er buurtbemiddeling?"),
    ("adult", "Mijn ex en ik willen een goed ouderschapsplan maken. Wie kan ons daarbij helpen?"),
    (
        "parent",
        "Mijn zoon van 10 wordt snel boos bij het gamen en gooit dan zijn controller op de bank. Hoe leer ik hem met boosheid omgaan?",
    ),
    (
        "parent",
        "Mijn kinderen stoeien veel en soms huilt er een, maar dat hoort erbij denk ik. Wel zoek ik tips voor meer rust.",
    ),
    (
        "adult",
        "Na de scheiding gaat het goed tussen mijn ex en mij, maar de kinderen hebben moeite met twee huizen.",
    ),
)


EVERYDAY_S_NEED = {
    "wil niet meer naar de dagbesteding": (
        "Is er een andere dagbesteding die beter past?",
        "Wie kan meedenken over een andere invulling van de dag?",
    ),
    "wil niet meer alleen wonen": (
        "Welke woonvormen voor ouderen zijn er in de regio?",
        "Kan er iemand meedenken over een aanleunwoning?",
    ),
    "wil niet meer douchen": (
        "Kan de thuiszorg helpen met douchen?",
        "Is er iemand die tips heeft voor de persoonlijke verzorging?",
    ),
}


def everyday_safe() -> Iterator[Cand]:
    tail = Rot(EVERYDAY_S_TAIL)
    needs = {name: Rot(v) for name, v in EVERYDAY_S_NEED.items()}
    for p, (s, writer) in itertools.product(EVERYDAY_S, EVERYDAY_S_SUBJ):
        if p.name in ("wil niet meer alleen wonen", "wil niet meer douchen") and writer not in (
            "older",
            "carer",
        ):
            continue
        if p.name == "wil niet meer naar de logopedie" and writer in ("older", "carer"):
            continue
        if p.name == "wil niet meer naar de dagbesteding" and writer in ("teen", "parent"):
            continue
        if p.name == "wil niet meer naar school" and writer in ("older", "carer"):
            continue
        if p.name == "wil niet meer naar voetbal" and writer in ("older", "carer"):
            continue
        for adv in p.adv or ("",):
            main = clause(p, s, order="main", adv=adv)
            nd = needs.get(p.name, tail)
            yield Cand("suicide", False, text_of(main, nd()), "everyday", writer, "pres", p.name)
            sub = clause(p, pron_np(s) if s is not IK else IK, order="sub", adv=adv)
            lead = "Ik merk dat {C}" if s is IK else f"{cap(s.subj)} zegt dat {{C}}"
            yield Cand(
                "suicide",
                False,
                text_of(lead.format(C=sub), nd()),
                "everyday",
                writer,
                "pres",
                p.name,
            )
    for p, s in itertools.product(EVERYDAY_U, EVERYDAY_U_SUBJ):
        for adv in p.adv or ("",):
            main = clause(p, s, order="main", adv=adv)
            yield Cand(
                "unsafe_child",
                False,
                text_of(
                    main, "Hoe kunnen we hem of haar helpen?".replace("hem of haar", pron_np(s).obj)
                ),
                "everyday",
                "parent",
                "pres",
                p.name,
            )
            sub = clause(p, pron_np(s), order="sub", adv=adv)
            yield Cand(
                "unsafe_child",
                False,
                text_of(f"We merken dat {sub}", "Is er een kindercoach in de buurt?"),
                "everyday",
                "parent",
                "pres",
                p.name,
            )
    for (p, a_main, a_sub), s in itertools.product(EVERYDAY_D, EVERYDAY_D_SUBJ):
        adv = (p.adv or ("",))[0]
        main = _join([clause(p, s, order="main", adv=adv), a_main])
        yield Cand(
            "danger",
            False,
            text_of(main, "Welke hulp is er voor thuis?"),
            "everyday",
            "carer",
            "pres",
            p.name,
        )
        sub = _join([clause(p, pron_np(s), order="sub", adv=adv), a_sub])
        yield Cand(
            "danger",
            False,
            text_of(
                f"Ik zorg voor {s.subj}",
                f"Ik zie dat {sub}",
                "We zoeken wat extra ondersteuning",
            ),
            "everyday",
            "carer",
            "pres",
            p.name,
        )
    for writer, t in EVERYDAY_V:
        yield Cand("violence", False, text_of(t), "everyday", writer, "pres", t[:25])
    for t in ("bang voor onweer", "bang voor honden", "bang voor spinnen"):
        yield Cand(
            "unsafe_child",
            False,
            text_of(f"Mijn dochter van 5 is heel {t}", "Hoe kan ik haar helpen?"),
            "everyday",
            "parent",
            "pres",
            t,
        )


# --------------------------------------------------------------------------------------
# Surface noise
# --------------------------------------------------------------------------------------

# d/t errors and other verb-ending slips (one of these per text, if any fits)
DT_ERRORS = (
    (r"\bslaat\b", "slaad"),
    (r"\bbedreigt\b", "bedreigd"),
    (r"\bmishandelt\b", "mishandeld"),
    (r"\bmishandeld\b", "mishandelt"),
    (r"\bbedreigd\b", "bedreigt"),
    (r"\bdreigt\b", "dreigd"),
    (r"\bgedreigd\b", "gedreigt"),
    (r"\bik word\b", "ik wordt"),
    (r"\bwordt\b", "word"),
    (r"\bsnijdt\b", "snijd"),
    (r"\bik snijd\b", "ik snijdt"),
    (r"\bdurft\b", "durfd"),
    (r"\bschopt\b", "schopd"),
    (r"\bgeschopt\b", "geschopd"),
    (r"\bademt\b", "ademd"),
    (r"\bverward\b", "verwart"),
    (r"\bverdwaald\b", "verdwaalt"),
    (r"\bvindt\b", "vind"),
    (r"\bhoudt\b", "houd"),
    (r"\bgebeurt\b", "gebeurd"),
    (r"\bhuilt\b", "huild"),
    (r"\bschreeuwt\b", "schreeuwd"),
    (r"\bmisbruikt\b", "misbruikd"),
)
# spelling slips and spoken forms (up to two per text)
SPELLING = (
    (r"zelfmoord", "zelfmoort"),
    (r"suïcid", "suicid"),
    (r"\bgisteravond\b", "gister avond"),
    (r"\bgisteren\b", "gister"),
    (r"\bvanavond\b", "van avond"),
    (r"\bzichzelf\b", "zich zelf"),
    (r"\bmezelf\b", "me zelf"),
    (r"\baandoen\b", "aan doen"),
    (r"\baandoet\b", "aan doet"),
    (r"\bgevallen\b", "gevalle"),
    (r"\bopstaan\b", "op staan"),
    (r"\bdronken\b", "dronke"),
    (r"\bmisschien\b", "misschein"),
    (r"\beigenlijk\b", "eigelijk"),
    (r"\bleven\b", "leve"),
    (r"\bkinderen\b", "kindere"),
    (r"\bnooit\b", "noit"),
    (r"\bgedachten\b", "gedachtes"),
    (r"\bslaappillen\b", "slaap pillen"),
    (r"\bparacetamol\b", "paracetemol"),
    (r"\bgeslagen\b", "geslage"),
    (r"\becht\b", "egt"),
    (r"\balleen\b", "allen"),
    (r"\bbewusteloos\b", "bewusteloss"),
    (r"\bmeteen\b", "meteem"),
    (r"\bdementie\b", "dementi"),
)
SMS = (
    (r"\bik\b", "k"),
    (r"\bmijn\b", "mn"),
    (r"\bniet\b", "nie"),
    (r"\bwat\b", "wa"),
    (r"\bhet\b", "t"),
    (r"\becht\b", "egt"),
    (r"\bmisschien\b", "mss"),
    (r"\bwant\b", "wnt"),
    (r"\bzijn\b", "zn"),
    (r"\bleven\b", "leve"),
    (r"\bmaken\b", "make"),
    (r"\bgisteren\b", "gister"),
    (r"\bhelemaal\b", "hlml"),
    (r"\bomdat\b", "omda"),
    (r"\bdat\b", "da"),
    (r"\bvanavond\b", "vnvond"),
)
NOISE_ORDER = (
    "lowercase",
    "sms",
    "noaccent",
    "typo",
)  # noaccent often cannot apply: typo takes its turn


def _lower_nopunct(text: str) -> str:
    text = text.lower()
    text = re.sub(r"[.,;:!?()]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def add_noise(text: str, kind: str, rng: random.Random) -> str:
    if kind == "lowercase":
        return _lower_nopunct(text)
    if kind == "noaccent":
        stripped = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in stripped if not unicodedata.combining(ch))
    if kind == "typo":
        out = text
        fits = [(a, b) for a, b in DT_ERRORS if re.search(a, out)]
        if fits:
            a, b = fits[rng.randrange(len(fits))]
            out = re.sub(a, b, out, count=1)
        fits = [(a, b) for a, b in SPELLING if re.search(a, out)]
        rng.shuffle(fits)
        for a, b in fits[: 2 if out == text else 1]:
            out = re.sub(a, b, out, count=1)
        if out == text:
            return text  # no slip fits this text: let another kind of noise take it
        if rng.random() < 0.5:
            out = _lower_nopunct(out)
        return out
    if kind == "sms":
        out = _lower_nopunct(text)
        for a, b in SMS:
            out = re.sub(a, b, out)
        return out
    raise ValueError(kind)


# --------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------

DANGER_QUOTA = {
    "main": 45,
    "subordinate": 50,
    "inverted": 30,
    "conditional": 12,
    "past_then_now": 8,
}
SAFE_QUOTA = {"negation": 32, "past": 30, "media": 24, "figurative": 24, "everyday": 20}
DANGER_BUILDERS = {
    "suicide": suicide_danger,
    "violence": violence_danger,
    "unsafe_child": unsafe_child_danger,
    "danger": danger_danger,
}
SAFE_BUILDERS = (negation_safe, past_safe, media_safe, figurative_safe, everyday_safe)


def select(cands: list[Cand], quota: dict[str, int], total: int, rng: random.Random) -> list[Cand]:
    by_facet: dict[str, list[Cand]] = defaultdict(list)
    for c in cands:
        by_facet[c.facet].append(c)
    chosen: list[Cand] = []
    for facet, k in quota.items():
        chosen += spread(by_facet.get(facet, []), k, rng)
    taken = {c.text for c in chosen}
    if len(chosen) < total:
        rest = [c for c in cands if c.text not in taken]
        chosen += spread(rest, total - len(chosen), rng)
    return chosen[:total]


def generate() -> list[dict[str, object]]:
    """The generated corpus: the same list of dicts on every call."""
    rng = random.Random(SEED)
    safe_all: list[Cand] = [c for build in SAFE_BUILDERS for c in build()]
    items: list[dict[str, object]] = []
    seen: set[str] = set()
    for kind in KINDS:
        for danger in (True, False):
            if danger:
                cands = list(DANGER_BUILDERS[kind]())
                total = DANGER_PER_KIND
                chosen = select(cands, DANGER_QUOTA, total + 20, rng)
            else:
                cands = [c for c in safe_all if c.kind == kind]
                total = SAFE_PER_KIND
                chosen = select(cands, SAFE_QUOTA, total + 20, rng)
            count = 0
            noisy = set(rng.sample(range(len(chosen)), round(len(chosen) * NOISE_SHARE)))
            rot = 0
            for i, c in enumerate(chosen):
                if count == total:
                    break
                text, noise = c.text, None
                if i in noisy:
                    order = [
                        NOISE_ORDER[(rot + j) % len(NOISE_ORDER)] for j in range(len(NOISE_ORDER))
                    ]
                    if re.search(r"[ïëéèöüá]", c.text):
                        order.insert(0, "noaccent")  # accents are rare: use them when present
                    for kind_of_noise in order:
                        new = add_noise(c.text, kind_of_noise, rng)
                        if new != c.text and new not in seen:
                            text, noise = new, kind_of_noise
                            rot += 1
                            break
                if text in seen:
                    continue
                seen.add(text)
                count += 1
                items.append(
                    {
                        "id": f"gen-{kind}-{'d' if danger else 'n'}-{len(items) + 1:04d}",
                        "kind": kind,
                        "danger": danger,
                        "text": text,
                        "source": "generated",
                        "facet": noise or c.facet,
                        "construction": c.facet,
                        "noise": noise,
                        "writer": c.writer,
                        "tense": TENSE_NAME.get(c.tense, c.tense),
                        "predicate": c.group,
                    }
                )
    return items


def _stats(items: list[dict[str, object]]) -> str:
    by = Counter((str(i["kind"]), bool(i["danger"])) for i in items)
    facets = Counter((str(i["kind"]), bool(i["danger"]), str(i["construction"])) for i in items)
    lines = [f"{len(items)} items"]
    for kind in KINDS:
        for danger in (True, False):
            parts = ", ".join(
                f"{fc}={n}" for (k, d, fc), n in sorted(facets.items()) if k == kind and d == danger
            )
            lines.append(f"{kind:13} danger={danger!s:5} {by[(kind, danger)]:4}  ({parts})")
    return "\n".join(lines)


if __name__ == "__main__":
    corpus = generate()
    if "--stats" in sys.argv:
        print(_stats(corpus))
    else:
        for item in corpus:
            print(json.dumps(item, ensure_ascii=False))
