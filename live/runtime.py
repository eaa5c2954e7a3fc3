"""The objects that live as long as the server: database, renderer, hub, rate limits."""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Collection
from typing import Any, Protocol

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, func, select, update
from starlette.requests import HTTPConnection

from live import auth
from live.assets import Assets
from live.audit import record_frame
from live.bus import ORIGIN, Commit, LocalBus, PostgresBus, notify_touch
from live.commands import CommandMemo, Outcome, Request, execute_batch
from live.effects import EVERYTHING, PHONES, PRESENCE
from live.hub import Hub, Region
from live.kept import KeptRows
from live.models import Conference, FormVisit, ListItem, Presence, RateHit
from live.notice import notice_of
from live.render import (
    Renderer,
    View,
    kept_rows,
    load_view,
    make_environment,
    regions_depending_on,
)
from live.settings import STATIC_DIR, Settings, base_url

log = logging.getLogger("live")


class Live:
    """The long-lived objects of one server: database, renderer, hub."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.assets = Assets(STATIC_DIR)
        self.renderer = Renderer(make_environment(), base_url(settings))
        self.renderer.env.globals["static_url"] = self.assets.url
        # The notice is drafted from the view by live.notice, which itself builds on render.
        self.renderer.env.globals["notice_of"] = notice_of
        self.renderer.env.globals["max_upload_mb"] = settings.max_upload_mb
        # The replay keeps the projector's frames from the hub's own render, so the hub
        # keeps the projector rendered even when no projector is connected.
        # Several workers share commits through PostgreSQL (live.bus); one process on
        # SQLite delivers them itself.
        self.bus = (
            PostgresBus(settings.database_url)
            if engine.dialect.name == "postgresql"
            else LocalBus()
        )
        self.hub = Hub(
            self._render_for_hub,
            self.bus,
            regions_for=regions_depending_on,
            always=("projector",),
            on_frame=self._keep_frame,
        )
        self._writers: dict[str, GroupCommit] = {}
        self.form_visits = FormVisits(engine, self.hub)
        # What is worked out from the database and reused until a commit touches what it
        # depends on (DERIVED_DEPENDS), per conference: a new dict each time something is
        # forgotten, so a render or page running meanwhile fills the old one.
        self.derived: dict[str, dict[str, Any]] = {}
        self.kept: dict[str, dict[str, KeptRows]] = {}
        self.bus.subscribe(self._forget_derived)
        self.presence_shared = SharedPresence(engine) if isinstance(self.bus, PostgresBus) else None
        if isinstance(self.bus, PostgresBus):
            self.bus.on_gap(self._read_everything_again)
            self.bus.on_touch(self.hub.touch)
        # With several workers the limits are counted in the database, or each worker would
        # allow its own share.
        shared = isinstance(self.bus, PostgresBus)
        self.ask_limiter: Limiter = (
            SharedRateLimiter(engine, "ask", 3, 60.0) if shared else RateLimiter(3, 60.0)
        )
        # Wrong keys per client address: keys are 144 random bits, so this is not what keeps
        # them secret; it keeps a script from hammering the key check (and the database).
        self.key_limiter: Limiter = (
            SharedRateLimiter(engine, "key", 30, 60.0) if shared else RateLimiter(30, 60.0)
        )

    async def start(self) -> None:
        if isinstance(self.bus, PostgresBus):
            await self.bus.start()
        if self.presence_shared is not None:
            self._heartbeat = asyncio.get_running_loop().create_task(self._beat())

    async def stop(self) -> None:
        if isinstance(self.bus, PostgresBus):
            await self.bus.stop()
        if self.presence_shared is not None:
            self._heartbeat.cancel()
            await asyncio.to_thread(self.presence_shared.leave)
        await self.hub.close()

    async def _beat(self) -> None:
        """Say every few seconds that this worker's counts are still true."""
        assert self.presence_shared is not None
        while True:
            await asyncio.sleep(PRESENCE_BEAT)
            try:
                await asyncio.to_thread(self.presence_shared.beat)
            except Exception:  # a missed beat only makes the count older
                log.exception("could not refresh this worker's screen counts")

    def _read_everything_again(self) -> None:
        """Commits of other workers may have been missed: forget what was worked out and
        refresh every conference's screens from the database (its seq is the truth)."""
        self.derived = {}
        for slug in list(self.hub.channels):
            self.hub.changed(slug)

    def view(self, slug: str) -> View | None:
        return load_view(self.engine, slug, self.settings.media_dir, self.kept_of(slug))

    def kept_of(self, slug: str) -> dict[str, KeptRows]:
        """The rows a conference's views keep between renders (live.kept)."""
        found = self.kept.get(slug)
        if found is None:
            found = self.kept.setdefault(slug, kept_rows())
        return found

    async def aview(self, slug: str) -> View | None:
        """The view, read off the event loop (a 250-delegate conference takes ~10 ms)."""
        return await asyncio.to_thread(self.view, slug)

    def _render_for_hub(
        self, slug: str, wanted: dict[str, Collection[str] | None], presence: dict[str, int]
    ) -> tuple[int, str, dict[str, dict[str, Region]]] | None:
        view = self.view(slug)
        if view is None:
            return None
        view.derived = self.derived.setdefault(slug, {})
        if self.presence_shared is not None:  # every worker's screens, not only these
            presence = self.presence_shared.counted(slug, presence)
        rendered = {
            kind: self.renderer.regions(kind, view, presence, names)
            for kind, names in wanted.items()
        }
        return view.seq, view.epoch, rendered

    def _forget_derived(self, commit: Commit) -> None:
        kinds = commit.effects.kinds
        kept = self.derived.get(commit.slug, {})
        if EVERYTHING in kinds:
            self.derived[commit.slug] = {}
        elif any(DERIVED_DEPENDS[name] & kinds for name in kept):
            self.derived[commit.slug] = {
                name: value for name, value in kept.items() if not DERIVED_DEPENDS[name] & kinds
            }

    def ask_form(self, slug: str) -> tuple[Conference, list[str]] | None:
        """The question form's conference and unit list, read once until they change: two
        hundred phones opening the form read them once, not two hundred times."""
        derived = self.derived.setdefault(slug, {})
        found = derived.get("ask_form")
        if found is None:
            found = ask_form_data(self.engine, slug)
            if found is not None:
                derived["ask_form"] = found
        return found

    async def run_command(self, slug: str, role: str, name: Any, args: Any) -> Outcome:
        """Apply a command (one at a time per conference), then publish what it changed."""
        writer = self._writers.get(slug)
        if writer is None:
            writer = self._writers.setdefault(slug, GroupCommit(self.engine, slug, self.bus))
        return await writer.run(Request(role, name, args))

    async def _keep_frame(self, slug: str, seq: int, regions: dict[str, str]) -> None:
        """Keep what the projector shows, for the replay (after the push is on its way)."""
        try:
            await asyncio.to_thread(record_frame, self.engine, slug, seq, regions)
        except Exception:  # the replay losing a frame must never disturb the day
            log.exception("could not keep the projector frame of %s", slug)

    def role_for_key(self, conn: HTTPConnection, slug: str, key: Any) -> str | None:
        """The role of a key; raises TooManyAttempts once a client has sent 30 wrong keys
        within a minute, whatever it sends next, until the minute has passed."""
        client = conn.client.host if conn.client else "?"
        now = time.time()  # wall time: the shared limiter compares it across processes
        if self.key_limiter.exhausted(client, now):
            raise TooManyAttempts
        role = auth.role_for_key(self.engine, slug, key)
        if role is None:
            self.key_limiter.allow(client, now)  # counts the failure
        return role

    def presence(self, slug: str) -> dict[str, int]:
        ch = self.hub.channels.get(slug)
        return ch.presence() if ch else {}


