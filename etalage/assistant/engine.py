"""The guided assistant's engine: text and answers in, an explained advice out.

`advise(pack, text, answers, providers, mode)` reads the text, applies the rules of the
pack (rules.py) and matches providers (matching.py), and returns an `Advice` whose
`as_dict()` is the response of `POST /api/v1/assistant/advice` (docs/http-api.md#hulpwijzer-advice):

    route, law, profile {code, name}, intensity, trajectory, explanation[],
    follow_up_questions[{key, question, ...}], crisis (contacts + instructions, or null),
    providers[{kvk, naam, slug, reasons[], ...}], next_steps[]

plus, in professional mode only, `professional`: the codes, the indicative tariff from
the pack (marked as an example when it is one), the signals read from the text, the full
rule trace and a copyable summary for the perspectiefplan. In inwoner mode the texts
carry no codes and no tariffs.

Pure: no web framework, no database. The compiled lexicon is cached per pack object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from etalage.assistant.answers import AdviceInputError, Answers, Mode, check_text
from etalage.assistant.config import AssistantConfig, load_config
from etalage.assistant.first_help import first_help
from etalage.assistant.lexicon import EXPERTISE, Lexicon
from etalage.assistant.matching import MatchResult, ProviderIndex, ProviderMatch, Query
from etalage.assistant.reading import Reading, read
from etalage.assistant.rules import (
    CRISIS_ROUTE,
    Context,
    Decision,
    FollowUp,
    TraceStep,
    decide,
)
from etalage.region.model import RegionPack

SUMMARY_TEXT_CHARS = 1200
_RULE_PREFIX = re.compile(r"^Regel \d+[^:]*:\s*")
DEFAULT_PROVIDER_LIMIT = 10


class Assistant:
    """A pack's assistant: validated config and compiled lexicon."""

    def __init__(self, pack: RegionPack) -> None:
        self.pack = pack
        self.config: AssistantConfig = load_config(pack)
        self.lexicon = Lexicon.from_pack(pack, self.config)
        self.context = Context(pack=pack, config=self.config, lexicon=self.lexicon)

    def read(self, text: str, today: date | None = None) -> Reading:
        return read(self.lexicon, text, today)


_ASSISTANTS: dict[int, tuple[RegionPack, Assistant]] = {}


def assistant_for(pack: RegionPack) -> Assistant:
    """The compiled assistant of a pack (built on first use, then cached)."""
    found = _ASSISTANTS.get(id(pack))
    if found is not None and found[0] is pack:
        return found[1]
    assistant = Assistant(pack)
    _ASSISTANTS[id(pack)] = (pack, assistant)
    return assistant


@dataclass(frozen=True)
class Advice:
    route: str
    law: str | None
    profile: dict[str, str] | None
    intensity: str | None
    trajectory: str | None
    explanation: tuple[str, ...]
    follow_up_questions: tuple[FollowUp, ...]
    crisis: dict[str, Any] | None
    providers: tuple[ProviderMatch, ...]
    next_steps: tuple[str, ...]
    mode: Mode
    providers_total: int = 0
    first_help: dict[str, Any] | None = None
    professional: dict[str, Any] | None = None
    decision: Decision = field(default_factory=Decision, repr=False, compare=False)
    reading: Reading | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "route": self.route,
            "law": self.law,
            "profile": self.profile,
            "intensity": self.intensity,
            "trajectory": self.trajectory,
            "explanation": list(self.explanation),
            "follow_up_questions": [f.as_dict() for f in self.follow_up_questions],
            "crisis": self.crisis,
            "providers": [p.as_dict() for p in self.providers],
            "providers_total": self.providers_total,
            "first_help": self.first_help,
            "next_steps": list(self.next_steps),
            "mode": self.mode,
        }
        if self.professional is not None:
            out["professional"] = self.professional
        return out


