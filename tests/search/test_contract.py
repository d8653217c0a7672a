"""The contract both backends keep: same queries, filters, facets and ordering rules.

Every test runs on the embedded backend and on a real Meilisearch over the same
synthetic documents (search_testdata.py). Expected answers come from the documents
themselves: filters through `filters.matches`, facets by counting.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from search_testdata import AUTISM, IDS, PROVIDERS

from search_index.documents import SearchDocument, documents_checksum
from search_index.filters import conditions_for, distance_m, matches
from search_index.protocol import FACETS, QueryError, SearchBackend, SearchFilters, SearchQuery
from search_index.text import words
from search_index.vocabulary import Vocabulary

ALL = {p.kvk for p in PROVIDERS}


def ids(backend: SearchBackend, q: str = "", **kwargs: Any) -> list[str]:
    filters = kwargs.pop("filters", SearchFilters())
    result = backend.search(SearchQuery(q=q, filters=filters, per_page=100, **kwargs))
    assert result.total == len(result.hits)
    return [h.id for h in result.hits]


def expected_facets(docs: list[SearchDocument]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name, attribute in FACETS.items():
        counts: Counter[str] = Counter()
        for d in docs:
            counts.update(str(v) for v in d[attribute])
        out[name] = dict(sorted(counts.items()))
    return out


# ---- browsing and filters ------------------------------------------------------------------


def test_empty_query_lists_everything_by_name_with_facets(
    backend: SearchBackend, documents: list[SearchDocument]
) -> None:
    result = backend.search(SearchQuery(per_page=100))
    assert result.total == len(documents)
    names = [" ".join(words(h.document["naam"])) for h in result.hits]
    assert names == sorted(names)
    assert result.facets == expected_facets(documents)
    assert result.backend == backend.name


FILTER_CASES: list[SearchFilters] = [
    SearchFilters(gemeente="hoorn"),
    SearchFilters(gemeente="opmeer"),
    SearchFilters(gemeente="regio"),
    SearchFilters(wet="wmo"),
    SearchFilters(segment="A"),
    SearchFilters(profiel="J4"),
    SearchFilters(profiel="J4", intensiteit="zwaar"),
    SearchFilters(intensiteit="licht"),
    SearchFilters(expertise=("autisme",)),
    SearchFilters(expertise=("autisme", "ambulante-begeleiding")),
    SearchFilters(taal="tr"),
    SearchFilters(leeftijd=12),
    SearchFilters(leeftijd=70),
    SearchFilters(leeftijd=0),
    SearchFilters(max_wachttijd_weken=8),
    SearchFilters(max_wachttijd_weken=0),
    SearchFilters(gemeente="hoorn", leeftijd=12, wet="jeugdwet"),
    SearchFilters(postcode="1621 AB", afstand_km=5),
    SearchFilters(postcode="1600", afstand_km=10, wet="wmo"),
    SearchFilters(expertise=('x"y\\z',)),
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: repr(f)[14:60])
def test_filters_select_exactly_the_matching_documents(
    backend: SearchBackend,
    documents: list[SearchDocument],
    vocabulary: Vocabulary,
    filters: SearchFilters,
) -> None:
    origin = vocabulary.postcode_point(filters.postcode) if filters.postcode else None
    conditions = conditions_for(filters, origin)
    expected = [d for d in documents if matches(d, conditions)]
    result = backend.search(SearchQuery(filters=filters, per_page=100))
    assert {h.id for h in result.hits} == {d["id"] for d in expected}
    assert result.total == len(expected)
    assert result.facets == expected_facets(expected)


def test_profile_and_intensity_together_mean_that_arrangement(backend: SearchBackend) -> None:
    # Gedragskracht has J2:licht and J2:zwaar, De Kleine Haven J4:licht: "J4 zwaar" is
    # only Autisme Centrum Noord, not everyone with J4 or with zwaar.
    assert ids(backend, filters=SearchFilters(profiel="J4", intensiteit="zwaar")) == [
        IDS["Autisme Centrum Noord"]
    ]


def test_open_age_bounds_and_unknown_waiting_times(backend: SearchBackend) -> None:
    # No leeftijd_max means "no upper bound"; unknown waiting time never passes a maximum.
    assert IDS["Spectrum Volwassenen"] in ids(backend, filters=SearchFilters(leeftijd=99))
    assert IDS["Thuis in Balans"] not in ids(
        backend, filters=SearchFilters(max_wachttijd_weken=100)
    )


# ---- text: words, typos, synonyms, understanding ---------------------------------------------


@pytest.mark.parametrize(
    ("q", "must_include", "must_exclude"),
    [
        ("autisme", AUTISM, {IDS["Gedragskracht"]}),
        ("ASS", AUTISM, set()),
        ("PDD-NOS", AUTISM, set()),
        ("autistisch", AUTISM, set()),
        ("autsime", AUTISM, set()),  # a known spelling variant
        ("autisem", AUTISM, set()),  # one typo
        ("alzheimer", {IDS["Geheugenhuis Enkhuizen"]}, AUTISM),
        ("dementei", {IDS["Geheugenhuis Enkhuizen"]}, set()),
        ("hersenletsel", {IDS["Hersenwerk Medemblik"]}, AUTISM),
        ("hersenletsl", {IDS["Hersenwerk Medemblik"]}, set()),
        ("beroerte", {IDS["Hersenwerk Medemblik"]}, set()),
        ("licht verstandelijke beperking", {IDS["Stap voor Stap LVB"]}, AUTISM),
        ("zwakbegaafd", {IDS["Stap voor Stap LVB"], IDS["Zorgboerderij De Klaver"]}, set()),
        ("driftbuien", {IDS["Gedragskracht"]}, AUTISM),
        ("add", {IDS["Gedragskracht"]}, AUTISM),
        ("slechthorend", {IDS["Oog en Oor"]}, set()),
        ("geheug", {IDS["Geheugenhuis Enkhuizen"]}, set()),  # search as you type
        ("jeugd hulp", {IDS["Kwartier Jeugdhulp"]}, set()),  # written as one word
        ("begeleiding", {IDS["Taalbrug Gezinshulp"]}, set()),  # part of gezinsbegeleiding
        ("de het een", ALL, set()),  # stop words only: everything
    ],
)
def test_text_search_finds_what_a_professional_means(
    backend: SearchBackend, q: str, must_include: set[str], must_exclude: set[str]
) -> None:
    found = set(ids(backend, q))
    assert must_include <= found, f"{q!r} misses {must_include - found}"
    assert not (must_exclude & found), f"{q!r} wrongly finds {must_exclude & found}"


def test_all_words_must_match(backend: SearchBackend) -> None:
    assert set(ids(backend, "autisme volwassenen")) == {IDS["Spectrum Volwassenen"]}


def test_a_trailing_space_ends_prefix_search(backend: SearchBackend) -> None:
    assert ids(backend, "geheug ") == []


def test_gp_query_reads_age_and_place(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(q="autsime 12 jaar hoorn"))
    u = result.understood
    assert (u.text, u.leeftijd, u.gemeente) == ("autisme", 12, "hoorn")
    assert "autisme" in u.summary() and "Hoorn" in u.summary()
    # Autism expertise, serving Hoorn, age 12: not the adults-only Spectrum Volwassenen.
    assert {h.id for h in result.hits} == {IDS["De Kleine Haven"], IDS["Autisme Centrum Noord"]}


@pytest.mark.parametrize(
    ("q", "start", "end"),
    [("van 4 tot 11 jaar", 4, 11), ("70-99 jaar", 70, 99), ("tussen 12 en 18", 12, 18)],
)
def test_an_age_range_finds_who_serves_any_age_in_it(
    backend: SearchBackend, documents: list[SearchDocument], q: str, start: int, end: int
) -> None:
    result = backend.search(SearchQuery(q=q, per_page=100))
    assert (result.understood.leeftijd, result.understood.leeftijd_tot) == (start, end)
    expected = {
        d["id"] for d in documents if d["leeftijd_min"] <= end and d["leeftijd_max"] >= start
    }
    assert {h.id for h in result.hits} == expected
    assert expected  # and for most of these, fewer than all:
    assert len(expected) < len(documents) or (start, end) == (12, 18)


def test_explicit_filters_win_over_what_the_text_says(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(q="autisme 12 jaar", filters=SearchFilters(leeftijd=30)))
    assert {h.id for h in result.hits} == {IDS["Spectrum Volwassenen"]}


def test_nothing_found_suggests_a_known_term(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(q="dmentei"))  # two typos in seven letters
    assert result.total == 0
    assert result.suggestion == "dementie"
    assert backend.search(SearchQuery(q=result.suggestion)).total >= 1


def test_no_suggestion_when_nothing_close(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(q="qqqqzzzz"))
    assert (result.total, result.suggestion) == (0, None)


def test_a_word_that_matches_nothing_is_left_out_and_reported(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(q="autisme pizzeria"))
    assert result.relaxed_words == ("pizzeria",)
    assert {h.id for h in result.hits} == AUTISM


# ---- ordering --------------------------------------------------------------------------------


def test_name_matches_rank_above_description_matches(backend: SearchBackend) -> None:
    assert ids(backend, "autisme")[0] == IDS["Autisme Centrum Noord"]


def test_exact_words_rank_above_typos(backend: SearchBackend) -> None:
    # "gedragskracht" is the exact name; the typo "gedragskrach" still finds it.
    assert ids(backend, "gedragskracht")[0] == IDS["Gedragskracht"]
    assert ids(backend, "gedragskrachy")[0] == IDS["Gedragskracht"]


def _values(backend: SearchBackend, sort: str, field: str, **kwargs: Any) -> list[Any]:
    result = backend.search(SearchQuery(sort=sort, per_page=100, **kwargs))  # type: ignore[arg-type]
    return [h.document[field] for h in result.hits]


def test_sort_by_waiting_time_puts_fresh_first_then_stale_then_unknown(
    backend: SearchBackend,
) -> None:
    result = backend.search(SearchQuery(sort="wachttijd", per_page=100))
    values = [
        (h.document["wachttijd_verouderd"], h.document["wachttijd_totaal_weken"])
        for h in result.hits
    ]
    known = [v for v in values if v[1] is not None]
    assert known == sorted(known)  # fresh (False) before stale (True), each by weeks
    assert values == known + [(False, None)] * (len(values) - len(known))
    # The test data holds a stale figure shorter than a fresh one: order, not chance.
    fresh = [w for stale, w in known if not stale]
    assert any(stale and w < max(fresh) for stale, w in known)


def test_sort_by_quality_puts_too_few_observations_last(backend: SearchBackend) -> None:
    values = _values(backend, "kwaliteit", "kwaliteit")
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=True)
    assert values == known + [None] * (len(values) - len(known))


def test_sort_by_name(backend: SearchBackend) -> None:
    names = [" ".join(words(n)) for n in _values(backend, "naam", "naam")]
    assert names == sorted(names)


def test_sort_by_distance_from_a_postcode(backend: SearchBackend, vocabulary: Vocabulary) -> None:
    result = backend.search(
        SearchQuery(sort="afstand", filters=SearchFilters(postcode="1716 AB"), per_page=100)
    )
    distances = [h.afstand_km for h in result.hits]
    known = [d for d in distances if d is not None]
    assert known == sorted(known)
    assert distances == known + [None] * (len(distances) - len(known))
    assert result.hits[0].document["gemeente"] == "opmeer"
    origin = vocabulary.postcode_point("1716")
    assert origin is not None
    geo = result.hits[0].document["_geo"]
    assert result.hits[0].afstand_km == round(
        distance_m(origin[0], origin[1], geo["lat"], geo["lng"]) / 1000, 1
    )


def test_sort_with_text_keeps_all_words_rule(backend: SearchBackend) -> None:
    found = ids(backend, "autisme", sort="wachttijd")
    assert set(found) == AUTISM
    waits = {p.kvk: p.latest_waiting.total_weeks or 0 for p in PROVIDERS if p.latest_waiting}
    assert [waits[i] for i in found] == sorted(waits[i] for i in found)


def test_paging_is_stable(backend: SearchBackend) -> None:
    first = backend.search(SearchQuery(per_page=5, page=1))
    second = backend.search(SearchQuery(per_page=5, page=2))
    whole = backend.search(SearchQuery(per_page=10, page=1))
    assert first.total == second.total == whole.total == len(PROVIDERS)
    assert [h.id for h in first.hits + second.hits] == [h.id for h in whole.hits]
    beyond = backend.search(SearchQuery(per_page=20, page=50))
    assert (beyond.hits, beyond.total) == ([], len(PROVIDERS))


# ---- what a hit carries ----------------------------------------------------------------------


def test_highlights_are_structured_segments(backend: SearchBackend) -> None:
    hit = backend.search(SearchQuery(q="autisme")).hits[0]
    naam = hit.highlights["naam"][0]
    assert [s.text for s in naam if s.match] == ["Autisme"]
    assert "".join(s.text for s in naam) == "Autisme Centrum Noord"
    labels = hit.highlights["expertise_labels"]
    assert any(s.match and s.text == "Autisme" for value in labels for s in value)


def test_a_synonym_phrase_is_marked_only_whole(backend: SearchBackend) -> None:
    """ "autisme" also means "autisme spectrum stoornis"; a name with just "Spectrum"
    in it is not marked for it."""
    hits = backend.search(SearchQuery(q="autisme", per_page=100)).hits
    spectrum = next(h for h in hits if h.document["naam"] == "Spectrum Volwassenen")
    assert not any(s.match for s in spectrum.highlights["naam"][0])


def test_prefix_highlight_marks_the_typed_part(backend: SearchBackend) -> None:
    hit = backend.search(SearchQuery(q="geheug")).hits[0]
    assert [s.text for s in hit.highlights["naam"][0] if s.match] == ["Geheug"]


def test_document_fields_for_the_api(backend: SearchBackend) -> None:
    hit = backend.search(SearchQuery(q="De Kleine Haven")).hits[0]
    d = hit.document
    assert d["kvk"] == "10000001" and d["slug"] == "de-kleine-haven"
    assert d["arrangementen"] == ["J4:licht", "J4:midden"]
    assert (d["wachttijd_aanmelden_weken"], d["wachttijd_behandeling_weken"]) == (3, 5)
    assert d["wachttijd_verouderd"] is False
    assert (d["kpi_n"], d["kpi_uitval_pct"], d["kwaliteit"]) == (120, 8.0, 85.3)
    assert "samenstellingen" not in d and "wachttijd_sorteer" not in d
    assert len(d["hash"]) == 32  # the version of the provider (result cards cache on it)
    stale = backend.search(SearchQuery(q="Hersenwerk")).hits[0].document
    assert stale["wachttijd_verouderd"] is True
    assert "facetten" not in d


@pytest.mark.parametrize(
    "q,filters",
    [
        ("", SearchFilters()),
        ("begeleiding", SearchFilters(gemeente="hoorn")),
        ("autsime", SearchFilters()),
        ("dementie xyzzy", SearchFilters()),  # relaxed: one word left out
    ],
)
def test_leaving_out_work_finds_the_same(
    backend: SearchBackend, q: str, filters: SearchFilters
) -> None:
    """`hits`, `facets` and `highlight` only say what to compute, never what is found."""
    whole = backend.search(SearchQuery(q=q, filters=filters, per_page=100))
    counted = backend.search(SearchQuery(q=q, filters=filters, per_page=100, hits=False))
    assert (counted.hits, counted.total, counted.facets) == ([], whole.total, whole.facets)
    assert counted.relaxed_words == whole.relaxed_words
    bare = backend.search(SearchQuery(q=q, filters=filters, per_page=100, facets=False))
    assert [h.id for h in bare.hits] == [h.id for h in whole.hits]
    assert bare.facets == {name: {} for name in FACETS}
    plain = backend.search(SearchQuery(q=q, filters=filters, per_page=100, highlight=False))
    assert [h.id for h in plain.hits] == [h.id for h in whole.hits]
    assert not any(s.match for h in plain.hits for v in h.highlights.values() for x in v for s in x)
    for h, w in zip(plain.hits, whole.hits, strict=True):
        assert h.document == w.document
        assert "".join(s.text for s in h.highlights["naam"][0]) == h.document["naam"]


def test_bad_parameters_are_query_errors(backend: SearchBackend) -> None:
    with pytest.raises(QueryError) as e:
        backend.search(SearchQuery(sort="afstand"))
    assert e.value.param == "sort"
    with pytest.raises(QueryError) as e:
        backend.search(SearchQuery(filters=SearchFilters(postcode="9999 ZZ")))
    assert e.value.param == "postcode"
    with pytest.raises(QueryError) as e:
        backend.search(SearchQuery(filters=SearchFilters(afstand_km=5)))
    assert e.value.param == "postcode"
    with pytest.raises(QueryError) as e:
        backend.search(SearchQuery(filters=SearchFilters(leeftijd=130)))
    assert e.value.param == "leeftijd"
    with pytest.raises(QueryError):
        SearchQuery(per_page=1000)


def test_stats_match_the_documents(backend: SearchBackend, documents: list[SearchDocument]) -> None:
    stats = backend.stats()
    assert stats.count == len(documents)
    assert stats.checksum == documents_checksum(documents)
    assert backend.health().ok


# ---- both backends agree ---------------------------------------------------------------------


AGREEMENT_QUERIES = [
    "",
    "autisme",
    "dementie",
    "begeleiding",
    "hulp",
    "jeugd",
    "autisme hoorn",
    "volwassenen",
    "training",
    "crisis",
    "slecht",
    "verslaving alcohol",
]


SORT_FIELD = {"wachttijd": "wachttijd_totaal_weken", "kwaliteit": "kwaliteit", "naam": "naam"}


@pytest.mark.meili
@pytest.mark.parametrize("q", AGREEMENT_QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "wachttijd", "kwaliteit", "naam"])
def test_backends_agree(
    embedded_backend: SearchBackend, meili_backend: SearchBackend, q: str, sort: str
) -> None:
    """Same documents, same facets; the same order where the rules decide it.

    With an explicit sort the sort values come in the same order (ties are broken by
    relevance, whose fine print differs); by relevance the best hit is the same.
    """
    a = embedded_backend.search(SearchQuery(q=q, sort=sort, per_page=100))  # type: ignore[arg-type]
    b = meili_backend.search(SearchQuery(q=q, sort=sort, per_page=100))  # type: ignore[arg-type]
    assert {h.id for h in a.hits} == {h.id for h in b.hits}
    assert a.facets == b.facets
    if sort in SORT_FIELD:
        field = SORT_FIELD[sort]
        assert [h.document[field] for h in a.hits] == [h.document[field] for h in b.hits]
    else:
        assert [h.id for h in a.hits][:1] == [h.id for h in b.hits][:1]
