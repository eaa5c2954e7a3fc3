"""Crash safety, tested by killing (issue 6): a scripted conference day runs against a real
server process while the test kills it with SIGKILL at random moments and starts it again on
the same database file, and the day carries on.

The people of the day are threads, each with its own HTTP client and bearer key: four
check-in desks, the MC, a moderator, two secretaries. Each records what it sent and how it
ended: *acknowledged* (HTTP 200 with a seq), *refused* (a 4xx, which must leave no trace),
or *unknown* (the server died before answering). A request that never reached the server
(connection refused) is simply sent again. An unknown one is repeated only where that is
safe — a second check-in of a badge or a save on top of an old version is refused, so the
repeat tells what happened; a `floor.next` or `step.next` is not repeated: the moderator and
the MC look at their screens instead (here: the database, read-only, and `/api/…/state`).

Four websocket screens (MC, projector, moderator, a runner's phone) stay open all day and reconnect
by themselves, the way live.js does. After every kill, with the server dead, and at the end,
the database must hold: every acknowledged command's event (same seq, type and payload);
seqs 1…conference.seq with no hole and no duplicate; every acknowledged check-in; every
acknowledged answer version; every acknowledged close and commitment; the floor's rules
(one question per microphone, one delegate speaking); a thirty-row list imported during the
day all there or not at all; no screen ever showed a seq the database does not have. At the
end each unknown command is found in the log or not, every event is an acknowledged command
or one of the unknown ones, and after a last command every screen holds the database's seq.

Each restart is a new process forked from a server that has done its imports once (see
FORK_SERVER): everything from opening the crashed database on is the real start-up, without
paying 2–4 s of imports twenty times.

`LIVE_CRASH_KILLS=100` for a longer run (default 20); `LIVE_CRASH_SEED=<n>` replays the kill
moments and the script of a failed run (threads still interleave as they will).
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import connect

from tests.conftest import Server

KILLS = int(os.environ.get("LIVE_CRASH_KILLS", "20"))
FLOOR_COMMANDS = 100  # about what the moderator sends for the thirty questions
STARTUP_KILLS = 0.15  # share of the kills that land while the server is starting up
SCREENS_BACK_FIRST = 0.3  # share of the kills that wait until every screen is back
QUESTIONS = 30  # through the microphones
CHECKINS = 40  # delegates DB0001…DB0040, ten per desk
DESKS = 4
# The fourth is the runner's phone at microphone 1. (The check-in screen would cost each
# command ~70 ms more to render its 250 delegates: a slower day, not a different test.)
SCREENS = {"mc": "mc", "projector": "projector", "moderator": "moderator", "mic:1": "mic"}
CLOSED = ("answered", "in_writing", "withdrawn")
AT_MIC = ("on_deck", "live", "answering")


def crash_seed() -> int:
    if seed := os.environ.get("LIVE_CRASH_SEED"):
        return int(seed)
    return random.SystemRandom().randrange(2**32)


# --- restarts ----------------------------------------------------------------------------

# The restarts come from a fork server: one process imports the application once, then on
# "serve" forks a child that runs exactly what `python -m live.cli serve …` runs (settings,
# the database — after a kill, its recovery —, migrations, the app's start-up, uvicorn), and
# on "kill" sends that child SIGKILL and reaps it. Each server is a new process; only the
# 2–4 s of imports are not paid again at every restart.
FORK_SERVER = """
import os, signal, sys, threading, traceback
import live.app, live.cli, uvicorn
# What uvicorn's defaults ("auto") would import at start-up, whichever they pick.
import uvicorn.lifespan.on, uvicorn.loops.auto, uvicorn.protocols.http.auto
import uvicorn.protocols.websockets.auto
log_path, args = sys.argv[1], sys.argv[2:]
assert threading.active_count() == 1
child = 0
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "serve":
        child = os.fork()
        if child == 0:
            code = 1
            try:
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                os.dup2(log, 1)
                os.dup2(log, 2)
                code = live.cli.main(args)
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else int(e.code is not None)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(child, flush=True)
    elif line.strip() == "kill":
        os.kill(child, signal.SIGKILL)
        print(os.waitpid(child, 0)[1], flush=True)
        child = 0
