"""E-mail reminders to providers whose figures are stale (`etalage reminders send`, run
daily by a timer; docs/portal.md#reminders).

A provider is stale when its waiting time was last measured or confirmed more than the
pack's `freshness_weeks` ago, or when it has none (etalage.portal.freshness). Its
portal users (active, role `aanbieder`, bound to its KvK number) get one e-mail per
period: the first when the figures turn stale, then every `EVERY_DAYS` days while they
stay stale. The period is claimed in `reminders_sent` before the e-mail goes out (in
its own transaction, so two runs at once cannot both send it) and released again when
sending fails, so the next run retries; it is never sent twice.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from etalage.accounts.actor import SYSTEM
from etalage.audit import record
from etalage.catalogue.reader import read_records
from etalage.db.models import ReminderSent, User, UserProvider
from etalage.db.session import session_factory, transaction
from etalage.portal.freshness import is_stale_record
from etalage.provider import ProviderRecord
from etalage.region.model import RegionPack
from etalage.settings import SmtpSettings

EVERY_DAYS = 28
NEVER_EPOCH = date(2026, 1, 1)


@dataclass
class ReminderReport:
    sent: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # kvk, recipients
    already: list[str] = field(default_factory=list)  # reminded this period before
    no_account: list[str] = field(default_factory=list)  # stale, but nobody to write to
    failed: list[tuple[str, str]] = field(default_factory=list)  # kvk, reason


def period_of(record: ProviderRecord, pack: RegionPack, today: date) -> str:
    """The reminder period a stale provider is in today."""
    latest = record.latest_waiting
    if latest is None:
        return f"geen/{(today - NEVER_EPOCH).days // EVERY_DAYS}"
    stale_from = latest.checked_on + timedelta(weeks=pack.freshness_weeks)
    return f"{latest.checked_on.isoformat()}/{max(0, (today - stale_from).days) // EVERY_DAYS}"


def _recipients(engine: Engine) -> dict[str, list[str]]:
    with session_factory(engine)() as session:
        rows = session.execute(
            select(UserProvider.kvk, User.email)
            .join(User, User.id == UserProvider.user_id)
            .where(User.is_active.is_(True), User.role == "aanbieder")
            .order_by(User.email)
        )
        found: dict[str, list[str]] = {}
        for kvk, email in rows:
            found.setdefault(kvk, []).append(email)
        return found


def message(
    record: ProviderRecord, pack: RegionPack, public_url: str, sender: str, to: list[str]
) -> EmailMessage:
    """One e-mail to the provider's portal users together (colleagues of one provider),
    so it is sent whole or not at all."""
    latest = record.latest_waiting
    mail = EmailMessage()
    mail["Subject"] = f"Klopt de wachttijd van {record.name} nog?"
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="etalage")
    when = (
        f"De wachttijd is voor het laatst bijgewerkt of bevestigd op "
        f"{latest.checked_on.strftime('%d-%m-%Y')}."
        if latest
        else "Er staat nog geen wachttijd in de etalage."
    )
    mail.set_content(
        f"Beste collega,\n\n"
        f"{when} Dat is langer dan {pack.freshness_weeks} weken geleden. Verwijzers en "
        f"inwoners zien de wachttijd van {record.name} nu als verouderd.\n\n"
        f"Wilt u hem bijwerken? Klopt hij nog, klik dan op 'Klopt nog'. Dat kost een "
        f"halve minuut:\n{public_url}/portaal/{record.kvk}\n\n"
        f"U krijgt deze herinnering omdat u in het portaal van de zorglandschap-etalage "
        f"{pack.name} bij {record.name} hoort. Hoort u daar niet meer bij? Laat het de "
        f"contractbeheerder van de regio weten.\n\n"
        f"Met vriendelijke groet,\nZorglandschap {pack.name}\n"
    )
    return mail


def smtp_sender(settings: SmtpSettings) -> Callable[[EmailMessage], None]:
    def send(mail: EmailMessage) -> None:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=30, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=30)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.send_message(mail)

    return send


def send_reminders(
    engine: Engine,
    pack: RegionPack,
    send: Callable[[EmailMessage], None],
    *,
    sender: str,
    public_url: str,
    today: date,
) -> ReminderReport:
    report = ReminderReport()
    with session_factory(engine)() as session:
        records = read_records(session, history=False)
    recipients = _recipients(engine)
    for rec in records:
        if not is_stale_record(rec, pack, today):
            continue
        to = recipients.get(rec.kvk, [])
        if not to:
            report.no_account.append(rec.kvk)
            continue
        period = period_of(rec, pack, today)
        try:
            with transaction(engine) as claim:
                claim.add(
                    ReminderSent(
                        kvk=rec.kvk,
                        period=period,
                        sent_at=datetime.now(UTC),
                        recipients=", ".join(to),
                    )
                )
        except IntegrityError:
            report.already.append(rec.kvk)
            continue
        try:
            send(message(rec, pack, public_url, sender, to))
        except (OSError, smtplib.SMTPException) as exc:
            with transaction(engine) as release:
                release.execute(
                    delete(ReminderSent).where(
                        ReminderSent.kvk == rec.kvk, ReminderSent.period == period
                    )
                )
            report.failed.append((rec.kvk, str(exc)[:200] or type(exc).__name__))
            continue
        with transaction(engine) as session:
            record(
                session,
                SYSTEM,
                "herinnering verstuurd",
                kvk=rec.kvk,
                new={"aan": to, "periode": period},
            )
        report.sent.append((rec.kvk, tuple(to)))
    return report