class GroupCommit:
    """The commands of one conference, applied one transaction at a time. Those that arrive
    while a transaction is being written wait, then go together into the next one (each in
    its own savepoint, with its own seq and event: live.commands.execute_batch): when two
    hundred phones send their questions within seconds, the disk is waited for once per
    group rather than once per question, and the screens get one push per group. One
    command alone goes as soon as it comes, as before."""

    MOST = 64  # commands in one transaction: enough to drain a burst, short enough to answer

    def __init__(self, engine: Engine, slug: str, bus: LocalBus) -> None:
        self.engine, self.slug, self.bus = engine, slug, bus
        self.waiting: deque[tuple[Request, asyncio.Future[Outcome]]] = deque()
        self.writing: asyncio.Task[None] | None = None
        self.memo = CommandMemo()  # used by one transaction at a time: this writer's

    async def run(self, request: Request) -> Outcome:
        answer: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self.waiting.append((request, answer))
        if self.writing is None or self.writing.done():
            self.writing = asyncio.get_running_loop().create_task(self._write())
        return await answer

    async def _write(self) -> None:
        while self.waiting:
            group = [self.waiting.popleft() for _ in range(min(self.MOST, len(self.waiting)))]
            try:
                results: list[Outcome | Exception] = await asyncio.to_thread(
                    execute_batch, self.engine, self.slug, [r for r, _ in group], None, self.memo
                )
            except Exception as e:  # the commit itself failed: none of them happened
                results = [e] * len(group)
            # Commit before push: every screen hears of the group before anyone is answered.
            for result in results:
                if isinstance(result, Outcome):
                    try:
                        self.bus.publish(Commit(self.slug, result.seq, result.effects))
                    except Exception:  # the commit stands; its caller must still be answered
                        log.exception("could not publish commit %s of %s", result.seq, self.slug)
            for (_, answer), result in zip(group, results, strict=True):
                if answer.done():  # the caller went away (its command still happened)
                    continue
                if isinstance(result, Outcome):
                    answer.set_result(result)
                else:
                    answer.set_exception(result)


