"""The hulpwijzer's conversation, pure: state, reading answers, turns and steps.

No web framework and no database: a `Guide` (the region's assistant over a provider
source) takes a `Conversation` and a `Move` and returns the next `Turn`. The web layer
(etalage.web.assistant) only parses posts, renders turns and sets the cookie.

- state.py: the conversation and its transitions (plain data, JSON form)
- cookie.py: the signed, expiring cookie value and the CSRF token
- reading.py: words that count in every answer (yes, no, "weet ik niet")
- questions.py: per question key how it is asked, read and labelled (`QUESTIONS`)
- guide.py: the engine over the providers, and "which description fits"
- turn.py: one turn: the advice, the transcript and the next question
- steps.py: one post: check, apply, settle; the messages an htmx page lacks
"""

from etalage.conversation.cookie import (
    COOKIE_NAME,
    MAX_AGE_S,
    ConversationCookie,
    ConversationTooLarge,
    Ended,
    EndedConversations,
    Loaded,
)
from etalage.conversation.guide import Guide, ProviderSource
from etalage.conversation.questions import (
    QUESTIONS,
    Asking,
    Choice,
    Question,
    answer_label,
    ask,
    read_answer,
)
from etalage.conversation.reading import (
    ANSWER_MAX_CHARS,
    SKIP,
    TEXT_MAX_CHARS,
    AnswerError,
    ReadAnswer,
    Reply,
)
from etalage.conversation.state import TEXT_KEY, Conversation, Mode, Step, TurnMark
from etalage.conversation.steps import Move, Outcome, Update, apply, start, take_step, update
from etalage.conversation.turn import (
    AnswerLine,
    Message,
    Page,
    Turn,
    engine_answers,
    engine_story,
    settle,
    shown_page,
    take_turn,
)

__all__ = [
    "ANSWER_MAX_CHARS",
    "COOKIE_NAME",
    "MAX_AGE_S",
    "QUESTIONS",
    "SKIP",
    "TEXT_KEY",
    "TEXT_MAX_CHARS",
    "AnswerError",
    "AnswerLine",
    "Asking",
    "Choice",
    "Conversation",
    "ConversationCookie",
    "ConversationTooLarge",
    "Ended",
    "EndedConversations",
    "Guide",
    "Loaded",
    "Message",
    "Mode",
    "Move",
    "Outcome",
    "Page",
    "ProviderSource",
    "Question",
    "ReadAnswer",
    "Reply",
    "Step",
    "Turn",
    "TurnMark",
    "Update",
    "answer_label",
    "apply",
    "ask",
    "engine_answers",
    "engine_story",
    "read_answer",
    "settle",
    "shown_page",
    "start",
    "take_step",
    "take_turn",
    "update",
]