if child:
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
"""


class Restarter:
    """Kills the server with SIGKILL and starts it again on the same database and port.

    The first kill may be of the `server` fixture's own process; every later server is a
    child of the fork server above."""

    def __init__(self, server: Server) -> None:
        self.server = server
        env = {**os.environ, **server.env()}
        self.log_path = server.db_path.with_suffix(".log")
        args = ["serve", "--host", "127.0.0.1", "--port", str(server.port)]
        args += ["--db", server.database_url]
        with open(self.log_path, "ab") as log:
            self.forks = subprocess.Popen(
                [sys.executable, "-c", FORK_SERVER, str(self.log_path), *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
            )
        self.pid = 0  # the server forked last, while it runs
        self.launched_at = time.monotonic()  # when the current server was started
        self.ready_at = self.launched_at  # … and when it first answered
        self.statuses: list[int] = []  # how each forked server ended (wait status)
        self.greeted = False

    def _say(self, word: str) -> str:
        assert self.forks.stdin is not None and self.forks.stdout is not None
        self.forks.stdin.write(word.encode() + b"\n")
        self.forks.stdin.flush()
        return self._hear()

    def _hear(self) -> str:
        assert self.forks.stdout is not None
        line = self.forks.stdout.readline().decode().strip()
        if not line:
            raise RuntimeError(f"the fork server ended:\n{self.log_tail()}")
        return line

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def launch(self) -> None:
        """A new server process, starting up (not answering yet)."""
        if not self.greeted:  # the first time: wait until its imports are done
            assert self._hear() == "ready"
            self.greeted = True
        self.pid = int(self._say("serve"))
        self.launched_at = time.monotonic()

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until the server listens (uvicorn binds the port once the app has started)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exited():
                raise RuntimeError(f"the server exited on start:\n{self.log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.server.port), timeout=0.5).close()
            except OSError:
                time.sleep(0.005)
                continue
            self.ready_at = time.monotonic()
            return
        raise RuntimeError(f"the server did not listen within {timeout} s")

    def exited(self) -> bool:
        """Has the current server died by itself (a zombie, waiting for its kill)?"""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return False  # no /proc: only the timeout will tell
        return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def kill(self) -> None:
        """SIGKILL, and wait until the process is gone."""
        if self.server.process is not None:  # the fixture's own first server
            self.server.stop(kill=True)
        elif self.pid:
            self.statuses.append(int(self._say("kill")))
            self.pid = 0

    def close(self) -> None:
        self.kill()
        if self.forks.stdin is not None:
            self.forks.stdin.close()
        try:
            self.forks.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.forks.kill()
            self.forks.wait()
        if self.forks.stdout is not None:
            self.forks.stdout.close()

    def died_by_themselves(self) -> list[int]:
        """Wait statuses of servers that were not ended by our SIGKILL."""
        return [
            s for s in self.statuses if not (os.WIFSIGNALED(s) and os.WTERMSIG(s) == signal.SIGKILL)
        ]


# --- what was sent, and how it ended -----------------------------------------------------


@dataclass
class Sent:
    actor: str
    command: str
    args: dict[str, Any]
    outcome: str  # "ok", "refused", "unknown", "error"
    seq: int | None = None
    result: dict[str, Any] = field(default_factory=dict)
    code: str = ""
    status: int = 0
    during_kills: bool = True


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[Sent] = []
        self.acks = 0
        self.acks_of: Counter[str] = Counter()

    def add(self, sent: Sent) -> None:
        with self.lock:
            self.sent.append(sent)
            if sent.outcome == "ok":
                self.acks += 1
                self.acks_of[sent.actor] += 1

    def snapshot(self, outcome: str | None = None) -> list[Sent]:
        with self.lock:
            return [s for s in self.sent if outcome is None or s.outcome == outcome]


class Aborted(Exception):
    pass


class Api:
    """One person's device: commands over HTTP, a new connection for each (so a refused
    connection always means "never reached the server")."""

    def __init__(self, day: Day, actor: str, role: str) -> None:
        self.day = day
        self.actor = actor
        self.client = httpx.Client(
            base_url=day.server.url,
            headers={"Authorization": f"Bearer {day.keys[role]}"},
            timeout=httpx.Timeout(15.0, connect=1.0),
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def send(self, command: str, args: dict[str, Any] | None = None) -> Sent:
        args = args or {}
        while True:
            self.day.check()
            try:
                r = self.client.post(
                    "/api/e/demo/commands", json={"command": command, "args": args}
                )
            except (httpx.ConnectError, httpx.ConnectTimeout):
                time.sleep(0.02)  # the server is down: it never saw this, send it again
                continue
            except httpx.TransportError:
                sent = Sent(self.actor, command, args, "unknown")
                break
            try:
                body = r.json()
            except ValueError:
                body = {}
            if r.status_code == 200:
                sent = Sent(self.actor, command, args, "ok", body["seq"], body["result"])
            elif 400 <= r.status_code < 500:
                sent = Sent(self.actor, command, args, "refused", code=body.get("code", ""))
            else:
                sent = Sent(self.actor, command, args, "error", status=r.status_code)
                self.day.problem(f"{self.actor}: {command} {args} → HTTP {r.status_code}: {r.text}")
            sent.status = r.status_code
            break
        sent.during_kills = not self.day.kills_done.is_set()
        self.day.ledger.add(sent)
        return sent

    def close(self) -> None:
        self.client.close()


class Console:
    """What the moderator and the secretaries see on their screens, read from the database
    (read-only, a fresh connection each time: the server may be dead or starting)."""

    def __init__(self, db_path: Path) -> None:
        self.uri = f"file:{db_path}?mode=ro"

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        for attempt in range(100):
            con = sqlite3.connect(self.uri, uri=True, timeout=10)
            try:
                return con.execute(sql, params).fetchall()
            except sqlite3.OperationalError:
                if attempt == 99:
                    raise
            finally:
                con.close()
            time.sleep(0.05)  # the database is being recovered by a starting server
        raise AssertionError("unreachable")

    def statuses(self) -> dict[int, tuple[str, int | None]]:
        rows = self.query("SELECT id, status, mic FROM question")
        return {qid: (status, mic) for qid, status, mic in rows}

    def queue(self) -> list[int]:
        rows = self.query(
            "SELECT id FROM question WHERE status = 'queued' ORDER BY queue_rank, number"
        )
        return [qid for (qid,) in rows]

    def answer(self, question_id: int) -> tuple[int, str]:
        rows = self.query("SELECT version, summary FROM answer WHERE question_id = ?", question_id)
        return rows[0] if rows else (0, "")


# --- the screens -------------------------------------------------------------------------


class Screen:
    """A websocket screen open all day. Like live.js it reconnects by itself (backoff with
    jitter), applies a patch only on top of the seq it holds and asks for a snapshot after a
    gap; it also remembers the highest seq it ever showed."""

    def __init__(self, day: Day, kind: str, role: str) -> None:
        self.day = day
        self.kind = kind
        self.base = f"{day.server.ws_url}/ws/e/demo"
        self.params = {"screen": kind, "key": day.keys[role]}
        self.seq: int | None = None
        self.epoch: str | None = None
        self.high = 0
        self.connections = 0
        self.gaps = 0
        self.snapshots: list[tuple[float, float, int]] = []  # (socket opened, received, seq)
        self.stop = threading.Event()
        self.rng = random.Random(f"{day.seed}-{kind}")
        self.thread = threading.Thread(target=self._run, name=f"screen-{kind}", daemon=True)

    def _run(self) -> None:
        try:
            self._loop()
        except Exception as e:
            self.day.problem(f"screen {self.kind} crashed: {e!r}")

    def _loop(self) -> None:
        delay = 0.05
        while not self.stop.is_set():
            params = dict(self.params)
            if self.seq is not None:
                params.update(seq=str(self.seq), epoch=self.epoch or "")
            try:
                with connect(
                    f"{self.base}?{urlencode(params)}", open_timeout=3, close_timeout=0.5
                ) as ws:
                    opened = time.monotonic()
                    self.connections += 1
                    awaiting = True
                    while not self.stop.is_set():
                        try:
                            message = json.loads(ws.recv(timeout=0.2))
                        except TimeoutError:
                            continue
                        if message["type"] == "snapshot":
                            self._snapshot(message, opened)
                            awaiting, delay = False, 0.05
                        elif message["type"] == "patch" and not awaiting:
                            if message["prev"] != self.seq:
                                self.gaps += 1
                                awaiting = True
                                ws.send(json.dumps({"type": "snapshot"}))
                            else:
                                self.seq = message["seq"]
                                self.high = max(self.high, message["seq"])
            except InvalidStatus as e:
                self.day.problem(f"screen {self.kind}: handshake refused: {e}")
            except (OSError, TimeoutError, WebSocketException):
                pass  # the server died or is not up yet: try again
            if not self.stop.is_set():
                time.sleep(delay * (0.5 + self.rng.random()))
                delay = min(delay * 2, 0.5)

    def _snapshot(self, message: dict[str, Any], opened: float) -> None:
        if self.epoch is not None and message["epoch"] != self.epoch:
            self.day.problem(f"screen {self.kind}: epoch changed {self.epoch} → {message['epoch']}")
        if message["seq"] < self.high:
            self.day.problem(
                f"screen {self.kind} went back in time: it showed seq {self.high}, "
                f"the server restarted at seq {message['seq']}"
            )
        self.seq, self.epoch = message["seq"], message["epoch"]
        self.high = max(self.high, message["seq"])
        self.snapshots.append((opened, time.monotonic(), message["seq"]))


# --- the day -----------------------------------------------------------------------------


@dataclass
class Cycle:
    """One life of the server process, ended by a kill (or by the end of the day)."""

    launched_at: float
    ready_at: float | None  # None: killed while starting up
    killed_at: float = 0.0
    acks: int = 0  # acknowledged while it ran


class Day:
    def __init__(self, server: Server, restarter: Restarter, seed: int, kills: int) -> None:
        self.server = server
        self.restarter = restarter
        self.seed = seed
        self.kills = kills
        self.rng = random.Random(seed)
        self.keys = server.keys()
        self.console = Console(server.db_path)
        self.ledger = Ledger()
        self.problems: list[str] = []
        self.problem_lock = threading.Lock()
        self.kills_done = threading.Event()
        self.floor_done = threading.Event()
        self.abort = threading.Event()
        self.deadline = time.monotonic() + 90 + 8 * kills
        self.cycles: list[Cycle] = []
        self.threads: list[threading.Thread] = []
        self.screens = [Screen(self, kind, role) for kind, role in SCREENS.items()]
        self.first_questions = self.console.queue()[:QUESTIONS]
        self.checked_in: dict[str, int] = {}  # badge code → delegate id, learned by the desks

    def problem(self, text: str) -> None:
        with self.problem_lock:
            self.problems.append(text)

    def check(self) -> None:
        if self.abort.is_set():
            raise Aborted
        if time.monotonic() > self.deadline:
            self.abort.set()
            self.problem("the day did not finish in time")
            raise Aborted

    def actor(self, name: str, fn: Callable[[], None]) -> None:
        def run() -> None:
            try:
                fn()
            except Aborted:
                pass
            except Exception as e:
                self.problem(f"{name} crashed: {e!r}")
                self.abort.set()

        thread = threading.Thread(target=run, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def pause(self, rng: random.Random, most: float = 0.03) -> None:
        self.check()
        time.sleep(rng.uniform(0, most))

    def state(self) -> dict[str, Any]:
        """What the MC sees at a glance: the current step, from the HTTP API."""
        while True:
            self.check()
            try:
                r = httpx.get(
                    f"{self.server.url}/api/e/demo/state",
                    headers={"Authorization": f"Bearer {self.keys['mc']}"},
                    timeout=5,
                )
                if r.status_code == 200:
                    return r.json()
            except httpx.TransportError:
                pass
            time.sleep(0.05)


# --- the people of the day ---------------------------------------------------------------


def code_of(i: int) -> str:
    return f"DB{i:04d}"


def desk(day: Day, number: int) -> None:
    """Ten delegates at each desk, and two badges that were scanned at this desk first but
    belong to the next desk's list: one of the two scans is refused."""
    rng = random.Random(f"{day.seed}-desk{number}")
    api = Api(day, f"bàn {number}", "checkin")
    mine = [code_of(i) for i in range(1, CHECKINS + 1) if (i - 1) % DESKS == number - 1]
    nxt = [code_of(i) for i in range(1, CHECKINS + 1) if (i - 1) % DESKS == number % DESKS]
    badges = list(mine)
    for code in rng.sample(nxt, 2):
        badges.insert(rng.randrange(len(badges) + 1), code)
    try:
        for code in badges:
            day.pause(rng, 0.08)
            while True:  # safe to repeat: a second check-in is refused (already_checked_in)
                sent = api.send("delegate.checkin", {"code": code, "desk": number})
                if sent.outcome != "unknown":
                    break
            if sent.outcome == "ok":
                day.checked_in[code] = sent.result["id"]
        ids = [day.checked_in[c] for c in mine if c in day.checked_in]
        while not day.kills_done.is_set() and ids:  # the day goes on: documents handed out
            day.pause(rng, 1.5)
            api.send("delegate.documents", {"id": rng.choice(ids), "given": rng.random() < 0.8})
    finally:
        api.close()


