"""Fixtures of the assistant tests: the compiled assistant and an advice helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from etalage.assistant import Advice, Answers, advise, assistant_for, parse_answers
from etalage.assistant.engine import Assistant
from etalage.region import RegionPack


@pytest.fixture(scope="session")
def assistant(pack: RegionPack) -> Assistant:
    return assistant_for(pack)


AdviseFn = Callable[..., Advice]


@pytest.fixture(scope="session")
def ask(pack: RegionPack) -> AdviseFn:
    """advise(text, **answers): the advice in inwoner mode, answers as keyword arguments."""

    def run(text: str = "", mode: str = "inwoner", **answers: Any) -> Advice:
        parsed = parse_answers(pack, answers) if answers else Answers()
        return advise(pack, text, parsed, mode=mode)  # type: ignore[arg-type]

    return run
