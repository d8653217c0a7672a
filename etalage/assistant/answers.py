"""The structured answers (docs/region-pack.md#input) and the validation of an advice request.

`parse_request(pack, payload)` checks a request body `{"text": ..., "answers": {...}}`
(docs/http-api.md#request) and returns the text and `Answers`, or raises `AdviceInputError` with
one `FieldError` per problem, each naming the field ("answers.age",
"answers.life_domains.financien", "text") with a Dutch message. The HTTP layer turns it
into a 400. `null` means "not answered" for every answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from etalage.region.model import RegionPack

Duration = Literal["temporary", "long_term"]
Mode = Literal["inwoner", "professional"]

MAX_TEXT_CHARS = 10_000  # a hulpvraag, even a GP letter, fits easily
# The longest Dutch word in real use is about 35 letters ("kindermishandelingsprotocollen");
# a longer "word" is pasted noise or an attack, and reading it costs time for nothing.
MAX_WORD_CHARS = 60
MAX_ERRORS = 20  # an invalid request is answered with at most this many messages
_LONG_WORD = re.compile(rf"[^\W_]{{{MAX_WORD_CHARS + 1},}}")
MAX_AGE = 120
ANSWER_KEYS = (
    "age",
    "acute_safety",
    "life_domains",
    "network_support",
    "residential_care_needed",
    "duration",
    "previous_care_failed",
    "postcode",
)
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})?\s*$")
_TRUE = {"true", "ja", "1", "yes"}
_FALSE = {"false", "nee", "0", "no"}


@dataclass(frozen=True)
class Answers:
    """What the person answered; None (or an empty map) means: not answered."""

    age: int | None = None
    acute_safety: bool | None = None
    life_domains: Mapping[str, int] = field(default_factory=dict)
    network_support: bool | None = None
    residential_care_needed: bool | None = None
    duration: Duration | None = None
    previous_care_failed: bool | None = None
    postcode: str | None = None  # "1621AB" or "1621"

    @property
    def pc4(self) -> str | None:
        return self.postcode[:4] if self.postcode else None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ANSWER_KEYS:
            value = getattr(self, key)
            if value is None or (key == "life_domains" and not value):
                continue
            out[key] = dict(value) if key == "life_domains" else value
        return out


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class AdviceInputError(ValueError):
    """Invalid advice input; `errors` name the fields (Dutch messages)."""

    def __init__(self, errors: list[FieldError]) -> None:
        if len(errors) > MAX_ERRORS:
            rest = len(errors) - (MAX_ERRORS - 1)
            errors = [
                *errors[: MAX_ERRORS - 1],
                FieldError("answers", f"En nog {rest} fouten. We tonen er hooguit {MAX_ERRORS}."),
            ]
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


@dataclass(frozen=True)
class AdviceRequest:
    text: str
    answers: Answers
    mode: Mode | None = None


def parse_request(pack: RegionPack, payload: Any) -> AdviceRequest:
    """Validate a request body; AdviceInputError names every invalid field."""
    errors: list[FieldError] = []
    if not isinstance(payload, Mapping):
        raise AdviceInputError(
            [FieldError("body", "Stuur een JSON-object met 'text' en 'answers'.")]
        )
    for key in payload:
        if len(errors) > MAX_ERRORS:
            break
        if key not in ("text", "answers", "mode"):
            errors.append(FieldError(str(key)[:80], "Dit veld kennen we niet."))
    text = payload.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        errors.append(FieldError("text", "De hulpvraag moet tekst zijn."))
        text = ""
    else:
        errors.extend(check_text(text))
    mode = payload.get("mode")
    if mode is not None and mode not in ("inwoner", "professional"):
        errors.append(FieldError("mode", "Kies 'inwoner' of 'professional'."))
        mode = None
    raw_answers = payload.get("answers")
    answers = Answers()
    if raw_answers is None:
        raw_answers = {}
    if not isinstance(raw_answers, Mapping):
        errors.append(FieldError("answers", "De antwoorden moeten een JSON-object zijn."))
    else:
        try:
            answers = parse_answers(pack, raw_answers)
        except AdviceInputError as exc:
            errors.extend(exc.errors)
    if not errors and not text.strip() and not answers.as_dict():
        errors.append(
            FieldError(
                "text", "Vertel in een paar woorden waar u hulp bij zoekt, of geef antwoorden."
            )
        )
    if errors:
        raise AdviceInputError(errors)
    return AdviceRequest(text=text, answers=answers, mode=cast(Mode | None, mode))


def check_text(text: str) -> list[FieldError]:
    if len(text) > MAX_TEXT_CHARS:
        return [
            FieldError(
                "text",
                f"De tekst is te lang ({len(text)} tekens). Gebruik hooguit {MAX_TEXT_CHARS}"
                " tekens.",
            )
        ]
    if "\x00" in text:
        return [FieldError("text", "De tekst bevat een ongeldig teken.")]
    if _LONG_WORD.search(text):
        return [
            FieldError(
                "text",
                f"Een woord in de tekst is te lang: gebruik hooguit {MAX_WORD_CHARS} letters per"
                " woord, met spaties tussen de woorden.",
            )
        ]
    return []


def parse_answers(pack: RegionPack, raw: Mapping[str, Any]) -> Answers:
    """Answers from a JSON object; AdviceInputError names every invalid answer."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for key in raw:
        if len(errors) > MAX_ERRORS:
            break
        if key not in ANSWER_KEYS:
            errors.append(
                FieldError(
                    f"answers.{str(key)[:80]}",
                    "Deze vraag kennen we niet. Bekende vragen: " + ", ".join(ANSWER_KEYS) + ".",
                )
            )

    def err(key: str, message: str) -> None:
        errors.append(FieldError(f"answers.{key}", message))

    age = raw.get("age")
    if age is not None:
        parsed = _int(age)
        if parsed is None:
            err("age", "De leeftijd moet een heel getal zijn, bijvoorbeeld 12.")
        elif not 0 <= parsed <= MAX_AGE:
            err("age", f"De leeftijd moet tussen 0 en {MAX_AGE} jaar liggen.")
        else:
            values["age"] = parsed

    for key in (
        "acute_safety",
        "network_support",
        "residential_care_needed",
        "previous_care_failed",
    ):
        value = raw.get(key)
        if value is None:
            continue
        parsed_bool = _bool(value)
        if parsed_bool is None:
            err(key, "Kies ja (true) of nee (false).")
        else:
            values[key] = parsed_bool

    duration = raw.get("duration")
    if duration is not None:
        if duration in ("temporary", "long_term"):
            values["duration"] = duration
        else:
            err("duration", "Kies 'temporary' (voor een tijdje) of 'long_term' (blijvend).")

    postcode = raw.get("postcode")
    if postcode is not None:
        postcode_match = _POSTCODE.match(postcode) if isinstance(postcode, str) else None
        if postcode_match is None:
            err("postcode", "Vul een Nederlandse postcode in, bijvoorbeeld 1621 AB.")
        else:
            values["postcode"] = postcode_match.group(1) + (postcode_match.group(2) or "").upper()

    domains = raw.get("life_domains")
    if domains is not None:
        if not isinstance(domains, Mapping):
            err("life_domains", "Geef per levensdomein een score van 1 tot en met 5.")
        else:
            values["life_domains"] = _domains(pack, domains, values.get("age"), errors)

    if errors:
        raise AdviceInputError(errors)
    return Answers(**values)


