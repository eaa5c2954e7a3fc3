"""Crash safety in a real Chromium (issue 6): the MC screen stays open while the server is
killed with SIGKILL under traffic and started again on the same database, and each time it
comes back by itself to the database's seq — no reload, the same page.

The restarts and the seed come from tests/test_crash.py (`LIVE_CRASH_SEED` replays one)."""

from __future__ import annotations

import random
import sqlite3
import threading
import time

import httpx
import pytest
from playwright.sync_api import expect

from live.demo import DEMO_STEPS
from tests.browser.conftest import Screens, api_state, command_ok, wait_live
from tests.test_crash import Restarter, crash_seed

pytestmark = pytest.mark.browser

KILLS = 3


class Traffic(threading.Thread):
    """The MC and a check-in desk keep pressing until the server dies under them."""

    def __init__(self, server, keys: dict[str, str], rng: random.Random, first_badge: int):
        super().__init__(daemon=True)
        self.server = server
        self.keys = keys
        self.rng = rng
        self.badge = first_badge
        self.acks: list[tuple[int, str]] = []  # (seq, command)
        self.error: BaseException | None = None

    def send(self, client: httpx.Client, role: str, command: str, args: dict) -> bool:
        r = client.post(
            f"{self.server.url}/api/e/demo/commands",
            json={"command": command, "args": args},
            headers={"Authorization": f"Bearer {self.keys[role]}"},
        )
        if r.status_code == 200:
            self.acks.append((r.json()["seq"], command))
        return r.status_code < 500

    def run(self) -> None:
        try:
            with httpx.Client(timeout=10, limits=httpx.Limits(max_keepalive_connections=0)) as c:
                while True:
                    if self.rng.random() < 0.5:
                        self.badge += 1
                        args = {"code": f"DB{self.badge:04d}", "desk": self.rng.randint(1, 4)}
                        ok = self.send(c, "checkin", "delegate.checkin", args)
                    elif self.rng.random() < 0.5:
                        position = self.rng.randint(1, len(DEMO_STEPS))
                        ok = self.send(c, "mc", "step.goto", {"position": position})
                    else:
                        ok = self.send(c, "mc", "timer.adjust", {"seconds": 60})
                    assert ok, "a server error"
        except httpx.TransportError:
            return  # the kill: this one's outcome is unknown, and the traffic stops
        except BaseException as e:
            self.error = e


def test_the_mc_screen_comes_back_after_each_kill_without_a_reload(screens: Screens) -> None:
    server = screens.server
    seed = crash_seed()
    rng = random.Random(seed)
    print(f"LIVE_CRASH_SEED={seed}")  # shown with a failure's captured output
    # While the server is down, Chromium logs each refused reconnect.
    screens.allow(r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/ws/e/demo\?.*' failed")
    restarter = Restarter(server)  # its fork server does its imports while the page opens
    acks: list[tuple[int, str]] = []
    back: list[tuple[float, float]] = []  # (seconds down, seconds until the page was back)
    try:
        keys = server.keys()
        acks.append((command_ok(server, "step.goto", {"position": 1})["seq"], "step.goto"))
        mc = screens.mc()
        mc.evaluate("window.__marker = 'không tải lại'")
        navigations = mc.evaluate("performance.getEntriesByType('navigation').length")
        for kill in range(KILLS):
            sockets = mc.evaluate("window.__ws.created")
            snapshots = mc.evaluate("window.__ws.snapshots")
            traffic = Traffic(server, keys, rng, first_badge=kill * 100)
            traffic.start()
            time.sleep(rng.uniform(0.1, 0.8))
            restarter.kill()
            killed_at = time.monotonic()
            traffic.join(timeout=15)
            assert traffic.error is None, f"LIVE_CRASH_SEED={seed}: {traffic.error!r}"
            acks += traffic.acks
            expect(mc.locator("#conn-badge")).to_have_text("đang kết nối lại…")

            restarter.start()
            last = command_ok(server, "timer.adjust", {"seconds": 60})
            acks.append((last["seq"], "timer.adjust"))
            # The page reconnected by itself (a new socket, a new snapshot), holds the seq of
            # the last command, and is the same page: no navigation, the marker still set.
            wait_live(mc, snapshots + 1, timeout=20_000)
            mc.wait_for_function(
                "seq => document.body.dataset.seq === String(seq)", arg=last["seq"]
            )
            back.append((restarter.ready_at - killed_at, time.monotonic() - restarter.ready_at))
            assert mc.evaluate("window.__ws.created") > sockets
            assert mc.evaluate("window.__marker") == "không tải lại", f"seed {seed}"
            assert mc.evaluate("performance.getEntriesByType('navigation').length") == navigations
            expect(mc.locator("#conn-badge")).to_be_hidden()
            state = api_state(server)
            assert state["seq"] == last["seq"]
            expect(mc.locator("#mc-current .step-title")).to_have_text(
                DEMO_STEPS[state["position"] - 1]["title"]
            )
        page_seq = int(mc.evaluate("document.body.dataset.seq"))
    finally:
        restarter.close()  # the last server is killed too

    con = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        db_seq = con.execute("SELECT seq FROM conference WHERE slug = 'demo'").fetchone()[0]
        logged = dict(con.execute("SELECT seq, type FROM event ORDER BY seq").fetchall())
    finally:
        con.close()
    assert page_seq == db_seq, f"LIVE_CRASH_SEED={seed}"
    assert sorted(logged) == list(range(1, db_seq + 1)), f"LIVE_CRASH_SEED={seed}: seq holes"
    lost = [(seq, command) for seq, command in acks if logged.get(seq) != command]
    assert not lost, f"LIVE_CRASH_SEED={seed}: acknowledged, not logged: {lost}"
    assert restarter.died_by_themselves() == []
    screens.assert_no_errors()
    print(
        f"seed {seed}: {KILLS} kills, {len(acks)} acknowledged, final seq {db_seq}; "
        + ", ".join(f"down {down:.2f} s, MC back {up:.2f} s after" for down, up in back)
    )
