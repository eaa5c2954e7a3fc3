"""Importing a unit's question list on the moderators' console (issue 15): the good rows go
in, the screen lists each row kept out with its line and reason, and offers those rows back
as a sheet to fix and import again."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import Screens

pytestmark = pytest.mark.browser

HEADERS = ["TT", "Tên đơn vị", "Lĩnh vực", "Ý kiến, đề xuất của người lao động"]
SHOT = Path(os.environ.get("IMPORT_SHOT", "/tmp/import-report.png"))


def question_list() -> bytes:
    """44 good questions and, on line 33, one with a field not on the list."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH Ý KIẾN CỦA NGƯỜI LAO ĐỘNG"])
    sheet.merge_cells("A1:D1")
    sheet.append(HEADERS)
    rows = [
        [n, "LĐLĐ huyện Lạc Sơn", "Khác", f"Ý kiến thứ {n} về ca làm việc ban đêm"]
        for n in range(1, 45)
    ]
    rows.insert(30, ["x", "CĐ ngành Y tế", "Lĩnh vực lạ", "Câu có lĩnh vực lạ"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_import_shows_each_rejected_row_and_hands_it_back(screens: Screens) -> None:
    mod = screens.open("moderator")
    form = mod.locator("form.upload[action$='/questions/import']")
    form.locator("input[type=file]").set_input_files(
        {
            "name": "y-kien.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": question_list(),
        }
    )
    form.locator("button[type=submit]").click()
    report = form.locator("output.import-report")
    expect(report.locator(".import-summary")).to_contain_text("Đã nhập 44 câu hỏi.")
    expect(report.locator(".import-summary")).to_contain_text("Chưa nhập 1 dòng")
    expect(report.locator(".import-summary")).to_contain_text(
        "cột «Ý kiến, đề xuất của người lao động» làm nội dung câu hỏi"
    )
    expect(report).to_have_class("import-report partly")
    rejected = report.locator(".import-rejected li")
    expect(rejected).to_have_count(1)
    expect(rejected).to_have_attribute("data-line", "33")
    expect(rejected).to_contain_text("Dòng 33: chưa nhập — lĩnh vực «Lĩnh vực lạ»")
    report.scroll_into_view_if_needed()
    mod.mouse.move(0, 0)
    mod.screenshot(path=SHOT)
    with mod.expect_download() as download:
        report.locator("a.import-download").click()
    got = download.value
    assert got.suggested_filename == "cau-hoi-chua-nhap-demo.xlsx"
    sheet = load_workbook(io.BytesIO(Path(got.path()).read_bytes())).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [*HEADERS, "Lý do"]
    assert values[1][:4] == ["x", "CĐ ngành Y tế", "Lĩnh vực lạ", "Câu có lĩnh vực lạ"]
    assert values[1][4].startswith("Dòng 33: lĩnh vực «Lĩnh vực lạ» không có trong danh sách")
    # the queue holds the 44 imported questions, under the list's spelling of the unit
    expect(mod.locator("text=Ý kiến thứ 44 về ca làm việc ban đêm").first).to_be_attached()
    screens.assert_no_errors()
