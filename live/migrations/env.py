"""Alembic's environment. live.db.migrate passes its connection in
`config.attributes["connection"]`, already in the transaction (and, on PostgreSQL, under the
lock) it holds; the `alembic` command (alembic.ini at the top of the source tree) gets none
and connects to LIVE_DATABASE_URL itself."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlmodel import SQLModel

from live import db, models  # noqa: F401  (models registers the tables)
from live.settings import Settings

config = context.config
target_metadata = SQLModel.metadata


def number_the_revision(_context: Any, _revision: Any, directives: list[MigrationScript]) -> None:
    """A new revision's id is the next number (db.migrate reads the id as the schema's
    version), unless one was given with --rev-id."""
    script = directives[0]
    if script.rev_id is None or not script.rev_id.isdigit():
        head = ScriptDirectory.from_config(config).get_current_head()
        script.rev_id = f"{int(head or 0) + 1:04d}"


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters little in place: autogenerate writes batch blocks, which copy a
        # table when a change needs it (db.migrating turns foreign keys off for the copy)
        # and are a plain ALTER on PostgreSQL.
        render_as_batch=connection.dialect.name == "sqlite",
        process_revision_directives=number_the_revision,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)  # the command's log lines, as alembic.ini sets them
    engine = db.make_engine(Settings.from_env().database_url)
    try:
        with engine.connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()
