"""Input validation of an advice request: every error names its field, in Dutch."""

from __future__ import annotations

from typing import Any

import pytest

from etalage.assistant import AdviceInputError, Answers, advise, parse_request
from etalage.assistant.answers import MAX_TEXT_CHARS
from etalage.region import RegionPack


def errors_of(pack: RegionPack, payload: Any) -> dict[str, str]:
    with pytest.raises(AdviceInputError) as exc:
        parse_request(pack, payload)
    return {e.field: e.message for e in exc.value.errors}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"text": "x", "answers": {"life_domains": {"financien": 7}}},
            "answers.life_domains.financien",
        ),
        (
            {"text": "x", "answers": {"life_domains": {"financien": 0}}},
            "answers.life_domains.financien",
        ),
        ({"text": "x", "answers": {"life_domains": {"geluk": 3}}}, "answers.life_domains.geluk"),
        ({"text": "x", "answers": {"life_domains": [3]}}, "answers.life_domains"),
        ({"text": "x", "answers": {"age": -1}}, "answers.age"),
        ({"text": "x", "answers": {"age": 121}}, "answers.age"),
        ({"text": "x", "answers": {"age": "twaalf"}}, "answers.age"),
        ({"text": "x", "answers": {"age": True}}, "answers.age"),
        ({"text": "x", "answers": {"age": 12.5}}, "answers.age"),
        ({"text": "x", "answers": {"acute_safety": "misschien"}}, "answers.acute_safety"),
        ({"text": "x", "answers": {"network_support": 2}}, "answers.network_support"),
        ({"text": "x", "answers": {"duration": "forever"}}, "answers.duration"),
        ({"text": "x", "answers": {"postcode": "AB 1234"}}, "answers.postcode"),
        ({"text": "x", "answers": {"favourite_colour": "blauw"}}, "answers.favourite_colour"),
        ({"text": "x", "answers": "age=12"}, "answers"),
        ({"text": "x" * (100 * 1024)}, "text"),
        ({"text": 12}, "text"),
        ({"text": "x", "extra": 1}, "extra"),
        ({"text": "x", "mode": "admin"}, "mode"),
        ({"text": "   "}, "text"),
        ([1, 2], "body"),
    ],
)
def test_invalid_input_names_the_field(pack: RegionPack, payload: Any, field: str) -> None:
    errors = errors_of(pack, payload)
    assert field in errors, errors
    assert errors[field]  # a Dutch message


def test_messages_are_dutch(pack: RegionPack) -> None:
    errors = errors_of(
        pack, {"text": "x", "answers": {"age": -1, "life_domains": {"financien": 7}}}
    )
    assert "leeftijd" in errors["answers.age"]
    assert "score" in errors["answers.life_domains.financien"]


def test_all_errors_are_reported_together(pack: RegionPack) -> None:
    errors = errors_of(
        pack,
        {
            "text": "x" * (MAX_TEXT_CHARS + 1),
            "answers": {"age": -1, "geluk": 1, "life_domains": {"x": 1}},
        },
    )
    assert set(errors) == {"text", "answers.age", "answers.geluk", "answers.life_domains.x"}


def test_youth_domains_are_not_for_adults(pack: RegionPack) -> None:
    errors = errors_of(
        pack, {"text": "x", "answers": {"age": 30, "life_domains": {"ontwikkeling": 2}}}
    )
    assert "answers.life_domains.ontwikkeling" in errors
    ok = parse_request(
        pack, {"text": "x", "answers": {"age": 8, "life_domains": {"ontwikkeling": 2}}}
    )
    assert ok.answers.life_domains == {"ontwikkeling": 2}


def test_valid_input_is_normalised(pack: RegionPack) -> None:
    request = parse_request(
        pack,
        {
            "text": "Mijn zoon heeft autisme.",
            "answers": {
                "age": "12",
                "acute_safety": None,
                "network_support": "ja",
                "residential_care_needed": False,
                "duration": "long_term",
                "postcode": "1621 ab",
                "life_domains": {"ontwikkeling": 2, "financien": None},
            },
            "mode": "professional",
        },
    )
    assert request.mode == "professional"
    assert request.answers == Answers(
        age=12,
        network_support=True,
        residential_care_needed=False,
        duration="long_term",
        postcode="1621AB",
        life_domains={"ontwikkeling": 2},
    )
    assert request.answers.pc4 == "1621"


def test_text_may_be_empty_when_answers_are_given(pack: RegionPack) -> None:
    request = parse_request(pack, {"answers": {"age": 40}})
    assert request.text == "" and request.answers.age == 40


def test_the_engine_refuses_a_text_that_is_too_long(pack: RegionPack) -> None:
    with pytest.raises(AdviceInputError) as exc:
        advise(pack, "a " * MAX_TEXT_CHARS)
    assert exc.value.errors[0].field == "text"
