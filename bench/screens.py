"""Many screens for a minute: a step change and a microphone assignment every second,
delivered by `live serve` and by a bare websockets broadcast floor in the same run.

Method. `live serve` runs on a fresh temporary SQLite file (the demo conference). N
screens of a mix of kinds (default 70 % projector, 15 % mc, 10 % moderator, 5 % mic
runners spread over mic:1..4) connect to it, and N to the floor server, from worker
processes (bench/loadlib.py: each screen is a minimal websocket client that behaves as
static/js/live.js: browser pings, seq check, reconnect policy). Every second, for
--seconds seconds, the coordinating process (which holds no screen) sends three commands,
a third of a second apart:

    step.goto  (alternating positions 4, the dialogue, and 5)       as the MC
    question.assign (one question, to mic 1, 2, 3, 4 in turn)       as a moderator
    question.requeue (the same question back to the top of the queue) as a moderator

so every second each screen receives a step change and a microphone assignment (and the
requeue that lets the cycle go on for as long as it runs). A command's t0 is taken just
before its POST; a screen's latency is when it first *holds* (the browser's rule: a
snapshot, or a patch whose prev is the seq it holds) a seq >= the seq the POST returned,
minus t0. It includes the HTTP request, the command's transaction, the render and the
fan-out. Commands go out on schedule whether or not every screen has the previous one,
but each POST is awaited: when the server answers more slowly than the schedule, the next
command waits, and the output reports the schedule slip and the rate achieved.

The floor (`--floor-server`): websockets.asyncio.server.serve and the synchronous
websockets broadcast() on uvloop, with our server's settings (no permessage-deflate,
10 s pings). Before the run, one capture screen of each kind records our server's real
snapshot and real patch for each of the 12 commands of a 4-second cycle; the floor sends
those same messages (only prev/seq changed, serialised once per kind with json.dumps as
our hub does) to the same number of screens of each kind, at the same rate, on a trigger
from the coordinator (t0 is taken just before the trigger). It answers the browser's
pings and snapshot requests as ours does.

The two servers are measured one after the other (ours for --seconds, then the floor),
with both sets of screens connected throughout; with --block B they take turns every B
seconds instead (ours, floor, floor, ours, ...; each block ends when every screen holds
its last command), so that load from other programs on the machine hits both alike.

Reported: p50/p99/max latency over every (screen, command) pair (nearest rank), by
command and by screen kind; screens that never held a
command's seq within 30 s after the last command (lost); resyncs (patches on a gap) and
reconnects; each server's RSS (psutil) before and after its screens connect and its peak
while loaded; each server's CPU; and the load generator's own CPU, CPU wait and event
loop lag per worker, to show whether it kept up; and the round trip of the browser's
clock ping on one more projector socket in the coordinator that pings every 100 ms (how
long the server's event loop kept every socket waiting). The last line is
machine-readable.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import signal
import sys
import tempfile
import time
from array import array
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# bench/ for the shared modules; the checkout itself before any installed copy of live
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import psutil
from fanout import free_port, serve_args, spawn, stop, wait_listening
from loadlib import (
    ScreenClient,
    ScreenSpec,
    WorkerPool,
    clock,
    cpu_ns,
    loadavg,
    machine,
    parse_mix,
    pct,
    raise_nofile,
    role_of,
    run,
    screen_kinds,
    split,
    summary_ms,
)
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, broadcast, serve

ROOT = Path(__file__).resolve().parent.parent
PER_SECOND = 3  # commands: step.goto, question.assign, question.requeue
CYCLE_SECONDS = 4  # mics 1..4; step positions alternate, so the cycle is 4 s
DRAIN = 30.0  # seconds to wait after the last command for every screen to hold it
DEFAULT_MIX = "projector=70,mc=15,moderator=10,mic=5"


def commands(qid: int) -> list[tuple[str, str, dict[str, Any]]]:
    """One cycle: (role, command, args) × 12. It leaves the state where it found it."""
    out = []
    for s in range(CYCLE_SECONDS):
        out.append(("mc", "step.goto", {"position": 4 if s % 2 == 0 else 5}))
        out.append(("moderator", "question.assign", {"id": qid, "mic": s % 4 + 1}))
        out.append(("moderator", "question.requeue", {"id": qid}))
    return out


# --- the floor server -----------------------------------------------------------------------


async def floor_server(port: int, messages: Path) -> None:
    captured = json.loads(messages.read_text())
    snapshots = {k: json.loads(v) for k, v in captured["snapshots"].items()}
    patches = [{k: json.loads(v) for k, v in p.items()} for p in captured["patches"]]
    screens: dict[str, set[ServerConnection]] = {k: set() for k in snapshots}
    state = {"seq": 0}

    def snapshot(kind: str) -> str:
        return json.dumps({**snapshots[kind], "seq": state["seq"]}, ensure_ascii=False)

    async def handler(ws: ServerConnection) -> None:
        assert ws.request is not None
        path = ws.request.path
        if path == "/control":
            async for trigger in ws:
                j, seq = map(int, str(trigger).split())
                prev, state["seq"] = state["seq"], seq
                for kind, subs in screens.items():
                    patch = patches[j][kind]
                    patch.update(prev=prev, seq=seq)
                    broadcast(subs, json.dumps(patch, ensure_ascii=False))
                await ws.send("ack")
            return
        kind = parse_qs(urlsplit(path).query)["screen"][0]
        subs = screens[kind]
        subs.add(ws)
        try:
            await ws.send(snapshot(kind))
            async for message in ws:  # what live/sockets.py answers, the same way
                data = json.loads(message)
                if data.get("type") == "ping":
                    pong = {"type": "pong", "t": data.get("t"), "server": time.time()}
                    await ws.send(json.dumps(pong, ensure_ascii=False))
                elif data.get("type") == "snapshot":
                    await ws.send(snapshot(kind))
        finally:
            subs.discard(ws)

    async with serve(
        handler,
        "127.0.0.1",
        port,
        ping_interval=10,
        ping_timeout=10,
        compression=None,
        max_size=64 * 1024,
        backlog=2048,
    ):
        await asyncio.Future()


# --- one server's minute ----------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    pid: int
    change: Callable[[int], Awaitable[int]]  # make command i, return the seq to hold
    rss: dict[str, float] = field(default_factory=dict)  # MiB: idle, connected, peak, end
    changes: list[tuple[float, int]] = field(default_factory=list)  # (t0, target)
    labels: list[str] = field(default_factory=list)
    replies: list[float] = field(default_factory=list)
    slips: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    matrix: list[array[float]] = field(default_factory=list)  # per screen, per command
    counts: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # shares of one core over the minute
    workers: list[dict[str, float]] = field(default_factory=list)
    probe: ScreenClient | None = None  # pings every 100 ms from the coordinator
    rtts: list[float] = field(default_factory=list)
    seconds: float = 0.0
    load: list[str] = field(default_factory=list)  # 1-minute load average at each block
    wall_ns: float = 0.0
    send_s: float = 0.0  # time spent sending the commands (per block: first to last + 1/rate)
    ns: dict[str, float] = field(default_factory=dict)
    worker_ns: dict[int, list[float]] = field(default_factory=dict)
    lags: dict[int, list[float]] = field(default_factory=dict)

    def rss_now(self) -> float:
        return psutil.Process(self.pid).memory_info().rss / 2**20


async def run_block(
    phase: Phase, pool: WorkerPool, first: int, count: int, labels: list[str]
) -> None:
    """Commands first .. first+count-1 at PER_SECOND a second, then wait until every
    screen holds the last one; add what was measured to `phase`."""
    await pool.all("reset")
    await pool.all("lags")
    assert phase.probe is not None
    del phase.probe.rtts[:]
    stop_sampling = asyncio.Event()

    async def sample_rss() -> None:
        peak = phase.rss_now()
        while not stop_sampling.is_set():
            peak = max(peak, phase.rss_now())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_sampling.wait(), 0.25)
        phase.rss["peak"] = max(peak, phase.rss_now(), phase.rss.get("peak", 0.0))

    sampler = asyncio.create_task(sample_rss())
    phase.load.append(loadavg().split()[0])
    server0, me0 = cpu_ns(phase.pid), cpu_ns(os.getpid())
    workers0 = [cpu_ns(pid) for pid in pool.pids]
    start = clock() + 0.2
    changes = []
    for i in range(first, first + count):
        slot = start + (i - first) / PER_SECOND
        if (delay := slot - clock()) > 0:
            await asyncio.sleep(delay)
        t0 = clock()
        phase.slips.append(max(0.0, t0 - slot))
        target = await phase.change(i)
        phase.replies.append(clock() - t0)
        changes.append((t0, target))
        phase.labels.append(labels[i % len(labels)])
    phase.changes += changes
    phase.send_s += changes[-1][0] - changes[0][0] + 1 / PER_SECOND
    last = changes[-1][1]
    deadline = clock() + DRAIN
    while clock() < deadline and sum(await pool.all("held", phase.name, last)):
        await asyncio.sleep(0.05)
    end = clock()
    phase.rtts += phase.probe.rtts
    stop_sampling.set()
    await sampler
    server1, me1 = cpu_ns(phase.pid), cpu_ns(os.getpid())
    workers1 = [cpu_ns(pid) for pid in pool.pids]
    phase.wall_ns += (end - start) * 1e9
    for key, (a, b) in {"server": (server0, server1), "coordinator": (me0, me1)}.items():
        phase.ns[key] = phase.ns.get(key, 0) + b[0] - a[0]
        phase.ns[key + " waited"] = phase.ns.get(key + " waited", 0) + b[1] - a[1]
    lags = await pool.all("lags")
    for w, (a, b, lag) in enumerate(zip(workers0, workers1, lags, strict=True)):
        acc = phase.worker_ns.setdefault(w, [0, 0])
        acc[0] += b[0] - a[0]
        acc[1] += b[1] - a[1]
        phase.lags.setdefault(w, []).extend(lag)
    replies = await pool.all("latencies", phase.name, changes)
    rows_of_block: list[array[float]] = []
    kinds_of_block: list[str] = []
    for kinds, rows, counts in replies:
        kinds_of_block += kinds
        for row in rows:
            a = array("d")
            a.frombytes(row)
            rows_of_block.append(a)
        for k, v in counts.items():
            phase.counts[k] = phase.counts.get(k, 0) + v
    if not phase.kinds:
        phase.kinds, phase.matrix = kinds_of_block, rows_of_block
    else:  # the same screens in the same order: extend each screen's row
        for row, more in zip(phase.matrix, rows_of_block, strict=True):
            row.extend(more)


def finish(phase: Phase) -> None:
    wall = phase.wall_ns
    phase.seconds = wall / 1e9
    phase.cpu = {key: ns / wall for key, ns in phase.ns.items()}
    for w, (run_ns, wait_ns) in sorted(phase.worker_ns.items()):
        lag = phase.lags[w]
        phase.workers.append(
            {
                "worker": w,
                "cpu": run_ns / wall,
                "waited": wait_ns / wall,
                "lag p99": pct(lag, 0.99),
                "lag max": pct(lag, 1.0),
            }
        )


# --- the run ------------------------------------------------------------------------------------


async def capture(
    port: int, keys: dict[str, str], kinds: list[str], cycle: list[Any], post: Any
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """One screen of each kind records our snapshot and our patch for each cycle command."""
    screens = {
        k: ScreenClient(
            "127.0.0.1", port, f"/ws/e/demo?screen={k}&key={keys[role_of(k)]}", k, keep=True
        )
        for k in kinds
    }
    await asyncio.wait_for(asyncio.gather(*(s.start() for s in screens.values())), 60)
    await asyncio.sleep(1.0)  # the presence update after they joined
    snapshots = {k: s.messages[0][1].decode() for k, s in screens.items()}
    patches = []
    for role, name, args in cycle:
        target = await post(role, name, args)
        deadline = clock() + 10
        while any(s.awaiting or s.seq is None or s.seq < target for s in screens.values()):
            if clock() > deadline:
                sys.exit(f"capture: no patch for {name} in 10 s")
            await asyncio.sleep(0.005)
        found = {}
        for k, s in screens.items():
            prefix = b'{"type": "patch", "prev": '
            for _t, raw in reversed(s.messages):
                if raw.startswith(prefix) and f'"seq": {target},'.encode() in raw[:100]:
                    found[k] = raw.decode()
                    break
            else:
                sys.exit(f"capture: {k} got no patch with seq {target}")
        patches.append(found)
    for s in screens.values():
        s.stop()
    return snapshots, patches


async def bench(args: argparse.Namespace) -> tuple[list[Phase], dict[str, Any]]:
    from live.app import prepare_database
    from live.auth import role_keys
    from live.settings import Settings

    n = args.clients
    kinds = screen_kinds(n, parse_mix(args.mix))
    distinct = sorted(set(kinds), key=kinds.index)
    info: dict[str, Any] = {"kinds": kinds, "load_start": loadavg()}
    async with contextlib.AsyncExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="live-bench-")))
        db_url = f"sqlite:///{tmp / 'live.db'}"
        env = {"LIVE_MEDIA_DIR": str(tmp / "media"), "LIVE_SECRET_KEY": "bench"}
        ports = (free_port(), free_port())
        proc = spawn(
            serve_args(ports[0], db_url),
            tmp / "ours.log",
            env,
        )
        stack.callback(stop, proc)
        await wait_listening(proc, ports[0], tmp / "ours.log")
        keys = role_keys(prepare_database(replace(Settings(), database_url=db_url)), "demo")
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports[0]}", timeout=60)
        )

        async def post(role: str, name: str, cargs: dict[str, Any]) -> int:
            r = await http.post(
                "/api/e/demo/commands",
                json={"command": name, "args": cargs},
                headers={"Authorization": f"Bearer {keys[role]}"},
            )
            if r.status_code != 200:
                sys.exit(f"{name} {cargs}: HTTP {r.status_code} {r.text}")
            return int(r.json()["seq"])

        await post("mc", "step.goto", {"position": 5})
        r = await http.post(
            "/api/e/demo/commands",
            json={
                "command": "question.add",
                "args": {"text": "Câu hỏi của bài đo tải: xin giải đáp.", "asker_name": "Bench"},
            },
            headers={"Authorization": f"Bearer {keys['moderator']}"},
        )
        qid = int(r.json()["result"]["id"])
        cycle = commands(qid)
        labels = [name for _role, name, _args in cycle]
        snapshots, patches = await capture(ports[0], keys, distinct, cycle, post)
        info["labels"] = labels
        info["sizes"] = {k: [len(p[k].encode()) for p in patches] for k in distinct}
        info["snapshot_sizes"] = {k: len(v.encode()) for k, v in snapshots.items()}
        messages = tmp / "messages.json"
        messages.write_text(json.dumps({"snapshots": snapshots, "patches": patches}))

        fproc = spawn(
            [__file__, "--floor-server", str(ports[1]), "--messages", str(messages)],
            tmp / "floor.log",
        )
        stack.callback(stop, fproc)
        await wait_listening(fproc, ports[1], tmp / "floor.log")
        control = await stack.enter_async_context(
            connect(f"ws://127.0.0.1:{ports[1]}/control", ping_interval=None)
        )

        async def ours_change(i: int) -> int:
            role, name, cargs = cycle[i % len(cycle)]
            return await post(role, name, cargs)

        async def floor_change(i: int) -> int:
            await control.send(f"{i % len(cycle)} {i + 1}")
            await control.recv()  # the ack: broadcast() has written to every socket
            return i + 1

        pool = WorkerPool(args.workers)
        stack.callback(pool.close)
        phases = {
            "ours": Phase("ours", proc.pid, ours_change),
            "floor": Phase("floor", fproc.pid, floor_change),
        }

        def path_of(name: str, k: str) -> str:
            if name == "ours":
                return f"/ws/e/demo?screen={k}&key={keys[role_of(k)]}"
            return f"/screen?screen={k}"

        for name, port in (("ours", ports[0]), ("floor", ports[1])):
            specs = [ScreenSpec(name, "127.0.0.1", port, path_of(name, k), k) for k in kinds]
            phase = phases[name]
            phase.rss["idle"] = phase.rss_now()
            t = clock()
            shares = split(specs, len(pool))
            await pool.call("connect", lambda w, shares=shares: (shares[w], 50))
            info[f"connect_{name}_s"] = clock() - t
            await asyncio.sleep(2.0)  # presence update, heap freeze
            probe = ScreenClient(
                "127.0.0.1",
                port,
                path_of(name, "projector"),
                "projector",
                ping_every=0.1,
            )
            await asyncio.wait_for(probe.start(), 60)
            phase.probe = probe
            stack.callback(probe.stop)
            phase.rss["connected"] = phase.rss_now()
        await asyncio.sleep(2.0)
        block = args.block or args.seconds
        total = args.seconds * PER_SECOND
        order = ["floor", "ours"] if args.floor_first else ["ours", "floor"]
        for first in range(0, total, block * PER_SECOND):
            for name in order:
                count = min(block * PER_SECOND, total - first)
                await run_block(phases[name], pool, first, count, labels)
                await asyncio.sleep(1.0)
            order.reverse()  # ours, floor, floor, ours, ...
        for phase in phases.values():
            finish(phase)
        info["load_end"] = loadavg()
        ours_log = (tmp / "ours.log").read_text(errors="replace")
        info["ours_log_errors"] = [
            line for line in ours_log.splitlines() if "Traceback" in line or "ERROR" in line
        ][:5]
        return [phases["ours"], phases["floor"]], info


def fmt(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.1f}"


def report(phases: list[Phase], info: dict[str, Any], args: argparse.Namespace) -> None:
    n = args.clients
    kinds = info["kinds"]
    order = ["projector", "mc", "moderator"]
    mix = {
        k: kinds.count(k)
        for k in sorted(set(kinds), key=lambda k: (order.index(k) if k in order else 9, k))
    }
    print(
        f"machine: {machine()}; load average at start {info['load_start']}, end {info['load_end']}"
    )
    print(
        f"screens per server: {n} ("
        + ", ".join(f"{k} {c}" for k, c in mix.items())
        + f"); generator: {args.workers} worker processes; {PER_SECOND} commands/s for "
        f"{args.seconds} s per server (step.goto 4↔5, question.assign mic 1→4, question.requeue)"
        + (
            f", in blocks of {args.block} s alternating ours, floor, floor, ours, …"
            if args.block and args.block < args.seconds
            else (", the floor after ours" if not args.floor_first else ", ours after the floor")
        )
    )
    print(
        f"connect: ours {info['connect_ours_s']:.1f} s, floor {info['connect_floor_s']:.1f} s "
        f"for {n} screens; snapshot bytes: "
        + ", ".join(f"{k} {v}" for k, v in info["snapshot_sizes"].items())
    )
    if info["ours_log_errors"]:
        print("ours logged errors: " + " | ".join(info["ours_log_errors"]))
    print()
    print(
        "| server | screens | commands | p50 ms | p99 ms | max ms | lost | resyncs | reconnects "
        "| server CPU, % of a core | server waited for a CPU, % | RSS MiB idle → connected → peak |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    allstats = {}
    for p in phases:
        values = [v for row in p.matrix for v in row]
        lost = sum(1 for v in values if v != v)
        allstats[p.name] = (*summary_ms(values), lost)
        p50, p99, mx, _ = allstats[p.name]
        print(
            f"| {p.name} | {n} | {len(p.changes)} | {fmt(p50)} | {fmt(p99)} | {fmt(mx)} | {lost} "
            f"| {p.counts['gaps']} | {p.counts['closes']} | {100 * p.cpu['server']:.0f} "
            f"| {100 * p.cpu['server waited']:.0f} "
            f"| {p.rss['idle']:.0f} → {p.rss['connected']:.0f} → {p.rss['peak']:.0f} |"
        )
    print()
    print("By command (bytes: one message of each kind × its screens, what one command sends):")
    print()
    print("| server | command | p50 ms | p99 ms | max ms | MB sent per command |")
    print("|---|---|---:|---:|---:|---:|")
    names = list(dict.fromkeys(phases[0].labels))
    cycle_len = len(info["sizes"][kinds[0]])
    for p in phases:
        for name in names:
            cols = [j for j, label in enumerate(p.labels) if label == name]
            values = [row[j] for row in p.matrix for j in cols]
            sent = sum(
                mix[k] * info["sizes"][k][j]
                for k in mix
                for j in range(cycle_len)
                if info["labels"][j] == name
            ) / sum(1 for j in range(cycle_len) if info["labels"][j] == name)
            p50, p99, mx = summary_ms(values)
            print(f"| {p.name} | {name} | {fmt(p50)} | {fmt(p99)} | {fmt(mx)} | {sent / 1e6:.2f} |")
    print()
    print("By screen kind (message bytes: mean of its 12 captured patches):")
    print()
    print("| server | kind | screens | message bytes | p50 ms | p99 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    groups: dict[str, list[str]] = {}  # the four mic runners' screens in one row
    for kind in mix:
        groups.setdefault("mic:1–4" if kind.startswith("mic:") else kind, []).append(kind)
    for p in phases:
        for label, members in groups.items():
            values = [
                v for k, row in zip(p.kinds, p.matrix, strict=True) if k in members for v in row
            ]
            p50, p99, mx = summary_ms(values)
            screens = sum(mix[k] for k in members)
            size = sum(mix[k] * sum(info["sizes"][k]) for k in members) / screens / cycle_len
            print(
                f"| {p.name} | {label} | {screens} | {size:.0f} | {fmt(p50)} | {fmt(p99)} "
                f"| {fmt(mx)} |"
            )
    print()
    print("Load generator and coordinator while each server was measured (shares of one core):")
    print()
    print(
        "| server measured | process | CPU % | waited for a CPU % | event-loop lag p99 ms | max ms |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for p in phases:
        for w in p.workers:
            print(
                f"| {p.name} | worker {w['worker']} | {100 * w['cpu']:.0f} | {100 * w['waited']:.0f} "
                f"| {fmt(w['lag p99'])} | {fmt(w['lag max'])} |"
            )
        print(
            f"| {p.name} | coordinator | {100 * p.cpu['coordinator']:.0f} "
            f"| {100 * p.cpu['coordinator waited']:.0f} | | |"
        )
    print()
    for p in phases:
        r = sorted(p.replies)
        rate = len(p.changes) / p.send_s if p.send_s > 0 else math.nan
        print(
            f"{p.name}: reply to the command (POST or trigger ack) median {1000 * r[len(r) // 2]:.1f} ms, "
            f"max {1000 * r[-1]:.1f} ms; schedule slip max {1000 * max(p.slips):.1f} ms "
            f"({rate:.2f} commands/s achieved); "
            f"measured over {p.seconds:.1f} s; 1-minute load average at each block's start "
            f"{' '.join(p.load)}"
        )
    for p in phases:
        r50, r99, rmx = summary_ms(p.rtts)
        print(
            f"{p.name}: server responsiveness, a probe socket's ping → pong every 100 ms: "
            f"p50 {r50:.1f} ms, p99 {r99:.1f} ms, max {rmx:.1f} ms ({len(p.rtts)} pongs)"
        )
    print()
    o, f = allstats["ours"], allstats["floor"]
    ratio = o[1] / f[1] if f[1] else math.nan
    peak = phases[0].rss["peak"]
    print(
        f"screens_load clients={n} commands={len(phases[0].changes)} "
        f"ours_p50_ms={o[0]:.1f} ours_p99_ms={o[1]:.1f} ours_max_ms={o[2]:.1f} ours_lost={o[3]} "
        f"floor_p50_ms={f[0]:.1f} floor_p99_ms={f[1]:.1f} floor_max_ms={f[2]:.1f} "
        f"floor_lost={f[3]} p99_ratio={ratio:.2f} ours_rss_peak_mib={peak:.0f} "
        f"floor_rss_peak_mib={phases[1].rss['peak']:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="screens per server")
    parser.add_argument("--seconds", type=int, default=60, help="per server")
    parser.add_argument("--workers", type=int, default=2, help="load generator processes")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"screen kinds (default {DEFAULT_MIX})")
    parser.add_argument("--floor-first", action="store_true", help="measure the floor first")
    parser.add_argument(
        "--block",
        type=int,
        default=0,
        help="alternate the servers every BLOCK seconds (default: one block of --seconds each)",
    )
    parser.add_argument("--floor-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--messages", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    limit = raise_nofile()
    if args.floor_server:
        run(floor_server(args.floor_server, args.messages))
        return
    need = 2 * args.clients // args.workers + 200
    if limit < need:
        sys.exit(f"RLIMIT_NOFILE hard limit {limit} < {need} needed per worker")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out: list[Any] = []

    async def go() -> None:
        out.extend(await bench(args))

    try:
        run(go())
    except KeyboardInterrupt:
        sys.exit("interrupted")
    report(out[0], out[1], args)


if __name__ == "__main__":
    main()