def mc(day: Day) -> None:
    """The programme: steps 1–4, the dialogue (timer work while the floor runs), 5–8."""
    rng = random.Random(f"{day.seed}-mc")
    api = Api(day, "MC", "mc")
    position: int | None = 0

    def go_to(target: int) -> None:
        nonlocal position
        while position != target:
            day.pause(rng)
            if position is None:  # after an unknown: look at the screen
                position = day.state()["position"]
                continue
            if position < target and rng.random() < 0.9:
                sent = api.send("step.next")
            else:  # a jump (the agenda list), or back: safe to repeat, but no need
                sent = api.send("step.goto", {"position": target})
            position = sent.result["to"] if sent.outcome == "ok" else None

    def timer_work() -> None:
        choice = rng.random()
        if choice < 0.5:
            api.send("timer.adjust", {"seconds": rng.choice((60, -60))})
        elif choice < 0.7:
            api.send("timer.pause")
        elif choice < 0.9:
            api.send("timer.resume")
        else:
            api.send("projector.mode", {"mode": rng.choice(("hold", "live"))})

    try:
        go_to(1)
        api.send("timer.adjust", {"seconds": 60})
        go_to(2)
        api.send("projector.mode", {"mode": "hold"})
        api.send("projector.mode", {"mode": "live"})
        go_to(3)
        go_to(4)  # the dialogue
        while not day.floor_done.is_set():
            day.pause(rng, 2.5)
            timer_work()
        for target in range(5, 9):
            go_to(target)
            timer_work()
        api.send("projector.mode", {"mode": "live"})
        while not day.kills_done.is_set():
            day.pause(rng, 1.5)
            timer_work()
    finally:
        api.close()


