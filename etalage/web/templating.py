"""The Jinja2 environment: templates from `resource_dir("templates")`, autoescape on.

Globals give templates the pack, Dutch labels and versioned static URLs
(`/static/css/etalage.css?v=<hash>`), so static files can be cached for a year.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from etalage import resource_dir
from etalage.catalogue import views
from etalage.region.model import RegionPack

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


def make_environment(pack: RegionPack) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_dir("templates"))),
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
    }
    env.filters.update(filters)
    return env
