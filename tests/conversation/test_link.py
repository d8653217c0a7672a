"""A link that reopens the same advice (etalage.conversation.link): answers in it, the
free text only when chosen, signed, and refused when changed."""

from __future__ import annotations

import pytest
from conversation_talk import Talk

from etalage.conversation import Guide
from etalage.conversation.link import AdviceLink, advice_tokens, same_advice
from etalage.conversation.turn import take_turn

AUTISM = "Mijn zoon van 10 heeft autisme en loopt vast op school, hij zit thuis."
SECRET_WORDS = "zit thuis"


def _advised(talk: Talk, until: str | None = None) -> None:
    """Tell the story and answer whatever is asked, as a person would, up to `until`
    (None: the advice)."""
    talk.tell(AUTISM)
    for _ in range(10):
        asked = talk.asked
        if asked == until:
            return
        if asked == "life_domains":
            talk.answer(asked, ontwikkeling="lukt_niet", school_dagbesteding="lukt_soms_niet")
        elif asked == "duration":
            talk.answer(asked, typed="een paar maanden")
        elif asked == "postcode":
            talk.answer(asked, typed="1621 ab")
        else:
            talk.answer(asked, typed="nee")
    assert until is not None or (talk.last is not None and talk.last.turn.step == "advice")


def test_a_link_without_the_text_gives_the_same_advice(talk: Talk, guide: Guide) -> None:
    _advised(talk)
    assert talk.conversation is not None and talk.last is not None
    advice = talk.last.turn.advice
    link = AdviceLink("geheim")
    tokens = advice_tokens(guide, link, talk.conversation, advice)
    assert tokens["plain"] and tokens["with_text"]
    plain = link.load(tokens["plain"])
    assert plain is not None and plain.text == ""  # nobody's own words in it
    assert SECRET_WORDS not in tokens["plain"]  # (compressed, but not the words either)
    assert all(not step.said for step in plain.steps)
    again = take_turn(guide, plain).advice
    assert again is not None and advice is not None and same_advice(again, advice)
    assert [m.record.kvk for m in again.providers] == [m.record.kvk for m in advice.providers]
    with_text = link.load(tokens["with_text"])
    assert with_text is not None and with_text.text == AUTISM


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
        lambda t: t.replace("l1.", "l1.x", 1),  # the payload
        lambda t: "l2." + t[3:],  # another version
        lambda t: t[: len(t) // 2],  # cut off while copying
        lambda t: "",
        lambda t: "x" * 7000,
    ],
)
def test_a_changed_link_is_refused(talk: Talk, guide: Guide, change: object) -> None:
    _advised(talk)
    assert talk.conversation is not None and talk.last is not None
    link = AdviceLink("geheim")
    token = advice_tokens(guide, link, talk.conversation, talk.last.turn.advice)["plain"]
    assert token is not None
    assert link.load(change(token)) is None  # type: ignore[operator]
    assert AdviceLink("een ander geheim").load(token) is None


def test_a_crisis_gets_no_link(talk: Talk, guide: Guide) -> None:
    talk.tell("Mijn vriend slaat me en ik durf niet naar huis.")
    assert talk.conversation is not None and talk.last is not None
    advice = talk.last.turn.advice
    assert advice is not None and advice.crisis is not None
    tokens = advice_tokens(guide, AdviceLink("geheim"), talk.conversation, advice)
    assert tokens == {"plain": None, "with_text": None}


def test_a_postcode_outside_the_region_is_said_so(talk: Talk) -> None:
    _advised(talk, until="postcode")
    assert talk.asked == "postcode"
    outcome = talk.answer("postcode", typed="1011 AB")  # Amsterdam
    assert outcome.error and "ligt buiten de regio" in outcome.error
    assert talk.asked == "postcode"  # asked again
