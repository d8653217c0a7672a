"""The conversation step by step, as the page takes it, without HTTP or a database:
the questions in order, going back, errors that change nothing, the messages an htmx
page lacks, and one engine run per answer."""

from __future__ import annotations

import pytest
from conversation_talk import AUTISM, CRISIS, LONELY, PUBER, EngineRuns, Talk

from etalage.conversation import (
    TEXT_KEY,
    Conversation,
    ConversationCookie,
    Guide,
    Loaded,
    Move,
    Reply,
    Step,
    TurnMark,
    settle,
    shown_page,
    start,
    take_step,
    take_turn,
    update,
)
from etalage.conversation.steps import NO_CONVERSATION, STALE_PAGE, TOO_LARGE


def test_from_the_hulpvraag_to_the_providers(talk: Talk) -> None:
    assert talk.tell(AUTISM).error is None
    assert talk.asked == "life_domains"  # age and profile were read from the story
    talk.answer("life_domains", ontwikkeling="lukt_niet", school_dagbesteding="lukt_soms_niet")
    assert talk.asked == "previous_care_failed"
    talk.answer("previous_care_failed", "nee")
    talk.answer("residential_care_needed", typed="nee hoor")
    talk.answer("duration", typed="een paar maanden")
    assert talk.asked == "postcode"
    outcome = talk.answer("postcode", typed="1621 ab")
    turn = outcome.turn
    assert turn.step == "advice" and turn.question is None and turn.advice is not None
    assert turn.advice.profile == {"code": "J4", "name": "Autisme en ontwikkelingsstoornissen"}
    assert [m.record.slug for m in turn.advice.providers] == ["de-kleine-haven"]
    assert turn.engine_answers.postcode == "1621AB" and turn.engine_answers.duration == "temporary"
    assert [line.label for line in turn.answers] == [
        AUTISM,
        "Hoe een kind zich ontwikkelt: Lukt niet; School of dagbesteding: Lukt soms niet",
        "Nee",
        "Nee",
        "Voor een tijdje",
        "1621 AB",
    ]
    # the transcript: greeting, story, each question with what the person said, closing
    said = [m.text for m in turn.transcript if m.who == "user"]
    assert said[0] == AUTISM and "een paar maanden" in said and "1621 ab" in said
    # every typed answer is echoed as it was read
    bot = [m.text for m in turn.transcript if m.who == "bot"]
    assert "U antwoordde: ‘een paar maanden’. We lezen dat als: voor een tijdje." in bot
    assert "U antwoordde: ‘nee hoor’. We lezen dat als: nee." in bot
    assert turn.transcript[-1].text.startswith("Dank u wel.")


def test_skipped_questions_move_on(talk: Talk) -> None:
    talk.tell(LONELY)
    assert talk.asked == "age"
    talk.answer("age", typed="hij is 81")
    assert talk.asked == "life_domains"
    talk.answer("life_domains", "onbekend")
    assert talk.asked == "network_support"
    for _ in range(8):
        if talk.asked is None:
            break
        talk.answer(talk.asked, "onbekend")
    assert talk.last is not None and talk.last.turn.step == "advice"
    labels = [line.label for line in talk.last.turn.answers]
    assert "Overgeslagen" in labels and "Weet ik niet" in labels and "hij is 81" not in labels


def test_a_chosen_profile_is_used(talk: Talk) -> None:
    talk.tell(PUBER)
    assert talk.asked == "profile"
    outcome = talk.answer("profile", "J7")
    assert outcome.turn.advice is not None
    assert outcome.turn.advice.profile == {"code": "J7", "name": "Verslavingsproblematiek"}
    assert talk.asked == "life_domains"


