"""Fan-out latency of `live serve` against a bare websockets broadcast floor.

Method. This process holds the websocket clients (asyncio on uvloop when installed); each
reads continuously and stamps every message with time.perf_counter() as soon as recv()
returns, before looking at its content. Two servers run as subprocesses on loopback, with
RLIMIT_NOFILE raised to the hard limit:

- ours: `python -m live.cli serve` on a fresh temporary SQLite file, N projector screens.
  A change is t0, then POST step.goto (alternating two positions, so the projector
  regions really change); a client's latency is the arrival of the first patch whose
  seq >= the seq the POST returned, minus t0. It includes the command's commit.
- floor: this file run as `--floor-server PORT`: websockets.asyncio.server.serve and the
  synchronous websockets broadcast(), on the event loop uvicorn uses (uvloop) with the
  same settings as ours (no permessage-deflate, 10 s pings), N clients too. It sends ours' real
  snapshot and, on each trigger from a control connection, broadcasts ours' captured
  patch with only prev/seq changed. t0 is taken just before the trigger is sent.

Both sides stay connected for the whole run, and their K measured changes are interleaved
(ours, floor, floor, ours, ...), so load from other programs on the machine hits both
alike. Each change waits until every client has it (at most 30 s; the rest count as
lost), then pauses 0.3 s; each side first makes one uncounted warm-up change. Server RSS
(psutil) is read before and after its clients connect. Also printed, as medians per
change: the reply time (HTTP response / ack of the trigger), first and last receipt,
and from t0 to the last receipt (from /proc/PID/task/*/schedstat) the server's CPU time
and how long the server and this process waited for a CPU: when other programs load the
machine, the latencies grow by about that wait.
The last line is `p99_ratio=<ours p99 / floor p99>`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import psutil
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
BATCH = 50  # connections opened at once
TIMEOUT = 30.0  # seconds a change may take to reach every client
PAUSE = 0.3  # seconds after each change
POSITIONS = (2, 5)  # agenda steps alternated by step.goto
PATCH = b'{"type": "patch"'
SEQ = re.compile(rb'"seq": (\d+)')


def raise_nofile() -> int:
    """Raise the soft open-files limit to the hard one; return it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def cpu_ns(pid: int) -> tuple[int, int]:
    """(ns run on a CPU, ns waited in the run queue) summed over a process' threads (Linux)."""
    run_ns = wait_ns = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread may end meanwhile
            on_cpu, waited, _slices = (task / "schedstat").read_text().split()
            run_ns, wait_ns = run_ns + int(on_cpu), wait_ns + int(waited)
    return run_ns, wait_ns


def run(coro: Coroutine[Any, Any, None]) -> None:
    try:
        import uvloop

        factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(coro)


async def floor_server(port: int, messages: Path) -> None:
    captured = json.loads(messages.read_text())
    snapshot, patch = captured["snapshot"], json.loads(captured["patch"])
    screens: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        if ws.request is not None and ws.request.path == "/control":
            async for trigger in ws:
                patch.update(prev=int(trigger) - 1, seq=int(trigger))
                broadcast(screens, json.dumps(patch, ensure_ascii=False))
                await ws.send("ack")
            return
        screens.add(ws)
        try:
            await ws.send(snapshot)
            await ws.wait_closed()
        finally:
            screens.discard(ws)

    async with serve(
        handler, "127.0.0.1", port, ping_interval=10, ping_timeout=10, compression=None
    ):
        await asyncio.Future()


@dataclass
class Client:
    ws: ClientConnection
    snapshot: bytes
    last_patch: bytes = b""
    last_seq: int = -1
    arrivals: list[tuple[int, float]] = field(default_factory=list)
    closed: bool = False

    async def read(self) -> None:
        try:
            while True:
                raw = await self.ws.recv(decode=False)
                t = time.perf_counter()  # stamped before the content is looked at
                if raw.startswith(PATCH) and (m := SEQ.search(raw, 0, 200)):
                    self.last_seq = int(m.group(1))
                    self.arrivals.append((self.last_seq, t))
                    self.last_patch = raw
        except ConnectionClosed:
            pass
        finally:
            self.closed = True


