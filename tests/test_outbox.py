"""Every committed change to a provider or its histories leaves one outbox row."""

from datetime import date

from sqlalchemy import Engine, select

from etalage.db.models import Provider, SearchOutbox, WaitingTime
from etalage.db.session import transaction


def _outbox(engine: Engine) -> list[tuple[str, str]]:
    with transaction(engine) as s:
        return [(r.kvk, r.op) for r in s.scalars(select(SearchOutbox).order_by(SearchOutbox.id))]


def test_create_update_child_and_delete_are_queued(engine: Engine) -> None:
    with transaction(engine) as s:
        p = Provider(kvk="12345678", name="De Proef", slug="de-proef", description="")
        p.waiting_times.append(WaitingTime(peildatum=date(2026, 1, 1), registration_weeks=2))
        s.add(p)
    assert _outbox(engine) == [("12345678", "upsert")]

    with transaction(engine) as s:
        p = s.scalars(select(Provider)).one()
        s.add(WaitingTime(provider_id=p.id, peildatum=date(2026, 2, 1), registration_weeks=3))
    assert _outbox(engine)[-1] == ("12345678", "upsert")
    assert len(_outbox(engine)) == 2

    with transaction(engine) as s:
        s.delete(s.scalars(select(Provider)).one())
    assert _outbox(engine)[-1] == ("12345678", "delete")


def test_rolled_back_change_leaves_nothing(engine: Engine) -> None:
    try:
        with transaction(engine) as s:
            s.add(Provider(kvk="87654321", name="X", slug="x", description=""))
            s.flush()
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert _outbox(engine) == []
