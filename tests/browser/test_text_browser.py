"""Text that arrives from outside, in a real Chromium against a real server (issue 15): a
word without spaces never widens a page, a bidirectional control never turns text around on
a screen (whether it came through a form or was already stored), decomposed Unicode (NFD)
is stored composed and found by the check-in search, and a desk's confirmation names the
person it just checked in."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from playwright.sync_api import Page, expect

from live.demo import DEMO_STEPS
from live.demo_people import DEMO_DELEGATES
from tests.browser.conftest import Screens
from tests.conftest import Server

pytestmark = pytest.mark.browser

DIALOGUE = next(i for i, s in enumerate(DEMO_STEPS, start=1) if s["kind"] == "dialogue")
LONG_WORD = "Kiến_nghị_" + "x" * 3000  # a pasted link or a stuck key: no space anywhere
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "abc" after it shows as "cba"


def fits(page: Page) -> tuple[int, int]:
    """The page's (scrollWidth, clientWidth)."""
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def admin(server: Server, name: str, args: dict) -> dict:
    response = server.command(name, args, role="admin")
    assert response.status_code == 200, response.text
    return response.json()["result"]


def db(server: Server) -> sqlite3.Connection:
    return sqlite3.connect(server.db_path)


def test_a_word_without_spaces_never_widens_a_screen(screens: Screens, server: Server) -> None:
    admin(server, "step.goto", {"position": DIALOGUE})
    asked = admin(server, "question.add", {"text": LONG_WORD, "asker_name": LONG_WORD[:200]})
    admin(server, "question.assign", {"id": asked["id"], "mic": 1})
    admin(server, "question.live", {"id": asked["id"]})
    admin(
        server,
        "delegate.add",
        {"name": LONG_WORD[:120], "unit": LONG_WORD[:200], "desk": 1},
    )
    for screen in ("moderator", "mc", "projector", "checkin", "secretary"):
        page = screens.open(screen)
        expect(page.locator("body")).to_contain_text("x" * 50)  # it is there…
        scroll, client = fits(page)
        assert scroll <= client, (screen, scroll, client)  # …and wraps
    sheets = screens.open("admin")
    for sheet in ("badges", "placards", "seats"):  # the printed sheets too
        sheets.goto(f"{server.url}/e/demo/print/{sheet}")
        if sheet == "badges":  # the walk-in's badge (placards: the introduced; seats: seated)
            expect(sheets.locator("body")).to_contain_text("x" * 50)
        scroll, client = fits(sheets)
        assert scroll <= client, (sheet, scroll, client)
    ask = screens.new_page("ask")
    ask.goto(f"{server.url}/e/demo/ask")
    ask.fill("input[name=asker_name]", "Lò Thị Hà")
    ask.fill("input[name=asker_unit]", LONG_WORD[:200])
    ask.fill("textarea[name=text]", LONG_WORD[:2000])
    scroll, client = fits(ask)
    assert scroll <= client, ("ask", scroll, client)
    screens.assert_no_errors()


def test_no_text_turns_its_neighbours_around(screens: Screens, server: Server) -> None:
    """Through the public form the control is removed on the way in; a text stored before
    (or by any other way) is written to every screen without it."""
    ask = screens.new_page("ask")
    ask.goto(f"{server.url}/e/demo/ask")
    ask.fill("input[name=asker_name]", f"Đinh {RLO}Văn Bình")
    ask.fill("input[name=asker_unit]", "Sở Y tế")
    ask.fill("textarea[name=text]", f"Lương {RLO}tối thiểu vùng")
    ask.get_by_role("button", name="Gửi câu hỏi").click()
    expect(ask.locator(".ask-sent")).to_contain_text("Đã nhận câu hỏi số")
    with db(server) as conn:
        name, text = conn.execute(
            "SELECT asker_name, text FROM question WHERE source = 'phone' ORDER BY id DESC"
        ).fetchone()
        assert (name, text) == ("Đinh Văn Bình", "Lương tối thiểu vùng")
        # stored as is by another way (an old database, a hand edit)
        conn.execute(
            "UPDATE question SET text = ? WHERE asker_name = 'Đinh Văn Bình'",
            (f"Lương {RLO}tối thiểu vùng",),
        )
    moderator = screens.open("moderator")
    pending = moderator.locator("#mod-pending")
    expect(pending).to_contain_text("Lương tối thiểu vùng")
    assert RLO not in moderator.content()
    # what a user typed is its own bidirectional island on the screen
    isolated = moderator.evaluate(
        "getComputedStyle(document.querySelector('#mod-pending [data-field], #mod-pending b'))"
        ".unicodeBidi"
    )
    assert isolated == "isolate"
    screens.assert_no_errors()


def test_decomposed_text_is_stored_composed_and_found(screens: Screens, server: Server) -> None:
    name = "Hà Thị Thử Nghiệm"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    desk = screens.open("checkin")
    walk_in = desk.locator("form[data-command='delegate.add']")
    desk.locator("details.walk-in summary").click()
    walk_in.locator("input[name=name]").fill(nfd)  # typed by a keyboard that decomposes
    walk_in.locator("input[name=unit]").fill(unicodedata.normalize("NFD", "Công đoàn Sở Y tế"))
    walk_in.get_by_role("button", name="Thêm và ghi có mặt").click()
    expect(desk.locator("#checkin-list")).to_contain_text(name)
    with db(server) as conn:
        stored, unit = conn.execute(
            "SELECT name, unit FROM delegate WHERE walk_in ORDER BY id DESC"
        ).fetchone()
    assert (stored, unit) == (name, "Công đoàn Sở Y tế")  # composed (NFC)
    # the search finds it typed either way
    for typed in (nfd, name):
        desk.fill("#checkin-search", typed)
        expect(desk.locator("#checkin-count"), typed).to_have_text("1 người khớp")
    desk.fill("#checkin-search", "thu nghiem")  # without diacritics: among those it finds
    found = desk.locator("#checkin-list li.dg:not([hidden]) .dg-name")
    expect(found.filter(has_text=name)).to_have_count(1)
    # through the API too
    admin(server, "delegate.add", {"name": unicodedata.normalize("NFD", "Lê Thị Ánh")})
    with db(server) as conn:
        assert (
            conn.execute("SELECT count(*) FROM delegate WHERE name = 'Lê Thị Ánh'").fetchone()[0]
            == 1
        )
    screens.assert_no_errors()


def test_the_desk_confirms_the_person_it_just_checked_in(screens: Screens) -> None:
    desk = screens.open("checkin")
    first, second = DEMO_DELEGATES[40]["name"], DEMO_DELEGATES[41]["name"]
    desk.fill("#checkin-search", "DB0041")
    desk.press("#checkin-search", "Enter")
    expect(desk.locator("#checkin-last")).to_contain_text(f"✓ {first}")
    # then someone by the row's button: the confirmation names them, not the one before
    row = desk.locator("#checkin-list li.dg[data-code='DB0042']")
    row.get_by_role("button", name="Có mặt", exact=True).click()
    expect(desk.locator("#checkin-last")).to_contain_text(f"✓ {second}")
    screens.assert_no_errors()
