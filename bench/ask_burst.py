"""Phones sending questions through the public form /e/demo/ask, all within a few seconds.

Method. `live serve` runs on a fresh temporary SQLite file (the demo conference). The
hall's screens that watch the floor are connected (default: 1 projector, 1 MC, 3
moderator consoles, 4 mic runners; bench/loadlib.py clients that behave as live.js).
Then --phones phones each, as a delegate does: GET /e/demo/ask (the page behind the QR
code; it sets the session cookie and carries the form's hidden fields), then POST the
form (asker_name, asker_unit, asker_position, text, and any hidden field such as a CSRF
token, sent back as a browser does) at a moment drawn uniformly in a --window second
window. Every phone has its own client address: its socket is bound to its own
127.x.y.z source address (Linux routes the whole 127/8 to loopback), so the form's rate
limit of 3 a minute per address sees 200 phones, as it would on the hall's Wi-Fi, and
is not worked around. Each question is worded differently (a concern drawn from twenty,
with its own particulars: bench/ask_burst.py question_text) and its asker's name carries
a unique marker.

Reported: HTTP statuses; POST response time (request sent → whole response read)
p50/p99/max; how many of the questions are in the database afterwards as pending phone
questions (sqlite, read directly); how many show on every moderator console (markers
found in an item of the console's mod-pending or mod-queue list as the screen holds it:
the snapshot's items with every patch's keyed-list operations applied, by the bench client
as static/js/live.js applies them, bench/loadlib.py apply_list_ops; from a server that
still sends those regions whole, their HTML) and how long from POST sent to the console showing
it; the server's CPU over the window; and the round trip of the browser's clock ping on one
more projector socket that pings every 100 ms (how long the server's event loop kept every
socket waiting). Then the floor: the same phones, the same window, against
bench/ask_floor.py (a bare Starlette form inserting into SQLite in one transaction), started
after ours in the same run; its POST p99 and ours / floor are reported. The last line is
machine-readable.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import random
import re
import signal
import sqlite3
import sys
import tempfile
import uuid
from dataclasses import dataclass, replace
from html import unescape
from pathlib import Path
from typing import Any

# bench/ for the shared modules; the checkout itself before any installed copy of live
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import psutil
from fanout import free_port, serve_args, spawn, stop, wait_listening
from loadlib import (
    ScreenClient,
    clock,
    cpu_ns,
    loadavg,
    machine,
    raise_nofile,
    role_of,
    run,
    summary_ms,
)

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
SENT = re.compile(r"Đã nhận câu hỏi số (\d+)")
FIRST_PHONE_ADDRESS = ipaddress.IPv4Address("127.1.0.1")
SCREENS = ["projector", "mc", "moderator", "moderator", "moderator"] + [
    f"mic:{i}" for i in range(1, 5)
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đinh", "Quách", "Xa", "Hà"]
MIDDLE = ["Thị", "Văn", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh"]
GIVEN = ["Hoa", "Bình", "Thu", "Cường", "Mai", "Tuấn", "Lan", "Hải", "Yến", "Sơn", "Hằng", "Dũng"]
POSITIONS = ["Công nhân", "Tổ trưởng sản xuất", "Chủ tịch công đoàn cơ sở", "Giáo viên", ""]
# What delegates ask about (DOMAIN.md): one concern per question, worded several ways, with
# its own particulars, so that only questions on the same concern look alike.
CONCERNS = [
    "tiền lương tối thiểu vùng chưa đủ sống, giá thuê trọ và điện nước tăng",
    "doanh nghiệp nợ đóng bảo hiểm xã hội nhiều tháng, người lao động không chốt được sổ",
    "thủ tục mua nhà ở xã hội còn phức tạp, điều kiện thu nhập khó chứng minh",
    "thiếu trường mầm non công lập gần khu công nghiệp, con công nhân phải gửi nhóm trẻ tư thục",
    "khám sức khỏe định kỳ chỉ làm qua loa, không phát hiện bệnh nghề nghiệp",
    "xưởng may nóng bức, thiếu quạt thông gió, nhiều chị em bị ngất khi tăng ca",
    "nhà văn hóa công nhân xuống cấp, không có chỗ sinh hoạt cuối tuần",
    "phụ cấp cán bộ công đoàn cơ sở không chuyên trách còn thấp",
    "xe đưa đón công nhân chở quá số người, đi đường đèo nguy hiểm",
    "tăng ca quá số giờ luật cho phép nhưng không trả đủ tiền làm thêm",
    "hợp đồng lao động ngắn hạn ký đi ký lại nhiều lần",
    "bữa ăn ca giá trị thấp, chất lượng không bảo đảm",
    "giáo viên hợp đồng ở vùng khó khăn chưa được hưởng phụ cấp thu hút",
    "lao động nữ sau sinh bị chuyển sang việc nặng hơn",
    "thẻ bảo hiểm y tế bị khóa vì công ty chưa nộp tiền",
    "thiếu thiết chế công đoàn: bếp ăn, khu vui chơi cho con công nhân",
    "người lao động lớn tuổi bị cho nghỉ việc trước khi đủ tuổi hưởng lương hưu",
    "trợ cấp thất nghiệp giải quyết chậm, phải đi lại nhiều lần",
    "nước sinh hoạt ở khu nhà trọ nhiễm bẩn, chủ trọ không xử lý",
    "đào tạo nghề cho lao động bị mất việc chưa gắn với nhu cầu doanh nghiệp",
]


def question_text(rng: random.Random, unit: str) -> str:
    """A question as a delegate types it: the concern, where, and since when."""
    return f"{rng.choice(CONCERNS).capitalize()} ({unit}, {rng.randrange(2, 14)} tháng nay)."


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


@dataclass
class Phone:
    i: int
    address: str
    marker: str
    name: str = ""
    unit: str = ""
    text: str = ""
    due: float = 0.0
    get_status: int = 0
    status: int = 0
    sent_at: float = 0.0
    seconds: float = 0.0
    number: int | None = None
    error: str = ""
    retried: bool = False  # sent again after its idle keep-alive connection was closed


LISTS = ("mod-pending", "mod-queue")  # where a console shows a question it has


class Console:
    """A moderator console: which markers an item of its mod-pending or mod-queue list
    shows, and since when. Its screen keeps those lists (track_lists) and calls `update`
    each time a snapshot or patch changed what it holds."""

    def __init__(self, screen: ScreenClient, marker_re: re.Pattern[str]) -> None:
        self.screen = screen
        self.marker_re = marker_re
        self.seen: dict[str, float] = {}  # marker -> when the console first showed it
        self.looked: dict[tuple[str, str], str] = {}  # (list, key) -> the HTML looked at
        screen.on_update = self.update

    def update(self, s: ScreenClient, t: float) -> None:
        """Look for markers in the items (or whole regions) that changed."""
        for region in LISTS:
            held = list(s.lists.get(region, {}).items())
            if region in s.regions:  # a server that sends the region whole
                held.append(("", s.regions[region]))
            for key, html in held:
                if self.looked.get((region, key)) is html:
                    continue
                self.looked[region, key] = html
                for marker in self.marker_re.findall(html):
                    self.seen.setdefault(marker, t)

    def pending_bytes(self) -> int:
        """The size of mod-pending as the console holds it (its items' HTML)."""
        s = self.screen
        if "mod-pending" in s.lists:
            return sum(len(html.encode()) for html in s.lists["mod-pending"].values())
        return len(s.regions.get("mod-pending", "").encode())


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    from live.app import prepare_database
    from live.auth import role_keys
    from live.settings import Settings

    run_id = uuid.uuid4().hex[:8]
    marker_re = re.compile(rf"\[{run_id}-\d+\]")
    rng = random.Random(args.seed)
    out: dict[str, Any] = {"load_start": loadavg()}
    async with contextlib.AsyncExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="live-bench-")))
        db_file = tmp / "live.db"
        db_url = f"sqlite:///{db_file}"
        env = {"LIVE_MEDIA_DIR": str(tmp / "media"), "LIVE_SECRET_KEY": "bench"}
        port = free_port()
        proc = spawn(
            serve_args(port, db_url),
            tmp / "ours.log",
            env,
        )
        stack.callback(stop, proc)
        await wait_listening(proc, port, tmp / "ours.log")
        keys = role_keys(prepare_database(replace(Settings(), database_url=db_url)), "demo")
        base = f"http://127.0.0.1:{port}"

        def count_pending() -> tuple[int, int]:
            with contextlib.closing(sqlite3.connect(db_file)) as db:
                row = db.execute(
                    "SELECT count(*), count(DISTINCT q.number) FROM question q "
                    "JOIN conference c ON c.id = q.conference_id "
                    "WHERE c.slug = 'demo' AND q.source = 'phone' AND q.status = 'pending' "
                    "AND q.asker_name LIKE ?",
                    (f"%[{run_id}-%",),
                ).fetchone()
            return int(row[0]), int(row[1])

        units: list[str] = []
        phones = []
        for i in range(args.phones):
            address = str(FIRST_PHONE_ADDRESS + i)
            phones.append(Phone(i, address, f"[{run_id}-{i}]"))
        # Made before the screens connect: a thousand clients take seconds to make, and the
        # screens would miss their pings meanwhile (closed 1011 by the keep-alive).
        clients = {}
        for p in phones:
            transport = httpx.AsyncHTTPTransport(local_address=p.address)
            clients[p.i] = await stack.enter_async_context(
                httpx.AsyncClient(base_url=base, transport=transport, timeout=60)
            )

        screens = []
        for kind in args.screens.split(","):
            path = f"/ws/e/demo?screen={kind}&key={keys[role_of(kind)]}"
            tracked = LISTS if kind.startswith("moderator") else False
            screens.append(ScreenClient("127.0.0.1", port, path, kind, track_lists=tracked))
        # a probe: one more projector socket pinging every 100 ms; its pong round trips show
        # how long the server's event loop kept everyone waiting
        probe = ScreenClient(
            "127.0.0.1",
            port,
            f"/ws/e/demo?screen=projector&key={keys['projector']}",
            "projector",
            ping_every=0.1,
        )
        await asyncio.wait_for(asyncio.gather(*(s.start() for s in [*screens, probe])), 60)
        consoles = [Console(s, marker_re) for s in screens if s.track_lists]
        for c in consoles:  # the snapshot came before the console listened
            c.update(c.screen, clock())

        # Each phone opens the form first (scanning the QR code), a few at a time.
        hidden: dict[int, dict[str, str]] = {}

        async def open_form(p: Phone) -> None:
            r = await clients[p.i].get("/e/demo/ask")
            p.get_status = r.status_code
            hidden[p.i] = {name: unescape(v) for name, v in HIDDEN.findall(r.text)}
            if not units:
                units.extend(unescape(u) for u in re.findall(r'<option value="([^"]*)">', r.text))

        for first in range(0, len(phones), 20):
            await asyncio.gather(*(open_form(p) for p in phones[first : first + 20]))
        units = units or ["LĐLĐ huyện Lương Sơn"]

        server = psutil.Process(proc.pid)
        await asyncio.sleep(1.0)
        out["rss_before"] = server.memory_info().rss / 2**20
        out["load_window"] = loadavg()
        server0, me0 = cpu_ns(proc.pid), cpu_ns(os.getpid())
        start = clock() + 0.5
        del probe.rtts[:]
        for p in phones:
            p.due = start + rng.uniform(0, args.window)
            p.unit = rng.choice(units)
            p.name = person(rng)
            p.text = question_text(rng, p.unit)

        async def submit(p: Phone) -> None:
            await asyncio.sleep(max(0.0, p.due - clock()))
            form = {
                **hidden[p.i],
                "asker_name": f"{p.name} {p.marker}",
                "asker_unit": p.unit,
                "asker_position": POSITIONS[p.i % len(POSITIONS)],
                "text": p.text,
            }
            p.sent_at = clock()
            try:
                try:
                    r = await clients[p.i].post("/e/demo/ask", data=form)
                except (httpx.ReadError, httpx.RemoteProtocolError):
                    # The form's connection, idle since the GET, was closed by the server's
                    # keep-alive timeout (5 s) as the POST went out on it. A browser sends
                    # such a request again on a new connection; so does this phone (counted).
                    p.retried = True
                    r = await clients[p.i].post("/e/demo/ask", data=form)
                p.seconds = clock() - p.sent_at
                p.status = r.status_code
                if m := SENT.search(r.text):
                    p.number = int(m.group(1))
                elif r.status_code == 200:
                    p.error = "no confirmation in the page"
            except httpx.HTTPError as e:
                p.seconds = clock() - p.sent_at
                p.error = f"{type(e).__name__}: {e}"

        await asyncio.gather(*(submit(p) for p in phones))
        posted = clock()
        # every console should show every question; wait for it (at most 30 s)
        deadline = posted + 30
        while clock() < deadline:
            if all(len(c.seen) >= args.phones for c in consoles):
                break
            await asyncio.sleep(0.05)
        end = clock()
        server1, me1 = cpu_ns(proc.pid), cpu_ns(os.getpid())
        wall = (posted - start) * 1e9
        out["server_cpu"] = (server1[0] - server0[0]) / wall
        out["server_waited"] = (server1[1] - server0[1]) / wall
        out["bench_cpu"] = (me1[0] - me0[0]) / wall
        out["window_actual"] = max(p.sent_at for p in phones) - min(p.sent_at for p in phones)
        out["all_shown_after_last_post"] = end - posted
        out["rss_after"] = server.memory_info().rss / 2**20
        out["in_db"], out["distinct_numbers"] = count_pending()
        out["phones"] = phones
        out["consoles"] = [
            {
                "shown": sum(1 for p in phones if p.marker in c.seen),
                "delays": [c.seen[p.marker] - p.sent_at for p in phones if p.marker in c.seen],
                "pending_bytes": c.pending_bytes(),
            }
            for c in consoles
        ]
        out["screens"] = args.screens
        out["rtts"] = list(probe.rtts)
        out["probe_closes"] = probe.closes
        probe.stop()
        out["gaps"] = sum(s.gaps for s in screens)
        out["list_errors"] = sum(s.list_errors for s in screens)
        out["closes"] = sum(s.closes for s in screens)
        out["close_codes"] = sorted({c for s in screens for c in s.close_codes})
        for s in screens:
            s.stop()
        log = (tmp / "ours.log").read_text(errors="replace")
        out["log_errors"] = [x for x in log.splitlines() if "Traceback" in x or "ERROR" in x][:5]
        out["floor"] = await floor_burst(args, tmp, rng)
        out["load_end"] = loadavg()
    return out