def advise(
    pack: RegionPack,
    text: str,
    answers: Answers | None = None,
    providers: ProviderIndex | None = None,
    mode: Mode = "inwoner",
    today: date | None = None,
    limit: int = DEFAULT_PROVIDER_LIMIT,
) -> Advice:
    """The advice for a hulpvraag (see the module docstring)."""
    errors = check_text(text)
    if errors:
        raise AdviceInputError(errors)
    answers = answers or Answers()
    assistant = assistant_for(pack)
    reading = assistant.read(text, today)
    decision = decide(assistant.context, reading, answers, mode)
    text_tags = frozenset(h.value for h in reading.of(EXPERTISE))
    decision.text_tags = set(text_tags)

    result = MatchResult()
    if decision.route != CRISIS_ROUTE:
        result = _providers(pack, decision, answers, providers, text_tags, mode, limit)

    help_first = first_help(pack, decision, answers, providers, result, text_tags, mode)
    profile = pack.profile(decision.profile) if decision.profile else None
    shown = decision.route == CRISIS_ROUTE or decision.crisis_doubt
    crisis = _crisis(assistant.config, decision) if shown else None
    next_steps = assistant.config.next_steps.get(decision.route, ())
    if providers is None:  # no providers to rank: the postcode changes nothing
        decision.follow_up = [f for f in decision.follow_up if f.key != "postcode"]
    professional = None
    if mode == "professional":
        professional = _professional(pack, text, answers, reading, decision, today)
    return Advice(
        route=decision.route,
        law=decision.law,
        profile={"code": profile.code, "name": profile.name} if profile else None,
        intensity=decision.intensity,
        trajectory=decision.trajectory,
        explanation=tuple(line for line in decision.explanation if line),
        follow_up_questions=tuple(decision.follow_up),
        crisis=crisis,
        providers=tuple(result.matches),
        providers_total=result.total,
        first_help=help_first,
        next_steps=tuple(next_steps),
        mode=mode,
        professional=professional,
        decision=decision,
        reading=reading,
    )


# ---------------------------------------------------------------------------- rule 10


def _providers(
    pack: RegionPack,
    decision: Decision,
    answers: Answers,
    index: ProviderIndex | None,
    text_tags: frozenset[str],
    mode: Mode,
    limit: int,
) -> MatchResult:
    pro = mode == "professional"
    if index is None:
        decision.trace.append(_step10(False, {}, None, "geen aanbiedersbestand meegegeven"))
        return MatchResult()
    if decision.law is None or (decision.route in ("B", "C") and decision.profile is None):
        missing = "de wet (leeftijd)" if decision.law is None else "het profiel"
        decision.explanation.append(
            f"Regel 10: aanbieders volgen zodra {missing} bekend is."
            if pro
            else "Zodra we weten welk soort hulp past, laten we aanbieders zien."
        )
        decision.trace.append(_step10(False, {}, None, f"{missing} onbekend"))
        return MatchResult()
    municipality: str | None = None
    origin: tuple[float, float] | None = None
    pc4 = answers.pc4
    if pc4:
        municipality = pack.municipality_of_postcode(pc4)
        origin = pack.postcode_centroid(pc4)
    profile = pack.profile(decision.profile) if decision.profile else None
    query = Query(
        law=decision.law,
        segment=decision.route,
        profile=decision.profile if decision.route != "A" else None,
        intensity=decision.intensity if decision.route != "A" else None,
        municipality=municipality,
        age=decision.age,
        profile_tags=frozenset(profile.expertise) if profile else frozenset(),
        text_tags=text_tags,
        origin=origin,
        limit=limit,
    )
    result = index.match(query, mode)
    muni = pack.municipality(municipality) if municipality else None
    where_in = f" in de gemeente {muni.name}" if muni else ""
    shown = len(result.matches)
    count = _count_phrase(result.total)
    if result.total == 0:
        decision.explanation.append(
            "Regel 10: geen aanbieder met een passend contract"
            + (f" in {muni.name}" if muni else "")
            + "."
            if pro
            else "We vonden nog geen aanbieder die precies past. Het wijkteam of de huisarts"
            " kan helpen zoeken."
        )
    else:
        arrangement = "" if decision.route == "A" else f" {decision.profile} {decision.intensity}"
        decision.explanation.append(
            f"Regel 10: {result.total} aanbieders met contract voor {decision.law}"
            f" segment {decision.route}{arrangement}{' in ' + muni.name if muni else ''}"
            f"{f', leeftijd {decision.age}' if decision.age is not None else ''};"
            f" de eerste {shown} op"
            " volgorde van expertise, wachttijd, afstand en resultaten."
            if pro
            else f"Er {count}{where_in}. Bovenaan staan de aanbieders met"
            " de meeste ervaring met uw vraag, daarna de kortste wachttijd en de kleinste"
            " afstand."
        )
    if pc4 and municipality is None and pro:
        decision.explanation.append(
            f"Regel 10: postcode {pc4} ligt niet in de regio; niet gefilterd op gemeente."
        )
    decision.trace.append(
        _step10(
            True,
            {
                "law": query.law,
                "segment": query.segment,
                "profile": query.profile,
                "intensity": query.intensity,
                "municipality": municipality,
                "age": query.age,
                "text_tags": sorted(text_tags),
                "profile_tags": sorted(query.profile_tags),
            },
            {"total": result.total, "shown": [m.record.kvk for m in result.matches]},
            f"{result.total} passende aanbieders, {shown} getoond",
        )
    )
    return result


