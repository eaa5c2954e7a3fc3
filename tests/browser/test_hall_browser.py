"""The hall's network and the lighter pages, in Chromium: the admin sees the phones reach the
question form as they do, a server that phones cannot reach says so on the admin and MC
screens and shows no QR code to the hall, and the check-in desk's one editor edits a row.

Phones are simulated from 127.x source addresses; nothing is sent to any other address."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from live.demo_people import DEMO_DELEGATES
from live.render import plain
from tests.browser.conftest import PROJECTOR_VIEWPORT, Screens, command_ok, shoot
from tests.conftest import Server

pytestmark = pytest.mark.browser


def test_the_admin_watches_the_phones_reach_the_form(screens: Screens):
    admin = screens.open("admin")
    admin.locator("#admin-links").scroll_into_view_if_needed()
    count = admin.locator("#admin-links .phones-today strong")
    expect(count).to_have_text("0")
    public = admin.locator("#admin-links .link-card.public")
    expect(public.locator("svg")).to_have_count(1)  # the code phones scan
    expect(public).to_contain_text(f"http://192.0.2.10:{screens.server.port}/e/demo/ask")
    # A screen link's QR code is drawn once it is on screen, and is a real image.
    first_qr = admin.locator("#admin-links img.qr").first
    first_qr.scroll_into_view_if_needed()
    expect(first_qr).to_have_js_property("complete", True)
    assert first_qr.evaluate("img => img.naturalWidth") > 0

    for n in (1, 2, 3):  # three phones, each from its own address, as on the hall's Wi-Fi
        with httpx.Client(transport=httpx.HTTPTransport(local_address=f"127.4.0.{n}")) as phone:
            assert phone.get(f"{screens.server.url}/e/demo/ask").status_code == 200
            assert phone.get(f"{screens.server.url}/e/demo/ask").status_code == 200  # again
        expect(count).to_have_text(str(n))  # pushed: no reload
    admin.locator("#admin-links").evaluate("el => window.scrollTo(0, el.offsetTop - 50)")
    shoot(admin, "admin-links.png")
    screens.assert_no_errors()


@pytest.fixture
def loopback_server(tmp_path: Path) -> Iterator[Server]:
    """A server whose address for phones is 127.0.0.1: no LAN address, no public URL."""
    srv = Server(db_path=tmp_path / "live.db", media_dir=tmp_path / "media", public_host="")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def test_a_server_phones_cannot_reach_says_so_and_shows_no_code(
    browser: Browser, loopback_server: Server
):
    screens = Screens(browser, loopback_server)
    try:
        mc = screens.open("mc")
        warning = mc.locator(".unreachable")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("chưa mở được trang gửi câu hỏi")
        expect(warning).to_contain_text("LIVE_PUBLIC_URL")
        shoot(mc, "mc-unreachable.png")
        admin = screens.open("admin")
        expect(admin.locator("#admin-links .unreachable")).to_contain_text("--public-url")

        projector = screens.open("projector", viewport=PROJECTOR_VIEWPORT)
        command_ok(loopback_server, "step.goto", {"position": 4})  # the dialogue: code shown
        expect(projector.locator(".floor-idle")).to_be_visible()
        expect(projector.locator(".banner-qr")).to_have_count(0)
        command_ok(loopback_server, "projector.mode", {"mode": "hold"})
        expect(projector.locator(".banner[data-mode=hold]")).to_be_visible()
        expect(projector.locator(".banner-qr, svg")).to_have_count(0)
        screens.assert_no_errors()
    finally:
        screens.close()


def test_the_check_in_editor_edits_the_row_it_was_opened_on(screens: Screens):
    desk = screens.open("checkin")
    name = str(DEMO_DELEGATES[9]["name"])
    row = desk.locator("#checkin-list li.dg").filter(
        has=desk.locator(".dg-name", has_text=re.compile(rf"^{re.escape(name)}$"))
    )
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Sửa", exact=True).click()
    editor = desk.locator("#delegate-editor")
    expect(editor).to_be_visible()
    expect(editor.locator("input[name=name]")).to_have_value(name)
    expect(editor.locator("input[name=unit]")).to_have_value(str(DEMO_DELEGATES[9]["unit"]))
    editor.locator("input[name=position]").fill("Tổ trưởng công đoàn")
    editor.get_by_role("button", name="Lưu").click()
    expect(editor).to_be_hidden()
    expect(row.locator(".dg-position")).to_have_text("Tổ trưởng công đoàn")
    # A refusal (another delegate's seat) keeps the editor open with what was typed.
    taken = desk.locator("#checkin-list li.dg .dg-seat").first.inner_text()
    row.get_by_role("button", name="Sửa", exact=True).click()
    editor.locator("input[name=seat]").fill(taken)
    editor.get_by_role("button", name="Lưu").click()
    expect(desk.locator("#toast")).to_contain_text(f"Ghế {taken} đã xếp cho")
    expect(editor).to_be_visible()
    expect(editor.locator("input[name=seat]")).to_have_value(taken)
    editor.get_by_role("button", name="Đóng").click()
    expect(editor).to_be_hidden()
    # The search still finds people by their text, with or without diacritics.
    desk.fill("#checkin-search", f"{plain(name)} to truong")
    expect(desk.locator("#checkin-list li.dg:not([hidden])")).to_have_count(1)
    screens.assert_no_errors()
