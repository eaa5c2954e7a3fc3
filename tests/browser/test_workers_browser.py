"""Two workers on PostgreSQL, in Chromium (issue 16): projector pages whose sockets are held
by both workers follow the MC's key press, whichever worker took it, and the MC screen
counts the projectors of both.

Which worker holds a page's socket is the kernel's choice: projector pages are opened until
both workers hold at least one (counted from the workers' own connection tables, once the
pages' plain HTTP connections have gone idle and closed)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from live.demo import DEMO_STEPS
from tests.browser.conftest import Screens
from tests.conftest import Server, running_server
from tests.pg import Postgres
from tests.test_workers import workers_of

pytestmark = pytest.mark.browser

KEEP_ALIVE = 5.5  # seconds: uvicorn closes an idle HTTP connection after 5


@pytest.fixture
def two_worker_screens(
    browser: Browser,
    tmp_path: Path,
    postgres: Postgres,
    seeded_postgres: Callable[[], str],
) -> Iterator[Screens]:
    url = seeded_postgres()
    try:
        with running_server(tmp_path, url, workers=2) as server:
            screens = Screens(browser, server)
            try:
                yield screens
            finally:
                screens.close()
    finally:
        postgres.drop(url)


def sockets_per_worker(server: Server) -> dict[int, int]:
    """Open connections to the server's port, per worker."""
    return {
        w.pid: sum(
            1
            for c in w.net_connections("tcp")
            if c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port == server.port
        )
        for w in workers_of(server)
    }


def test_projectors_on_both_workers_follow_the_mc(two_worker_screens: Screens) -> None:
    screens = two_worker_screens
    server = screens.server
    mc = screens.mc()
    projectors: list[Page] = []
    for _ in range(8):
        projectors.append(screens.projector())
        time.sleep(KEEP_ALIVE)  # only the pages' sockets stay open
        counts = sockets_per_worker(server)
        if len(projectors) >= 2 and all(counts.values()):
            break
    assert all(sockets_per_worker(server).values()), "every socket landed on one worker"
    expect(mc.locator("#mc-bar")).not_to_contain_text("Màn chiếu chưa kết nối")
    mc.keyboard.press("ArrowRight")
    for projector in projectors:
        expect(projector.locator("#projector-stage .step-card-title")).to_have_text(
            DEMO_STEPS[0]["title"]
        )
    mc.keyboard.press("ArrowRight")
    for projector in projectors:
        expect(projector.locator("#projector-stage .step-card-title")).to_have_text(
            DEMO_STEPS[1]["title"]
        )
    screens.assert_no_errors()
