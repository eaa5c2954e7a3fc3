"""Keyed list patches in Chromium with 400 questions queued: a change touches the one item
it is about. Every item node of the consoles is tagged before each step (a JS expando
property, which a re-created node does not have), so "the others were left alone" is
checked on the DOM itself, not inferred from the text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Screens, command_ok, shoot, wait_live
from tests.browser.test_floor_browser import DIALOGUE, PHONE, ask_page, send_from_phone

pytestmark = pytest.mark.browser

EXTRA = 360  # with the demo's 40 written questions: 400 queued

TAG = """list => { for (const el of document.querySelectorAll(`#${list} > [data-key]`)) el.__tag = el.dataset.key; }"""
KEPT = """list => [...document.querySelectorAll(`#${list} > [data-key]`)].filter((el) => el.__tag === el.dataset.key).length"""
KEYS = """list => [...document.querySelectorAll(`#${list} > [data-key]`)].map((el) => el.dataset.key)"""
NODE_KEPT = (
    """([list, key]) => document.querySelector(`#${list} > [data-key="${key}"]`)?.__tag === key"""
)


def keys(page: Page, region: str = "mod-queue") -> list[str]:
    return page.evaluate(KEYS, region)


def tag(*pages: Page, region: str = "mod-queue") -> None:
    for page in pages:
        page.evaluate(TAG, region)


def kept(page: Page, region: str = "mod-queue") -> int:
    """How many item nodes are those tagged last (not re-created since)."""
    return page.evaluate(KEPT, region)


def item(page: Page, key: str, region: str = "mod-queue"):
    return page.locator(f'#{region} > [data-key="{key}"]')


def test_400_queued_each_change_touches_one_item(screens: Screens) -> None:
    server = screens.server
    rows = [
        {
            "text": f"Kiến nghị gửi trước số {n}: chế độ cho công nhân ở xã {n * 7 % 97}, tổ {n}",
            "asker_name": f"Người hỏi {n}",
            "asker_unit": "Công đoàn Viên chức tỉnh",
        }
        for n in range(EXTRA)
    ]
    imported = server.command("question.import", {"rows": rows}, role="moderator", timeout=120)
    assert imported.status_code == 200, imported.text
    command_ok(server, "step.goto", {"position": DIALOGUE})

    mod_a, mod_b = screens.open("moderator"), screens.open("moderator")
    mc = screens.mc()
    ask = ask_page(screens)
    queued = keys(mod_a)
    assert len(queued) == 400 and keys(mod_b) == queued
    expect(mod_a.locator("#mod-queue .q-no").nth(399)).to_have_text("400.")

    # A question from a phone: on both consoles' pending list; the queue is not touched.
    tag(mod_a, mod_b)
    number = send_from_phone(
        ask, "Đề nghị mở thêm nhà trẻ ca đêm cho con công nhân.", "Lò Thị Mai", "Công ty May 10"
    )
    for page in (mod_a, mod_b):
        expect(page.locator("#mod-pending .qitem")).to_have_count(1)
        expect(page.locator("#mod-pending")).to_contain_text(f"Câu {number}")
        assert kept(page) == 400
    new_key = keys(mod_a, "mod-pending")[0]

    # Approved on B: it joins the end of the queue on A, as one new node.
    item(mod_b, new_key, "mod-pending").get_by_role("button", name="Duyệt", exact=True).click()
    for page in (mod_a, mod_b):
        expect(item(page, new_key)).to_have_count(1)
        assert keys(page) == [*queued, new_key]
        assert kept(page) == 400  # the 400 before it are the same nodes
    expect(item(mod_a, new_key).locator(".q-no")).to_have_text("401.")

    # Moved to the top on A: on B the same node moves; nothing else is re-created.
    tag(mod_a, mod_b)
    item(mod_a, new_key).get_by_title("Lên đầu hàng").click()
    for page in (mod_a, mod_b):
        expect(page.locator("#mod-queue > [data-key]").first).to_have_attribute("data-key", new_key)
        assert keys(page) == [new_key, *queued]
        assert kept(page) == 401
        expect(page.locator("#mod-queue .q-no").first).to_have_text("1.")
    # …and the MC sees who comes next at the microphones.
    expect(mc.locator(".mc-upnext li").first).to_contain_text("Lò Thị Mai")

    # Edited on A in the one editor (who asks and the field: a new text would also change
    # the look-alike hints of the questions it resembles): on B that item alone is redrawn.
    middle = queued[200]
    tag(mod_a, mod_b)
    item(mod_a, middle).get_by_role("button", name="Sửa", exact=True).click()
    editor = mod_a.locator("#question-editor")
    text = editor.locator("textarea[name=text]")
    expect(text).to_have_value(re.compile("^Kiến nghị gửi trước số 160:"))
    expect(editor.locator("input[name=asker_name]")).to_have_value("Người hỏi 160")
    editor.locator("input[name=asker_position]").fill("Tổ trưởng công đoàn")
    editor.locator("input[name=field]").fill("nha o xa hoi")  # as the list spells it, once saved
    editor.get_by_role("button", name="Lưu", exact=True).click()
    expect(editor).to_be_hidden()
    for page in (mod_a, mod_b):
        edited = item(page, middle)
        expect(edited.locator(".q-pos")).to_have_text("Tổ trưởng công đoàn")
        expect(edited.locator("[data-field=field]")).to_have_text("Nhà ở xã hội")
        expect(edited.locator(".q-text")).to_have_text(re.compile("^Kiến nghị gửi trước số 160:"))
        assert kept(page) == 400  # 401 items, one redrawn
        assert not page.evaluate(NODE_KEPT, ["mod-queue", middle])
    shoot(mod_b, "moderator-400.png")

    # A reload shows the same list, in the same order.
    mod_b.reload()
    wait_live(mod_b)
    assert keys(mod_b) == keys(mod_a) == [new_key, *queued]
    expect(item(mod_b, middle).locator(".q-pos")).to_have_text("Tổ trưởng công đoàn")
    assert ask.viewport_size == PHONE
    screens.assert_no_errors()


def test_an_item_being_typed_in_keeps_the_typing_through_a_patch(screens: Screens) -> None:
    """The admin types who presents gift batch 1 while someone else saves another name for
    it: the item is not redrawn under the typing (it is marked), and the typed name is what
    gets saved."""
    admin = screens.open("admin")
    head = admin.locator('#admin-gift-list > [data-key="b1"]')
    field = head.locator("input[name=presenters]")
    field.click()
    field.fill("Đồng chí Chủ tịch LĐLĐ tỉnh")
    other = screens.server.command(
        "gift.presenters", {"batch": 1, "presenters": "Người khác lưu trước"}, role="admin"
    )
    assert other.status_code == 200, other.text
    expect(head).to_have_class(re.compile("has-update"))
    expect(field).to_have_value("Đồng chí Chủ tịch LĐLĐ tỉnh")
    head.get_by_role("button", name="Lưu").click()
    expect(head.locator("input[name=presenters]")).to_have_value("Đồng chí Chủ tịch LĐLĐ tỉnh")
    expect(admin.locator('#admin-gift-list > [data-key="b1"]')).not_to_have_class(
        re.compile("has-update")
    )
    helper = screens.open("gifts", role="checkin")  # what the helpers see: the typed name
    expect(helper.locator('#gifts-list > [data-key="b1"]')).to_contain_text(
        "Đồng chí Chủ tịch LĐLĐ tỉnh"
    )
    screens.assert_no_errors()
