"""The assistant's section of a region pack (`assistant.yaml`), validated at load.

The pack loader keeps the section as a free-form dict; `load_config` checks it against
these models and against the rest of the pack (profile codes, laws, life domains), and
raises `AssistantConfigError` with a Dutch message that names every broken entry.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from etalage.assistant.text import phrase_key
from etalage.region.model import RegionPack

# The answers of docs/region-pack.md#input that can be asked as a follow-up question.
QUESTION_KEYS = (
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


class AssistantConfigError(Exception):
    """The assistant section of a region pack is missing or broken (Dutch message)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignalWeights(_Strict):
    specialist: int = Field(ge=0)
    other: int = Field(ge=0)


class Thresholds(_Strict):
    severe_max_score: int = Field(ge=1, le=5)
    affected_max_score: int = Field(ge=1, le=5)
    c_n_severe_min: int = Field(ge=1)
    c_failed_care_n_severe_min: int = Field(ge=0)
    a_n_severe_max: int = Field(ge=0)
    a_n_affected_max: int = Field(ge=0)
    zwaar_n_severe_min: int = Field(ge=1)
    zwaar_n_affected_min: int = Field(ge=1)
    midden_n_severe_min: int = Field(ge=1)
    midden_n_affected_min: int = Field(ge=1)
    domain_hint_max_score: int = Field(ge=1, le=5)


class AdultAutism(_Strict):
    law: str
    signal: str
    profile: str
    with_profile_signalled: str
    then_profile: str


class SpecialCases(_Strict):
    adult_autism: AdultAutism | None = None
    only_need_profiles: tuple[str, ...] = ()


class CrisisContact(_Strict):
    key: str
    name: str
    phone: str
    when: str


class Crisis(_Strict):
    contacts: tuple[CrisisContact, ...] = Field(min_length=1)
    instructions: tuple[str, ...] = Field(min_length=1)
    message: str
    # Shown when the text touches danger without deciding it (the safety question first).
    doubt_message: str = (
        "Uw tekst raakt aan iets wat gevaarlijk kan zijn. Is iemand nu in gevaar? Bel dan"
        " meteen. Hieronder staat wie u kunt bellen."
    )
    first_contact: dict[str, str] = Field(default_factory=dict)
    signals: dict[str, tuple[str, ...]] = Field(min_length=1)
    exclusions: tuple[str, ...] = ()


class TimeMarkers(_Strict):
    past: tuple[str, ...]
    present: tuple[str, ...] = ()


class Negation(_Strict):
    words: tuple[str, ...] = Field(min_length=1)
    window: int = Field(ge=1, le=10)
    short_scope: dict[str, int] = Field(default_factory=dict)
    after_words: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    breaks: tuple[str, ...] = ()
    transparent: tuple[str, ...] = ()


class DurationHints(_Strict):
    long_term: tuple[str, ...]
    temporary: tuple[str, ...]


class ResidentialHints(_Strict):
    phrases: tuple[str, ...]
    exclusions: tuple[str, ...] = ()


class Lexicon(_Strict):
    max_gap: int = Field(default=2, ge=0, le=5)
    same_signal: tuple[tuple[str, ...], ...] = ()
    synonyms: dict[str, str] = Field(default_factory=dict)
    token_equivalents: dict[str, str] = Field(default_factory=dict)
    fuzzy_blocklist: tuple[str, ...] = ()
    compound_blocklist: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    optional_words: tuple[str, ...] = ()


class Question(_Strict):
    question: str = Field(min_length=1)
    help: str = ""


class AnswerLabels(_Strict):
    yes: str
    no: str
    temporary: str
    long_term: str