MODERATOR = "điều phối"
LATE_LIST = 30  # rows of the list imported during the day
LATE_MARK = "[danh sách gửi muộn]"


def late_list() -> list[dict[str, str]]:
    return [
        {
            "text": f"{LATE_MARK} Kiến nghị số {i} về nhà ở xã hội cho công nhân",
            "asker_name": f"Đoàn viên {i}",
            "asker_unit": "Công đoàn Khu công nghiệp Bờ trái Sông Đà",
            "field": "Nhà ở xã hội",
        }
        for i in range(1, LATE_LIST + 1)
    ]


def moderator(day: Day) -> None:
    """Thirty questions through the microphones: on deck, live, answer, close — mostly with
    the N key (floor.next), sometimes by hand. After an unknown outcome nothing is repeated:
    the next look at the console shows where the floor is."""
    rng = random.Random(f"{day.seed}-moderator")
    api = Api(day, MODERATOR, "moderator")
    floor_questions = 0
    import_after = rng.randint(3, 20)  # closed questions before a unit's late list comes in
    imported = False
    try:
        while True:
            day.pause(rng)
            floor = day.console.statuses()
            closed = sum(status in CLOSED for status, _ in floor.values())
            if closed >= QUESTIONS:
                break
            at = {s: sorted(q for q, (st, _) in floor.items() if st == s) for s in AT_MIC}
            if not imported and closed >= import_after:
                # One transaction of thirty rows: all or nothing, even when killed in it.
                # Not repeated after an unknown outcome (it would come in twice).
                imported = True
                api.send("question.import", {"rows": late_list()})
                continue
            if floor_questions < 3 and rng.random() < 0.04:
                # A delegate in the hall asks: not repeated after an unknown (a second copy).
                floor_questions += 1
                api.send(
                    "question.add",
                    {
                        "text": f"Câu hỏi tại hội trường số {floor_questions}",
                        "asker_name": "Nguyễn Văn Hội",
                        "asker_unit": "Công đoàn Khu công nghiệp Lương Sơn",
                    },
                )
                continue
            if at["answering"]:
                args: dict[str, Any] = {
                    "id": at["answering"][0],
                    "outcome": rng.choice(("answered", "answered", "in_writing")),
                }
                name = "question.close"
            elif at["live"]:
                name, args = "question.answer", {"id": at["live"][0]}
            elif at["on_deck"] and rng.random() < 0.3:
                name, args = "question.live", {"id": at["on_deck"][0]}
            elif not at["on_deck"] and rng.random() < 0.3 and (queue := day.console.queue()):
                busy = {mic for _, (st, mic) in floor.items() if mic is not None}
                free = [m for m in range(1, 5) if m not in busy]
                name, args = "question.assign", {"id": queue[0], "mic": free[0]}
            else:
                name, args = "floor.next", {}
            sent = api.send(name, args)
            if sent.outcome == "ok" and name != "floor.next" and rng.random() < 0.1:
                api.send(name, args)  # a second moderator presses the same: refused
        day.floor_done.set()
        while not day.kills_done.is_set():  # after the dialogue: tidy the rest of the queue
            day.pause(rng, 1.5)
            if queue := day.console.queue():
                api.send(
                    "question.move", {"id": rng.choice(queue), "to": rng.choice(("up", "down"))}
                )
    finally:
        day.floor_done.set()
        api.close()


