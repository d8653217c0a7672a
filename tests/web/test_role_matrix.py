"""The role matrix of docs/portal.md#the-role-matrix: every state-changing route (HTML
and API) as every role, as anonymous, and as a provider user against another
provider's KvK number. Only what the matrix allows succeeds; everything else is refused
and changes nothing (the database is compared before and after each refused call)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from accounts_support import PASSWORD, SPARE, csrf, dump, login, make_user, token_headers
from conftest import settings_for
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from web_catalogue import ALFA, BRAVO, DELTA, fill_catalogue

from etalage.accounts.tokens import create_token, revoke_token
from etalage.db.migrate import upgrade
from etalage.db.session import engine_for, make_engine
from etalage.web.app import create_app


@dataclass(frozen=True)
class Call:
    name: str
    allowed: frozenset[str]  # the actors for whom it succeeds
    run: Callable[[Any, str, dict[str, str]], Any]  # (client, csrf token, api headers)
    ok: tuple[int, ...] = (200, 303)


def _form(path: str, data: dict[str, str]) -> Callable[[Any, str, dict[str, str]], Any]:
    def run(client: Any, token: str, _headers: dict[str, str]) -> Any:
        return client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)

    return run


def _upload(client: Any, token: str, _headers: dict[str, str]) -> Any:
    body = b"kvk;naam;wetten;segmenten\n20000001;Nieuwe Aanbieder;wmo;A\n"
    return client.post(
        "/beheer/import",
        data={"_csrf_token": token, "soort": "aanbieders"},
        files={"bestand": ("nieuw.csv", io.BytesIO(body), "text/csv")},
        follow_redirects=False,
    )


def _api(method: str, path: str, body: Any = None) -> Callable[[Any, str, dict[str, str]], Any]:
    def run(client: Any, _token: str, headers: dict[str, str]) -> Any:
        return client.request(method, path, json=body, headers=headers)

    return run


PORTAL = frozenset({"aanbieder", "beheerder"})  # "aanbieder": on its own provider
BEHEER = frozenset({"beheerder"})
TOKENS = frozenset({"aanbieder", "aanbieder-ander", "beheerder"})


def calls(kvk: str, n: int = 0) -> list[Call]:
    """The calls on provider `kvk` (ALFA: the provider user's own; BRAVO: another);
    `n` makes each actor's values differ, so an allowed call always changes something."""
    own_only = PORTAL
    return [
        Call("portaal wachttijd", own_only, _form(f"/portaal/{kvk}/wachttijd", {
            "aanmeldwachttijd_weken": str(9 + n), "behandelwachttijd_weken": "9"})),
        Call("portaal klopt nog", own_only, _form(f"/portaal/{kvk}/klopt-nog", {})),
        Call("portaal capaciteit", own_only, _form(f"/portaal/{kvk}/capaciteit", {
            "status": "aanmeldstop", "toelichting": f"vol {n}"})),
        Call("portaal gegevens", own_only, _form(f"/portaal/{kvk}/gegevens", {
            "omschrijving": f"Nieuwe omschrijving {n}", "telefoon": "0229 123 456"})),
        Call("api wachttijd", own_only, _api("PUT", f"/api/v1/providers/{kvk}/wachttijd", {
            "aanmelden_weken": 7 + n, "behandeling_weken": 1})),
        Call("api capaciteit", own_only, _api("PUT", f"/api/v1/providers/{kvk}/capaciteit", {
            "status": ("wachtlijst", "eerst_screening")[n % 2]})),
        Call("api bevestiging", own_only, _api("POST", f"/api/v1/providers/{kvk}/bevestiging")),
        Call("beheer aanbieder nieuw", BEHEER, _form("/beheer/aanbieders", {
            "kvk": "20000002", "naam": "Nog Een Aanbieder", "wetten": "wmo", "segmenten": "A"})),
        Call("beheer aanbieder wijzigen", BEHEER, _form(f"/beheer/aanbieders/{kvk}", {
            "naam": "Andere Naam", "omschrijving": "Door de regio"})),
        Call("beheer import", BEHEER, _upload),
        Call("beheer gebruiker nieuw", BEHEER, _form("/beheer/gebruikers", {
            "email": "nieuw@example.nl", "rol": "toegang", "wachtwoord": PASSWORD})),
        Call("beheer gebruiker uitzetten", BEHEER, _form("/beheer/gebruikers/uitzetten", {
            "email": SPARE})),
        Call("beheer gebruiker koppelen", BEHEER, _form("/beheer/gebruikers/kvk", {
            "email": "koppel@example.nl", "kvk": f"{ALFA} {BRAVO}"})),
        Call("account token", TOKENS, _form("/account/tokens", {"naam": "systeem"})),
        Call("beheer aanbieder beeindigen", BEHEER, _form(
            f"/beheer/aanbieders/{DELTA}/beeindigen", {"zeker": "ja"})),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Engine, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("matrix")
    engine = make_engine(f"sqlite:///{folder / 'etalage.db'}")
    upgrade(engine)
    fill_catalogue(engine)
    users = {
        "toegang": make_user(engine, "toegang"),
        "aanbieder": make_user(engine, "aanbieder", [ALFA]),
        "beheerder": make_user(engine, "beheerder"),
    }
    make_user(engine, "toegang", email=SPARE)
    make_user(engine, "aanbieder", [DELTA], email="koppel@example.nl")
    settings = settings_for(engine, tmp=folder)
    with TestClient(create_app(settings)) as client:
        yield client, engine, users
    engine_for(settings.database_url).dispose()


# Refused actors first, the beheerder last: its allowed calls change the catalogue.
ACTORS = ("anoniem", "toegang", "aanbieder-ander", "aanbieder", "beheerder")


def _expected_refusal(actor: str, call: Call) -> tuple[int, ...]:
    if actor == "anoniem":
        return (401,) if call.name.startswith("api") else (303,)  # 303: to /inloggen
    return (404,)


def test_only_what_the_matrix_allows_succeeds(world: tuple[Any, Engine, dict[str, str]]) -> None:
    client, engine, users = world
    seen: list[str] = []
    for actor in ACTORS:
        client.cookies.clear()
        headers: dict[str, str] = {}
        role = "aanbieder" if actor.startswith("aanbieder") else actor
        if actor != "anoniem":
            login(client, users[role])
            headers = token_headers(engine, users[role])
        kvk = BRAVO if actor == "aanbieder-ander" else ALFA
        for call in calls(kvk, ACTORS.index(actor)):
            token = csrf(client, "/inloggen")
            before = dump(engine)
            r = call.run(client, token, headers)
            after = dump(engine)
            allowed = actor in call.allowed or (
                actor == "aanbieder-ander" and call.allowed is TOKENS
            )
            where = f"{call.name} as {actor}: {r.status_code} {r.text[:200]}"
            if allowed:
                assert r.status_code in call.ok, where
                assert after != before, f"{call.name} as {actor} changed nothing"
                assert len(after["audit_log"]) > len(before["audit_log"]), f"no audit: {where}"
            else:
                assert r.status_code in _expected_refusal(actor, call), where
                if r.status_code == 303:
                    assert r.headers["location"].startswith("/inloggen"), where
                assert after == before, f"{call.name} as {actor} changed the database"
            seen.append(f"{actor}:{call.name}:{'ok' if allowed else 'refused'}")
    assert len(seen) == len(ACTORS) * len(calls(ALFA))


def test_the_audit_api_is_for_beheerders_only(world: tuple[Any, Engine, dict[str, str]]) -> None:
    client, engine, users = world
    client.cookies.clear()
    assert client.get("/api/v1/audit").status_code == 401
    for role in ("toegang", "aanbieder"):
        assert (
            client.get("/api/v1/audit", headers=token_headers(engine, users[role])).status_code
            == 403
        )
    r = client.get("/api/v1/audit", headers=token_headers(engine, users["beheerder"]))
    assert r.status_code == 200
    entry = r.json()["entries"][0]
    assert set(entry) >= {"wanneer", "wie", "wat", "oud", "nieuw"}


def test_a_revoked_or_unknown_token_is_refused_and_changes_nothing(
    world: tuple[Any, Engine, dict[str, str]],
) -> None:
    client, engine, users = world
    view, raw = create_token(engine, users["aanbieder"], "weg")
    path = f"/api/v1/providers/{ALFA}/bevestiging"
    assert client.post(path, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    revoke_token(engine, view.id)
    before = dump(engine)
    for header in (f"Bearer {raw}", "Bearer etl_onzin", "Basic abc", "", f"bearer {raw}x"):
        r = client.post(path, headers={"Authorization": header} if header else {})
        assert r.status_code == 401 and "token" in r.json()["detail"]
    assert dump(engine) == before


def test_csrf_missing_or_wrong_is_refused_and_changes_nothing(
    world: tuple[Any, Engine, dict[str, str]],
) -> None:
    client, engine, users = world
    client.cookies.clear()
    login(client, users["aanbieder"])
    good = csrf(client, f"/portaal/{ALFA}")
    data = {"aanmeldwachttijd_weken": "11", "behandelwachttijd_weken": "2"}
    before = dump(engine)
    for token in (None, "", "onzin", good[:-2] + "xx"):
        sent = data if token is None else {**data, "_csrf_token": token}
        r = client.post(f"/portaal/{ALFA}/wachttijd", data=sent, follow_redirects=False)
        assert r.status_code == 403 and "verlopen" in r.text
    # a token from another browser (another CSRF cookie) does not fit either
    other = TestClient(client.app)
    other.cookies.update({k: v for k, v in client.cookies.items() if "csrf" not in k})
    r = other.post(
        f"/portaal/{ALFA}/wachttijd", data={**data, "_csrf_token": good}, follow_redirects=False
    )
    assert r.status_code == 403
    assert dump(engine) == before
    r = client.post(
        f"/portaal/{ALFA}/wachttijd", data={**data, "_csrf_token": good}, follow_redirects=False
    )
    assert r.status_code == 303 and dump(engine) != before


def test_a_cross_site_post_is_refused_even_with_a_good_token(
    world: tuple[Any, Engine, dict[str, str]],
) -> None:
    client, engine, users = world
    client.cookies.clear()
    login(client, users["aanbieder"])
    good = csrf(client, f"/portaal/{ALFA}")
    before = dump(engine)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        r = client.post(
            f"/portaal/{ALFA}/klopt-nog", data={"_csrf_token": good}, headers=headers,
            follow_redirects=False,
        )  # fmt: skip
        assert r.status_code == 403
    assert dump(engine) == before


def test_no_get_changes_anything(world: tuple[Any, Engine, dict[str, str]]) -> None:
    client, engine, users = world
    client.cookies.clear()
    login(client, users["beheerder"])
    before = dump(engine)
    for path in (
        "/portaal", f"/portaal/{ALFA}", f"/portaal/{ALFA}/klopt-nog", "/beheer",
        "/beheer/aanbieders", f"/beheer/aanbieders/{ALFA}", f"/beheer/aanbieders/{ALFA}/beeindigen",
        "/beheer/import", "/beheer/gebruikers", "/beheer/gebruikers/uitzetten", "/beheer/audit",
        "/beheer/audit.csv", "/account", "/uitloggen",
    ):  # fmt: skip
        r = client.get(path, follow_redirects=False)
        assert r.status_code in (200, 303, 404, 405), (path, r.status_code)
    assert dump(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from login_sessions")).scalar() >= 1
