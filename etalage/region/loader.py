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
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegionPackError(f"Regiopakket: {path.name} is geen geldige YAML: {exc}") from exc


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
            where = ".".join(str(x) for x in err["loc"])
            problems.append(f"{where}: {err['msg']}" if where else str(err["msg"]))
        raise RegionPackError(
            f"Regiopakket '{folder.name}' is ongeldig: " + "; ".join(problems)
        ) from None


@lru_cache(maxsize=8)
def load_pack(name_or_path: str = "westfriesland") -> RegionPack:
    return load_pack_from(_resolve(name_or_path))