async def floor_burst(args: argparse.Namespace, tmp: Path, rng: random.Random) -> dict[str, Any]:
    """The same phones, the same window, against bench/ask_floor.py (a bare Starlette form
    inserting into SQLite), right after ours: the floor the POST times are compared with."""
    port = free_port()
    log = tmp / "floor.log"
    floor = Path(__file__).resolve().parent / "ask_floor.py"
    proc = spawn([str(floor), "--port", str(port), "--db", str(tmp / "floor.db")], log)
    try:
        await wait_listening(proc, port, log)
        async with contextlib.AsyncExitStack() as stack:
            clients = [
                await stack.enter_async_context(
                    httpx.AsyncClient(
                        base_url=f"http://127.0.0.1:{port}",
                        transport=httpx.AsyncHTTPTransport(
                            local_address=str(FIRST_PHONE_ADDRESS + i)
                        ),
                        timeout=60,
                    )
                )
                for i in range(args.phones)
            ]
            hidden = {}
            for start in range(0, args.phones, 20):
                pages = await asyncio.gather(
                    *(c.get("/e/demo/ask") for c in clients[start : start + 20])
                )
                for i, page in enumerate(pages, start=start):
                    hidden[i] = dict(HIDDEN.findall(page.text))
            await asyncio.sleep(1.0)
            begin = clock() + 0.5
            dues = [begin + rng.uniform(0, args.window) for _ in clients]
            seconds: list[float] = []
            statuses: dict[int, int] = {}

            async def submit(i: int) -> None:
                await asyncio.sleep(max(0.0, dues[i] - clock()))
                form = {
                    **hidden[i],
                    "asker_name": f"Phone {i}",
                    "asker_unit": "Sở Y tế",
                    "text": f"Câu hỏi {i}",
                }
                t0 = clock()
                try:
                    r = await clients[i].post("/e/demo/ask", data=form)
                except (httpx.ReadError, httpx.RemoteProtocolError):  # as our phones do
                    r = await clients[i].post("/e/demo/ask", data=form)
                seconds.append(clock() - t0)
                ok = r.status_code == 200 and SENT.search(r.text) is not None
                statuses[200 if ok else r.status_code] = (
                    statuses.get(200 if ok else r.status_code, 0) + 1
                )

            await asyncio.gather(*(submit(i) for i in range(args.phones)))
    finally:
        stop(proc)
    return {"seconds": seconds, "statuses": statuses}


