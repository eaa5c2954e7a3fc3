"""Issue 11: how many phones opened the question form today.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "formvisit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("visitor", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "day", "visitor"),
    )
    op.create_index("ix_formvisit_conference_id", "formvisit", ["conference_id"], unique=False)


def downgrade() -> None:
    op.drop_table("formvisit")
