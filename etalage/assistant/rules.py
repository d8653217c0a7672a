"""The decision rules v1, in order, with their explanation
(docs/region-pack.md#hulpwijzer-decision-rules-v1).

`decide(ctx, reading, answers, mode)` applies rules 1-9 (rule 10, the providers, is in
matching.py) and returns a `Decision`: the route, law, profile, intensity and
trajectory, a plain-Dutch explanation line for every rule that fired, a structured trace
entry per rule for the professional mode, and the follow-up questions whose answer is
missing or would change the advice. Structured answers always win over the text; the
thresholds come from the pack's assistant.yaml.

In *inwoner* mode the explanation names no codes and no tariffs; in *professional* mode
it does. When the route is crisis, the law and profile are still worked out (for the
professional who takes over), but no segment, intensity, trajectory or follow-up
questions are given: the crisis contacts come first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from etalage.assistant.answers import Answers, Mode
from etalage.assistant.config import AssistantConfig
from etalage.assistant.lexicon import CRISIS, DURATION, LAW, RESIDENTIAL, SIGNAL, Lexicon
from etalage.assistant.reading import DOUBT_REASON, PAST_REASON, Hit, Reading
from etalage.region.model import Law, Profile, RegionPack

CRISIS_ROUTE = "crisis"


@dataclass(frozen=True)
class TraceStep:
    """One rule as applied: for the professional mode and for tests."""

    rule: int
    name: str
    fired: bool
    inputs: dict[str, Any]
    outcome: Any
    note: str  # plain Dutch, with codes

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "fired": self.fired,
            "inputs": self.inputs,
            "outcome": self.outcome,
            "note": self.note,
        }


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "label": self.label}
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class FollowUp:
    key: str
    question: str
    help: str = ""
    reason: str = ""
    options: tuple[Option, ...] = ()
    domains: tuple[Option, ...] = ()  # life_domains: the domains to score, hinted first

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "question": self.question}
        if self.help:
            out["help"] = self.help
        if self.reason:
            out["reason"] = self.reason
        if self.options:
            out["options"] = [o.as_dict() for o in self.options]
        if self.domains:
            out["domains"] = [o.as_dict() for o in self.domains]
        return out


@dataclass
class Decision:
    route: str = "B"
    law: str | None = None
    age: int | None = None
    profile: str | None = None
    intensity: str | None = None
    trajectory: str | None = None
    n_severe: int = 0
    n_affected: int = 0
    crisis_kinds: list[str] = field(default_factory=list)
    # The text touches danger without deciding it: contacts shown, safety question first.
    crisis_doubt: bool = False
    strengths: dict[str, int] = field(default_factory=dict)
    profile_hits: dict[str, list[tuple[Hit, int]]] = field(default_factory=dict)
    text_tags: set[str] = field(default_factory=set)
    explanation: list[str] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    follow_up: list[FollowUp] = field(default_factory=list)
    duration: str | None = None
    residential: bool | None = None
    specialist_hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What the rules need from the pack, compiled once per pack."""

    pack: RegionPack
    config: AssistantConfig
    lexicon: Lexicon


# ---------------------------------------------------------------------------- helpers


def quote(text: str) -> str:
    """A quoted phrase of the text."""
    return f"‘{' '.join(text.split())}’"


def quote_hit(hit: Hit) -> str:
    """A quoted hit; a typo or compound part also names the word it was read as."""
    quoted = quote(hit.text)
    if hit.how not in ("exact", "concept") and hit.text.casefold() != hit.term.casefold():
        return f"{quoted} ({hit.term})"
    return quoted


def join_nl(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " en " + items[-1]


def n_topics(count: int) -> str:
    return f"{count} onderwerp" if count == 1 else f"{count} onderwerpen"


def law_range(law: Law) -> str:
    if law.age_min == 0:
        return f"tot {law.age_max + 1} jaar"
    return f"vanaf {law.age_min} jaar"


def _first(hits: Iterable[Hit]) -> list[Hit]:
    """One hit per distinct text, in text order."""
    seen: set[str] = set()
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda item: item.start):
        key = hit.text.casefold()
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out