def report(out: dict[str, Any], args: argparse.Namespace) -> None:
    phones: list[Phone] = out["phones"]
    statuses: dict[int, int] = {}
    for p in phones:
        statuses[p.status] = statuses.get(p.status, 0) + 1
    accepted = sum(1 for p in phones if p.status == 200 and p.number is not None)
    errors = [p.error for p in phones if p.error][:3]
    p50, p99, mx = summary_ms(p.seconds for p in phones)
    print(f"machine: {machine()}; load average at start {out['load_start']}, end {out['load_end']}")
    print(
        f"{args.phones} phones, each with its own source address "
        f"({FIRST_PHONE_ADDRESS}…{FIRST_PHONE_ADDRESS + args.phones - 1}), one question each, "
        f"POSTs drawn uniformly over {args.window:.0f} s (actual spread "
        f"{out['window_actual']:.1f} s); screens connected: {out['screens']}"
    )
    print(
        "HTTP statuses: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        + (f"; errors: {errors}" if errors else "")
        + f"; POSTs sent again on a new connection (keep-alive closed): "
        f"{sum(p.retried for p in out['phones'])}"
    )
    if out["log_errors"]:
        print("server logged errors: " + " | ".join(out["log_errors"]))
    print()
    print(
        "| phones | accepted (200 + number) | pending in the database | distinct numbers "
        "| lost | POST p50 ms | POST p99 ms | POST max ms | server CPU % of a core | server waited % "
        "| server RSS MiB before → after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    lost = args.phones - out["in_db"]
    print(
        f"| {args.phones} | {accepted} | {out['in_db']} | {out['distinct_numbers']} | {lost} "
        f"| {p50:.1f} | {p99:.1f} | {mx:.1f} | {100 * out['server_cpu']:.0f} "
        f"| {100 * out['server_waited']:.0f} | {out['rss_before']:.0f} → {out['rss_after']:.0f} |"
    )
    print()
    print(
        "| moderator console | questions shown | POST sent → shown p50 ms | p99 ms | max ms | mod-pending bytes at the end |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for i, c in enumerate(out["consoles"], 1):
        c50, c99, cmx = summary_ms(c["delays"])
        print(f"| {i} | {c['shown']} | {c50:.1f} | {c99:.1f} | {cmx:.1f} | {c['pending_bytes']} |")
    print()
    print(
        f"bench process CPU {100 * out['bench_cpu']:.0f} % of a core over the window; "
        f"screens resynced {out['gaps']} times, reconnected {out['closes']} times "
        f"(close codes {out['close_codes']}); patches whose list operations did not fit (then resynced too) "
        f"{out['list_errors']}; "
        f"every console complete {out['all_shown_after_last_post']:.1f} s after the last POST answer"
    )
    r50, r99, rmx = summary_ms(out["rtts"])
    print(
        f"server responsiveness: a probe socket's ping → pong round trip every 100 ms from the "
        f"first POST until every console was complete: p50 {r50:.1f} ms, p99 {r99:.1f} ms, "
        f"max {rmx:.1f} ms ({len(out['rtts'])} pongs; the probe reconnected {out['probe_closes']} times)"
    )
    f50, f99, fmx = summary_ms(out["floor"]["seconds"])
    print(
        f"floor (bench/ask_floor.py, the same phones right after ours): statuses "
        f"{out['floor']['statuses']}; POST p50 {f50:.1f} ms, p99 {f99:.1f} ms, max {fmx:.1f} ms; "
        f"ours / floor at p99: ×{p99 / f99:.2f}"
    )
    print()
    shown = min((c["shown"] for c in out["consoles"]), default=0)
    print(
        f"ask_burst phones={args.phones} accepted={accepted} in_db={out['in_db']} lost={lost} "
        f"shown_on_every_console={shown} post_p50_ms={p50:.1f} post_p99_ms={p99:.1f} "
        f"post_max_ms={mx:.1f} probe_rtt_max_ms={rmx:.1f} floor_post_p99_ms={f99:.1f} "
        f"post_p99_ratio={p99 / f99:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--window", type=float, default=10.0, help="seconds")
    parser.add_argument("--screens", default=",".join(SCREENS), help="screens connected")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.phones > 65000:
        sys.exit("at most 65,000 phones (source addresses 127.1.0.1 on)")
    raise_nofile()
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
