"""The search layer's one small protocol, its query and its answer.

Both backends (Meilisearch and embedded) implement `SearchBackend` and pass the same
contract tests: `backend.search(SearchQuery)` gives a `SearchResult`. `QueryError` means
a bad parameter (answer 400 with its Dutch message), `BackendError` a backend that
failed (the resilient wrapper answers from the embedded backend instead).

The web app parses the query string into a `SearchRequest` (the filters, the text, the
order and the page) and asks `ResilientBackend.results_page` for a `ResultsPage`: the
hits, the counts next to the filter options and, when nothing was found, the wider
searches that find something.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol, runtime_checkable

from search_index.documents import FACETS as FACETS
from search_index.documents import SearchDocument
from search_index.vocabulary import Understanding

Sort = Literal["relevance", "wachttijd", "afstand", "kwaliteit", "naam"]
SORTS: tuple[Sort, ...] = ("relevance", "wachttijd", "afstand", "kwaliteit", "naam")
BackendName = Literal["meilisearch", "embedded"]

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_Q_LENGTH = 500  # longer text is cut off (Meilisearch reads ten words anyway)


class QueryError(ValueError):
    """A search parameter that cannot be used; `message` is Dutch and names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class BackendError(RuntimeError):
    """A backend could not answer or could not store (down, slow, failed task)."""


@dataclass(frozen=True)
class SearchFilters:
    gemeente: str | None = None  # serves this municipality
    wet: str | None = None
    segment: str | None = None
    profiel: str | None = None
    intensiteit: str | None = None  # with profiel: that arrangement exactly
    expertise: tuple[str, ...] = ()  # all of them (AND)
    taal: str | None = None
    leeftijd: int | None = None  # serves this age
    # With leeftijd: an age range, leeftijd to leeftijd_tot; serves any age in it. Read
    # from the search text ("van 12 tot 18 jaar"); not an API parameter.
    leeftijd_tot: int | None = None
    max_wachttijd_weken: int | None = None  # total of both waiting times
    postcode: str | None = None  # origin for distance; its PC4 centroid
    afstand_km: float | None = None  # with postcode: at most this far
    # A place named in q is read and left out, not used as a filter (`gemeente=alle`:
    # the visitor chose "all municipalities" after the search read one from the text).
    ignore_place: bool = False


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # Read an age and a place from q into filters (see Vocabulary.understand);
    # `read_place=False` leaves a place in q as words (for the counts next to the
    # gemeente choices: choosing one keeps a place in the text as words).
    understand: bool = True
    read_place: bool = True
    # What to compute. Leaving out what a caller does not show saves the backend work
    # (facet counts are most of Meilisearch's time): `hits=False` gives the total and
    # the facets only, `facets=False` empty facet counts, `highlight=False` hits
    # without match marks. What is found is the same either way.
    hits: bool = True
    facets: bool = True
    highlight: bool = True

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise QueryError("sort", f"kies een van: {', '.join(SORTS)}")
        if not isinstance(self.page, int) or self.page < 1:
            raise QueryError("page", "moet een heel getal van 1 of meer zijn")
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(
                "per_page", f"moet een heel getal van 1 tot en met {MAX_PER_PAGE} zijn"
            )


# Filters with one value each: the counts next to their options leave their own choice
# out (`ResultsPage.option_counts`). In the order a wider search leaves them out.
SINGLE_CHOICE_FILTERS = ("gemeente", "wet", "segment", "profiel", "intensiteit", "taal")


