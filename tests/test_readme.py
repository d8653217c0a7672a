"""The README documents reality: every setting, every CLI command, every make target."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support import cli_commands

from etalage.cli import main
from etalage.settings import ENVIRONMENT_VARIABLES, settings_from_env

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The text of the `## title` section, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def _table_first_cells(section: str) -> list[str]:
    """The first cell of every body row of the Markdown tables in a section."""
    cells = []
    for line in section.splitlines():
        if not line.startswith("|") or re.match(r"^\|\s*-", line):
            continue
        first = line.split("|")[1].strip()
        if first.startswith("`") and first.endswith("`"):
            cells.append(first.strip("`"))
    return cells


def _config_rows() -> dict[str, str]:
    rows = {}
    for line in _section("Configuration").splitlines():
        match = re.match(r"^\|\s*`(ETALAGE_[A-Z_]+)`\s*\|(.*)$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def _cli_rows() -> dict[tuple[str, ...], str]:
    """README CLI table: command path (words before the first argument) -> usage cell."""
    rows = {}
    for usage in _table_first_cells(_section("Command line")):
        words = usage.split()
        assert words[0] == "etalage", f"CLI table row does not start with 'etalage': {usage}"
        path = []
        for word in words[1:]:
            if word.isupper() or word.startswith(("[", "-")):
                break
            path.append(word)
        rows[tuple(path)] = usage
    return rows


def _real_commands() -> dict[tuple[str, ...], click.Command]:
    return cli_commands()


# ---------------------------------------------------------------------------- settings


def test_every_environment_variable_is_documented() -> None:
    documented = _config_rows()
    missing = sorted(set(ENVIRONMENT_VARIABLES) - set(documented))
    assert not missing, f"README configuration table lacks: {missing}"


def test_every_documented_variable_exists() -> None:
    mentioned = set(re.findall(r"\bETALAGE_[A-Z_]*[A-Z]\b", README))
    unknown = sorted(mentioned - set(ENVIRONMENT_VARIABLES))
    assert not unknown, f"README mentions settings that etalage.settings does not know: {unknown}"


def test_documented_defaults_match_the_code() -> None:
    defaults = settings_from_env({})
    rows = _config_rows()
    assert f"`{defaults.region}`" in rows["ETALAGE_REGION"]
    assert f"`./{defaults.var_dir.name}`" in rows["ETALAGE_VAR_DIR"]
    assert defaults.database_url.endswith("/etalage.db")
    assert "etalage.db" in rows["ETALAGE_DATABASE_URL"]
    assert defaults.meilisearch_url is None
    assert "embedded" in rows["ETALAGE_MEILISEARCH_URL"]
    assert defaults.secret_key_is_ephemeral
    assert "random" in rows["ETALAGE_SECRET_KEY"]


# ---------------------------------------------------------------------------- CLI


def test_every_documented_command_exists_with_its_options() -> None:
    real = _real_commands()
    for path, usage in _cli_rows().items():
        assert path in real, f"README documents `{usage}`, but there is no such command"
        options = {opt for param in real[path].params for opt in param.opts}
        arguments = {
            param.name.upper()
            for param in real[path].params
            if isinstance(param, click.Argument) and param.name
        }
        for option in re.findall(r"--[a-z][a-z-]*", usage):
            assert option in options, f"`{usage}`: the command has no option {option}"
        for argument in re.findall(r"\b[A-Z][A-Z_]+\b", usage):
            assert argument in arguments, f"`{usage}`: the command has no argument {argument}"


def test_every_command_is_documented() -> None:
    documented = set(_cli_rows())
    undocumented = sorted(" ".join(p) for p in set(_real_commands()) - documented)
    assert not undocumented, f"README's CLI table lacks: {undocumented}"


def test_cli_help_works() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    for name in main.commands:
        assert name in result.output


@pytest.mark.parametrize("path", sorted(_real_commands()), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


# ---------------------------------------------------------------------------- make


def _make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z0-9_-]+)\s*:(?!=)", MAKEFILE, re.M))


def _code_in_readme() -> str:
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", README, re.M | re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", README, flags=re.M | re.S))
    return "\n".join([*fenced, *inline])


def test_every_make_target_in_the_readme_exists() -> None:
    command = r"(?:^|[ \t;&|(])make[ \t]+(?:[A-Z_]+=\S+[ \t]+)*([a-z][\w-]*)"
    mentioned = set(re.findall(command, _code_in_readme(), re.M))
    assert {"run", "test"} <= mentioned, "README should show `make run` and `make test`"
    missing = sorted(mentioned - _make_targets())
    assert not missing, f"README mentions make targets the Makefile lacks: {missing}"


def test_make_targets_document_themselves() -> None:
    phony = set(re.findall(r"^\.PHONY:(.*)$", MAKEFILE, re.M)[0].split())
    documented = set(re.findall(r"^([a-z][\w-]*):[^#\n]*## ", MAKEFILE, re.M))
    assert phony <= documented, f"targets without a `## help` comment: {sorted(phony - documented)}"


# ---------------------------------------------------------------------------- folders


def test_architecture_folders_exist() -> None:
    folders = [cell for cell in _table_first_cells(_section("Architecture")) if cell.endswith("/")]
    assert folders
    missing = [folder for folder in folders if not (ROOT / folder).is_dir()]
    assert not missing, f"README's architecture names folders that do not exist: {missing}"