def test_a_crisis_comes_first_and_its_contacts_stay(talk: Talk) -> None:
    outcome = talk.tell(CRISIS)
    assert outcome.turn.crisis is not None and outcome.turn.question is None
    assert outcome.conversation.crisis_seen
    assert outcome.conversation.last_turn == TurnMark(None, crisis=True)
    talk.post("edit", key=TEXT_KEY)
    outcome = talk.tell(AUTISM)
    assert outcome.turn.crisis is None and talk.asked == "life_domains"
    assert outcome.conversation.crisis_seen  # "Toch gevaar? Bel direct" stays on the page


# ---------------------------------------------------------------------------- going back


def test_change_an_answer_and_come_back_to_the_advice(talk: Talk) -> None:
    talk.tell(LONELY)
    talk.answer("age", typed="81")
    talk.answer("life_domains", financien="lukt_niet")
    replies = {"duration": "temporary", "postcode": "onbekend"}
    for _ in range(8):
        if talk.asked is None:
            break
        talk.answer(talk.asked, replies.get(talk.asked, "nee"))
    assert talk.asked is None
    assert talk.last is not None
    steps = [s.key for s in talk.last.turn.answers]
    outcome = talk.post("edit", key="age")
    assert outcome.turn.step == "question" and talk.asked == "age"
    assert outcome.turn.question is not None and outcome.turn.question.editing
    assert outcome.turn.question.current == 81
    outcome = talk.answer("age", typed="80")
    assert outcome.turn.step == "advice"  # the other answers were kept
    assert [s.key for s in outcome.turn.answers] == steps  # in their place
    assert outcome.conversation.step("age") == Step("age", 80, "80")


def test_change_the_story_or_cancel(talk: Talk) -> None:
    talk.tell(AUTISM)
    outcome = talk.post("edit", key=TEXT_KEY)
    assert outcome.turn.step == "text" and outcome.conversation.editing == TEXT_KEY
    assert outcome.turn.transcript[-1].text == "Pas uw verhaal aan. Daarna kijk ik opnieuw."
    outcome = talk.post("cancel")
    assert outcome.conversation.editing is None and talk.asked == "life_domains"
    outcome = talk.post("restart")
    assert outcome.turn.step == "text" and outcome.conversation.text is None
    assert len(outcome.turn.transcript) == 2  # the greeting


def test_the_view_changes_the_labels_not_the_answers(talk: Talk) -> None:
    talk.tell(PUBER)
    talk.answer("profile", "J7")
    outcome = talk.post("switch", mode="professional")
    assert outcome.conversation.mode == "professional"
    assert outcome.turn.answers[1].label == "J7 Verslavingsproblematiek"
    assert talk.post("switch", mode="beheerder").error == (
        "Kies de weergave voor inwoners of voor professionals."
    )


# ---------------------------------------------------------------------------- errors


def test_an_invalid_post_changes_nothing_and_says_why(talk: Talk) -> None:
    talk.tell(LONELY)
    kept = talk.conversation
    cases = {
        ("tell", "   "): "Vertel in een paar woorden waar u hulp bij zoekt.",
        ("tell", "x" * 2001): "Uw tekst is te lang (2001 tekens). Gebruik hooguit 2000 tekens.",
        ("tell", "hallo\x00"): "Uw tekst bevat een teken dat we niet kunnen lezen.",
        ("tell", "hulp voor " + "x" * 61): (
            "Een woord in de tekst is te lang: gebruik hooguit 60 letters per woord, met"
            " spaties tussen de woorden."
        ),
    }
    for (action, text), message in cases.items():
        outcome = talk.post(action, text=text)
        assert (outcome.error, outcome.conversation.steps) == (message, ())
        assert outcome.typed == {"tekst": text, "vrij": ""}  # shown back in the field
        assert talk.asked == "age"
    outcome = talk.answer("age", typed="twaalf")
    assert outcome.error == "Typ de leeftijd als getal, bijvoorbeeld 12."
    assert outcome.typed == {"tekst": "", "vrij": "twaalf"}
    assert talk.answer("hobby", "ja").error == (
        "Deze vraag kennen we niet. Kies een antwoord op de vraag hieronder."
    )
    assert talk.post("unknown").error == "Dit konden we niet verwerken. Probeer het nog een keer."
    assert talk.conversation is not None and kept is not None
    assert talk.conversation.text == kept.text and talk.conversation.steps == kept.steps


