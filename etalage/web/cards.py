"""Result cards: the part of a card that does not depend on the search, made once.

A results page shows up to 100 cards, on every keystroke. Most of a card (the laws,
profiles, waiting time, outcome indicators, how to register, the service area) is the
same for every search on the same day; only the name, snippet and expertise marks and
the distance change. `ResultCards` keeps those fixed parts, rendered, per provider
version (the search document's content hash), day and demo mark, in a bounded LRU.
A changed provider has a new hash, a new day makes new cards (waiting times age), so
nothing stale is ever shown. At start-up `warm` makes the cards of every provider in
the background.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from jinja2 import Environment

from etalage.catalogue import views
from etalage.catalogue.result_rows import marked_labels, offer_for
from etalage.region.model import RegionPack
from search_index.documents import SearchDocument, record_from_document
from search_index.protocol import Hit, SearchRequest

CARD_FACTS_TEMPLATE = "_card_facts.html"


class ResultCards:
    def __init__(self, env: Environment, pack: RegionPack, size: int = 12_000) -> None:
        self.env = env
        self.pack = pack
        self.size = size
        self._lock = threading.Lock()
        self._facts: OrderedDict[tuple[str, date, bool], views.CardFacts] = OrderedDict()
        self.made = 0  # how many were made rather than found (for tests)

    def _make(self, hit: Hit, today: date, is_demo: bool) -> views.CardFacts:
        record = record_from_document(hit.document, is_demo=is_demo)
        facts = views.card_facts(record, self.pack, today)
        module: Any = self.env.get_template(CARD_FACTS_TEMPLATE).module
        # Macros of an autoescaping environment return Markup: escaped already.
        html = (module.before(facts), module.after(facts), module.register(facts))
        self.made += 1
        return replace(facts, html=html)

    def facts(self, hit: Hit, today: date, is_demo: bool) -> views.CardFacts:
        version = hit.document.get("hash")
        if not version:  # a document without its hash: make it, keep nothing
            return self._make(hit, today, is_demo)
        key = (str(version), today, is_demo)
        with self._lock:
            found = self._facts.get(key)
            if found is not None:
                self._facts.move_to_end(key)
                return found
        made = self._make(hit, today, is_demo)
        with self._lock:
            self._facts[key] = made
            while len(self._facts) > self.size:
                self._facts.popitem(last=False)
        return made

    def warm(self, docs: Sequence[SearchDocument], today: date, demo_kvks: frozenset[str]) -> int:
        """Make the cards of these documents now (at start-up, in the background), so
        the first visitors do not wait for them; returns how many were made."""
        before = self.made
        for doc in docs[: self.size]:
            kvk = str(doc.get("id"))
            self.facts(Hit(id=kvk, document=doc, highlights={}), today, kvk in demo_kvks)
        return self.made - before

    def views(
        self,
        hits: Iterable[Hit],
        today: date,
        demo_kvks: frozenset[str],
        request: SearchRequest | None = None,
    ) -> list[views.HitView]:
        out = []
        for hit in hits:
            facts = self.facts(hit, today, hit.id in demo_kvks)
            labels = marked_labels(hit.highlights.get("expertise_labels") or ())
            offer = offer_for(facts.p.record, request, labels, self.pack)
            out.append(views.hit_view(hit, facts, offer))
        return out
