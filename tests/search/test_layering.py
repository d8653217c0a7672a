"""The search policy stays in the search layer.

What to count where (the embedded copy or Meilisearch) and when to fall back is decided
in `search_index`; the web layer asks for a results page (`results_page`) and renders
it. So no web module reaches into the resilient backend's parts, and the search
parameters travel as the search layer's own `SearchRequest` from the query string to
the backends.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import ROOT

# The resilient backend's parts: the two backends, and how it decides between them.
INTERNALS = re.compile(
    r"\.(primary|fallback|local_copy|_?count_locally|using_fallback|lagging|_open)\b"
)
WEB = sorted((ROOT / "etalage" / "web").glob("*.py"))


@pytest.mark.parametrize("path", WEB, ids=lambda p: p.name)
def test_the_web_layer_does_not_reach_into_the_search_backend(path: Path) -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INTERNALS.search(line)
    ]
    assert found == []


def test_the_web_modules_are_all_checked() -> None:
    assert {"services.py", "pages.py", "api.py", "params.py", "app.py"} <= {p.name for p in WEB}


def test_search_parameters_have_one_type_from_the_query_string_to_the_backend() -> None:
    """`ProviderFilters` (the web layer's old copy of the filters) is gone: the query
    string is parsed into `search_index.SearchRequest`."""
    users = [
        str(path.relative_to(ROOT))
        for folder in ("etalage", "search_index", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "ProviderFilters" in path.read_text(encoding="utf-8")
    ]
    assert users == []
