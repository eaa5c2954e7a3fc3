"""A stalled socket and a vanished phone must not slow the other screens down, nor grow
the server without bound, and both must be let go of.

- The stalled socket is a raw client (the handshake done by hand, SO_RCVBUF 4 KiB) that
  reads its snapshot and then never reads again.
- The vanished phone is a mic runner's websocket client in a subprocess that is SIGSTOPped:
  the TCP connection stays up, but nothing answers pings any more.
- Meanwhile three moderator consoles and the MC measure command → patch latency: each
  command gives a question a new text of nearly the longest allowed, so every moderator
  patch carries that one item (~7 KB: lists are patched by key, live.keyed).

Two servers: one with LIVE_WS_PING_SECONDS=1, where uvicorn's keepalive lets go of both bad
clients within ~2 s (the stalled one gets 1011 behind its buffered data); one with pings
60 s apart, where only the hub's bounded queue (64) can drop the stalled socket: once the
kernel's buffers and 64 queued patches are full
(a few MB) after it stalled. The measurements are printed (pytest -s shows them). The last
tests guard bugs found on the way: a keyless page request blocked the event loop, a socket
dropped for a full queue could miss its 4001, and kept its queued messages.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import signal
import socket
import ssl
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.sync.client import connect as ws_connect

from live.hub import CLOSE_RESYNC, QUEUE_SIZE, Channel, Subscriber
from tests.conftest import Server

MODERATORS = 3  # the normal screens that measure latency (plus one MC, which counts screens)
BASELINE_COMMANDS = 30
LOADED_COMMANDS = 40  # at least; more until both bad clients are gone (at most MAX_COMMANDS)
MAX_COMMANDS = 1500
PHONE_DEADLINE = 6.0  # s from SIGSTOP until the server no longer counts the phone (ping 1 s)
RSS_LIMIT = 50 * 2**20


SERVE = [sys.executable, "-m", "live.cli", "serve", "--host", "127.0.0.1"]
TLS = ssl.create_default_context()  # made once: httpx would load the certificates per call


@dataclass
class PingServer(Server):
    """conftest's Server with LIVE_WS_PING_SECONDS set for its process only, so that two
    can start at once (each start waits ~1–5 s for the process to answer)."""

    ping_seconds: str = "10"

    def start(self) -> None:
        env = {
            **os.environ,
            "LIVE_MEDIA_DIR": str(self.media_dir),
            "LIVE_SECRET_KEY": "test-secret",
            "LIVE_WS_PING_SECONDS": self.ping_seconds,
        }
        self.log_path = self.db_path.with_suffix(".log")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [*SERVE, "--port", str(self.port), "--db", self.database_url],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()}")
            try:
                httpx.get(self.url + "/", timeout=0.5, verify=TLS)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("server did not start in 30 s")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, PingServer]]:
    """Two servers: pings every second (the vanished phone), and every 60 s (to watch the
    hub's own protection with the keepalive out of the way)."""
    made = {
        ping: PingServer(
            db_path=(tmp := tmp_path_factory.mktemp(f"ping{ping}")) / "live.db",
            media_dir=tmp / "media",
            ping_seconds=ping,
        )
        for ping in ("1", "60")
    }
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(PingServer.start, made.values()))
        yield made
    finally:
        for server in made.values():
            server.stop()


@pytest.fixture(scope="module")
def pinging_server(servers: dict[str, PingServer]) -> Server:
    return servers["1"]


# --- the stalled socket: a websocket by hand ------------------------------------------------


