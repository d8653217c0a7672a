"""hulpwijzer conversations that were started over

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 16:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hulpwijzer_ended",
        sa.Column("sid_digest", sa.String(length=64), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sid_digest", name=op.f("pk_hulpwijzer_ended")),
    )
    op.create_index(op.f("ix_hulpwijzer_ended_until"), "hulpwijzer_ended", ["until"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_hulpwijzer_ended_until"), table_name="hulpwijzer_ended")
    op.drop_table("hulpwijzer_ended")
