"""Shared parts of the load benches (screens.py, ask_burst.py, reconnect_storm.py).

- `ScreenClient`: one screen as static/js/live.js runs it, on a minimal websocket client
  (an asyncio Protocol: handshake, unmasked server frames in, masked frames out). It keeps
  the seq it holds the way the browser does (a snapshot sets it; a patch applies only on
  top of it, otherwise it asks for a snapshot), sends the browser's clock pings (three on
  open, then one every 10 s), answers websocket pings, and reconnects after any close
  with the browser's policy: full jitter, 100 ms + random × min(2 s, 250 ms · 2^n), n
  capped at 6 and reset by a snapshot. It stamps time.monotonic() once per read, before
  looking at the bytes, and records (held seq, time) each time the held seq changes.
  A hand-written client because the websockets library costs several times more CPU per
  message, and at 5,000 sockets the load generator must not be what is measured.
- `WorkerPool`: the screens live in separate worker processes (several, so that thousands
  of sockets do not queue behind one event loop). The coordinating process drives them
  over pipes between measurements only. time.monotonic() is CLOCK_MONOTONIC, one clock for
  every process on the machine, so a worker's arrival minus the coordinator's t0 is a
  latency.
- Keyed lists: with `track_lists`, a `ScreenClient` also parses every snapshot and patch
  whole and keeps, per list region, the items it holds (key -> item HTML, in page order),
  applying a patch's `"lists"` operations with `apply_list_ops` as static/js/live.js does.
  Off by default: then only the head of each message is looked at (a regex), which is what
  lets one process hold thousands of screens.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from array import array
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fanout import cpu_ns, pct, raise_nofile, run

__all__ = ["cpu_ns", "pct", "raise_nofile", "run"]

clock = time.monotonic  # CLOCK_MONOTONIC: comparable across processes

SNAPSHOT = re.compile(rb'^\{"type": "snapshot", "seq": (\d+|null)')
PATCH = re.compile(rb'^\{"type": "patch", "prev": (\d+|null), "seq": (\d+)')
PONG = re.compile(rb'^\{"type": "pong", "t": ([0-9.]+)')
PING_EVERY = 10.0  # live.js: setInterval(sendPing, 10000)
OPEN_PINGS = (0.0, 0.3, 0.6)  # live.js: three pings 300 ms apart when the socket opens
CLOSE_LOCKED_OUT = 4403
OPEN_TIMEOUT = 60.0


def backoff(retry: int) -> float:
    """live.js connect(): 100 ms + full jitter under min(2 s, 250 ms · 2^retry)."""
    return 0.1 + random.random() * min(2.0, 0.25 * 2**retry)


def frame(opcode: int, payload: bytes) -> bytes:
    """A client frame: FIN, masked (with a zero key, which leaves the payload as is)."""
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | opcode, 0x80 | n))
    elif n < 1 << 16:
        head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    return head + b"\0\0\0\0" + payload


def seq_of(raw: bytes) -> int:
    return -1 if raw == b"null" else int(raw)


ListItems = dict[str, str]  # one list region as a screen holds it: key -> item HTML, in order


def apply_list_ops(items: ListItems, ops: Iterable[Sequence[Any]]) -> bool:
    """Apply a patch's operations on one list region, in order, to `items` (key -> item
    HTML in page order; changed in place). This mirrors patchLists() in static/js/live.js,
    which does the same to the region's elements (each item's root carries data-key):

        ["remove", key]
        ["insert", key, html, before]   before: the key it goes before; None = at the end
        ["move", key, before]
        ["replace", key, html]          in place

    False, at the first operation that addresses what the list does not hold (an insert of a
    key already held; a remove, move or replace of a key not held; a `before` not held), with
    the operations before it applied: the page then asks for a snapshot, and so does the
    bench client. An unknown operation on a held key does nothing, as in the page."""
    for op in ops:
        name, key = op[0], op[1]
        if name == "insert":
            before = op[3]
            if key in items or (before is not None and before not in items):
                return False
            _place(items, key, op[2], before)
            continue
        if key not in items:
            return False
        if name == "remove":
            del items[key]
        elif name == "move":
            before = op[2]
            if before is not None and before not in items:
                return False
            if before != key:  # before itself: where it is
                _place(items, key, items.pop(key), before)
        elif name == "replace":
            items[key] = op[2]
    return True


def _place(items: ListItems, key: str, html: str, before: str | None) -> None:
    """Put `key` (not held) before `before` (held), or at the end (None)."""
    if before is None:
        items[key] = html
        return
    rest = list(items.items())
    items.clear()
    for k, v in rest:
        if k == before:
            items[key] = html
        items[k] = v


@dataclass
class ScreenClient:
    """One screen: its socket (reconnected as the browser does) and what it holds."""

    host: str
    port: int
    path: str  # /ws/e/demo?screen=...&key=...
    kind: str
    local_addr: tuple[str, int] | None = None
    keep: bool = False  # keep whole messages (capture clients)
    # parse snapshots and patches whole and keep the list regions' items (True: every list
    # region; a collection of region ids: those only). False: the cheap path (heads only).
    track_lists: bool | Collection[str] = False
    # called after a snapshot or an applied patch changed what a tracking screen holds
    on_update: Callable[[ScreenClient, float], None] | None = None
    ping_every: float = PING_EVERY  # a probe pings more often than a browser
    seq: int | None = None
    epoch: bytes = b""
    awaiting: bool = True
    retry: int = 0
    proto: _Proto | None = None
    stopped: bool = False
    # (held seq, time) each time the held seq changes
    held_seqs: array[int] = field(default_factory=lambda: array("q"))
    held_times: array[float] = field(default_factory=lambda: array("d"))
    # every connection attempt (time) and every snapshot (time), for the reconnect storm
    attempts: array[float] = field(default_factory=lambda: array("d"))
    opened: array[float] = field(default_factory=lambda: array("d"))
    snapshots: array[float] = field(default_factory=lambda: array("d"))
    failures: int = 0  # attempts that did not open (refused, HTTP error, timeout)
    closes: int = 0  # open sockets that closed
    close_codes: list[int] = field(default_factory=list)
    gaps: int = 0  # patches whose prev was not the held seq: asked for a snapshot
    rtts: array[float] = field(default_factory=lambda: array("d"))  # ping → pong, seconds
    messages: list[tuple[float, bytes]] = field(default_factory=list)  # (arrival, message) if keep
    # if track_lists: list region id -> its items (key -> html, in page order); and the
    # other regions' HTML as last received
    lists: dict[str, ListItems] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)
    list_errors: int = 0  # patches whose list operations did not fit what was held: resynced
    whole: bool = field(init=False, default=False)  # the protocol joins whole messages
    ready: asyncio.Future[None] | None = None
    _ping_timer: asyncio.TimerHandle | None = None

    def __post_init__(self) -> None:
        self.whole = self.keep or bool(self.track_lists)

    def _tracked(self, region: str) -> bool:
        return self.track_lists is True or region in cast(Collection[str], self.track_lists)

    def _hold(self, msg: dict[str, Any], snapshot: bool, t: float) -> bool:
        """Apply a parsed snapshot or patch (its seq already checked) to what is held; False
        when a patch's list operations do not fit what is held (then ask for a snapshot).
        Lists the screen does not hold (none in its snapshot) are skipped, as the page skips
        a list id it has no element for."""
        if snapshot:
            self.regions = dict(msg.get("regions") or {})
            self.lists = {
                rid: dict((key, html) for key, html in items)
                for rid, items in (msg.get("lists") or {}).items()
                if self._tracked(rid)
            }
        else:
            for rid, ops in (msg.get("lists") or {}).items():
                if rid in self.lists and not apply_list_ops(self.lists[rid], ops):
                    self.list_errors += 1
                    return False
            self.regions.update(msg.get("regions") or {})
        if self.on_update:
            self.on_update(self, t)
        return True

    # --- connection ----------------------------------------------------------------------

    def start(self) -> asyncio.Future[None]:
        """Connect; the future resolves at the first snapshot."""
        self.ready = asyncio.get_running_loop().create_future()
        self._connect()
        return self.ready

    def _connect(self) -> None:
        if self.stopped:
            return
        path = self.path
        if self.seq is not None:  # live.js sends what it holds (the server ignores it)
            path += f"&seq={self.seq}&epoch={self.epoch.decode()}"
        self.attempts.append(clock())
        task = asyncio.get_running_loop().create_task(self._open(path))
        task.add_done_callback(_drop_result)

    async def _open(self, path: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(
                loop.create_connection(
                    lambda: _Proto(self, path), self.host, self.port, local_addr=self.local_addr
                ),
                OPEN_TIMEOUT,
            )
        except (OSError, TimeoutError):
            self.failures += 1
            self._closed(None)

    def _closed(self, code: int | None) -> None:
        """The socket closed (or never opened): reconnect later, as live.js onclose."""
        self.proto = None
        if self._ping_timer:
            self._ping_timer.cancel()
            self._ping_timer = None
        if code is not None:
            self.close_codes.append(code)
        if self.stopped or code == CLOSE_LOCKED_OUT:
            return
        delay = backoff(self.retry)
        self.retry = min(self.retry + 1, 6)
        asyncio.get_running_loop().call_later(delay, self._connect)

    def stop(self) -> None:
        self.stopped = True
        if self._ping_timer:
            self._ping_timer.cancel()
        if self.proto and self.proto.transport:
            self.proto.transport.abort()

    # --- what the page does ----------------------------------------------------------------

    def _opened(self) -> None:
        self.opened.append(clock())
        self.awaiting = True
        loop = asyncio.get_running_loop()
        for delay in OPEN_PINGS:
            loop.call_later(delay, self._ping, False)
        # setInterval(sendPing, 10000) started at page load: a random phase per screen
        self._ping_timer = loop.call_later(random.random() * self.ping_every, self._ping, True)

    def _ping(self, again: bool) -> None:
        if self.proto:
            self.proto.send_text(b'{"type": "ping", "t": %.6f}' % time.time())
        if again and not self.stopped:
            loop = asyncio.get_running_loop()
            self._ping_timer = loop.call_later(self.ping_every, self._ping, True)

    def _message(self, head: bytes, whole: bytes | None, t: float) -> None:
        if self.keep and whole is not None:
            self.messages.append((t, whole))
        if m := PATCH.match(head):
            if self.awaiting:
                return
            if seq_of(m.group(1)) != self.seq:
                self.gaps += 1
                self.awaiting = True
                if self.proto:
                    self.proto.send_text(b'{"type": "snapshot"}')
                return
            if (
                self.track_lists
                and whole is not None
                and not self._hold(json.loads(whole), False, t)
            ):
                self.awaiting = True  # live.js: patchLists() failed -> requestSnapshot()
                if self.proto:
                    self.proto.send_text(b'{"type": "snapshot"}')
                return
            new = int(m.group(2))
            if new != self.seq:
                self.seq = new
                self.held_seqs.append(new)
                self.held_times.append(t)
        elif m := PONG.match(head):
            self.rtts.append(time.time() - float(m.group(1)))
        elif m := SNAPSHOT.match(head):
            if self.track_lists and whole is not None:
                self._hold(json.loads(whole), True, t)
            self.seq = seq_of(m.group(1))
            if e := re.search(rb'"epoch": "([^"]*)"', head):
                self.epoch = e.group(1)
            self.awaiting = False
            self.retry = 0
            self.snapshots.append(t)
            self.held_seqs.append(self.seq)
            self.held_times.append(t)
            if self.ready and not self.ready.done():
                self.ready.set_result(None)

    def first_hold(self, target: int, after: float = 0.0) -> float | None:
        """When this screen first held seq >= target (at or after `after`), or None."""
        for s, t in zip(self.held_seqs, self.held_times, strict=True):
            if s >= target and t >= after:
                return t
        return None

    def forget(self) -> None:
        """Drop what was recorded (keep the held seq)."""
        for a in (
            self.held_seqs,
            self.held_times,
            self.attempts,
            self.opened,
            self.snapshots,
            self.rtts,
        ):
            del a[:]
        self.failures = self.closes = self.gaps = self.list_errors = 0
        self.close_codes.clear()


def _drop_result(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


class _Proto(asyncio.Protocol):
    """One websocket connection: RFC 6455 client side, text frames, no extensions."""

    def __init__(self, client: ScreenClient, path: str) -> None:
        self.client = client
        self.path = path
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.received_bytes = 0  # everything read from the socket (queue_growth.py)
        self.payload_bytes = 0  # payloads of text/binary/continuation frames (messages)
        self.need = 0
        self.open = False
        self.close_code: int | None = None
        self.fragment_head = b""
        self.fragments: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        key = base64.b64encode(os.urandom(16))
        c = self.client
        self.transport.write(
            b"GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
            % (self.path.encode(), c.host.encode(), c.port, key)
        )

    def send_text(self, payload: bytes) -> None:
        if self.transport and not self.transport.is_closing():
            self.transport.write(frame(0x1, payload))

    def data_received(self, data: bytes) -> None:
        t = clock()  # once per read, before anything is parsed
        self.received_bytes += len(data)
        self.buf += data
        if not self.open:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buf[: self.buf.find(b"\r\n")]).split(b" ", 2)[1]
            del self.buf[: end + 4]
            if status != b"101":  # counted as a failure in connection_lost
                assert self.transport
                self.transport.close()
                return
            self.open = True
            self.client.proto = self
            self.client._opened()
        if len(self.buf) >= self.need:
            self._parse(t)

    def _parse(self, t: float) -> None:
        buf, pos, n = self.buf, 0, len(self.buf)
        self.need = 2
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length, h = b1 & 0x7F, 2
            if length == 126:
                if n - pos < 4:
                    break
                length, h = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if n - pos < 10:
                    break
                length, h = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if b1 & 0x80:
                h += 4  # a masked server frame would be a server bug; skip the key
            end = pos + h + length
            if end > n:
                self.need = end - pos
                break
            self._frame(b0 & 0x80, b0 & 0x0F, pos + h, end, t)
            pos = end
        del buf[:pos]

    def _frame(self, fin: int, opcode: int, start: int, end: int, t: float) -> None:
        buf, c = self.buf, self.client
        if opcode in (0x1, 0x2, 0x0):
            self.payload_bytes += end - start
            if opcode:
                self.fragment_head = bytes(buf[start : min(end, start + 256)])
            if c.whole:
                self.fragments.append(bytes(buf[start:end]))
            if fin:
                whole = b"".join(self.fragments) if c.whole else None
                self.fragments = []
                c._message(self.fragment_head, whole, t)
        elif opcode == 0x9:  # ping
            assert self.transport
            self.transport.write(frame(0xA, bytes(buf[start:end])))
        elif opcode == 0x8:  # close: echo it; the server then closes the TCP connection
            self.close_code = int.from_bytes(buf[start : start + 2], "big") if end > start else 1005
            if self.transport and not self.transport.is_closing():
                self.transport.write(frame(0x8, bytes(buf[start : start + 2])))

    def connection_lost(self, exc: Exception | None) -> None:
        c = self.client
        if self.open:
            c.closes += 1
            c._closed(self.close_code if self.close_code is not None else 1006)
        else:
            c.failures += 1
            c._closed(None)


# --- worker processes ---------------------------------------------------------------------


@dataclass
class ScreenSpec:
    side: str  # which server ("ours", "floor")
    host: str
    port: int
    path: str
    kind: str
    local_addr: tuple[str, int] | None = None


class Worker:
    """Runs in a worker process: holds screens, answers the coordinator's calls."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.screens: dict[str, list[ScreenClient]] = {}
        self.lags: list[float] = []

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        ticker = loop.create_task(self._tick())
        try:
            while True:
                name, args = await loop.run_in_executor(None, self.conn.recv)
                if name == "exit":
                    break
                try:
                    reply = await getattr(self, "do_" + name)(*args)
                except Exception as e:  # report, keep serving
                    reply = ("error", f"{type(e).__name__}: {e}")
                self.conn.send(reply)
        finally:
            ticker.cancel()
            for screens in self.screens.values():
                for s in screens:
                    s.stop()

    async def _tick(self) -> None:
        """Event-loop lag: how late a 50 ms sleep wakes up (this process' own backlog)."""
        while True:
            t = clock()
            await asyncio.sleep(0.05)
            self.lags.append(clock() - t - 0.05)

    async def do_connect(self, specs: list[ScreenSpec], batch: int) -> tuple[int, float]:
        """Open the screens `batch` at a time; each waits for its snapshot."""
        t = clock()
        for start in range(0, len(specs), batch):
            part = []
            for spec in specs[start : start + batch]:
                s = ScreenClient(spec.host, spec.port, spec.path, spec.kind, spec.local_addr)
                self.screens.setdefault(spec.side, []).append(s)
                part.append(asyncio.wait_for(s.start(), OPEN_TIMEOUT))
            await asyncio.gather(*part)
        return len(specs), clock() - t

    async def do_reset(self) -> None:
        for screens in self.screens.values():
            for s in screens:
                s.forget()
        self.lags.clear()

    async def do_lags(self) -> list[float]:
        lags, self.lags = self.lags, []
        return lags

    async def do_held(self, side: str, target: int) -> int:
        """How many screens of `side` do not hold seq >= target yet."""
        return sum(
            1 for s in self.screens.get(side, ()) if s.awaiting or s.seq is None or s.seq < target
        )

    async def do_latencies(
        self, side: str, changes: Sequence[tuple[float, int]]
    ) -> tuple[list[str], list[bytes], dict[str, int]]:
        """Per screen: its kind and, per change (t0, target seq), first hold - t0 (NaN: never)."""
        kinds, rows = [], []
        counts = {"gaps": 0, "closes": 0, "failures": 0}
        for s in self.screens.get(side, ()):
            kinds.append(s.kind)
            row = array("d")
            i, seqs, times = 0, s.held_seqs, s.held_times
            for t0, target in changes:  # changes in order: one forward walk
                while i < len(seqs) and seqs[i] < target:
                    i += 1
                row.append(times[i] - t0 if i < len(seqs) else float("nan"))
            rows.append(row.tobytes())
            counts["gaps"] += s.gaps
            counts["closes"] += s.closes
            counts["failures"] += s.failures
        return kinds, rows, counts

    async def do_storm(self, side: str, since: float, target: int) -> list[dict[str, Any]]:
        """Per screen, for the reconnect storm: its attempts, opens and snapshots since
        `since`, and when it first held seq >= target."""
        out = []
        for s in self.screens.get(side, ()):
            out.append(
                {
                    "attempts": [t for t in s.attempts if t >= since],
                    "opened": [t for t in s.opened if t >= since],
                    "snapshots": [t for t in s.snapshots if t >= since],
                    "hold": s.first_hold(target, since),
                    "failures": s.failures,
                    "closes": s.closes,
                    "codes": list(s.close_codes),
                }
            )
        return out


