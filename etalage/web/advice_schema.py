"""The OpenAPI description of the advice API (`POST /api/v1/assistant/advice`).

The answer types (`Advies` and its parts) are TypedDicts, so the document lists every
field of `Advice.as_dict()` (docs/http-api.md#hulpwijzer-advice). The request body is
read and checked by `parse_request`, not by the framework; `AdviceOperation` still documents it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from litestar.openapi import ResponseSpec
from litestar.openapi.spec import (
    Example,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from etalage.assistant.answers import MAX_AGE, MAX_TEXT_CHARS
from etalage.web.api import ApiFout

API_MAX_BODY_BYTES = 256 * 1024  # room for a too-long text, so its 400 names `text`


class ApiFouten(TypedDict):
    """Every invalid field: `parameter` is the first, `fouten` lists them all."""

    detail: str
    parameter: str
    fouten: list[ApiFout]


class AdviesProfiel(TypedDict):
    code: str
    name: str


# Optional keys through `total=False` subclasses: with postponed annotations, NotRequired
# is not seen by TypedDict and the OpenAPI document would call them required.


class _AdviesOptie(TypedDict):
    value: Any
    label: str


class AdviesOptie(_AdviesOptie, total=False):
    description: str


class _AdviesVervolgvraag(TypedDict):
    key: str
    question: str


class AdviesVervolgvraag(_AdviesVervolgvraag, total=False):
    help: str
    reason: str
    options: list[AdviesOptie]
    domains: list[AdviesOptie]


class CrisisContact(TypedDict):
    key: str
    name: str
    phone: str
    when: str


class AdviesCrisis(TypedDict):
    confirmed: bool  # false: the text touches danger; the safety question comes first
    message: str
    kinds: list[str]
    contacts: list[CrisisContact]
    instructions: list[str]


class AdviesAanbieder(TypedDict):
    kvk: str
    naam: str
    slug: str
    reasons: list[str]
    expertise: list[str]
    wachttijd_weken: int | None
    wachttijd_verouderd: bool
    afstand_km: float | None


class Wijkteam(TypedDict):
    gemeente: str
    name: str
    phone: str
    email: str
    url: str
    hours: str
    is_example: bool


class EersteHulp(TypedDict):
    """Voorliggend veld first (docs/http-api.md#first-help)."""

    reason: Literal["segment_a", "treeknorm"]
    message: str
    wijkteam: Wijkteam | None
    example_notice: str | None
    providers: list[AdviesAanbieder]


class _Advies(TypedDict):
    route: Literal["crisis", "A", "B", "C"]
    law: str | None
    profile: AdviesProfiel | None
    intensity: str | None
    trajectory: str | None
    explanation: list[str]
    follow_up_questions: list[AdviesVervolgvraag]
    crisis: AdviesCrisis | None
    providers: list[AdviesAanbieder]
    providers_total: int
    first_help: EersteHulp | None
    next_steps: list[str]
    mode: Literal["inwoner", "professional"]


class Advies(_Advies, total=False):
    """docs/http-api.md#hulpwijzer-advice; `professional` only in the professional mode."""

    professional: dict[str, Any]


def _bool(description: str) -> Schema:
    return Schema(type=[OpenAPIType.BOOLEAN, OpenAPIType.NULL], description=description)


ADVICE_REQUEST_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    additional_properties=False,
    description="Een hulpvraag en de antwoorden die er al zijn. Alles is optioneel, maar"
    " geef een tekst of ten minste één antwoord.",
    properties={
        "text": Schema(
            type=[OpenAPIType.STRING, OpenAPIType.NULL],
            max_length=MAX_TEXT_CHARS,
            description="De hulpvraag in eigen woorden (van de inwoner of de professional).",
        ),
        "answers": Schema(
            type=[OpenAPIType.OBJECT, OpenAPIType.NULL],
            additional_properties=False,
            description="Antwoorden op vragen; `null` of weglaten betekent: niet beantwoord."
            " Antwoorden gaan altijd voor wat uit de tekst wordt gelezen.",
            properties={
                "age": Schema(
                    type=[OpenAPIType.INTEGER, OpenAPIType.NULL],
                    minimum=0,
                    maximum=MAX_AGE,
                    description="Leeftijd in jaren van wie de hulp nodig heeft.",
                ),
                "acute_safety": _bool("Is iemand op dit moment in gevaar?"),
                "life_domains": Schema(
                    type=[OpenAPIType.OBJECT, OpenAPIType.NULL],
                    additional_properties=Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=5),
                    description="Per levensdomein (code uit het regiopakket, bv. `financien`)"
                    " een ZRM-score: 1 = acuut probleem, 2 = niet zelfredzaam, 3 = beperkt,"
                    " 4 = voldoende, 5 = helemaal zelfredzaam.",
                ),
                "network_support": _bool("Kunnen familie, vrienden of buren helpen?"),
                "residential_care_needed": _bool("Is zorg met verblijf buiten huis nodig?"),
                "duration": Schema(
                    type=[OpenAPIType.STRING, OpenAPIType.NULL],
                    enum=["temporary", "long_term", None],
                    description="`temporary` (voor een tijdje) of `long_term` (blijvend).",
                ),
                "previous_care_failed": _bool("Stopte eerdere hulp zonder resultaat?"),
                "postcode": Schema(
                    type=[OpenAPIType.STRING, OpenAPIType.NULL],
                    description="Postcode, bv. `1621 AB` of `1621`: aanbieders dichtbij eerst.",
                ),
            },
        ),
        "mode": Schema(
            type=[OpenAPIType.STRING, OpenAPIType.NULL],
            enum=["inwoner", "professional", None],
            description="`inwoner` (standaard): eenvoudige taal, geen codes en tarieven."
            " `professional`: met codes, het indicatieve tarief, alle regels en een"
            " samenvatting voor het perspectiefplan (onder `professional`).",
        ),
    },
)