class ZrmChoice(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    score: int = Field(ge=1, le=5)


class AssistantConfig(_Strict):
    version: Literal[1]
    signal_weights: SignalWeights
    thresholds: Thresholds
    duurzaam_profiles: tuple[str, ...]
    special_cases: SpecialCases = SpecialCases()
    crisis: Crisis
    time_markers: TimeMarkers
    negation: Negation
    law_hints: dict[str, tuple[str, ...]]
    age_patterns: tuple[str, ...]
    duration_hints: DurationHints
    residential_hints: ResidentialHints
    life_domain_hints: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    lexicon: Lexicon = Lexicon()
    questions: dict[str, Question]
    answer_labels: AnswerLabels
    zrm_choices: tuple[ZrmChoice, ...] = Field(min_length=2)
    next_steps: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("age_patterns")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(
                    f"'{pattern}' is geen geldige reguliere expressie: {exc}"
                ) from None
            if "age" not in compiled.groupindex:
                raise ValueError(f"'{pattern}' heeft geen groep met de naam 'age'")
        return value


# ---------------------------------------------------------------------------- loading

_DUTCH: dict[str, str] = {
    "missing": "ontbreekt",
    "extra_forbidden": "is geen bekend veld",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "dict_type": "moet een lijst van sleutels en waarden zijn",
    "model_type": "moet een lijst van sleutels en waarden zijn",
    "tuple_type": "moet een lijst zijn",
    "list_type": "moet een lijst zijn",
    "too_short": "is te kort of leeg",
    "greater_than_equal": "moet {ge} of meer zijn",
    "less_than_equal": "moet {le} of minder zijn",
    "literal_error": "moet een van deze waarden zijn: {expected}",
    "string_pattern_mismatch": "heeft een ongeldige vorm (verwacht: {pattern})",
}


def _message(err: Any) -> str:
    ctx = err.get("ctx") or {}
    if err["type"] == "value_error" and "error" in ctx:
        return str(ctx["error"])
    template = _DUTCH.get(err["type"], str(err["msg"]))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def load_config(pack: RegionPack) -> AssistantConfig:
    """The validated assistant section of `pack`; AssistantConfigError when broken."""
    where = f"Regiopakket '{pack.code}', assistant.yaml"
    if not pack.assistant:
        raise AssistantConfigError(
            f"{where}: ontbreekt. De hulpwijzer heeft regels en woorden nodig uit "
            "assistant.yaml in de map van het regiopakket."
        )
    try:
        config = AssistantConfig.model_validate(pack.assistant)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"])
            problems.append(f"'{loc}' {_message(err)}" if loc else _message(err))
        raise AssistantConfigError(f"{where} is ongeldig: " + "; ".join(problems)) from None
    problems = _cross_check(pack, config)
    if problems:
        raise AssistantConfigError(f"{where} is ongeldig: " + "; ".join(problems))
    return config


def pack_signals(pack: RegionPack) -> set[str]:
    """Every profile signal of the pack, as a phrase key."""
    return {phrase_key(s) for p in pack.profiles for s in (*p.specialist_signals, *p.other_signals)}


def _cross_check(pack: RegionPack, config: AssistantConfig) -> list[str]:
    errors: list[str] = []
    profiles = {p.code: p for p in pack.profiles}
    laws = {x.code for x in pack.laws}
    domains = {d.code for d in pack.life_domains}
    segments = {s.code for s in pack.segments}
    signals = pack_signals(pack)
    variants = {phrase_key(v) for v in pack.spelling_variants}

    for code in config.duurzaam_profiles:
        if code not in profiles:
            errors.append(f"'duurzaam_profiles' noemt onbekend profiel '{code}'")
    autism = config.special_cases.adult_autism
    if autism is not None:
        if autism.law not in laws:
            errors.append(f"'special_cases.adult_autism.law': onbekende wet '{autism.law}'")
        for field in ("profile", "with_profile_signalled", "then_profile"):
            code = getattr(autism, field)
            if code not in profiles:
                errors.append(f"'special_cases.adult_autism.{field}': onbekend profiel '{code}'")
            elif profiles[code].law != autism.law:
                errors.append(
                    f"'special_cases.adult_autism.{field}': profiel '{code}' hoort niet bij"
                    f" wet '{autism.law}'"
                )
        if phrase_key(autism.signal) not in signals:
            errors.append(
                f"'special_cases.adult_autism.signal': '{autism.signal}' is geen signaal van"
                " een profiel"
            )
    for code in config.special_cases.only_need_profiles:
        if code not in profiles:
            errors.append(f"'special_cases.only_need_profiles' noemt onbekend profiel '{code}'")

    contact_keys = [c.key for c in config.crisis.contacts]
    if len(set(contact_keys)) != len(contact_keys):
        errors.append("'crisis.contacts': een sleutel (key) komt twee keer voor")
    kinds = set(config.crisis.signals) | {"acute_safety"}
    for kind, key in config.crisis.first_contact.items():
        if kind not in kinds:
            errors.append(f"'crisis.first_contact' noemt onbekende soort signaal '{kind}'")
        if key not in contact_keys:
            errors.append(f"'crisis.first_contact.{kind}' noemt onbekend contact '{key}'")
    for kind, phrases in config.crisis.signals.items():
        if not phrases:
            errors.append(f"'crisis.signals.{kind}' is leeg")

    for law in config.law_hints:
        if law not in laws:
            errors.append(f"'law_hints' noemt onbekende wet '{law}'")
    for domain in config.life_domain_hints:
        if domain not in domains:
            errors.append(f"'life_domain_hints' noemt onbekend levensdomein '{domain}'")

    for variant, target in config.lexicon.synonyms.items():
        if phrase_key(target) not in signals:
            errors.append(
                f"'lexicon.synonyms': '{variant}' wijst naar '{target}', maar dat is geen"
                " signaal van een profiel"
            )
    weights: dict[str, dict[str, str]] = {}  # signal -> profile -> specialist/other
    for profile in pack.profiles:
        for kind, items in (
            ("specialist", profile.specialist_signals),
            ("other", profile.other_signals),
        ):
            for item in items:
                weights.setdefault(phrase_key(item), {})[profile.code] = kind
    for group in config.lexicon.same_signal:
        known = [t for t in group if phrase_key(t) in signals or phrase_key(t) in variants]
        if len(known) < 1:
            errors.append(
                f"'lexicon.same_signal': de groep {list(group)} bevat geen signaal van een profiel"
            )
        seen: dict[str, set[str]] = {}
        for term in group:
            for code, kind in weights.get(phrase_key(term), {}).items():
                seen.setdefault(code, set()).add(kind)
        for code, kinds in sorted(seen.items()):
            if len(kinds) > 1:
                errors.append(
                    f"'lexicon.same_signal': de groep {list(group)} mengt specialistische en"
                    f" andere signalen van profiel '{code}'"
                )
    for word, target in config.lexicon.token_equivalents.items():
        if " " in word.strip() or " " in target.strip():
            errors.append(f"'lexicon.token_equivalents': '{word}' moet één woord zijn")

    for key in QUESTION_KEYS:
        if key not in config.questions:
            errors.append(f"'questions.{key}' ontbreekt")
    for key in config.questions:
        if key not in QUESTION_KEYS:
            errors.append(f"'questions' noemt onbekende vraag '{key}'")
    choice_keys = [c.key for c in config.zrm_choices]
    if len(set(choice_keys)) != len(choice_keys):
        errors.append("'zrm_choices': een sleutel (key) komt twee keer voor")
    for key in config.next_steps:
        if key != "crisis" and key not in segments:
            errors.append(f"'next_steps' noemt onbekende route '{key}'")
    return errors
