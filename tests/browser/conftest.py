"""Browser fixtures: one headless Chromium per session, and per test a `screens` helper that
opens role screens of the `server` fixture, each in its own browser context (its own cookie
jar, like a separate device in the hall), and records every console error and page error.

The system Chromium is used as is (never `playwright install`); `make test` installs it from
Debian's packages (tools/system-packages.sh). Without it these tests fail: they never skip.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from live.settings import STATIC_DIR
from tests.conftest import Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MC_VIEWPORT = {"width": 1440, "height": 900}
PROJECTOR_VIEWPORT = {"width": 1920, "height": 1080}
TIMEOUT_MS = 10_000  # generous: a loaded CI machine; the timed checks set their own

expect.set_options(timeout=TIMEOUT_MS)

# Records the page's sockets without changing them, so a test can wait until a screen is
# really live (socket open and first snapshot handled) instead of sleeping.
WS_PROBE = """
(() => {
  const Native = window.WebSocket;
  const probe = { created: 0, opens: 0, snapshots: 0, current: null };
  window.__ws = probe;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      probe.created++;
      probe.current = this;
      this.addEventListener("open", () => { probe.opens++; });
      this.addEventListener("message", (event) => {
        try { if (JSON.parse(event.data).type === "snapshot") probe.snapshots++; } catch {}
      });
    }
  };
})();
"""
LIVE_JS = """
(min) => window.__ws && window.__ws.snapshots >= min && window.__ws.current
  && window.__ws.current.readyState === 1
"""


# Module scope: sync Playwright runs an event loop in this thread while it is open, which
# would break tests elsewhere that start their own loop.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests drive Debian's Chromium. "
            "`make test` installs it (tools/system-packages.sh)."
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Screens:
    """The browser pages of one test, with what went wrong in them."""

    browser: Browser
    server: Server
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)
    checked: bool = False
    _keys: dict[str, str] = field(default_factory=dict)

    def key(self, role: str) -> str:
        if not self._keys:
            self._keys = self.server.keys()
        return self._keys[role]

    def new_page(self, name: str, viewport: dict[str, int] = MC_VIEWPORT) -> Page:
        """A blank page in a fresh context, its console errors and page errors recorded."""
        ctx = self.browser.new_context(viewport=viewport, locale="vi-VN")
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.add_init_script(WS_PROBE)
        self.contexts.append(ctx)
        page = ctx.new_page()

        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                where = msg.location.get("url", "")
                self.errors.append(f"[{name}] console error: {msg.text} ({where})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"[{name}] page error: {exc}"))
        return page

    def open(
        self, screen: str, role: str | None = None, viewport: dict[str, int] | None = None
    ) -> Page:
        """Open a screen through its role link (the key link sets the cookie and redirects to
        the clean URL), then wait until its socket is live."""
        role = role or screen
        page = self.new_page(
            screen, viewport or (PROJECTOR_VIEWPORT if screen == "projector" else MC_VIEWPORT)
        )
        response = page.goto(f"{self.server.url}/e/demo/{screen}?key={self.key(role)}")
        assert response is not None and response.status == 200, response and response.status
        assert page.url == f"{self.server.url}/e/demo/{screen}", page.url
        wait_live(page)
        return page

    def mc(self) -> Page:
        return self.open("mc")

    def projector(self) -> Page:
        return self.open("projector")

    def allow(self, pattern: str) -> None:
        """Expect console errors matching `pattern` in this test (e.g. a refused socket while
        the server is down on purpose)."""
        self.allowed.append(re.compile(pattern))

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    def assert_no_errors(self) -> None:
        self.checked = True
        errors = self.unexpected_errors()
        assert not errors, "errors in the browser:\n" + "\n".join(errors)

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()
        self.contexts.clear()


def wait_live(page: Page, snapshots: int = 1, timeout: float = TIMEOUT_MS) -> None:
    """Until the page's socket is open and has handled at least `snapshots` snapshots."""
    page.wait_for_function(LIVE_JS, arg=snapshots, timeout=timeout)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def screens(request: pytest.FixtureRequest, browser: Browser, server: Server) -> Iterator[Screens]:
    s = Screens(browser, server)
    try:
        yield s
        call = getattr(request.node, "report_call", None)
        if call is not None and call.failed:
            # The test failed already: its browser errors are context, not a second failure.
            for line in s.unexpected_errors():
                print(line)
        elif not s.checked:  # a test that forgot: the check still runs
            s.assert_no_errors()
    finally:
        s.close()


def api_state(server: Server) -> dict:
    response = httpx.get(
        f"{server.url}/api/e/demo/state",
        headers={"Authorization": f"Bearer {server.keys()['mc']}"},
    )
    response.raise_for_status()
    return response.json()


def command_ok(server: Server, name: str, args: dict | None = None) -> dict:
    response = server.command(name, args)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="session")
def demo_video() -> Path:
    """The demo's 45 s report video (VP9 + Opus), shipped in static/media."""
    path = STATIC_DIR / "media" / "phong-su-demo.webm"
    assert path.stat().st_size > 100_000
    return path


def attach_video(server: Server, clip: Path, name: str, position: int = 3) -> str:
    """Copy `clip` into the server's media dir and make it the video of step `position`."""
    server.media_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clip, server.media_dir / name)
    media = f"uploads/{name}"
    command_ok(server, "step.media", {"position": position, "media": media})
    return media


def shoot(page: Page, name: str) -> None:
    """A screenshot for docs/screenshots/ (the README shows them)."""
    page.mouse.move(0, 0)  # no hover effect on whatever was clicked last
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The browser tests run on SQLite (one cross-worker test on PostgreSQL has its own)."""
    return f"sqlite:///{tmp_path / 'live.db'}"
