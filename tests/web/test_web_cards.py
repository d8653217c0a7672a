"""Result cards: the search-independent part is made once per provider version and day."""

from __future__ import annotations

from datetime import date, timedelta

from support import record_of
from web_catalogue import ALFA

from etalage.provider import WaitingPoint
from etalage.region import RegionPack
from etalage.web.cards import ResultCards
from etalage.web.templating import make_environment
from search_index.documents import DocumentBuilder
from search_index.protocol import Hit, Segment

TODAY = date(2026, 11, 1)


def _hit(pack: RegionPack, **changes: object) -> Hit:
    facts = dict(
        kvk=ALFA,
        naam="Alfa Zorg",
        slug="alfa-zorg",
        omschrijving="Hulp bij autisme.",
        wetten=["jeugdwet"],
        segmenten=["B"],
        expertise=["autisme"],
        werkgebied=["hoorn"],
        waiting_time=WaitingPoint(TODAY - timedelta(weeks=1), 2, 3),
    )
    doc = DocumentBuilder(pack).build(record_of(**(facts | changes)), TODAY)
    return Hit(id=ALFA, document=doc, highlights={"naam": [[Segment("Alfa", True)]]})


def test_the_fixed_part_is_made_once_per_version_and_day(pack: RegionPack) -> None:
    cards = ResultCards(make_environment(pack), pack)
    first = cards.views([_hit(pack)], TODAY, frozenset())[0]
    again = cards.views([_hit(pack)], TODAY, frozenset())[0]
    assert cards.made == 1 and again.facts is first.facts
    assert "5 weken" in str(first.facts.html[1])  # the total waiting time
    assert "Jeugdwet" in str(first.facts.html[0])
    # A changed provider is a new version; another day and the demo mark are too.
    newer = _hit(pack, waiting_time=WaitingPoint(TODAY, 9, 9))
    changed = cards.views([newer], TODAY, frozenset())
    assert "18 weken" in str(changed[0].facts.html[1])
    cards.views([_hit(pack)], TODAY + timedelta(days=1), frozenset())
    demo = cards.views([_hit(pack)], TODAY, frozenset({ALFA}))[0]
    assert demo.p.record.is_demo and cards.made == 4


def test_the_cache_is_bounded(pack: RegionPack) -> None:
    cards = ResultCards(make_environment(pack), pack, size=2)
    for n in range(5):
        cards.views([_hit(pack, naam=f"Alfa {n}")], TODAY, frozenset())
    assert len(cards._facts) == 2
    cards.views([_hit(pack, naam="Alfa 4")], TODAY, frozenset())  # still there
    assert cards.made == 5


def test_warming_makes_the_cards_in_advance(pack: RegionPack) -> None:
    cards = ResultCards(make_environment(pack), pack)
    hits = [_hit(pack, naam=f"Alfa {n}") for n in range(3)]
    assert cards.warm([h.document for h in hits], TODAY, frozenset()) == 3
    cards.views(hits, TODAY, frozenset())
    assert cards.made == 3  # all found
