"""provider referral: through ZorgDomein, and what a referral must contain

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 15:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("providers") as batch:
        batch.add_column(sa.Column("referral_zorgdomein", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("referral_note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("providers") as batch:
        batch.drop_column("referral_note")
        batch.drop_column("referral_zorgdomein")
