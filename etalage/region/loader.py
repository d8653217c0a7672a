"""Load and validate a region pack folder at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from etalage.region.model import RegionPack

PACKS_DIR = Path(__file__).resolve().parent / "packs"
# Optional extra files merged into pack.yaml under the given key (None: top level).
_PARTS: dict[str, str | None] = {
    "postcodes.yaml": None,
    "assistant.yaml": "assistant",
    "tariffs.yaml": "tariffs",
}


class RegionPackError(Exception):
    """A region pack is missing or broken; the message is Dutch and names the fault."""


def available_packs() -> list[str]:
    return sorted(p.name for p in PACKS_DIR.iterdir() if (p / "pack.yaml").is_file())


def _resolve(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if (candidate / "pack.yaml").is_file():
        return candidate
    builtin = PACKS_DIR / name_or_path
    if (builtin / "pack.yaml").is_file():
        return builtin
    raise RegionPackError(
        f"Regiopakket '{name_or_path}' niet gevonden. Beschikbaar: {', '.join(available_packs())}"
        " (of geef het pad naar een map met pack.yaml)."
    )


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        _check_duplicate_keys(yaml.compose(text), path)
        return yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegionPackError(f"Regiopakket: {path.name} is geen geldige YAML: {exc}") from exc


def _check_duplicate_keys(root: Any, path: Path) -> None:
    """PyYAML keeps the last of two equal keys; in a pack that hides a mistake."""
    stack, seen_nodes = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            lines: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    line = key.start_mark.line + 1
                    if key.value in lines:
                        raise RegionPackError(
                            f"Regiopakket: {path.name} regel {line}: sleutel '{key.value}' komt"
                            f" twee keer voor (ook op regel {lines[key.value]})."
                        )
                    lines[key.value] = line
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _merge_postcodes(doc: dict[str, Any], extra: Any, path: Path) -> None:
    # postcodes.yaml: {municipality_code: [{pc4, lat, lon, place}, ...]}
    if not isinstance(extra, dict):
        raise RegionPackError(f"Regiopakket: {path.name} moet per gemeente een lijst bevatten.")
    by_code = {m.get("code"): m for m in doc.get("municipalities", []) if isinstance(m, dict)}
    for code, areas in extra.items():
        if code not in by_code:
            raise RegionPackError(f"Regiopakket: {path.name} noemt onbekende gemeente '{code}'.")
        by_code[code]["postcodes"] = areas


def load_pack_from(folder: Path) -> RegionPack:
    doc = _read_yaml(folder / "pack.yaml")
    if not isinstance(doc, dict):
        raise RegionPackError("Regiopakket: pack.yaml moet een YAML-object zijn.")
    for filename, key in _PARTS.items():
        part = folder / filename
        if not part.is_file():
            continue
        extra = _read_yaml(part)
        if key is None:
            _merge_postcodes(doc, extra, part)
        else:
            doc[key] = extra
    try:
        return RegionPack.model_validate(doc)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            text = _dutch_message(err)
            where = _where(doc, err["loc"])
            problems.append(f"'{where}' {text}" if where else text)
        raise RegionPackError(
            f"Regiopakket '{folder.name}' is ongeldig: " + "; ".join(problems)
        ) from None


# Pydantic's error types in plain Dutch; placeholders come from the error's context.
_DUTCH_ERRORS: dict[str, str] = {
    "missing": "ontbreekt",
    "extra_forbidden": "is geen bekend veld",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "dict_type": "moet een object met sleutels en waarden zijn",
    "model_type": "moet een object met sleutels en waarden zijn",
    "model_attributes_type": "moet een object met sleutels en waarden zijn",
    "tuple_type": "moet een lijst zijn",
    "list_type": "moet een lijst zijn",
    "string_pattern_mismatch": "heeft een ongeldige vorm (verwacht: {pattern})",
    "greater_than_equal": "moet {ge} of meer zijn",
    "less_than_equal": "moet {le} of minder zijn",
    "literal_error": "moet een van deze waarden zijn: {expected}",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
}


def _dutch_message(err: Any) -> str:
    ctx = err.get("ctx") or {}
    if err["type"] == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own cross-reference messages, already Dutch
    template = _DUTCH_ERRORS.get(err["type"])
    if template is None:
        return str(err["msg"])
    if "expected" in ctx:  # pydantic lists choices as "'a', 'b' or 'c'"
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", " of ")}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def _where(doc: Any, loc: tuple[int | str, ...]) -> str:
    """A readable location: list items are named by their code, e.g. profiles[J4].law."""
    out = ""
    node = doc
    for key in loc:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            out += f"[{_item_name(item) or f'nr. {key + 1}'}]"
            node = item
        else:
            out += f".{key}" if out else key
            node = node.get(key) if isinstance(node, dict) else None
    return out


def _item_name(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in ("code", "pc4", "domain"):
        if item.get(key) is not None:
            return str(item[key])
    if all(item.get(k) is not None for k in ("profile", "intensity", "trajectory")):
        return f"{item['profile']}/{item['intensity']}/{item['trajectory']}"
    return None


@lru_cache(maxsize=8)
def load_pack(name_or_path: str = "westfriesland") -> RegionPack:
    return load_pack_from(_resolve(name_or_path))