def test_an_answer_before_the_story_is_refused(talk: Talk) -> None:
    assert talk.answer("age", typed="12").error == (
        "Deze vraag kennen we niet. Kies een antwoord op de vraag hieronder."
    )


def test_a_post_without_its_conversation_or_token(guide: Guide, codec: ConversationCookie) -> None:
    move = Move("tell", token="x", text="Mijn moeder vergeet veel.")
    outcome = take_step(guide, codec, None, move)  # expired, or posted from another site
    assert outcome.error == NO_CONVERSATION and outcome.conversation.text is None
    assert outcome.typed["tekst"] == "Mijn moeder vergeet veel."
    mine = Conversation.new().tell(LONELY)
    outcome = take_step(guide, codec, mine, Move("restart", token=codec.token(Conversation.new())))
    assert outcome.error == STALE_PAGE and outcome.conversation.text == LONELY


def test_a_story_too_large_for_the_cookie(talk: Talk) -> None:
    import random

    rng = random.Random(7)
    # incompressible, in words of 19 letters (a longer word is refused before the cookie)
    story = "".join(" " if i % 20 == 19 else chr(rng.randint(0x4E00, 0x9FFF)) for i in range(1900))
    assert talk.tell(story).error == TOO_LARGE
    assert talk.tell(AUTISM).error is None


def test_an_expired_conversation_starts_again_with_a_notice(guide: Guide) -> None:
    conversation, turn = start(guide, Loaded(None, expired=True), 30 * 60)
    assert "langer dan 30 minuten stil" in conversation.notice and turn.step == "text"
    conversation, _ = start(guide, Loaded(None), 30 * 60)
    assert conversation.notice == "" and conversation.text is None
    told = Conversation.new().tell(AUTISM)
    conversation, turn = start(guide, Loaded(told), 30 * 60)
    assert conversation.text == AUTISM and turn.question is not None
    assert conversation.last_turn == TurnMark("life_domains", crisis=False)


# ---------------------------------------------------------------------------- htmx updates


def test_a_step_forward_sends_only_the_new_messages(talk: Talk) -> None:
    talk.tell(AUTISM)
    assert talk.new is not None  # the story and the first question
    assert [m.who for m in talk.new.messages] == ["user", "bot"]
    assert talk.new.messages[0].text == AUTISM and not talk.new.crisis_changed
    talk.answer("life_domains", ontwikkeling="lukt_niet")
    assert talk.new is not None  # the answer and the next question
    assert [m.text for m in talk.new.messages] == [
        "Hoe een kind zich ontwikkelt: Lukt niet",
        "Is er eerder al hulp geweest die stopte zonder dat het beter werd?",
    ]
    talk.post("edit", key="life_domains")
    assert talk.new is None  # going back: the whole panel
    talk.answer("life_domains", ontwikkeling="lukt_soms_niet")
    assert talk.new is None  # a changed answer rewrites the transcript
    talk.seen = "3"  # a page that shows something else
    talk.answer("previous_care_failed", "nee")
    assert talk.new is None


def test_a_crisis_in_an_answer_changes_the_crisis_block(talk: Talk) -> None:
    talk.tell(AUTISM)
    talk.answer("life_domains", ontwikkeling="acuut")
    assert talk.asked == "acute_safety"
    talk.answer("acute_safety", "ja")
    assert talk.new is not None and talk.new.crisis_changed


