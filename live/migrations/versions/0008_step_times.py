"""Issue 15: each step's actual start and its timer as the MC left it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agendastep", sa.Column("began_at", sa.Float(), nullable=True))
    op.add_column("agendastep", sa.Column("kept_duration", sa.Float(), nullable=True))
    op.add_column(
        "agendastep",
        sa.Column("kept_elapsed", sa.Float(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    op.drop_column("agendastep", "kept_elapsed")
    op.drop_column("agendastep", "kept_duration")
    op.drop_column("agendastep", "began_at")
