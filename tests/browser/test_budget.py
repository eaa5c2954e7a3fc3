"""Every screen's weight on the wire, as Chromium sees it.

Each screen of the demo conference is opened through its role link in a fresh browser
context (a cold cache), and every HTTP byte it receives is counted: the redirect, the
document, styles, scripts, fonts, images, headers included (Chromium's
`Network.loadingFinished.encodedDataLength`). Websocket frames are not HTTP responses and
are not counted here. Then the same screen is opened again in the same context: a second
visit. The table of sizes is printed (docs/performance.md quotes it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import CDPSession, Page

from tests.browser.conftest import MC_VIEWPORT, PROJECTOR_VIEWPORT, Screens, wait_live

pytestmark = pytest.mark.browser

FIRST_LOAD_BUDGET = 150_000
SECOND_LOAD_BUDGET = 20_000

# (screen path under /e/demo/, the role whose link opens it, a live screen with a socket?)
SCREENS = [
    ("mc", "mc", True),
    ("projector", "projector", True),
    ("moderator", "moderator", True),
    ("mic/1", "mic", True),
    ("admin", "admin", True),
    ("secretary", "secretary", True),
    ("notice", "secretary", False),
    ("checkin", "checkin", True),
    ("gifts", "checkin", True),
    ("followup", "secretary", True),
    ("ask", None, False),
    ("audit", "admin", False),
    ("replay", "admin", False),
]


@dataclass
class Traffic:
    """What one page load received over HTTP, from Chromium's network events."""

    urls: dict[str, str] = field(default_factory=dict)  # request id -> URL
    received: dict[str, int] = field(default_factory=dict)  # request id -> bytes on the wire
    from_cache: set[str] = field(default_factory=set)

    def listen(self, cdp: CDPSession) -> None:
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", lambda e: self.from_cache.add(e["requestId"]))
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict) -> None:
        # A redirect reuses the request id: keep the bytes of both responses.
        rid = event["requestId"]
        if "redirectResponse" in event:
            self.received[rid + ":redirect"] = event["redirectResponse"].get("encodedDataLength", 0)
        self.urls[rid] = event["request"]["url"]

    def _finished(self, event: dict) -> None:
        self.received[event["requestId"]] = int(event["encodedDataLength"])

    @property
    def total(self) -> int:
        return sum(self.received.values())

    @property
    def fetched(self) -> int:
        """Requests answered over the network (not from the browser's cache)."""
        return sum(1 for n in self.received.values() if n > 0)

    def fonts(self) -> set[str]:
        return {u for u in self.urls.values() if u.endswith(".woff2")}


def load(page: Page, url: str, live: bool) -> Traffic:
    traffic = Traffic()
    cdp = page.context.new_cdp_session(page)
    traffic.listen(cdp)
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    if live:
        wait_live(page)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return traffic


def test_every_screen_loads_within_its_budget(screens: Screens) -> None:
    server = screens.server
    rows = []
    for path, role, live in SCREENS:
        viewport = PROJECTOR_VIEWPORT if path == "projector" else MC_VIEWPORT
        page = screens.new_page(path, viewport)
        link = f"{server.url}/e/demo/{path}" + (f"?key={screens.key(role)}" if role else "")
        first = load(page, link, live)
        again = page.context.new_page()
        second = load(again, f"{server.url}/e/demo/{path}", live)
        rows.append((path, first, second))

    print("\n| screen | first load, bytes | requests | second load, bytes | over the network |")
    print("|---|---:|---:|---:|---:|")
    for path, first, second in rows:
        print(
            f"| {path} | {first.total:,} | {len(first.urls)} | {second.total:,} "
            f"| {second.fetched} |"
        )
    for path, first, second in rows:
        for traffic in (first, second):
            elsewhere = {
                u
                for u in traffic.urls.values()
                if not u.startswith("data:") and urlsplit(u).netloc != f"127.0.0.1:{server.port}"
            }
            assert not elsewhere, f"{path}: requests to another host: {elsewhere}"
        assert len(first.fonts()) <= 2, f"{path}: more than two font files: {first.fonts()}"
    over = [(p, f.total) for p, f, _ in rows if f.total > FIRST_LOAD_BUDGET]
    assert not over, f"first loads over {FIRST_LOAD_BUDGET:,} bytes: {over}"
    over = [(p, s.total) for p, _, s in rows if s.total > SECOND_LOAD_BUDGET]
    assert not over, f"second loads over {SECOND_LOAD_BUDGET:,} bytes: {over}"
    screens.assert_no_errors()
