"""Issue 12: each event says what it changed, so kept rows catch up from the log.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("event", sa.Column("effects", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("event", "effects")