class Limiter(Protocol):
    def exhausted(self, key: str, now: float) -> bool: ...

    def allow(self, key: str, now: float) -> bool: ...


class SharedRateLimiter:
    """RateLimiter's rule, counted in the database (table ratehit) so that N workers allow
    `limit` events per window in all, not N times as many. Called off the event loop."""

    def __init__(self, engine: Engine, scope: str, limit: int, window: float) -> None:
        self.engine, self.scope, self.limit, self.window = engine, scope, limit, window

    def _count(self, s: Session, key: str, now: float) -> int:
        return s.exec(
            select(func.count()).where(
                RateHit.scope == self.scope, RateHit.key == key, RateHit.at > now - self.window
            )
        ).one()

    def exhausted(self, key: str, now: float) -> bool:
        with Session(self.engine) as s:
            return self._count(s, key, now) >= self.limit

    def allow(self, key: str, now: float) -> bool:
        key = key[:200]
        with Session(self.engine) as s:
            # One client's events are counted one transaction at a time, whichever worker.
            s.exec(select(func.pg_advisory_xact_lock(func.hashtext(f"{self.scope}/{key}"))))
            if self._count(s, key, now) >= self.limit:
                return False
            s.add(RateHit(scope=self.scope, key=key, at=now))
            if secrets.randbelow(100) == 0:  # now and then, forget what no window needs
                s.exec(delete(RateHit).where(col(RateHit.at) < now - self.window))  # type: ignore[call-overload]
            s.commit()
            return True


# Screens of other workers count while their row is this fresh (seconds); each worker
# rewrites its rows every PRESENCE_BEAT, so a worker that died stops counting soon after.
PRESENCE_BEAT = 10.0
PRESENCE_FRESH = 30.0


