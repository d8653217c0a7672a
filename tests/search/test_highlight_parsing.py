"""Reading Meilisearch's highlighted text into segments."""

from __future__ import annotations

import itertools
import random

import pytest

from search_index.engine import parse_highlight
from search_index.protocol import Segment
from search_index.text import HIGHLIGHT_POST as Q
from search_index.text import HIGHLIGHT_PRE as P


@pytest.mark.parametrize(
    "text,expected",
    [
        ("", []),
        ("plain", [Segment("plain")]),
        (f"{P}Autisme{Q} Centrum", [Segment("Autisme", True), Segment(" Centrum")]),
        (
            f"a {P}b{Q} c {P}d{Q}",
            [Segment("a "), Segment("b", True), Segment(" c "), Segment("d", True)],
        ),
        (f"{P}ge{Q}{P}heug{Q}en", [Segment("geheug", True), Segment("en")]),  # one piece
        (f"a{P}{Q}b", [Segment("ab")]),  # an empty mark is no mark
        (f"a {P}rest", [Segment("a "), Segment("rest", True)]),  # unclosed: the rest
        (f"a{Q}b", [Segment("ab")]),  # a stray end marker
    ],
)
def test_segments(text: str, expected: list[Segment]) -> None:
    assert parse_highlight(text) == expected


def test_no_text_is_lost_and_pieces_alternate() -> None:
    rng = random.Random(3)
    for _ in range(500):
        text = "".join(rng.choice(["ab", " ", P, Q, "é", "<b>"]) for _ in range(rng.randint(0, 12)))
        segments = parse_highlight(text)
        assert "".join(s.text for s in segments) == text.replace(P, "").replace(Q, "")
        assert all(s.text for s in segments)
        assert all(a.match != b.match for a, b in itertools.pairwise(segments))