class StalledSocket:
    """A websocket client that reads its first message and then stops reading."""

    def __init__(self, server: Server, screen: str, key: str) -> None:
        self.sock = socket.socket()
        # Before connect, so the window the server sees is small from the start.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", server.port))
        handshake = (
            f"GET /ws/e/demo?screen={screen}&key={key} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(handshake.encode())
        self.sock.settimeout(10)
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0].split()[1] == b"101", head
        opcode, payload = self.read_frame()
        assert opcode == 1 and json.loads(payload)["type"] == "snapshot"
        self.received = 0  # bytes of messages read after the snapshot

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        return chunk

    def _need(self, n: int) -> None:
        while len(self.buffer) < n:
            self.buffer += self._recv()

    def read_frame(self) -> tuple[int, bytes]:
        """One frame from the server (never masked, never fragmented by this server)."""
        self._need(2)
        opcode, length, start = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
        if length == 126:
            self._need(4)
            length, start = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif length == 127:
            self._need(10)
            length, start = struct.unpack("!Q", self.buffer[2:10])[0], 10
        self._need(start + length)
        payload = self.buffer[start : start + length]
        self.buffer = self.buffer[start + length :]
        return opcode, payload

    def read_to_the_end(self, quiet: float) -> str:
        """Read again: everything still buffered, then how the server ended the socket —
        "close <code>", "eof", or "silent" when nothing came for `quiet` seconds."""
        self.sock.settimeout(quiet)
        try:
            while True:
                opcode, payload = self.read_frame()
                if opcode == 8:
                    return f"close {struct.unpack('!H', payload[:2])[0]}"
                self.received += len(payload)
        except EOFError:
            return "eof"
        except TimeoutError:
            return "silent"
        except ConnectionResetError:
            return "eof"

    def close(self) -> None:
        self.sock.close()


# --- the vanished phone: a real client in a process we can freeze ----------------------------

PHONE = """
import sys
from websockets.sync.client import connect
with connect(sys.argv[1], open_timeout=5, max_size=None) as ws:
    ws.recv(timeout=5)
    print("ready", flush=True)
    while True:
        ws.recv()
"""


def start_phone(server: Server, key: str) -> subprocess.Popen[bytes]:
    phone = subprocess.Popen(
        [sys.executable, "-c", PHONE, f"{server.ws_url}/ws/e/demo?screen=mic:1&key={key}"],
        stdout=subprocess.PIPE,
    )
    assert phone.stdout is not None
    assert phone.stdout.readline().strip() == b"ready"
    return phone


# --- the normal screens --------------------------------------------------------------------


@dataclass
class Screen:
    """A normal screen: reads everything at once, and remembers when each seq arrived and
    how the MC bar (MC screens) read when."""

    ws: ClientConnection
    seq: int = -1
    arrivals: list[tuple[int, float]] = field(default_factory=list)
    bars: list[tuple[float, str]] = field(default_factory=list)
    largest: int = 0  # the largest message, in bytes
    received: int = 0  # bytes of every snapshot and patch
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self) -> None:
        async for raw in self.ws:
            now = time.perf_counter()
            message = json.loads(raw)
            if message["type"] not in ("snapshot", "patch"):
                continue
            self.largest = max(self.largest, len(raw))
            self.received += len(raw)
            self.seq = message["seq"]
            self.arrivals.append((message["seq"], now))
            if "mc-bar" in message["regions"]:
                text = re.sub(r"<[^>]+>", " ", message["regions"]["mc-bar"])
                self.bars.append((now, " ".join(text.split())))
            self.changed.set()

    @property
    def bar(self) -> str:
        return self.bars[-1][1] if self.bars else ""

    async def until(self, done: Callable[[], bool], timeout: float = 10.0) -> None:
        async def wait() -> None:
            while not done():
                self.changed.clear()
                await self.changed.wait()

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"not within {timeout} s; seq {self.seq}, MC bar: {self.bar!r}, "
                f"socket: {self.ws.state.name} {self.ws.close_code} {self.ws.close_reason}"
            ) from None

    def arrival(self, seq: int) -> float:
        return next(t for s, t in self.arrivals if s >= seq)

    def count(self, what: str, bar: str | None = None) -> int:
        """A count on the MC bar: "màn hình" (all screens), "Điều phối", "Micro 1"."""
        bar = self.bar if bar is None else bar
        pattern = r"(\d+) màn hình" if what == "màn hình" else re.escape(what) + r": (\d+)"
        match = re.search(pattern, bar)
        return int(match.group(1)) if match else 0

    def first_time(self, since: float, what: str, n: int) -> float | None:
        """When the bar first showed `what` at `n` after `since`, or None."""
        return next((t for t, bar in self.bars if t >= since and self.count(what, bar) == n), None)


async def open_screen(server: Server, screen: str, key: str) -> tuple[Screen, asyncio.Task[None]]:
    ws = await connect(
        f"{server.ws_url}/ws/e/demo?screen={screen}&key={key}", max_size=None, open_timeout=10
    )
    s = Screen(ws)
    task = asyncio.create_task(s.read())
    await s.until(lambda: s.seq >= 0)
    return s, task