class _Rules:
    def __init__(self, ctx: Context, reading: Reading, answers: Answers, mode: Mode) -> None:
        self.ctx = ctx
        self.pack = ctx.pack
        self.cfg = ctx.config
        self.thresholds = ctx.config.thresholds
        self.reading = reading
        self.answers = answers
        self.mode = mode
        self.decision = Decision()

    # ---- output ----------------------------------------------------------------------

    def named(self, item: Any, code: str) -> str:
        """A profile, intensity, trajectory or domain as this view names it: the B1 label
        for citizens, the formal name for professionals."""
        if item is None:
            return code
        return str(item.plain if self.mode == "inwoner" else item.name)

    def say(self, inwoner: str, professional: str) -> str:
        """Add the explanation line for the mode; returns the professional line."""
        self.decision.explanation.append(professional if self.mode == "professional" else inwoner)
        return professional

    def step(
        self, rule: int, name: str, fired: bool, inputs: dict[str, Any], outcome: Any, note: str
    ) -> None:
        self.decision.trace.append(TraceStep(rule, name, fired, inputs, outcome, note))

    def ask(self, key: str, reason: str, **extra: Any) -> None:
        if any(f.key == key for f in self.decision.follow_up):
            return
        spec = self.cfg.questions[key]
        self.decision.follow_up.append(
            FollowUp(key=key, question=spec.question, help=spec.help, reason=reason, **extra)
        )

    def yes_no(self) -> tuple[Option, ...]:
        labels = self.cfg.answer_labels
        return (Option(True, labels.yes), Option(False, labels.no))

    # ---- the rules -------------------------------------------------------------------

    def run(self) -> Decision:
        self.rule1_crisis()
        self.rule2_law()
        self.rule3_counts()
        crisis = self.decision.route == CRISIS_ROUTE
        if not crisis:
            self.rules4to6_segment()
        self.collect_signals()
        self.rule7_profile()
        if not crisis:
            self.rule8_intensity()
            self.rule9_trajectory()
            self.follow_up_questions()
        self.decision.follow_up.sort(key=lambda follow_up: _QUESTION_ORDER.index(follow_up.key))
        return self.decision

    def rule1_crisis(self) -> None:
        hits = self.reading.of(CRISIS)
        inactive = self.reading.of(CRISIS, active=False)
        past = [h for h in inactive if h.suppressed == PAST_REASON]
        doubts = [h for h in inactive if h.suppressed == DOUBT_REASON]
        acute = self.answers.acute_safety is True
        fired = acute or bool(hits)
        kinds: list[str] = []
        if acute:
            kinds.append("acute_safety")
        for hit in hits if fired else doubts:
            if hit.value not in kinds:
                kinds.append(hit.value)
        self.decision.crisis_kinds = kinds
        quotes = [quote_hit(h) for h in _first(hits)][:3]
        if fired:
            self.decision.route = CRISIS_ROUTE
            if acute:
                self.say(
                    "U gaf aan dat iemand nu in gevaar is. Daarom ziet u bovenaan wie u direct"
                    " kunt bellen.",
                    "Regel 1 (crisis): acute_safety = ja.",
                )
            if hits:
                self.say(
                    f"In uw tekst staat {join_nl(quotes)}. Dat kan betekenen dat iemand nu in"
                    " gevaar is. Daarom ziet u bovenaan wie u direct kunt bellen.",
                    f"Regel 1 (crisis): crisissignaal {join_nl(quotes)} in de tekst"
                    f" ({', '.join(k for k in kinds if k != 'acute_safety')}).",
                )
        elif doubts and self.answers.acute_safety is None:
            self.decision.crisis_doubt = True
            doubt_quotes = [quote_hit(h) for h in _first(doubts)][:3]
            self.say(
                f"In uw tekst staat {join_nl(doubt_quotes)}. We weten niet zeker of iemand nu"
                " in gevaar is. Daarom vragen we dat eerst, en ziet u al wie u kunt bellen.",
                f"Regel 1 (twijfel): {join_nl(doubt_quotes)} raakt aan gevaar zonder het te"
                f" beslissen ({', '.join(kinds)}): eerst de veiligheidsvraag.",
            )
            self.ask(
                "acute_safety",
                "Uw tekst raakt aan gevaar. Als iemand nu in gevaar is, gaat hulp voor.",
                options=self.yes_no(),
            )
        elif past and self.mode == "professional":
            self.say(
                "",
                f"Regel 1: {join_nl([quote_hit(h) for h in _first(past)])} gaat over het"
                " verleden en telt niet als crisis.",
            )
        if fired:
            note = f"crisis: {', '.join(kinds)}"
        elif self.decision.crisis_doubt:
            note = f"twijfel: {', '.join(kinds)}; eerst de veiligheidsvraag"
        else:
            note = "geen crisis: acute_safety niet ja en geen crisissignaal in de tekst"
        self.step(
            1,
            "crisis",
            fired,
            {
                "acute_safety": self.answers.acute_safety,
                "signals": [h.text for h in hits],
                "doubt": [h.text for h in doubts],
                "past": [h.text for h in past],
            },
            CRISIS_ROUTE if fired else None,
            note,
        )

    def rule2_law(self) -> None:
        pack, answers = self.pack, self.answers
        laws = {x.code: x for x in pack.laws}
        age, source, said = answers.age, "antwoord", ""
        text_ages = list(self.reading.ages)
        conflict_ages = False
        if age is None and text_ages:
            found = {getattr(pack.law_for_age(h.age), "code", None) for h in text_ages}
            if len(found) == 1:
                age, source, said = text_ages[0].age, "tekst", text_ages[0].text
            else:
                conflict_ages = True
        self.decision.age = age
        hints = self.reading.of(LAW)
        hint_laws = sorted({h.value for h in hints})
        law: Law | None = None
        note = ""
        if age is not None:
            law = pack.law_for_age(age)
            if law is None:
                note = self.say(
                    f"Voor de leeftijd {age} kennen we geen regeling.",
                    f"Regel 2 (wet): geen wet voor leeftijd {age}.",
                )
            elif source == "antwoord":
                note = self.say(
                    f"De persoon is {age} jaar. Hulp voor mensen {law_range(law)} valt onder de"
                    f" {law.name}.",
                    f"Regel 2 (wet): leeftijd {age} (antwoord) → {law.code}.",
                )
            else:
                note = self.say(
                    f"In de tekst staat {quote(said)}: de persoon is dus {age} jaar. Hulp voor"
                    f" mensen {law_range(law)} valt onder de {law.name}.",
                    f"Regel 2 (wet): leeftijd {age} uit de tekst ({quote(said)}) → {law.code}.",
                )
        elif len(hint_laws) == 1:
            law = laws.get(hint_laws[0])
            quotes = join_nl([quote_hit(h) for h in _first(hints)][:2])
            if law is not None:
                note = self.say(
                    f"In de tekst staat {quotes}. Daarom gaan we uit van hulp voor mensen"
                    f" {law_range(law)} ({law.name}). Klopt dat niet? Vul dan de leeftijd in.",
                    f"Regel 2 (wet): geen leeftijd; wethint {quotes} → {law.code}.",
                )
        else:
            if len(hint_laws) > 1 or conflict_ages:
                quotes = join_nl([quote_hit(h) for h in _first(hints)][:3]) or join_nl(
                    [quote(h.text) for h in text_ages][:3]
                )
                note = self.say(
                    f"De tekst noemt {quotes}. We weten daardoor niet zeker voor wie de hulp"
                    " is, en dus niet onder welke wet de hulp valt.",
                    f"Regel 2 (wet): tegenstrijdige hints {quotes}: wet onbekend.",
                )
            else:
                note = self.say(
                    "We weten nog niet hoe oud de persoon is. Daarom weten we nog niet onder"
                    " welke wet de hulp valt.",
                    "Regel 2 (wet): geen leeftijd en geen wethint: wet onbekend.",
                )
            if self.decision.route != CRISIS_ROUTE:
                self.ask(
                    "age",
                    "Voor kinderen en jongeren is er andere hulp dan voor volwassenen.",
                )
        self.decision.law = law.code if law else None
        self.step(
            2,
            "wet",
            law is not None,
            {
                "age": answers.age,
                "text_ages": [h.age for h in text_ages],
                "hints": {h.value: h.text for h in hints},
            },
            self.decision.law,
            note,
        )

    def rule3_counts(self) -> None:
        domains = self.answers.life_domains
        sev = sorted(c for c, s in domains.items() if s <= self.thresholds.severe_max_score)
        aff = sorted(c for c, s in domains.items() if s <= self.thresholds.affected_max_score)
        self.decision.n_severe, self.decision.n_affected = len(sev), len(aff)
        names = {x.code: self.named(x, x.code) for x in self.pack.life_domains}
        if domains and self.decision.route != CRISIS_ROUTE:
            listed = ", ".join(f"{names.get(c, c)} {domains[c]}" for c in aff) or "geen"
            self.say(
                f"Bij {n_topics(len(sev))} lukt het niet of is er een acuut probleem. Bij"
                f" {n_topics(len(aff))} lukt het niet of soms niet.",
                f"Regel 3: n_severe = {len(sev)} (score ≤ {self.thresholds.severe_max_score}),"
                f" n_affected = {len(aff)} (score ≤ {self.thresholds.affected_max_score}):"
                f" {listed}.",
            )
        elif self.decision.route != CRISIS_ROUTE:
            self.say(
                "U hebt nog niet verteld hoe het gaat op de verschillende onderwerpen van het"
                " leven, zoals geld, wonen en gezondheid.",
                "Regel 3: geen levensdomeinen ingevuld: n_severe = 0, n_affected = 0.",
            )
        self.step(
            3,
            "tellingen",
            bool(domains),
            {"life_domains": dict(domains)},
            {"n_severe": len(sev), "n_affected": len(aff)},
            f"n_severe = {len(sev)} ({', '.join(sev) or '-'}), n_affected = {len(aff)}"
            f" ({', '.join(aff) or '-'})",
        )

    def rules4to6_segment(self) -> None:
        answers, thresholds, decision = self.answers, self.thresholds, self.decision
        resid_hits = self.reading.of(RESIDENTIAL)
        residential = answers.residential_care_needed
        resid_src = "antwoord"
        if residential is None and resid_hits:
            residential, resid_src = True, "tekst"
        decision.residential = residential
        reasons_in: list[str] = []
        reasons_pro: list[str] = []
        if residential is True:
            if resid_src == "antwoord":
                reasons_in.append("de persoon ergens anders moet wonen of logeren, met zorg erbij")
                reasons_pro.append("residential_care_needed = ja (antwoord)")
            else:
                quotes = join_nl([quote_hit(h) for h in _first(resid_hits)][:2])
                reasons_in.append(f"in de tekst {quotes} staat: zorg met verblijf buiten huis")
                reasons_pro.append(f"residential_care_needed = ja (tekst: {quotes})")
        if decision.n_severe >= thresholds.c_n_severe_min:
            reasons_in.append(f"het bij {n_topics(decision.n_severe)} niet lukt")
            reasons_pro.append(f"n_severe = {decision.n_severe} ≥ {thresholds.c_n_severe_min}")
        if (
            answers.previous_care_failed is True
            and decision.n_severe >= thresholds.c_failed_care_n_severe_min
        ):
            reasons_in.append("eerdere hulp niet heeft geholpen en het op een onderwerp niet lukt")
            reasons_pro.append(
                f"previous_care_failed = ja en n_severe = {decision.n_severe}"
                f" ≥ {thresholds.c_failed_care_n_severe_min}"
            )
        is_c = bool(reasons_pro)
        self.step(
            4,
            "segment C",
            is_c,
            {
                "residential_care_needed": residential,
                "residential_source": resid_src if residential is not None else None,
                "n_severe": decision.n_severe,
                "previous_care_failed": answers.previous_care_failed,
            },
            "C" if is_c else None,
            "; ".join(reasons_pro) if is_c else "niet van toepassing",
        )
        if is_c:
            decision.route = "C"
            self.say(
                "Er is zware of ingewikkelde hulp op maat nodig, omdat "
                + join_nl(reasons_in)
                + ".",
                "Regel 4: segment C (hoogcomplex / maatwerk): " + "; ".join(reasons_pro) + ".",
            )
            return

        specialist = self.specialist_signals()
        blockers_in: list[str] = []
        blockers_pro: list[str] = []
        if decision.n_severe > thresholds.a_n_severe_max:
            blockers_in.append(f"het bij {n_topics(decision.n_severe)} niet lukt")
            blockers_pro.append(f"n_severe = {decision.n_severe} > {thresholds.a_n_severe_max}")
        if (
            decision.n_affected > thresholds.a_n_affected_max
            and decision.n_severe <= thresholds.a_n_severe_max
        ):
            blockers_in.append(f"het bij {n_topics(decision.n_affected)} niet of soms niet lukt")
            blockers_pro.append(
                f"n_affected = {decision.n_affected} > {thresholds.a_n_affected_max}"
            )
        if specialist:
            quotes = join_nl([quote_hit(h) for h in _first(specialist)][:3])
            blockers_in.append(f"de tekst een diagnose of aandoening noemt ({quotes})")
            blockers_pro.append(f"specialistisch signaal {quotes}")
        if answers.network_support is False:
            blockers_in.append("familie, vrienden of buren niet kunnen helpen")
            blockers_pro.append("network_support = nee")
        elif answers.network_support is None:
            if not blockers_in:
                blockers_in.append("we nog niet weten of familie, vrienden of buren kunnen helpen")
            blockers_pro.append("network_support onbekend")
        is_a = not blockers_pro
        self.step(
            5,
            "segment A",
            is_a,
            {
                "n_severe": decision.n_severe,
                "n_affected": decision.n_affected,
                "network_support": answers.network_support,
                "specialist_signals": [h.text for h in specialist],
            },
            "A" if is_a else None,
            "alle voorwaarden voor A" if is_a else "niet A: " + "; ".join(blockers_pro),
        )
        if is_a:
            decision.route = "A"
            self.say(
                "U kunt zelf hulp zoeken, zonder besluit van de gemeente (vrij toegankelijke"
                " hulp). Familie, vrienden of buren kunnen helpen, het gaat op bijna alle"
                " onderwerpen goed en er is geen diagnose genoemd.",
                f"Regel 5: segment A (vrij toegankelijk): n_severe = {decision.n_severe},"
                f" n_affected = {decision.n_affected} ≤ {thresholds.a_n_affected_max},"
                " network_support = ja, geen specialistisch signaal.",
            )
            return
        decision.route = "B"
        self.step(6, "segment B", True, {}, "B", "niet C en niet A: " + "; ".join(blockers_pro))
        self.say(
            "Er is hulp nodig met een besluit van de gemeente, omdat " + join_nl(blockers_in) + ".",
            "Regel 6: segment B (arrangement): " + "; ".join(blockers_pro) + ".",
        )

    # ---- rule 7 ----------------------------------------------------------------------

    def specialist_signals(self) -> list[Hit]:
        classes = self.ctx.lexicon.signal_classes
        return [
            h for h in self.reading.of(SIGNAL) if h.value in classes and classes[h.value].specialist
        ]

    def collect_signals(self) -> None:
        """Signal strength per profile: each signal class once, nested phrases dropped."""
        classes = self.ctx.lexicon.signal_classes
        per_profile: dict[str, list[tuple[Hit, int]]] = defaultdict(list)
        for hit in self.reading.of(SIGNAL):
            cls = classes.get(hit.value)
            if cls is None:
                continue
            for profile, weight in cls.weights.items():
                per_profile[profile].append((hit, weight))
        for profile, items in per_profile.items():
            kept = _outermost(items)
            best: dict[str, tuple[Hit, int]] = {}
            for kept_hit, kept_weight in kept:
                if kept_hit.value not in best or kept_weight > best[kept_hit.value][1]:
                    best[kept_hit.value] = (kept_hit, kept_weight)
            ordered = sorted(best.values(), key=lambda pair: pair[0].start)
            self.decision.profile_hits[profile] = ordered
            self.decision.strengths[profile] = sum(w for _, w in ordered)
        self.decision.specialist_hits = self.specialist_signals()

    def rule7_profile(self) -> None:
        decision = self.decision
        if decision.law is None:
            self.step(7, "profiel", False, {}, None, "wet onbekend: eerst de leeftijd")
            return
        law_profiles = list(self.pack.profiles_for_law(decision.law))
        codes = [p.code for p in law_profiles]
        strengths = {c: decision.strengths.get(c, 0) for c in codes}
        special = self.cfg.special_cases

        # W8 only when household help is the only need.
        for code in special.only_need_profiles:
            if strengths.get(code, 0) > 0 and any(s > 0 for c, s in strengths.items() if c != code):
                strengths[code] = 0
                prof = self.pack.profile(code)
                name = self.named(prof, code)
                self.say(
                    f"‘{name}’ alleen past niet, want de tekst noemt ook andere problemen.",
                    f"Regel 7: {code} alleen als het de enige vraag is; er zijn ook andere"
                    f" signalen, dus {code} telt niet mee.",
                )

        inputs: dict[str, Any] = {
            "strengths": {c: s for c, s in strengths.items() if s},
            "signals": {
                c: [(h.text, w) for h, w in decision.profile_hits.get(c, [])]
                for c in codes
                if strengths[c]
            },
        }

        # Autism in an adult: W3, but W4 when a verstandelijke beperking is also signalled.
        autism = special.adult_autism
        if autism is not None and decision.law == autism.law:
            autism_class = self.ctx.lexicon.class_of(autism.signal)
            autism_hits = [h for h in self.reading.of(SIGNAL) if h.value == autism_class]
            also = [h.text for h, _ in decision.profile_hits.get(autism.with_profile_signalled, [])]
            if autism_hits and strengths.get(autism.with_profile_signalled, 0) > 0:
                also_q = join_nl([quote(t) for t in also][:2])
                self.choose(
                    autism.then_profile,
                    inwoner=f"In de tekst staan autisme ({quote(autism_hits[0].text)}) én een"
                    f" verstandelijke beperking ({also_q}). Bij volwassenen past dan"
                    " ‘{name}’ het best.",
                    pro="Regel 7 (bijzonder geval): autisme bij een volwassene met ook een"
                    f" signaal van {autism.with_profile_signalled} ({also_q})"
                    f" → {autism.then_profile}.",
                    inputs=inputs,
                )
                return

        top = max(strengths.values(), default=0)
        if top > 0:
            tied = [c for c in codes if strengths[c] == top]
            if len(tied) == 1:
                code = tied[0]
                hits = decision.profile_hits.get(code, [])
                quotes = join_nl([quote_hit(h) for h, _ in hits][:4])
                others = ", ".join(
                    f"{c} = {s}"
                    for c, s in sorted(strengths.items(), key=lambda item: -item[1])
                    if s and c != code
                )
                detail = ", ".join(f"{quote_hit(h)} {w}" for h, w in hits)
                self.choose(
                    code,
                    inwoner=f"Het soort hulp dat het best past: ‘{{name}}’. In de tekst staat"
                    f" {quotes}.",
                    pro=f"Regel 7: profiel {code} (signaalsterkte {top}: {detail})"
                    + (f"; ook {others}" if others else "")
                    + ".",
                    inputs=inputs,
                )
                return
            hinted = self.domain_hint(tied)
            if hinted is not None:
                code, domain, score = hinted
                self.choose(
                    code,
                    inwoner=f"Meer soorten hulp passen even goed bij de tekst. Bij"
                    f" ‘{domain}’ gaat het het minst goed (score {score}). Daarom past"
                    " ‘{name}’ het best.",
                    pro=f"Regel 7: gelijke signaalsterkte {top} voor {', '.join(tied)};"
                    f" beslist door het laagst gescoorde domein met een hint ({domain} ="
                    f" {score}) → {code}.",
                    inputs=inputs,
                )
                return
            self.undecided(
                tied,
                law_profiles,
                inwoner="Meer soorten hulp passen even goed bij de tekst. Welke past het best?",
                pro=f"Regel 7: gelijke signaalsterkte {top} voor {', '.join(tied)} en geen"
                " domein dat beslist: profiel onbekend.",
                inputs=inputs,
            )
            return

        hinted = self.domain_hint(codes)
        if hinted is not None:
            code, domain, score = hinted
            self.choose(
                code,
                inwoner=f"De tekst noemt geen duidelijk probleem. Bij ‘{domain}’ gaat het het"
                f" minst goed (score {score}). Daarom past ‘{{name}}’ het best.",
                pro=f"Regel 7: geen signaal in de tekst; laagst gescoorde domein met een hint:"
                f" {domain} = {score} → {code}.",
                inputs=inputs,
            )
            return
        self.undecided(
            [],
            law_profiles,
            inwoner="We kunnen uit de tekst nog niet opmaken welk soort hulp past.",
            pro="Regel 7: geen signaal in de tekst en geen domein met een hint: profiel onbekend.",
            inputs=inputs,
        )

    def choose(self, code: str, inwoner: str, pro: str, inputs: dict[str, Any]) -> None:
        prof = self.pack.profile(code)
        name = self.named(prof, code)
        self.decision.profile = code
        self.say(inwoner.replace("{name}", name), pro)
        self.step(7, "profiel", True, inputs, code, pro)

    def undecided(
        self,
        tied: Sequence[str],
        law_profiles: Sequence[Profile],
        inwoner: str,
        pro: str,
        inputs: dict[str, Any],
    ) -> None:
        self.say(inwoner, pro)
        self.step(7, "profiel", False, inputs, None, pro)
        first = [p for p in law_profiles if p.code in tied]
        rest = [p for p in law_profiles if p.code not in tied]
        options = tuple(
            Option(
                p.code, p.plain if self.mode == "inwoner" else f"{p.code} {p.name}", p.description
            )
            for p in (*first, *rest)
        )
        if self.decision.route != CRISIS_ROUTE:
            self.ask(
                "profile",
                "Dan weten we welk soort hulp past.",
                options=options,
            )

    def domain_hint(self, candidates: Sequence[str]) -> tuple[str, str, int] | None:
        """The hint of the lowest-scored domain that hints at a candidate (table order)."""
        scores = self.answers.life_domains
        names = {x.code: self.named(x, x.code) for x in self.pack.life_domains}
        best: tuple[int, int, str, str] | None = None
        for order, hint in enumerate(self.pack.domain_hints):
            code = hint.profiles.get(self.decision.law or "")
            score = scores.get(hint.domain)
            if code is None or code not in candidates or score is None:
                continue
            if score > self.thresholds.domain_hint_max_score:
                continue
            key = (score, order, code, hint.domain)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        return best[2], names.get(best[3], best[3]), best[0]

    # ---- rules 8 and 9 ---------------------------------------------------------------

    def rule8_intensity(self) -> None:
        decision, thresholds = self.decision, self.thresholds
        if decision.route not in ("B", "C"):
            self.step(8, "intensiteit", False, {}, None, "alleen voor segment B en C")
            return
        if (
            decision.n_severe >= thresholds.zwaar_n_severe_min
            or decision.n_affected >= thresholds.zwaar_n_affected_min
        ):
            code = "zwaar"
            why_in = (
                f"het bij {n_topics(decision.n_severe)} niet lukt"
                if decision.n_severe >= thresholds.zwaar_n_severe_min
                else f"het bij {n_topics(decision.n_affected)} niet of soms niet lukt"
            )
            why_pro = (
                f"n_severe = {decision.n_severe} ≥ {thresholds.zwaar_n_severe_min}"
                if decision.n_severe >= thresholds.zwaar_n_severe_min
                else f"n_affected = {decision.n_affected} ≥ {thresholds.zwaar_n_affected_min}"
            )
        elif (
            decision.n_severe >= thresholds.midden_n_severe_min
            or decision.n_affected >= thresholds.midden_n_affected_min
        ):
            code = "midden"
            why_in = (
                f"het bij {n_topics(decision.n_severe)} niet lukt"
                if decision.n_severe >= thresholds.midden_n_severe_min
                else f"het bij {n_topics(decision.n_affected)} soms niet lukt"
            )
            why_pro = (
                f"n_severe = {decision.n_severe} ≥ {thresholds.midden_n_severe_min}"
                if decision.n_severe >= thresholds.midden_n_severe_min
                else f"n_affected = {decision.n_affected} ≥ {thresholds.midden_n_affected_min}"
            )
        else:
            code = "licht"
            why_in = (
                f"het bij hooguit {n_topics(decision.n_affected)} soms niet lukt"
                if self.answers.life_domains
                else "we nog niets weten over hoe het gaat op de onderwerpen van het leven"
            )
            why_pro = f"n_severe = {decision.n_severe}, n_affected = {decision.n_affected}"
        decision.intensity = code
        intensity = next((x for x in self.pack.intensities if x.code == code), None)
        label = self.named(intensity, code)
        desc = f" {intensity.description}" if intensity and intensity.description else ""
        self.say(
            f"Hoeveel hulp: {label.lower()}, omdat {why_in}.{desc}",
            f"Regel 8: intensiteit {code} ({why_pro}).",
        )
        self.step(
            8,
            "intensiteit",
            True,
            {"n_severe": decision.n_severe, "n_affected": decision.n_affected},
            code,
            f"{code}: {why_pro}",
        )

    def rule9_trajectory(self) -> None:
        decision, answers = self.decision, self.answers
        hits = self.reading.of(DURATION)
        duration: str | None = answers.duration
        src, said = "antwoord", ""
        if duration is None and hits:
            values = {h.value for h in hits}
            if len(values) == 1:
                duration, src, said = hits[0].value, "tekst", hits[0].text
        decision.duration = duration
        lasting = decision.profile in self.cfg.duurzaam_profiles
        if duration == "long_term":
            code: str | None = "duurzaam"
            why_in = (
                "de hulp blijvend nodig is"
                if src == "antwoord"
                else f"in de tekst {quote(said)} staat: de hulp is blijvend nodig"
            )
            why_pro = f"duration = long_term ({src}{': ' + quote(said) if said else ''})"
        elif lasting and duration != "temporary":
            code = "duurzaam"
            why_in = "het om een blijvende beperking of aandoening gaat"
            why_pro = f"profiel {decision.profile} is een duurzaam profiel en duration ≠ temporary"
        elif duration == "temporary" or decision.profile is not None:
            code = "herstel"
            if duration == "temporary":
                why_in = (
                    "de hulp voor een tijdje nodig is"
                    if src == "antwoord"
                    else f"in de tekst {quote(said)} staat: de hulp is voor een tijdje"
                )
                why_pro = f"duration = temporary ({src}{': ' + quote(said) if said else ''})"
            else:
                why_in = "het probleem kleiner kan worden of over kan gaan"
                why_pro = f"duration onbekend en {decision.profile} is geen duurzaam profiel"
        else:
            code = None
            why_in = why_pro = ""
        decision.trajectory = code
        inputs = {
            "duration": duration,
            "duration_source": src if duration else None,
            "profile": decision.profile,
        }
        if code is None:
            self.step(9, "traject", False, inputs, None, "profiel en duur onbekend")
            return
        traj = next((x for x in self.pack.trajectory_types if x.code == code), None)
        label = self.named(traj, code)
        self.say(
            f"Soort traject: {label.lower()}, omdat {why_in}.",
            f"Regel 9: {code} ({why_pro}).",
        )
        self.step(9, "traject", True, inputs, code, why_pro)

    # ---- follow-up questions ---------------------------------------------------------

    def follow_up_questions(self) -> None:
        decision, answers, thresholds = self.decision, self.answers, self.thresholds
        domains = answers.life_domains
        if (
            answers.acute_safety is None
            and not decision.crisis_doubt
            and any(s <= 1 for s in domains.values())
        ):
            self.ask(
                "acute_safety",
                "Bij een acuut probleem kijken we eerst of iemand nu in gevaar is.",
                options=self.yes_no(),
            )
        if not domains:
            self.ask(
                "life_domains",
                "Daarmee bepalen we hoeveel hulp nodig is.",
                options=tuple(Option(c.score, c.label, c.key) for c in self.cfg.zrm_choices),
                domains=self.domain_options(),
            )
        if decision.route != "C":
            a_possible = (
                decision.n_severe <= thresholds.a_n_severe_max
                and decision.n_affected <= thresholds.a_n_affected_max
                and not decision.specialist_hits
            )
            if answers.network_support is None and a_possible:
                self.ask(
                    "network_support",
                    "Als familie, vrienden of buren kunnen helpen, is hulp zonder besluit van"
                    " de gemeente misschien genoeg.",
                    options=self.yes_no(),
                )
            if (
                answers.previous_care_failed is None
                and decision.n_severe >= thresholds.c_failed_care_n_severe_min
            ):
                self.ask(
                    "previous_care_failed",
                    "Als eerdere hulp niet werkte, is misschien zwaardere hulp nodig.",
                    options=self.yes_no(),
                )
            if decision.residential is None:
                self.ask(
                    "residential_care_needed",
                    "Zorg met wonen of logeren buiten huis is een andere soort hulp.",
                    options=self.yes_no(),
                )
        if decision.duration is None:
            labels = self.cfg.answer_labels
            self.ask(
                "duration",
                "Daarmee bepalen we het soort traject.",
                options=(
                    Option("temporary", labels.temporary),
                    Option("long_term", labels.long_term),
                ),
            )
        if answers.postcode is None:
            self.ask("postcode", "Dan tonen we eerst hulp in de buurt.")

    def domain_options(self) -> tuple[Option, ...]:
        hinted = [h.value for h in self.reading.of("domain")]
        youth = self.decision.law is not None and any(
            x.code == self.decision.law and x.age_min == 0 for x in self.pack.laws
        )
        domains = [x for x in self.pack.life_domains if youth or not x.youth_only]
        domains.sort(
            key=lambda domain: hinted.index(domain.code) if domain.code in hinted else len(hinted)
        )
        return tuple(Option(x.code, self.named(x, x.code), x.description) for x in domains)


_QUESTION_ORDER = (
    "acute_safety",
    "age",
    "profile",
    "life_domains",
    "network_support",
    "previous_care_failed",
    "residential_care_needed",
    "duration",
    "postcode",
)


def _outermost(items: list[tuple[Hit, int]]) -> list[tuple[Hit, int]]:
    """Drop hits whose span lies inside another hit's span (a phrase counts, not its parts)."""
    ordered = sorted(items, key=lambda item: (item[0].start, -item[0].end))
    kept: list[tuple[Hit, int]] = []
    max_end, max_start = -1, -1
    for hit, weight in ordered:
        inside = max_end > hit.end or (max_end == hit.end and max_start < hit.start)
        if not inside:
            kept.append((hit, weight))
        if hit.end > max_end:
            max_end, max_start = hit.end, hit.start
    return kept


def decide(ctx: Context, reading: Reading, answers: Answers, mode: Mode = "inwoner") -> Decision:
    """Apply rules 1-9 to what was read and answered."""
    return _Rules(ctx, reading, answers, mode).run()
