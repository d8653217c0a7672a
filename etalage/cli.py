"""The `etalage` command line (docs/cli.md).

Exit codes: 0 success, 1 validation errors (printed), 2 usage errors (click's own).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import Engine

from etalage.dates import parse_day
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


@main.command(
    "import",
    help="Importeer aanbieders uit een CSV- of XLSX-bestand, of met 'import hsds DIR' uit "
    "een HSDS 3.0-datapakket (een map met datapackage.json).",
)
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("dir", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Alleen controleren, niets opslaan.")
def import_cmd(path: Path, dir: Path | None, dry_run: bool) -> None:
    from etalage.catalogue.importer import import_file

    if dir is not None or str(path) == "hsds":
        if str(path) != "hsds" or dir is None:
            click.echo(
                "Fout: gebruik 'etalage import BESTAND' of 'etalage import hsds MAP'.", err=True
            )
            sys.exit(2)
        _import_hsds(dir, dry_run)
        return
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


def _import_hsds(folder: Path, dry_run: bool) -> None:
    from datetime import date

    from etalage.hsds.tabular import read_package

    if not (folder / "datapackage.json").is_file():
        click.echo(f"Fout: '{folder}' is geen map met een datapackage.json.", err=True)
        sys.exit(2)
    report = read_package(_engine(), _pack(), folder, date.today(), dry_run=dry_run)
    if not report.ok:
        for problem in report.errors:
            click.echo(f"Fout: {problem}", err=True)
        click.echo(
            f"Import afgebroken: {len(report.errors)} fouten. Er is niets opgeslagen.", err=True
        )
        sys.exit(1)
    if dry_run:
        click.echo("Proefimport zonder fouten: er is niets opgeslagen.")
    else:
        click.echo(f"HSDS-pakket ingelezen: {report.created} nieuw, {report.updated} bijgewerkt.")


@main.group(help="Exporteer de gegevens.")
def export() -> None:
    pass


@export.command(
    "hsds", help="Schrijf de etalage als HSDS 3.0-datapakket (CSV en datapackage.json)."
)
@click.argument("dir", type=click.Path(file_okay=False, path_type=Path))
def export_hsds(dir: Path) -> None:
    from datetime import date

    from etalage.catalogue.reader import read_records
    from etalage.db.session import session_factory
    from etalage.hsds.tabular import write_package

    with session_factory(_engine())() as session:
        records = read_records(session, history=False)
    try:
        files = write_package(records, _pack(), dir, date.today())
    except OSError as exc:
        click.echo(
            f"Fout: het pakket kon niet worden geschreven in {dir}: {exc.strerror}", err=True
        )
        sys.exit(1)
    click.echo(
        f"HSDS-pakket geschreven in {dir}: {len(files)} bestanden, {len(records)} aanbieders."
    )


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


@main.group(help="API-tokens waarmee systemen van aanbieders hun cijfers bijwerken.")
def tokens() -> None:
    pass


@tokens.command(
    "create", help="Maak een token voor een gebruiker; het staat alleen op de laatste regel."
)
@click.argument("email")
@click.option("--name", "name", required=True, help="Naam van het token, bv. het systeem.")
def tokens_create(email: str, name: str) -> None:
    from etalage.accounts.tokens import create_token
    from etalage.accounts.users import AccountError

    try:
        view, raw = create_token(_engine(), email, name)
    except AccountError as exc:
        for problem in exc.problems:
            click.echo(f"Fout: {problem}", err=True)
        sys.exit(1)
    _audit_cli("token aangemaakt", {"gebruiker": view.email, "token": view.name, "id": view.id})
    click.echo(f"Token {view.id} ({view.name}) gemaakt voor {view.email}. Bewaar het nu: het")
    click.echo("wordt niet opnieuw getoond.")
    click.echo(raw)


@tokens.command("revoke", help="Trek een token in: het werkt meteen niet meer.")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    from etalage.accounts.tokens import revoke_token
    from etalage.accounts.users import AccountError

    try:
        view = revoke_token(_engine(), token_id)
    except AccountError as exc:
        for problem in exc.problems:
            click.echo(f"Fout: {problem}", err=True)
        sys.exit(1)
    _audit_cli("token ingetrokken", {"gebruiker": view.email, "token": view.name, "id": view.id})
    click.echo(f"Token {view.id} ({view.name}) van {view.email} is ingetrokken.")


@tokens.command("list", help="Toon de tokens (nooit de tokens zelf).")
@click.option("--email", default=None, help="Alleen de tokens van deze gebruiker.")
def tokens_list(email: str | None) -> None:
    from etalage.accounts.tokens import list_tokens

    found = list_tokens(_engine(), email)
    if not found:
        click.echo("Er zijn geen tokens.")
    for t in found:
        state = f"ingetrokken {t.revoked_at:%d-%m-%Y}" if t.revoked_at else "actief"
        used = f"{t.last_used_at:%d-%m-%Y %H:%M}" if t.last_used_at else "nooit"
        click.echo(f"{t.id}\t{t.email}\t{t.name}\t{state}\tlaatst gebruikt: {used}")


def _audit_cli(what: str, new: dict[str, object]) -> None:
    from etalage.accounts.actor import SYSTEM
    from etalage.audit import record
    from etalage.db.session import transaction

    with transaction(_engine()) as session:
        record(session, SYSTEM, what, new=new)


@main.group(help="Het auditlog: elke wijziging, wie, wat, oud en nieuw, wanneer.")
def audit() -> None:
    pass


@audit.command("list", help="Toon het auditlog, nieuwste eerst.")
@click.option("--kvk", default=None, help="Alleen deze aanbieder (8 cijfers).")
@click.option("--since", "since", default=None, help="Vanaf deze datum (jjjj-mm-dd).")
@click.option(
    "--limit",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Hoogstens zoveel regels.",
)
def audit_list(kvk: str | None, since: str | None, limit: int) -> None:
    import json

    from etalage.audit import entries

    if kvk is not None and not (len(kvk) == 8 and kvk.isdigit()):
        raise click.BadParameter("een KvK-nummer heeft precies 8 cijfers", param_hint="--kvk")
    day = None
    if since is not None:
        day = parse_day(since)
        if day is None:
            raise click.BadParameter(
                "gebruik jjjj-mm-dd, bijvoorbeeld 2026-12-01", param_hint="--since"
            )
    found = entries(_engine(), kvk=kvk, since=day, limit=limit)
    if not found:
        click.echo("Geen wijzigingen gevonden.")
    for e in found:
        old = json.dumps(e.old, ensure_ascii=False) if e.old is not None else "-"
        new = json.dumps(e.new, ensure_ascii=False) if e.new is not None else "-"
        click.echo(
            f"{e.at.isoformat()}\t{e.actor}\t{e.what}\t{e.kvk or '-'}\toud: {old}\tnieuw: {new}"
        )


@main.group(help="Herinneringen aan aanbieders met verouderde cijfers.")
def reminders() -> None:
    pass


@reminders.command(
    "send", help="Mail aanbieders met verouderde cijfers (hoogstens één keer per periode)."
)
def reminders_send() -> None:
    from datetime import date

    from etalage.portal.reminders import send_reminders, smtp_sender

    settings = get_settings()
    if settings.smtp is None:
        click.echo("Fout: er is geen mailserver ingesteld (ETALAGE_SMTP_HOST).", err=True)
        sys.exit(1)
    report = send_reminders(
        _engine(),
        _pack(),
        smtp_sender(settings.smtp),
        sender=settings.smtp.sender,
        public_url=settings.public_url,
        today=date.today(),
    )
    for kvk, to in report.sent:
        click.echo(f"Herinnering verstuurd voor {kvk} aan {', '.join(to)}.")
    click.echo(
        f"{len(report.sent)} herinneringen verstuurd, {len(report.already)} al eerder deze "
        f"periode, {len(report.no_account)} verouderd zonder portaalgebruiker."
    )
    for kvk, reason in report.failed:
        click.echo(f"Fout: de herinnering voor {kvk} kon niet worden verstuurd: {reason}", err=True)
    if report.failed:
        sys.exit(1)


@main.command("boekje", help="Schrijf het boekje van gecontracteerde aanbieders als PDF.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Het PDF-bestand.",
)
@click.option("--gemeente", default=None, help="Alleen aanbieders die in deze gemeente werken.")
@click.option("--wet", default=None, help="Alleen aanbieders met een contract voor deze wet.")
@click.option(
    "--voor",
    default="huisarts",
    show_default=True,
    type=click.Choice(["huisarts", "toegang", "inwoner"]),
    help="Voor wie: codes en tarieven alleen voor de toegang.",
)
def boekje(out: Path, gemeente: str | None, wet: str | None, voor: str) -> None:
    import time
    from datetime import date

    from etalage.booklet.render import booklet_pdf
    from etalage.catalogue.reader import read_records
    from etalage.db.session import session_factory

    pack = _pack()
    places = [m.code for m in pack.municipalities]
    if gemeente is not None and gemeente not in places:
        raise click.BadParameter(f"kies uit: {', '.join(places)}", param_hint="--gemeente")
    laws = [x.code for x in pack.laws]
    if wet is not None and wet not in laws:
        raise click.BadParameter(f"kies uit: {', '.join(laws)}", param_hint="--wet")
    with session_factory(_engine())() as session:
        records = read_records(session, history=False)
    start = time.perf_counter()
    pdf, book = booklet_pdf(
        records, pack, date.today(), audience=voor, municipality=gemeente, law=wet
    )
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        click.echo(
            f"Fout: het boekje kon niet worden geschreven naar {out}: {exc.strerror}", err=True
        )
        sys.exit(1)
    click.echo(
        f"Boekje geschreven naar {out}: {len(book.providers)} aanbieders, "
        f"{len(book.sections)} hoofdstukken, in {time.perf_counter() - start:.1f} s."
    )


@main.command("doctor", help="Controleer de instellingen en zeg wat er moet gebeuren.")
def doctor() -> None:
    from etalage.ops.doctor import check

    findings = check(get_settings())
    for finding in findings:
        click.echo(finding.line())
    if not all(f.ok for f in findings):
        sys.exit(1)


@main.command("backup", help="Schrijf een back-up van de database (zonder de zoekindex).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_cmd(file: Path) -> None:
    from etalage.ops.backup import backup

    try:
        counts = backup(_engine(), get_settings(), file)
    except OSError as exc:
        click.echo(
            f"Fout: de back-up kon niet worden geschreven naar {file}: {exc.strerror}", err=True
        )
        sys.exit(1)
    click.echo(
        f"Back-up geschreven naar {file}: {counts.get('providers', 0)} aanbieders, "
        f"{sum(counts.values())} regels in {len(counts)} tabellen."
    )


@main.command("restore", help="Zet een back-up terug in een lege database.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_cmd(file: Path) -> None:
    from etalage.ops.backup import BackupError, restore

    try:
        done = restore(_engine(), file)
    except BackupError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(1)
    counts = done["counts"]
    click.echo(
        f"Back-up teruggezet: {counts.get('providers', 0)} aanbieders, "
        f"{sum(counts.values())} regels. De zoekindex wordt bij de start van de app opgebouwd; "
        "met Meilisearch: voer 'etalage index rebuild' uit."
    )


@main.command("serve", help="Start de webapplicatie (laadt zelf geen demogegevens).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option("--port", default=8000, show_default=True, type=int, help="Poort.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Aantal app-processen (elk met een eigen kopie van de zoekindex).",
)
def serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from etalage.logs import configure
    from etalage.web.http_protocol import NoDelayH11Protocol

    settings = get_settings()
    if workers > 1 and settings.secret_key_is_ephemeral:
        click.echo(
            "Fout: met meer dan één proces is ETALAGE_SECRET_KEY nodig (anders begrijpen de "
            "processen elkaars cookies niet).",
            err=True,
        )
        sys.exit(1)
    proxies = ",".join(settings.trusted_proxies) or "127.0.0.1"
    options = {
        "host": host,
        "port": port,
        "log_level": "info",
        "access_log": False,
        "server_header": False,  # no banner
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 20,  # requests in flight finish
        "h11_max_incomplete_event_size": 16 * 1024,  # request line and headers
        "proxy_headers": True,
        "forwarded_allow_ips": proxies,
        "log_config": configure(json_lines=settings.log_format == "json"),
        "http": NoDelayH11Protocol,  # TCP_NODELAY on every connection (see the module)
    }
    if workers == 1:
        from etalage.web.app import create_app

        uvicorn.run(create_app(), **options)  # type: ignore[arg-type]
    else:
        uvicorn.run("etalage.web.app:create_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]


if __name__ == "__main__":  # pragma: no cover
    main()