LONG = ("Đề nghị làm rõ chế độ bảo hiểm xã hội cho người lao động trong khu công nghiệp. " * 46)[
    :3950
]


async def edit_question(
    http: httpx.AsyncClient,
    screens: list[Screen],
    count: int,
    more: Callable[[], bool] = lambda: False,
    each: Callable[[], object] = lambda: None,
) -> list[float]:
    """Edit question 1's text `count` times (then while `more()`, up to MAX_COMMANDS in all),
    one command at a time, waiting for its patch on every screen; each command's latency on
    each screen, in seconds. `each` runs after every command."""
    latencies: list[float] = []
    i = 0
    while i < count or (more() and i < MAX_COMMANDS):
        text = f"{time.perf_counter()} {LONG}"  # a new text every time: the queue region changes
        t0 = time.perf_counter()
        r = await http.post(
            "/api/e/demo/commands",
            json={"command": "question.edit", "args": {"id": 1, "text": text}},
        )
        assert r.status_code == 200, r.text
        seq = r.json()["seq"]
        for s in screens:
            await s.until(lambda s=s, seq=seq: s.seq >= seq)
            latencies.append(s.arrival(seq) - t0)
        each()
        i += 1
    return latencies


def summary(latencies: list[float]) -> dict[str, float]:
    ms = sorted(x * 1000 for x in latencies)
    return {
        "n": len(ms),
        "p50": round(statistics.median(ms), 1),
        "p90": round(ms[int(len(ms) * 0.9) - 1], 1),
        "max": round(ms[-1], 1),
    }


def stop(phone: subprocess.Popen[bytes]) -> None:
    phone.kill()  # SIGKILL works on a stopped process too
    phone.wait(timeout=10)
    if phone.stdout:
        phone.stdout.close()


# --- the tests -----------------------------------------------------------------------------


def test_stalled_and_vanished_clients_do_not_slow_the_others(pinging_server: Server):
    server = pinging_server
    keys = server.keys()
    assert server.process is not None
    process = psutil.Process(server.process.pid)
    report: dict[str, Any] = {}

    async def scenario() -> None:
        opened = [await open_screen(server, "moderator", keys["moderator"]) for _ in range(3)]
        opened.append(await open_screen(server, "mc", keys["mc"]))
        screens = [s for s, _ in opened]  # all measure; the MC's patch is tiny (seq only)
        mc = screens[-1]
        await mc.until(lambda: mc.count("Điều phối") == MODERATORS)
        async with httpx.AsyncClient(
            base_url=server.url, headers={"Authorization": f"Bearer {keys['moderator']}"}
        ) as http:
            await edit_question(http, screens, 3)  # warm up
            baseline = await edit_question(http, screens, BASELINE_COMMANDS)

            rss_before = process.memory_info().rss
            rss = [rss_before]
            stalled = await asyncio.to_thread(StalledSocket, server, "moderator", keys["moderator"])
            phone = await asyncio.to_thread(start_phone, server, keys["mic"])
            try:
                await mc.until(
                    lambda: mc.count("Điều phối") == MODERATORS + 1 and mc.count("Micro 1") == 1
                )
                phone.send_signal(signal.SIGSTOP)
                stopped_at = time.perf_counter()
                loaded = await edit_question(
                    http,
                    screens,
                    LOADED_COMMANDS,
                    # until the hub has let go of both: the MC's "N màn hình" back down
                    more=lambda: mc.count("màn hình") > len(screens),
                    each=lambda: rss.append(process.memory_info().rss),
                )
                phone_gone = mc.first_time(stopped_at, "Micro 1", 0)
                stalled_gone = mc.first_time(stopped_at, "Điều phối", MODERATORS)
                how_it_ended = await asyncio.to_thread(stalled.read_to_the_end, 10.0)
            finally:
                stop(phone)
                stalled.close()
            report.update(
                latency_ms_baseline=summary(baseline),
                latency_ms_with_stalled_and_vanished=summary(loaded),
                commands_with_them=len(loaded) // len(screens),
                patch_kb=round(max(s.largest for s in screens) / 1024),
                phone_dropped_after_s=phone_gone and round(phone_gone - stopped_at, 2),
                stalled_let_go_after_s=stalled_gone and round(stalled_gone - stopped_at, 2),
                stalled_socket_ended_with=how_it_ended,
                stalled_socket_read_afterwards_mb=round(stalled.received / 2**20, 1),
                rss_growth_mb=round((max(rss) - rss_before) / 2**20, 1),
                screens=mc.bar.split("Trình chiếu")[-1].strip(),
            )
            # The normal screens are all still there and current.
            assert all(not task.done() for _, task in opened)
            last = (await http.get("/api/e/demo/state")).json()["seq"]
            for s in screens:
                await s.until(lambda s=s: s.seq >= last)
        for s, task in opened:
            task.cancel()
            await s.ws.close()

    asyncio.run(scenario())
    print(f"\nslow clients: {json.dumps(report, ensure_ascii=False, indent=1)}")
    base, loaded = report["latency_ms_baseline"], report["latency_ms_with_stalled_and_vanished"]
    assert loaded["p50"] <= 2 * base["p50"] + 50, report
    assert loaded["max"] <= 3 * base["max"] + 250, report
    assert report["phone_dropped_after_s"] is not None, report
    assert report["phone_dropped_after_s"] <= PHONE_DEADLINE, report
    assert report["stalled_let_go_after_s"] is not None, report
    assert report["rss_growth_mb"] < RSS_LIMIT / 2**20, report
    # Closed by the server: the hub's 4001, or uvicorn's keepalive (1011), or TCP.
    assert report["stalled_socket_ended_with"] in ("close 4001", "close 1011", "eof"), report


