"""The search layer's one small protocol, its query and its answer.

Both backends (Meilisearch and embedded) implement `SearchBackend` and pass the same
contract tests. The web app builds a `SearchQuery` from the request, calls
`backend.search(query)`, and renders `SearchResult`; `QueryError` means a bad parameter
(answer 400 with its Dutch message), `BackendError` a backend that failed (the
resilient wrapper answers from the embedded backend instead).
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


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
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
    took_ms: float = 0.0
    notice: str | None = None  # quiet Dutch notice (e.g. the fallback is answering)

    def with_backend(self, backend: BackendName, notice: str | None) -> SearchResult:
        return replace(self, backend=backend, notice=notice)

    def with_facets(self, facets: dict[str, dict[str, int]]) -> SearchResult:
        return replace(self, facets=facets)


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
