"""search outbox: when each row was sent to Meilisearch

Several app processes share one outbox. Each keeps its own embedded copy in step (every
process reads every row), but a row goes to Meilisearch once: the process holding the
sender lock sends the unsent rows and stamps `sent_at` (see etalage.indexing.sender).
Rows that exist when this migration runs count as sent; the drift check at start-up
repairs anything they missed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE search_outbox SET sent_at = created_at")
    op.create_index(
        "ix_search_outbox_unsent",
        "search_outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_search_outbox_unsent", table_name="search_outbox")
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.drop_column("sent_at")
