"""The logged-in side through HTTP: login lockout, session rotation and timeouts, logout
everywhere, disabling a user, "klopt nog", updates visible in search within 2 seconds,
an audit entry for every change, uploads of hostile files through beheer, and bounded
error lists."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from accounts_support import PASSWORD, csrf, dump, login, make_user, token_headers
from conftest import settings_for
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from web_catalogue import ALFA, BRAVO, fill_catalogue

from etalage.accounts.login import ACCOUNT_FAILURES, ADDRESS_FAILURES, Login, LoginRefused
from etalage.accounts.sessions import SessionStore
from etalage.accounts.users import disable_user
from etalage.audit import entries
from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.web.app import create_app

COOKIE = "etalage_sessie"


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[tuple[TestClient[Any], Engine]]:
    """A fresh catalogue and app per test, on SQLite; `both` also on PostgreSQL (for the
    tests about the data layer: sessions, updates, the audit log)."""
    yield from _site(request, tmp_path, "sqlite")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def both(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[tuple[TestClient[Any], Engine]]:
    yield from _site(request, tmp_path, request.param)


def _site(
    request: pytest.FixtureRequest, tmp_path: Any, kind: str
) -> Iterator[tuple[TestClient[Any], Engine]]:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'etalage.db'}"
    else:
        from conftest import _fresh_database

        url = _fresh_database("postgresql", request, tmp_path)
    engine = make_engine(url)
    upgrade(engine)
    fill_catalogue(engine)
    settings = settings_for(engine, tmp=tmp_path)
    with TestClient(create_app(settings)) as client:
        yield client, engine
    engine_for(settings.database_url).dispose()
    engine.dispose()


def _session_cookie(client: Any) -> str | None:
    value: str | None = client.cookies.get(COOKIE)
    return value


# ---------------------------------------------------------------------------- login


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(site: Any) -> None:
    client, engine = site
    email = make_user(engine, "aanbieder", [ALFA])
    answers = []
    for address, password in ((email, "verkeerd-wachtwoord"), ("niemand@example.nl", PASSWORD)):
        token = csrf(client)
        r = client.post(
            "/inloggen", data={"email": address, "wachtwoord": password, "_csrf_token": token}
        )
        assert r.status_code == 400
        answers.append("Het e-mailadres of het wachtwoord klopt niet." in r.text)
    assert answers == [True, True]
    assert _session_cookie(client) is None


def test_login_locks_an_account_after_repeated_failures(site: Any) -> None:
    client, engine = site
    email = make_user(engine, "aanbieder", [ALFA])
    for _ in range(ACCOUNT_FAILURES):
        token = csrf(client)
        client.post(
            "/inloggen", data={"email": email, "wachtwoord": "fout-fout-fout", "_csrf_token": token}
        )
    token = csrf(client)
    r = client.post(
        "/inloggen", data={"email": email, "wachtwoord": PASSWORD, "_csrf_token": token}
    )
    assert r.status_code == 429 and "Te veel mislukte pogingen" in r.text
    assert _session_cookie(client) is None
    # another account from the same address is not locked by these five
    other = make_user(engine, "toegang")
    login(client, other)


def test_the_lock_ends_after_its_time_and_holds_per_client_address(sqlite_engine: Engine) -> None:
    from etalage.accounts.users import create_user

    create_user(sqlite_engine, "a@example.nl", "toegang", PASSWORD)
    now = [datetime(2026, 12, 3, 10, 0, tzinfo=UTC)]
    guard = Login(sqlite_engine, clock=lambda: now[0])
    for _ in range(ACCOUNT_FAILURES):
        with pytest.raises(LoginRefused):
            guard.attempt("a@example.nl", "fout", "10.0.0.1")
    with pytest.raises(LoginRefused) as locked:
        guard.attempt("a@example.nl", PASSWORD, "10.0.0.1")
    assert locked.value.locked_until is not None
    now[0] += timedelta(minutes=16)
    assert guard.attempt("a@example.nl", PASSWORD, "10.0.0.1").email == "a@example.nl"
    # one client trying many accounts is locked as a client
    for i in range(ADDRESS_FAILURES):
        with pytest.raises(LoginRefused):
            guard.attempt(f"x{i}@example.nl", "fout", "10.0.0.9")
    with pytest.raises(LoginRefused) as by_address:
        guard.attempt("a@example.nl", PASSWORD, "10.0.0.9")
    assert by_address.value.locked_until is not None
    assert guard.attempt("a@example.nl", PASSWORD, "10.0.0.2").role == "toegang"


def test_forwarded_for_counts_only_behind_a_trusted_proxy() -> None:
    from etalage.accounts.login import client_address

    assert client_address("203.0.113.9", "1.2.3.4", ()) == "203.0.113.9"
    assert client_address("203.0.113.9", "1.2.3.4", ("10.0.0.0/8",)) == "203.0.113.9"
    assert client_address("10.0.0.5", "1.2.3.4, 10.0.0.7", ("10.0.0.0/8",)) == "1.2.3.4"
    assert client_address("10.0.0.5", "spoofed, 5.6.7.8", ("10.0.0.0/8",)) == "5.6.7.8"


def test_login_makes_a_new_session_id_and_the_old_one_is_void(both: Any) -> None:
    client, engine = both
    email = make_user(engine, "aanbieder", [ALFA])
    login(client, email)
    first = _session_cookie(client)
    assert first and client.get("/portaal").status_code == 200
    login(client, email)
    second = _session_cookie(client)
    assert second and second != first
    stale = TestClient(client.app)
    stale.cookies.set(COOKIE, first)
    assert stale.get("/portaal", follow_redirects=False).status_code == 303
    with engine.connect() as conn:
        stored = [row[0] for row in conn.execute(text("select id_digest from login_sessions"))]
    assert first not in stored and second not in stored  # only digests are stored


def test_the_session_cookie_is_httponly_and_samesite_lax(site: Any) -> None:
    client, engine = site
    r = login(client, make_user(engine, "toegang"))
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and COOKIE in v)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "no-store" in r.headers.get("cache-control", "")


def test_a_session_ends_when_idle_and_after_its_absolute_time(sqlite_engine: Engine) -> None:
    from etalage.accounts.users import create_user

    create_user(sqlite_engine, "s@example.nl", "toegang", PASSWORD)
    with sqlite_engine.connect() as conn:
        user_id = conn.execute(text("select id from users")).scalar_one()
    now = [datetime(2026, 12, 3, 9, 0, tzinfo=UTC)]
    store = SessionStore(
        sqlite_engine,
        idle=timedelta(minutes=30),
        absolute=timedelta(hours=12),
        clock=lambda: now[0],
    )
    idle = store.create(user_id)
    now[0] += timedelta(minutes=29)
    assert store.lookup(idle) is not None
    now[0] += timedelta(minutes=31)
    assert store.lookup(idle) is None  # 31 minutes without a request
    busy = store.create(user_id)
    for _ in range(25):  # a request every 29 minutes keeps it alive, for 12 hours only
        now[0] += timedelta(minutes=29)
        if store.lookup(busy) is None:
            break
    assert now[0] - datetime(2026, 12, 3, 10, 0, tzinfo=UTC) <= timedelta(hours=12, minutes=29)
    assert store.lookup(busy) is None


def test_logout_everywhere_ends_every_session_of_the_user(site: Any) -> None:
    client, engine = site
    email = make_user(engine, "aanbieder", [ALFA])
    other = TestClient(client.app)
    login(other, email)
    login(client, email)
    token = csrf(client, "/account")
    r = client.post(
        "/uitloggen", data={"_csrf_token": token, "overal": "ja"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert client.get("/portaal", follow_redirects=False).status_code == 303
    assert other.get("/portaal", follow_redirects=False).status_code == 303


def test_disabling_a_user_ends_its_sessions_and_tokens_at_once(both: Any) -> None:
    client, engine = both
    email = make_user(engine, "aanbieder", [ALFA])
    headers = token_headers(engine, email)
    login(client, email)
    assert client.get("/portaal").status_code == 200
    disable_user(engine, email)
    assert client.get("/portaal", follow_redirects=False).status_code == 303
    r = client.post(f"/api/v1/providers/{ALFA}/bevestiging", headers=headers)
    assert r.status_code == 401
    token = csrf(client)
    r = client.post(
        "/inloggen", data={"email": email, "wachtwoord": PASSWORD, "_csrf_token": token}
    )
    assert r.status_code == 400


def test_a_login_redirect_never_leaves_the_site(site: Any) -> None:
    client, engine = site
    email = make_user(engine, "toegang")
    for target, expected in (
        ("/beheer", "/beheer"), ("https://evil.example/", "/account"),
        ("//evil.example/", "/account"), ("/\\evil.example", "/account"),
    ):  # fmt: skip
        client.cookies.clear()
        token = csrf(client)
        r = client.post(
            "/inloggen",
            data={"email": email, "wachtwoord": PASSWORD, "_csrf_token": token, "volgende": target},
            follow_redirects=False,
        )
        assert r.headers["location"] == expected


# ---------------------------------------------------------------------------- updates


def _search(client: Any, name: str) -> dict[str, Any]:
    found = client.get("/api/v1/providers", params={"q": name}).json()["results"]
    hit: dict[str, Any] = next(r for r in found if r["naam"] == name)
    return hit


def _wait_for(predicate: Any, limit_s: float = 2.0) -> float:
    start = time.monotonic()
    while not predicate():
        assert time.monotonic() - start < limit_s, "not visible within 2 seconds"
        time.sleep(0.05)
    return time.monotonic() - start


def test_an_api_update_is_in_search_within_two_seconds_with_an_audit_entry(both: Any) -> None:
    client, engine = both
    headers = token_headers(engine, make_user(engine, "aanbieder", [ALFA]))
    r = client.put(
        f"/api/v1/providers/{ALFA}/wachttijd",
        json={"aanmelden_weken": 1, "behandeling_weken": 13, "wachtlijst_aantal": 4},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["wachttijd"]["behandeling_weken"] == 13 and body["bevestigd"] is False
    _wait_for(
        lambda: (
            (_search(client, "Alfa Jeugdhulp")["wachttijd"] or {}).get("behandeling_weken") == 13
        )
    )
    r = client.put(
        f"/api/v1/providers/{ALFA}/capaciteit",
        json={
            "status": "aanmeldstop",
            "toelichting": "Vol tot februari",
            "geldig_tot": "2099-01-01",
        },
        headers=headers,
    )
    assert r.status_code == 400 and r.json()["parameter"] == "geldig_tot"  # > 2 years ahead
    until = (datetime.now(UTC).date() + timedelta(days=60)).isoformat()
    r = client.put(
        f"/api/v1/providers/{ALFA}/capaciteit",
        json={"status": "aanmeldstop", "toelichting": "Vol tot februari", "geldig_tot": until},
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["capaciteit"]["status"] == "aanmeldstop"
    _wait_for(
        lambda: (
            (_search(client, "Alfa Jeugdhulp")["capaciteit"] or {}).get("status") == "aanmeldstop"
        )
    )
    whats = [e.what for e in entries(engine, kvk=ALFA)]
    assert whats[:2] == ["capaciteit", "wachttijd"]
    change = entries(engine, kvk=ALFA)[1]
    assert (
        change.old["wachttijd"]["behandeling_weken"] != 13
        and change.new["wachttijd"]["behandeling_weken"] == 13
    )
    assert change.actor.endswith("(token:test)")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"aanmelden_weken": 105}, "aanmelden_weken"),
        ({"aanmelden_weken": -1}, "aanmelden_weken"),
        ({"aanmelden_weken": 2.5}, "aanmelden_weken"),
        ({"aanmelden_weken": True}, "aanmelden_weken"),
        ({"aanmelden_weken": "3"}, "aanmelden_weken"),
        ({"aanmelden_weken": 3, "peildatum": "2999-01-01"}, "peildatum"),
        ({"aanmelden_weken": 3, "peildatum": "gisteren"}, "peildatum"),
        ({"aanmelden_weken": 3, "wachtlijst_aantal": 10**12}, "wachtlijst_aantal"),
        ({"aanmelden_weken": 3, "onbekend": 1}, "onbekend"),
        ({}, None),
    ],
)
def test_a_bad_waiting_time_is_a_dutch_400_naming_the_field_and_changes_nothing(
    site: Any, body: dict[str, Any], field: str | None
) -> None:
    client, engine = site
    headers = token_headers(engine, make_user(engine, "aanbieder", [ALFA]))
    before = dump(engine)
    r = client.put(f"/api/v1/providers/{ALFA}/wachttijd", json=body, headers=headers)
    assert r.status_code == 400, r.text
    assert r.json().get("parameter") == field and r.json()["detail"]
    assert dump(engine) == before


def test_bodies_that_are_not_objects_are_refused(site: Any) -> None:
    client, engine = site
    headers = token_headers(engine, make_user(engine, "aanbieder", [ALFA]))
    for raw in (b"[]", b"nul", b"{", b'"x"', b"1" * 10_000):
        r = client.put(f"/api/v1/providers/{ALFA}/wachttijd", content=raw, headers=headers)
        assert r.status_code in (400, 413) and "detail" in r.json()


def test_klopt_nog_confirms_without_a_new_measurement(both: Any) -> None:
    client, engine = both
    email = make_user(engine, "aanbieder", [BRAVO])  # Bravo's waiting time is stale
    login(client, email)
    before = client.get(f"/api/v1/providers/{BRAVO}").json()
    assert before["wachttijd"]["verouderd"] is True
    token = csrf(client, f"/portaal/{BRAVO}")
    r = client.post(
        f"/portaal/{BRAVO}/klopt-nog", data={"_csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303 and "opgeslagen=bevestigd" in r.headers["location"]
    today = datetime.now(UTC).date().isoformat()
    after = client.get(f"/api/v1/providers/{BRAVO}").json()
    assert after["wachttijd"]["peildatum"] == before["wachttijd"]["peildatum"]
    assert after["wachttijd"]["bevestigd_op"] == today and after["wachttijd"]["verouderd"] is False
    assert len(after["wachttijd_historie"]) == len(before["wachttijd_historie"])
    page = client.get(f"/aanbieders/{after['slug']}").text
    assert "Bevestigd op" in page and "Gemeten op" in page
    # saving the same figures again is a confirmation too, not a new measurement
    current = after["wachttijd"]
    token = csrf(client, f"/portaal/{BRAVO}")
    r = client.post(
        f"/portaal/{BRAVO}/wachttijd",
        data={
            "_csrf_token": token,
            "aanmeldwachttijd_weken": str(current["aanmelden_weken"]),
            "behandelwachttijd_weken": str(current["behandeling_weken"]),
        },
        follow_redirects=False,
    )
    assert "opgeslagen=bevestigd" in r.headers["location"]
    again = client.get(f"/api/v1/providers/{BRAVO}").json()
    assert len(again["wachttijd_historie"]) == len(before["wachttijd_historie"])
    assert [e.what for e in entries(engine, kvk=BRAVO)][:2] == ["bevestiging", "bevestiging"]


def test_a_portal_error_lists_the_problems_keeps_the_values_and_writes_nothing(site: Any) -> None:
    client, engine = site
    login(client, make_user(engine, "aanbieder", [ALFA]))
    token = csrf(client, f"/portaal/{ALFA}")
    before = dump(engine)
    r = client.post(
        f"/portaal/{ALFA}/gegevens",
        data={"_csrf_token": token, "website": "geen-url", "telefoon": "12", "email": "x@",
              "expertise": "autism", "omschrijving": "Onze tekst \u202e"},
    )  # fmt: skip
    assert r.status_code == 400
    assert 'href="#veld-website"' in r.text and 'href="#veld-expertise"' in r.text
    assert "bedoelt u &#39;autisme&#39;" in r.text and 'value="geen-url"' in r.text
    assert "U+202E" in r.text
    assert dump(engine) == before


def test_the_audit_log_cannot_be_changed_or_deleted(both: Any) -> None:
    client, engine = both
    headers = token_headers(engine, make_user(engine, "aanbieder", [ALFA]))
    assert client.post(f"/api/v1/providers/{ALFA}/bevestiging", headers=headers).status_code == 200
    for statement in ("update audit_log set actor = 'iemand'", "delete from audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert entries(engine, kvk=ALFA)[0].what == "bevestiging"


# ---------------------------------------------------------------------------- beheer uploads


def _upload(client: Any, data: bytes, name: str = "bestand.csv", kind: str = "aanbieders") -> Any:
    token = csrf(client, "/beheer/import")
    return client.post(
        "/beheer/import",
        data={"_csrf_token": token, "soort": kind},
        files={"bestand": (name, io.BytesIO(data), "application/octet-stream")},
    )


def _laughs_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            '"&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet>&lol2;</worksheet>',
        )
    return out.getvalue()


def _bomb_xlsx() -> bytes:
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main"><sheetData>'
        + (b"<row>" + cell * 400 + b"</row>") * 12_000
        + b"</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("billion-laughs", _laughs_xlsx, ""),
        ("unpacks-to-190-mb", _bomb_xlsx, ""),
        (
            "10000-unknown-columns",
            lambda: (
                ";".join(["kvk", "naam", "wetten", "segmenten"] + [f"k{i}" for i in range(10_000)])
                + "\n"
            ).encode(),
            "kolommen, meer dan",
        ),
        (
            "bidi-name",
            lambda: "kvk;naam;wetten;segmenten\n20000009;Zorg\u202eBV;wmo;A\n".encode(),
            "U+202E",
        ),
        ("nul-in-header", lambda: b"kvk;na\x00am;wetten;segmenten\n20000009;Zorg;wmo;A\n", ""),
        ("binary", lambda: b"\x7fELF" + b"\x00" * 200, "geen CSV"),
        ("empty", lambda: b"", "leeg"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_a_hostile_upload_is_one_dutch_report_and_writes_nothing(
    site: Any, name: str, make: Any, said: str
) -> None:
    client, engine = site
    login(client, make_user(engine, "beheerder"))
    data = make()
    before = dump(engine)
    start = time.monotonic()
    r = _upload(client, data, name + (".xlsx" if data[:2] == b"PK" else ".csv"))
    assert time.monotonic() - start < 10
    assert r.status_code == 400, r.text[:300]
    assert "Er is niets opgeslagen" in r.text or "niets" in r.text
    assert said in r.text
    assert "\x00" not in r.text and "Traceback" not in r.text
    assert r.text.count('class="utrecht-unordered-list__item"') <= 25
    assert dump(engine) == before


def test_an_upload_with_many_errors_lists_twenty_and_counts_the_rest(site: Any) -> None:
    client, engine = site
    login(client, make_user(engine, "beheerder"))
    rows = "".join(f"{i:08d}x;;onzin;Z\n" for i in range(60))
    r = _upload(client, ("kvk;naam;wetten;segmenten\n" + rows).encode())
    assert r.status_code == 400
    assert "En nog " in r.text and " andere fouten" in r.text


def test_a_good_upload_and_a_kpi_import_write_with_audit_entries(site: Any) -> None:
    client, engine = site
    login(client, make_user(engine, "beheerder"))
    r = _upload(client, b"kvk;naam;wetten;segmenten\n20000001;Nieuwe Aanbieder;wmo;A\n")
    assert r.status_code == 200 and "De import is gelukt" in r.text
    r = _upload(
        client,
        f"kvk;kpi_periode;kpi_n;uitval_pct\n{ALFA};2026-H1;44;7,5\n".encode(),
        kind="kpi",
    )
    assert r.status_code == 200, r.text[:500]
    detail = client.get(f"/api/v1/providers/{ALFA}").json()
    assert detail["kpi"]["periode"] == "2026-H1" and detail["kpi"]["n"] == 44
    whats = [e.what for e in entries(engine)]
    assert "kpi-import" in whats and "import: aangemaakt" in whats
    r = _upload(client, b"kvk;kpi_periode;kpi_n\n99999999;2026-H1;4\n", kind="kpi")
    assert r.status_code == 400 and "geen aanbieder met KvK-nummer" in r.text


def test_the_import_templates_download_and_import_cleanly(site: Any) -> None:
    from openpyxl import load_workbook

    client, engine = site
    login(client, make_user(engine, "beheerder"))
    r = client.get("/beheer/import/sjabloon.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames[0] == "aanbieders" and "uitleg" in book.sheetnames
    sheet = book["aanbieders"]
    assert [c.value for c in sheet[1]][:4] == ["kvk", "naam", "omschrijving", "website"]
    assert len(sheet.data_validations.dataValidation) >= 5
    sheet.append(["20000003", "Uit Het Sjabloon", "", "", "", "", "jeugdwet", "A"])
    out = io.BytesIO()
    book.save(out)
    r = _upload(client, out.getvalue(), "sjabloon.xlsx")
    assert r.status_code == 200 and "De import is gelukt" in r.text, r.text[:800]
    csv = client.get("/beheer/import/sjabloon.csv")
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbfkvk;naam")


def test_beheer_creates_and_disables_users_with_audit_entries(site: Any) -> None:
    client, engine = site
    login(client, make_user(engine, "beheerder"))
    token = csrf(client, "/beheer/gebruikers")
    r = client.post(
        "/beheer/gebruikers",
        data={
            "_csrf_token": token,
            "email": "nieuw@example.nl",
            "rol": "aanbieder",
            "kvk": ALFA,
            "wachtwoord": "Welkom2026!!",
        },
    )
    assert r.status_code == 400 and "veel gebruikt" in r.text
    r = client.post(
        "/beheer/gebruikers",
        data={
            "_csrf_token": token,
            "email": "nieuw@example.nl",
            "rol": "aanbieder",
            "kvk": ALFA,
            "wachtwoord": PASSWORD,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.post(
        "/beheer/gebruikers/uitzetten",
        data={"_csrf_token": token, "email": "nieuw@example.nl"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    whats = [e.what for e in entries(engine)]
    assert whats[:2] == ["gebruiker uitgezet", "gebruiker aangemaakt"]
    audit = client.get("/beheer/audit", params={"zoek": "nieuw@example.nl"})
    assert audit.status_code == 200 and audit.text.count("nieuw@example.nl") >= 2
    export = client.get("/beheer/audit.csv", params={"zoek": "nieuw@"})
    assert export.status_code == 200 and "gebruiker aangemaakt" in export.text
