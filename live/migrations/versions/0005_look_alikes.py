"""Issue 12: look-alike hints kept with each question, worked out here for the open ones.

Revision ID: 0005
Revises: 0004
"""

import json

import sqlalchemy as sa
from alembic import op

from live.imports import closest

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OPEN = ("pending", "queued", "on_deck", "live", "answering")


def upgrade() -> None:
    op.add_column(
        "question", sa.Column("look_alikes", sa.String(), nullable=False, server_default="[]")
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, conference_id, text FROM question WHERE status IN :open").bindparams(
            sa.bindparam("open", expanding=True)
        ),
        {"open": list(OPEN)},
    ).all()
    by_conference: dict[int, list[tuple[int, str]]] = {}
    for qid, conference_id, text in rows:
        by_conference.setdefault(conference_id, []).append((qid, text))
    for questions in by_conference.values():
        for qid, text in questions:
            hints = closest(text, [(i, t) for i, t in questions if i != qid])
            conn.execute(
                sa.text("UPDATE question SET look_alikes = :hints WHERE id = :id"),
                {"hints": json.dumps(hints), "id": qid},
            )


def downgrade() -> None:
    op.drop_column("question", "look_alikes")
