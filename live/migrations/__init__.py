"""The schema's Alembic revisions (live.db.migrate runs them; docs/decisions.md, issue 16)."""