def _domains(
    pack: RegionPack, raw: Mapping[str, Any], age: int | None, errors: list[FieldError]
) -> dict[str, int]:
    known = {d.code: d for d in pack.life_domains}
    adult_from = min((x.age_min for x in pack.laws if x.age_min > 0), default=18)
    out: dict[str, int] = {}
    for code, score in raw.items():
        if len(errors) > MAX_ERRORS:
            errors.append(FieldError("answers.life_domains", "Te veel fouten."))
            break  # AdviceInputError shows at most MAX_ERRORS; the rest need not be built
        where = f"answers.life_domains.{str(code)[:80]}"
        domain = known.get(str(code))
        if domain is None:
            errors.append(
                FieldError(where, "Dit levensdomein kennen we niet. Bekend: " + ", ".join(known))
            )
            continue
        if score is None:
            continue
        parsed = _int(score)
        if parsed is None or not 1 <= parsed <= 5:
            errors.append(
                FieldError(
                    where,
                    "De score moet 1, 2, 3, 4 of 5 zijn (1 = acuut probleem, 5 = gaat helemaal"
                    " zelfstandig).",
                )
            )
            continue
        if domain.youth_only and age is not None and age >= adult_from:
            errors.append(
                FieldError(where, f"'{domain.name}' geldt alleen voor jongeren onder {adult_from}.")
            )
            continue
        out[domain.code] = parsed
    return out


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,4}\s*", value):
        return int(value)
    return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return None
