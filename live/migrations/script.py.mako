"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

(Write it for SQLite and PostgreSQL alike: sqlalchemy's types, sa.Boolean() with
server_default=sa.false(); a server default on every NOT NULL column added to a table that
may hold a day's rows; op.add_column outside a batch block, which would copy the table on
SQLite for nothing; data changed with plain SQL, never the live models, which are the
latest schema. Add columns and tables; never drop a conference's rows.)
"""

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