def secretary(day: Day, number: int) -> None:
    """Every other question of the thirty: who answered, a summary, the outcome, sometimes a
    commitment. A save is repeated after an unknown outcome: if the first one went in, the
    repeat is refused as a conflict, and the stored text shows it was ours."""
    rng = random.Random(f"{day.seed}-secretary{number}")
    api = Api(day, f"thư ký {number}", "secretary")
    versions: dict[int, int] = {}

    def save(qid: int, fields: dict[str, Any]) -> None:
        while True:
            base = versions.get(qid, 0)
            sent = api.send("answer.save", {"question_id": qid, "base_version": base, **fields})
            if sent.outcome == "ok":
                versions[qid] = sent.result["version"]
                return
            if sent.outcome == "unknown":
                continue
            assert sent.code == "conflict", sent
            stored, summary = day.console.answer(qid)
            versions[qid] = stored
            if summary == fields.get("summary", summary):
                return  # ours went in before the crash
            # someone else's: save again on top of it (the screen shows both)

    def reached_floor(qid: int) -> bool:
        return day.console.statuses()[qid][0] in ("live", "answering", *CLOSED)

    try:
        mine = day.first_questions[number::2]
        for i, qid in enumerate(mine):
            while not reached_floor(qid):
                day.pause(rng, 0.1)
            summary = f"Câu {qid}: sở trả lời tại hội nghị (thư ký {number})."
            save(
                qid, {"responder_agency": "Sở Lao động - Thương binh và Xã hội", "summary": summary}
            )
            if i % 2 == 0:
                day.pause(rng)
                save(qid, {"summary": summary + " Bổ sung.", "outcome": "answered"})
            if i % 3 == 0:
                day.pause(rng)
                api.send(  # not repeated after an unknown: it would add a second one
                    "commitment.add",
                    {
                        "question_id": qid,
                        "task": f"Rà soát kiến nghị của câu {qid}",
                        "lead_agency": "Sở Lao động - Thương binh và Xã hội",
                        "deadline": "2024-12-31",
                    },
                )
            if i % 5 == 1:  # an old copy on another laptop: refused, nothing overwritten
                api.send("answer.save", {"question_id": qid, "base_version": 0, "summary": "x"})
        while not day.kills_done.is_set() and versions:
            day.pause(rng, 1.5)
            qid = rng.choice(sorted(versions))
            save(qid, {"summary": f"Câu {qid}: biên bản chỉnh lần {rng.randrange(1000)}."})
    finally:
        api.close()


# --- what the database must hold ---------------------------------------------------------


