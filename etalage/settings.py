"""Settings: one dataclass read from the environment, behind a cached getter.

Every variable here is documented in the README; a test checks that.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# name -> (default shown in the README, one-line meaning); the README test reads this.
ENVIRONMENT_VARIABLES: dict[str, str] = {
    "ETALAGE_DATABASE_URL": "SQLAlchemy database URL; default a SQLite file under ./var/",
    "ETALAGE_MEILISEARCH_URL": "URL of a Meilisearch server; unset means the embedded search",
    "ETALAGE_MEILISEARCH_KEY": "Meilisearch master or admin key (server side only)",
    "ETALAGE_SECRET_KEY": "secret for signing session cookies; random per process if unset",
    "ETALAGE_REGION": "region pack name or path to a pack folder; default westfriesland",
    "ETALAGE_VAR_DIR": "folder for local data (SQLite file, caches); default ./var",
    "ETALAGE_ALLOWED_HOSTS": "host names the app answers for, comma-separated (`.example.nl` "
    "includes subdomains, `*` any); default localhost, 127.0.0.1 and ::1",
    "ETALAGE_TRUSTED_PROXIES": "addresses or networks of reverse proxies whose "
    "X-Forwarded-For is trusted for the login throttle, comma-separated; default none",
    "ETALAGE_SESSION_IDLE_MINUTES": "a login session ends after this many minutes without a "
    "request; default 30",
    "ETALAGE_SESSION_MAX_HOURS": "a login session ends this many hours after login; default 12",
    "ETALAGE_PUBLIC_URL": "the address users reach the etalage at, for links in e-mails; "
    "default http://localhost:8000",
    "ETALAGE_SMTP_HOST": "SMTP server for reminder e-mails; unset means no e-mail is sent",
    "ETALAGE_SMTP_PORT": "SMTP port; default 587 (with STARTTLS), 465 with SSL, 25 plain",
    "ETALAGE_SMTP_SECURITY": "`starttls` (default), `ssl` or `none`",
    "ETALAGE_SMTP_USER": "SMTP user name; unset means no login",
    "ETALAGE_SMTP_PASSWORD": "SMTP password",
    "ETALAGE_SMTP_FROM": "sender address of reminder e-mails; default etalage@localhost",
    "ETALAGE_LOG_FORMAT": "`json` (default: one JSON object per line) or `text`",
}
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Settings:
    database_url: str
    meilisearch_url: str | None
    meilisearch_key: str | None
    secret_key: str
    region: str
    var_dir: Path
    secret_key_is_ephemeral: bool = False
    # Empty: any host (for code that builds settings itself); see etalage.web.hosts.
    allowed_hosts: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    public_url: str = "http://localhost:8000"
    smtp: SmtpSettings | None = None
    log_format: str = "json"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls, ssl, none
    user: str | None
    password: str | None
    sender: str


def _items(value: str | None) -> tuple[str, ...]:
    return tuple(h.strip() for h in (value or "").split(",") if h.strip())


def _number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


def _smtp(env: Mapping[str, str]) -> SmtpSettings | None:
    host = (env.get("ETALAGE_SMTP_HOST") or "").strip()
    if not host:
        return None
    security = (env.get("ETALAGE_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in ("starttls", "ssl", "none"):
        raise ValueError(f"ETALAGE_SMTP_SECURITY must be starttls, ssl or none, not {security!r}")
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    return SmtpSettings(
        host=host,
        port=_number(env, "ETALAGE_SMTP_PORT", default_port, 1, 65535),
        security=security,
        user=env.get("ETALAGE_SMTP_USER") or None,
        password=env.get("ETALAGE_SMTP_PASSWORD") or None,
        sender=env.get("ETALAGE_SMTP_FROM") or "etalage@localhost",
    )


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    var_dir = Path(env.get("ETALAGE_VAR_DIR") or "var").resolve()
    database_url = env.get("ETALAGE_DATABASE_URL") or f"sqlite:///{var_dir / 'etalage.db'}"
    secret = env.get("ETALAGE_SECRET_KEY") or ""
    return Settings(
        database_url=database_url,
        meilisearch_url=(env.get("ETALAGE_MEILISEARCH_URL") or None),
        meilisearch_key=(env.get("ETALAGE_MEILISEARCH_KEY") or None),
        secret_key=secret or secrets.token_urlsafe(32),
        region=env.get("ETALAGE_REGION") or "westfriesland",
        var_dir=var_dir,
        secret_key_is_ephemeral=not secret,
        allowed_hosts=_items(env.get("ETALAGE_ALLOWED_HOSTS")) or DEFAULT_ALLOWED_HOSTS,
        trusted_proxies=_items(env.get("ETALAGE_TRUSTED_PROXIES")),
        session_idle_minutes=_number(env, "ETALAGE_SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
        session_max_hours=_number(env, "ETALAGE_SESSION_MAX_HOURS", 12, 1, 24 * 30),
        public_url=(env.get("ETALAGE_PUBLIC_URL") or "http://localhost:8000").rstrip("/"),
        smtp=_smtp(env),
        log_format="text"
        if (env.get("ETALAGE_LOG_FORMAT") or "").strip().lower() == "text"
        else "json",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()
