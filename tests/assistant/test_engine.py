"""The advice as the API returns it (docs/http-api.md#hulpwijzer-advice), in both modes."""

from __future__ import annotations

import json
import re
from datetime import date

from support import provider_record

from etalage.assistant import Answers, ProviderIndex, advise, assistant_for
from etalage.assistant.engine import euro
from etalage.region import RegionPack

TODAY = date(2026, 11, 2)
CONTRACT_KEYS = {
    "route",
    "law",
    "profile",
    "intensity",
    "trajectory",
    "explanation",
    "follow_up_questions",
    "crisis",
    "providers",
}
CODE = re.compile(r"\b(?:[JW][1-8]|n_severe|n_affected|segment [ABC])\b")
TEXT = "Mijn zoon van 9 heeft autisme en raakt snel overprikkeld."
ANSWERS = Answers(life_domains={"ontwikkeling": 2, "school_dagbesteding": 3}, postcode="1621AB")


def index(pack: RegionPack) -> ProviderIndex:
    return ProviderIndex(
        pack,
        [
            provider_record(
                "12345678",
                "De Kleine Haven",
                wetten={"jeugdwet"},
                segmenten={"B"},
                arrangementen={("J4", "midden")},
                expertise={"autisme"},
                serves_region=True,
                wait_weeks=3,
                wait_peildatum=date(2026, 10, 20),
                lat=52.67,
                lon=5.1,
            )
        ],
        today=TODAY,
    )


def test_the_contract_shape(pack: RegionPack) -> None:
    data = advise(pack, TEXT, ANSWERS, index(pack), today=TODAY).as_dict()
    assert set(data) >= CONTRACT_KEYS
    assert data["route"] == "B" and data["law"] == "jeugdwet"
    assert data["profile"] == {"code": "J4", "name": "Autisme en ontwikkelingsstoornissen"}
    assert (data["intensity"], data["trajectory"]) == ("midden", "herstel")
    assert data["crisis"] is None
    assert all(set(q) >= {"key", "question"} for q in data["follow_up_questions"])
    provider = data["providers"][0]
    assert {"kvk", "naam", "reasons"} <= set(provider)
    assert provider["kvk"] == "12345678" and provider["reasons"]
    assert data["next_steps"]
    json.dumps(data)  # plain data


def test_inwoner_mode_shows_no_codes_and_no_tariffs(pack: RegionPack) -> None:
    data = advise(pack, TEXT, ANSWERS, index(pack), today=TODAY).as_dict()
    assert "professional" not in data
    texts = [
        *data["explanation"],
        *(r for p in data["providers"] for r in p["reasons"]),
        *(q["question"] for q in data["follow_up_questions"]),
        *data["next_steps"],
    ]
    for line in texts:
        assert not CODE.search(line), line
        assert "€" not in line and "tarief" not in line.casefold(), line
    assert "€" not in json.dumps(data, ensure_ascii=False)


def test_professional_mode_extras(pack: RegionPack) -> None:
    advice = advise(pack, TEXT, ANSWERS, index(pack), mode="professional", today=TODAY)
    pro = advice.professional
    assert pro is not None
    assert pro["codes"] == {
        "route": "B",
        "segment": "B",
        "law": "jeugdwet",
        "profile": "J4",
        "intensity": "midden",
        "trajectory": "herstel",
        "arrangement": "J4:midden",
    }
    tariff = pro["tariff"]
    assert tariff["is_example"] is True and tariff["unit"] == "traject"
    assert tariff["amount_eur"] == pack.tariff("J4", "midden", "herstel").amount_eur  # type: ignore[union-attr]
    assert "voorbeeld" in tariff["label"]
    assert [s["rule"] for s in pro["trace"]] == sorted(s["rule"] for s in pro["trace"])
    assert {s["rule"] for s in pro["trace"]} >= {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
    assert pro["profile_strengths"]["J4"] == 3
    summary = pro["summary"]
    for part in (
        "Hulpvraag:",
        "Levensdomeinen",
        "Segment: B",
        "Profiel: J4",
        "Intensiteit: midden",
        "Traject: herstel",
        "Indicatief tarief: € 4.300",
        "Onderbouwing:",
    ):
        assert part in summary, part
    assert advice.providers[0].reasons[0] == "contract voor J4 midden"


def test_the_signals_point_into_the_text(pack: RegionPack) -> None:
    text = "Onze dochter (14) is erg somber en heeft geen ADHD."
    pro = advise(pack, text, mode="professional").professional
    assert pro is not None
    for s in pro["signals"]:
        assert text[s["start"] : s["end"]] == s["text"]
    adhd = next(s for s in pro["signals"] if s["kind"] == "signal" and s["text"] == "ADHD")
    assert adhd["negated"] is True
    assert any(s["text"] == "somber" and not s["negated"] for s in pro["signals"])


def test_follow_up_questions_name_what_is_missing(pack: RegionPack) -> None:
    advice = advise(pack, "Ik ben eenzaam.")
    keys = [q.key for q in advice.follow_up_questions]
    assert keys == ["age", "life_domains", "network_support", "residential_care_needed", "duration"]
    life = next(q for q in advice.follow_up_questions if q.key == "life_domains")
    assert [o.value for o in life.options] == [4, 3, 2, 1]  # gaat goed .. acuut
    assert life.domains[0].value == "sociaal_netwerk"  # named in the text: asked first
    with_index = advise(pack, "Ik ben eenzaam.", Answers(age=70), index(pack))
    assert "postcode" in [q.key for q in with_index.follow_up_questions]


def test_acute_domain_asks_about_safety(pack: RegionPack) -> None:
    advice = advise(pack, "Ik ben somber.", Answers(age=40, life_domains={"huisvesting": 1}))
    assert advice.follow_up_questions[0].key == "acute_safety"


def test_adult_domains_leave_out_youth_domains(pack: RegionPack) -> None:
    advice = advise(pack, "Ik ben somber.", Answers(age=40))
    life = next(q for q in advice.follow_up_questions if q.key == "life_domains")
    assert "ontwikkeling" not in {o.value for o in life.domains}


def test_euro() -> None:
    assert euro(4300) == "€ 4.300"
    assert euro(1234.5) == "€ 1.234,50"
    assert euro(210) == "€ 210"


def test_the_assistant_is_compiled_once_per_pack(pack: RegionPack) -> None:
    assert assistant_for(pack) is assistant_for(pack)


def test_another_region_pack_works_without_code_changes(
    pack: RegionPack, test_pack: RegionPack
) -> None:
    """The Testregio pack with its own codes (JA, JB, VA, VB) and an assistant section."""
    section = dict(pack.assistant)
    section["duurzaam_profiles"] = ["VB"]
    section["special_cases"] = {"only_need_profiles": []}
    section["lexicon"] = {**section["lexicon"], "same_signal": [], "synonyms": {}}
    domains = {d.code for d in test_pack.life_domains}
    section["life_domain_hints"] = {
        k: v for k, v in section["life_domain_hints"].items() if k in domains
    }
    other = test_pack.model_copy(update={"assistant": section})
    advice = advise(other, "Mijn moeder (82) is dementerend en vergeetachtig.", mode="professional")
    assert (advice.law, advice.profile and advice.profile["code"]) == ("wmo", "VB")
    assert advice.trajectory == "duurzaam"
    youth = advise(other, "Onze zoon (9) heeft ADHD en driftbuien.", Answers(network_support=True))
    assert youth.profile and youth.profile["code"] == "JA" and youth.route == "B"
