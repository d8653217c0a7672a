"""A broken pack fails at start-up with a Dutch RegionPackError that names the fault.

Each test copies a valid pack folder to tmp_path, breaks one thing and loads it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from etalage.region import RegionPackError, load_pack
from etalage.region.loader import PACKS_DIR, load_pack_from

Doc = dict[str, Any]

# English text of the underlying libraries must not reach the pack's maintainer.
ENGLISH = ("Field required", "Value error", "Input should", "Extra inputs")


def copy_pack(tmp_path: Path, name: str = "westfriesland") -> Path:
    folder = tmp_path / f"kapot-{name}"
    shutil.copytree(PACKS_DIR / name, folder)
    return folder


def mutate(folder: Path, filename: str, change: Callable[[Any], None]) -> None:
    path = folder / filename
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def load_error(folder: Path) -> str:
    with pytest.raises(RegionPackError) as info:
        load_pack_from(folder)
    message = str(info.value)
    assert not any(word in message for word in ENGLISH), message
    return message


def profile(doc: Doc, code: str) -> Doc:
    return next(p for p in doc["profiles"] if p["code"] == code)


def test_the_copied_pack_is_valid(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: None)  # a YAML round trip changes nothing
    assert load_pack_from(folder).code == "westfriesland"
    assert load_pack(str(folder)).code == "westfriesland"  # a path works as a pack name


def test_unknown_law_in_a_profile(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: profile(doc, "J2").update(law="jeugdzorg"))
    message = load_error(folder)
    assert message.startswith(f"Regiopakket '{folder.name}' is ongeldig")
    assert "profiel 'J2' hoort bij onbekende wet 'jeugdzorg'" in message


def test_duplicate_profile_code(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)

    def change(doc: Doc) -> None:
        doc["profiles"].append(dict(profile(doc, "J3"), name="Nog een profiel"))

    mutate(folder, "pack.yaml", change)
    assert "dubbele code voor profiel: 'J3' komt 2 keer voor" in load_error(folder)


def test_duplicate_municipality_code(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(
        folder,
        "pack.yaml",
        lambda doc: doc["municipalities"].append(
            {"code": "hoorn", "name": "Hoorn 2", "lat": 52.6, "lon": 5.0}
        ),
    )
    assert "dubbele code voor gemeente: 'hoorn'" in load_error(folder)


def test_duplicate_postcode_in_two_municipalities(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(
        folder,
        "postcodes.yaml",
        lambda doc: doc["opmeer"].append({"pc4": "1621", "lat": 52.7, "lon": 4.9}),
    )
    assert "dubbele code voor postcode: '1621'" in load_error(folder)


def test_duplicate_key_in_a_yaml_mapping(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    path = folder / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  autsime: autisme\n", "  autsime: autisme\n  autsime: adhd\n"),
        encoding="utf-8",
    )
    message = load_error(folder)
    assert "pack.yaml" in message
    assert "sleutel 'autsime' komt twee keer voor" in message


def test_synonym_pointing_nowhere(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: doc["spelling_variants"].update(autsime="autismus"))
    assert "synoniem 'autsime' wijst naar 'autismus', maar dat bestaat niet" in load_error(folder)


def test_domain_hint_to_an_unknown_profile(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(
        folder,
        "pack.yaml",
        lambda doc: doc["domain_hints"].append({"domain": "financien", "profiles": {"wmo": "W9"}}),
    )
    assert "domeinhint 'financien' wijst naar onbekend profiel 'W9'" in load_error(folder)


def test_domain_hint_to_a_profile_of_the_wrong_law(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)

    def change(doc: Doc) -> None:
        doc["domain_hints"][2]["profiles"] = {"jeugdwet": "W3", "wmo": "W3"}

    mutate(folder, "pack.yaml", change)
    assert (
        "domeinhint 'geestelijke_gezondheid': profiel 'W3' hoort niet bij wet 'jeugdwet'"
        in load_error(folder)
    )


def test_domain_hint_for_an_unknown_domain_or_law(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(
        folder,
        "pack.yaml",
        lambda doc: doc["domain_hints"].append({"domain": "vrije_tijd", "profiles": {"wlz": "W1"}}),
    )
    message = load_error(folder)
    assert "domeinhint voor onbekend levensdomein 'vrije_tijd'" in message
    assert "domeinhint 'vrije_tijd' noemt onbekende wet 'wlz'" in message


def test_unknown_expertise_in_a_profile(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: profile(doc, "J4").update(expertise=["autism"]))
    assert "profiel 'J4' noemt onbekende expertise 'autism'" in load_error(folder)


def test_invalid_yaml(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    (folder / "pack.yaml").write_text("code: westfriesland\nname: [Westfriesland\n")
    message = load_error(folder)
    assert message.startswith("Regiopakket: pack.yaml is geen geldige YAML")


def test_invalid_yaml_in_an_extra_file(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    (folder / "tariffs.yaml").write_text("items:\n  - {profile: J1\n")
    assert "tariffs.yaml is geen geldige YAML" in load_error(folder)


def test_pack_yaml_must_be_a_mapping(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    (folder / "pack.yaml").write_text("- westfriesland\n")
    assert "pack.yaml moet een YAML-object zijn" in load_error(folder)


def test_missing_pack_name(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: doc.pop("name"))
    assert "'name' ontbreekt" in load_error(folder)


def test_missing_field_is_named_by_its_item_code(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: profile(doc, "W6").pop("law"))
    assert "'profiles[W6].law' ontbreekt" in load_error(folder)


def test_postcode_for_an_unknown_municipality(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(
        folder,
        "postcodes.yaml",
        lambda doc: doc.update(schagen=[{"pc4": "1741", "lat": 52.79, "lon": 4.8}]),
    )
    assert "postcodes.yaml noemt onbekende gemeente 'schagen'" in load_error(folder)


def test_malformed_postcode(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "postcodes.yaml", lambda doc: doc["hoorn"][0].update(pc4="162"))
    message = load_error(folder)
    assert "'municipalities[hoorn].postcodes[162].pc4' heeft een ongeldige vorm" in message


def test_wrong_types_and_unknown_fields(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)

    def change(doc: Doc) -> None:
        doc["freshness_weeks"] = "zes"
        doc["profils"] = []
        doc["municipalities"][0]["lat"] = "noord"

    mutate(folder, "pack.yaml", change)
    message = load_error(folder)
    assert "'freshness_weeks' moet een geheel getal zijn" in message
    assert "'profils' is geen bekend veld" in message
    assert "'municipalities[drechterland].lat' moet een getal zijn" in message


def test_out_of_range_numbers(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)

    def change(doc: Doc) -> None:
        doc["kpi_min_n"] = 0
        doc["laws"][0]["age_max"] = 130

    mutate(folder, "pack.yaml", change)
    message = load_error(folder)
    assert "'kpi_min_n' moet 1 of meer zijn" in message
    assert "'laws[jeugdwet].age_max' moet 120 of minder zijn" in message


def test_law_with_age_min_above_age_max(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: doc["laws"][1].update(age_min=90, age_max=18))
    assert "wet 'wmo': age_min is groter dan age_max" in load_error(folder)


def test_invalid_language_code(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "pack.yaml", lambda doc: doc["languages"].update(eng="Engels"))
    assert "taalcode 'eng' is geen ISO 639-1-code" in load_error(folder)


def test_tariff_faults(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)

    def change(doc: Doc) -> None:
        items = doc["items"]
        items.append(dict(items[0]))  # the same arrangement twice
        items.append(dict(items[0], profile="J9", intensity="extreem", trajectory="kort"))

    mutate(folder, "tariffs.yaml", change)
    message = load_error(folder)
    assert "tarief voor J1 / licht / herstel komt 2 keer voor" in message
    assert "tarief voor onbekend profiel 'J9'" in message
    assert "tarief met onbekende intensiteit 'extreem'" in message
    assert "tarief met onbekend trajecttype 'kort'" in message


def test_tariff_with_an_unknown_unit(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    mutate(folder, "tariffs.yaml", lambda doc: doc["items"][1].update(unit="week"))
    assert (
        "'tariffs.items[J1/midden/herstel].unit' moet een van deze waarden zijn:"
        " 'traject', 'maand' of 'jaar'" in load_error(folder)
    )


def test_all_faults_are_reported_together(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path, "testregio")

    def change(doc: Doc) -> None:
        profile(doc, "JA")["law"] = "jeugd"
        doc["spelling_variants"]["foo"] = "bar"

    mutate(folder, "pack.yaml", change)
    message = load_error(folder)
    assert "profiel 'JA' hoort bij onbekende wet 'jeugd'" in message
    assert "synoniem 'foo' wijst naar 'bar'" in message


def test_unknown_pack_name() -> None:
    with pytest.raises(RegionPackError) as info:
        load_pack("atlantis")
    message = str(info.value)
    assert "Regiopakket 'atlantis' niet gevonden" in message
    assert "westfriesland" in message and "testregio" in message
