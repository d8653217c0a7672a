"""Help that fits an ordinary referral ranks first (docs/region-pack.md#search-fit)."""

from __future__ import annotations

import pytest

from etalage.provider import ProviderRecord
from etalage.region import RegionPack
from search_index import Vocabulary
from search_index.documents import heaviness


@pytest.fixture(scope="module")
def vocabulary(pack: RegionPack) -> Vocabulary:
    return Vocabulary.from_pack(pack)


@pytest.mark.parametrize(
    ("text", "segment", "intensity"),
    [
        ("autisme 10 jaar hoorn", None, None),
        ("ADHD", "B", None),
        ("somber", None, "midden"),
        ("hulp bij opvoeden", "A", None),
    ],
)
def test_an_ordinary_question_ranks_lighter_help_first(
    vocabulary: Vocabulary, text: str, segment: str | None, intensity: str | None
) -> None:
    assert vocabulary.lighter_first(text, segment, intensity)


@pytest.mark.parametrize(
    ("text", "segment", "intensity"),
    [
        ("autisme verblijf", None, None),
        ("verblijfsvoorziening jeugd", None, None),  # a word that starts with one
        ("crisisopvang", None, None),
        ("ZWARE gedragsproblemen", None, None),
        ("autisme", "C", None),
        ("autisme", None, "zwaar"),
        ("gezinshuis", None, None),
        ("", None, None),  # no words: the list stays in name order
    ],
)
def test_a_question_for_heavier_help_is_not_regrouped(
    vocabulary: Vocabulary, text: str, segment: str | None, intensity: str | None
) -> None:
    assert not vocabulary.lighter_first(text, segment, intensity)


def _record(segments: tuple[str, ...], arrangements: tuple[tuple[str, str], ...]) -> ProviderRecord:
    return ProviderRecord(
        kvk="12345678",
        slug="voorbeeld",
        name="Voorbeeld",
        segments=segments,
        arrangements=arrangements,
    )


@pytest.mark.parametrize(
    ("segments", "arrangements", "expected"),
    [
        (("A",), (), 0),
        (("B",), (("J4", "licht"),), 0),
        (("B",), (("J4", "zwaar"), ("J4", "midden")), 0),
        (("B",), (("J4", "zwaar"),), 1),
        (("A", "B"), (("J4", "zwaar"),), 0),  # free access besides the heavy arrangement
        (("B", "C"), (("J4", "midden"),), 0),
        (("C",), (("J4", "zwaar"),), 2),
        ((), (), 0),  # unknown: not pushed down
    ],
)
def test_heaviness_follows_segments_and_intensities(
    pack: RegionPack,
    segments: tuple[str, ...],
    arrangements: tuple[tuple[str, str], ...],
    expected: int,
) -> None:
    assert heaviness(_record(segments, arrangements), pack) == expected


def test_a_pack_without_search_fit_ranks_as_before(pack: RegionPack) -> None:
    bare = pack.model_copy(update={"search_fit": type(pack.search_fit)()})
    assert heaviness(_record(("C",), (("J4", "zwaar"),)), bare) == 0
    assert not Vocabulary.from_pack(bare).lighter_first("autisme", None, None)