# --- a visitor without a key ----------------------------------------------------------------


def ping_times(server: Server, key: str, during: str, n: int = 15) -> float:
    """The median round trip (ms) of a screen's own ping (answered on the server's event
    loop) while two keyless clients request `during` over and over."""
    stop = threading.Event()

    def flood() -> None:
        with httpx.Client(base_url=server.url) as client:
            while not stop.is_set():
                assert client.get(during).status_code in (401, 403)

    floods = [threading.Thread(target=flood) for _ in range(2)]
    for t in floods:
        t.start()
    try:
        with ws_connect(f"{server.ws_url}/ws/e/demo?screen=mc&key={key}", max_size=None) as ws:
            ws.recv(timeout=10)
            time.sleep(0.3)
            times = []
            for i in range(n):
                t0 = time.perf_counter()
                ws.send(json.dumps({"type": "ping", "t": i}))
                while json.loads(ws.recv(timeout=10))["type"] != "pong":
                    pass
                times.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.02)
    finally:
        stop.set()
        for t in floods:
            t.join()
    return statistics.median(times)


def test_keyless_page_requests_do_not_hold_up_the_screens(pinging_server: Server):
    key = pinging_server.keys()["mc"]
    api = ping_times(pinging_server, key, "/api/e/demo/state")
    page = ping_times(pinging_server, key, "/e/demo/admin")
    print(f"\nscreen ping median with keyless floods: API {api:.1f} ms, page {page:.1f} ms")
    assert page <= 3 * api + 15


# --- the hub's own protection, with the keepalive out of the way ---------------------------


@dataclass
class Overflow:
    """A stalled socket on a server whose pings are 60 s apart: only the hub's bounded
    queue can let go of it."""

    stalled: StalledSocket
    commands: int  # sent after it stalled, until the hub dropped it
    pushed_mb: float  # what the server had for it meanwhile
    dropped_at: float | None  # perf_counter time the MC bar stopped counting it
    rss_growth_mb: float
    latency: dict[str, float]  # of the one normal moderator console


@pytest.fixture(scope="module")
def overflow(servers: dict[str, PingServer]) -> Iterator[Overflow]:
    server = servers["60"]
    keys = server.keys()
    assert server.process is not None
    process = psutil.Process(server.process.pid)

    async def scenario() -> Overflow:
        opened = [
            await open_screen(server, "moderator", keys["moderator"]),
            await open_screen(server, "mc", keys["mc"]),
        ]
        (moderator, _), (mc, _) = opened
        stalled = await asyncio.to_thread(StalledSocket, server, "moderator", keys["moderator"])
        await mc.until(lambda: mc.count("Điều phối") == 2)
        rss = [process.memory_info().rss]
        received = moderator.received
        async with httpx.AsyncClient(
            base_url=server.url, headers={"Authorization": f"Bearer {keys['moderator']}"}
        ) as http:
            latencies = await edit_question(
                http,
                [moderator],
                1,
                more=lambda: mc.count("Điều phối") > 1,
                each=lambda: rss.append(process.memory_info().rss),
            )
        for s, task in opened:
            task.cancel()
            await s.ws.close()
        return Overflow(
            stalled=stalled,
            commands=len(latencies),
            pushed_mb=round((moderator.received - received) / 2**20, 1),
            dropped_at=mc.first_time(0, "Điều phối", 1),
            rss_growth_mb=round((max(rss) - rss[0]) / 2**20, 1),
            latency=summary(latencies),
        )

    result = asyncio.run(scenario())
    print(f"\nqueue overflow: {result}")
    try:
        yield result
    finally:
        result.stalled.close()