def worker_main(conn: Connection) -> None:
    raise_nofile()
    run(Worker(conn).serve())


class WorkerPool:
    """Worker processes, each holding a share of the screens."""

    def __init__(self, n: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conns: list[Connection] = []
        self.procs: list[multiprocessing.process.BaseProcess] = []
        for _ in range(n):
            here, there = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(there,), daemon=True)
            proc.start()
            self.conns.append(here)
            self.procs.append(proc)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p.pid is not None]

    async def call(self, name: str, args_of: Callable[[int], tuple[Any, ...]]) -> list[Any]:
        """Call `name` in every worker (args per worker index); their replies in order."""

        def one(i: int) -> Any:
            self.conns[i].send((name, args_of(i)))
            reply = self.conns[i].recv()
            if isinstance(reply, tuple) and reply and reply[0] == "error":
                raise RuntimeError(f"worker {i}: {reply[1]}")
            return reply

        return list(await asyncio.gather(*(asyncio.to_thread(one, i) for i in range(len(self)))))

    async def all(self, name: str, *args: Any) -> list[Any]:
        return await self.call(name, lambda _i: args)

    def __len__(self) -> int:
        return len(self.conns)

    def close(self) -> None:
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.send(("exit", ()))
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()


def split(items: Sequence[Any], n: int) -> list[list[Any]]:
    """Round-robin: every worker gets a like mix of kinds."""
    return [list(items[i::n]) for i in range(n)]


