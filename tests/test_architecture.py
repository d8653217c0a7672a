"""The import rules of docs/architecture.md, checked on the source: which part may
import which. A pure part imports no web framework and no database; the search layer
knows no database; the web layer reads the database only through services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ("litestar", "sqlalchemy", "alembic", "jinja2", "uvicorn")

# part (a module or package, dotted) -> prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "etalage.provider": (*FRAMEWORKS, "etalage.db", "etalage.web", "search_index"),
    "etalage.region": (*FRAMEWORKS, "etalage.db", "etalage.web", "search_index"),
    "etalage.assistant": (*FRAMEWORKS, "etalage.db", "etalage.web", "etalage.indexing"),
    "etalage.conversation": (*FRAMEWORKS, "etalage.db", "etalage.web", "etalage.indexing"),
    "etalage.catalogue.presenters": (*FRAMEWORKS, "etalage.db", "etalage.web"),
    "etalage.catalogue.schemas": (*FRAMEWORKS, "etalage.db", "etalage.web"),
    "etalage.catalogue.views": ("litestar", "sqlalchemy", "etalage.db", "etalage.web"),
    "etalage.catalogue.history_views": ("litestar", "sqlalchemy", "etalage.db", "etalage.web"),
    "etalage.catalogue.result_rows": ("litestar", "sqlalchemy", "etalage.db", "etalage.web"),
    "etalage.catalogue.referral": ("litestar", "sqlalchemy", "etalage.db", "etalage.web"),
    "search_index": ("litestar", "sqlalchemy", "alembic", "etalage.db", "etalage.web"),
    "etalage.web": ("etalage.db.models", "search_index.meili", "search_index.embedded"),
}
MAX_WEB_MODULE_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> list[Path]:
    return sorted(
        p
        for folder in ("etalage", "search_index")
        for p in (ROOT / folder).rglob("*.py")
        if "migrations" not in p.parts
    )


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_each_part_imports_only_what_it_may(part: str) -> None:
    checked = 0
    broken: list[str] = []
    for path in _modules():
        if not _within(_module_name(path), part):
            continue
        checked += 1
        for name in _imports(path):
            for prefix in FORBIDDEN[part]:
                if _within(name, prefix):
                    broken.append(f"{path.relative_to(ROOT)} imports {name}")
    assert checked, f"no module found for {part}"
    assert not broken, "\n".join(broken)


def test_web_modules_stay_small() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "etalage" / "web").glob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_WEB_MODULE_LINES
    }
    assert not long, long


def test_the_rules_catch_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself: a module that imports the database is seen."""
    module = tmp_path / "probe.py"
    module.write_text("from etalage.db.models import Provider\nimport sqlalchemy.orm\n")
    names = _imports(module)
    assert any(_within(n, "etalage.db.models") for n in names)
    assert any(_within(n, "sqlalchemy") for n in names)
