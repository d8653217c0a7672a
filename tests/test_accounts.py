"""Users and passwords (etalage.accounts) and `etalage users`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from etalage.accounts.passwords import hash_password, policy_problems, verify_password
from etalage.accounts.users import AccountError, create_user, disable_user, list_users
from etalage.db.models import User

GOOD = "paard batterij nietje correct"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("kort", "minstens 12 tekens"),
        ("welkom12345!", "veel gebruikt"),
        ("Wachtwoord2026!", "veel gebruikt"),
        ("password1234", "veel gebruikt"),
        ("123456789012", "te makkelijk te raden"),
        ("Zomer2026Zomer2026", "te makkelijk te raden"),
        ("aaaaaaaaaaaaaaaa", "te makkelijk te raden"),
        ("piet.jansen.1234!", "naam of e-mailadres"),
        ("x" * 300, "hoogstens 256"),
    ],
)
def test_weak_passwords_are_refused_in_dutch(password: str, problem: str) -> None:
    problems = policy_problems(password, ["piet.jansen"])
    assert problems and problem in problems[0], problems


@pytest.mark.parametrize("password", [GOOD, "hoorn-zorg-lamp-2026", "Kl1mrek-Tuinslang-Vijver"])
def test_long_uncommon_passwords_pass(password: str) -> None:
    assert policy_problems(password, ["piet.jansen"]) == []


def test_passwords_are_argon2id_hashes() -> None:
    stored = hash_password(GOOD)
    assert stored.startswith("$argon2id$") and GOOD not in stored
    assert verify_password(stored, GOOD) and not verify_password(stored, GOOD + "x")
    assert not verify_password("geen hash", GOOD)


def test_create_list_and_disable(sqlite_engine: Engine) -> None:
    made = create_user(sqlite_engine, " Piet@Zorg.Example ", "aanbieder", GOOD, ["00990001"])
    assert (made.email, made.role, made.kvks, made.is_active) == (
        "piet@zorg.example", "aanbieder", ("00990001",), True
    )  # fmt: skip
    with Session(sqlite_engine) as session:
        user = session.scalar(select(User))
        assert user is not None and verify_password(user.password_hash, GOOD)
    with pytest.raises(AccountError, match="al een gebruiker"):
        create_user(sqlite_engine, "piet@zorg.example", "toegang", GOOD)
    assert disable_user(sqlite_engine, "PIET@zorg.example").is_active is False
    assert [u.is_active for u in list_users(sqlite_engine)] == [False]
    with pytest.raises(AccountError, match="geen gebruiker"):
        disable_user(sqlite_engine, "niemand@zorg.example")


@pytest.mark.parametrize(
    ("email", "role", "kvks", "problem"),
    [
        ("geen-adres", "toegang", (), "geen geldig e-mailadres"),
        ("a@b.example", "baas", (), "Onbekende rol 'baas'"),
        ("a@b.example", "aanbieder", (), "minstens één KvK-nummer"),
        ("a@b.example", "aanbieder", ("1234",), "precies 8 cijfers"),
        ("a@b.example", "toegang", ("00990001",), "Alleen de rol aanbieder"),
    ],
)
def test_every_rule_is_checked_and_nothing_is_written(
    sqlite_engine: Engine, email: str, role: str, kvks: tuple[str, ...], problem: str
) -> None:
    with pytest.raises(AccountError) as raised:
        create_user(sqlite_engine, email, role, GOOD, kvks)
    assert any(problem in p for p in raised.value.problems), raised.value.problems
    assert list_users(sqlite_engine) == []


def test_the_users_commands(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from etalage.cli import main
    from etalage.settings import get_settings

    monkeypatch.setenv("ETALAGE_DATABASE_URL", str(sqlite_engine.url))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        args = ["users", "create", "beheer@regio.example", "--role", "beheerder"]
        done = runner.invoke(main, [*args, "--password-stdin"], input=GOOD + "\n")
        assert done.exit_code == 0, done.output
        assert "Gebruiker beheer@regio.example gemaakt, rol beheerder." in done.output
        weak = runner.invoke(
            main,
            [*args[:2], "ander@regio.example", *args[3:], "--password-stdin"],
            input="welkom12345!\n",
        )
        assert weak.exit_code == 1 and "veel gebruikt" in weak.output
        asked = runner.invoke(
            main,
            [
                "users",
                "create",
                "zorg@aanbieder.example",
                "--role",
                "aanbieder",
                "--kvk",
                "00990001",
            ],
            input=f"{GOOD}\n{GOOD}\n",
        )
        assert asked.exit_code == 0, asked.output
        listed = runner.invoke(main, ["users", "list"])
        assert listed.exit_code == 0
        assert (
            "zorg@aanbieder.example\taanbieder\t00990001\tactief\tlaatst ingelogd: nooit"
            in listed.output
        )
        off = runner.invoke(main, ["users", "disable", "zorg@aanbieder.example"])
        assert off.exit_code == 0 and "staat uit" in off.output
        missing = runner.invoke(main, ["users", "create", "x@y.example"])
        assert missing.exit_code == 2  # --role is required (click's usage error)
    finally:
        get_settings.cache_clear()
