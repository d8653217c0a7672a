"""Property test (Hypothesis): the filter builder never widens a search. Adding a filter
to any search gives a subset of its results, on the embedded backend over the search
test data."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search_index import SearchFilters, SearchQuery

LAWS = st.sampled_from([None, "jeugdwet", "wmo"])
SEGMENTS = st.sampled_from([None, "A", "B", "C"])
PROFILES = st.sampled_from([None, "J1", "J2", "J4", "J5", "W1", "W2", "W7", "W8"])
PLACES = st.sampled_from([None, "hoorn", "enkhuizen", "opmeer", "koggenland"])
TEXTS = st.sampled_from(["", "autisme", "begeleiding", "dementie", "jeugd", "gezin"])


def _ids(backend: Any, q: str, filters: SearchFilters) -> set[str]:
    out: set[str] = set()
    page = 1
    while True:
        found = backend.search(SearchQuery(q=q, filters=filters, page=page, per_page=100))
        out |= {h.id for h in found.hits}
        if page * 100 >= found.total:
            return out
        page += 1


FILTERS = st.builds(
    SearchFilters,
    gemeente=PLACES,
    wet=LAWS,
    segment=SEGMENTS,
    profiel=PROFILES,
    leeftijd=st.one_of(st.none(), st.integers(0, 100)),
    max_wachttijd_weken=st.one_of(st.none(), st.integers(0, 60)),
)
EXTRA = st.one_of(
    st.builds(lambda v: {"wet": v}, st.sampled_from(["jeugdwet", "wmo"])),
    st.builds(lambda v: {"segment": v}, st.sampled_from(["A", "B", "C"])),
    st.builds(lambda v: {"profiel": v}, st.sampled_from(["J1", "J4", "W1", "W8"])),
    st.builds(lambda v: {"gemeente": v}, st.sampled_from(["hoorn", "opmeer"])),
    st.builds(lambda v: {"leeftijd": v}, st.integers(0, 100)),
    st.builds(lambda v: {"max_wachttijd_weken": v}, st.integers(0, 40)),
    st.builds(lambda v: {"taal": v}, st.sampled_from(["ar", "tr", "pl"])),
    st.builds(lambda v: {"expertise": (v,)}, st.sampled_from(["autisme", "dementie", "lvb"])),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(base=FILTERS, extra=EXTRA, q=TEXTS)
def test_a_filter_never_widens_a_search(
    embedded_backend: Any, base: SearchFilters, extra: dict[str, Any], q: str
) -> None:
    before = _ids(embedded_backend, q, base)
    if "expertise" in extra:
        extra = {"expertise": (*base.expertise, *extra["expertise"])}
    narrowed = replace(base, **{k: v for k, v in extra.items()})
    if getattr(base, next(iter(extra))) not in (None, ()) and "expertise" not in extra:
        return  # replacing a filter is not narrowing
    assert _ids(embedded_backend, q, narrowed) <= before