@pytest.mark.parametrize(
    "posts",
    [
        [("tell", AUTISM), ("answer", "life_domains", "onbekend")],
        [("tell", CRISIS)],
        [("tell", CRISIS), ("edit", TEXT_KEY)],
        [("tell", PUBER), ("answer", "profile", "J7"), ("edit", "profile")],
        [("tell", LONELY), ("answer", "age", "onbekend"), ("edit", TEXT_KEY), ("cancel",)],
    ],
)
def test_the_page_from_the_mark_is_the_page_from_the_engine(
    guide: Guide, talk: Talk, posts: list[tuple[str, ...]]
) -> None:
    for action, *rest in posts:
        if action == "tell":
            talk.tell(rest[0])
        elif action == "answer":
            talk.answer(rest[0], rest[1])
        else:
            talk.post(action, key=rest[0] if rest else "")
    settled = talk.conversation
    assert settled is not None and settled.last_turn is not None
    from_engine = shown_page(guide, settled.marked(None))
    assert shown_page(guide, settled) == from_engine
    assert from_engine.transcript == take_turn(guide, settled).transcript


# ---------------------------------------------------------------------------- engine runs


def test_one_post_runs_the_engine_once(talk: Talk, engine_runs: EngineRuns) -> None:
    talk.tell(AUTISM)
    for key, reply in [
        ("life_domains", Reply(domains={"ontwikkeling": "lukt_niet"})),
        ("previous_care_failed", Reply("nee")),
        ("residential_care_needed", Reply(typed="nee")),
    ]:
        engine_runs.reset()
        talk.post("answer", key=key, reply=reply)
        assert talk.new is not None  # the htmx update, from the mark of the old page
        assert (engine_runs.with_providers, engine_runs.total) == (1, 1)
    engine_runs.reset()
    talk.answer("duration", typed="kort ding")  # an error: the turn of the old conversation
    assert talk.last is not None and talk.last.error is not None
    assert engine_runs.total == 1


def test_a_chosen_profile_still_asks_the_engine_once_for_the_advice(
    talk: Talk, engine_runs: EngineRuns
) -> None:
    talk.tell(PUBER)
    talk.answer("profile", "J7")
    engine_runs.reset()
    talk.answer("life_domains", "onbekend")
    assert talk.new is not None
    # the advice once; "which description fits" tries its story lines without providers
    assert engine_runs.with_providers == 1
    assert engine_runs.without_providers >= 1


def test_without_a_mark_the_old_page_comes_from_the_engine(
    guide: Guide, codec: ConversationCookie, engine_runs: EngineRuns
) -> None:
    before, _ = settle(guide, Conversation.new().tell(AUTISM))
    seen = str(len(shown_page(guide, before).transcript))
    move = Move(
        "answer", codec.token(before), key="life_domains", reply=Reply("onbekend"), seen=seen
    )
    for conversation, runs in ((before, 1), (before.marked(None), 2)):  # an older cookie
        engine_runs.reset()
        outcome = take_step(guide, codec, conversation, move)
        assert update(guide, conversation, outcome, move) is not None
        assert engine_runs.with_providers == runs


def test_a_typed_dont_know_is_stored_as_unknown_and_echoed(talk: Talk) -> None:
    """Issue 9: "dat weet ik eigenlijk niet" was stored as Nee, with no echo."""
    talk.tell(LONELY)
    talk.answer("age", typed="81")
    talk.answer("life_domains", financien="lukt_niet")
    for _ in range(8):
        if talk.asked in (None, "residential_care_needed"):
            break
        talk.answer(talk.asked, "nee")
    assert talk.asked == "residential_care_needed"
    outcome = talk.answer("residential_care_needed", typed="dat weet ik eigenlijk niet")
    assert outcome.conversation.step("residential_care_needed") == Step(
        "residential_care_needed", None, "dat weet ik eigenlijk niet"
    )
    bot = [m.text for m in outcome.turn.transcript if m.who == "bot"]
    assert "U antwoordde: ‘dat weet ik eigenlijk niet’. We lezen dat als: weet ik niet." in bot
    assert [
        line.label for line in outcome.turn.answers if line.key == "residential_care_needed"
    ] == ["Weet ik niet"]
