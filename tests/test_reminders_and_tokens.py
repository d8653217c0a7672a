"""`etalage reminders send` against a real local SMTP server (aiosmtpd), once per
period and never twice; `etalage tokens create/revoke/list` and `etalage audit list`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from sqlalchemy import Engine, text
from support import free_port

from etalage.accounts.users import create_user, disable_user
from etalage.catalogue.demo import load_demo
from etalage.portal.reminders import send_reminders, smtp_sender
from etalage.region import load_pack
from etalage.settings import SmtpSettings, get_settings

PASSWORD = "Paars-Olifant-Regent-42"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 Probeer het later"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def demo(sqlite_engine: Engine) -> tuple[Engine, Any]:
    pack = load_pack("westfriesland")
    load_demo(sqlite_engine, pack)
    return sqlite_engine, pack


def _stale_kvks(engine: Engine, pack: Any, today: date) -> list[str]:
    from etalage.catalogue.reader import read_records
    from etalage.db.session import session_factory
    from etalage.portal.freshness import stale_kvks

    with session_factory(engine)() as session:
        return sorted(stale_kvks(read_records(session, history=False), pack, today))


def test_a_reminder_is_sent_once_per_period_to_the_providers_users(
    demo: tuple[Engine, Any], smtp: tuple[Inbox, int]
) -> None:
    engine, pack = demo
    inbox, port = smtp
    today = date.today()
    stale = _stale_kvks(engine, pack, today)
    assert len(stale) >= 3
    first, second, third = stale[:3]
    create_user(engine, "lisa@zorg.example", "aanbieder", PASSWORD, [first, second])
    create_user(engine, "bram@zorg.example", "aanbieder", PASSWORD, [first])
    create_user(engine, "weg@zorg.example", "aanbieder", PASSWORD, [third])
    disable_user(engine, "weg@zorg.example")
    send = smtp_sender(SmtpSettings("127.0.0.1", port, "none", None, None, "etalage@regio.example"))

    def run(day: date) -> Any:
        return send_reminders(
            engine, pack, send, sender="etalage@regio.example",
            public_url="https://etalage.example", today=day,
        )  # fmt: skip

    report = run(today)
    assert sorted(k for k, _ in report.sent) == sorted([first, second])
    assert third in report.no_account  # its only user is disabled
    assert len(inbox.messages) == 2
    to_first = next(m for m in inbox.messages if f"/portaal/{first}" in m.get_payload())
    assert sorted(to_first["To"].split(", ")) == ["bram@zorg.example", "lisa@zorg.example"]
    assert "Klopt de wachttijd van" in to_first["Subject"] and "Klopt nog" in to_first.get_payload()
    assert to_first.get_payload().count("https://etalage.example/portaal/") == 1
    # the same day, and the next week: not again
    assert run(today).sent == [] and run(today + timedelta(days=7)).sent == []
    assert len(inbox.messages) == 2
    # four weeks later, still stale: the next period's reminder
    later = run(today + timedelta(days=28))
    assert sorted(k for k, _ in later.sent) == sorted([first, second])
    with engine.connect() as conn:
        audited = conn.execute(
            text("select count(*) from audit_log where what = 'herinnering verstuurd'")
        ).scalar()
    assert audited == 4


def test_a_failed_send_is_tried_again_on_the_next_run(
    demo: tuple[Engine, Any], smtp: tuple[Inbox, int]
) -> None:
    engine, pack = demo
    inbox, port = smtp
    today = date.today()
    kvk = _stale_kvks(engine, pack, today)[0]
    create_user(engine, "lisa@zorg.example", "aanbieder", PASSWORD, [kvk])
    send = smtp_sender(SmtpSettings("127.0.0.1", port, "none", None, None, "etalage@regio.example"))
    inbox.refuse = True
    failed = send_reminders(engine, pack, send, sender="e@x.nl", public_url="http://x", today=today)
    assert [k for k, _ in failed.failed] == [kvk] and not failed.sent
    inbox.refuse = False
    again = send_reminders(engine, pack, send, sender="e@x.nl", public_url="http://x", today=today)
    assert [k for k, _ in again.sent] == [kvk] and len(inbox.messages) == 1


def test_two_runs_at_once_send_each_reminder_once(
    demo: tuple[Engine, Any], smtp: tuple[Inbox, int]
) -> None:
    engine, pack = demo
    inbox, port = smtp
    today = date.today()
    kvks = _stale_kvks(engine, pack, today)[:5]
    create_user(engine, "lisa@zorg.example", "aanbieder", PASSWORD, kvks)
    send = smtp_sender(SmtpSettings("127.0.0.1", port, "none", None, None, "etalage@regio.example"))
    threads = [
        threading.Thread(
            target=send_reminders,
            args=(engine, pack, send),
            kwargs={"sender": "e@x.nl", "public_url": "http://x", "today": today},
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(inbox.messages) == len(kvks)


def test_the_reminders_command(
    demo: tuple[Engine, Any], smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from etalage.cli import main

    engine, pack = demo
    inbox, port = smtp
    kvk = _stale_kvks(engine, pack, date.today())[0]
    create_user(engine, "lisa@zorg.example", "aanbieder", PASSWORD, [kvk])
    monkeypatch.setenv("ETALAGE_DATABASE_URL", str(engine.url))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        unset = runner.invoke(main, ["reminders", "send"])
        assert unset.exit_code == 1 and "ETALAGE_SMTP_HOST" in unset.output
        monkeypatch.setenv("ETALAGE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ETALAGE_SMTP_PORT", str(port))
        monkeypatch.setenv("ETALAGE_SMTP_SECURITY", "none")
        get_settings.cache_clear()
        done = runner.invoke(main, ["reminders", "send"])
        assert done.exit_code == 0, done.output
        assert f"Herinnering verstuurd voor {kvk}" in done.output and len(inbox.messages) == 1
        again = runner.invoke(main, ["reminders", "send"])
        assert again.exit_code == 0 and "0 herinneringen verstuurd" in again.output
    finally:
        get_settings.cache_clear()


def test_the_token_and_audit_commands(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etalage.accounts.tokens import TokenAuth
    from etalage.cli import main

    create_user(sqlite_engine, "lisa@zorg.example", "aanbieder", PASSWORD, ["00990001"])
    monkeypatch.setenv("ETALAGE_DATABASE_URL", str(sqlite_engine.url))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        made = runner.invoke(main, ["tokens", "create", "lisa@zorg.example", "--name", "planning"])
        assert made.exit_code == 0, made.output
        token = made.output.strip().splitlines()[-1]
        assert token.startswith("etl_") and len(token) > 40
        auth = TokenAuth(sqlite_engine)
        assert auth.actor(token) is not None
        with sqlite_engine.connect() as conn:
            stored = conn.execute(text("select token_digest from api_tokens")).scalar_one()
        assert token not in stored
        listed = runner.invoke(main, ["tokens", "list"])
        assert "planning" in listed.output and token not in listed.output
        token_id = listed.output.split("\t", 1)[0]
        assert runner.invoke(main, ["tokens", "revoke", token_id]).exit_code == 0
        assert auth.actor(token) is None
        assert runner.invoke(main, ["tokens", "revoke", "999"]).exit_code == 1
        unknown = runner.invoke(main, ["tokens", "create", "niemand@x.nl", "--name", "x"])
        assert unknown.exit_code == 1
        log = runner.invoke(main, ["audit", "list"])
        assert log.exit_code == 0
        lines = log.output.strip().splitlines()
        assert "token ingetrokken" in lines[0] and "token aangemaakt" in lines[1]
        assert "gebruiker aangemaakt" in lines[-1]
        assert runner.invoke(main, ["audit", "list", "--since", "gisteren"]).exit_code == 2
        assert runner.invoke(main, ["audit", "list", "--kvk", "123"]).exit_code == 2
        none = runner.invoke(main, ["audit", "list", "--kvk", "00990001"])
        assert none.exit_code == 0 and "Geen wijzigingen" in none.output
    finally:
        get_settings.cache_clear()