def agrees(sent: Sent, payload: dict[str, Any]) -> bool:
    """Could this logged payload be the result of `sent` (whose answer never came)?"""
    if sent.command == "answer.save":
        return (
            payload.get("question_id") == sent.args["question_id"]
            and payload.get("version") == sent.args["base_version"] + 1
        )
    return all(
        payload[key] == value
        for key, value in sent.args.items()
        if key in payload and isinstance(value, (int, str)) and key not in ("mode", "to")
    )


@dataclass
class Findings:
    seq: int
    events: dict[int, tuple[str, dict[str, Any]]]
    problems: list[str]


def check_database(day: Day, acks: list[Sent]) -> Findings:
    """With the server dead: what every acknowledged command and every screen promised."""
    problems: list[str] = []
    con = sqlite3.connect(f"file:{day.server.db_path}?mode=ro", uri=True, timeout=10)
    try:
        conf_id, conf_seq = con.execute(
            "SELECT id, seq FROM conference WHERE slug = 'demo'"
        ).fetchone()
        rows = con.execute(
            "SELECT seq, type, payload FROM event WHERE conference_id = ? ORDER BY seq, id",
            (conf_id,),
        ).fetchall()
        delegates = dict(con.execute("SELECT code, checked_in_at FROM delegate").fetchall())
        answers = dict(con.execute("SELECT question_id, version FROM answer").fetchall())
        floor = con.execute(
            "SELECT id, status, mic, text LIKE ? FROM question WHERE conference_id = ?",
            (LATE_MARK + "%", conf_id),
        ).fetchall()
        max_live = con.execute("SELECT max_live FROM conference WHERE id = ?", (conf_id,))
        max_live = max_live.fetchone()[0]
        statuses = {qid: status for qid, status, _, _ in floor}
        commitments = {cid for (cid,) in con.execute("SELECT id FROM commitment")}
    finally:
        con.close()

    seqs = [seq for seq, _, _ in rows]
    doubled = sorted(seq for seq, n in Counter(seqs).items() if n > 1)
    missing = sorted(set(range(1, conf_seq + 1)) - set(seqs))
    beyond = sorted(seq for seq in seqs if not 1 <= seq <= conf_seq)
    if doubled or missing or beyond:
        problems.append(
            f"event seqs are not 1…{conf_seq}: holes {missing[:20]}, duplicates {doubled[:20]}, "
            f"beyond {beyond[:20]}"
        )
    events = {seq: (kind, json.loads(payload)) for seq, kind, payload in rows}

    for seq, n in Counter(s.seq for s in acks).items():
        if n > 1:
            problems.append(f"seq {seq} was acknowledged {n} times")
    for s in acks:
        assert s.seq is not None
        if s.seq not in events:
            problems.append(f"LOST: {s.actor} {s.command} {s.args} acknowledged seq {s.seq}")
            continue
        kind, payload = events[s.seq]
        if kind != s.command or payload != s.result:
            problems.append(
                f"seq {s.seq}: acknowledged {s.command} {s.result}, logged {kind} {payload}"
            )
        if s.command == "delegate.checkin" and delegates.get(s.args["code"]) is None:
            problems.append(f"LOST: {s.args['code']} acknowledged as checked in, is not")
        if s.command == "answer.save":
            stored = answers.get(s.args["question_id"], 0)
            if stored < s.result["version"]:
                problems.append(
                    f"LOST: answer of question {s.args['question_id']}: version "
                    f"{s.result['version']} acknowledged, {stored} stored"
                )
        if s.command == "question.close" and statuses.get(s.args["id"]) != s.args["outcome"]:
            problems.append(
                f"question {s.args['id']} acknowledged closed {s.args['outcome']}, "
                f"is {statuses.get(s.args['id'])}"
            )
        if s.command == "commitment.add" and s.result["id"] not in commitments:
            problems.append(f"LOST: commitment {s.result['id']} acknowledged, not stored")
    # The floor's rules hold in what was written, whatever the kill interrupted.
    at_mic = [(qid, status, mic) for qid, status, mic, _ in floor if status in AT_MIC]
    mics = Counter(mic for _, _, mic in at_mic)
    if any(mic is None for mic in mics) or any(n > 1 for n in mics.values()):
        problems.append(f"microphones: {at_mic}")
    if sum(status == "live" for _, status, _ in at_mic) > max_live:
        problems.append(f"more than {max_live} speaking: {at_mic}")
    if stray := [q for q, status, mic, _ in floor if status not in AT_MIC and mic is not None]:
        problems.append(f"questions off the floor still holding a microphone: {stray}")
    late = sum(bool(marked) for *_, marked in floor)
    imports = sum(kind == "question.import" for kind, _ in events.values())
    if late != LATE_LIST * imports:
        problems.append(f"{late} rows of the late list in the database, {imports} imports logged")
    for screen in day.screens:
        if screen.high > conf_seq:
            problems.append(
                f"screen {screen.kind} showed seq {screen.high}, the database has {conf_seq}"
            )
    return Findings(conf_seq, events, problems)


