"""The bus seam: how the hub hears of commits.

A commit is (conference, seq, effects). The command path publishes it after the
transaction has committed; the hub of every process that holds screens subscribes. With one
process (SQLite) `LocalBus` delivers at once. With several workers on PostgreSQL, the
command's own transaction also sends the commit as a NOTIFY (`notify`: it is delivered only
if the transaction commits, and in commit order), and `PostgresBus` LISTENs in every worker:
the worker that committed delivers at once as before, every other one when the
notification arrives. A worker whose listening connection was lost catches up from the
database (the hub reads the current seq and state again), never from memory.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from live.effects import ALL, Effects

log = logging.getLogger("live")

CHANNEL = "live_commit"
# This process, in what it sends: a worker does not deliver its own commits twice.
ORIGIN = f"{os.getpid()}.{secrets.token_hex(4)}"
# PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more.
MOST_PAYLOAD = 7_800


@dataclass(frozen=True)
class Commit:
    slug: str
    seq: int
    effects: Effects


Listener = Callable[[Commit], None]


class Bus(Protocol):
    def subscribe(self, listener: Listener) -> None: ...

    def publish(self, commit: Commit) -> None: ...


class LocalBus:
    """The bus of one process: a published commit reaches its listeners at once, on the
    event loop that published it."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def publish(self, commit: Commit) -> None:
        for listener in self._listeners:
            listener(commit)


def notification(commit: Commit, origin: str = ORIGIN) -> str:
    """A commit as a NOTIFY payload. An import of hundreds of rows names more keys than a
    payload holds: then every kind is sent as "all of them" (the hub re-renders by kind;
    only a rotated role's key must stay named, to close its screens)."""
    effects = commit.effects.as_json()
    body: dict[str, Any] = {"o": origin, "c": commit.slug, "s": commit.seq, "e": effects}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) > MOST_PAYLOAD:
        body["e"] = {k: keys if k == "rolekey" else [ALL] for k, keys in effects.items()}
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return text


def read_notification(payload: str) -> tuple[str, Commit]:
    """(origin, commit) of a payload made by `notification`."""
    body = json.loads(payload)
    touched = frozenset((kind, key) for kind, keys in body["e"].items() for key in keys)
    return body["o"], Commit(body["c"], int(body["s"]), Effects(touched))


def notify_touch(session: Session, slug: str, kind: str) -> None:
    """Tell the other workers that counts no command changed moved (screens connected,
    phones on the question form): they refresh what shows them (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        body = json.dumps({"o": ORIGIN, "c": slug, "t": kind}, separators=(",", ":"))
        session.execute(sa.select(sa.func.pg_notify(CHANNEL, body)))


def notify(session: Session, commit: Commit) -> None:
    """Send `commit` to every worker when `session`'s transaction commits (PostgreSQL;
    nothing to do on SQLite, where one process serves)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_notify(CHANNEL, notification(commit))))


class PostgresBus(LocalBus):
    """Commits of every worker, over LISTEN/NOTIFY on its own connection."""

    RETRY_MOST = 5.0  # seconds between attempts to listen again

    def __init__(self, database_url: str) -> None:
        super().__init__()
        # psycopg's own connection string: "postgresql+psycopg://…" without the "+psycopg".
        url = make_url(database_url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._gap_listeners: list[Callable[[], None]] = []
        self._touch_listeners: list[Callable[[str, str], None]] = []
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    def on_gap(self, listener: Callable[[], None]) -> None:
        """Called when listening starts again after a loss: what was missed meanwhile must
        be read again from the database."""
        self._gap_listeners.append(listener)

    def on_touch(self, listener: Callable[[str, str], None]) -> None:
        """Called with (conference, kind) when another worker's counts moved."""
        self._touch_listeners.append(listener)

    async def start(self) -> None:
        """Listen in the background; returns once the first LISTEN is in place (a commit of
        another worker after this is heard)."""
        self._task = asyncio.get_running_loop().create_task(self._listen())
        await asyncio.wait_for(self.listening.wait(), timeout=30)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _listen(self) -> None:
        import psycopg  # only with PostgreSQL

        delay, lost = 0.2, False
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if lost:
                        log.warning("listening to other workers again: reading everything")
                        for gap in self._gap_listeners:
                            gap()
                    delay, lost = 0.2, False
                    async for note in conn.notifies():
                        self._heard(note.payload)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                if not lost:
                    log.warning("lost the connection that hears other workers (%s)", e)
                self.listening.clear()
                lost = True
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.RETRY_MOST)

    def _heard(self, payload: str) -> None:
        try:
            body = json.loads(payload)
            if "t" in body:  # counts of another worker moved (notify_touch)
                if body["o"] != ORIGIN:
                    for listener in self._touch_listeners:
                        listener(body["c"], body["t"])
                return
            origin, commit = read_notification(payload)
        except (ValueError, KeyError, TypeError):
            log.warning("a notification that is not a commit: %.200s", payload)
            return
        if origin != ORIGIN:  # this worker's own commits were delivered as they committed
            self.publish(commit)
