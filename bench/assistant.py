"""Benchmark of the guided assistant: advice (reading, rules, provider matching) over a
large, generated provider set.

    python bench/assistant.py --providers 10000

Generates N fictional providers from the region pack (deterministic), builds the
`ProviderIndex` once, runs a few hundred advice calls over varied texts and answers, and
prints one JSON object: providers, calls, advice_p50_ms, advice_p95_ms, advice_max_ms,
first_call_ms (including compiling the pack's lexicon), index_build_ms and the mean
number of matching providers per advice.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etalage.assistant import Answers, ProviderIndex, advise
from etalage.provider import KpiPoint, Location, ProviderRecord, WaitingPoint
from etalage.region import RegionPack, load_pack

TODAY = date(2026, 11, 2)

TEXTS = [
    "Mijn zoon van 9 heeft autisme en raakt snel overprikkeld op school.",
    "Onze dochter (14) is somber, piekert veel en slaapt slecht.",
    "Mijn puber blowt elke dag en is agressief tegen zijn broertje.",
    "We hebben veel ruzie thuis sinds de scheiding, de kinderen lijden eronder.",
    "Mijn kind heeft ADHD en krijgt driftbuien, de juf weet het niet meer.",
    "Mijn moeder (84) is dementerend en dwaalt 's nachts door het huis.",
    "Ik ben 67, slecht ter been en kan het huishouden niet meer doen.",
    "Ik ben 34, heb een licht verstandelijke beperking en begrijp brieven niet.",
    "Mijn vader heeft een beroerte gehad en kan niet meer alleen wonen.",
    "Ik ben 45 en drink te veel, ik ben al jaren verslaafd aan alcohol.",
    "Ik ben slechtziend en heb hulp nodig bij de post en de boodschappen.",
    "Ik ben 29, voel me eenzaam en somber sinds mijn burn-out.",
    "Dochter 16 jr, anorexia, veel in het ziekenhuis geweest.",
    "Jongen 12 jr, LVB, moeite met leren en begrijpen, speciaal onderwijs.",
    "Meisje van 7 met epilepsie en een spierziekte, zit in een rolstoel.",
    "Mevr., 79 jr, vergeetachtig, woont alleen, huishouden lukt niet meer.",
    "Ik ben 52 en na mijn heupoperatie kan ik tijdelijk niet schoonmaken.",
    "Mijn zoon gamet de hele nacht en wil niet meer naar school.",
    "Wij zoeken opvoedhulp: onze peuter luistert niet en we weten niet hoe we grenzen"
    " moeten stellen.",
    "Ik ben 38, heb een bipolaire stoornis en schulden, en mijn woning is in gevaar.",
    "Cliënt (41), NAH na hersenbloeding, geen alcohol, geen drugs, afasie.",
    "Mijn man (70) is doof en wordt steeds somberder.",
    "Hij heeft een gokverslaving en de deurwaarder staat voor de deur.",
    "Ik wil niet meer leven.",
    "Ons kind durft niet naar huis.",
    "Hulp gezocht voor mijn moeder: ze kan zich niet meer zelf wassen en aankleden.",
    "Autistische jongen van 15 met een angststoornis, thuiszitter sinds een half jaar.",
    "Ik ben 23 en heb PTSS na een trauma, ik heb paniekaanvallen.",
    "Mijn opa heeft parkinson en valt vaak.",
    "De juf zegt dat mijn dochter achterloopt in de ontwikkeling.",
]
DOMAINS_YOUTH = ["opvoeding_gezin", "ontwikkeling", "school_dagbesteding"]


def generate_providers(pack: RegionPack, n: int, seed: int = 42) -> list[ProviderRecord]:
    """N fictional providers with contracts, areas, ages, waiting times and KPIs."""
    rng = random.Random(seed)
    munis = [m.code for m in pack.municipalities]
    areas = [(m.code, p) for m in pack.municipalities for p in m.postcodes]
    tags = [t.code for t in pack.expertise]
    intensities = [x.code for x in pack.intensities]
    words_a = ["De", "Het", "Zorg", "Samen", "Stichting", "Groep", "Huis", "Team"]
    words_b = ["Haven", "Brug", "Kompas", "Linde", "Duin", "Polder", "Molen", "Vaart", "Dijk"]
    records: list[ProviderRecord] = []
    for i in range(n):
        wetten = rng.choices([("jeugdwet",), ("wmo",), ("jeugdwet", "wmo")], weights=[4, 4, 2])[0]
        segmenten = {s for s, p in (("A", 0.3), ("B", 0.85), ("C", 0.15)) if rng.random() < p}
        segmenten = segmenten or {"B"}
        arrangements: set[tuple[str, str]] = set()
        expertise: set[str] = set()
        if segmenten & {"B", "C"}:
            profiles = [p for p in pack.profiles if p.law in wetten]
            for prof in rng.sample(profiles, k=min(len(profiles), rng.randint(1, 4))):
                for intensity in rng.sample(intensities, k=rng.randint(1, 3)):
                    arrangements.add((prof.code, intensity))
                expertise.update(prof.expertise)
        expertise.update(rng.sample(tags, k=rng.randint(0, 2)))
        muni, pc = rng.choice(areas)
        serves_region = rng.random() < 0.4
        werkgebied = set(rng.sample(munis, k=rng.randint(1, 3))) | {muni}
        if wetten == ("jeugdwet",):
            age_min, age_max = rng.choice([(0, 17), (4, 17), (12, 17), (0, 12)])
        elif wetten == ("wmo",):
            age_min, age_max = rng.choice([(18, 120), (18, 65), (55, 120)])
        else:
            age_min, age_max = 0, 120
        wait = None if rng.random() < 0.1 else rng.randint(0, 20)
        peildatum = None if wait is None else TODAY - timedelta(days=rng.randint(0, 90))
        quality = None if rng.random() < 0.3 else round(rng.uniform(50, 95), 1)
        name = f"{rng.choice(words_a)} {rng.choice(words_b)} {i}"
        records.append(
            ProviderRecord(
                kvk=f"{10_000_000 + i:08d}",
                name=name,
                slug=name.lower().replace(" ", "-"),
                laws=tuple(sorted(set(wetten))),
                segments=tuple(sorted(set(segmenten))),
                arrangements=tuple(sorted(set(arrangements))),
                expertise=tuple(sorted(set(expertise))),
                service_area=tuple(sorted(set(werkgebied))),
                serves_region=serves_region,
                age_min=age_min,
                age_max=age_max,
                locations=(
                    Location(
                        municipality=muni,
                        lat=pc.lat + rng.uniform(-0.01, 0.01),
                        lon=pc.lon + rng.uniform(-0.01, 0.01),
                    ),
                ),
                waiting_times=()
                if wait is None or peildatum is None
                else (WaitingPoint(peildatum, registration_weeks=wait),),
                kpis=()
                if quality is None
                else (
                    KpiPoint(
                        "2025",
                        n=1000,
                        dropout_pct=100.0 - quality,
                        goal_attainment_pct=quality,
                        satisfaction_pct=quality,
                    ),
                ),
            )
        )
    return records


def generate_answers(pack: RegionPack, rng: random.Random) -> Answers:
    adult = [d.code for d in pack.life_domains if not d.youth_only]
    domains = {
        code: rng.choice([1, 2, 3, 3, 3, 4, 4, 5])
        for code in rng.sample(adult + DOMAINS_YOUTH, k=rng.randint(0, 6))
    }
    age = rng.choice([None, 6, 12, 15, 17, 19, 34, 67, 84])
    if age is not None and age >= 18:
        domains = {k: v for k, v in domains.items() if k not in DOMAINS_YOUTH}
    areas = [p.pc4 for m in pack.municipalities for p in m.postcodes]
    return Answers(
        age=age,
        life_domains=domains,
        network_support=rng.choice([None, True, False]),
        residential_care_needed=rng.choice([None, None, None, False, False, True]),
        duration=rng.choice([None, "temporary", "long_term"]),
        previous_care_failed=rng.choice([None, None, False, True]),
        postcode=rng.choice(areas) + "AB" if rng.random() < 0.8 else None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--pack", default="westfriesland")
    args = parser.parse_args()

    pack = load_pack(args.pack)
    records = generate_providers(pack, args.providers)
    t0 = time.perf_counter()
    index = ProviderIndex(pack, records, today=TODAY)
    index_ms = (time.perf_counter() - t0) * 1000
    # As the web app does after start-up: the long-lived index is moved out of the
    # garbage collector's view, so a full collection does not walk 10,000 providers.
    gc.collect()
    gc.freeze()

    rng = random.Random(7)
    cases = [(TEXTS[i % len(TEXTS)], generate_answers(pack, rng)) for i in range(args.calls)]
    t0 = time.perf_counter()
    advise(pack, cases[0][0], cases[0][1], index, today=TODAY)  # compiles the lexicon
    first_ms = (time.perf_counter() - t0) * 1000

    timings: list[float] = []
    matched: list[int] = []
    routes: dict[str, int] = {}
    for i, (text, answers) in enumerate(cases):
        mode = "professional" if i % 2 else "inwoner"
        t0 = time.perf_counter()
        advice = advise(pack, text, answers, index, mode=mode, today=TODAY)
        timings.append((time.perf_counter() - t0) * 1000)
        matched.append(advice.providers_total)
        routes[advice.route] = routes.get(advice.route, 0) + 1

    timings.sort()
    print(
        json.dumps(
            {
                "providers": index.size,
                "calls": len(timings),
                "advice_p50_ms": round(statistics.median(timings), 3),
                "advice_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
                "advice_max_ms": round(timings[-1], 3),
                "first_call_ms": round(first_ms, 1),
                "index_build_ms": round(index_ms, 1),
                "mean_matching_providers": round(statistics.mean(matched), 1),
                "routes": dict(sorted(routes.items())),
            }
        )
    )


if __name__ == "__main__":
    main()
