"""The audit log and the replay of the projector, in Chromium (under the CSP: a blocked
inline script or style would show as a console error and fail the test)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Screens, command_ok, shoot


def test_the_replay_plays_back_what_the_projector_showed(screens: Screens) -> None:
    server = screens.server
    command_ok(server, "step.next")
    command_ok(server, "projector.mode", {"mode": "hold"})
    command_ok(server, "projector.mode", {"mode": "live"})
    command_ok(server, "step.goto", {"position": 4})
    # A question goes on deck: the projector's "next in line" changes.
    assert server.command("floor.next", role="moderator").status_code == 200

    admin = screens.open("admin")
    admin.goto(f"{server.url}/e/demo/audit")
    expect(admin.locator(".audit-table tbody tr")).to_have_count(5)
    expect(admin.locator(".audit-table tbody tr").first).to_contain_text("floor.next")
    admin.select_option("select[name=role]", "mc")
    admin.get_by_role("button", name="Lọc").click()
    expect(admin.locator(".audit-table tbody tr")).to_have_count(4)
    shoot(admin, "audit.png")

    admin.get_by_role("link", name="Xem lại màn chiếu").click()
    where = admin.locator("#replay-where")
    expect(where).to_contain_text("Khung 1/6")
    stage = admin.locator("#projector-stage")
    expect(stage.locator("[data-mode=welcome]")).to_be_visible()
    admin.locator("#replay-next").click()
    expect(where).to_contain_text("Khung 2/6")
    expect(where).to_contain_text("step.next")
    expect(stage.locator("[data-mode=step][data-position='1']")).to_be_visible()
    admin.locator("#replay-next").click()
    expect(stage.locator("[data-mode=hold]")).to_be_visible()
    # The replay box is 16:9 and the picture fills it (container units, not the window's).
    box = admin.locator(".replay-stage").bounding_box()
    banner = stage.locator(".banner").bounding_box()
    assert box and banner and abs(box["width"] / box["height"] - 16 / 9) < 0.02
    assert abs(banner["width"] - box["width"]) < 2 and abs(banner["height"] - box["height"]) < 2

    admin.select_option("#replay-speed", "600")
    admin.locator("#replay-play").click()
    expect(where).to_contain_text("Khung 6/6")
    expect(stage.locator(".floor-view")).to_be_visible()
    expect(admin.locator("#replay-play")).to_have_text("▶ Phát")  # stopped at the end
    shoot(admin, "replay.png")
    screens.assert_no_errors()
