"""Reading question lists sent by units: good files, broken files, duplicate detection."""

from __future__ import annotations

import io
import itertools
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook, load_workbook

from live.demo_questions import DEMO_AGENCIES, DEMO_FIELDS, DEMO_QUESTIONS
from live.imports import (
    DUPLICATE_THRESHOLD,
    ImportReport,
    read_questions,
    rejected_xlsx,
    similar,
)

HEADERS = ["STT", "Đơn vị gửi", "Họ và tên", "Chức vụ", "Lĩnh vực", "Nội dung câu hỏi, kiến nghị, đề xuất", "Cơ quan trả lời"]  # fmt: skip
KEYS = ["unit", "asker_name", "asker_position", "field", "text", "agency"]
# The demo's near-duplicates, numbered from 1 as in live/demo_questions.py.
NEAR_DUPLICATES = {(5, 9), (10, 14), (18, 21)}
# Pairs as close in wording though about another concern: flagged too (see DUPLICATE_THRESHOLD).
LOOK_ALIKES = {(7, 36), (13, 30)}


def demo_rows() -> list[list[object]]:
    return [[n, *(q[k] for k in KEYS)] for n, q in enumerate(DEMO_QUESTIONS, start=1)]


def xlsx(rows: list[list[object]], headers: Sequence[str] = HEADERS, title: bool = True) -> bytes:
    """A workbook as units send it: a merged title row and a blank row above the header."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["DANH SÁCH CÂU HỎI, KIẾN NGHỊ CỦA CNVCLĐ GỬI HỘI NGHỊ ĐỐI THOẠI NĂM 2024"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(rows: list[list[object]], headers: Sequence[str] = HEADERS, sep: str = ";") -> str:
    def quote(value: object) -> str:
        text = str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in sep + '"\n') else text

    return "\r\n".join(sep.join(map(quote, row)) for row in [headers, *rows]) + "\r\n"


def read(data: bytes, name: str = "cau-hoi.xlsx") -> ImportReport:
    return read_questions(data, name, DEMO_FIELDS, DEMO_AGENCIES)


def one_row(**changes: object) -> list[list[object]]:
    row = demo_rows()[0]
    for key, value in changes.items():
        row[1 + KEYS.index(key)] = value
    return [row]


def only_problem(report: ImportReport) -> tuple[int, str, str, str]:
    assert not report.ok
    assert len(report.problems) == 1, report.problems
    p = report.problems[0]
    return p.line, p.column, p.message, p.suggestion


def test_demo_xlsx_reads_all_40_questions_and_finds_the_near_duplicates() -> None:
    report = read(xlsx(demo_rows()))
    assert report.ok, report.problems
    assert len(report.rows) == 40
    first = report.rows[0]
    assert first.line == 4  # title, blank row, header
    assert first.unit == DEMO_QUESTIONS[0]["unit"]
    assert first.asker_name == DEMO_QUESTIONS[0]["asker_name"]
    assert [r.text for r in report.rows] == [q["text"] for q in DEMO_QUESTIONS]
    assert [r.agency for r in report.rows] == [q["agency"] for q in DEMO_QUESTIONS]
    # Question n is on line n + 3; the look-alikes are flagged too (see DUPLICATE_THRESHOLD).
    assert {(a + 3, b + 3) for a, b in NEAR_DUPLICATES} <= set(report.duplicates)
    assert set(report.duplicates) == {(a + 3, b + 3) for a, b in NEAR_DUPLICATES | LOOK_ALIKES}


def test_xlsx_header_on_a_later_sheet_and_cells_that_are_not_text() -> None:
    workbook = Workbook()
    workbook.active.append(["Hướng dẫn: mỗi dòng một câu hỏi"])
    sheet = workbook.create_sheet("Câu hỏi")
    sheet.append(HEADERS)
    sheet.append([1.0, "Công đoàn ngành Y tế", 42.0, datetime(2024, 6, 20), 2.5, "Câu hỏi?", None])
    out = io.BytesIO()
    workbook.save(out)
    _, column, message, _ = only_problem(read(out.getvalue()))
    assert column == "Lĩnh vực" and "«2.5»" in message  # sheet 2 was read
    sheet["E2"] = "Khác"
    workbook.save(out := io.BytesIO())
    row = read(out.getvalue()).rows[0]
    assert (row.line, row.asker_name, row.asker_position, row.agency) == (2, "42", "20/06/2024", "")


def test_demo_csv_with_bom_and_semicolons() -> None:
    data = ("\ufeff" + csv_text(demo_rows())).encode("utf-8")
    report = read(data, "Cau hoi LDLD.CSV")
    assert report.ok, report.problems
    assert len(report.rows) == 40
    assert report.rows[0].line == 2
    assert report.rows[0].text == DEMO_QUESTIONS[0]["text"]  # it holds commas: not split


def test_comma_csv_with_a_title_line_and_loose_cells() -> None:
    rows = one_row(text="  Đề nghị   tăng\nlương  ", asker_position=12)
    report = read(("DANH SÁCH\r\n" + csv_text(rows, sep=",")).encode(), "a.csv")
    assert report.ok, report.problems
    assert report.rows[0].line == 3
    assert report.rows[0].text == "Đề nghị tăng lương"
    assert report.rows[0].asker_position == "12"


def test_missing_text_column_names_it_and_the_headers_found() -> None:
    headers = [h if h != HEADERS[5] else "Ghi chú" for h in HEADERS]  # no word of a text
    line, column, message, _ = only_problem(read(xlsx(demo_rows(), headers)))
    assert (line, column) == (0, "Nội dung")
    assert "Nội dung" in message
    assert "«Ghi chú»" in message and "«Đơn vị gửi»" in message


def test_missing_unit_column() -> None:
    headers = [h if h != "Đơn vị gửi" else "Ghi chú" for h in HEADERS]
    line, column, message, _ = only_problem(read(xlsx(demo_rows(), headers)))
    assert (line, column) == (0, "Đơn vị")
    assert "Thiếu cột «Đơn vị»" in message and "«Ghi chú»" in message


def test_headers_are_matched_without_case_or_diacritics() -> None:
    headers = [
        "tt",
        "CONG DOAN",
        "ho ten",
        "Chuc danh",
        "linh vuc (*)",
        "Câu hỏi",
        "co quan chu tri",
    ]
    report = read(xlsx(demo_rows()[:3], headers, title=False))
    assert report.ok, report.problems
    assert report.rows[2].asker_position == DEMO_QUESTIONS[2]["asker_position"]


def test_optional_columns_may_be_absent() -> None:
    rows = [[r[1], r[4], r[5]] for r in demo_rows()[:2]]
    report = read(xlsx(rows, ["Đơn vị", "Lĩnh vực", "Nội dung"]))
    assert report.ok, report.problems
    assert (report.rows[0].asker_name, report.rows[0].agency) == ("", "")


def test_empty_rows_are_skipped_and_an_empty_text_is_a_problem() -> None:
    rows: list[list[object]] = [
        *demo_rows()[:2],
        [None] * 7,
        [3, DEMO_QUESTIONS[0]["unit"], "", "", "Khác", "  ", ""],
    ]
    report = read(xlsx(rows))
    assert not report.ok
    assert [(p.line, p.message) for p in report.problems] == [(7, "Dòng 7: thiếu nội dung câu hỏi")]
    assert report.problems[0].column == HEADERS[5]
    assert [r.line for r in report.rows] == [4, 5]  # the caller still imports nothing


def test_empty_unit_and_too_long_text() -> None:
    report = read(xlsx(one_row(unit=None, text="x" * 4001)))
    assert not report.ok
    assert [p.column for p in report.problems] == [HEADERS[5], "Đơn vị gửi"]
    assert "4001" in report.problems[0].message


def test_unknown_field_suggests_the_closest_list_value() -> None:
    line, column, message, suggestion = only_problem(read(xlsx(one_row(field="BHXH"))))
    assert (line, column, suggestion) == (4, "Lĩnh vực", "BHXH – BHYT")
    assert message == "Dòng 4: lĩnh vực «BHXH» không có trong danh sách — có phải «BHXH – BHYT»?"


def test_field_without_a_close_value_has_no_suggestion() -> None:
    _, _, message, suggestion = only_problem(read(xlsx(one_row(field="Quốc phòng"))))
    assert suggestion == ""
    assert "«Quốc phòng» không có trong danh sách" in message


def test_field_differing_by_case_diacritics_or_dashes_takes_the_list_spelling() -> None:
    rows = [*one_row(field="bhxh-bhyt", text="Câu 1"), *one_row(field="NHA O XA HOI")]
    rows += one_row(field=unicodedata.normalize("NFD", "Tiền lương - việc làm"), text="Câu 3")
    report = read(xlsx(rows))
    assert report.ok, report.problems
    assert [r.field for r in report.rows] == [
        "BHXH – BHYT",
        "Nhà ở xã hội",
        "Tiền lương – việc làm",
    ]


def test_unknown_agency_suggests_and_known_one_is_canonical() -> None:
    _, column, message, suggestion = only_problem(read(xlsx(one_row(agency="Sở Y tế tỉnh"))))
    assert (column, suggestion) == ("Cơ quan trả lời", "Sở Y tế")
    assert "cơ quan trả lời «Sở Y tế tỉnh»" in message
    report = read(xlsx(one_row(agency="so van hoa, the thao va du lich")))
    assert report.ok, report.problems
    assert report.rows[0].agency == "Sở Văn hoá, Thể thao và Du lịch"


def test_other_formats_are_refused() -> None:
    assert only_problem(read(b"hello", "cau-hoi.txt")) == (
        0,
        "",
        "Chỉ nhận tệp .xlsx hoặc .csv",
        "",
    )
    assert not read(xlsx(demo_rows()), "cau-hoi.xls").ok


def test_corrupt_xlsx_is_a_file_problem() -> None:
    good = xlsx(demo_rows())
    for data in (
        b"",
        b"not a zip at all",
        good[: len(good) // 2],
        good.replace(b"sheet1", b"sheetX"),
    ):
        line, _, message, _ = only_problem(read(data))
        assert line == 0 and "Excel" in message


def test_windows_1258_csv_is_read() -> None:
    def cp1258(text: str) -> bytes:  # base letters precomposed, tone marks combining
        out = []
        for ch in text:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(m for m in decomposed[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
            rest = "".join(m for m in decomposed[1:] if m not in tones)
            out.append(unicodedata.normalize("NFC", decomposed[0] + rest) + tones)
        return "".join(out).encode("cp1258")

    report = read(cp1258(csv_text(demo_rows()[:5])), "cau-hoi.csv")
    assert report.ok, report.problems
    assert [r.text for r in report.rows] == [q["text"] for q in DEMO_QUESTIONS[:5]]


def test_latin1_and_garbage_csv_do_not_crash() -> None:
    latin1 = "Nôi dung;Don vi;Lînh vuc\r\nCâu hoi vê café;Công doàn;Khác\r\n".encode("latin-1")
    report = read(latin1, "a.csv")
    assert report.ok, report.problems
    assert "café" in report.rows[0].text
    for data in (b"Noi dung;Don vi\r\n\x81\x8d\x00;x", xlsx(demo_rows()), "a;b".encode("utf-16")):
        line, _, message, _ = only_problem(read(data, "a.csv"))
        assert line == 0 and "CSV" in message


def test_more_than_2000_rows_is_a_file_problem() -> None:
    rows = one_row() * 2001
    line, _, message, _ = only_problem(read(csv_text(rows).encode(), "a.csv"))
    assert line == 0 and "2000" in message
    # 2000 rows are not too many (unknown fields keep the duplicate search out of this test).
    rows = [one_row(field="?", text=f"Câu {n}")[0] for n in range(2000)]
    problems = read(csv_text(rows).encode(), "a.csv").problems
    assert len(problems) == 2000 and problems[0].line == 2


def test_header_without_rows_is_a_problem() -> None:
    line, _, message, _ = only_problem(read(xlsx([])))
    assert line == 0 and "không có câu hỏi" in message


def test_similar_separates_the_demo_near_duplicates_from_unrelated_questions() -> None:
    def text(n: int) -> str:
        return DEMO_QUESTIONS[n - 1]["text"]

    for a, b in NEAR_DUPLICATES:
        assert similar(text(a), text(b)) >= DUPLICATE_THRESHOLD
    for a, b in itertools.combinations(range(1, 41), 2):
        if (a, b) not in NEAR_DUPLICATES | LOOK_ALIKES:
            assert similar(text(a), text(b)) < DUPLICATE_THRESHOLD, (a, b)
    assert similar(text(1), text(40)) < 0.15
    assert similar("Đề nghị tăng lương!", "đề nghị  TĂNG LƯƠNG") == 1.0
    assert similar(text(1), text(1).upper().replace(",", "")) == 1.0


# --- files that differ from the template (issue 15) -------------------------------------

UNITS = ["Liên đoàn Lao động huyện Lạc Sơn", "Công đoàn các Khu công nghiệp tỉnh"]


def saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_headers_in_other_words_are_matched_by_their_meaning_bearing_words() -> None:
    headers = [
        "Số TT",
        "Công đoàn cơ sở / đơn vị gửi",
        "Họ tên người nêu ý kiến",
        "Nghề nghiệp",
        "Thuộc lĩnh vực",
        "Ý kiến, đề xuất của người lao động",
        "Cơ quan có thẩm quyền giải quyết",
    ]
    report = read(xlsx(demo_rows()[:3], headers))
    assert report.ok, report.problems
    assert report.columns == {
        "unit": headers[1],
        "asker_name": headers[2],
        "asker_position": headers[3],
        "field": headers[4],
        "text": headers[5],
        "agency": headers[6],
    }
    assert [r.text for r in report.rows] == [q["text"] for q in DEMO_QUESTIONS[:3]]
    assert report.rows[0].asker_name == DEMO_QUESTIONS[0]["asker_name"]
    sentence = report.columns_sentence()
    assert sentence.startswith("Đã lấy cột «Công đoàn cơ sở / đơn vị gửi» làm đơn vị, cột ")
    assert "«Ý kiến, đề xuất của người lao động» làm nội dung câu hỏi" in sentence
    # a synonym wins over a header that only holds a meaning-bearing word
    report = read(xlsx(one_row(), ["STT", "Đơn vị", "Ý kiến", "Chức vụ", "Lĩnh vực", "Nội dung", "Cơ quan trả lời"]))  # fmt: skip
    assert report.columns["text"] == "Nội dung" and report.rows[0].asker_name == ""


def test_merged_title_rows_and_a_unit_merged_down_over_its_questions() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["LIÊN ĐOÀN LAO ĐỘNG TỈNH HÒA BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    )
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:F1")
    sheet.append(["DANH SÁCH CÂU HỎI GỬI HỘI NGHỊ"])
    sheet.merge_cells("A2:F2")
    sheet.append(["STT", "Đơn vị", "Người hỏi", "Lĩnh vực", "Nội dung", "Cơ quan trả lời"])
    sheet.append([1, "LĐLĐ huyện Lạc Sơn", "Bùi Thị Hoa", "Khác", "Câu một?", ""])
    sheet.append([2, None, "Đinh Văn Nam", "Khác", "Câu hai?", ""])
    sheet.append([3, None, "Hà Văn Sơn", "Khác", "Câu ba?", ""])
    sheet.merge_cells("B4:B7")  # over one row more than the questions: not a question
    sheet.append([4, "Công đoàn các KCN tỉnh", "Lò Thị Mai", "Khác", "Câu bốn?", ""])
    sheet.move_range("A7:F7", rows=1)  # row 7 left blank under the merged unit
    report = read_questions(saved(workbook), "a.xlsx", DEMO_FIELDS, DEMO_AGENCIES, UNITS)
    assert report.ok, report.problems
    assert [(r.line, r.unit) for r in report.rows] == [
        (4, UNITS[0]),
        (5, UNITS[0]),
        (6, UNITS[0]),
        (8, UNITS[1]),
    ]


def test_a_formula_without_a_saved_value_is_named_not_taken_for_an_empty_cell() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(one_row()[0])
    sheet.append(one_row(text='=CONCATENATE("Đề nghị ", "tăng lương")')[0])
    sheet.append(one_row(unit="=B2", text="Câu ba")[0])
    report = read(saved(workbook))  # openpyxl saves formulas without values, as programs do
    assert [r.line for r in report.rows] == [2]
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (3, HEADERS[5], "Dòng 3: ô F3 là công thức chưa có giá trị: mở tệp bằng Excel, lưu lại rồi gửi lại"),
        (4, HEADERS[1], "Dòng 4: ô B4 là công thức chưa có giá trị: mở tệp bằng Excel, lưu lại rồi gửi lại"),
    ]  # fmt: skip


def test_units_and_fields_match_the_lists_through_abbreviations() -> None:
    rows = [
        *one_row(unit="LĐLĐ huyện Lạc Sơn", field="Bảo hiểm xã hội - bảo hiểm y tế", text="1"),
        *one_row(unit="CD cac KCN tinh", field="BHXH, BHYT", text="2"),
        *one_row(unit="LĐLĐ huyện Lạc Son", text="3", agency="Sở LĐTBXH"),
        *one_row(unit="Liên đoàn lao động huyện Lac Sơn.", text="4"),
        *one_row(unit="LĐLĐ huyện Lạc Thủy", text="5"),  # not on the list: kept, with advice
    ]
    report = read_questions(xlsx(rows), "a.xlsx", DEMO_FIELDS, DEMO_AGENCIES, UNITS)
    assert report.ok, report.problems
    assert [r.unit for r in report.rows] == [*UNITS, UNITS[0], UNITS[0], "LĐLĐ huyện Lạc Thủy"]
    assert [r.field for r in report.rows[:2]] == ["BHXH – BHYT", "BHXH – BHYT"]
    assert report.rows[2].agency == "Sở Lao động - Thương binh và Xã hội"
    [note] = report.notes
    assert note.line == 8 and note.suggestion == UNITS[0]
    assert "không có trong danh sách — có phải «Liên đoàn Lao động huyện Lạc Sơn»?" in note.message


def test_a_question_already_in_or_twice_in_the_file_is_named() -> None:
    rows = [*one_row(text="Câu một?"), *one_row(text="Câu hai?"), *one_row(text="CÂU HAI")]
    existing = [("câu một", DEMO_QUESTIONS[0]["unit"], 12)]
    report = read_questions(xlsx(rows), "a.xlsx", DEMO_FIELDS, DEMO_AGENCIES, None, existing)
    assert [r.line for r in report.rows] == [5]
    [one, two] = report.problems
    assert one.line == 4 and "đã có trong danh sách (câu số 12)" in one.message
    assert two.line == 6 and "trùng với dòng 5" in two.message


def test_a_control_character_in_a_csv_cell_is_a_problem_of_its_line() -> None:
    rows = [*one_row(text="Câu\nhai dòng"), *one_row(text="Câu \x02 lạ"), *one_row(text="Ba")]
    report = read(csv_text(rows).encode(), "a.csv")
    assert [r.line for r in report.rows] == [2, 4]
    [problem] = report.problems
    assert problem.line == 3 and "U+0002" in problem.message


def test_rejected_rows_come_back_as_a_sheet_with_their_reasons() -> None:
    rows = [*one_row(text="Một"), *one_row(field="Lạ", text="Hai"), *one_row(text="")]
    report = read(xlsx(rows))
    assert [r.line for r in report.rows] == [4]
    data = rejected_xlsx(report)
    assert data is not None
    sheet = load_workbook(io.BytesIO(data)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == [*HEADERS, "Lý do"]
    assert values[1][:5] == ["1", *rows[1][1:5]]  # the cells as sent (as text)
    assert values[1][4:6] == ["Lạ", "Hai"] and values[1][-1].startswith("Dòng 5: lĩnh vực «Lạ»")
    assert values[2][-1] == "Dòng 6: thiếu nội dung câu hỏi"
    assert rejected_xlsx(read(xlsx(one_row()))) is None


def test_a_header_of_two_rows_with_cells_merged_down_and_across() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CÂU HỎI"])
    sheet.merge_cells("A1:F1")
    sheet.append(["STT", "Đơn vị", "Người hỏi", None, "Lĩnh vực", "Nội dung câu hỏi"])
    sheet.append([None, None, "Họ và tên", "Chức vụ"])
    for column in "ABEF":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("C2:D2")
    sheet.append([1, "Công đoàn ngành Y tế", "Hà Thị Lan", "Điều dưỡng", "Khác", "Câu một?"])
    report = read(saved(workbook))
    assert report.ok, report.problems
    [row] = report.rows
    assert (row.line, row.asker_name, row.asker_position, row.text) == (
        4,
        "Hà Thị Lan",
        "Điều dưỡng",
        "Câu một?",
    )
    assert report.columns["asker_name"] == "Họ và tên"