ADVICE_REQUEST_BODY = RequestBody(
    required=True,
    description="De hulpvraag en de antwoorden.",
    content={
        "application/json": OpenAPIMediaType(
            schema=ADVICE_REQUEST_SCHEMA,
            examples={
                "tekst-en-antwoorden": Example(
                    summary="Een ouder over een kind met autisme",
                    value={
                        "text": "Mijn zoon van 12 heeft autisme en loopt vast op school.",
                        "answers": {
                            "life_domains": {"school_dagbesteding": 2, "ontwikkeling": 3},
                            "postcode": "1621 AB",
                        },
                    },
                ),
                "alleen-antwoorden": Example(
                    summary="Alleen antwoorden, geen tekst",
                    value={"text": "", "answers": {"age": 80, "network_support": True}},
                ),
            },
        )
    },
)


@dataclass
class AdviceOperation(Operation):
    """The advice body is read and checked by `parse_request` (so every 400 names the
    field in Dutch), not by the framework; the OpenAPI document still describes it."""

    def __post_init__(self) -> None:
        self.request_body = ADVICE_REQUEST_BODY


ADVICE_SUMMARY = "Advies van de hulpwijzer"
ADVICE_RESPONSE_DESCRIPTION = (
    "Het advies: route, wet, profiel, intensiteit, traject, uitleg,"
    " vervolgvragen, crisiscontacten en passende aanbieders."
)
ADVICE_RESPONSES = {
    400: ResponseSpec(
        data_container=ApiFouten,
        description="Ongeldige invoer; `parameter` noemt het (eerste) veld, bv."
        " `answers.age` of `answers.life_domains.financien`.",
        generate_examples=False,
    ),
    403: ResponseSpec(
        data_container=ApiFout,
        description="`mode: professional` vraagt een token van toegang of beheer.",
        generate_examples=False,
    ),
    404: ResponseSpec(
        data_container=ApiFout,
        description="Deze regio heeft (nog) geen hulpwijzer.",
        generate_examples=False,
    ),
    413: ResponseSpec(
        data_container=ApiFout,
        description=f"Het verzoek is groter dan {API_MAX_BODY_BYTES // 1024} kB.",
        generate_examples=False,
    ),
}
ADVICE_DESCRIPTION = (
    "De hulpwijzer leest de hulpvraag (vrije tekst, ook met typfouten) en de antwoorden,"
    " past de beslisregels van de regio toe en geeft een uitgelegd advies:"
    " `route` (`crisis`, `A`, `B` of `C`), `law`, `profile`, `intensity`, `trajectory`,"
    " `explanation` (welke regel op welk antwoord of welke woorden),"
    " `follow_up_questions` (wat nog gevraagd moet worden; wat nog niet te bepalen is,"
    " is `null`), `crisis` (bij crisis: wie u direct belt en wat u doet) en `providers`"
    " (gecontracteerde aanbieders die passen, elk met redenen). Bij crisis staan de"
    " crisiscontacten altijd in het antwoord, wat er verder ook is ingevuld, met"
    " `confirmed: true`. Raakt de tekst aan gevaar zonder het te beslissen, dan staan de"
    " contacten er ook, met `confirmed: false`, de gewone route, en is de eerste"
    " vervolgvraag `acute_safety`. Ongeldige invoer (een score van 7, een onbekend"
    " levensdomein, een negatieve leeftijd, een te lange tekst of een woord van meer dan"
    " 60 letters, geen JSON-object, onbekende velden) geeft 400 met het veld in"
    " `parameter`, met hooguit 20 meldingen. De tekst en antwoorden worden niet bewaard"
    " en niet gelogd."
)


__all__ = [
    "ADVICE_DESCRIPTION",
    "ADVICE_REQUEST_BODY",
    "ADVICE_REQUEST_SCHEMA",
    "ADVICE_RESPONSES",
    "ADVICE_RESPONSE_DESCRIPTION",
    "ADVICE_SUMMARY",
    "API_MAX_BODY_BYTES",
    "AdviceOperation",
    "Advies",
    "ApiFouten",
]
