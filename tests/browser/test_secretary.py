"""The secretaries' screen in Chromium: typing is kept through a reload, and two secretaries
saving the same answer get a conflict with both versions shown — nothing is lost."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Screens, shoot, wait_live

pytestmark = pytest.mark.browser

SUMMARY = "textarea[name=summary]"
STATE = "#sec-answer [data-save-state]"


def put_a_question_on_the_floor(screens: Screens) -> None:
    server = screens.server
    assert server.command("step.goto", {"position": 4}).status_code == 200
    for _ in range(2):  # question 1 on deck at mic 1, then live
        assert server.command("floor.next", role="moderator").status_code == 200


def test_typing_survives_a_reload_and_is_saved(screens: Screens) -> None:
    put_a_question_on_the_floor(screens)
    page = screens.open("secretary")
    expect(page.locator("#sec-answer .q-head")).to_contain_text("Câu 1")
    page.fill(SUMMARY, "Giám đốc Sở Lao động - Thương binh và Xã hội trả lời: sẽ kiểm tra.")
    expect(page.locator(STATE)).to_have_text("Đã lưu bản 1", timeout=5000)

    # Type more and reload at once, before the autosave: nothing is lost.
    page.click(SUMMARY)
    page.keyboard.press("End")
    page.keyboard.type(" Thêm: hạn cuối quý III.")
    page.reload()
    wait_live(page)
    expect(page.locator(SUMMARY)).to_have_value(
        "Giám đốc Sở Lao động - Thương binh và Xã hội trả lời: sẽ kiểm tra. Thêm: hạn cuối quý III."
    )
    expect(page.locator(STATE)).to_have_text("Đã lưu bản 2", timeout=5000)
    screens.assert_no_errors()


def test_two_secretaries_conflict_and_both_versions_are_kept(screens: Screens) -> None:
    put_a_question_on_the_floor(screens)
    a = screens.open("secretary")
    b = screens.open("secretary")
    # Both start from the same saved version…
    a.fill(SUMMARY, "Bản gốc")
    expect(a.locator(STATE)).to_have_text("Đã lưu bản 1", timeout=5000)
    expect(b.locator(SUMMARY)).to_have_value("Bản gốc")

    # …then B starts typing, and A saves first.
    b.click(SUMMARY)
    b.keyboard.press("End")
    b.keyboard.type(" — B thêm ý của Sở")
    a.fill(SUMMARY, "Bản gốc — A sửa lại")
    a.locator("#sec-answer select[name=outcome]").select_option("in_writing")
    a.get_by_role("button", name="Lưu", exact=True).click()  # before B's autosave
    expect(a.locator(STATE)).to_have_text("Đã lưu bản 2", timeout=5000)

    conflict = b.locator("#sec-answer .conflict")
    expect(conflict).to_be_visible(timeout=5000)
    expect(conflict).to_contain_text("Bản gốc — B thêm ý của Sở")  # B's own, unsaved
    expect(conflict).to_contain_text("Bản gốc — A sửa lại")  # the saved one
    # Every field shows, by its name; the outcome by its words, marked where they differ.
    saved = conflict.locator(".conflict-cols > div").nth(1)
    expect(saved).to_contain_text("▸ Kết quả: Trả lời bằng văn bản")
    expect(conflict.locator(".conflict-cols > div").nth(0)).not_to_contain_text("Kết quả")
    shoot(b, "secretary-conflict.png")

    # B keeps theirs: it is saved on top, knowingly, and A's screen follows.
    b.get_by_role("button", name="Giữ bản của tôi (ghi đè lên bản kia)").click()
    expect(b.locator(STATE)).to_have_text("Đã lưu bản 3", timeout=5000)
    expect(b.locator("#sec-answer .conflict")).to_have_count(0)
    expect(a.locator(SUMMARY)).to_have_value("Bản gốc — B thêm ý của Sở", timeout=5000)
    screens.assert_no_errors()


def test_commitments_are_added_and_listed(screens: Screens) -> None:
    put_a_question_on_the_floor(screens)
    page = screens.open("secretary")
    new = page.locator("form.commitment.new")
    new.locator("textarea[name=task]").fill(
        "Kiểm tra việc trả lương tối thiểu vùng tại KCN Lương Sơn"
    )
    new.locator("input[name=lead_agency]").fill("Sở Lao động - Thương binh và Xã hội")
    new.locator("input[name=cooperating]").fill(
        "Liên đoàn Lao động tỉnh; Ban Quản lý các khu công nghiệp tỉnh"
    )
    new.locator("input[name=deadline]").fill("2024-09-30")
    new.get_by_role("button", name="Thêm nhiệm vụ").click()
    saved = page.locator("form.commitment:not(.new)")
    expect(saved).to_have_count(1)
    expect(saved.locator("input[name=cooperating]")).to_have_value(
        "Liên đoàn Lao động tỉnh; Ban Quản lý các khu công nghiệp tỉnh"
    )
    expect(new.locator("textarea[name=task]")).to_have_value("")
    expect(page.locator("#sec-list")).to_contain_text("1 nhiệm vụ")
    shoot(page, "secretary.png")
    screens.assert_no_errors()


def test_the_notice_is_drafted_beside_the_questions_and_edits_stick(screens: Screens) -> None:
    put_a_question_on_the_floor(screens)
    page = screens.open("secretary")
    new = page.locator("form.commitment.new")
    new.locator("textarea[name=task]").fill(
        "kiểm tra việc áp dụng lương tối thiểu vùng tại KCN Lương Sơn"
    )
    new.locator("input[name=lead_agency]").fill("Sở Lao động - Thương binh và Xã hội")
    new.locator("input[name=cooperating]").fill("Liên đoàn Lao động tỉnh")
    new.locator("input[name=deadline]").fill("2024-09-30")
    new.get_by_role("button", name="Thêm nhiệm vụ").click()
    notice = page.locator("#sec-notice .notice")
    expect(notice).to_contain_text(
        "Giao Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh"
        " kiểm tra việc áp dụng lương tối thiểu vùng tại KCN Lương Sơn, hoàn thành trước ngày 30/09/2024."
    )

    # Rewrite the general assessment: the edit replaces the drafted text, for everyone.
    para = notice.locator(".n-para").nth(1)
    para.locator("summary").click()
    para.locator("textarea").fill("Hội nghị diễn ra dân chủ, thẳng thắn, đúng chương trình.")
    para.get_by_role("button", name="Lưu đoạn này").click()
    expect(notice).to_contain_text("Hội nghị diễn ra dân chủ, thẳng thắn, đúng chương trình.")
    expect(notice.locator(".n-para.edited")).to_have_count(1)

    printable = screens.new_page("notice", {"width": 900, "height": 1273})
    printable.goto(f"{screens.server.url}/e/demo/secretary?key={screens.key('secretary')}")
    printable.goto(f"{screens.server.url}/e/demo/notice")
    expect(printable.locator(".notice")).to_contain_text("Hội nghị diễn ra dân chủ, thẳng thắn")
    shoot(printable, "notice.png")
    screens.assert_no_errors()


def test_followup_after_the_day(screens: Screens) -> None:
    put_a_question_on_the_floor(screens)
    page = screens.open("secretary")
    for task, lead, deadline in (
        ("kiểm tra lương tối thiểu vùng", "Sở Lao động - Thương binh và Xã hội", "2024-09-30"),
        ("rà soát nợ đóng bảo hiểm xã hội", "Bảo hiểm xã hội tỉnh", "2099-12-31"),
    ):
        new = page.locator("form.commitment.new")
        new.locator("textarea[name=task]").fill(task)
        new.locator("input[name=lead_agency]").fill(lead)
        new.locator("input[name=deadline]").fill(deadline)
        new.get_by_role("button", name="Thêm nhiệm vụ").click()
        expect(new.locator("textarea[name=task]")).to_have_value("")

    follow = screens.open("followup", role="secretary")
    expect(follow.locator(".followup-count")).to_contain_text("0/2")
    expect(follow.locator('tr[data-status="overdue"]')).to_have_count(1)  # 2024 has passed
    row = follow.locator("tr", has_text="rà soát nợ đóng")
    row.locator("select[name=status]").select_option("done")
    row.locator("input[name=note]").fill("Đã thu hồi 80% số nợ")
    row.get_by_role("button", name="Lưu").click()
    expect(follow.locator(".followup-count")).to_contain_text("1/2")
    follow.reload()
    wait_live(follow)
    expect(
        follow.locator("tr", has_text="rà soát nợ đóng").locator("input[name=note]")
    ).to_have_value("Đã thu hồi 80% số nợ")
    follow.locator("select[data-filter=agency]").select_option("Bảo hiểm xã hội tỉnh")
    expect(follow.locator("tr[data-filter-item]:visible")).to_have_count(1)
    shoot(follow, "followup.png")
    screens.assert_no_errors()
