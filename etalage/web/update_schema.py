"""The OpenAPI description of what the update API reads (docs/http-api.md#provider-updates)
and of the query parameters' forms.

The handlers read their bodies and parameters themselves (so every 400 is a Dutch
sentence that names the field), not through the framework; these schemas document the
same rules, as strictly as the checks go: whatever a schema here refuses, the handler
refuses too (tests/contract/test_openapi_schemathesis.py generates such requests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi.spec import (
    Example,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from etalage.portal.updates import NOTE_MAX
from etalage.provider import CAPACITY_STATUSES

# Query and path parameters: the forms the checks accept (spaces around a value are
# stripped; an empty value counts as not given).
KVK_PATTERN = r"^\s*[0-9]{8}\s*$"
OPTIONAL_KVK_PATTERN = r"^\s*([0-9]{8})?\s*$"
INTEGER_PATTERN = r"^\s*([0-9]{1,6})?\s*$"
DECIMAL_PATTERN = r"^\s*([0-9]{1,4}([.,][0-9]{1,3})?)?\s*$"
POSTCODE_PATTERN = r"^\s*([1-9][0-9]{3}\s?([A-Za-z]{2})?)?\s*$"
DATE_PATTERN = r"^\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\s*$"


def pattern(regex: str) -> dict[str, Any]:
    """`schema_extra` of a parameter that must match `regex`."""
    return {"pattern": regex}


def _weeks(description: str) -> Schema:
    return Schema(
        one_of=[
            Schema(type=OpenAPIType.INTEGER, minimum=0, maximum=104),
            Schema(type=OpenAPIType.NULL),
        ],
        description=description,
    )


_DATE = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE)

_WAITING = Schema(
    type=OpenAPIType.OBJECT,
    additional_properties=False,
    properties={
        "aanmelden_weken": _weeks("Weken tot het intakegesprek (0..104)."),
        "behandeling_weken": _weeks("Weken van intake tot het begin van de hulp (0..104)."),
        "wachtlijst_aantal": Schema(
            one_of=[Schema(type=OpenAPIType.INTEGER, minimum=0), Schema(type=OpenAPIType.NULL)],
            description="Hoeveel mensen er wachten.",
        ),
        "peildatum": Schema(
            one_of=[_DATE, Schema(type=OpenAPIType.NULL)],
            description="De dag van de meting (jjjj-mm-dd); standaard vandaag, nooit later.",
        ),
    },
    description="Vul minstens `aanmelden_weken` of `behandeling_weken` in.",
)

_CAPACITY = Schema(
    type=OpenAPIType.OBJECT,
    additional_properties=False,
    required=["status"],
    properties={
        "status": Schema(type=OpenAPIType.STRING, enum=list(CAPACITY_STATUSES)),
        "toelichting": Schema(
            one_of=[
                Schema(type=OpenAPIType.STRING, max_length=NOTE_MAX),
                Schema(type=OpenAPIType.NULL),
            ],
            description=f"Uitleg voor verwijzers, hoogstens {NOTE_MAX} tekens.",
        ),
        "geldig_tot": Schema(
            one_of=[_DATE, Schema(type=OpenAPIType.NULL)],
            description="Tot en met deze dag (jjjj-mm-dd), niet in het verleden, hoogstens "
            "twee jaar vooruit.",
        ),
    },
)


def _body(schema: Schema, description: str, example: dict[str, Any]) -> RequestBody:
    return RequestBody(
        required=True,
        description=description,
        content={
            "application/json": OpenAPIMediaType(
                schema=schema, examples={"voorbeeld": Example(value=example)}
            )
        },
    )


WAITING_BODY = _body(
    _WAITING,
    "De nieuwe meting.",
    {"aanmelden_weken": 3, "behandeling_weken": 8, "wachtlijst_aantal": 12},
)
CAPACITY_BODY = _body(
    _CAPACITY,
    "De capaciteit.",
    {
        "status": "wachtlijst",
        "toelichting": "Nieuwe aanmeldingen na de zomer.",
        "geldig_tot": "2027-03-31",
    },
)


@dataclass
class WaitingOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = WAITING_BODY


@dataclass
class CapacityOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = CAPACITY_BODY
