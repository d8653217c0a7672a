"""Settings: one dataclass read from the environment, behind a cached getter.

Every variable here is documented in the README; a test checks that.
"""

from __future__ import annotations

import os
import secrets
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


def settings_from_env(env: dict[str, str] | os._Environ[str] | None = None) -> Settings:
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
        allowed_hosts=tuple(
            h.strip() for h in (env.get("ETALAGE_ALLOWED_HOSTS") or "").split(",") if h.strip()
        )
        or DEFAULT_ALLOWED_HOSTS,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()