def _count_phrase(total: int) -> str:
    """ "Er {...}": verb and noun agree with the number."""
    if total == 1:
        return "is 1 aanbieder die deze hulp geeft"
    return f"zijn {total} aanbieders die deze hulp geven"


def _step10(fired: bool, inputs: dict[str, Any], outcome: Any, note: str) -> TraceStep:
    return TraceStep(10, "aanbieders", fired, inputs, outcome, note)


# ---------------------------------------------------------------------------- crisis


def _crisis(config: AssistantConfig, decision: Decision) -> dict[str, Any]:
    crisis = config.crisis
    first = [crisis.first_contact[k] for k in decision.crisis_kinds if k in crisis.first_contact]
    order = {key: i for i, key in enumerate(dict.fromkeys(first))}
    contacts = sorted(
        crisis.contacts,
        key=lambda contact: (order.get(contact.key, len(order)), crisis.contacts.index(contact)),
    )
    confirmed = decision.route == CRISIS_ROUTE
    return {
        "confirmed": confirmed,
        "message": crisis.message if confirmed else crisis.doubt_message,
        "kinds": list(decision.crisis_kinds),
        "contacts": [
            {"key": c.key, "name": c.name, "phone": c.phone, "when": c.when} for c in contacts
        ],
        "instructions": list(crisis.instructions),
    }


# ---------------------------------------------------------------------------- professional


def euro(amount: float) -> str:
    """Dutch money notation: € 4.300 or € 1.234,50."""
    whole = int(amount)
    cents = round((amount - whole) * 100)
    text = f"{whole:,}".replace(",", ".")
    return f"€ {text}" if cents == 0 else f"€ {text},{cents:02d}"


_UNITS = {"traject": "per traject", "maand": "per maand", "jaar": "per jaar"}


def _tariff(pack: RegionPack, decision: Decision) -> dict[str, Any] | None:
    if not (decision.profile and decision.intensity and decision.trajectory):
        return None
    tariff = pack.tariff(decision.profile, decision.intensity, decision.trajectory)
    if tariff is None:
        return None
    example = pack.tariffs.is_example
    label = f"{euro(tariff.amount_eur)} {_UNITS.get(tariff.unit, tariff.unit)}"
    if example:
        label += " (voorbeeldbedrag, geen echt tarief)"
    return {
        "profile": tariff.profile,
        "intensity": tariff.intensity,
        "trajectory": tariff.trajectory,
        "amount_eur": tariff.amount_eur,
        "unit": tariff.unit,
        "is_example": example,
        "label": label,
        "note": pack.tariffs.note,
    }