@dataclass
class Side:
    """One server, its clients and its measurements; change(i) returns the target seq."""

    name: str
    proc: subprocess.Popen[bytes]
    change: Callable[[int], Awaitable[int]]
    clients: list[Client] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    samples: list[float] = field(default_factory=list)  # seconds, one per client and change
    lost: int = 0
    medians: dict[str, list[float]] = field(default_factory=dict)
    rss: tuple[int, int] = (0, 0)  # before, after the clients connected

    async def connect(self, url: str, n: int) -> None:
        server = psutil.Process(self.proc.pid)
        before = server.memory_info().rss
        for start in range(0, n, BATCH):
            batch = (self._open(url) for _ in range(min(BATCH, n - start)))
            self.clients += await asyncio.gather(*batch)
        await asyncio.sleep(1.0)  # let presence updates and allocations settle
        self.rss = (before, server.memory_info().rss)

    async def _open(self, url: str) -> Client:
        ws = await connect(url, ping_interval=None, max_size=2**22, open_timeout=60)
        client = Client(ws, await ws.recv(decode=False))
        self.tasks.add(asyncio.create_task(client.read()))
        return client

    async def measure(self, i: int) -> None:
        """Make change i (0 is the uncounted warm-up) and wait until every client has it."""
        for c in self.clients:
            c.arrivals.clear()
        server0, bench0 = cpu_ns(self.proc.pid), cpu_ns(os.getpid())
        t0 = time.perf_counter()
        target = await self.change(i)
        reply = time.perf_counter() - t0
        while time.perf_counter() < t0 + TIMEOUT and not all(
            c.closed or c.last_seq >= target for c in self.clients
        ):
            await asyncio.sleep(0.002)
        server1, bench1 = cpu_ns(self.proc.pid), cpu_ns(os.getpid())
        got = [next((t for s, t in c.arrivals if s >= target), None) for c in self.clients]
        times = [t - t0 for t in got if t is not None]
        if i > 0:
            self.samples += times
            self.lost += len(got) - len(times)
            first, last = min(times, default=math.nan), max(times, default=math.nan)
            for key, value in {
                "reply": reply,
                "first": first,
                "last": last,
                "server CPU": (server1[0] - server0[0]) / 1e9,
                "server waited": (server1[1] - server0[1]) / 1e9,
                "bench waited": (bench1[1] - bench0[1]) / 1e9,
            }.items():
                self.medians.setdefault(key, []).append(value)
        await asyncio.sleep(PAUSE)

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for c in self.clients:
            c.ws.transport.abort()


