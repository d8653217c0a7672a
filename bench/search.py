"""Search benchmark: Meilisearch (raw client and our backend) against the embedded backend.

    python bench/search.py --providers 10000
    python bench/search.py                      # 1,000 and 10,000 providers

Generates fictional providers with the region pack's vocabulary, starts its own
Meilisearch (the pinned binary in .cache/meilisearch/) on a free loopback port, indexes
them, runs a few hundred mixed queries (typos, synonyms, places and ages, filters,
sorts) and prints one JSON object per run (several runs: {"runs": [...]}).

Keys: `raw_meili_*` is the official client's plain search call, set up as the app sets
it up (uncompressed answers, see `meili.SEARCH_HEADERS`), with the same body the app
sends Meilisearch for the results page: the page of hits (ids, hashes and the marked
fields; the documents come from the embedded copy, see MeiliBackend.document_store)
and the total, no facets (the copy counts those, see search_index.resilient and
`local_copy_agree`); `raw_meili_api_*` the same without
match marks, as the API asks. `api_vs_raw_p50` and `fragment_vs_raw_p50` compare each
with its own body. `raw_meili_full_*` asks Meilisearch for
everything a results page shows (documents, match marks, facets), as a client without
the copy would, and as the app does when the copies disagree; `*_vs_raw_full_p50`
compare with that. `meili_backend_*` is `MeiliBackend.search` on its own (query
understanding, filter building, highlight parsing included); `embedded_*` the embedded
backend; `*_rps` requests per second with `--clients` concurrent threads; `rebuild_s` a
full `MeiliBackend.rebuild` (new index, settings, documents, swap); `embedded_build_s`
loading the embedded backend; `local_copy_agree` the share of queries where the
embedded copy finds the same total as Meilisearch, so the app uses its facet counts
(otherwise Meilisearch counts them in a second request).

`api_*` and `fragment_*` go through the real app: the providers are written into a
temporary SQLite database, `etalage serve` starts on a free loopback port with
ETALAGE_MEILISEARCH_URL pointing at this Meilisearch, and the same queries are sent as
`GET /api/v1/providers?...` and as the htmx request `GET /aanbieders?...` with
`HX-Request: true` (the results fragment with the filters' counts). The HTTP client is
`http.client` with a fresh connection per request, as the official Meilisearch client
does for the raw calls: no keep-alive delayed-ACK stalls on either side.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import meilisearch  # noqa: E402
import requests  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from etalage.db.migrate import upgrade  # noqa: E402
from etalage.db.models import (  # noqa: E402
    Arrangement,
    KpiMeasurement,
    Location,
    Provider,
    ProviderCode,
    WaitingTime,
)
from etalage.db.session import make_engine  # noqa: E402
from etalage.provider import KpiPoint, ProviderRecord, WaitingPoint  # noqa: E402
from etalage.provider import Location as LocationPart  # noqa: E402
from etalage.region import RegionPack, load_pack  # noqa: E402
from search_index.documents import DocumentBuilder, SearchDocument  # noqa: E402
from search_index.embedded import EmbeddedBackend  # noqa: E402
from search_index.engine import prepare  # noqa: E402
from search_index.meili import SEARCH_HEADERS, MeiliBackend  # noqa: E402
from search_index.protocol import SearchFilters, SearchQuery  # noqa: E402
from search_index.vocabulary import Vocabulary  # noqa: E402

MEILI_BIN = ROOT / ".cache" / "meilisearch" / "meilisearch"
APP_START_TIMEOUT_S = 180.0
APP_INDEX = "etalage_providers"  # the index name the app uses (search_index.make_backend)

_FIRST = ["De", "Het", "Zorg", "Stichting", "Praktijk", "Centrum", "Team", "Huis", ""]
_CORE = [
    "Haven",
    "Kompas",
    "Brug",
    "Anker",
    "Vuurtoren",
    "Linde",
    "Eik",
    "Klaver",
    "Duin",
    "Horizon",
    "Kern",
    "Stap",
    "Baken",
    "Wending",
    "Balans",
    "Zeilen",
    "Polder",
    "Dijk",
    "Molen",
    "Tuin",
    "Bries",
    "Bron",
    "Oever",
    "Koers",
    "Ankerpunt",
    "Vlot",
]
_TAIL = ["", "", "Jeugdhulp", "Zorg", "Begeleiding", "Westfriesland", "Noord", "Thuis", "& Co"]
_SENTENCES = [
    "Wij bieden {label} voor {who}.",
    "Onze hulpverleners hebben veel ervaring met {label}.",
    "Ambulante begeleiding thuis, op school of op het werk.",
    "Dagbesteding in een kleine groep met vaste begeleiders.",
    "Wij werken samen met de huisarts en het wijkteam.",
    "Behandeling en training, ook voor ouders en mantelzorgers.",
    "Gespecialiseerd in {label}, met korte lijnen.",
]


def generate(pack: RegionPack, n: int, seed: int = 7) -> list[ProviderRecord]:
    rng = random.Random(seed)
    areas = [(m.code, pc) for m in pack.municipalities for pc in m.postcodes]
    by_law: dict[str, list[str]] = {}
    for p in pack.profiles:
        by_law.setdefault(p.law, []).append(p.code)
    profile_tags = {p.code: list(p.expertise) for p in pack.profiles}
    labels = {t.code: t.label.lower() for t in pack.expertise}
    intensities = [i.code for i in pack.intensities]
    languages = list(pack.languages)
    out: list[ProviderRecord] = []
    for i in range(n):
        name = " ".join(x for x in (rng.choice(_FIRST), rng.choice(_CORE), rng.choice(_TAIL)) if x)
        name = f"{name} {i}" if rng.random() < 0.3 else name
        laws = rng.choice([["jeugdwet"], ["wmo"], ["jeugdwet", "wmo"]])
        segments = sorted(set(rng.choices(["A", "B", "B", "C"], k=rng.randint(1, 2))))
        arrangements: list[tuple[str, str]] = []
        tags: set[str] = set()
        if set(segments) & {"B", "C"}:
            for _ in range(rng.randint(1, 4)):
                profile = rng.choice(by_law[rng.choice(laws)])
                arrangements.append((profile, rng.choice(intensities)))
                tags.update(rng.sample(profile_tags[profile], k=min(2, len(profile_tags[profile]))))
        else:
            tags.update(rng.sample(sorted(labels), k=2))
        municipality, area = rng.choice(areas)
        youth = laws == ["jeugdwet"]
        age_min = rng.choice([0, 4, 6, 12]) if youth else rng.choice([None, 16, 18])
        age_max = rng.choice([12, 18, 23]) if youth else rng.choice([None, 67, 99])
        who = "kinderen en jongeren" if youth else "volwassenen"
        description = " ".join(
            rng.choice(_SENTENCES).format(label=labels[rng.choice(sorted(tags))], who=who)
            for _ in range(rng.randint(2, 5))
        )
        out.append(
            ProviderRecord(
                kvk=f"{30000000 + i}",
                name=name,
                slug=f"aanbieder-{i}",
                description=description,
                laws=tuple(laws),
                segments=tuple(segments),
                arrangements=tuple(arrangements),
                expertise=tuple(sorted(tags)),
                languages=tuple(sorted({"nl", *rng.sample(languages, k=rng.randint(0, 3))})),
                registration_routes=tuple(
                    rng.sample(["huisarts", "toegang", "direct"], k=rng.randint(1, 2))
                ),
                service_area=tuple(
                    rng.sample([m.code for m in pack.municipalities], k=rng.randint(1, 3))
                ),
                serves_region=rng.random() < 0.2,
                age_min=age_min,
                age_max=age_max,
                locations=(
                    LocationPart(
                        postcode=f"{area.pc4} AB",
                        city=area.place,
                        municipality=municipality,
                        lat=area.lat + rng.uniform(-0.005, 0.005),
                        lon=area.lon + rng.uniform(-0.005, 0.005),
                    ),
                ),
                waiting_times=(
                    WaitingPoint(
                        peildatum=date.today() - timedelta(days=rng.randint(1, 120)),
                        registration_weeks=rng.randint(0, 12),
                        treatment_weeks=rng.randint(0, 20),
                    ),
                )
                if rng.random() < 0.85
                else (),
                kpis=(
                    KpiPoint(
                        period="2025",
                        n=rng.randint(0, 300),
                        dropout_pct=rng.uniform(0, 30),
                        goal_attainment_pct=rng.uniform(40, 95),
                        satisfaction_pct=rng.uniform(50, 98),
                    ),
                )
                if rng.random() < 0.7
                else (),
            )
        )
    return out


_TEXTS = [
    "autisme",
    "autsime",
    "ASS",
    "pdd-nos",
    "adhd",
    "add",
    "dementie",
    "alzheimer",
    "dementei",
    "hersenletsel",
    "nah",
    "beroerte",
    "lvb",
    "licht verstandelijke beperking",
    "trauma",
    "angst",
    "somber",
    "eetstoornis",
    "verslaving",
    "alcohol",
    "schulden",
    "dagbesteding",
    "begeleid wonen",
    "huishoudelijke hulp",
    "mantelzorg",
    "crisis",
    "gezinsbegeleiding",
    "opvoeden",
    "scheiding",
    "jongerenwerk",
    "begeleiding",
    "behandeling",
    "haven",
    "kompas jeugdhulp",
    "de brug",
    "autisme 12 jaar hoorn",
    "dementie 80 jaar enkhuizen",
    "adhd 9 jaar",
    "lvb medemblik",
    "trauma stede broec",
    "aut",
    "demen",
    "begel",
    "gedragsproblemen",
    "driftbuien",
    "slechthorend",
    "hersen letsel",
    "jeugd hulp",
    "",
    "",
]


def queries(pack: RegionPack, n: int, seed: int = 11) -> list[SearchQuery]:
    rng = random.Random(seed)
    municipalities = [m.code for m in pack.municipalities]
    postcodes = [pc.pc4 for m in pack.municipalities for pc in m.postcodes]
    out: list[SearchQuery] = []
    for _ in range(n):
        filters: dict[str, Any] = {}
        r = rng.random()
        if r < 0.3:
            filters["gemeente"] = rng.choice(municipalities)
        if rng.random() < 0.2:
            filters["wet"] = rng.choice(["jeugdwet", "wmo"])
        if rng.random() < 0.15:
            filters["leeftijd"] = rng.randint(0, 90)
        if rng.random() < 0.1:
            filters["max_wachttijd_weken"] = rng.randint(2, 20)
        if rng.random() < 0.1:
            filters["expertise"] = (rng.choice([t.code for t in pack.expertise]),)
        sort = rng.choice(["relevance"] * 5 + ["wachttijd", "kwaliteit", "naam", "afstand"])
        if sort == "afstand" or rng.random() < 0.1:
            filters["postcode"] = rng.choice(postcodes)
            if rng.random() < 0.5:
                filters["afstand_km"] = rng.choice([5, 10, 25])
        out.append(
            SearchQuery(
                q=rng.choice(_TEXTS),
                filters=SearchFilters(**filters),
                sort=sort,  # type: ignore[arg-type]
                page=rng.choice([1, 1, 1, 2]),
            )
        )
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(p50, 2), round(p95, 2)


def _timed(fn: Callable[[SearchQuery], object], qs: list[SearchQuery]) -> list[float]:
    out: list[float] = []
    for q in qs:
        started = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _rps(fn: Callable[[SearchQuery], object], qs: list[SearchQuery], clients: int) -> float:
    chunks = [qs[i::clients] for i in range(clients)]
    threads = [threading.Thread(target=lambda c=c: [fn(q) for q in c]) for c in chunks]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return round(len(qs) / (time.perf_counter() - started), 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Meili:
    def __init__(self) -> None:
        if not MEILI_BIN.is_file():
            raise SystemExit(f"{MEILI_BIN} is missing: run `make meilisearch` first")
        self.dir = Path(tempfile.mkdtemp(prefix="etalage-bench-meili-"))
        self.port = _free_port()
        self.key = secrets.token_hex(24)  # never starts with '-'
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.dir / "meilisearch.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    str(MEILI_BIN),
                    "--db-path",
                    str(self.dir / "data.ms"),
                    "--http-addr",
                    f"127.0.0.1:{self.port}",
                    f"--master-key={self.key}",
                    "--no-analytics",
                    "--env",
                    "development",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(f"{self.url}/health", timeout=0.5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        tail = self.log.read_text(errors="replace")[-2000:]
        self.close()
        raise SystemExit(f"meilisearch did not start:\n{tail}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- the app: database, server, HTTP client --------------------------------------------


def fill_database(url: str, facts: list[ProviderRecord]) -> None:
    """Write the providers with plain bulk INSERTs (no ORM flush, so no outbox rows: the
    app reads everything from the tables at start-up anyway)."""
    engine = make_engine(url)
    upgrade(engine)
    providers: list[dict[str, Any]] = []
    codes: list[dict[str, Any]] = []
    arrangements: list[dict[str, Any]] = []
    locations: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] = []
    kpis: list[dict[str, Any]] = []
    for pid, f in enumerate(facts, start=1):
        providers.append(
            {
                "id": pid,
                "kvk": f.kvk,
                "name": f.name,
                "slug": f.slug,
                "description": f.description,
                "website": f.website,
                "phone": f.phone,
                "email": f.email,
                "age_min": f.age_min,
                "age_max": f.age_max,
                "serves_region": f.serves_region,
                "is_demo": False,
            }
        )
        for kind, values in (
            ("wet", f.laws),
            ("segment", f.segments),
            ("expertise", f.expertise),
            ("taal", f.languages),
            ("aanmelding", f.registration_routes),
            ("gebied", f.service_area),
        ):
            codes.extend(
                {"provider_id": pid, "kind": kind, "code": c} for c in dict.fromkeys(values)
            )
        arrangements.extend(
            {"provider_id": pid, "profile": p, "intensity": i}
            for p, i in dict.fromkeys(f.arrangements)
        )
        locations.extend(
            {
                "provider_id": pid,
                "position": n,
                "address": loc.address,
                "postcode": loc.postcode,
                "city": loc.city,
                "municipality": loc.municipality,
                "lat": loc.lat,
                "lon": loc.lon,
            }
            for n, loc in enumerate(f.locations)
        )
        for wt in f.waiting_times:
            waiting.append(
                {
                    "provider_id": pid,
                    "peildatum": wt.peildatum,
                    "registration_weeks": wt.registration_weeks,
                    "treatment_weeks": wt.treatment_weeks,
                    "waiting_list_size": wt.waiting_list_size,
                }
            )
        for k in f.kpis:
            kpis.append(
                {
                    "provider_id": pid,
                    "period": k.period,
                    "dropout_pct": k.dropout_pct,
                    "goal_attainment_pct": k.goal_attainment_pct,
                    "satisfaction_pct": k.satisfaction_pct,
                    "n": k.n,
                }
            )
    with engine.begin() as conn:
        for model, rows in (
            (Provider, providers),
            (ProviderCode, codes),
            (Arrangement, arrangements),
            (Location, locations),
            (WaitingTime, waiting),
            (KpiMeasurement, kpis),
        ):
            if rows:
                conn.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
    engine.dispose()


def http_get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET on a fresh connection (closed afterwards)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def query_path(path: str, q: SearchQuery) -> str:
    """The URL a browser or an API client would send for this query."""
    items: list[tuple[str, str]] = []
    if q.q:
        items.append(("q", q.q))
    f = q.filters
    for name in (
        "gemeente", "wet", "segment", "profiel", "intensiteit", "taal", "leeftijd",
        "max_wachttijd_weken", "postcode", "afstand_km",
    ):  # fmt: skip
        value = getattr(f, name)
        if value is not None:
            items.append((name, str(value)))
    items.extend(("expertise", tag) for tag in f.expertise)
    if q.sort != "relevance":
        items.append(("sort", q.sort))
    if q.page != 1:
        items.append(("page", str(q.page)))
    return f"{path}?{urlencode(items)}" if items else path


class App:
    """`etalage serve` on a temporary SQLite database, with this run's Meilisearch."""

    def __init__(self, facts: list[ProviderRecord], meili: Meili) -> None:
        self.meili = meili
        self.dir = Path(tempfile.mkdtemp(prefix="etalage-bench-app-"))
        self.port = _free_port()
        started = time.perf_counter()
        url = f"sqlite:///{self.dir / 'etalage.db'}"
        fill_database(url, facts)
        self.database_fill_s = time.perf_counter() - started
        env = {
            **os.environ,
            "ETALAGE_DATABASE_URL": url,
            "ETALAGE_MEILISEARCH_URL": meili.url,
            "ETALAGE_MEILISEARCH_KEY": meili.key,
            "ETALAGE_VAR_DIR": str(self.dir / "var"),
            "ETALAGE_SECRET_KEY": "bench-only",
        }
        env.pop("ETALAGE_REGION", None)
        self.env = env
        self.log = self.dir / "serve.log"
        self.ready_s = self._start(len(facts))

    def _start(self, n: int) -> float:
        """Start `etalage serve`; the seconds until it answers from Meilisearch."""
        started = time.perf_counter()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "etalage.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                env=self.env,
                cwd=self.dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        try:
            self._wait_until_searching_meilisearch(n)
        except BaseException:
            self.close()
            raise
        return time.perf_counter() - started

    def restart(self, n: int) -> float:
        """Stop and start again on the same database and Meilisearch index, which then
        agree with the database (a rolling restart): the seconds until it answers."""
        self._stop()
        return self._start(n)

    def _wait_until_searching_meilisearch(self, n: int) -> None:
        """Ready: the app's own Meilisearch index holds every provider (at start-up the
        app loads the database into its embedded index, and its drift check builds the
        Meilisearch index). Meilisearch is watched directly, so no early search trips
        the app's circuit breaker; then one search must say `meilisearch`."""
        deadline = time.monotonic() + APP_START_TIMEOUT_S
        stats_url = f"{self.meili.url}/indexes/{APP_INDEX}/stats"
        auth = {"Authorization": f"Bearer {self.meili.key}"}
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"etalage serve exited:\n{self.log.read_text()[-3000:]}")
            try:
                stats = requests.get(stats_url, headers=auth, timeout=2).json()
            except requests.RequestException:
                stats = {}
            if stats.get("numberOfDocuments") == n and not stats.get("isIndexing"):
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"etalage serve not ready:\n{self.log.read_text()[-3000:]}")
        while time.monotonic() < deadline:
            try:
                status, body = http_get(self.port, "/api/v1/providers?per_page=1")
            except OSError:
                time.sleep(0.05)
                continue
            answer = json.loads(body) if status == 200 else {}
            if answer.get("backend") == "meilisearch" and answer.get("total") == n:
                return
            time.sleep(0.2)
        raise SystemExit(
            f"etalage serve does not search Meilisearch:\n{self.log.read_text()[-3000:]}"
        )

    def _stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def close(self) -> None:
        self._stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def measure_app(
    facts: list[ProviderRecord], qs: list[SearchQuery], clients: int, meili: Meili
) -> dict[str, Any]:
    app = App(facts, meili)
    try:
        api_paths = [query_path("/api/v1/providers", q) for q in qs]
        page_paths = [query_path("/aanbieders", q) for q in qs]
        fragment_headers = {"HX-Request": "true"}
        answered: dict[str, int] = {}
        failures: list[str] = []

        def api(path: str) -> object:
            status, body = http_get(app.port, path)
            if status != 200:
                failures.append(f"{status} {path}")
            else:
                backend = json.loads(body)["backend"]
                answered[backend] = answered.get(backend, 0) + 1
            return body

        def fragment(path: str) -> object:
            status, body = http_get(app.port, path, fragment_headers)
            if status != 200 or b"etalage-notice" in body:
                failures.append(f"{status} {path}")
            return body

        for fn, paths in ((api, api_paths), (fragment, page_paths)):
            for path in paths[:20]:
                fn(path)
        api_ms = _timed(api, api_paths)  # type: ignore[arg-type]
        fragment_ms = _timed(fragment, page_paths)  # type: ignore[arg-type]
        api_p50, api_p95 = _percentiles(api_ms)
        fragment_p50, fragment_p95 = _percentiles(fragment_ms)
        out = {
            "database_fill_s": round(app.database_fill_s, 2),
            "app_start_s": round(app.ready_s, 2),
            "api_p50_ms": api_p50,
            "api_p95_ms": api_p95,
            "api_rps": _rps(api, api_paths, clients),  # type: ignore[arg-type]
            "fragment_p50_ms": fragment_p50,
            "fragment_p95_ms": fragment_p95,
            "fragment_rps": _rps(fragment, page_paths, clients),  # type: ignore[arg-type]
            "api_answered_by": answered,
            "http_failures": failures[:10],
        }
        # A restart finds Meilisearch in step with the database: no rebuild.
        out["app_restart_s"] = round(app.restart(len(facts)), 2)
    finally:
        app.close()
    return out


