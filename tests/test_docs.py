"""The docs under docs/ document reality.

Their Markdown tables are read and compared with the code: every CLI command and option,
every setting, every route and API field (through the app's own OpenAPI document), the
import columns, and the codes and rule parameters of the Westfriesland region pack. A
`## Planned (not yet built)` section is left out of these checks; what it describes must
not exist yet. Every `docs/….md` cited anywhere in the code must exist, with its anchor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import click
import pytest
from click.testing import CliRunner
from litestar import Litestar
from pydantic import BaseModel
from support import cli_commands

from etalage.assistant import AssistantConfig, advise, load_config
from etalage.assistant.answers import ANSWER_KEYS
from etalage.assistant.config import QUESTION_KEYS
from etalage.catalogue.import_header import COLUMNS, REQUIRED_COLUMNS
from etalage.catalogue.import_validation import FORMULA_PREFIXES, MAX_LENGTH
from etalage.cli import main
from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.region import RegionPack, load_pack
from etalage.region.loader import PACKS_DIR
from etalage.settings import ENVIRONMENT_VARIABLES, settings_from_env
from etalage.web.app import create_app
from search_index.protocol import FACETS, SORTS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PLANNED = "Planned (not yet built)"
# Where code may cite the docs; every citation must exist.
CITING_ROOTS = ("etalage", "search_index", "tests", "templates", "bench", "scripts")
CITING_SUFFIXES = (".py", ".yaml", ".yml", ".html", ".md", ".sh", ".toml")
CITATION = re.compile(r"\bdocs/([a-z0-9_-]+\.md)(?:#([a-z0-9_-]+))?")
IGNORED_METHODS = {"OPTIONS", "HEAD"}  # OPTIONS is Litestar's; HEAD is answered for every GET


# ---------------------------------------------------------------------------- Markdown


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _without_fences(text: str) -> str:
    return re.sub(r"^```.*?^```[^\n]*$", "", text, flags=re.M | re.S)


def _built(text: str) -> str:
    """The text without its `## Planned (not yet built)` section."""
    return re.sub(rf"^## {re.escape(PLANNED)}\n.*?(?=^## |\Z)", "", text, flags=re.M | re.S)


def _planned(text: str) -> str:
    match = re.search(rf"^## {re.escape(PLANNED)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def _section(text: str, title: str, level: int) -> str:
    """The body of the heading `title` at `level`, up to the next heading at that level
    or above."""
    hashes = "#" * level
    pattern = rf"^{hashes} {re.escape(title)}\n(.*?)(?=^#{{1,{level}}} |\Z)"
    match = re.search(pattern, _without_fences(text), re.M | re.S)
    assert match, f"no '{hashes} {title}' section"
    return match.group(1)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def by_code(self) -> dict[str, tuple[str, ...]]:
        """First cell (one `code`) -> the whole row."""
        out: dict[str, tuple[str, ...]] = {}
        for row in self.rows:
            key = _code(row[0])
            assert key not in out, f"table {self.header}: `{key}` is listed twice"
            out[key] = row
        return out


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner[1:]
    return tuple(cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner))


def _tables(text: str) -> list[Table]:
    lines = _without_fences(text).splitlines()
    tables: list[Table] = []
    i = 0
    while i < len(lines) - 1:
        if lines[i].startswith("|") and re.match(r"^\|\s*:?-", lines[i + 1]):
            rows = []
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(_cells(lines[j]))
                j += 1
            tables.append(Table(_cells(lines[i]), tuple(rows)))
            i = j
        else:
            i += 1
    return tables


def _table(text: str, *header: str) -> Table:
    """The one table in `text` with exactly this header."""
    found = [t for t in _tables(text) if t.header == header]
    assert len(found) == 1, f"expected one table with header {header}, found {len(found)}"
    return found[0]


def _code(cell: str) -> str:
    match = re.fullmatch(r"`([^`]+)`", cell)
    assert match, f"expected a single `code` in the cell {cell!r}"
    return match.group(1)


def _codes(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for heading in re.findall(r"^#{1,6} (.+)$", _without_fences(text), re.M):
        slug = _slug(heading)
        n = seen.get(slug, 0)
        anchors.add(slug if n == 0 else f"{slug}-{n}")
        seen[slug] = n + 1
    return anchors


def _doc_names() -> list[str]:
    return sorted(p.name for p in DOCS.glob("*.md"))


# ---------------------------------------------------------------------------- the docs themselves


def test_the_index_lists_every_doc() -> None:
    index = _doc("README.md")
    linked = set(re.findall(r"\]\(([a-z0-9_-]+\.md)\)", index))
    missing = sorted(set(_doc_names()) - {"README.md"} - linked)
    assert not missing, f"docs/README.md does not list: {missing}"


@pytest.mark.parametrize("name", _doc_names())
def test_links_between_docs_resolve(name: str) -> None:
    text = _doc(name)
    for target in re.findall(r"\]\(([^)\s]+)\)", _without_fences(text)):
        if re.match(r"^[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        file = (DOCS / path).resolve() if path else DOCS / name
        assert file.exists(), f"{name} links to {target}, which does not exist"
        if anchor:
            assert file.suffix == ".md", f"{name}: anchor on a non-Markdown link {target}"
            anchors = _anchors(file.read_text(encoding="utf-8"))
            assert anchor in anchors, f"{name} links to {target}: no such heading"


def _citing_files() -> Iterator[Path]:
    yield ROOT / "README.md"
    for root in CITING_ROOTS:
        for path in sorted((ROOT / root).rglob("*")):
            if path.suffix in CITING_SUFFIXES and path.is_file():
                yield path


def test_every_cited_doc_exists() -> None:
    problems = []
    for path in _citing_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for name, anchor in CITATION.findall(text):
            where = f"{path.relative_to(ROOT)} cites docs/{name}"
            if not (DOCS / name).is_file():
                problems.append(f"{where}, which does not exist")
            elif anchor and anchor not in _anchors(_doc(name)):
                problems.append(f"{where}#{anchor}, which has no such heading")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------- CLI


def _real_commands() -> dict[tuple[str, ...], click.Command]:
    return cli_commands()


def _command_path(usage: str) -> tuple[str, ...]:
    words = usage.split()
    assert words[0] == "etalage", f"a command row does not start with 'etalage': {usage}"
    path = []
    for word in words[1:]:
        if word.isupper() or word.startswith(("[", "-")):
            break
        path.append(word)
    return tuple(path)


def _usages(text: str) -> dict[tuple[str, ...], str]:
    rows = {}
    for table in _tables(text):
        if table.header[0] == "command":
            for row in table.rows:
                rows[_command_path(_code(row[0]))] = _code(row[0])
    return rows


def _options(command: click.Command) -> dict[str, click.Parameter]:
    return {
        opt: param
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
    }


def _arguments(command: click.Command) -> set[str]:
    return {p.name.upper() for p in command.params if isinstance(p, click.Argument) and p.name}


def _usage_matches(usage: str, command: click.Command) -> list[str]:
    """What is wrong with `usage` for this command (empty when it fits)."""
    problems = []
    options = _options(command)
    for option, metavar in re.findall(r"(--[a-z][a-z-]*)(?:\s+([A-Z][A-Z_]*))?", usage):
        param = options.get(option)
        if param is None:
            problems.append(f"no option {option}")
        elif bool(metavar) == getattr(param, "is_flag", False):
            problems.append(f"{option} is {'a flag' if metavar else 'not a flag'}")
    rest = re.sub(r"--[a-z][a-z-]*(\s+[A-Z][A-Z_]*)?", "", usage)
    documented_args = set(re.findall(r"\b[A-Z][A-Z_]+\b", rest))
    if documented_args != _arguments(command):
        problems.append(f"arguments {sorted(documented_args)} != {sorted(_arguments(command))}")
    undocumented = sorted(set(options) - set(re.findall(r"--[a-z][a-z-]*", usage)))
    if undocumented:
        problems.append(f"options not shown: {undocumented}")
    return problems


CLI = _doc("cli.md")


def test_every_documented_command_exists_with_its_options() -> None:
    real = _real_commands()
    documented = _usages(_section(CLI, "Commands", 2))
    assert documented
    for path, usage in documented.items():
        assert path in real, f"docs/cli.md documents `{usage}`, but there is no such command"
        problems = _usage_matches(usage, real[path])
        assert not problems, f"docs/cli.md `{usage}`: {'; '.join(problems)}"


def test_every_command_is_documented() -> None:
    documented = set(_usages(_section(CLI, "Commands", 2)))
    undocumented = sorted(" ".join(p) for p in set(_real_commands()) - documented)
    assert not undocumented, f"docs/cli.md's command table lacks: {undocumented}"


@pytest.mark.parametrize("path", sorted(_real_commands()), ids=" ".join)
def test_every_command_has_a_section_with_its_options(path: tuple[str, ...]) -> None:
    command = _real_commands()[path]
    section = _section(CLI, f"`etalage {' '.join(path)}`", 2)
    options = _options(command)
    rows = [t for t in _tables(section) if t.header[0] == "option"]
    documented: dict[str, str] = {}
    for table in rows:
        assert table.header == ("option", "default", "meaning"), table.header
        for row in table.rows:
            documented[_code(row[0]).split()[0]] = row[1]
    assert set(documented) == set(options), f"etalage {' '.join(path)}: option table"
    for name, default in documented.items():
        param = options[name]
        if getattr(param, "is_flag", False):
            assert default == "off", f"{name}: a flag's default is 'off'"
        elif param.default is not None and "UNSET" not in repr(param.default):
            assert f"`{param.default}`" in default, f"{name}: default is {param.default!r}"


def test_global_options_are_documented() -> None:
    table = _table(_section(CLI, "Global options", 2), "option", "meaning")
    documented = {_code(row[0]) for row in table.rows}
    assert documented == set(_options(main)) | {"--help"}


def test_exit_codes_are_documented_and_real(tmp_path: Path) -> None:
    table = _table(_section(CLI, "Exit codes", 2), "code", "meaning")
    assert [_code(row[0]) for row in table.rows] == ["0", "1", "2"]
    runner = CliRunner()
    assert runner.invoke(main, ["--help"]).exit_code == 0
    assert runner.invoke(main, ["import", str(tmp_path / "missing.csv")]).exit_code == 2
    assert runner.invoke(main, ["import", str(tmp_path)]).exit_code == 2
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2


def test_planned_commands_do_not_exist_yet() -> None:
    real = _real_commands()
    for path, usage in _usages(_planned(CLI)).items():
        if path in real and not _usage_matches(usage, real[path]):
            pytest.fail(f"`{usage}` exists now: move it out of docs/cli.md's Planned section")


# ---------------------------------------------------------------------------- configuration


CONFIGURATION = _doc("configuration.md")


def _config_rows() -> dict[str, tuple[str, ...]]:
    section = _section(CONFIGURATION, "Environment variables", 2)
    return _table(section, "variable", "default", "meaning").by_code()


def test_configuration_table_names_exactly_the_settings() -> None:
    assert set(_config_rows()) == set(ENVIRONMENT_VARIABLES)


def test_docs_mention_only_real_settings() -> None:
    for name in _doc_names():
        mentioned = set(re.findall(r"\bETALAGE_[A-Z_]*[A-Z]\b", _doc(name)))
        unknown = sorted(mentioned - set(ENVIRONMENT_VARIABLES))
        assert not unknown, f"docs/{name} mentions unknown settings: {unknown}"


def test_documented_defaults_match_the_code() -> None:
    defaults = settings_from_env({})
    rows = {name: row[1] for name, row in _config_rows().items()}
    assert f"`{defaults.region}`" in rows["ETALAGE_REGION"]
    assert f"`./{defaults.var_dir.name}`" in rows["ETALAGE_VAR_DIR"]
    assert defaults.database_url.endswith("/etalage.db")
    assert "etalage.db" in rows["ETALAGE_DATABASE_URL"]
    assert defaults.meilisearch_url is None
    assert "embedded" in rows["ETALAGE_MEILISEARCH_URL"]
    assert defaults.meilisearch_key is None
    assert "unset" in rows["ETALAGE_MEILISEARCH_KEY"]
    assert defaults.secret_key_is_ephemeral
    assert "random" in rows["ETALAGE_SECRET_KEY"]


# ---------------------------------------------------------------------------- HTTP


HTTP = _doc("http-api.md")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Litestar]:
    """The real app on an empty, migrated SQLite database (never started: no server)."""
    folder = tmp_path_factory.mktemp("docs")
    settings = settings_from_env({"ETALAGE_VAR_DIR": str(folder)})
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    yield create_app(settings)
    engine_for(settings.database_url).dispose()


@pytest.fixture(scope="module")
def openapi(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()


def _routes(text: str) -> set[tuple[str, str]]:
    found = set()
    for table in _tables(text):
        if table.header[:2] == ("method", "path"):
            found.update((_code(row[0]), _code(row[1])) for row in table.rows)
    return found


def _real_routes(app: Litestar) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        path = re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route.path)
        methods = set(getattr(route, "methods", ())) - IGNORED_METHODS
        found.update((method, path) for method in methods)
    return found


def test_every_documented_route_exists(app: Litestar) -> None:
    documented = _routes(_built(HTTP))
    missing = sorted(documented - _real_routes(app))
    assert documented
    assert not missing, f"docs/http-api.md documents routes the app lacks: {missing}"


def test_every_route_is_documented(app: Litestar) -> None:
    real = _real_routes(app)
    assert any(path.startswith("/api/v1/") for _, path in real)
    undocumented = sorted(real - _routes(_built(HTTP)))
    assert not undocumented, f"docs/http-api.md's route tables lack: {undocumented}"


def test_planned_routes_do_not_exist_yet(app: Litestar) -> None:
    built = sorted(_routes(_planned(HTTP)) & _real_routes(app))
    assert not built, f"these exist now: move them out of docs/http-api.md's Planned part: {built}"


def _resolve(openapi: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`s, and take the non-null branch of an `anyOf`/`oneOf`."""
    while True:
        if "$ref" in node:
            node = openapi["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node or "oneOf" in node:
            branches = node.get("anyOf") or node.get("oneOf")
            node = next(b for b in branches if b.get("type") != "null")
        elif node.get("type") == "array" and "items" in node:
            node = node["items"]
        else:
            return node


def _fields(openapi: dict[str, Any], node: dict[str, Any], *path: str) -> set[str]:
    node = _resolve(openapi, node)
    for name in path:
        node = _resolve(openapi, node["properties"][name])
    return set(node["properties"])


def _response(openapi: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    content = openapi["paths"][path][method]["responses"]["200"]["content"]
    return dict(content["application/json"]["schema"])


def _field_codes(section: str, *header: str) -> list[str]:
    return [_code(row[0]) for row in _table(section, *header).rows]


SEARCH = _section(HTTP, "Provider search", 2)
DETAIL = _section(HTTP, "One provider", 2)
ADVICE = _section(HTTP, "Hulpwijzer advice", 2)


def test_search_parameters_are_documented(openapi: dict[str, Any]) -> None:
    operation = openapi["paths"]["/api/v1/providers"]["get"]
    real = {p["name"] for p in operation["parameters"]}
    section = _section(SEARCH, "Query parameters", 3)
    assert set(_field_codes(section, "parameter", "values", "meaning")) == real


def test_sort_orders_are_documented() -> None:
    section = _section(SEARCH, "Sorting", 3)
    assert set(_field_codes(section, "sort", "order")) == set(SORTS)


def test_search_response_fields_are_documented(openapi: dict[str, Any]) -> None:
    response = _response(openapi, "/api/v1/providers", "get")
    for title, path in (
        ("Response", ()),
        ("Results", ("results",)),
        ("The `wachttijd` object", ("results", "wachttijd")),
        ("The `kpi` object", ("results", "kpi")),
    ):
        documented = set(_field_codes(_section(SEARCH, title, 3), "field", "meaning"))
        assert documented == _fields(openapi, response, *path), f"'{title}' of provider search"


def test_facets_are_documented() -> None:
    section = _section(SEARCH, "Facets", 3)
    assert set(_field_codes(section, "facet", "counts per")) == set(FACETS)


def test_provider_detail_fields_are_documented(openapi: dict[str, Any]) -> None:
    detail = _response(openapi, "/api/v1/providers/{kvk}", "get")
    summary = _fields(openapi, _response(openapi, "/api/v1/providers", "get"), "results")
    documented = set(_field_codes(DETAIL, "field", "meaning"))
    assert documented | (summary - {"afstand_km"}) == _fields(openapi, detail)
    history = _fields(openapi, detail, "wachttijd_historie")
    assert history == _fields(openapi, detail, "wachttijd") | {"wachtlijst_aantal"}


def test_advice_request_is_documented(openapi: dict[str, Any]) -> None:
    body = openapi["paths"]["/api/v1/assistant/advice"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    section = _section(ADVICE, "Request", 3)
    assert set(_field_codes(section, "field", "meaning")) == _fields(openapi, schema)
    answers = set(_field_codes(section, "answer", "type"))
    assert answers == _fields(openapi, schema, "answers") == set(ANSWER_KEYS)


def test_advice_response_fields_are_documented(openapi: dict[str, Any]) -> None:
    response = _response(openapi, "/api/v1/assistant/advice", "post")
    for title, path in (
        ("Response", ()),
        ("Follow-up questions", ("follow_up_questions",)),
        ("Providers", ("providers",)),
        ("The crisis object", ("crisis",)),
        ("Crisis contacts", ("crisis", "contacts")),
    ):
        documented = set(_field_codes(_section(ADVICE, title, 3), "field", "meaning"))
        assert documented == _fields(openapi, response, *path), f"'{title}' of the advice"


def test_professional_details_are_documented() -> None:
    advice = advise(
        load_pack("westfriesland"), "Mijn zoon van 12 heeft autisme.", mode="professional"
    )
    assert advice.professional is not None
    section = _section(ADVICE, "Professional details", 3)
    assert set(_field_codes(section, "field", "meaning")) == set(advice.professional)


def test_crisis_kinds_are_documented() -> None:
    config = load_config(load_pack("westfriesland"))
    kinds = set(config.crisis.signals) | {"acute_safety"}
    row = _table(_section(ADVICE, "The crisis object", 3), "field", "meaning").by_code()["kinds"]
    assert set(_codes(row[1])) == kinds


# ---------------------------------------------------------------------------- import format


IMPORT = _doc("import-format.md")


def _import_columns() -> Table:
    return _table(_section(IMPORT, "Columns", 2), "column", "required", "format and meaning")


def test_import_columns_are_the_importers() -> None:
    documented = [_code(row[0]) for row in _import_columns().rows]
    assert documented == list(COLUMNS)


def test_required_import_columns() -> None:
    required = {_code(row[0]) for row in _import_columns().rows if row[1] == "yes"}
    assert required == set(REQUIRED_COLUMNS)
    assert all(
        row[1] in ("yes", "no") or row[1].startswith("if ") for row in _import_columns().rows
    )


def test_import_length_limits() -> None:
    rows = _import_columns().by_code()
    for column, limit in MAX_LENGTH.items():
        assert f"at most {limit} characters" in rows[column][2], column


def test_formula_prefixes_are_documented() -> None:
    section = " ".join(_section(IMPORT, "Formula neutralisation", 2).split())
    names = {"\t": "a tab", "\r": "a carriage return"}
    for prefix in FORMULA_PREFIXES:
        assert (names.get(prefix) or f"`{prefix}`") in section, repr(prefix)


# ---------------------------------------------------------------------------- region pack


REGION = _doc("region-pack.md")
CODES = _section(REGION, "Westfriesland codes", 2)
RULES = _section(REGION, "Hulpwijzer decision rules v1", 2)


@pytest.fixture(scope="module")
def pack() -> RegionPack:
    return load_pack("westfriesland")


@pytest.fixture(scope="module")
def config(pack: RegionPack) -> AssistantConfig:
    return load_config(pack)


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model a field holds, and whether it is a list of them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    args = get_args(annotation)
    if args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], True
    return None, False


def _entry_models() -> dict[str, type[BaseModel]]:
    """Every model-valued key of a pack: `municipalities`, `municipalities[].postcodes`."""
    found: dict[str, type[BaseModel]] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            cls, is_list = _model_of(info.annotation)
            if cls is not None:
                path = f"{prefix}{name}"
                found[path] = cls
                walk(cls, f"{path}[]." if is_list else f"{path}.")

    walk(RegionPack, "")
    return found


def _required(model: type[BaseModel]) -> tuple[set[str], set[str]]:
    fields = model.model_fields
    required = {n for n, f in fields.items() if f.is_required()}
    return required, set(fields) - required


def _dotted(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[part]
    return data


def _value(cell: str) -> Any:
    codes = _codes(cell)
    if len(codes) > 1:
        return codes
    text = _code(cell)
    if text in ("true", "false"):
        return text == "true"
    return int(text) if text.isdigit() else text


def test_pack_files_are_documented() -> None:
    table = _table(_section(REGION, "Files", 2), "file", "required", "holds")
    rows = table.by_code()
    assert set(rows) == {p.name for p in (PACKS_DIR / "westfriesland").glob("*.yaml")}
    assert {name for name, row in rows.items() if row[1] == "yes"} == {"pack.yaml"}


def test_pack_keys_are_documented() -> None:
    table = _table(_section(REGION, "`pack.yaml`", 2), "key", "required", "meaning")
    rows = table.by_code()
    required, optional = _required(RegionPack)
    assert set(rows) == required | optional
    assert {key for key, row in rows.items() if row[1] == "yes"} == required


def test_pack_entries_are_documented() -> None:
    section = _section(REGION, "`pack.yaml`", 2)
    rows = _table(section, "key", "required fields", "optional fields").by_code()
    models = _entry_models()
    assert set(rows) == set(models)
    for key, row in rows.items():
        required, optional = _required(models[key])
        assert (set(_codes(row[1])), set(_codes(row[2]))) == (required, optional), key


def test_assistant_keys_are_documented() -> None:
    section = _section(REGION, "`assistant.yaml`", 3)
    rows = _table(section, "key", "required", "holds").by_code()
    required, optional = _required(AssistantConfig)
    assert set(rows) == required | optional
    assert {key for key, row in rows.items() if row[1] == "yes"} == required


def test_pack_settings(pack: RegionPack) -> None:
    rows = _table(_section(CODES, "Pack settings", 3), "setting", "Westfriesland", "meaning")
    data = pack.model_dump()
    for row in rows.rows:
        assert _value(row[1]) == _dotted(data, _code(row[0])), row[0]


def test_municipalities(pack: RegionPack) -> None:
    table = _table(_section(CODES, "Municipalities", 3), "code", "name", "PC4 areas")
    documented = {code: (row[1], _codes(row[2])) for code, row in table.by_code().items()}
    assert documented == {
        m.code: (m.name, [p.pc4 for p in m.postcodes]) for m in pack.municipalities
    }


def test_laws(pack: RegionPack) -> None:
    table = _table(_section(CODES, "Laws", 3), "code", "name", "ages")
    documented = {code: (row[1], row[2]) for code, row in table.by_code().items()}
    assert documented == {x.code: (x.name, f"{x.age_min}–{x.age_max}") for x in pack.laws}


def test_segments(pack: RegionPack) -> None:
    table = _table(_section(CODES, "Segments", 3), "code", "name", "arrangement needed")
    documented = {code: (row[1], row[2]) for code, row in table.by_code().items()}
    expected = {x.code: (x.name, "yes" if x.needs_arrangement else "no") for x in pack.segments}
    assert documented == expected


def _signals(cell: str) -> list[str]:
    return [s.strip() for s in cell.split(",") if s.strip()]


def test_profiles(pack: RegionPack) -> None:
    table = _table(
        _section(CODES, "Ondersteuningsprofielen", 3),
        "code",
        "law",
        "name",
        "specialist signals (at least)",
        "other signals (at least)",
        "expertise",
    )
    rows = table.by_code()
    assert list(rows) == [p.code for p in pack.profiles]
    for profile in pack.profiles:
        _, law, name, specialist, other, expertise = rows[profile.code]
        assert (_code(law), name, _codes(expertise)) == (
            profile.law,
            profile.name,
            list(profile.expertise),
        ), profile.code
        for documented, real in (
            (specialist, profile.specialist_signals),
            (other, profile.other_signals),
        ):
            known = {s.casefold() for s in real}
            missing = [s for s in _signals(documented) if s.casefold() not in known]
            assert not missing, f"{profile.code}: signals not in the pack: {missing}"


@pytest.mark.parametrize(
    ("title", "kind"), [("Intensities", "intensities"), ("Trajectory types", "trajectory_types")]
)
def test_named_codes(pack: RegionPack, title: str, kind: str) -> None:
    table = _table(_section(CODES, title, 3), "code", "name")
    documented = {code: row[1] for code, row in table.by_code().items()}
    assert documented == {x.code: x.name for x in getattr(pack, kind)}


def test_life_domains(pack: RegionPack, config: AssistantConfig) -> None:
    section = _section(CODES, "Life domains", 3)
    table = _table(section, "code", "name", "youth only")
    documented = [(code, row[1], row[2]) for code, row in table.by_code().items()]
    assert documented == [
        (x.code, x.name, "yes" if x.youth_only else "no") for x in pack.life_domains
    ]
    choices = _table(section, "key", "label", "score").by_code()
    assert {k: (row[1], int(row[2])) for k, row in choices.items()} == {
        c.key: (c.label, c.score) for c in config.zrm_choices
    }


def test_domain_hints(pack: RegionPack) -> None:
    laws = tuple(x.code for x in pack.laws)
    table = _table(_section(CODES, "Domain hints", 3), "domain", *laws)
    documented = [
        (_code(row[0]), *(_code(cell) if cell else None for cell in row[1:])) for row in table.rows
    ]
    assert documented == [
        (hint.domain, *(hint.profiles.get(law) for law in laws)) for hint in pack.domain_hints
    ]


def test_expertise_vocabulary(pack: RegionPack) -> None:
    table = _table(_section(CODES, "Expertise vocabulary", 3), "code", "label")
    documented = [(code, row[1]) for code, row in table.by_code().items()]
    assert documented == [(t.code, t.label) for t in pack.expertise]


def test_languages_and_registration_routes(pack: RegionPack) -> None:
    languages = _table(_section(CODES, "Languages", 3), "code", "name").by_code()
    assert {code: row[1] for code, row in languages.items()} == pack.languages
    routes = _table(_section(CODES, "Registration routes", 3), "code", "label").by_code()
    assert {code: row[1] for code, row in routes.items()} == pack.registration_routes


def test_rules_one_to_ten_are_described() -> None:
    assert re.findall(r"^### Rule (\d+):", RULES, re.M) == [str(n) for n in range(1, 11)]


def test_rule_input_is_the_answers() -> None:
    table = _table(_section(RULES, "Input", 3), "answer", "type", "meaning")
    assert set(table.by_code()) == set(ANSWER_KEYS)


def test_crisis_kinds_and_contacts(config: AssistantConfig) -> None:
    section = _section(RULES, "Rule 1: crisis", 3)
    kinds = _table(section, "kind", "first contact", "examples of signals").by_code()
    assert set(kinds) == set(config.crisis.signals) | {"acute_safety"}
    assert {k: _code(row[1]) for k, row in kinds.items()} == dict(config.crisis.first_contact)
    contacts = _table(section, "key", "name", "phone")
    assert [(_code(r[0]), r[1], r[2]) for r in contacts.rows] == [
        (c.key, c.name, c.phone) for c in config.crisis.contacts
    ]


def test_rule_parameters(config: AssistantConfig) -> None:
    table = _table(_section(RULES, "Parameters", 3), "parameter", "Westfriesland", "used in")
    rows = table.by_code()
    data = config.model_dump()
    expected = {f"thresholds.{k}" for k in data["thresholds"]}
    expected |= {f"signal_weights.{k}" for k in data["signal_weights"]} | {"duurzaam_profiles"}
    assert set(rows) == expected
    for key, row in rows.items():
        real = _dotted(data, key)
        assert _value(row[1]) == (list(real) if isinstance(real, tuple) else real), key


def test_follow_up_question_order() -> None:
    section = _section(RULES, "Explanation and follow-up questions", 3)
    table = _table(section, "key", "asked when")
    assert [_code(row[0]) for row in table.rows] == list(QUESTION_KEYS)