def resolve_unknowns(
    sent: list[Sent], events: dict[int, tuple[str, dict[str, Any]]]
) -> tuple[dict[str, list[int]], list[str]]:
    """Match each unknown command to a logged event nobody acknowledged, if there is one.
    Returns {command: [applied, not applied]} and the events that match nothing sent."""
    acked = {s.seq for s in sent if s.outcome == "ok"}
    spare = {seq: ev for seq, ev in events.items() if seq not in acked}
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in sent:
        if s.outcome != "unknown":
            continue
        match = next(
            (
                seq
                for seq, (kind, payload) in sorted(spare.items())
                if kind == s.command and agrees(s, payload)
            ),
            None,
        )
        tally[s.command][0 if match is not None else 1] += 1
        if match is not None:
            del spare[match]
    phantoms = [f"seq {seq}: {kind} {payload}" for seq, (kind, payload) in sorted(spare.items())]
    return dict(tally), phantoms


def resync_times(day: Day) -> tuple[list[float], int]:
    """For each restart that lived long enough: seconds from the server answering until
    every screen had its snapshot from the new process. Also how many restarts were killed
    before every screen was back (not counted)."""
    times, cut = [], 0
    for cycle in day.cycles:
        if cycle.ready_at is None:
            continue
        latest = 0.0
        for screen in day.screens:
            back = [
                received
                for opened, received, _ in screen.snapshots
                if opened >= cycle.launched_at and received <= (cycle.killed_at or 1e18)
            ]
            if not back:
                latest = -1.0
                break
            latest = max(latest, min(back) - cycle.ready_at)
        if latest < 0:
            cut += 1
        else:
            times.append(max(latest, 0.0))
    return times, cut


# --- the test ----------------------------------------------------------------------------


def wait_for_traffic(day: Day, rng: random.Random) -> None:
    """Let the day run until a random number of commands more have been acknowledged, then a
    few milliseconds more: the kill lands among commands in flight. The count follows the
    moderator while the floor is open (it is the longest part of the day, so the kills are
    spread over all of it), everyone after. Some kills wait until every screen is back
    first (so the next reconnect carries the seq it held); the others may catch screens
    reconnecting."""
    cap = time.monotonic() + 3
    if rng.random() < SCREENS_BACK_FIRST:
        since = day.restarter.launched_at
        while time.monotonic() < cap and not all(
            any(opened >= since for opened, _, _ in list(s.snapshots)) for s in day.screens
        ):
            time.sleep(0.005)
    floor_open = not day.floor_done.is_set()
    per_kill = max(1, FLOOR_COMMANDS // day.kills)

    def progress() -> int:
        return day.ledger.acks_of[MODERATOR] if floor_open else day.ledger.acks

    target = progress() + rng.randint(0, 2 * per_kill)
    while progress() < target and time.monotonic() < cap and not day.abort.is_set():
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.03))


