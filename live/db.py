"""Engine, SQLite settings and the versioned schema migrations.

Schema changes are numbered steps in MIGRATIONS (see docs/decisions.md): a new database
gets every table from the models and is stamped with the latest version; an existing one
runs, in one transaction each, the steps above the version it records. A conference day's
data is never dropped by starting a newer build.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from live import models  # noqa: F401  (registers the tables)
from live.imports import closest
from live.models import Meta


# Step n (1-based) brings a database from version n-1 to n. Version 1 is the first schema,
# which a new database gets from the models, so its step never runs.
def _v2_people(conn: Connection) -> None:
    """Issue 5: the hall, units' quotas, groups, delegates and gift recipients."""
    SQLModel.metadata.create_all(conn)  # the new tables only; existing ones are left as they are
    for table, column, ddl in (
        ("conference", "seat_rows", "INTEGER NOT NULL DEFAULT 10"),
        ("conference", "seats_per_row", "INTEGER NOT NULL DEFAULT 25"),
        ("conference", "gift_batch_size", "INTEGER NOT NULL DEFAULT 10"),
        ("conference", "gift_batch", "INTEGER NOT NULL DEFAULT 0"),
        ("conference", "badges_issued", "INTEGER NOT NULL DEFAULT 0"),
        ("listitem", "delegate_quota", "INTEGER NOT NULL DEFAULT 0"),
        ("listitem", "gift_quota", "INTEGER NOT NULL DEFAULT 0"),
        ("listitem", "introduce", "INTEGER NOT NULL DEFAULT 0"),
    ):
        add_column(conn, table, column, ddl)


def add_column(conn: Connection, table: str, column: str, ddl: str) -> None:
    """`ALTER TABLE table ADD COLUMN column ddl`, unless a half-finished earlier run added it."""
    if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
        conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))


def _v3_projector_frames(conn: Connection) -> None:
    """Issue 6: what the projector showed, for the replay of the day."""
    SQLModel.metadata.create_all(conn)


def _v4_form_visits(conn: Connection) -> None:
    """Issue 11: how many phones opened the question form today."""
    SQLModel.metadata.create_all(conn)


def _v5_look_alikes(conn: Connection) -> None:
    """Issue 12: look-alike hints kept with each question, worked out once here for the
    questions already open."""
    add_column(conn, "question", "look_alikes", "TEXT NOT NULL DEFAULT '[]'")
    rows = conn.execute(
        sa.text(
            "SELECT id, conference_id, text FROM question "
            "WHERE status IN ('pending', 'queued', 'on_deck', 'live', 'answering')"
        )
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


def _v6_event_effects(conn: Connection) -> None:
    """Issue 12: each event says what it changed, so kept rows catch up from the log."""
    add_column(conn, "event", "effects", "TEXT NOT NULL DEFAULT ''")


def _v7_step_overtime(conn: Connection) -> None:
    """Issue 15: a step's timer goes past zero on the hall projector only if it says so."""
    add_column(conn, "agendastep", "show_overtime", "BOOLEAN NOT NULL DEFAULT 0")


def _v8_step_times(conn: Connection) -> None:
    """Issue 15: each step's actual start and its timer as the MC left it."""
    add_column(conn, "agendastep", "began_at", "FLOAT")
    add_column(conn, "agendastep", "kept_duration", "FLOAT")
    add_column(conn, "agendastep", "kept_elapsed", "FLOAT NOT NULL DEFAULT 0")


def _v9_question_page(conn: Connection) -> None:
    """Issue 15: a long question is shown in pages the moderator turns."""
    add_column(conn, "question", "page", "INTEGER NOT NULL DEFAULT 0")


def _v10_video_ended(conn: Connection) -> None:
    """Issue 15: the projector says when the report video has played to its end."""
    add_column(conn, "conference", "video_ended", "BOOLEAN NOT NULL DEFAULT 0")


MIGRATIONS: list[Callable[[Connection], None]] = [
    lambda conn: None,
    _v2_people,
    _v3_projector_frames,
    _v4_form_visits,
    _v5_look_alikes,
    _v6_event_effects,
    _v7_step_overtime,
    _v8_step_times,
    _v9_question_page,
    _v10_video_ended,
]


def make_engine(url: str) -> Engine:
    """An engine; for SQLite, WAL with full fsync on commit and a wait on a busy lock."""
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL: screens read while a command writes. synchronous=FULL: a committed command
    # survives a pulled power plug, not only a killed process; commands come at human
    # speed, so the fsync per commit costs nothing anyone notices.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def migrate(engine: Engine) -> int:
    """Bring the schema to the latest version; return the version found before (0 = new)."""
    latest = len(MIGRATIONS)
    with engine.begin() as conn:
        is_new = not inspect(conn).has_table("meta")
        if is_new:
            SQLModel.metadata.create_all(conn)
            _set_meta(conn, "schema_version", str(latest))
            return 0
        found = int(_get_meta(conn, "schema_version") or "1")
    if found > latest:
        raise RuntimeError(
            f"database schema v{found} is newer than this build (v{latest}); "
            "upgrade the software before opening it"
        )
    for version in range(found + 1, latest + 1):
        with engine.begin() as conn:
            MIGRATIONS[version - 1](conn)
            _set_meta(conn, "schema_version", str(version))
    return found


def _get_meta(conn: Connection, key: str) -> str | None:
    table = Meta.__table__  # type: ignore[attr-defined]
    return conn.execute(sa.select(table.c.value).where(table.c.key == key)).scalar()


def _set_meta(conn: Connection, key: str, value: str) -> None:
    table = Meta.__table__  # type: ignore[attr-defined]
    conn.execute(sa.delete(table).where(table.c.key == key))
    conn.execute(sa.insert(table).values(key=key, value=value))


def get_meta(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        return _get_meta(conn, key)


def set_meta(engine: Engine, key: str, value: str) -> None:
    with engine.begin() as conn:
        _set_meta(conn, key, value)


def cookie_secret(engine: Engine, configured: str) -> str:
    """The configured secret, or one made on first start and kept in the database."""
    if configured:
        return configured
    secret = get_meta(engine, "cookie_secret")
    if not secret:
        secret = secrets.token_urlsafe(32)
        set_meta(engine, "cookie_secret", secret)
    return secret