@dataclass(frozen=True)
class SearchRequest(SearchFilters):
    """What a visitor asks for: the filters, the search text, the order and the page.

    The query string of the pages and the API, validated by `etalage.web.params`: codes
    are the pack's canonical codes, `postcode` is normalised ("1621AB" or "1621"). A
    request is its own filters: `query()` hands it to the backends as they are.
    """

    q: str | None = None
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def pc4(self) -> str | None:
        return self.postcode[:4] if self.postcode else None

    def query(
        self,
        *,
        hits: bool = True,
        facets: bool = True,
        highlight: bool = True,
        read_place: bool = True,
    ) -> SearchQuery:
        """The backends' query for this request (and what to compute, see SearchQuery)."""
        return SearchQuery(
            q=self.q or "",
            filters=self,
            sort=self.sort,
            page=self.page,
            per_page=self.per_page,
            hits=hits,
            facets=facets,
            highlight=highlight,
            read_place=read_place,
        )

    def without(self, name: str, **changes: Any) -> SearchRequest:
        """The same request without the one-value filter `name` (and with `changes`)."""
        return replace(self, **{name: None, **changes})

    def wider(self, understood: Understanding) -> list[tuple[LeftOut, SearchRequest]]:
        """The same search with one filter less, for every filter that is set, in the
        order they are offered, each on page 1. What the backend read from the search
        text (`understood`: an age, an age range, a place) counts as a filter too. An age
        range has no filter field of its own: leaving it out is the text without it, and
        the other wider searches keep it in the text."""
        request = self
        options: list[tuple[LeftOut, SearchRequest]] = []
        kept = ""  # what stays in the search text when the words go: an age range
        if understood.changed:
            start, until = understood.leeftijd, understood.leeftijd_tot
            age_range = (start, until) if start is not None and until is not None else None
            request = replace(
                request,
                q=understood.text or None,
                leeftijd=start
                if request.leeftijd is None and age_range is None
                else request.leeftijd,
                gemeente=request.gemeente or understood.gemeente,
            )
            if age_range is not None:
                options.append((LeftOut("leeftijd", *age_range), request))
                kept = understood.leeftijd_tekst
                request = replace(request, q=f"{request.q or ''} {kept}".strip())
        words = understood.text if kept else request.q
        if words:
            options.append((LeftOut("q", words), replace(request, q=kept or None)))
        for name in SINGLE_CHOICE_FILTERS:
            code = getattr(request, name)
            if code is not None:
                options.append((LeftOut(name, code), request.without(name)))
        for tag in request.expertise:
            rest = tuple(other for other in request.expertise if other != tag)
            options.append((LeftOut("expertise", tag), replace(request, expertise=rest)))
        if request.leeftijd is not None:
            options.append((LeftOut("leeftijd", request.leeftijd), replace(request, leeftijd=None)))
        if request.max_wachttijd_weken is not None:
            options.append(
                (
                    LeftOut("max_wachttijd_weken", request.max_wachttijd_weken),
                    replace(request, max_wachttijd_weken=None),
                )
            )
        if request.afstand_km is not None:
            options.append(
                (LeftOut("afstand_km", request.afstand_km), replace(request, afstand_km=None))
            )
        return [(left_out, replace(option, page=1)) for left_out, option in options]


@dataclass(frozen=True)
class Segment:
    """A piece of highlighted text: `match` pieces are what the query found."""

    text: str
    match: bool = False


@dataclass(frozen=True)
class Hit:
    id: str
    document: SearchDocument
    # field -> one list of segments per value (naam, omschrijving: one value;
    # expertise_labels: one per label). Plain text: escape it when rendering.
    highlights: Mapping[str, Sequence[Sequence[Segment]]]
    afstand_km: float | None = None


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]  # facet name -> value -> count
    backend: BackendName
    understood: Understanding  # what q was read as ("we zochten op ...")
    suggestion: str | None = None  # "Bedoelde u ...?" when nothing matched
    relaxed_words: tuple[str, ...] = ()  # words left out to find anything at all
    lighter_first: bool = False  # help that fits an ordinary referral came first
    took_ms: float = 0.0
    notice: str | None = None  # quiet Dutch notice (e.g. the fallback is answering)

    def with_backend(self, backend: BackendName, notice: str | None) -> SearchResult:
        return replace(self, backend=backend, notice=notice)

    def with_facets(self, facets: dict[str, dict[str, int]]) -> SearchResult:
        return replace(self, facets=facets)


@dataclass(frozen=True)
class LeftOut:
    """What a wider search leaves out: `parameter` names it (`q`: the words), `value` is
    what it held; an age range read from the search text is `leeftijd` with `until`."""

    parameter: str
    value: str | int | float
    until: int | None = None


@dataclass(frozen=True)
class WiderSearch:
    """The same search with one filter less, and how many it finds."""

    left_out: LeftOut
    request: SearchRequest
    total: int


@dataclass(frozen=True)
class ResultsPage:
    """One page of results as a results page shows it (`ResilientBackend.results_page`)."""

    request: SearchRequest
    result: SearchResult  # the hits, the total, the facet counts, which backend answered
    # filter -> option -> how many providers you find when you choose it: the facet
    # counts, except for a one-choice filter that is set, whose options are counted
    # without it (its chosen option finds `result.total`).
    option_counts: dict[str, dict[str, int]]
    # When nothing was found: the wider searches that find something, most first.
    wider: tuple[WiderSearch, ...] = ()


@dataclass(frozen=True)
class IndexStats:
    count: int
    checksum: str  # documents.checksum_of over (id, hash); compare with the database


@dataclass(frozen=True)
class Health:
    ok: bool
    backend: BackendName
    detail: str = ""
    latency_ms: float | None = None


@runtime_checkable
class SearchBackend(Protocol):
    name: BackendName

    def search(self, query: SearchQuery) -> SearchResult: ...

    def index_documents(self, docs: Iterable[SearchDocument]) -> None:
        """Add or replace documents (by id); done when it returns."""
        ...

    def delete(self, ids: Iterable[str]) -> None: ...

    def rebuild(self, docs: Iterable[SearchDocument]) -> None:
        """Replace everything: build a new index, then swap it in atomically."""
        ...

    def stats(self) -> IndexStats: ...

    def health(self) -> Health: ...


def as_dict(result: SearchResult) -> dict[str, Any]:
    """A plain-data view of a result, handy for logging and tests."""
    return {
        "total": result.total,
        "ids": [h.id for h in result.hits],
        "facets": result.facets,
        "backend": result.backend,
        "suggestion": result.suggestion,
        "relaxed_words": list(result.relaxed_words),
    }
