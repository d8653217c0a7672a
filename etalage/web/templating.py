"""The Jinja2 environment: templates from `resource_dir("templates")`, autoescape on.

Globals give templates the pack, Dutch labels and versioned static URLs
(`/static/css/etalage.css?v=<hash>`), so static files can be cached for a year.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import Request, Response
from litestar.enums import MediaType
from markupsafe import Markup, escape

from etalage import resource_dir
from etalage.catalogue import views
from etalage.region.model import RegionPack
from search_index.protocol import Segment

STATIC_PREFIX = "/static"


@lru_cache(maxsize=64)
def _file_hash(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    """URL of a static file with a content hash, so caches refresh when it changes.
    Vendored files carry their version in the file name already."""
    path = resource_dir("static") / name
    if name.startswith("vendor/") or not path.is_file():
        return f"{STATIC_PREFIX}/{name}"
    return f"{STATIC_PREFIX}/{name}?v={_file_hash(path, path.stat().st_mtime_ns)}"


def query_url(path: str, items: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(items)}" if items else path


def tel_href(phone: str) -> str:
    """'0229 - 12 34 56' -> '0229123456' for a tel: link."""
    return "".join(c for c in phone if c.isdigit() or c == "+")


def is_web_url(url: str) -> bool:
    """Only http(s) addresses become links (no javascript: or data: URLs)."""
    parsed = urlsplit(url.strip())
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def render(
    request: Request[Any, Any, Any],
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    """Render a template here, in the handler's worker thread, instead of returning a
    `Template` that Litestar renders on the event loop (where a 40 kB results page
    would hold up every other request for a few milliseconds)."""
    engine = request.app.template_engine
    if engine is None:  # pragma: no cover - create_app always configures one
        raise RuntimeError("no template engine configured")
    html = engine.get_template(name).render(**context, request=request)
    return Response(html, status_code=status_code, headers=headers, media_type=MediaType.HTML)


MARK_OPEN = Markup('<mark class="etalage-mark">')
MARK_CLOSE = Markup("</mark>")


def marked(segments: Iterable[Segment]) -> Markup:
    """Highlighted text: every piece escaped, the pieces the search matched wrapped in
    <mark>. A filter, not a macro: it runs for every result field on every keystroke."""
    out: list[Markup] = []
    for segment in segments:
        if segment.match:
            out.extend((MARK_OPEN, escape(segment.text), MARK_CLOSE))
        else:
            out.append(escape(segment.text))
    return Markup("").join(out)  # every piece is Markup already; join escapes the rest


def make_environment(pack: RegionPack, *, auto_reload: bool = False) -> Environment:
    """`auto_reload`: look for changed template files on every render (development
    only; in production that is a file system call per template per request)."""
    env = Environment(
        loader=FileSystemLoader(str(resource_dir("templates"))),
        auto_reload=auto_reload,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        {
            "pack": pack,
            "static_url": static_url,
            "query_url": query_url,
            "label": pack.label,
            "treeknorm_text": views.treeknorm_text(pack.treeknorm),
            # For the print footer ("Geprint van … op 3 december 2026").
            "today_nl": lambda: views.format_date(date.today()),
        }
    )
    filters: dict[str, Any] = {
        "label_of": lambda code, kind: pack.label(kind, code),
        "zip_labels": lambda codes, kind: [(c, pack.label(kind, c)) for c in codes],
        "tel_href": tel_href,
        "is_web_url": is_web_url,
        "nl_date": views.format_date,
        "weeks": views.weeks_nl,
        "percent": views.percent_nl,
        "join_nl": views.join_nl,
        "join_or": views.join_or,
        "number_nl": views.number_nl,
        "marked": marked,
    }
    env.filters.update(filters)
    return env
