"""The `etalage` command line (docs/cli.md).

Exit codes: 0 success, 1 validation errors (printed), 2 usage errors (click's own).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import Engine

from etalage.region import RegionPack, RegionPackError, load_pack
from etalage.settings import get_settings


def _engine() -> Engine:
    """The configured database, migrated; a Dutch message and exit 1 when unreachable."""
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from etalage.db.migrate import upgrade
    from etalage.db.session import engine_for

    url = get_settings().database_url
    try:
        engine = engine_for(url)
        upgrade(engine)
    except (ArgumentError, DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        click.echo(
            f"Fout: de database ({_redacted(url)}) is niet bruikbaar: {reason}. "
            "Controleer ETALAGE_DATABASE_URL.",
            err=True,
        )
        sys.exit(1)
    return engine


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "ongeldige URL"


def _pack() -> RegionPack:
    try:
        return load_pack(get_settings().region)
    except RegionPackError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(1)


@click.group(help="Etalage: de zorglandschap-etalage van de regio.")
@click.version_option(package_name="etalage")
def main() -> None:
    pass


@main.group("db", help="Database-beheer.")
def database() -> None:
    pass


@database.command("upgrade", help="Maak of migreer het databaseschema (Alembic).")
def db_upgrade() -> None:
    _engine()
    click.echo("Database is bijgewerkt.")


@main.group(help="Fictieve demogegevens.")
def demo() -> None:
    pass


@demo.command("load", help="Laad het regiopakket en de fictieve demodataset (idempotent).")
def demo_load() -> None:
    from etalage.catalogue.demo import load_demo

    engine = _engine()
    report = load_demo(engine, _pack())
    click.echo(report.summary())
    if not report.ok:
        for issue in report.errors:
            click.echo(str(issue), err=True)
        sys.exit(1)


@main.command("import", help="Importeer aanbieders uit een CSV- of XLSX-bestand.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Alleen controleren, niets opslaan.")
def import_cmd(path: Path, dry_run: bool) -> None:
    from etalage.catalogue.importer import import_file

    if not path.exists():
        click.echo(f"Fout: het bestand '{path}' bestaat niet.", err=True)
        sys.exit(2)
    if not path.is_file():
        click.echo(f"Fout: '{path}' is geen bestand (maar bijvoorbeeld een map).", err=True)
        sys.exit(2)
    engine = _engine()
    report = import_file(engine, _pack(), path, dry_run=dry_run)
    if not report.ok:
        for issue in report.errors:
            click.echo(str(issue), err=True)
        click.echo(report.summary(), err=True)
        sys.exit(1)
    click.echo(report.summary())


@main.group(help="Zoekindex.")
def index() -> None:
    pass


@index.command(
    "rebuild", help="Bouw de zoekindex opnieuw op uit de database (zonder onderbreking)."
)
def index_rebuild() -> None:
    from etalage.indexing import SearchService
    from search_index import BackendError

    settings = get_settings()
    engine = _engine()
    if not settings.meilisearch_url:
        click.echo(
            "Er is geen Meilisearch ingesteld (ETALAGE_MEILISEARCH_URL). De ingebouwde "
            "zoekindex wordt bij elke start van de app opgebouwd uit de database; "
            "er is nu niets te doen."
        )
        return
    service = SearchService(settings, engine, _pack())
    try:
        count = service.rebuild()
    except (BackendError, OSError) as exc:
        click.echo(f"Fout: de zoekindex kon niet opnieuw worden opgebouwd: {exc}", err=True)
        click.echo("De oude index blijft in gebruik.", err=True)
        sys.exit(1)
    click.echo(f"Zoekindex opnieuw opgebouwd met {count} aanbieders.")


@main.group(help="Gebruikers: beheerders, medewerkers van de toegang, aanbieders.")
def users() -> None:
    pass


@users.command("create", help="Maak een gebruiker. Het wachtwoord wordt gevraagd.")
@click.argument("email")
@click.option("--role", "role", required=True, help="beheerder, toegang of aanbieder.")
@click.option("--kvk", "kvks", multiple=True, help="KvK-nummer (voor de rol aanbieder).")
@click.option("--password-stdin", is_flag=True, help="Lees het wachtwoord van standaardinvoer.")
def users_create(email: str, role: str, kvks: tuple[str, ...], password_stdin: bool) -> None:
    from etalage.accounts.users import AccountError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Wachtwoord (minstens 12 tekens)", hide_input=True, confirmation_prompt=True
        )
    try:
        user = create_user(_engine(), email, role, password, kvks)
    except AccountError as exc:
        for problem in exc.problems:
            click.echo(f"Fout: {problem}", err=True)
        sys.exit(1)
    bound = f" voor {', '.join(user.kvks)}" if user.kvks else ""
    click.echo(f"Gebruiker {user.email} gemaakt, rol {user.role}{bound}.")


@users.command("disable", help="Zet een gebruiker uit: inloggen kan dan niet meer.")
@click.argument("email")
def users_disable(email: str) -> None:
    from etalage.accounts.users import AccountError, disable_user

    try:
        user = disable_user(_engine(), email)
    except AccountError as exc:
        for problem in exc.problems:
            click.echo(f"Fout: {problem}", err=True)
        sys.exit(1)
    click.echo(f"Gebruiker {user.email} staat uit.")


@users.command("list", help="Toon alle gebruikers met hun rol en KvK-nummers.")
def users_list() -> None:
    from etalage.accounts.users import list_users

    found = list_users(_engine())
    if not found:
        click.echo("Er zijn nog geen gebruikers.")
    for user in found:
        last = user.last_login_at.strftime("%d-%m-%Y %H:%M") if user.last_login_at else "nooit"
        state = "actief" if user.is_active else "uit"
        kvks = ", ".join(user.kvks) or "-"
        click.echo(f"{user.email}\t{user.role}\t{kvks}\t{state}\tlaatst ingelogd: {last}")


@main.command("serve", help="Start de webapplicatie (laadt zelf geen demogegevens).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option("--port", default=8000, show_default=True, type=int, help="Poort.")
def serve(host: str, port: int) -> None:
    import uvicorn

    from etalage.web.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info", access_log=False)


if __name__ == "__main__":  # pragma: no cover
    main()