def test_a_day_of_kills_loses_nothing(tmp_path: Path) -> None:
    seed = crash_seed()
    print(f"LIVE_CRASH_SEED={seed} LIVE_CRASH_KILLS={KILLS}")
    started = time.monotonic()
    server = Server(db_path=tmp_path / "live.db", media_dir=tmp_path / "media")
    restarter = Restarter(server)
    try:
        restarter.start()  # a new database: the demo conference is seeded
        day = Day(server, restarter, seed, KILLS)
    except BaseException:
        restarter.close()
        raise
    last: Sent | None = None
    final_sync = 0.0
    startup_kills = 0
    try:
        startup_kills = run_the_day(day)
        if not day.problems:
            last, final_sync = last_command(day)
    finally:
        day.abort.set()  # whatever still runs stops now
        day.kills_done.set()
        for screen in day.screens:
            screen.stop.set()
        for thread in [*(s.thread for s in day.screens), *day.threads]:
            thread.join(timeout=5)
        restarter.kill()
        restarter.close()

    everything = day.ledger.snapshot()
    found = check_database(day, [s for s in everything if s.outcome == "ok"])
    problems = [*day.problems, *found.problems]
    problems += [
        f"a server ended by itself (wait status {status}), not by the kill:\n{restarter.log_tail()}"
        for status in restarter.died_by_themselves()
    ]
    tally, phantoms = resolve_unknowns(everything, found.events)
    problems += [f"logged but never sent: {p}" for p in phantoms]
    if last is not None:
        problems += the_day_is_complete(day, found.seq, last)

    kills = len(day.cycles) - 1
    outcomes = Counter(s.outcome for s in everything)
    in_kills = sum(s.outcome == "ok" and s.during_kills for s in everything)
    times, cut = resync_times(day)
    screens_text = ", ".join(f"{s.kind} {s.connections} sockets/{s.gaps} gaps" for s in day.screens)
    median = sorted(times)[len(times) // 2] if times else 0.0
    span = ""
    if len(day.cycles) > 1 and day.cycles[0].ready_at is not None:
        first, last_start = day.cycles[0].ready_at - started, day.cycles[-1].launched_at - started
        span = f" (the kills from {first:.1f} s to {last_start:.1f} s)"
    report = "\n".join(
        [
            f"seed {seed}: {kills} kills ({startup_kills} during start-up) in "
            f"{time.monotonic() - started:.1f} s{span}",
            f"commands: {outcomes['ok']} acknowledged ({in_kills} while the kills went on), "
            f"{outcomes['refused']} refused, {outcomes['unknown']} unknown, "
            f"{outcomes['error']} errors; final seq {found.seq}",
            "unknown outcomes (applied/not applied): "
            + (", ".join(f"{c} {a}/{n}" for c, (a, n) in sorted(tally.items())) or "none"),
            f"screens: {screens_text}",
            f"all screens back after a restart: longest {max(times, default=0.0):.2f} s, "
            f"median {median:.2f} s over {len(times)} restarts ({cut} killed before all were "
            f"back); the last command reached every screen in {final_sync:.2f} s",
            "acknowledged per server life: "
            + " ".join(str(c.acks) for c in day.cycles[:-1])
            + "; restarts, launch to listening (s): "
            + " ".join(
                f"{c.ready_at - c.launched_at:.2f}"
                for c in day.cycles[1:]
                if c.ready_at is not None
            ),
        ]
    )
    print(report)
    assert not problems, f"LIVE_CRASH_SEED={seed}\n{report}\n" + "\n".join(problems[:50])
    assert kills >= KILLS, f"LIVE_CRASH_SEED={seed}\n{report}"


def run_the_day(day: Day) -> int:
    """The people work; the server is killed `day.kills` times and started again. Returns
    how many kills landed during start-up."""
    rng = day.rng
    for screen in day.screens:
        screen.thread.start()
    for number in range(1, DESKS + 1):
        day.actor(f"desk{number}", lambda n=number: desk(day, n))
    day.actor("mc", lambda: mc(day))
    day.actor("moderator", lambda: moderator(day))
    for number in (0, 1):
        day.actor(f"secretary{number}", lambda n=number: secretary(day, n))

    startup_kills = 0
    last_seq = 0
    for k in range(day.kills):
        acks_before = day.ledger.acks
        if k == 0 or rng.random() >= STARTUP_KILLS:
            if k > 0 and not restart(day, k):
                return startup_kills
            cycle = Cycle(day.restarter.launched_at, day.restarter.ready_at)
            wait_for_traffic(day, rng)
        else:  # killed while opening the database, migrating, starting up
            startup_kills += 1
            day.restarter.launch()
            cycle = Cycle(day.restarter.launched_at, None)
            time.sleep(rng.uniform(0, 0.5))
        day.restarter.kill()
        cycle.killed_at = time.monotonic()
        cycle.acks = day.ledger.acks - acks_before
        day.cycles.append(cycle)
        found = check_database(day, day.ledger.snapshot("ok"))
        if found.seq < last_seq:
            found.problems.append(f"conference.seq went back: {last_seq} → {found.seq}")
        last_seq = found.seq
        for text in found.problems:
            day.problem(f"after kill {k + 1}: {text}")
        if day.problems:
            return startup_kills
    if not restart(day, day.kills):
        return startup_kills
    day.cycles.append(Cycle(day.restarter.launched_at, day.restarter.ready_at))
    day.kills_done.set()
    for thread in day.threads:
        thread.join(timeout=max(1.0, day.deadline - time.monotonic()))
    if any(t.is_alive() for t in day.threads):
        day.problem(
            "an actor did not finish: " + ", ".join(t.name for t in day.threads if t.is_alive())
        )
    return startup_kills


def restart(day: Day, kills: int) -> bool:
    """Start the server again; a server that cannot start on the killed database is the
    worst outcome of all."""
    try:
        day.restarter.start()
    except RuntimeError as e:
        day.problem(f"no start after kill {kills}: {e}")
        return False
    return True


def last_command(day: Day) -> tuple[Sent | None, float]:
    """One more command with the day over: every screen must reach its seq."""
    api = Api(day, "MC", "mc")
    try:
        last = api.send("timer.adjust", {"seconds": 60})
    finally:
        api.close()
    if last.outcome != "ok":
        day.problem(f"the last command was not acknowledged: {last}")
        return None, 0.0
    sent_at = time.monotonic()
    while time.monotonic() < sent_at + 15 and any(s.seq != last.seq for s in day.screens):
        time.sleep(0.01)
    behind = {s.kind: s.seq for s in day.screens if s.seq != last.seq}
    if behind:
        day.problem(f"screens not at the last seq {last.seq} after 15 s: {behind}")
    return last, time.monotonic() - sent_at


def the_day_is_complete(day: Day, db_seq: int, last: Sent) -> list[str]:
    problems = []
    if db_seq != last.seq:
        problems.append(f"conference.seq is {db_seq}, the last command got {last.seq}")
    checked_in = {
        code
        for (code,) in day.console.query(
            "SELECT code FROM delegate WHERE checked_in_at IS NOT NULL"
        )
    }
    if checked_in != {code_of(i) for i in range(1, CHECKINS + 1)}:
        problems.append(f"checked in: {sorted(checked_in)}")
    closed = sum(status in CLOSED for status, _ in day.console.statuses().values())
    if closed != QUESTIONS:
        problems.append(f"{closed} questions closed, not {QUESTIONS}")
    return problems
