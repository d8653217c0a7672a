"""Relevance: realistic searches on the demo data find what a person expects, in the top 5.

Runs every case of `relevance_cases.py` on the embedded backend and on a real
Meilisearch over the same demo documents. The expectations are checked against the
demo facts first (`test_expectation_follows_from_the_facts`), so a change in the demo
generator shows up as a broken expectation, not as a mysterious search failure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from relevance_cases import CASES, PC4, Case, Doc

from search_index import SearchBackend, SearchFilters, SearchQuery
from search_index.documents import SearchDocument
from search_index.filters import distance_m

TOP = 5


def _by_kvk(docs: list[SearchDocument]) -> dict[str, Doc]:
    return {d["kvk"]: d for d in docs}


def _rank_key(case: Case) -> Any:
    if case.ranked_by == "afstand":
        lat, lng = PC4[case.filters["postcode"]]
        return lambda d: (
            distance_m(lat, lng, d["_geo"]["lat"], d["_geo"]["lng"]) / 1000
            if "_geo" in d
            else math.inf
        )
    field = case.ranked_by
    return lambda d: math.inf if d.get(field) is None else float(d[field])


def _best_by_facts(case: Case, docs: Mapping[str, Doc]) -> tuple[list[str], list[float]]:
    """For a sorted search: the providers that are surely in the top 5 (strictly better
    than the fifth value, so ties at the edge do not matter) and the five best values."""
    key = _rank_key(case)
    candidates = sorted((key(d), k) for k, d in docs.items() if case.fact(d))
    best = [value for value, _ in candidates[:TOP]]
    if len(candidates) <= TOP:
        return [k for _, k in candidates], best
    edge = candidates[TOP - 1][0]
    return [k for value, k in candidates if value < edge - 0.05], best


def _must(case: Case, docs: Mapping[str, Doc]) -> list[str]:
    return _best_by_facts(case, docs)[0] if case.ranked_by else list(case.must)


def _describe(docs: Mapping[str, Doc], kvks: list[str]) -> str:
    return "\n".join(
        f"  {k} {docs[k]['naam']} ({docs[k]['gemeente']}; {', '.join(docs[k]['expertise'])})"
        for k in kvks
    )


def test_there_are_enough_realistic_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_expectation_follows_from_the_facts(
    case: Case, demo_documents: list[SearchDocument]
) -> None:
    docs = _by_kvk(demo_documents)
    must = _must(case, docs)
    assert len(must) <= TOP
    for k in must:
        assert k in docs, f"{k} is not in the demo data"
        assert case.fact(docs[k]), f"{k} {docs[k]['naam']} does not fit: {case.why}"
    if case.complete:
        fitting = sorted(k for k, d in docs.items() if case.fact(d))
        assert sorted(must) == fitting, (
            f"the facts name other providers:\n{_describe(docs, fitting)}"
        )
    if case.ranked_by:
        assert must, "no provider is surely in the top 5 by the facts"
    relevant = case.relevant or case.fact
    assert all(relevant(docs[k]) for k in must)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_top_5(
    case: Case, demo_backend: SearchBackend, demo_documents: list[SearchDocument]
) -> None:
    docs = _by_kvk(demo_documents)
    query = SearchQuery(
        q=case.q,
        filters=SearchFilters(**case.filters),
        sort=case.sort,
        per_page=TOP,  # type: ignore[arg-type]
    )
    result = demo_backend.search(query)
    top = [h.id for h in result.hits]
    shown = f"{demo_backend.name} top {TOP} for {case.id!r}:\n{_describe(docs, top)}"
    assert top, f"nothing found; {case.why}"
    missing = [k for k in _must(case, docs) if k not in top]
    assert not missing, f"{shown}\nmissing:\n{_describe(docs, missing)}\n{case.why}"
    relevant = case.relevant or case.fact
    wrong = [k for k in top if not relevant(docs[k])]
    assert not wrong, f"{shown}\nnot relevant:\n{_describe(docs, wrong)}\n{case.why}"
    if case.ranked_by:
        key = _rank_key(case)
        values = [key(docs[k]) for k in top]
        best = _best_by_facts(case, docs)[1]
        assert values == pytest.approx(best, abs=0.05), shown
