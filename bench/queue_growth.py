"""Does a command cost more as the queue grows? Server CPU per `question.add`, with the demo's
40 queued questions and again after `question.import` of 360 more (distinct texts).

Method. `live serve` on a fresh temporary SQLite file (the demo conference), on 127.0.0.1,
with the floor's screens connected (1 projector, 1 MC, 3 moderator consoles: loadlib
clients that behave as live.js). Then, at each queue size, --adds `question.add` commands
(distinct texts) sent one after another over HTTP; each waits until every screen holds its
seq, so the push is part of what is measured. Measured: the server's CPU time (all
threads, /proc schedstat) from the first POST until the last screen holds the last seq,
divided by the commands; the POST time; the bytes one moderator console received per
command. The ratio of the large queue's CPU per command to the small one's is the figure
(target ≤ 1.2). Both sizes run in the same server, one after the other, so the machine's
load hits both alike. Last line: `queue_growth key=value …`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from fanout import cpu_ns, our_server
from loadlib import ScreenClient, loadavg, machine, median, role_of

SCREENS = ["projector", "mc", "moderator", "moderator", "moderator"]
CONCERNS = [
    "lương tối thiểu vùng",
    "nhà ở xã hội cho công nhân",
    "bảo hiểm xã hội một lần",
    "trường mầm non gần khu công nghiệp",
    "tiền lương làm thêm giờ",
    "an toàn vệ sinh lao động",
    "khám sức khỏe định kỳ",
    "xe đưa đón công nhân",
    "thiết chế công đoàn",
    "đào tạo nghề cho lao động nữ",
]


def text(n: int, tag: str) -> str:
    """A question no other one looks like much: its own place, company and number."""
    concern = CONCERNS[n % len(CONCERNS)]
    return (
        f"Kiến nghị số {tag}-{n} về {concern} tại xã {n * 7 % 97} của công ty {n * 13 % 89} "
        f"trong năm {2020 + n % 5}, tổ {n}"
    )


async def measure(
    base: str, mod_key: str, screens: list[ScreenClient], pid: int, adds: int, tag: str
) -> dict[str, float]:
    console = next(s for s in screens if s.kind == "moderator")
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {mod_key}"}
    ) as http:
        received_before = console.proto.received_bytes if console.proto else 0
        cpu0, _ = cpu_ns(pid)
        posts = []
        for n in range(adds):
            t0 = time.perf_counter()
            r = await http.post(
                "/api/e/demo/commands",
                json={
                    "command": "question.add",
                    "args": {"text": text(n, tag), "asker_name": f"{tag}{n}"},
                },
            )
            posts.append(time.perf_counter() - t0)
            r.raise_for_status()
            seq = r.json()["seq"]
            deadline = time.monotonic() + 30
            while any((s.seq or 0) < seq for s in screens) and time.monotonic() < deadline:
                await asyncio.sleep(0.002)
        cpu1, _ = cpu_ns(pid)
        received = (console.proto.received_bytes if console.proto else 0) - received_before
    return {
        "cpu_ms": (cpu1 - cpu0) / 1e6 / adds,
        "post_ms": median(posts) * 1000,
        "console_bytes": received / adds,
    }


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"load_start": loadavg()}
    with tempfile.TemporaryDirectory(prefix="live-bench-") as tmp_name:
        tmp = Path(tmp_name)
        async with our_server(tmp) as (proc, port, _db_file, keys):
            base = f"http://127.0.0.1:{port}"
            screens = [
                ScreenClient("127.0.0.1", port, f"/ws/e/demo?screen={k}&key={keys[role_of(k)]}", k)
                for k in SCREENS
            ]
            await asyncio.gather(*(s.start() for s in screens))
            async with httpx.AsyncClient(base_url=base) as http:
                await http.post(  # the dialogue step: the floor's regions are on show
                    "/api/e/demo/commands",
                    json={"command": "step.goto", "args": {"position": 4}},
                    headers={"Authorization": f"Bearer {keys['mc']}"},
                )
            await asyncio.sleep(1)
            out["small"] = await measure(base, keys["moderator"], screens, proc.pid, args.adds, "a")
            rows = [{"text": text(n, "i"), "asker_name": f"i{n}"} for n in range(args.extra)]
            async with httpx.AsyncClient(base_url=base, timeout=120) as http:
                r = await http.post(
                    "/api/e/demo/commands",
                    json={"command": "question.import", "args": {"rows": rows}},
                    headers={"Authorization": f"Bearer {keys['moderator']}"},
                )
                r.raise_for_status()
            await asyncio.sleep(2)
            out["large"] = await measure(base, keys["moderator"], screens, proc.pid, args.adds, "b")
            for s in screens:
                s.stop()
    out["load_end"] = loadavg()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=30, help="question.add per queue size")
    parser.add_argument("--extra", type=int, default=360, help="questions imported between")
    args = parser.parse_args()
    out = asyncio.run(bench(args))
    small, large = out["small"], out["large"]
    print(f"machine: {machine()}; load average at start {out['load_start']}, end {out['load_end']}")
    print(f"screens: {', '.join(SCREENS)}; {args.adds} question.add at each queue size")
    print(
        "\n| queue | server CPU ms per question.add (push included) | POST p50 ms | bytes per moderator console per add |"
    )
    print("|---|---:|---:|---:|")
    for name, size in (("small", 40 + args.adds), ("large", 40 + args.adds * 2 + args.extra)):
        m = out[name]
        print(f"| ~{size} | {m['cpu_ms']:.1f} | {m['post_ms']:.1f} | {m['console_bytes']:,.0f} |")
    ratio = large["cpu_ms"] / small["cpu_ms"]
    print(
        f"\nqueue_growth adds={args.adds} extra={args.extra} small_cpu_ms={small['cpu_ms']:.1f} "
        f"large_cpu_ms={large['cpu_ms']:.1f} cpu_ratio={ratio:.2f} "
        f"small_console_bytes={small['console_bytes']:.0f} large_console_bytes={large['console_bytes']:.0f}"
    )


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