class SharedPresence:
    """The screens connected to every worker, summed (table presence). This worker writes
    its own counts when they change and tells the others (bus.notify_touch); each render
    adds the fresh counts of the others to its own. Called off the event loop."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.written: dict[str, dict[str, int]] = {}  # slug -> the counts in our rows
        self._lock = threading.Lock()

    def counted(self, slug: str, mine: dict[str, int]) -> dict[str, int]:
        with self._lock:
            if self.written.get(slug) != mine:
                self._write(slug, mine)
        with Session(self.engine) as s:
            others = s.exec(
                select(Presence.kind, func.sum(Presence.count))
                .where(
                    Presence.slug == slug,
                    Presence.origin != ORIGIN,
                    Presence.seen_at > time.time() - PRESENCE_FRESH,
                )
                .group_by(Presence.kind)  # type: ignore[arg-type]
            ).all()
        total = dict(mine)
        for kind, count in others:
            total[kind] = total.get(kind, 0) + int(count or 0)
        return {kind: count for kind, count in total.items() if count}

    def _write(self, slug: str, mine: dict[str, int]) -> None:
        with Session(self.engine) as s:
            s.exec(
                delete(Presence).where(col(Presence.origin) == ORIGIN, col(Presence.slug) == slug)
            )  # type: ignore[call-overload]
            now = time.time()
            for kind, count in mine.items():
                if count:
                    s.add(Presence(origin=ORIGIN, slug=slug, kind=kind, count=count, seen_at=now))
            notify_touch(s, slug, PRESENCE)
            s.commit()
        self.written[slug] = dict(mine)

    def beat(self) -> None:
        with Session(self.engine) as s:
            s.exec(
                update(Presence).where(col(Presence.origin) == ORIGIN).values(seen_at=time.time())  # type: ignore[call-overload]
            )
            s.commit()

    def leave(self) -> None:
        """This worker stops: its screens no longer count anywhere."""
        with Session(self.engine) as s:
            s.exec(delete(Presence).where(col(Presence.origin) == ORIGIN))  # type: ignore[call-overload]
            for slug in self.written:
                notify_touch(s, slug, PRESENCE)
            s.commit()


class TooManyAttempts(Exception):
    """A client sent too many wrong keys; answered with 429."""

    message = "Quá nhiều lần thử mã truy cập sai. Xin đợi một phút rồi thử lại."


def live_of(conn: HTTPConnection) -> Live:
    return conn.app.state.live


class RateLimiter:
    """At most `limit` events per `window` seconds per key (per process; it guards the
    public question form against a stuck button or a prank, not against a botnet)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.events: dict[str, deque[float]] = {}

    def exhausted(self, key: str, now: float) -> bool:
        """True when `key` has used up its events in the current window (records nothing)."""
        seen = self.events.get(key, ())
        return sum(1 for t in seen if t > now - self.window) >= self.limit

    def allow(self, key: str, now: float) -> bool:
        if len(self.events) > 10_000:  # forget clients that went quiet
            self.events = {k: v for k, v in self.events.items() if v and v[-1] > now - self.window}
        seen = self.events.setdefault(key, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True


# A derived value -> the effect kinds that make it stale.
DERIVED_DEPENDS: dict[str, frozenset[str]] = {
    "delegates_by_name": frozenset({"delegate"}),  # live.render.View.delegate_for
    "ask_form": frozenset({"setup", "list"}),  # the public form's title and units
}


def ask_form_data(engine: Engine, slug: str) -> tuple[Conference, list[str]] | None:
    """The conference and its unit list: what the question form shows."""
    with Session(engine) as s:
        conference = s.exec(select(Conference).where(Conference.slug == slug)).first()
        if conference is None:
            return None
        units = s.exec(
            select(ListItem.name)
            .where(ListItem.conference_id == conference.id, ListItem.kind == "unit")
            .order_by(ListItem.position)  # type: ignore[arg-type]
        ).all()
        s.expunge_all()
        return conference, list(units)


class FormVisits:
    """Phones that opened the question form, written in batches: two hundred phones
    scanning the code at once make a few transactions, not two hundred (each one waits
    for the disk). A count the admin reads, so half a second late is on time."""

    DELAY = 0.5  # seconds

    def __init__(self, engine: Engine, hub: Hub) -> None:
        self.engine = engine
        self.hub = hub
        self.pending: set[tuple[str, str, str]] = set()  # (slug, day, visitor)
        self.flushing: asyncio.Task[None] | None = None

    def note(self, slug: str, day: str, visitor: str) -> None:
        self.pending.add((slug, day, visitor))
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.get_running_loop().create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self.DELAY)
        batch, self.pending = self.pending, set()
        try:
            slugs = await asyncio.to_thread(record_visits, self.engine, batch)
        except Exception:  # a lost count must never disturb the form
            log.exception("could not count the phones on the question form")
            return
        for slug in slugs:
            self.hub.touch(slug, PHONES)
        if self.pending:  # more came in while writing
            self.flushing = asyncio.get_running_loop().create_task(self._flush_soon())


def record_visits(engine: Engine, batch: set[tuple[str, str, str]]) -> set[str]:
    """Insert the visits not yet counted (one transaction); the conferences they were for."""
    with Session(engine) as s:
        ids = dict(
            s.exec(
                select(Conference.slug, Conference.id).where(
                    col(Conference.slug).in_({slug for slug, _, _ in batch})
                )
            ).all()
        )
        rows = [
            {"conference_id": ids[slug], "day": day, "visitor": visitor}
            for slug, day, visitor in batch
            if slug in ids
        ]
        if rows:
            insert = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert
            s.exec(insert(FormVisit).values(rows).on_conflict_do_nothing())  # type: ignore[call-overload]
            for slug in {slug for slug, _, _ in batch if slug in ids}:
                notify_touch(s, slug, PHONES)  # the other workers' admin screens too
            s.commit()
    return {slug for slug, _, _ in batch if slug in ids}
