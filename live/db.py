"""Engine, SQLite settings and the schema migrations (Alembic, live/migrations).

One revision history serves SQLite and PostgreSQL (see docs/decisions.md, issue 16). A new
database is built by the revisions from nothing; a file made before Alembic, which records
its version in `meta.schema_version`, is stamped at that revision first. A conference day's
data is never dropped by starting a newer build.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from live.models import Meta

# The oldest schema_version a pre-Alembic file can be stamped from: revision 0003 is the
# schema as it stood then, and no release made an older file anyone still keeps.
BASELINE = 3
# The last schema_version a file made before Alembic can carry (revision 0010): anything
# higher was not written by any build.
LAST_NUMBERED = 10
# The key of the PostgreSQL advisory lock held while migrating ("live-mig" in ASCII): every
# process that starts takes it, so two starting at once do not both run the revisions.
MIGRATION_LOCK = 0x6C6976652D6D6967


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, made in code so that an installed wheel needs no alembic.ini;
    the revisions run on `connection` (live/migrations/env.py takes it from the attributes)."""
    config = Config()
    config.set_main_option("script_location", "live:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


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
    cur.execute("PRAGMA busy_timeout=30000")
    # WAL: screens read while a command writes. Switching a new file to WAL takes a lock
    # SQLite does not wait for: two processes opening the same new file at once (`live
    # migrate` beside `live serve`) retry for a while instead of failing.
    for attempt in range(200):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or attempt == 199:
                raise
            time.sleep(0.05)
    # synchronous=FULL: a committed command survives a pulled power plug, not only a
    # killed process; commands come at human speed, so the fsync per commit costs nothing
    # anyone notices.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def migrate(engine: Engine) -> int:
    """Bring the schema to the latest revision; return the version found before (0 = new)."""
    with engine.connect() as conn, migrating(conn):
        return _migrate(conn)


@contextmanager
def migrating(conn: Connection) -> Iterator[None]:
    """One transaction on `conn` that no other process migrating the database runs beside:
    whoever comes second waits, then finds the schema already at the latest revision."""
    if conn.dialect.name == "postgresql":
        # A session lock, not a transaction one: it is taken before the transaction begins,
        # so that transaction's reads already see what the first process committed.
        conn.execute(sa.select(sa.func.pg_advisory_lock(MIGRATION_LOCK)))
        conn.commit()
        try:
            with conn.begin():
                yield
        finally:
            conn.execute(sa.select(sa.func.pg_advisory_unlock(MIGRATION_LOCK)))
            conn.commit()
    elif conn.dialect.name == "sqlite":
        # A revision in batch mode copies a table and drops the old one, which foreign keys
        # forbid while other tables point at it; the pragma only changes outside a
        # transaction. The keys are checked before the commit instead.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            with conn.begin():
                # Python's sqlite3 begins a transaction before DML only, so DDL would commit
                # as it runs and a failed upgrade would leave half its tables behind. BEGIN
                # IMMEDIATE makes the upgrade one transaction, and its write lock is what
                # the advisory lock is on PostgreSQL (the busy timeout is the wait).
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    else:
        with conn.begin():
            yield


def revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None: not migrated yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _migrate(conn: Connection) -> int:
    config = alembic_config(conn)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    assert head is not None
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise _newer(current, head)
        found = int(current or 0)
        command.upgrade(config, "head")
        return found
    if "meta" not in tables:  # a new database: the revisions build it from nothing
        command.upgrade(config, "head")
        return 0
    # A file made before Alembic: its version number is the revision that built it.
    found = int(_get_meta(conn, "schema_version") or "1")
    if found > LAST_NUMBERED:
        raise _newer(f"v{found}", f"v{int(head)}")
    if found < BASELINE:
        raise RuntimeError(
            f"database schema v{found} is older than any release; this build upgrades "
            f"v{BASELINE} and later only"
        )
    command.stamp(config, f"{found:04d}")
    command.upgrade(config, "head")
    _delete_meta(conn, "schema_version")  # alembic_version says it from now on
    return found


def _newer(found: str, head: str) -> RuntimeError:
    return RuntimeError(
        f"database schema {found} is newer than this build ({head}); "
        "upgrade the software before opening it"
    )


def _get_meta(conn: Connection, key: str) -> str | None:
    table = Meta.__table__  # type: ignore[attr-defined]
    return conn.execute(sa.select(table.c.value).where(table.c.key == key)).scalar()


def _delete_meta(conn: Connection, key: str) -> None:
    table = Meta.__table__  # type: ignore[attr-defined]
    conn.execute(sa.delete(table).where(table.c.key == key))


def _set_meta(conn: Connection, key: str, value: str) -> None:
    _delete_meta(conn, key)
    conn.execute(sa.insert(Meta.__table__).values(key=key, value=value))  # type: ignore[attr-defined]


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
