"""Fixtures of the conversation tests: the pure core over a hand-built provider index,
with no database and no HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from conversation_talk import EngineRuns, FixedProviders, Talk
from support import provider_record

import etalage.conversation.guide as guide_module
from etalage.assistant import ProviderIndex, advise
from etalage.conversation import ConversationCookie, Guide
from etalage.region import RegionPack

TODAY = date(2026, 11, 2)


@pytest.fixture(scope="session")
def index(pack: RegionPack) -> ProviderIndex:
    records = [
        provider_record(
            "90000001",
            "De Kleine Haven",
            wetten=["jeugdwet"],
            segmenten=["B"],
            arrangementen=[("J4", "licht"), ("J4", "midden")],
            expertise=["autisme"],
            werkgebied=["hoorn"],
            gemeente="hoorn",
            age_min=4,
            age_max=17,
            wait_weeks=3,
            wait_peildatum=date(2026, 10, 20),
            lat=52.64,
            lon=5.058,
        ),
        provider_record(
            "90000004",
            "Polder Thuiszorg",
            wetten=["wmo"],
            segmenten=["A", "B"],
            arrangementen=[("W8", "licht"), ("W8", "midden")],
            expertise=["huishoudelijke-hulp"],
            serves_region=True,
            gemeente="koggenland",
            age_min=18,
            age_max=120,
            wait_weeks=2,
            wait_peildatum=date(2026, 10, 28),
        ),
    ]
    return ProviderIndex(pack, records, TODAY)


@pytest.fixture(scope="session")
def guide(pack: RegionPack, index: ProviderIndex) -> Guide:
    return Guide(pack, FixedProviders(index))


@pytest.fixture
def codec() -> ConversationCookie:
    return ConversationCookie("geheim", now=lambda: 1_000_000.0)


@pytest.fixture
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[EngineRuns]:
    runs = EngineRuns()

    def counted(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("providers") is not None:
            runs.with_providers += 1
        else:
            runs.without_providers += 1
        return advise(*args, **kwargs)

    monkeypatch.setattr(guide_module, "advise", counted)
    yield runs


@pytest.fixture
def talk(guide: Guide, codec: ConversationCookie) -> Talk:
    return Talk(guide, codec)