def test_a_stalled_socket_is_dropped_when_its_queue_overflows(overflow: Overflow):
    # The kernel takes a few MB, then 64 queued messages: a few hundred patches of ~7 KB.
    assert overflow.dropped_at is not None, overflow
    assert overflow.commands < MAX_COMMANDS, overflow
    assert overflow.pushed_mb >= 1, overflow
    assert overflow.rss_growth_mb < RSS_LIMIT / 2**20, overflow


def test_what_a_dropped_stalled_socket_gets_when_it_reads_again(overflow: Overflow):
    """What was buffered for it, then the hub's 4001 — or, when its buffers did not drain
    within the 2 s the hub gives the close, nothing more (see the next test). Which of the
    two happens on loopback depends on the kernel's timing; printed, not asserted."""
    assert overflow.dropped_at is not None
    time.sleep(max(0.0, overflow.dropped_at + 3 - time.perf_counter()))  # past the hub's 2 s
    ended = overflow.stalled.read_to_the_end(quiet=3.0)
    print(f"\nthe dropped stalled socket, reading again: {ended}")
    assert ended in ("close 4001", "silent")
    assert overflow.stalled.received > 1 * 2**20  # it had been sent MBs before the drop


# --- the same, in memory: a peer whose buffers stay full past the hub's 2 s ------------------


class BlockedPeer:
    """A socket whose peer reads nothing until `reads_again` is set: every send and the
    close wait for it (as uvicorn's do while the transport is paused)."""

    def __init__(self) -> None:
        self.reads_again = asyncio.Event()
        self.closed_with: int | None = None

    async def send_text(self, data: str) -> None:
        await self.reads_again.wait()

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        await self.reads_again.wait()
        self.closed_with = code


async def drop_a_blocked_peer() -> tuple[Channel, Subscriber, BlockedPeer]:
    """A moderator console whose peer stopped reading, pushed patches until the hub drops
    it. Raises RuntimeError (not an AssertionError, which the checks below raise)
    if the hub never does."""
    seq, renders = [0], [0]

    def render(slug: str, kinds: Any, presence: Any) -> Any:
        renders[0] += 1
        return seq[0], "epoch", {kind: {"main": f"<p>{seq[0]}</p>"} for kind in kinds}

    channel = Channel("demo", render)
    peer = BlockedPeer()
    sub = Subscriber(peer, "moderator", "moderator")
    await channel.join(sub)
    for _ in range(QUEUE_SIZE * 4):
        if sub.dropped:
            return channel, sub, peer
        seq[0] += 1
        before = renders[0]
        channel.changed()
        while renders[0] == before:  # the publisher renders in a worker thread
            await asyncio.sleep(0.002)
        await asyncio.sleep(0)  # and then offers the patch
    raise RuntimeError("the hub never dropped a socket whose peer reads nothing")


def test_a_dropped_socket_is_closed_with_4001_even_when_its_peer_reads_again_after_2_s():
    async def scenario() -> int | None:
        channel, _, peer = await drop_a_blocked_peer()
        await asyncio.sleep(2.5)
        peer.reads_again.set()
        await asyncio.sleep(0.1)
        await channel.close()
        return peer.closed_with

    assert asyncio.run(scenario()) == CLOSE_RESYNC


def test_a_dropped_subscriber_lets_go_of_its_queued_messages():
    async def scenario() -> int:
        channel, sub, _ = await drop_a_blocked_peer()
        held = len(sub.pending or ())
        await channel.close()
        return held

    assert asyncio.run(scenario()) == 0
