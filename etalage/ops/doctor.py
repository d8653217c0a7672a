"""`etalage doctor` (docs/operations.md#doctor): checks a configuration and says, in
Dutch, what to fix: the database reachable and migrated, the region pack, the secret
key, the allowed hosts, Meilisearch (reachable, its version, whether the key may manage
the index), and the SMTP server (reachable)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from etalage.db.migrate import alembic_config
from etalage.db.session import make_engine
from etalage.region import RegionPackError, load_pack
from etalage.settings import DEFAULT_ALLOWED_HOSTS, Settings


@dataclass(frozen=True)
class Finding:
    part: str
    ok: bool
    say: str  # what was found, or what to fix

    def line(self) -> str:
        return f"{'OK   ' if self.ok else 'FOUT '} {self.part}: {self.say}"


def _database(settings: Settings) -> Finding:
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = MigrationContext.configure(conn).get_current_revision()
        engine.dispose()
    except (SQLAlchemyError, ArgumentError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:150]
        return Finding(
            "database", False, f"niet bereikbaar ({reason}); controleer ETALAGE_DATABASE_URL."
        )
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if current != head:
        return Finding(
            "database", False, f"versie {current}, nodig {head}: voer 'etalage db upgrade' uit."
        )
    return Finding("database", True, f"bereikbaar, versie {current}.")


def _meilisearch(settings: Settings) -> Finding:
    if not settings.meilisearch_url:
        return Finding(
            "meilisearch", True, "niet ingesteld: de ingebouwde zoekfunctie wordt gebruikt."
        )
    import meilisearch
    from meilisearch.errors import (
        MeilisearchApiError,
        MeilisearchCommunicationError,
        MeilisearchError,
    )

    client = meilisearch.Client(settings.meilisearch_url, settings.meilisearch_key, timeout=5)
    try:
        version = client.get_version().get("pkgVersion", "?")
    except MeilisearchCommunicationError:
        return Finding(
            "meilisearch",
            False,
            f"niet bereikbaar op {settings.meilisearch_url}; draait Meilisearch?",
        )
    except MeilisearchError as exc:
        return Finding("meilisearch", False, f"antwoordt met een fout ({str(exc)[:120]}).")
    try:
        client.get_indexes({"limit": 1})
    except MeilisearchApiError as exc:
        return Finding(
            "meilisearch", False,
            f"versie {version}, maar de sleutel mag de indexen niet beheren ({exc.code}); "
            "gebruik de master key of een admin key in ETALAGE_MEILISEARCH_KEY.",
        )  # fmt: skip
    return Finding(
        "meilisearch", True, f"bereikbaar, versie {version}, de sleutel mag de indexen beheren."
    )


def _smtp(settings: Settings) -> Finding:
    if settings.smtp is None:
        return Finding("e-mail", True, "geen SMTP ingesteld: 'etalage reminders send' mailt niet.")
    smtp = settings.smtp
    try:
        client: smtplib.SMTP = (
            smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=5)
            if smtp.security == "ssl"
            else smtplib.SMTP(smtp.host, smtp.port, timeout=5)
        )
        with client:
            client.ehlo()
            if smtp.security == "starttls":
                client.starttls()
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:
        return Finding(
            "e-mail",
            False,
            f"{smtp.host}:{smtp.port} werkt niet ({str(exc)[:120] or type(exc).__name__}).",
        )
    return Finding("e-mail", True, f"{smtp.host}:{smtp.port} bereikbaar.")


def check(settings: Settings) -> list[Finding]:
    findings = [_database(settings)]
    try:
        pack = load_pack(settings.region)
        findings.append(
            Finding("regio", True, f"{pack.name} ({len(pack.municipalities)} gemeenten).")
        )
    except RegionPackError as exc:
        findings.append(Finding("regio", False, str(exc)[:200]))
    if settings.secret_key_is_ephemeral:
        say = (
            "ETALAGE_SECRET_KEY is niet gezet: na elke herstart zijn gesprekken en formulieren "
            "ongeldig, en meer processen begrijpen elkaar niet."
        )
        findings.append(Finding("geheime sleutel", False, say))
    elif len(settings.secret_key) < 32:
        findings.append(
            Finding("geheime sleutel", False, "ETALAGE_SECRET_KEY is korter dan 32 tekens.")
        )
    else:
        findings.append(Finding("geheime sleutel", True, "gezet."))
    if tuple(settings.allowed_hosts) == DEFAULT_ALLOWED_HOSTS:
        findings.append(
            Finding(
                "hosts", True, "alleen localhost: zet ETALAGE_ALLOWED_HOSTS op de naam van de site."
            )
        )
    elif "*" in settings.allowed_hosts:
        findings.append(
            Finding("hosts", False, "ETALAGE_ALLOWED_HOSTS staat op '*': noem de naam van de site.")
        )
    else:
        findings.append(Finding("hosts", True, ", ".join(settings.allowed_hosts)))
    findings.append(_meilisearch(settings))
    findings.append(_smtp(settings))
    return findings
