"""Issue 15 on screen: a question closed «Trả lời bằng văn bản» reaches the notice and the
secretary's form, a secretary's outcome shows on the moderator console, and the notice keeps
the line breaks typed in it and quotes text as written, in the preview and the print view."""

from dataclasses import replace

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from live.app import prepare_database
from live.models import Question
from live.settings import Settings
from tests.browser.conftest import Screens
from tests.conftest import Server

pytestmark = pytest.mark.browser


def ok(server: Server, name: str, args: dict, role: str) -> dict:
    response = server.command(name, args, role=role)
    assert response.status_code == 200, response.text
    return response.json()


def queued(server: Server, n: int) -> list[Question]:
    """The first `n` questions in the queue, read from the server's database."""
    engine = prepare_database(replace(Settings(), database_url=server.database_url))
    with Session(engine) as s:
        query = select(Question).where(Question.status == "queued").order_by(Question.number)
        return list(s.exec(query.limit(n)).all())


def test_closing_in_writing_reaches_the_notice_and_a_secretarys_outcome_the_console(
    screens: Screens,
) -> None:
    server = screens.server
    first, second = queued(server, 2)
    moderator = screens.open("moderator")
    secretary = screens.open("secretary")

    # The floor closes the first in writing; nobody recorded anything for it.
    ok(server, "question.close", {"id": first.id, "outcome": "in_writing"}, "moderator")
    paragraph = secretary.locator("#sec-notice .n-para", has_text=f"(câu {first.number})")
    expect(paragraph).to_contain_text("trả lời bằng văn bản.")
    expect(secretary.locator("#sec-answer select[name=outcome]")).to_have_value("in_writing")
    expect(secretary.locator("#sec-answer [data-save-state]")).to_have_text("Đã lưu bản 1")

    # A secretary chose another outcome for the second: closing it in writing keeps theirs,
    # and the moderators see it on the closed question.
    ok(
        server,
        "answer.save",
        {"question_id": second.id, "base_version": 0, "outcome": "study"},
        "secretary",
    )
    ok(server, "question.close", {"id": second.id, "outcome": "in_writing"}, "moderator")
    done = moderator.locator(f'#mod-done li[data-key="{second.id}"]')
    expect(done).to_contain_text("Trả lời bằng văn bản")
    expect(done.locator(".tag-outcome")).to_have_text("Thư ký ghi: Ghi nhận, nghiên cứu")
    # The first: the secretary's outcome is the floor's close, nothing more to say.
    expect(moderator.locator(f'#mod-done li[data-key="{first.id}"] .tag-outcome')).to_have_count(0)
    later = secretary.locator("#sec-notice .n-para", has_text=f"(câu {second.number})")
    expect(later).to_contain_text("Chủ tịch UBND tỉnh ghi nhận, giao nghiên cứu, đề xuất.")
    expect(later).not_to_contain_text("trả lời bằng văn bản")
    screens.assert_no_errors()


def test_the_notice_keeps_typed_line_breaks_and_quotes_as_written(
    screens: Screens, tmp_path
) -> None:
    server = screens.server
    typed = "Hội nghị đạt kết quả:\n- dân chủ, thẳng thắn;\n- đúng chương trình."
    asked = ok(
        server,
        "question.add",
        {"text": "Hòa Bình cần thêm nhà trẻ cho con công nhân", "asker_unit": "LĐLĐ huyện"},
        "moderator",
    )["result"]
    ok(server, "question.close", {"id": asked["id"], "outcome": "answered"}, "moderator")
    ok(
        server,
        "answer.save",
        {
            "question_id": asked["id"],
            "base_version": 0,
            "responder_agency": "Sở Giáo dục và Đào tạo",
            "summary": "Sở Giáo dục và Đào tạo đã trình đề án",
        },
        "secretary",
    )
    ok(server, "notice.edit", {"key": "assessment", "text": typed, "base_version": 0}, "secretary")

    secretary = screens.open("secretary")
    printable = screens.new_page("notice", {"width": 900, "height": 1273})
    printable.goto(f"{server.url}/e/demo/secretary?key={screens.key('secretary')}")
    printable.goto(f"{server.url}/e/demo/notice")
    for page, notice in (
        (secretary, secretary.locator("#sec-notice .notice")),
        (printable, printable.locator(".notice")),
    ):
        assessment = notice.locator(".n-para.edited p")
        # innerText follows the CSS: with the line breaks collapsed it would be one line.
        assert assessment.inner_text() == typed, page.url
        box = assessment.bounding_box()
        line = float(assessment.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)") or 0)
        assert box is not None and box["height"] >= 2.5 * line, (box, line)
        question = notice.locator(".n-para", has_text="nhà trẻ cho con công nhân")
        expect(question).to_contain_text("): Hòa Bình cần thêm nhà trẻ cho con công nhân.")
        expect(question).to_contain_text("đã giải đáp: Sở Giáo dục và Đào tạo đã trình đề án.")
    opening = printable.locator(".notice .n-para").first
    expect(opening).not_to_contain_text(" 0 ý kiến")
    printable.emulate_media(media="print")
    assert printable.locator(".n-para.edited p").inner_text() == typed
    printable.screenshot(path=tmp_path / "notice-print.png", full_page=True)
    screens.assert_no_errors()
