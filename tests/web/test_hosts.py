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
