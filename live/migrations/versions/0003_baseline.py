"""The schema as it stood at schema_version 3 (issue 6), the oldest a file is stamped from.

Revision ID: 0003
Revises:

Written out table by table, never from the models: the models are the latest schema, and
a revision must build the same tables whichever build runs it. A file made before Alembic
with schema_version 3 holds exactly these tables (live.db.migrate stamps it here).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conference",
        sa.Column("timer_duration", sa.Float(), nullable=False),
        sa.Column("timer_elapsed", sa.Float(), nullable=False),
        sa.Column("timer_started_at", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("date", sa.String(), nullable=False),
        sa.Column("starts_at", sa.String(), nullable=False),
        sa.Column("venue", sa.String(), nullable=False),
        sa.Column("organiser", sa.String(), nullable=False),
        sa.Column("banner", sa.String(), nullable=False),
        sa.Column("epoch", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("current_position", sa.Integer(), nullable=False),
        sa.Column("projector_mode", sa.String(), nullable=False),
        sa.Column("video_playing", sa.Boolean(), nullable=False),
        sa.Column("video_offset", sa.Float(), nullable=False),
        sa.Column("video_started_at", sa.Float(), nullable=True),
        sa.Column("mic_count", sa.Integer(), nullable=False),
        sa.Column("max_live", sa.Integer(), nullable=False),
        sa.Column("speak_seconds", sa.Integer(), nullable=False),
        sa.Column("answer_seconds", sa.Integer(), nullable=False),
        sa.Column("mc_message", sa.String(), nullable=False),
        sa.Column("mc_message_from", sa.String(), nullable=False),
        sa.Column("notice_issuer_parent", sa.String(), nullable=False),
        sa.Column("notice_issuer", sa.String(), nullable=False),
        sa.Column("notice_place", sa.String(), nullable=False),
        sa.Column("seat_rows", sa.Integer(), nullable=False),
        sa.Column("seats_per_row", sa.Integer(), nullable=False),
        sa.Column("gift_batch_size", sa.Integer(), nullable=False),
        sa.Column("gift_batch", sa.Integer(), nullable=False),
        sa.Column("badges_issued", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_conference_slug", "conference", ["slug"], unique=True)
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "agendastep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("speaker", sa.String(), nullable=False),
        sa.Column("mc_script", sa.String(), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("show_timer", sa.Boolean(), nullable=False),
        sa.Column("media", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "position"),
    )
    op.create_index("ix_agendastep_conference_id", "agendastep", ["conference_id"], unique=False)
    op.create_table(
        "delegate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("gender", sa.String(), nullable=False),
        sa.Column("position", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("seat", sa.String(), nullable=False),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column("checked_in_at", sa.Float(), nullable=True),
        sa.Column("checkin_desk", sa.Integer(), nullable=True),
        sa.Column("documents_at", sa.Float(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "code"),
    )
    op.create_index("ix_delegate_conference_id", "delegate", ["conference_id"], unique=False)
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("actor_role", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "seq"),
    )
    op.create_index("ix_event_conference_id", "event", ["conference_id"], unique=False)
    op.create_table(
        "giftbatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("presenters", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "number"),
    )
    op.create_index("ix_giftbatch_conference_id", "giftbatch", ["conference_id"], unique=False)
    op.create_table(
        "giftrecipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("circumstances", sa.String(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("handed_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_giftrecipient_conference_id", "giftrecipient", ["conference_id"], unique=False
    )
    op.create_table(
        "listitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("delegate_quota", sa.Integer(), nullable=False),
        sa.Column("gift_quota", sa.Integer(), nullable=False),
        sa.Column("introduce", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "kind", "name"),
    )
    op.create_index("ix_listitem_conference_id", "listitem", ["conference_id"], unique=False)
    op.create_table(
        "noticeedit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "key"),
    )
    op.create_index("ix_noticeedit_conference_id", "noticeedit", ["conference_id"], unique=False)
    op.create_table(
        "projectorframe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("regions", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "seq"),
    )
    op.create_index(
        "ix_projectorframe_conference_id", "projectorframe", ["conference_id"], unique=False
    )
    op.create_table(
        "question",
        sa.Column("timer_duration", sa.Float(), nullable=False),
        sa.Column("timer_elapsed", sa.Float(), nullable=False),
        sa.Column("timer_started_at", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("asker_name", sa.String(), nullable=False),
        sa.Column("asker_position", sa.String(), nullable=False),
        sa.Column("asker_unit", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("agency", sa.String(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("queue_rank", sa.Float(), nullable=False),
        sa.Column("mic", sa.Integer(), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("queued_at", sa.Float(), nullable=True),
        sa.Column("on_deck_at", sa.Float(), nullable=True),
        sa.Column("live_at", sa.Float(), nullable=True),
        sa.Column("answering_at", sa.Float(), nullable=True),
        sa.Column("closed_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "number"),
    )
    op.create_index("ix_question_conference_id", "question", ["conference_id"], unique=False)
    op.create_table(
        "rolekey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "role"),
    )
    op.create_index("ix_rolekey_conference_id", "rolekey", ["conference_id"], unique=False)
    op.create_index("ix_rolekey_key", "rolekey", ["key"], unique=True)
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("responder_agency", sa.String(), nullable=False),
        sa.Column("responder_name", sa.String(), nullable=False),
        sa.Column("responder_position", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("referred_to", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("updated_role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id"),
    )
    op.create_index("ix_answer_conference_id", "answer", ["conference_id"], unique=False)
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(), nullable=False),
        sa.Column("lead_agency", sa.String(), nullable=False),
        sa.Column("cooperating", sa.String(), nullable=False),
        sa.Column("deadline", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"]),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_commitment_conference_id", "commitment", ["conference_id"], unique=False)
    op.create_index("ix_commitment_question_id", "commitment", ["question_id"], unique=False)
    op.create_table(
        "questionasker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_questionasker_question_id", "questionasker", ["question_id"], unique=False)


def downgrade() -> None:
    for table in (
        "questionasker",
        "commitment",
        "answer",
        "rolekey",
        "question",
        "projectorframe",
        "noticeedit",
        "listitem",
        "giftrecipient",
        "giftbatch",
        "event",
        "delegate",
        "agendastep",
        "meta",
        "conference",
    ):
        op.drop_table(table)  # its indexes go with it