def _professional(
    pack: RegionPack,
    text: str,
    answers: Answers,
    reading: Reading,
    decision: Decision,
    today: date | None,
) -> dict[str, Any]:
    tariff = _tariff(pack, decision) if decision.route in ("B", "C") else None
    signals = [
        {
            "kind": h.kind,
            "value": h.value,
            "term": h.term,
            "text": h.text,
            "start": h.start,
            "end": h.end,
            "match": h.how,
            "negated": h.negated,
            "suppressed": h.suppressed,
        }
        for h in reading.hits
    ]
    return {
        "codes": {
            "route": decision.route,
            "segment": decision.route if decision.route in ("A", "B", "C") else None,
            "law": decision.law,
            "profile": decision.profile,
            "intensity": decision.intensity,
            "trajectory": decision.trajectory,
            "arrangement": f"{decision.profile}:{decision.intensity}"
            if decision.profile and decision.intensity
            else None,
        },
        "age": decision.age,
        "counts": {"n_severe": decision.n_severe, "n_affected": decision.n_affected},
        "profile_strengths": {k: v for k, v in sorted(decision.strengths.items()) if v},
        "tariff": tariff,
        "signals": signals,
        "ages": [{"age": a.age, "text": a.text} for a in reading.ages],
        "trace": [s.as_dict() for s in sorted(decision.trace, key=lambda step: step.rule)],
        "summary": summary(pack, text, answers, decision, tariff, today),
    }


def summary(
    pack: RegionPack,
    text: str,
    answers: Answers,
    decision: Decision,
    tariff: dict[str, Any] | None,
    today: date | None = None,
) -> str:
    """A plain-text summary to copy into the perspectiefplan."""
    day = today or date.today()
    names = {x.code: x.name for x in pack.life_domains}
    law = next((x for x in pack.laws if x.code == decision.law), None)
    segment = next((x for x in pack.segments if x.code == decision.route), None)
    profile = pack.profile(decision.profile) if decision.profile else None
    hulpvraag = " ".join(text.split())
    if len(hulpvraag) > SUMMARY_TEXT_CHARS:
        hulpvraag = hulpvraag[: SUMMARY_TEXT_CHARS - 1].rstrip() + "…"
    domains = sorted(answers.life_domains.items(), key=lambda item: (item[1], item[0]))
    lines = [
        "Samenvatting voor het perspectiefplan",
        f"Datum: {day:%d-%m-%Y}",
        "",
        f"Hulpvraag: {hulpvraag or '(geen tekst)'}",
        f"Leeftijd: {f'{decision.age} jaar' if decision.age is not None else 'onbekend'}",
        f"Wet: {law.name if law else 'nog onbekend'}",
        "Levensdomeinen (ZRM-score): "
        + (", ".join(f"{names.get(c, c)} {s}" for c, s in domains) or "niet ingevuld"),
        f"  n_severe = {decision.n_severe}, n_affected = {decision.n_affected}",
    ]
    if decision.route == CRISIS_ROUTE:
        lines.append("Route: CRISIS - eerst veiligheid (112, 113, Veilig Thuis)")
    else:
        lines.append(f"Segment: {decision.route}" + (f" ({segment.name})" if segment else ""))
    lines += [
        "Profiel: " + (f"{profile.code} {profile.name}" if profile else "nog onbekend"),
        f"Intensiteit: {decision.intensity or '-'}",
        f"Traject: {decision.trajectory or '-'}",
    ]
    if tariff:
        lines.append(f"Indicatief tarief: {tariff['label']}")
    lines += ["", "Onderbouwing:"]
    for step in sorted(decision.trace, key=lambda traced: traced.rule):
        if step.note and (step.fired or step.rule == 1):
            note = _RULE_PREFIX.sub("", step.note)
            lines.append(f"- Regel {step.rule} ({step.name}): {note}")
    if decision.follow_up:
        lines += ["", "Nog uit te vragen:"]
        lines += [f"- {f.question}" for f in decision.follow_up]
    return "\n".join(lines)


__all__ = ["Advice", "Assistant", "advise", "assistant_for", "euro", "summary"]
