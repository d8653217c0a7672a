"""Allowed hosts and HSTS (etalage/web/hosts.py, etalage/web/security.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import TestClient

from etalage.settings import DEFAULT_ALLOWED_HOSTS, settings_from_env
from etalage.web.hosts import host_name, is_allowed


@pytest.mark.parametrize(
    ("header", "allowed", "expected"),
    [
        ("etalage.example.nl", ["etalage.example.nl"], True),
        ("Etalage.Example.NL:8443", ["etalage.example.nl"], True),
        ("evil.example.com", ["etalage.example.nl"], False),
        ("etalage.example.nl.evil.com", ["etalage.example.nl"], False),
        ("zorg.example.nl", [".example.nl"], True),
        ("example.nl", [".example.nl"], True),
        ("notexample.nl", [".example.nl"], False),
        ("[::1]:8000", ["::1"], True),
        ("127.0.0.1:8000", list(DEFAULT_ALLOWED_HOSTS), True),
        ("anything", ["*"], True),
        ("", ["etalage.example.nl"], False),
    ],
)
def test_host_names_are_compared_without_port_and_case(
    header: str, allowed: list[str], expected: bool
) -> None:
    assert is_allowed(header, allowed) is expected


def test_host_name_strips_the_port() -> None:
    assert host_name("[::1]:8000") == "::1" and host_name("a.b:80") == "a.b"


def test_the_default_is_the_loopback_names() -> None:
    assert settings_from_env({}).allowed_hosts == DEFAULT_ALLOWED_HOSTS
    env = {"ETALAGE_ALLOWED_HOSTS": " etalage.example.nl , .regio.nl "}
    assert settings_from_env(env).allowed_hosts == ("etalage.example.nl", ".regio.nl")


def test_another_host_gets_a_dutch_400_and_https_gets_hsts(
    sqlite_engine: Any, tmp_path: Any
) -> None:
    from conftest import settings_for

    from etalage.web.app import create_app

    settings = replace(
        settings_for(sqlite_engine, "westfriesland", tmp_path),
        allowed_hosts=("etalage.example.nl",),
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://evil.example.com") as client:
        page = client.get("/")
        assert page.status_code == 400 and "niet bereikbaar onder dit adres" in page.text
        api = client.get("/api/v1/providers")
        assert api.status_code == 400 and "niet bereikbaar" in api.json()["detail"]
    with TestClient(app, base_url="https://etalage.example.nl") as client:
        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    with TestClient(app, base_url="http://etalage.example.nl") as client:
        assert "strict-transport-security" not in client.get("/").headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example.com"},
        {"Origin": "null"},
    ],
)
def test_a_post_from_another_site_is_refused_and_changes_nothing(
    page_client: Any, headers: dict[str, str]
) -> None:
    page = page_client.get("/assistent")
    token = page.text.split('name="_token" value="', 1)[1].split('"', 1)[0]
    cookie = page_client.cookies.get("hulpwijzer")
    data = {"actie": "tekst", "tekst": "Mijn moeder vergeet veel.", "_token": token, "gezien": "2"}
    refused = page_client.post("/assistent", data=data, headers=headers, follow_redirects=False)
    assert refused.status_code == 403 and "kwam van een andere website" in refused.text
    assert "set-cookie" not in refused.headers
    assert page_client.cookies.get("hulpwijzer") == cookie
    # the same post from the etalage itself goes through
    same = {"Origin": "http://testserver.local", "Sec-Fetch-Site": "same-origin"}
    done = page_client.post("/assistent", data=data, headers=same, follow_redirects=False)
    assert done.status_code == 303


def test_the_json_api_takes_posts_from_other_systems(page_client: Any) -> None:
    r = page_client.post(
        "/api/v1/assistant/advice",
        json={"text": "Mijn moeder vergeet veel.", "answers": {"age": 82}},
        headers={"Origin": "https://zorgdomein.example"},
    )
    assert r.status_code == 200, r.text
