"""Several workers on PostgreSQL (issue 16): `live serve --workers 2` against a real
PostgreSQL server. A screen on one worker hears a command sent through the other; a
rotated key closes that role's screens on every worker; a worker killed mid-day loses
nothing committed and its screens come back on the current seq.

Which worker holds a socket is the kernel's choice; the tests open several and find, from
the workers' own connection tables (psutil), which one each landed on."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import psutil
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.conftest import Server, running_server
from tests.pg import Postgres

SOCKETS = ExitStack()  # every socket a test opens, closed when it ends


@pytest.fixture
def two_workers(
    tmp_path: Path, postgres: Postgres, seeded_postgres: Callable[[], str]
) -> Iterator[Server]:
    url = seeded_postgres()
    try:
        with SOCKETS, running_server(tmp_path, url, workers=2) as server:
            yield server
    finally:
        postgres.drop(url)


def workers_of(server: Server, count: int = 2) -> list[psutil.Process]:
    """The worker processes uvicorn started (multiprocessing's spawn_main)."""
    assert server.process is not None
    deadline = time.monotonic() + 10
    while True:
        children = psutil.Process(server.process.pid).children()
        workers = [c for c in children if "spawn_main" in " ".join(c.cmdline())]
        if len(workers) >= count or time.monotonic() > deadline:
            assert len(workers) >= count, f"{count} workers did not start: {children}"
            return workers
        time.sleep(0.1)


def worker_holding(workers: list[psutil.Process], ws: ClientConnection) -> int:
    """The pid of the worker at the other end of `ws`."""
    port = ws.socket.getsockname()[1]
    for _ in range(50):
        for worker in workers:
            if any(c.raddr and c.raddr.port == port for c in worker.net_connections("tcp")):
                return worker.pid
        time.sleep(0.05)
    raise AssertionError(f"no worker holds the socket from port {port}")


def open_screen(server: Server, screen: str) -> ClientConnection:
    """A screen's socket, its first snapshot read; closed by the test's `sockets` stack."""
    key = server.keys()[screen]
    ws = SOCKETS.enter_context(
        connect(f"{server.ws_url}/ws/e/demo?screen={screen}&key={key}", open_timeout=5)
    )
    assert json.loads(ws.recv(timeout=5))["type"] == "snapshot"
    return ws


def screens_on_both(server: Server, screen: str) -> dict[int, ClientConnection]:
    """One socket of `screen` on each of the two workers (opening more until both have one)."""
    workers = workers_of(server)
    found: dict[int, ClientConnection] = {}
    spare: list[ClientConnection] = []
    for _ in range(40):
        ws = open_screen(server, screen)
        pid = worker_holding(workers, ws)
        if pid in found:
            spare.append(ws)
        else:
            found[pid] = ws
        if len(found) == 2:
            break
    for ws in spare:
        ws.close()
    assert len(found) == 2, "40 sockets all landed on one worker"
    return found


def seq_reached(ws: ClientConnection, seq: int, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
        if message["type"] in ("patch", "snapshot") and message["seq"] >= seq:
            return message


def test_a_command_through_one_worker_reaches_the_screens_on_the_other(
    two_workers: Server,
) -> None:
    consoles = screens_on_both(two_workers, "mc")
    projectors = screens_on_both(two_workers, "projector")
    (a, mc_a), (b, mc_b) = consoles.items()
    try:
        # Sent through worker A's socket: the projector on B shows it.
        mc_a.send(
            json.dumps(
                {"type": "command", "id": 1, "command": "step.goto", "args": {"position": 2}}
            )
        )
        answer = json.loads(mc_a.recv(timeout=5))
        while answer.get("type") != "result":
            answer = json.loads(mc_a.recv(timeout=5))
        assert answer["ok"], answer
        seq = answer["seq"]
        for pid, projector in projectors.items():
            patch = seq_reached(projector, seq)
            assert patch["seq"] == seq, pid
            assert "Khai mạc hội nghị" in patch["regions"]["projector-stage"], pid
        # And back the other way, through B.
        mc_b.send(
            json.dumps(
                {"type": "command", "id": 2, "command": "step.goto", "args": {"position": 3}}
            )
        )
        for projector in projectors.values():
            assert "Phóng sự" in seq_reached(projector, seq + 1)["regions"]["projector-stage"]
    finally:
        for ws in [*consoles.values(), *projectors.values()]:
            ws.close()
    assert a != b


def test_a_rotated_key_closes_that_roles_screens_on_every_worker(two_workers: Server) -> None:
    projectors = screens_on_both(two_workers, "projector")
    mcs = screens_on_both(two_workers, "mc")
    try:
        r = two_workers.command("role.rotate", {"role": "projector"}, role="admin")
        assert r.status_code == 200, r.text
        for pid, ws in projectors.items():
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    ws.recv(timeout=5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403, pid
        for ws in mcs.values():  # the other roles keep going, on both workers
            ws.ping().wait(timeout=5)
    finally:
        for ws in [*projectors.values(), *mcs.values()]:
            ws.close()


def test_a_killed_worker_loses_nothing_and_its_screens_come_back(two_workers: Server) -> None:
    projectors = screens_on_both(two_workers, "projector")
    for position in (2, 3, 4):
        assert two_workers.command("step.goto", {"position": position}).status_code == 200
    victim = next(iter(projectors))
    os.kill(victim, signal.SIGKILL)
    # Its screen's socket is gone; uvicorn starts another worker. A screen reconnecting
    # (as live.js does) is answered by whichever worker, on the seq in the database.
    deadline = time.monotonic() + 10
    while True:
        try:
            ws = open_screen(two_workers, "projector")
            break
        except Exception:
            assert time.monotonic() < deadline, "no worker answers after the kill"
            time.sleep(0.1)
    with ws:
        ws.send(json.dumps({"type": "snapshot"}))
        snapshot = seq_reached(ws, 3)
        assert snapshot["seq"] == 3  # nothing committed was lost
        assert "Đối thoại" in snapshot["regions"]["projector-stage"]


def test_the_consoles_count_the_screens_of_every_worker(two_workers: Server) -> None:
    """A projector connected to one worker is «connected» on the MC screen of the other."""
    mcs = screens_on_both(two_workers, "mc")
    workers = workers_of(two_workers)
    projector = open_screen(two_workers, "projector")
    held_by = worker_holding(workers, projector)
    other = next(ws for pid, ws in mcs.items() if pid != held_by)
    deadline = time.monotonic() + 5
    while True:
        message = json.loads(other.recv(timeout=max(0.01, deadline - time.monotonic())))
        bar = message.get("regions", {}).get("mc-bar")
        if bar is not None and "Màn chiếu chưa kết nối" not in bar:
            break


def test_wrong_keys_are_counted_across_workers(two_workers: Server) -> None:
    """30 wrong keys a minute per client address, in all: not 30 per worker."""
    answers = []
    for _ in range(40):  # a new connection each time: the kernel spreads them over both
        with httpx.Client(base_url=two_workers.url) as client:
            r = client.get("/api/e/demo/state", headers={"Authorization": "Bearer wrong"})
            answers.append(r.status_code)
    assert answers.count(401) == 30, answers
    assert answers[30:] == [429] * 10, answers