def serve_args(port: int, db_url: str) -> list[str]:
    """Our server for a bench: `live serve` on 127.0.0.1 only, on a fresh database."""
    return ["-m", "live.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url]


def spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            preexec_fn=raise_nofile,
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.asynccontextmanager
async def our_server(
    tmp: Path,
) -> AsyncIterator[tuple[subprocess.Popen[bytes], int, Path, dict[str, str]]]:
    """Our server for a bench, serving the demo from a fresh SQLite file in `tmp`, up and
    listening: (process, port, database file, role keys). Stopped on the way out."""
    from live.app import prepare_database
    from live.auth import role_keys
    from live.settings import Settings

    db_file = tmp / "live.db"
    db_url = f"sqlite:///{db_file}"
    port = free_port()
    proc = spawn(
        serve_args(port, db_url),
        tmp / "ours.log",
        {"LIVE_MEDIA_DIR": str(tmp / "media"), "LIVE_SECRET_KEY": "bench"},
    )
    try:
        await wait_listening(proc, port, tmp / "ours.log")
        keys = role_keys(prepare_database(replace(Settings(), database_url=db_url)), "demo")
        yield proc, port, db_file, keys
    finally:
        stop(proc)


async def wait_listening(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server exited:\n{log.read_text()}")
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    sys.exit(f"server did not listen on {port} in 30 s")


def free_port(port: int = 0) -> int:
    """port if it is free (any free port for 0); exit if it is taken."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            sys.exit(f"port {port} on 127.0.0.1 is not free: {e}")
        return s.getsockname()[1]


async def bench(n: int, k: int, ports: tuple[int, int]) -> list[Side]:
    from live.app import prepare_database
    from live.auth import role_keys
    from live.settings import Settings

    async with contextlib.AsyncExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="live-bench-")))
        db_url = f"sqlite:///{tmp / 'live.db'}"
        env = {"LIVE_MEDIA_DIR": str(tmp / "media"), "LIVE_SECRET_KEY": "bench"}
        args = serve_args(ports[0], db_url)
        proc = spawn(args, tmp / "ours.log", env)
        stack.callback(stop, proc)
        await wait_listening(proc, ports[0], tmp / "ours.log")
        keys = role_keys(prepare_database(replace(Settings(), database_url=db_url)), "demo")
        http = await stack.enter_async_context(
            httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{ports[0]}",
                headers={"Authorization": f"Bearer {keys['mc']}"},
            )
        )

        async def goto(i: int) -> int:
            body = {"command": "step.goto", "args": {"position": POSITIONS[(i + 1) % 2]}}
            r = await http.post("/api/e/demo/commands", json=body)
            r.raise_for_status()
            return int(r.json()["seq"])

        ours = Side("ours", proc, goto)
        stack.callback(ours.close)
        query = f"screen=projector&key={keys['projector']}"
        await ours.connect(f"ws://127.0.0.1:{ports[0]}/ws/e/demo?{query}", n)
        await ours.measure(0)  # warm-up; its patch is what the floor replays
        sample = ours.clients[0]
        if not sample.last_patch:
            sys.exit("ours sent no patch: nothing to replay on the floor")
        messages = tmp / "messages.json"
        messages.write_text(
            json.dumps({"snapshot": sample.snapshot.decode(), "patch": sample.last_patch.decode()})
        )

        args = [__file__, "--floor-server", str(ports[1]), "--messages", str(messages)]
        proc = spawn(args, tmp / "floor.log")
        stack.callback(stop, proc)
        await wait_listening(proc, ports[1], tmp / "floor.log")
        control = await stack.enter_async_context(
            connect(f"ws://127.0.0.1:{ports[1]}/control", ping_interval=None)
        )

        async def trigger(i: int) -> int:
            await control.send(str(i + 1))
            await control.recv()  # the ack: the broadcast has been written
            return i + 1

        floor = Side("floor", proc, trigger)
        stack.callback(floor.close)
        await floor.connect(f"ws://127.0.0.1:{ports[1]}/screen", n)
        await floor.measure(0)

        gc.collect()
        gc.freeze()  # the clients' long-lived objects: out of the collector's way
        for i in range(1, k + 1):
            for side in (ours, floor) if i % 2 else (floor, ours):
                await side.measure(i)
        return [ours, floor]


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def report(sides: list[Side], n: int, k: int) -> None:
    for s in sides:
        reply = "POST → HTTP response" if s.name == "ours" else "trigger → ack read"
        med = {key: 1000 * statistics.median(v) for key, v in s.medians.items()}
        print(
            f"{s.name}: medians per change: reply ({reply}) {med['reply']:.1f} ms, "
            f"first client {med['first']:.1f} ms, last client {med['last']:.1f} ms; "
            f"server on CPU {med['server CPU']:.0f} ms, waiting for a CPU: "
            f"server {med['server waited']:.0f} ms, bench {med['bench waited']:.0f} ms"
        )
    print()
    print(
        "| server | clients | changes | p50 ms | p99 ms | max ms | lost "
        "| server RSS MiB after connect | RSS per connection KiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in sides:
        before, after = s.rss
        print(
            f"| {s.name} | {n} | {k} | {pct(s.samples, 0.5):.1f} | {pct(s.samples, 0.99):.1f} "
            f"| {pct(s.samples, 1.0):.1f} | {s.lost} | {after / 2**20:.1f} "
            f"| {(after - before) / n / 1024:.1f} |"
        )
    print()
    print(f"p99_ratio={pct(sides[0].samples, 0.99) / pct(sides[1].samples, 0.99):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--port-base", type=int, help="ours on this port, the floor on +1")
    parser.add_argument("--floor-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--messages", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    limit = raise_nofile()
    if args.floor_server:
        run(floor_server(args.floor_server, args.messages))
        return
    need = 2 * args.clients + 100  # both sides stay connected
    if limit < need:
        sys.exit(f"RLIMIT_NOFILE hard limit {limit} < {need} needed for {args.clients} clients")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: clean up as on Ctrl+C
    base = args.port_base
    ports = (free_port(base), free_port(base + 1)) if base else (free_port(), free_port())
    sides: list[Side] = []

    async def go() -> None:
        sides.extend(await bench(args.clients, args.changes, ports))

    try:
        run(go())
    except KeyboardInterrupt:
        sys.exit("interrupted")
    report(sides, args.clients, args.changes)


if __name__ == "__main__":
    main()
