"""What one screen's socket receives per change: bytes per command on a moderator console and
a check-in desk, with the demo's lists and again with large ones.

Method. `live serve` on a fresh temporary SQLite file (the demo conference: 40 queued
questions, 250 delegates), on 127.0.0.1, with two screens connected: one moderator console
and one check-in desk (bench/loadlib.py clients that behave as live.js, keeping the list
regions' items as the page does: snapshot, then every patch's keyed-list operations). The
floor is at the dialogue step (step.goto 4, as bench/queue_growth.py). At each size, in
order, --count commands of each kind, one after another over HTTP with the role's key;
each waits until both screens hold the seq it returned:

- question.add (moderator key), distinct texts;
- question.move to the top (moderator), each time one of the questions just added;
- a phone question through the public form /e/demo/ask (GET the form, POST it; each from
  its own 127.3.x.y source address, the form allowing 3 a minute per address), then
  question.approve of it (moderator);
- delegate.checkin (check-in key, desk 1) of a delegate not yet checked in.

The bytes of a command are the websocket message payloads (frame headers not counted) the
screen received from the POST until it held the seq; the screens send no clock pings while
measured, so nothing else arrives. Averaged over the commands. The large size comes after
`question.import` of --extra-questions distinct questions and the import of
--extra-delegates delegates through POST /api/e/demo/delegates/import (a CSV file, admin key;
distinct names, units from the demo's list) — as many as the server's cap on delegates
leaves room for, which is said when it is fewer. Then the first load of a moderator console
with that queue: the HTML of GET /e/demo/moderator (opened with ?key=, as a role link) and
the snapshot its socket receives. At the end of each size each screen's lists are compared
with those of a fresh snapshot. Last line: `patch_bytes key=value …`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from fanout import our_server
from loadlib import ScreenClient, loadavg, machine
from queue_growth import text

TARGET_ADD = 4000  # bytes per question.add on a moderator console, at both sizes
TARGET_CHECKIN = 2000  # bytes per delegate.checkin on a check-in desk, at both sizes
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
SENT = re.compile(r"Đã nhận câu hỏi số (\d+)")
FIRST_PHONE = ipaddress.IPv4Address("127.3.0.1")
QUIET = 1e9  # the screens' clock ping interval: none while measuring
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đinh", "Quách", "Xa", "Hà", "Lò", "Vũ"]
MIDDLE = ["Thị", "Văn", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh", "Hữu", "Kim"]
GIVEN = ["Hoa", "Bình", "Thu", "Cường", "Mai", "Tuấn", "Lan", "Hải", "Yến", "Sơn", "Hằng", "Dũng"]
POSITIONS = ["Công nhân", "Tổ trưởng", "Chủ tịch công đoàn cơ sở", "Giáo viên", "Kế toán", ""]
GENDERS = {"Thị": "Nữ", "Thu": "Nữ", "Ngọc": "Nữ", "Kim": "Nữ"}


@dataclass
class Row:
    """Bytes per command of one kind at one size."""

    command: str
    screen: str  # whose bytes are the figure
    count: int = 0
    mod_bytes: float = 0.0  # per command, moderator console
    checkin_bytes: float = 0.0  # per command, check-in desk
    mod_messages: float = 0.0
    checkin_messages: float = 0.0
    timeouts: int = 0
    # on the figure's screen, bytes per command by part of the message: "regions.<id>" and
    # "lists.<id>" (the JSON of its value), "rest" (type, prev, seq, the punctuation)
    parts: dict[str, float] = field(default_factory=dict)
    ops: dict[str, float] = field(default_factory=dict)  # "<list> <op>" -> per command


def parts_of(raw: bytes) -> tuple[dict[str, int], dict[str, int]]:
    """The bytes of each region's HTML and each list's operations in one message; and how
    many operations of each kind each list got."""
    msg = json.loads(raw)
    out: dict[str, int] = {}
    ops: dict[str, int] = {}
    for member in ("regions", "lists"):
        for rid, value in (msg.get(member) or {}).items():
            out[f"{member}.{rid}"] = len(json.dumps(value, ensure_ascii=False).encode())
    out["rest"] = len(raw) - sum(out.values())
    if msg.get("type") == "patch":
        for rid, list_ops in (msg.get("lists") or {}).items():
            for op in list_ops:
                ops[f"{rid} {op[0]}"] = ops.get(f"{rid} {op[0]}", 0) + 1
    return out, ops


class Hall:
    """The server, its keys, the two screens and the database file read directly."""

    def __init__(self, port: int, db_file: Path, keys: dict[str, str]) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.db_file = db_file
        self.keys = keys
        self.mod = self.screen("moderator")
        self.checkin = self.screen("checkin")
        self.phone = 0  # phones used (source addresses)

    def screen(self, kind: str) -> ScreenClient:
        return ScreenClient(
            "127.0.0.1",
            self.port,
            f"/ws/e/demo?screen={kind}&key={self.keys[kind]}",
            kind,
            keep=True,
            track_lists=True,
            ping_every=QUIET,
        )

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(self.db_file)) as db:
            return list(
                db.execute(
                    query.replace("DEMO", "(SELECT id FROM conference WHERE slug = 'demo')"),
                    params,
                )
            )

    async def command(self, role: str, name: str, args: dict[str, Any]) -> int:
        async with httpx.AsyncClient(base_url=self.base, timeout=120) as http:
            r = await http.post(
                "/api/e/demo/commands",
                json={"command": name, "args": args},
                headers={"Authorization": f"Bearer {self.keys[role]}"},
            )
        if r.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {r.status_code} {r.text[:300]}")
        return int(r.json()["seq"])

    async def state_seq(self) -> int:
        async with httpx.AsyncClient(base_url=self.base) as http:
            r = await http.get(
                "/api/e/demo/state", headers={"Authorization": f"Bearer {self.keys['moderator']}"}
            )
            r.raise_for_status()
            return int(r.json()["seq"])

    async def phone_question(self, marker: str) -> int:
        """A delegate's question through the public form, from its own address; the seq."""
        address = str(FIRST_PHONE + self.phone)
        self.phone += 1
        transport = httpx.AsyncHTTPTransport(local_address=address)
        async with httpx.AsyncClient(base_url=self.base, transport=transport, timeout=60) as http:
            page = await http.get("/e/demo/ask")
            form = {name: unescape(v) for name, v in HIDDEN.findall(page.text)}
            form |= {
                "asker_name": f"Đại biểu {marker}",
                "asker_unit": "Công đoàn ngành Y tế",
                "asker_position": "Công nhân",
                "text": text(self.phone, f"p{marker}"),
            }
            r = await http.post("/e/demo/ask", data=form)
        if r.status_code != 200 or not SENT.search(r.text):
            raise RuntimeError(f"the ask form refused: HTTP {r.status_code}")
        return await self.state_seq()

    async def held(self, seq: int) -> bool:
        """Wait (at most 30 s) until both screens hold seq."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(not s.awaiting and (s.seq or 0) >= seq for s in (self.mod, self.checkin)):
                return True
            await asyncio.sleep(0.002)
        return False

    async def measure(self, row: Row, *changes: Any) -> Row:
        """Each change: a coroutine function returning the seq; its bytes on both screens."""
        totals = {"moderator": [0, 0], "checkin": [0, 0]}
        for change in changes:
            before = {s.kind: len(s.messages) for s in (self.mod, self.checkin)}
            seq = await change()
            if not await self.held(seq):
                row.timeouts += 1
            for s in (self.mod, self.checkin):
                got = s.messages[before[s.kind] :]
                totals[s.kind][0] += sum(len(m) for _, m in got)
                totals[s.kind][1] += len(got)
                if s.kind == row.screen:
                    for _, m in got:
                        sizes, ops = parts_of(m)
                        for part, size in sizes.items():
                            row.parts[part] = row.parts.get(part, 0) + size
                        for op, k in ops.items():
                            row.ops[op] = row.ops.get(op, 0) + k
            row.count += 1
        n = max(row.count, 1)
        row.parts = {k: v / n for k, v in row.parts.items()}
        row.ops = {k: v / n for k, v in row.ops.items()}
        row.mod_bytes, row.mod_messages = totals["moderator"][0] / n, totals["moderator"][1] / n
        row.checkin_bytes = totals["checkin"][0] / n
        row.checkin_messages = totals["checkin"][1] / n
        return row

    async def size(self, count: int, tag: str) -> dict[str, Any]:
        """Every measured command kind, `count` of each, at the size the hall has now."""
        rows = []
        added: list[int] = []
        start = self.counts()

        def add(n: int) -> Any:
            async def go() -> int:
                args = {"text": text(n, tag), "asker_name": f"{tag}{n}"}
                async with httpx.AsyncClient(base_url=self.base, timeout=60) as http:
                    r = await http.post(
                        "/api/e/demo/commands",
                        json={"command": "question.add", "args": args},
                        headers={"Authorization": f"Bearer {self.keys['moderator']}"},
                    )
                r.raise_for_status()
                added.append(int(r.json()["result"]["id"]))
                return int(r.json()["seq"])

            return go

        rows.append(await self.measure(Row("question.add", "moderator"), *map(add, range(count))))

        def move(qid: int) -> Any:
            return lambda: self.command("moderator", "question.move", {"id": qid, "to": "top"})

        rows.append(await self.measure(Row("question.move top", "moderator"), *map(move, added)))

        def submit(n: int) -> Any:
            return lambda: self.phone_question(f"{tag}{n}")

        rows.append(
            await self.measure(
                Row("phone question (form)", "moderator"), *map(submit, range(count))
            )
        )
        pending = [
            int(r[0])
            for r in self.sql(
                "SELECT id FROM question WHERE conference_id = DEMO AND status = 'pending' "
                "AND asker_name LIKE ? ORDER BY id",
                f"Đại biểu {tag}%",
            )
        ]

        def approve(qid: int) -> Any:
            return lambda: self.command("moderator", "question.approve", {"id": qid})

        rows.append(
            await self.measure(Row("question.approve", "moderator"), *map(approve, pending))
        )
        absent = [
            int(r[0])
            for r in self.sql(
                "SELECT id FROM delegate WHERE conference_id = DEMO AND checked_in_at IS NULL"
            )
        ]
        chosen = random.Random(tag).sample(absent, min(count, len(absent)))

        def checkin(did: int) -> Any:
            return lambda: self.command("checkin", "delegate.checkin", {"id": did, "desk": 1})

        rows.append(await self.measure(Row("delegate.checkin", "checkin"), *map(checkin, chosen)))
        end = self.counts()
        return {
            "rows": rows,
            "queued": start[0],  # when the size's first command was sent
            "delegates": start[1],
            "queued_end": end[0],
            "lists": await self.lists_match(),
        }

    def counts(self) -> tuple[int, int]:
        """(queued questions, delegates)."""
        row = self.sql(
            "SELECT (SELECT count(*) FROM question WHERE conference_id = DEMO "
            "AND status = 'queued'), (SELECT count(*) FROM delegate WHERE conference_id = DEMO)"
        )[0]
        return int(row[0]), int(row[1])

    async def lists_match(self) -> dict[str, str]:
        """Per screen: its lists as held against a fresh snapshot's."""
        out = {}
        for s in (self.mod, self.checkin):
            fresh = self.screen(s.kind)
            fresh.keep = False
            await asyncio.wait_for(fresh.start(), 30)
            fresh.stop()
            regions = sorted(set(s.lists) | set(fresh.lists))
            differ = [r for r in regions if s.lists.get(r) != fresh.lists.get(r)]
            same_order = all(
                list(s.lists.get(r, {})) == list(fresh.lists.get(r, {})) for r in regions
            )
            items = sum(len(v) for v in s.lists.values())
            if not regions:
                out[s.kind] = "no lists in the messages"
            elif not differ:
                out[s.kind] = f"{len(regions)} lists, {items} items: same as a fresh snapshot"
            else:
                out[s.kind] = (
                    f"{len(regions)} lists, {items} items; differ from a fresh snapshot: "
                    f"{', '.join(differ)} ({'same keys in the same order' if same_order else 'keys or order differ'})"
                )
            out[s.kind] += (
                f"; patches whose list operations did not fit (resynced): {s.list_errors}"
            )
        return out

    async def import_questions(self, n: int) -> None:
        rows = [{"text": text(i, "i"), "asker_name": f"i{i}"} for i in range(n)]
        await self.command("moderator", "question.import", {"rows": rows})

    async def import_delegates(self, wanted: int) -> tuple[int, str]:
        """Upload CSV files of up to `wanted` new delegates in all (as many as the cap leaves
        room for; each file within the per-file limit); (how many were imported, a note)."""
        from live.commands.people import MAX_DELEGATES
        from live.demo_people import DEMO_GROUPS
        from live.demo_questions import DEMO_UNITS
        from live.imports import MAX_DELEGATES as PER_FILE

        have = self.sql("SELECT name, unit FROM delegate WHERE conference_id = DEMO")
        taken = {(str(n), str(u)) for n, u in have}
        n = min(wanted, MAX_DELEGATES - len(have))
        note = (
            ""
            if n == wanted
            else f" (the server's cap of {MAX_DELEGATES} delegates left room for {n})"
        )
        if n <= 0:
            return 0, note
        groups = [g for g, _ in DEMO_GROUPS][-4:]  # the many: units, companies, workers
        lines: list[str] = []
        rng = random.Random(2)
        i = 0
        while len(lines) < n:
            family, middle, given = FAMILY[i % 12], MIDDLE[i // 12 % 10], GIVEN[i // 120 % 12]
            name, unit = f"{family} {middle} {given}", DEMO_UNITS[i // 1440 % len(DEMO_UNITS)]
            i += 1
            if (name, unit) in taken:
                continue
            taken.add((name, unit))
            gender = GENDERS.get(middle, "Nam")
            lines.append(f"{name};{gender};{rng.choice(POSITIONS)};{unit};{rng.choice(groups)}")
        files = -(-n // PER_FILE)
        for f in range(files):
            part = lines[f * n // files : (f + 1) * n // files]
            head = "Họ và tên;Giới tính;Chức vụ;Đơn vị công tác;Thành phần"
            data = ("\r\n".join([head, *part]) + "\r\n").encode()
            async with httpx.AsyncClient(base_url=self.base, timeout=120) as http:
                r = await http.post(
                    "/api/e/demo/delegates/import",
                    files={"file": (f"dai-bieu-{f + 1}.csv", data, "text/csv")},
                    headers={"Authorization": f"Bearer {self.keys['admin']}"},
                )
            if r.status_code != 200:
                raise RuntimeError(f"delegate import: HTTP {r.status_code} {r.text[:500]}")
        if files > 1:
            note += f" (in {files} files: at most {PER_FILE} rows a file)"
        return n, note

    async def first_load(self) -> dict[str, int]:
        """A moderator console opened from its role link: the page, then its snapshot. As
        live.js does, the socket names the drawing the page was built from (data-drawing),
        so a page built from the hub's own regions gets a snapshot without them."""
        async with httpx.AsyncClient(base_url=self.base, follow_redirects=True, timeout=60) as http:
            r = await http.get(f"/e/demo/moderator?key={self.keys['moderator']}")
            r.raise_for_status()
            html, wire = len(r.content), r.num_bytes_downloaded
        drawing = re.search(rb'data-drawing="([^"]*)"', r.content)
        fresh = self.screen("moderator")
        if drawing and drawing[1]:
            fresh.path += f"&drawing={drawing[1].decode()}"
        await asyncio.wait_for(fresh.start(), 30)
        fresh.stop()
        snapshot = next(m for _, m in fresh.messages if m.startswith(b'{"type": "snapshot"'))
        return {"html": html, "html_gzip": wire, "snapshot": len(snapshot)}


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"load_start": loadavg()}
    with tempfile.TemporaryDirectory(prefix="live-bench-") as tmp_name:
        tmp = Path(tmp_name)
        async with our_server(tmp) as (_proc, port, db_file, keys):
            hall = Hall(port, db_file, keys)
            await asyncio.wait_for(asyncio.gather(hall.mod.start(), hall.checkin.start()), 30)
            seq = await hall.command("mc", "step.goto", {"position": 4})
            await hall.held(seq)
            await asyncio.sleep(1)  # the open pings answered: nothing but pushes from here
            out["small"] = await hall.size(args.count, "a")
            await hall.import_questions(args.extra_questions)
            out["delegates_imported"], out["delegates_note"] = await hall.import_delegates(
                args.extra_delegates
            )
            await hall.held(await hall.state_seq())
            await asyncio.sleep(1)
            out["large"] = await hall.size(args.count, "b")
            out["first_load"] = await hall.first_load()
            out["resyncs"] = hall.mod.gaps + hall.checkin.gaps
            out["closes"] = hall.mod.closes + hall.checkin.closes
            hall.mod.stop()
            hall.checkin.stop()
            log = (tmp / "ours.log").read_text(errors="replace")
            out["log_errors"] = [x for x in log.splitlines() if "Traceback" in x or "ERROR" in x]
    out["load_end"] = loadavg()
    return out


def report(out: dict[str, Any], args: argparse.Namespace) -> None:
    small, large, first = out["small"], out["large"], out["first_load"]
    print(f"machine: {machine()}; load average at start {out['load_start']}, end {out['load_end']}")
    print(
        f"screens: 1 moderator console, 1 check-in desk; {args.count} commands of each kind per "
        f"size; between the sizes question.import of {args.extra_questions} questions and "
        f"{out['delegates_imported']} delegates imported{out['delegates_note']}"
    )
    if out["log_errors"]:
        print("server logged errors: " + " | ".join(out["log_errors"][:5]))
    print(
        "\nsize: queued questions when the size's first command was sent → after its last; "
        "delegates (checked in or not)"
    )
    print(
        "\n| size | command | commands | bytes per command, moderator console "
        "| messages | bytes per command, check-in desk | messages | target | waits > 30 s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|")
    for name in ("small", "large"):
        m = out[name]
        size = f"{m['queued']}→{m['queued_end']} queued, {m['delegates']} delegates"
        for r in m["rows"]:
            target = {"question.add": f"≤ {TARGET_ADD:,} (console)"}.get(r.command, "")
            if r.command == "delegate.checkin":
                target = f"≤ {TARGET_CHECKIN:,} (desk)"
            print(
                f"| {size} | {r.command} | {r.count} | {r.mod_bytes:,.0f} | {r.mod_messages:.1f} "
                f"| {r.checkin_bytes:,.0f} | {r.checkin_messages:.1f} | {target} | {r.timeouts} |"
            )
    print("\nthe largest parts of a command's messages on its screen, bytes per command:")
    for name in ("small", "large"):
        for r in out[name]["rows"]:
            top = sorted(r.parts.items(), key=lambda kv: -kv[1])[:4]
            ops = ", ".join(f"{k} ×{v:.1f}" for k, v in sorted(r.ops.items()))
            print(
                f"- {name}, {r.command}: "
                + ", ".join(f"{k} {v:,.0f}" for k, v in top)
                + (f" (list operations per command: {ops})" if ops else "")
            )
    print(
        f"\nfirst load of a moderator console with {large['queued_end']} queued: page HTML "
        f"{first['html']:,} bytes ({first['html_gzip']:,} gzipped on the wire) + snapshot "
        f"{first['snapshot']:,} bytes = {first['html'] + first['snapshot']:,} bytes "
        f"({first['html_gzip'] + first['snapshot']:,} with the page gzipped)"
    )
    for name in ("small", "large"):
        for kind, what in out[name]["lists"].items():
            print(f"{name}, {kind}: {what}")
    print(f"screens resynced {out['resyncs']} times, reconnected {out['closes']} times")

    def of(m: dict[str, Any], command: str) -> Row:
        return next(r for r in m["rows"] if r.command == command)

    add_s, add_l = of(small, "question.add").mod_bytes, of(large, "question.add").mod_bytes
    chk_s = of(small, "delegate.checkin").checkin_bytes
    chk_l = of(large, "delegate.checkin").checkin_bytes
    ok = all(v <= TARGET_ADD for v in (add_s, add_l)) and all(
        v <= TARGET_CHECKIN for v in (chk_s, chk_l)
    )
    print(
        f"\npatch_bytes count={args.count} queued_small={small['queued']} "
        f"queued_large={large['queued']} delegates_small={small['delegates']} "
        f"delegates_large={large['delegates']} mod_add_bytes_small={add_s:.0f} "
        f"mod_add_bytes_large={add_l:.0f} "
        f"mod_move_bytes_small={of(small, 'question.move top').mod_bytes:.0f} "
        f"mod_move_bytes_large={of(large, 'question.move top').mod_bytes:.0f} "
        f"mod_submit_bytes_small={of(small, 'phone question (form)').mod_bytes:.0f} "
        f"mod_submit_bytes_large={of(large, 'phone question (form)').mod_bytes:.0f} "
        f"mod_approve_bytes_small={of(small, 'question.approve').mod_bytes:.0f} "
        f"mod_approve_bytes_large={of(large, 'question.approve').mod_bytes:.0f} "
        f"checkin_bytes_small={chk_s:.0f} checkin_bytes_large={chk_l:.0f} "
        f"mod_first_load_bytes={first['html'] + first['snapshot']} "
        f"mod_first_load_gzip_page_bytes={first['html_gzip'] + first['snapshot']} "
        f"targets_met={'yes' if ok else 'no'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10, help="commands of each kind per size")
    parser.add_argument("--extra-questions", type=int, default=360, help="imported between")
    parser.add_argument("--extra-delegates", type=int, default=2250, help="imported between")
    args = parser.parse_args()
    if not 1 <= args.count <= 100:
        sys.exit("--count: 1 to 100")
    out: dict[str, Any] = {}

    async def go() -> None:
        out.update(await bench(args))

    asyncio.run(go())
    report(out, args)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
