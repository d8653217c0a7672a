"""Database layer: SQLAlchemy 2 models, engine/session factory, Alembic migrations."""

# Register the outbox listener wherever the models are used.
from etalage.db import outbox as _outbox  # noqa: F401
