"""The conversation state and its cookie: transitions, the JSON form, signing, expiry."""

from __future__ import annotations

import random

import pytest

from etalage.conversation import (
    TEXT_KEY,
    Conversation,
    ConversationCookie,
    ConversationTooLarge,
    Step,
    TurnMark,
)


def test_answers_keep_their_place_and_editing_ends_with_an_answer() -> None:
    conversation = Conversation.new().tell("Hulp.").answer("age", 12).answer("duration", None)
    changed = conversation.edit("age").answer("age", 13, "hij is 13")
    assert changed.steps == (Step("age", 13, "hij is 13"), Step("duration"))
    assert changed.editing is None and changed.answered == {"age", "duration"}
    assert changed.step("age") == Step("age", 13, "hij is 13") and changed.step("postcode") is None


def test_only_what_was_told_can_be_changed() -> None:
    fresh = Conversation.new()
    assert fresh.edit(TEXT_KEY).editing is None  # nothing told yet
    told = fresh.tell("Hulp.").answer("age", 40)
    assert told.edit(TEXT_KEY).editing == TEXT_KEY
    assert told.edit("age").editing == "age"
    assert told.edit("postcode").editing is None  # not answered
    assert told.edit("age").stop_editing().editing is None


def test_restart_forgets_the_story_but_keeps_the_view_and_the_crisis_contacts() -> None:
    conversation = Conversation.new().switch("professional").tell("Hulp.").answer("age", 40)
    restarted = conversation.saw_crisis().restart()
    assert (restarted.text, restarted.steps, restarted.editing) == (None, (), None)
    assert restarted.mode == "professional" and restarted.crisis_seen
    assert restarted.sid != conversation.sid  # a new conversation, the old cookie ends


def test_a_notice_is_gone_after_the_next_step() -> None:
    noticed = Conversation.new().with_notice("Uw vorige gesprek is gewist.")
    assert noticed.tell("Hulp.").notice == ""
    assert noticed.switch("professional").notice == ""


def test_json_round_trip_with_and_without_the_turn_mark() -> None:
    conversation = (
        Conversation.new()
        .tell("Mijn zoon heeft autisme.")
        .answer("life_domains", {"ontwikkeling": 2})
        .answer("previous_care_failed", None, "weet ik niet, hij was nog klein")
        .edit("life_domains")
        .saw_crisis()
    )
    data = conversation.as_json()
    assert "turn" not in data  # without a mark: the cookie's form of before the mark
    assert Conversation.from_json(data) == conversation
    marked = conversation.marked(TurnMark("life_domains", crisis=True))
    assert marked.as_json()["turn"] == ["life_domains", True]
    assert Conversation.from_json(marked.as_json()) == marked


@pytest.mark.parametrize(
    "change",
    [
        {"mode": "beheerder"},
        {"sid": ""},
        {"text": 12},
        {"steps": [["hobby", 1, ""]]},
        {"steps": [["age", 12, None]]},
        {"editing": "hobby"},
        {"turn": ["hobby", False]},
        {"turn": ["age", "ja"]},
    ],
)
def test_from_json_refuses_anything_unexpected(change: dict[str, object]) -> None:
    data = {**Conversation.new().tell("Hulp.").as_json(), **change}
    with pytest.raises(ValueError):
        Conversation.from_json(data)


# ---------------------------------------------------------------------------- the cookie


def test_the_cookie_round_trip(codec: ConversationCookie) -> None:
    conversation = Conversation.new().tell("Hulp.").answer("age", 12).marked(TurnMark("duration"))
    value = codec.dump(conversation)
    assert value.startswith("v2.")
    assert codec.load(value).conversation == conversation
    assert "Hulp" not in value and codec.dump(conversation) != value  # encrypted, fresh nonce


def test_a_changed_or_foreign_cookie_is_ignored(codec: ConversationCookie) -> None:
    value = codec.dump(Conversation.new().tell("Hulp."))
    version, payload = value.split(".")
    flipped = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    for wrong in (f"{version}.{flipped}", f"{version}.{payload}x", f"v1.{payload}", "rommel", ""):
        loaded = codec.load(wrong)
        assert loaded.conversation is None and not loaded.expired
    assert ConversationCookie("ander geheim").load(value).conversation is None


def test_a_conversation_started_over_cannot_come_back(codec: ConversationCookie) -> None:
    told = Conversation.new().tell("Mijn persoonlijke verhaal.")
    old_cookie = codec.dump(told)
    restarted = told.restart()
    codec.end(told)  # what a "Begin opnieuw" step does (steps._checked)
    assert codec.load(old_cookie).conversation is None
    assert codec.load(codec.dump(restarted)).conversation == restarted


def test_a_cookie_expires_half_an_hour_after_the_last_step() -> None:
    now = [1_000_000.0]
    codec = ConversationCookie("geheim", now=lambda: now[0])
    value = codec.dump(Conversation.new().tell("Hulp."))
    now[0] += 30 * 60 - 1
    assert codec.load(value).conversation is not None
    now[0] += 1
    loaded = codec.load(value)
    assert loaded.conversation is None and loaded.expired


def test_the_csrf_token_belongs_to_one_conversation(codec: ConversationCookie) -> None:
    mine, other = Conversation.new(), Conversation.new()
    assert codec.check_token(mine, codec.token(mine))
    assert codec.check_token(mine.tell("Hulp."), codec.token(mine))  # the sid stays
    assert not codec.check_token(mine, codec.token(other))
    assert not codec.check_token(None, codec.token(mine))
    assert not codec.check_token(mine, "") and not codec.check_token(mine, None)


def _story(n: int) -> str:
    rng = random.Random(7)
    return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(n))  # incompressible


def test_a_conversation_too_large_for_the_cookie(codec: ConversationCookie) -> None:
    too_large = Conversation.new().tell(_story(1900))
    assert not codec.fits(too_large)
    with pytest.raises(ConversationTooLarge):
        codec.dump(too_large)


def test_the_turn_mark_is_left_out_when_only_it_does_not_fit(codec: ConversationCookie) -> None:
    mark = TurnMark("residential_care_needed", crisis=False)
    for n in range(900, 1300):
        conversation = Conversation.new().tell(_story(n)).marked(mark)
        if not codec.fits(conversation):
            pytest.fail("no story length where only the mark is too much")
        loaded = codec.load(codec.dump(conversation)).conversation
        assert loaded is not None and loaded.text == conversation.text
        if loaded.last_turn is None:  # it fits, but without the mark
            return
        assert loaded.last_turn == mark
    pytest.fail("the stories never came near the cookie's limit")