def run(pack: RegionPack, n: int, n_queries: int, clients: int, meili: Meili) -> dict[str, Any]:
    vocabulary = Vocabulary.from_pack(pack)
    builder = DocumentBuilder(pack)
    facts = generate(pack, n)
    started = time.perf_counter()
    docs: list[SearchDocument] = [builder.build(f) for f in facts]
    build_docs_s = time.perf_counter() - started
    qs = queries(pack, n_queries)

    embedded = EmbeddedBackend(vocabulary, freshness_weeks=pack.freshness_weeks)
    started = time.perf_counter()
    embedded.rebuild(docs)
    embedded_build_s = time.perf_counter() - started

    backend = MeiliBackend(
        meili.url,
        meili.key,
        vocabulary,
        index=f"bench_{n}",
        freshness_weeks=pack.freshness_weeks,
        search_timeout_s=5.0,
    )
    started = time.perf_counter()
    backend.rebuild(docs)
    rebuild_s = time.perf_counter() - started

    # The raw client call with the search key: the body the app sends, and the body of
    # a client that asks Meilisearch for everything a results page shows.
    raw_index = meilisearch.Client(
        meili.url, backend.search_key(), custom_headers=SEARCH_HEADERS
    ).index(backend.index_uid)
    plans = [prepare(q, vocabulary) for q in qs]
    texts = {id(q): p.text for q, p in zip(qs, plans, strict=True)}
    app_body = {
        id(q): backend._body(p, (q.page - 1) * q.per_page, q.per_page, False, True, False)
        for p, q in zip(plans, qs, strict=True)
    }
    api_body = {
        id(q): backend._body(p, (q.page - 1) * q.per_page, q.per_page, False, False)
        for p, q in zip(plans, qs, strict=True)
    }
    full_body = {
        id(q): backend._body(p, (q.page - 1) * q.per_page, q.per_page, True, True)
        for p, q in zip(plans, qs, strict=True)
    }

    def raw(q: SearchQuery) -> object:
        return raw_index.search(texts[id(q)], app_body[id(q)])

    def raw_api(q: SearchQuery) -> object:
        return raw_index.search(texts[id(q)], api_body[id(q)])

    def raw_full(q: SearchQuery) -> object:
        return raw_index.search(texts[id(q)], full_body[id(q)])

    warm = qs[:20]
    for fn in (raw, raw_api, raw_full, backend.search, embedded.search):
        _timed(fn, warm)
    raw_ms = _timed(raw, qs)
    raw_api_p50, raw_api_p95 = _percentiles(_timed(raw_api, qs))
    raw_full_ms = _timed(raw_full, qs)
    meili_ms = _timed(backend.search, qs)
    embedded_ms = _timed(embedded.search, qs)  # first pass: per-word caches still cold
    embedded_again_ms = _timed(embedded.search, qs)
    # How often the embedded copy's facet counts can be used for a Meilisearch answer
    # (same total, same words left out; see search_index.resilient).
    agree = 0
    for q in qs:
        mine, theirs = embedded.search(q), backend.search(q)
        agree += (mine.total, mine.relaxed_words) == (theirs.total, theirs.relaxed_words)
    raw_p50, raw_p95 = _percentiles(raw_ms)
    full_p50, full_p95 = _percentiles(raw_full_ms)
    mb_p50, mb_p95 = _percentiles(meili_ms)
    emb_p50, emb_p95 = _percentiles(embedded_ms)
    raw_rps = _rps(raw, qs, clients)
    web = measure_app(facts, qs, clients, meili)
    return {
        "providers": n,
        "queries": len(qs),
        "clients": clients,
        "documents_build_s": round(build_docs_s, 2),
        "rebuild_s": round(rebuild_s, 2),
        "embedded_build_s": round(embedded_build_s, 2),
        "raw_meili_p50_ms": raw_p50,
        "raw_meili_p95_ms": raw_p95,
        "raw_meili_rps": raw_rps,
        "raw_meili_api_p50_ms": raw_api_p50,
        "raw_meili_api_p95_ms": raw_api_p95,
        "raw_meili_full_p50_ms": full_p50,
        "raw_meili_full_p95_ms": full_p95,
        "meili_backend_p50_ms": mb_p50,
        "meili_backend_p95_ms": mb_p95,
        "meili_backend_rps": _rps(backend.search, qs, clients),
        "meili_backend_vs_raw_p50": round(mb_p50 / raw_p50, 2) if raw_p50 else None,
        "embedded_p50_ms": emb_p50,
        "embedded_p95_ms": emb_p95,
        "embedded_max_ms": round(max(embedded_ms), 2),
        "embedded_second_pass_p95_ms": _percentiles(embedded_again_ms)[1],
        "embedded_rps": _rps(embedded.search, qs, clients),
        "local_copy_agree": round(agree / len(qs), 3),
        **web,
        "api_vs_raw_p50": round(web["api_p50_ms"] / raw_api_p50, 2) if raw_api_p50 else None,
        "fragment_vs_raw_p50": round(web["fragment_p50_ms"] / raw_p50, 2) if raw_p50 else None,
        "api_vs_raw_full_p50": round(web["api_p50_ms"] / full_p50, 2) if full_p50 else None,
        "fragment_vs_raw_full_p50": round(web["fragment_p50_ms"] / full_p50, 2)
        if full_p50
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--providers",
        type=int,
        action="append",
        help="number of providers (repeatable); default 1000 and 10000",
    )
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    sizes = args.providers or [1000, 10000]
    pack = load_pack("westfriesland")
    meili = Meili()
    try:
        # A fresh Meilisearch process spends a few seconds on its first indexing tasks
        # (one-off warm-up); measured apart so rebuild_s is what a running server does.
        vocabulary = Vocabulary.from_pack(pack)
        warm = MeiliBackend(meili.url, meili.key, vocabulary, index="warmup")
        started = time.perf_counter()
        warm.rebuild([DocumentBuilder(pack).build(f) for f in generate(pack, 10, seed=1)])
        warm.rebuild([DocumentBuilder(pack).build(f) for f in generate(pack, 100, seed=2)])
        warmup_s = round(time.perf_counter() - started, 2)
        runs = [run(pack, n, args.queries, args.clients, meili) for n in sizes]
        for r in runs:
            r["meili_warmup_s"] = warmup_s
    finally:
        meili.close()
    print(json.dumps(runs[0] if len(runs) == 1 else {"runs": runs}, indent=2))


if __name__ == "__main__":
    main()
