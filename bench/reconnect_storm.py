"""Reconnect storm: N screens connected, the server killed with SIGKILL and restarted;
how long until every screen is back and holds the current seq.

Method. `live serve` runs on a temporary SQLite file (the demo conference) on a fixed
port. N screens (default 1,000, the mix of bench/screens.py) connect from worker
processes; each is a bench/loadlib.py client that behaves as static/js/live.js: on any
close it reconnects after 100 ms + random × min(5 s, 250 ms · 2^n) (n = failed tries so
far, capped at 6, reset by a snapshot), sends the seq it holds, and applies patches only on
top of the seq it holds. Each round:

1. a command (step.goto) is made and every screen is seen holding its seq;
2. t_kill: the server gets SIGKILL; as soon as it has died, the same command line is
   started again (same database, same port); t_listen: the port accepts connections
   again (polled every 5 ms);
3. at t_listen the MC makes a command (step.goto), so "the current seq" is one no screen
   held before the kill; its POST is answered while the storm is on;
4. the round ends when every screen holds that seq (at most --timeout seconds).

Reported per round: kill → listening (the server's start), then from t_listen: until
every screen has its snapshot again, until every screen holds the current seq, the
p50/p99/max of holding over screens, how much of it was the backoff alone (the wait from
t_listen to each screen's first try after it) and how much the server (from the try that
succeeded to its snapshot); connection attempts (and failed ones)
while the server was down and after; the server's CPU from t_listen until all hold.
The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

# bench/ for the shared modules; the checkout itself before any installed copy of live
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import psutil
from fanout import free_port, serve_args, spawn, stop
from loadlib import (
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
)

from screens import DEFAULT_MIX


async def listening(port: int, proc: Any, deadline: float) -> float:
    """Poll the port every 5 ms; the time it first accepts a connection."""
    while clock() < deadline:
        if proc.poll() is not None:
            sys.exit("the restarted server exited")
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            t = clock()
            writer.close()
            return t
        except OSError:
            await asyncio.sleep(0.005)
    sys.exit("the restarted server did not listen in time")


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    from live.app import prepare_database
    from live.auth import role_keys
    from live.settings import Settings

    n = args.clients
    kinds = screen_kinds(n, parse_mix(args.mix))
    out: dict[str, Any] = {"load_start": loadavg(), "kinds": kinds, "rounds": []}
    async with contextlib.AsyncExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="live-bench-")))
        db_url = f"sqlite:///{tmp / 'live.db'}"
        env = {"LIVE_MEDIA_DIR": str(tmp / "media"), "LIVE_SECRET_KEY": "bench"}
        port = free_port()
        cmd = serve_args(port, db_url)
        procs = [spawn(cmd, tmp / "ours-0.log", env)]
        stack.callback(lambda: stop(procs[-1]))
        await listening(port, procs[-1], clock() + 30)
        keys = role_keys(prepare_database(replace(Settings(), database_url=db_url)), "demo")
        http = await stack.enter_async_context(
            httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {keys['mc']}"},
                timeout=60,
            )
        )
        position = [4]

        async def goto() -> tuple[int, float]:
            position[0] = 9 - position[0]  # 4, 5, 4, ...
            t = clock()
            r = await http.post(
                "/api/e/demo/commands",
                json={"command": "step.goto", "args": {"position": position[0]}},
            )
            r.raise_for_status()
            return int(r.json()["seq"]), clock() - t

        pool = WorkerPool(args.workers)
        stack.callback(pool.close)
        specs = [
            ScreenSpec(
                "ours", "127.0.0.1", port, f"/ws/e/demo?screen={k}&key={keys[role_of(k)]}", k
            )
            for k in kinds
        ]
        shares = split(specs, len(pool))
        t = clock()
        await pool.call("connect", lambda w: (shares[w], 50))
        out["connect_s"] = clock() - t

        async def all_hold(target: int, deadline: float) -> float | None:
            while clock() < deadline:
                if not sum(await pool.all("held", "ours", target)):
                    return clock()
                await asyncio.sleep(0.01)
            return None

        for r in range(args.rounds):
            await asyncio.sleep(args.settle)
            before, _ = await goto()
            if await all_hold(before, clock() + 30) is None:
                sys.exit(
                    f"round {r + 1}: the screens did not all hold seq {before} before the kill"
                )
            await pool.all("reset")
            rss_before = psutil.Process(procs[-1].pid).memory_info().rss / 2**20
            load = loadavg()
            t_kill = clock()
            procs[-1].send_signal(signal.SIGKILL)
            procs[-1].wait()
            t_dead = clock()
            if args.down:
                await asyncio.sleep(args.down)
            procs.append(spawn(cmd, tmp / f"ours-{r + 1}.log", env))
            t_listen = await listening(port, procs[-1], clock() + 60)
            cpu0 = cpu_ns(procs[-1].pid)
            target, reply = await goto()
            t_all = await all_hold(target, t_listen + args.timeout)
            cpu1 = cpu_ns(procs[-1].pid)
            rows = [row for part in await pool.all("storm", "ours", t_kill, target) for row in part]
            out["rounds"].append(
                {
                    "t_kill": t_kill,
                    "t_dead": t_dead,
                    "t_listen": t_listen,
                    "t_all": t_all,
                    "target": target,
                    "reply": reply,
                    "rows": rows,
                    "cpu": cpu1[0] - cpu0[0],
                    "waited": cpu1[1] - cpu0[1],
                    "rss_before": rss_before,
                    "rss_after": psutil.Process(procs[-1].pid).memory_info().rss / 2**20,
                    "load": load,
                }
            )
        log = "\n".join(
            (tmp / f"ours-{i}.log").read_text(errors="replace") for i in range(len(procs))
        )
        out["log_errors"] = [x for x in log.splitlines() if "Traceback" in x or "ERROR" in x][:5]
        out["load_end"] = loadavg()
    return out


def ms(x: float | None) -> str:
    return "–" if x is None else f"{1000 * x:.0f}"


def report(out: dict[str, Any], args: argparse.Namespace) -> None:
    n = args.clients
    kinds = out["kinds"]
    mix = {k: kinds.count(k) for k in sorted(set(kinds))}
    print(f"machine: {machine()}; load average at start {out['load_start']}, end {out['load_end']}")
    print(
        f"{n} screens ("
        + ", ".join(f"{k} {c}" for k, c in mix.items())
        + f") from {args.workers} worker processes, connected in {out['connect_s']:.1f} s; "
        f"{args.rounds} rounds of SIGKILL + immediate restart"
        + (f" after {args.down:.1f} s down" if args.down else "")
    )
    if out["log_errors"]:
        print("server logged errors: " + " | ".join(out["log_errors"]))
    print()
    print(
        "| round | kill → listening ms | listening → all snapshots ms | listening → all hold "
        "current seq ms | hold p50 / p99 / max ms | backoff alone: max wait for a first try "
        "after listening ms | try → snapshot p50 / p99 / max ms "
        "| tries while down / after (failed) | POST at listening ms "
        "| server CPU ms (waited) | not holding |"
    )
    print("|---:|---:|---:|---:|---|---:|---|---|---:|---|---:|")
    worst = 0.0
    holds_all: list[float] = []
    missing_total = 0
    for i, r in enumerate(out["rounds"], 1):
        tl = r["t_listen"]
        rows = r["rows"]
        snaps = [min((t for t in x["snapshots"] if t >= tl), default=None) for x in rows]
        holds = [x["hold"] - tl if x["hold"] is not None else None for x in rows]
        missing = sum(1 for h in holds if h is None)
        missing_total += missing
        done = [h for h in holds if h is not None]
        holds_all += done
        first_try = [min((t for t in x["attempts"] if t >= tl), default=None) for x in rows]
        waits = [t - tl for t in first_try if t is not None]
        down = sum(1 for x in rows for t in x["attempts"] if t < tl)
        after = sum(1 for x in rows for t in x["attempts"] if t >= tl)
        failed_after = sum(
            1
            for x in rows
            for t in x["attempts"]
            if t >= tl and not any(o >= t for o in x["opened"])
        )
        all_snap = max((s - tl for s in snaps if s is not None), default=None)
        # the server's part: from the try that succeeded to its snapshot
        served = []
        for x, snap in zip(rows, snaps, strict=True):
            tries = [t for t in x["attempts"] if t <= snap] if snap is not None else []
            if tries:
                served.append(snap - max(tries))
        all_hold = r["t_all"] - tl if r["t_all"] is not None else None
        if all_hold is not None:
            worst = max(worst, r["t_all"] - r["t_kill"])
        print(
            f"| {i} | {ms(tl - r['t_kill'])} | {ms(all_snap)} | {ms(all_hold)} "
            f"| {pct(done, 0.5):.0f} / {pct(done, 0.99):.0f} / {pct(done, 1.0):.0f} "
            f"| {ms(max(waits, default=None))} "
            f"| {pct(served, 0.5):.0f} / {pct(served, 0.99):.0f} / {pct(served, 1.0):.0f} "
            f"| {down} / {after} ({failed_after}) "
            f"| {1000 * r['reply']:.0f} | {r['cpu'] / 1e6:.0f} ({r['waited'] / 1e6:.0f}) | {missing} |"
        )
    print()
    for i, r in enumerate(out["rounds"], 1):
        print(
            f"round {i}: load average before the kill {r['load']}; server RSS before the kill "
            f"{r['rss_before']:.0f} MiB, restarted server after the storm {r['rss_after']:.0f} MiB"
        )
    print()
    rounds = len(out["rounds"])
    print(
        f"reconnect_storm clients={n} rounds={rounds} not_holding={missing_total} "
        f"hold_p50_ms={pct(holds_all, 0.5):.0f} hold_p99_ms={pct(holds_all, 0.99):.0f} "
        f"hold_max_ms={pct(holds_all, 1.0):.0f} kill_to_all_hold_max_ms={1000 * worst:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mix", default=DEFAULT_MIX)
    parser.add_argument("--down", type=float, default=0.0, help="seconds before the restart")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before each kill")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per storm")
    args = parser.parse_args()
    if raise_nofile() < args.clients + 200:
        sys.exit("RLIMIT_NOFILE hard limit too low")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    result: dict[str, Any] = {}

    async def go() -> None:
        result.update(await bench(args))

    try:
        run(go())
    except KeyboardInterrupt:
        sys.exit("interrupted")
    report(result, args)


if __name__ == "__main__":
    main()
