from sqlalchemy import Engine, inspect

from etalage.db.migrate import upgrade


def test_migrations_create_every_table_and_are_repeatable(engine: Engine) -> None:
    upgrade(engine)  # running again is a no-op
    tables = set(inspect(engine).get_table_names())
    assert {
        "providers",
        "provider_codes",
        "arrangements",
        "locations",
        "waiting_times",
        "kpi_measurements",
        "alembic_version",
    } <= tables
