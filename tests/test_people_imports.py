"""Reading delegate lists and gift-recipient lists: good files, broken files, checked values."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence

import pytest
from openpyxl import Workbook

from live.imports import (
    MAX_DELEGATES,
    MAX_GIFTS,
    DelegateReport,
    DelegateRow,
    GiftReport,
    GiftRow,
    RowProblem,
    money,
    read_delegates,
    read_gifts,
    seat_code,
)

GROUPS = [
    "Lãnh đạo tỉnh",
    "Sở, ban, ngành",
    "Liên đoàn Lao động cấp huyện",
    "Khách mời",
    "Công nhân lao động",
]
UNITS = [
    "Liên đoàn Lao động thành phố Hòa Bình",
    "Liên đoàn Lao động huyện Lương Sơn",
    "Công đoàn ngành Y tế",
    "Công đoàn ngành Giáo dục",
]

DELEGATE_HEADERS = ["STT", "Họ và tên", "Giới tính", "Chức vụ", "Đơn vị công tác", "Thành phần", "Thứ tự lễ tân", "Số ghế"]  # fmt: skip
DELEGATES: list[list[object]] = [
    [1, "Bùi Văn Khánh", "Nam", "Chủ tịch", "UBND tỉnh Hòa Bình", "Lãnh đạo tỉnh", 1, "A1"],
    [2, "Đinh Thị Hạnh", "nữ", "Giám đốc", "Sở Y tế", "so, ban, nganh", 5, "a-12"],
    [3, "Quách Văn Hùng", "", "", "", "Khách mời", None, ""],
    [4, "Lò Thị Mai", "Female", "Công nhân", "Công ty May Hòa Bình", "CÔNG NHÂN LAO ĐỘNG", "", "C 07"],
]  # fmt: skip
GIFT_HEADERS = ["TT", "Họ và tên", "Công đoàn", "Hoàn cảnh khó khăn", "Giá trị quà"]
GIFTS: list[list[object]] = [
    [1, "Nguyễn Thị Lan", "Công đoàn ngành Y tế", "Chồng mất, nuôi hai con nhỏ", 2000000],
    [2, "Trần Văn Bình", "cong doan nganh giao duc", "Bị tai nạn lao động", 1500000.0],
    [3, "Hà Thị Thu", "Liên đoàn Lao động huyện Lương Sơn", "", None],
]


def xlsx(
    rows: Iterable[Sequence[object]], headers: Sequence[str], title: str = "DANH SÁCH"
) -> bytes:
    """A workbook as units send it: a title row and a blank row above the header."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(rows: Iterable[Sequence[object]], headers: Sequence[str], sep: str = ";") -> str:
    def quote(value: object) -> str:
        text = "" if value is None else str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in sep + '"\n') else text

    return "\r\n".join(sep.join(map(quote, row)) for row in [headers, *rows]) + "\r\n"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: base letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in decomposed[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
        rest = "".join(m for m in decomposed[1:] if m not in tones)
        out.append(unicodedata.normalize("NFC", decomposed[0] + rest) + tones)
    return "".join(out).encode("cp1258")


def delegates(
    data: bytes, name: str = "dai-bieu.xlsx", existing: Iterable[tuple[str, str]] = ()
) -> DelegateReport:
    return read_delegates(data, name, GROUPS, existing)


def gifts(data: bytes, name: str = "qua.xlsx") -> GiftReport:
    return read_gifts(data, name, UNITS)


def delegate(**changes: object) -> list[object]:
    """The first demo delegate with some cells changed (no seat unless given: a seat twice
    in one file is a problem of its own)."""
    row = list(DELEGATES[0])
    changes = {"seat": "", **changes}
    for key, value in changes.items():
        row[["name", "gender", "position", "unit", "group", "rank", "seat"].index(key) + 1] = value
    return row


def gift(**changes: object) -> list[object]:
    row = list(GIFTS[0])
    for key, value in changes.items():
        row[["name", "unit", "circumstances", "value"].index(key) + 1] = value
    return row


def only_problem(report: DelegateReport | GiftReport) -> RowProblem:
    assert not report.ok
    assert len(report.problems) == 1, report.problems
    return report.problems[0]


EXPECTED_DELEGATES = [
    DelegateRow(4, "Bùi Văn Khánh", "Nam", "Chủ tịch", "UBND tỉnh Hòa Bình", "Lãnh đạo tỉnh", 1, "A01"),
    DelegateRow(5, "Đinh Thị Hạnh", "Nữ", "Giám đốc", "Sở Y tế", "Sở, ban, ngành", 5, "A12"),
    DelegateRow(6, "Quách Văn Hùng", "", "", "", "Khách mời", 100, ""),
    DelegateRow(7, "Lò Thị Mai", "Nữ", "Công nhân", "Công ty May Hòa Bình", "Công nhân lao động", 100, "C07"),
]  # fmt: skip
EXPECTED_GIFTS = [
    GiftRow(4, "Nguyễn Thị Lan", "Công đoàn ngành Y tế", "Chồng mất, nuôi hai con nhỏ", 2_000_000),
    GiftRow(5, "Trần Văn Bình", "Công đoàn ngành Giáo dục", "Bị tai nạn lao động", 1_500_000),
    GiftRow(6, "Hà Thị Thu", "Liên đoàn Lao động huyện Lương Sơn", "", 0),
]


# Good files


def test_delegate_xlsx_reads_every_column_with_list_spelling_and_defaults() -> None:
    report = delegates(xlsx(DELEGATES, DELEGATE_HEADERS, "DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ"))
    assert report.ok, report.problems
    assert report.rows == EXPECTED_DELEGATES


def test_delegate_csv_with_bom_and_semicolons() -> None:
    data = ("\ufeff" + csv_text(DELEGATES, DELEGATE_HEADERS)).encode("utf-8")
    report = delegates(data, "Dai bieu.CSV")
    assert report.ok, report.problems
    assert [r.line for r in report.rows] == [2, 3, 4, 5]
    assert [(r.name, r.group, r.seat) for r in report.rows] == [
        (r.name, r.group, r.seat) for r in EXPECTED_DELEGATES
    ]


def test_delegate_csv_in_windows_1258_with_other_headers() -> None:
    headers = ["TT", "Đại biểu", "Nam/Nữ", "Chức danh", "Cơ quan", "Nhóm", "Xếp hạng", "Chỗ ngồi"]
    report = delegates(cp1258(csv_text(DELEGATES, headers, sep=",")), "dai-bieu.csv")
    assert report.ok, report.problems
    assert [r.name for r in report.rows] == [r.name for r in EXPECTED_DELEGATES]
    assert report.rows[1].name == "Đinh Thị Hạnh"  # NFC again, not the file's combining marks
    assert report.rows[1].position == "Giám đốc"
    assert [r.rank for r in report.rows] == [1, 5, 100, 100]


def test_delegate_optional_columns_may_be_absent() -> None:
    rows = [["Bùi Văn Khánh", "Lãnh đạo tỉnh"]]
    report = delegates(xlsx(rows, ["Họ tên", "Thành phần đại biểu"], title=""))
    assert report.ok, report.problems
    assert report.rows == [DelegateRow(2, "Bùi Văn Khánh", "", "", "", "Lãnh đạo tỉnh", 100, "")]


def test_gift_xlsx_reads_excel_numbers_and_list_spelling() -> None:
    report = gifts(xlsx(GIFTS, GIFT_HEADERS, "DANH SÁCH ĐOÀN VIÊN CÓ HOÀN CẢNH KHÓ KHĂN"))
    assert report.ok, report.problems
    assert report.rows == EXPECTED_GIFTS


def test_gift_csv_with_bom_and_semicolons_and_written_sums() -> None:
    rows = [
        [*row[:4], value]
        for row, value in zip(GIFTS, ["2.000.000 đ", "1,5 triệu", ""], strict=True)
    ]
    headers = ["STT", "Người nhận", "Đơn vị đề xuất", "Ghi chú", "Trị giá (đồng)"]
    report = gifts(("\ufeff" + csv_text(rows, headers)).encode("utf-8"), "qua.csv")
    assert report.ok, report.problems
    assert [(r.line, r.name, r.unit, r.value) for r in report.rows] == [
        (2, "Nguyễn Thị Lan", "Công đoàn ngành Y tế", 2_000_000),
        (3, "Trần Văn Bình", "Công đoàn ngành Giáo dục", 1_500_000),
        (4, "Hà Thị Thu", "Liên đoàn Lao động huyện Lương Sơn", 0),
    ]
    assert report.rows[0].circumstances == "Chồng mất, nuôi hai con nhỏ"  # quoted comma kept


def test_gift_csv_in_windows_1258() -> None:
    headers = ["Họ tên", "Đơn vị", "Hoàn cảnh", "Số tiền"]
    report = gifts(cp1258(csv_text([row[1:] for row in GIFTS], headers)), "qua.csv")
    assert report.ok, report.problems
    assert [(r.name, r.circumstances, r.value) for r in report.rows] == [
        (r.name, r.circumstances, r.value) for r in EXPECTED_GIFTS
    ]


# Missing columns, empty and broken files


def test_missing_group_column_names_it_and_the_headers_found() -> None:
    headers = [h if h != "Thành phần" else "Loại khách" for h in DELEGATE_HEADERS]
    problem = only_problem(delegates(xlsx(DELEGATES, headers)))
    assert (problem.line, problem.column) == (0, "Thành phần")
    assert problem.message.startswith("Thiếu cột «Thành phần». Các cột tìm thấy:")
    assert "«Loại khách»" in problem.message and "«Số ghế»" in problem.message


def test_missing_gift_unit_column() -> None:
    headers = [h if h != "Công đoàn" else "Nơi làm việc" for h in GIFT_HEADERS]
    problem = only_problem(gifts(xlsx(GIFTS, headers)))
    assert (problem.line, problem.column) == (0, "Đơn vị")
    assert "Thiếu cột «Đơn vị»" in problem.message and "«Nơi làm việc»" in problem.message


@pytest.mark.parametrize(
    ("read", "label"), [(delegates, "họ tên đại biểu"), (gifts, "họ tên người nhận quà")]
)
def test_missing_name_column_is_not_a_header_row(
    read: Callable[[bytes], DelegateReport | GiftReport], label: str
) -> None:
    problem = only_problem(read(xlsx([["x", "y"]], ["Tên", "Thành phần"])))
    assert (problem.line, problem.column) == (0, "Họ và tên")
    assert f"Không tìm thấy cột «Họ và tên» ({label}) trong 10 dòng đầu" in problem.message
    assert "«Tên»" in problem.message and "câu hỏi" not in problem.message


def test_header_without_rows_is_a_problem_in_the_kind_s_words() -> None:
    problem = only_problem(delegates(xlsx([], DELEGATE_HEADERS)))
    assert (problem.line, problem.message) == (0, "Tệp không có đại biểu nào dưới dòng tiêu đề")
    problem = only_problem(gifts(csv_text([[None] * 5] * 3, GIFT_HEADERS).encode(), "q.csv"))
    assert (problem.line, problem.message) == (
        0,
        "Tệp không có người nhận quà nào dưới dòng tiêu đề",
    )


def test_empty_csv_is_a_file_problem() -> None:
    for report in (delegates(b"", "a.csv"), gifts(b"", "a.csv")):
        problem = only_problem(report)
        assert problem.line == 0 and "Không tìm thấy cột «Họ và tên»" in problem.message


def test_corrupt_xlsx_and_other_formats_are_file_problems() -> None:
    good = xlsx(DELEGATES, DELEGATE_HEADERS)
    for data in (b"", b"not a zip", good[: len(good) // 2], good.replace(b"sheet1", b"sheetX")):
        for report in (delegates(data), gifts(data)):
            problem = only_problem(report)
            assert problem.line == 0 and "Excel" in problem.message
    for report in (delegates(good, "dai-bieu.xls"), gifts(good, "qua.docx")):
        assert only_problem(report).message == "Chỉ nhận tệp .xlsx hoặc .csv"
    problem = only_problem(delegates(good, "dai-bieu.csv"))  # an xlsx named .csv
    assert problem.line == 0 and "CSV" in problem.message


def test_more_than_the_maximum_rows_is_a_file_problem() -> None:
    names = [f"Đại biểu số {n}" for n in range(MAX_DELEGATES + 1)]
    rows = [[n, "", "", "", "Khách mời"] for n in names]
    headers = ["Họ và tên", "Giới tính", "Chức vụ", "Đơn vị", "Thành phần"]
    problem = only_problem(delegates(csv_text(rows, headers).encode(), "a.csv"))
    assert problem.line == 0
    assert problem.message == f"Tệp có hơn {MAX_DELEGATES} đại biểu: hãy chia thành nhiều tệp"
    report = delegates(csv_text(rows[:MAX_DELEGATES], headers).encode(), "a.csv")
    assert report.ok and len(report.rows) == MAX_DELEGATES

    many = [[f"Người {n}", UNITS[0]] for n in range(MAX_GIFTS + 1)]
    problem = only_problem(gifts(csv_text(many, ["Họ tên", "Đơn vị"]).encode(), "a.csv"))
    assert problem.message == f"Tệp có hơn {MAX_GIFTS} người nhận quà: hãy chia thành nhiều tệp"
    assert gifts(csv_text(many[:MAX_GIFTS], ["Họ tên", "Đơn vị"]).encode(), "a.csv").ok


# Row checks


def test_unknown_group_suggests_the_closest_list_value() -> None:
    rows = [DELEGATES[0], DELEGATES[2], DELEGATES[3], delegate(name="Lê Văn Tâm", group="Sở ngành")]
    problem = only_problem(delegates(xlsx(rows, DELEGATE_HEADERS)))
    assert (problem.line, problem.column, problem.suggestion) == (7, "Thành phần", "Sở, ban, ngành")
    expected = "Dòng 7: thành phần «Sở ngành» không có trong danh sách — có phải «Sở, ban, ngành»?"
    assert problem.message == expected


def test_group_without_a_close_value_and_a_missing_group() -> None:
    report = delegates(
        xlsx([delegate(group="Phóng viên"), delegate(name="B", group="")], DELEGATE_HEADERS)
    )
    assert [(p.line, p.message, p.suggestion) for p in report.problems] == [
        (
            4,
            "Dòng 4: thành phần «Phóng viên» không có trong danh sách: hãy chọn theo danh sách",
            "",
        ),
        (5, "Dòng 5: thiếu thành phần", ""),
    ]


def test_unknown_gift_unit_suggests_and_missing_name_is_reported() -> None:
    rows = [gift(unit="Công đoàn Y tế"), gift(name=None)]
    report = gifts(xlsx(rows, GIFT_HEADERS))
    assert [(p.line, p.column, p.message, p.suggestion) for p in report.problems] == [
        (
            4,
            "Công đoàn",
            "Dòng 4: đơn vị «Công đoàn Y tế» không có trong danh sách — có phải «Công đoàn ngành Y tế»?",
            "Công đoàn ngành Y tế",
        ),
        (5, "Họ và tên", "Dòng 5: thiếu họ tên", ""),
    ]
    assert report.rows == []  # the organiser imports nothing


@pytest.mark.parametrize(
    ("given", "stored"),
    [("Nam", "Nam"), ("NAM", "Nam"), ("male", "Nam"), ("Nữ", "Nữ"), ("nu", "Nữ"),
     ("Female", "Nữ"), ("", ""), (None, "")],
)  # fmt: skip
def test_gender_values_accepted(given: object, stored: str) -> None:
    report = delegates(xlsx([delegate(gender=given)], DELEGATE_HEADERS))
    assert report.ok, report.problems
    assert report.rows[0].gender == stored


@pytest.mark.parametrize("given", ["x", "Ông", "Nam nữ", "M", "N", 1])
def test_bad_gender_is_a_problem(given: object) -> None:
    problem = only_problem(delegates(xlsx([delegate(gender=given)], DELEGATE_HEADERS)))
    assert (problem.line, problem.column) == (4, "Giới tính")
    assert problem.message == f"Dòng 4: giới tính «{given}» không rõ — ghi «Nam» hoặc «Nữ»"


@pytest.mark.parametrize(
    ("given", "rank"),
    [(1, 1), (999, 999), (7.0, 7), ("12", 12), (" 03 ", 3), ("", 100), (None, 100)],
)
def test_rank_values_accepted(given: object, rank: int) -> None:
    report = delegates(xlsx([delegate(rank=given)], DELEGATE_HEADERS))
    assert report.ok, report.problems
    assert report.rows[0].rank == rank


@pytest.mark.parametrize("given", [0, 1000, 2.5, "-1", "ba", "1a", "9" * 5000])
def test_bad_rank_is_a_problem(given: object) -> None:
    problem = only_problem(delegates(xlsx([delegate(rank=given)], DELEGATE_HEADERS)))
    assert (problem.line, problem.column) == (4, "Thứ tự lễ tân")
    assert problem.message.startswith("Dòng 4: thứ tự «")
    assert problem.message.endswith("» phải là số nguyên từ 1 đến 999")


SEATS = [
    ("A5", "A05"),
    ("a-5", "A05"),
    ("A 05", "A05"),
    ("A05", "A05"),
    ("a.7", "A07"),
    ("B12", "B12"),
    ("A005", "A05"),
]


@pytest.mark.parametrize(("given", "stored"), SEATS)
def test_seat_is_normalised(given: str, stored: str) -> None:
    assert seat_code(given) == stored
    report = delegates(xlsx([delegate(seat=given)], DELEGATE_HEADERS))
    assert report.ok, report.problems
    assert report.rows[0].seat == stored


@pytest.mark.parametrize(
    "given", ["5", "5A", "A", "A0", "A100", "AA7", "ABC1", "A5B", "Hàng A ghế 5", "Ă5"]
)
def test_bad_seat_is_a_problem(given: str) -> None:
    assert seat_code(given) is None
    problem = only_problem(delegates(xlsx([delegate(seat=given)], DELEGATE_HEADERS)))
    assert (problem.line, problem.column) == (4, "Số ghế")
    assert problem.message.startswith(f"Dòng 4: số ghế «{given}» không đúng dạng")


VALUES: list[tuple[object, int]] = [
    (500000, 500_000),
    (750000.0, 750_000),
    ("1000000", 1_000_000),
    ("1.000.000", 1_000_000),
    ("1,000,000", 1_000_000),
    ("1 000 000 đ", 1_000_000),
    ("1000000đ", 1_000_000),
    ("1.000.000 VNĐ", 1_000_000),
    ("500.000 đồng", 500_000),
    ("2 triệu", 2_000_000),
    ("2 Triệu đồng", 2_000_000),
    ("1,5 triệu", 1_500_000),
    ("2tr", 2_000_000),
    ("500k", 500_000),
    ("300 nghìn", 300_000),
    ("0", 0),
    ("", 0),
    (None, 0),
    ("100.000.000", 100_000_000),
]


@pytest.mark.parametrize(("given", "value"), VALUES)
def test_gift_value_is_parsed(given: object, value: int) -> None:
    report = gifts(xlsx([gift(value=given)], GIFT_HEADERS))
    assert report.ok, report.problems
    assert report.rows[0].value == value


@pytest.mark.parametrize(
    "given", ["-500000", "năm trăm nghìn", "1,5", "1.000.000,50", "1e6", "12.34.567"]
)
def test_gift_value_that_is_not_a_sum_is_a_problem(given: str) -> None:
    assert money(given) is None
    problem = only_problem(gifts(xlsx([gift(value=given)], GIFT_HEADERS)))
    assert (problem.line, problem.column) == (4, "Giá trị quà")
    assert problem.message.startswith(f"Dòng 4: giá trị quà «{given}» không phải số tiền")


@pytest.mark.parametrize("given", [100_000_001, "150 triệu", "1.250 triệu"])
def test_gift_value_above_the_limit_is_a_problem(given: object) -> None:
    problem = only_problem(gifts(xlsx([gift(value=given)], GIFT_HEADERS)))
    assert problem.message == f"Dòng 4: giá trị quà «{given}» vượt quá 100.000.000 đồng"


def test_too_long_name_and_circumstances() -> None:
    report = delegates(xlsx([delegate(name="A" * 121), delegate(name="B" * 120)], DELEGATE_HEADERS))
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (4, "Họ và tên", "Dòng 4: họ tên dài 121 ký tự, quá giới hạn 120")
    ]
    problem = only_problem(gifts(xlsx([gift(circumstances="x" * 1001)], GIFT_HEADERS)))
    assert problem.message == "Dòng 4: hoàn cảnh dài 1001 ký tự, quá giới hạn 1000"


# Duplicates


def test_duplicate_delegate_within_the_file() -> None:
    rows = [
        delegate(name="Nguyễn Văn An", unit="Sở Y tế"),
        delegate(name="Hoàng Thị Lụa", unit="Sở Y tế"),
        delegate(name="nguyen van  AN", unit="SỞ Y TẾ"),  # same person, other spelling
        delegate(name="Nguyễn Văn An", unit="Sở Nội vụ"),  # a namesake from another unit
        delegate(name="Nguyễn Văn An", unit="Sở Y tế"),
    ]
    report = delegates(xlsx(rows, DELEGATE_HEADERS))
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (6, "Họ và tên", "Dòng 6: đại biểu «nguyen van AN» (SỞ Y TẾ) trùng với dòng 4"),
        (8, "Họ và tên", "Dòng 8: đại biểu «Nguyễn Văn An» (Sở Y tế) trùng với dòng 4"),
    ]


def test_duplicate_of_a_delegate_already_imported() -> None:
    existing = [("Nguyễn Văn An", "Sở Y tế"), ("Lê Thị Bình", "")]
    rows = [
        delegate(name="Nguyễn Văn An", unit="Sở Y tế"),
        delegate(name="Nguyễn Văn An", unit=""),
        delegate(name="LE THI BINH", unit=None),
        delegate(name="Lê Thị Bình", unit="Sở Nội vụ"),
    ]
    report = delegates(xlsx(rows, DELEGATE_HEADERS), existing=existing)
    assert [p.message for p in report.problems] == [
        "Dòng 4: đại biểu «Nguyễn Văn An» (Sở Y tế) đã có trong danh sách",
        "Dòng 6: đại biểu «LE THI BINH» đã có trong danh sách",
    ]
    assert delegates(xlsx(rows[1:2] + rows[3:], DELEGATE_HEADERS), existing=existing).ok


# Every problem names its line, in the kind's own words


def test_every_row_problem_names_its_line_and_column() -> None:
    bad_delegates = [
        delegate(name=""),
        delegate(name="A", gender="?"),
        delegate(name="B", group="Báo chí"),
        delegate(name="C", rank="đầu"),
        delegate(name="D", seat="??"),
        delegate(name="X" * 200),
        delegate(name="E"),  # line 10: good
        delegate(name="e"),  # a repeat of line 10
    ]
    bad_gifts = [gift(name=""), gift(unit="Không rõ"), gift(value="nhiều"), gift(value=10**9)]
    reports: list[tuple[DelegateReport | GiftReport, list[int]]] = [
        (delegates(xlsx(bad_delegates, DELEGATE_HEADERS)), [4, 5, 6, 7, 8, 9, 11]),
        (gifts(xlsx(bad_gifts, GIFT_HEADERS)), [4, 5, 6, 7]),
    ]
    for report, lines in reports:
        assert not report.ok
        assert [p.line for p in report.problems] == lines
        for p in report.problems:
            assert p.message.startswith(f"Dòng {p.line}: "), p
            assert p.column, p
            assert "câu hỏi" not in p.message, p


def test_a_seat_given_twice_or_already_taken_is_a_problem() -> None:
    rows = [
        delegate(name="Nguyễn Văn An", seat="A1"),
        delegate(name="Hoàng Thị Lụa", seat="a-01"),
        delegate(name="Lê Văn Tám", seat="B2"),
    ]
    report = read_delegates(xlsx(rows, DELEGATE_HEADERS), "x.xlsx", GROUPS, (), {"B02": "Đỗ Hà"})
    assert [(p.line, p.message) for p in report.problems] == [
        (5, "Dòng 5: ghế A01 đã xếp cho Nguyễn Văn An (dòng 4)"),
        (6, "Dòng 6: ghế B02 đã xếp cho Đỗ Hà"),
    ]


def test_gift_units_merged_down_and_abbreviated_take_the_list_spelling() -> None:
    """Issue 15: a unit merged down over its recipients, written with abbreviations."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH ĐỀ NGHỊ TẶNG QUÀ"])
    sheet.merge_cells("A1:E1")
    sheet.append(["TT", "Họ và tên người nhận", "Đơn vị đề nghị", "Hoàn cảnh gia đình", "Mức quà"])
    sheet.append([1, "Lò Văn Một", "LĐLĐ H. Lương Sơn", "", "1 triệu"])
    sheet.append([2, "Lò Văn Hai", None, "", "1 triệu"])
    sheet.merge_cells("C3:C4")
    sheet.append([3, "Lò Văn Ba", "CĐ ngành GD", "", ""])
    sheet.append([4, "Lò Văn Bốn", "CĐ ngành Xây dựng", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    report = read_gifts(out.getvalue(), "qua.xlsx", UNITS)
    assert [(r.line, r.unit) for r in report.rows] == [
        (3, "Liên đoàn Lao động huyện Lương Sơn"),
        (4, "Liên đoàn Lao động huyện Lương Sơn"),
        (5, "Công đoàn ngành Giáo dục"),
    ]
    assert report.columns["value"] == "Mức quà" and report.rows[0].value == 1_000_000
    assert [p.line for p in report.problems] == [6]  # not on the list: a suggestion
    assert report.problems[0].suggestion


def test_a_delegate_unit_on_the_list_takes_its_spelling_others_stay_as_written() -> None:
    rows = [
        [1, "Bùi Văn Một", "Nam", "", "LĐLĐ TP Hòa Bình", "Khách mời", "", ""],
        [2, "Bùi Văn Hai", "Nam", "", "Công ty May Hòa Bình", "Khách mời", "", ""],
    ]
    report = read_delegates(xlsx(rows, DELEGATE_HEADERS), "d.xlsx", GROUPS, units=UNITS)
    assert [r.unit for r in report.rows] == [UNITS[0], "Công ty May Hòa Bình"]
    assert report.ok and not report.notes
