"""Database layer: SQLAlchemy 2 models, engine/session factory, Alembic migrations."""