def parse_mix(text: str) -> dict[str, float]:
    """ "projector=70,mc=15,moderator=10,mic=5" -> weights; "mic" spreads over mic:1..4."""
    mix = {}
    for part in text.split(","):
        kind, _, weight = part.partition("=")
        mix[kind.strip()] = float(weight)
    return mix


def screen_kinds(n: int, mix: dict[str, float], mics: int = 4) -> list[str]:
    """n screen kinds in the given proportions (largest remainder), mics spread evenly."""
    total = sum(mix.values())
    exact = {k: n * w / total for k, w in mix.items()}
    counts = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[
        : n - sum(counts.values())
    ]:
        counts[k] += 1
    kinds: list[str] = []
    for k, c in counts.items():
        kinds += [f"mic:{i % mics + 1}" for i in range(c)] if k == "mic" else [k] * c
    random.Random(0).shuffle(kinds)
    return kinds


ROLE_OF_KIND = {"projector": "projector", "mc": "mc", "moderator": "moderator", "mic": "mic"}


def role_of(kind: str) -> str:
    return ROLE_OF_KIND[kind.partition(":")[0]]


def summary_ms(values: Iterable[float]) -> tuple[float, float, float]:
    """(p50, p99, max) in ms of the finite values (seconds in)."""
    finite = [v for v in values if v == v]
    return pct(finite, 0.5), pct(finite, 0.99), pct(finite, 1.0)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"nproc {os.cpu_count()}, {model}, {mem:.0f} GiB RAM, Python {sys.version.split()[0]}; "
        f"{code_version()}; {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}"
    )


def code_version() -> str:
    """The commit measured, and whether the app's files differ from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "live", "screens", "static"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "code: unknown (no git)"
    return f"code: commit {head}" + (
        " with uncommitted changes in live/ screens/ static/" if dirty else ""
    )


def nofile() -> int:
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
