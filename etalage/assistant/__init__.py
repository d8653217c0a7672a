"""The guided assistant: from a hulpvraag to route, law, profile, intensity and providers.

Pure (no web framework, no database): `advise()` takes the region pack, the text and the
answers, and returns an explained `Advice` (docs/http-api.md#hulpwijzer-advice). See engine.py.
"""

from etalage.assistant.answers import (
    AdviceInputError,
    AdviceRequest,
    Answers,
    FieldError,
    parse_answers,
    parse_request,
)
from etalage.assistant.config import AssistantConfig, AssistantConfigError, load_config
from etalage.assistant.engine import Advice, Assistant, advise, assistant_for
from etalage.assistant.matching import ProviderIndex, ProviderMatch
from etalage.provider import ProviderRecord

__all__ = [
    "Advice",
    "AdviceInputError",
    "AdviceRequest",
    "Answers",
    "Assistant",
    "AssistantConfig",
    "AssistantConfigError",
    "FieldError",
    "ProviderIndex",
    "ProviderMatch",
    "ProviderRecord",
    "advise",
    "assistant_for",
    "load_config",
    "parse_answers",
    "parse_request",
]
