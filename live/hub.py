"""Sockets, bounded queues and fan-out.

Each conference has a Channel. The hub hears of commits through the bus (live.bus:
conference, seq, effects); a commit wakes the channel's publisher, which re-renders, for
each connected screen kind, only the regions that depend on what the commits since its
last push changed (`regions_for`, declared in live.render), in one read shared by every
kind; diffs them against what it last sent that kind, serialises one message per kind and
offers it to every socket of that kind. Each socket has a small bounded queue drained by its own
sender task; a socket whose queue is full is closed (it reconnects and gets a snapshot),
never waited for.

Pushes carry (prev, seq): a screen applies a patch only on top of the seq it holds. The
publisher may fold several quick commits into one patch, so seqs on the wire can jump;
prev is what keeps that safe.

Nothing here is needed to rebuild state: it all comes from the database, so a bus that
carries commits between processes is all a multi-worker mode needs. The hub knows screen
kinds, region names, effect kinds and roles as strings, nothing of the domain.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import secrets
from collections import deque
from collections.abc import Awaitable, Callable, Collection
from typing import Any, Protocol

from live import keyed
from live.bus import Bus, Commit
from live.effects import EVERYTHING, PRESENCE

log = logging.getLogger("live.hub")

QUEUE_SIZE = 64
PRESENCE_DELAY = 0.3  # seconds: a burst of (re)connections makes one presence update
CLOSE_RESYNC = 4001  # the socket fell behind; the browser reconnects and resyncs
CLOSE_LOCKED_OUT = 4403  # its key was rotated; the browser stops and says so


class Socket(Protocol):
    async def send_text(self, data: str) -> None: ...
    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


# A region as rendered: its HTML, or for a list its items as (key, html) pairs (live.keyed).
Region = str | keyed.Items
# (slug, {screen kind: the regions to render, None for all}, presence counts)
#   -> (seq, epoch, {kind: {region: Region}}), or None when the conference is gone.
# Reads the database: called in a worker thread.
RenderFn = Callable[[str, dict[str, Collection[str] | None], dict[str, int]], Any]
# (screen kind, effect kinds) -> the regions of that kind that depend on them.
RegionsFor = Callable[[str, Collection[str]], Collection[str]]
# (slug, seq, regions) of a kind rendered even with no screen of it (the replay's frames).
FrameFn = Callable[[str, int, dict[str, str]], Awaitable[None]]


class Subscriber:
    """One screen's socket: a bounded queue of messages (QUEUE_SIZE) drained by its own
    sender task. The queue is a deque made when there is something to send and let go of
    once drained, so an idle screen holds none (an asyncio.Queue is four deques, ~3 KiB,
    for each of a thousand idle projectors)."""

    __slots__ = (
        "_wake",
        "closing",
        "dropped",
        "holds",
        "kind",
        "pending",
        "role",
        "sender",
        "socket",
    )

    def __init__(self, socket: Socket, kind: str, role: str, holds: str = "") -> None:
        self.socket = socket
        self.kind = kind
        self.role = role
        # The drawing its page was built from (Channel.drawing), if the page came from the
        # hub's own regions: when that is still current, its snapshot need not repeat them.
        self.holds = holds
        self.pending: deque[str] | None = None
        self.sender: asyncio.Task[None] | None = None
        self.dropped = False
        self.closing: asyncio.Task[None] | None = None  # the hub's close, once dropped
        self._wake: asyncio.Future[None] | None = None  # the sender waiting for a message

    def offer(self, message: str) -> bool:
        """Queue a message; False when the queue is full (the caller drops the socket)."""
        pending = self.pending
        if pending is None:
            pending = self.pending = deque()
        elif len(pending) >= QUEUE_SIZE:
            return False
        pending.append(message)
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)
        return True

    def forget_pending(self) -> None:
        self.pending = None

    async def run_sender(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            pending = self.pending
            if pending:
                await self.socket.send_text(pending.popleft())
                continue
            self.pending = None
            self._wake = loop.create_future()
            try:
                await self._wake
            finally:
                self._wake = None


class Channel:
    """The connected screens of one conference and what they were last sent."""

    def __init__(
        self,
        slug: str,
        render: RenderFn,
        regions_for: RegionsFor | None = None,
        always: Collection[str] = (),
        on_frame: FrameFn | None = None,
    ) -> None:
        self.slug = slug
        self._render = render
        self._regions_for = regions_for
        self.always = frozenset(always)  # kinds kept rendered with no screen (the projector)
        self._on_frame = on_frame
        self.lock = asyncio.Lock()
        self.seq: int | None = None
        self.epoch = ""
        self.sent: dict[str, dict[str, Region]] = {}  # kind -> region -> what it was last sent
        # kind -> which drawing of it `sent` holds: this process's token and a counter, so
        # a page built from it can say so when it connects (Subscriber.holds).
        self._drawings: dict[str, int] = {}
        self._drawn = 0
        self._token = secrets.token_hex(4)
        self._snapshots: dict[str, tuple[tuple[str, str, int | None, str], str]] = {}
        self.subscribers: dict[str, set[Subscriber]] = {}
        self._pending: set[str] = set()  # effect kinds committed since the last push
        self._pending_seq: int | None = None  # the latest commit among them
        self._dirty = asyncio.Event()
        self._presence_due = False
        self._publisher = asyncio.create_task(self._publish_loop())

    # --- state ---------------------------------------------------------------------------

    def presence(self) -> dict[str, int]:
        return {kind: len(subs) for kind, subs in self.subscribers.items() if subs}

    def _wanted(self, kinds: set[str], pending: set[str]) -> dict[str, Collection[str] | None]:
        """Per kind, the regions to render: all for a kind not rendered yet, else those that
        depend on what changed (none: the kind only moves on to the new seq)."""
        wanted: dict[str, Collection[str] | None] = {}
        for kind in kinds:
            if kind not in self.sent or EVERYTHING in pending or self._regions_for is None:
                wanted[kind] = None
            elif names := self._regions_for(kind, pending):
                wanted[kind] = names
        return wanted

    async def _refresh(self, extra_kind: str | None = None) -> None:
        """Read once what changed, render it for every connected kind, push the changes."""
        kinds = {kind for kind, subs in self.subscribers.items() if subs} | self.always
        if extra_kind:
            kinds.add(extra_kind)
        if not kinds:
            self._pending.clear()
            return
        pending, self._pending = self._pending, set()
        pending_seq, self._pending_seq = self._pending_seq, None
        wanted = self._wanted(kinds, pending)
        result = await asyncio.to_thread(self._render, self.slug, wanted, self.presence())
        if result is None:
            return
        read_seq, epoch, rendered = result
        # Label the push with the last commit whose effects it carries: a commit landing
        # while this render runs has its effects in the next push, whose prev is this seq.
        if pending_seq is not None:
            seq = min(read_seq, pending_seq)
        elif EVERYTHING in pending or self.seq is None or self._regions_for is None:
            seq = read_seq
        else:  # only counts moved (screens, phones): no commit
            seq = self.seq
        if self.seq is not None:
            seq = max(seq, self.seq)
        prev = self.seq
        frames = []
        for kind in kinds:
            if kind not in self.sent and wanted.get(kind, ()) is not None:
                # Its last screen left while this rendered (leave() forgot what it was
                # sent): what was rendered is only part of a picture, never kept as one.
                continue
            before = self.sent.get(kind) or {}
            fresh = rendered.get(kind, {})
            self.sent[kind] = {**before, **fresh}
            changed: dict[str, str] = {}
            lists: dict[str, list[keyed.Op]] = {}
            for name, value in fresh.items():
                old = before.get(name)
                if old == value:
                    continue
                if isinstance(value, str):
                    changed[name] = value
                elif isinstance(old, tuple):
                    lists[name] = keyed.ops(old, value)  # the items that changed, by key
                else:
                    changed[name] = keyed.join(value)
            if changed or lists or not before:
                self._drawn += 1
                self._drawings[kind] = self._drawn
            if kind in self.always and (changed or lists):
                frames.append({n: v for n, v in self.sent[kind].items() if isinstance(v, str)})
            if not before or kind not in self.subscribers:
                continue  # nobody of this kind has had anything yet
            if seq == prev and not (changed or lists):
                continue  # nothing moved
            patch: dict[str, Any] = {"type": "patch", "prev": prev, "seq": seq, "regions": changed}
            if lists:
                patch["lists"] = lists
            self._fan_out(kind, patch)
        self.seq, self.epoch = seq, epoch
        if self._on_frame is not None:
            for regions in frames:  # after the push is on its way
                await self._on_frame(self.slug, seq, regions)

    def _fan_out(self, kind: str, message: dict[str, Any]) -> None:
        data = json.dumps(message, ensure_ascii=False)  # serialised once per kind
        for sub in list(self.subscribers.get(kind, ())):
            if not sub.offer(data):
                self.drop(sub)

    async def _publish_loop(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            try:
                async with self.lock:
                    settled = self._presence_due
                    self._presence_due = False
                    await self._refresh()
                if settled:
                    freeze_heap()
            except Exception:  # a failed render must not stop future pushes
                log.exception("publishing %s failed", self.slug)
                await asyncio.sleep(0.5)

    def changed(self, kinds: Collection[str] = (EVERYTHING,), seq: int | None = None) -> None:
        """Commits changed these effect kinds (up to `seq`): push what depends on them."""
        self._pending.update(kinds)
        if seq is not None:
            self._pending_seq = max(seq, self._pending_seq or seq)
        self._dirty.set()

    # --- subscribers ---------------------------------------------------------------------

    async def join(self, sub: Subscriber) -> None:
        """Register a socket and queue its snapshot, consistent with every later patch."""
        async with self.lock:
            # A cached render is a consistent snapshot: anything committed since is on its
            # way as a patch whose prev is that snapshot's seq.
            if sub.kind not in self.sent:
                await self._refresh(extra_kind=sub.kind)
            self.subscribers.setdefault(sub.kind, set()).add(sub)
            self._queue_snapshot(sub)
            sub.sender = asyncio.create_task(self._send(sub))
        self.schedule_refresh()

    def drawing(self, kind: str) -> str:
        """Names what `sent[kind]` holds now (changes with every change of it)."""
        return f"{self._token}.{self._drawings.get(kind, 0)}"

    def _queue_snapshot(self, sub: Subscriber) -> None:
        message: dict[str, Any] = {"type": "snapshot", "seq": self.seq, "epoch": self.epoch}
        drawing = self.drawing(sub.kind)
        if sub.holds and sub.holds == drawing:
            # Its page was built from exactly this: it only needs the seq (a queue of 400
            # questions is not sent twice on every first load).
            message["same"] = True
            data = json.dumps(message, ensure_ascii=False)
        else:
            # Serialised once per drawing, seq and kind: a hall of screens reconnecting after
            # a restart is sent one string, not a thousand serialisations of it.
            label = (sub.kind, drawing, self.seq, self.epoch)
            cached = self._snapshots.get(sub.kind)
            if cached is not None and cached[0] == label:
                data = cached[1]
            else:
                regions = self.sent.get(sub.kind, {})
                message["regions"] = {n: v for n, v in regions.items() if isinstance(v, str)}
                message["lists"] = {n: v for n, v in regions.items() if not isinstance(v, str)}
                data = json.dumps(message, ensure_ascii=False)
                self._snapshots[sub.kind] = (label, data)
        sub.holds = ""  # a later snapshot (after a gap) is always whole
        if not sub.offer(data):
            self.drop(sub)

    async def resnapshot(self, sub: Subscriber) -> None:
        async with self.lock:
            if not sub.dropped:
                self._queue_snapshot(sub)

    async def _send(self, sub: Subscriber) -> None:
        try:
            await sub.run_sender()
        except Exception:  # the peer went away; the endpoint's receive loop cleans up
            self.leave(sub)

    def leave(self, sub: Subscriber) -> None:
        subs = self.subscribers.get(sub.kind)
        if subs and sub in subs:
            subs.discard(sub)
            if not subs:
                del self.subscribers[sub.kind]
                if sub.kind not in self.always:
                    self.sent.pop(sub.kind, None)  # not kept fresh without subscribers
                    self._snapshots.pop(sub.kind, None)
            self.schedule_refresh()
        if sub.sender and sub.sender is not asyncio.current_task():
            sub.sender.cancel()

    def drop(self, sub: Subscriber, code: int = CLOSE_RESYNC) -> None:
        """Close a socket: one that cannot keep up (it reconnects and resyncs), or one
        whose key was rotated."""
        if sub.dropped:
            return
        sub.dropped = True
        self.leave(sub)
        sub.forget_pending()  # what it could not take is not kept for it
        log.info("closing a %s screen of %s (%d)", sub.kind, self.slug, code)
        sub.closing = asyncio.create_task(_close_quietly(sub.socket, code))
        _background.add(sub.closing)
        sub.closing.add_done_callback(_background.discard)

    # --- presence ------------------------------------------------------------------------

    def schedule_refresh(self, kind: str = PRESENCE) -> None:
        """Something outside the commands changed (the connected screens, phones that
        opened the question form): refresh soon. A burst makes one refresh, and a refresh
        where nothing committed pushes a patch with prev == seq."""
        self._pending.add(kind)
        if self._presence_due:
            return
        self._presence_due = True
        loop = asyncio.get_running_loop()
        loop.call_later(PRESENCE_DELAY, self._dirty.set)

    async def close(self) -> None:
        self._publisher.cancel()
        for subs in list(self.subscribers.values()):
            for sub in list(subs):
                self.leave(sub)


_background: set[asyncio.Task[None]] = set()
RECLAIM_EVERY = 600.0  # seconds between full collections of frozen objects
_reclaim = {"scheduled": False}


def freeze_heap() -> None:
    """Move every object alive now out of the garbage collector's way.

    A thousand screens make a large heap of long-lived objects, and each full collection
    walks all of it: measured 150–280 ms at 1,000 screens, landing on pushes at random.
    Frozen objects are never walked, so collections stay small. Called when connections
    settle (freezing is O(1)); every 10 minutes a full collection reclaims the frozen
    garbage of screens that have left since.
    """
    gc.freeze()
    if not _reclaim["scheduled"]:
        _reclaim["scheduled"] = True
        asyncio.get_running_loop().call_later(RECLAIM_EVERY, _reclaim_frozen)


def _reclaim_frozen() -> None:
    _reclaim["scheduled"] = False
    gc.unfreeze()
    gc.collect()
    freeze_heap()


async def _close_quietly(socket: Socket, code: int) -> None:
    # No timeout: a peer that is slow, not gone, must still get the close frame after the
    # data already in its buffers, or it would sit on a stale picture; a gone peer's
    # connection is ended by the ping timeout, which ends this wait too.
    with contextlib.suppress(Exception):
        await socket.close(code)


class Hub:
    """All channels of this process, fed by the bus."""

    def __init__(
        self,
        render: RenderFn,
        bus: Bus | None = None,
        regions_for: RegionsFor | None = None,
        always: Collection[str] = (),
        on_frame: FrameFn | None = None,
    ) -> None:
        self._render = render
        self._regions_for = regions_for
        self._always = tuple(always)
        self._on_frame = on_frame
        self.channels: dict[str, Channel] = {}
        if bus is not None:
            bus.subscribe(self.on_commit)

    def channel(self, slug: str) -> Channel:
        ch = self.channels.get(slug)
        if ch is None:
            ch = self.channels[slug] = Channel(
                slug, self._render, self._regions_for, self._always, self._on_frame
            )
        return ch

    def on_commit(self, commit: Commit) -> None:
        """A command on a conference committed: push what it changed; a changed role key
        closes that role's screens. With kinds kept rendered without screens (the replay's
        projector), every conference gets a channel."""
        if commit.slug in self.channels or self._always:
            self.channel(commit.slug).changed(commit.effects.kinds, commit.seq)
        for role in commit.effects.locked_out:
            self.lock_out(commit.slug, role)

    def drawn(self, slug: str, kind: str) -> tuple[int, str, dict[str, Region], str] | None:
        """(seq, epoch, regions, drawing) as last sent to screens of `kind`, while it is
        kept fresh (some are connected, or it is always kept): a page can show them as they
        are, and say `drawing` when it connects."""
        channel = self.channels.get(slug)
        if channel is None or channel.seq is None or kind not in channel.sent:
            return None
        return channel.seq, channel.epoch, channel.sent[kind], channel.drawing(kind)

    def changed(self, slug: str) -> None:
        """Refresh everything of `slug` (at start-up: the replay's first frame)."""
        self.channel(slug).changed()

    def touch(self, slug: str, kind: str) -> None:
        """Counts that no command changed moved (phones on the question form): refresh soon."""
        if slug in self.channels:
            self.channels[slug].schedule_refresh(kind)

    def lock_out(self, slug: str, role: str) -> None:
        """A role's key was rotated: close its open screens now (other roles keep going)."""
        channel = self.channels.get(slug)
        if channel is None:
            return
        for subs in list(channel.subscribers.values()):
            for sub in [s for s in subs if s.role == role]:
                channel.drop(sub, CLOSE_LOCKED_OUT)

    async def close(self) -> None:
        for ch in self.channels.values():
            await ch.close()
