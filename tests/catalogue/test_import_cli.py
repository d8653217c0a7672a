"""`etalage import` and `etalage demo load` through the real command line (click's
CliRunner), on a SQLite file named by ETALAGE_DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from catalogue_testdata import VALID_30, db_state, valid_rows, write_csv
from click.testing import CliRunner
from sqlalchemy import Engine, inspect

from etalage.cli import main
from etalage.db.session import engine_for, make_engine
from etalage.settings import get_settings


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ETALAGE_DATABASE_URL", url)
    monkeypatch.setenv("ETALAGE_REGION", "westfriesland")
    get_settings.cache_clear()
    engine_for.cache_clear()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    engine_for(url).dispose()
    get_settings.cache_clear()
    engine_for.cache_clear()


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_success_exits_0(cli_db: Engine) -> None:
    result = run("import", str(VALID_30))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "30 aanbieders toegevoegd, 0 bijgewerkt (24 wachttijdmetingen en 20 kwaliteitsmetingen)."
    )
    assert len(db_state(cli_db)["providers"]) == 30


def test_dry_run_exits_0_and_writes_nothing(cli_db: Engine) -> None:
    result = run("import", "--dry-run", str(VALID_30))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Proefimport: 30 aanbieders gecontroleerd")
    assert db_state(cli_db)["providers"] == []


def test_validation_errors_exit_1_with_every_error(cli_db: Engine, tmp_path: Path) -> None:
    assert run("import", str(VALID_30)).exit_code == 0
    before = db_state(cli_db)
    rows = valid_rows()
    rows[1]["kvk"] = "1234"
    rows[3]["aanmeldwachttijd_weken"] = "drie"
    path = write_csv(tmp_path / "fout.csv", rows)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Rij 3, kolom 'kvk': moet precies 8 cijfers zijn (gevonden: '1234')",
        "Rij 5, kolom 'aanmeldwachttijd_weken': moet een geheel getal zijn (gevonden: 'drie')",
        "Import afgebroken: 2 fouten gevonden. Er is niets opgeslagen.",
    ]
    assert result.stdout == ""
    assert db_state(cli_db) == before


def test_file_error_exits_1(cli_db: Engine, tmp_path: Path) -> None:
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Bestand: er staat niets in, geen kopregel en geen aanbieders."
    )


@pytest.mark.parametrize(
    "args",
    [
        ["import", "--onbekend", str(VALID_30)],
        ["import"],
    ],
    ids=["unknown option", "no path"],
)
def test_usage_errors_exit_2(cli_db: Engine, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage" in result.stderr or "Gebruik" in result.stderr
    # Nothing was done: click stops before the database is even opened.
    assert "providers" not in inspect(cli_db).get_table_names()


def test_demo_load(cli_db: Engine) -> None:
    # Idempotency is tested in test_demo.py; here: the command itself.
    result = run("demo", "load")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Demodataset geladen: ")
    assert len(db_state(cli_db)["providers"]) >= 120


def test_missing_file_or_folder_is_a_dutch_usage_error(cli_db: Engine, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "bestaat-niet.csv"))
    assert result.exit_code == 2
    assert "bestaat niet" in result.stderr and "Error" not in result.output
    result = run("import", str(tmp_path))
    assert result.exit_code == 2
    assert "is geen bestand" in result.stderr
    assert "providers" not in inspect(cli_db).get_table_names()  # nothing was opened


def test_unusable_database_is_a_dutch_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for url in ("foo://x", "postgresql+psycopg://nobody@127.0.0.1:9/none"):
        monkeypatch.setenv("ETALAGE_DATABASE_URL", url)
        get_settings.cache_clear()
        engine_for.cache_clear()
        result = CliRunner().invoke(main, ["import", str(VALID_30)])
        assert result.exit_code == 1, result.output
        assert "is niet bruikbaar" in result.stderr
        assert "Traceback" not in result.output
    get_settings.cache_clear()
    engine_for.cache_clear()
