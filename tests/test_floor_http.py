"""The floor over HTTP: importing the units' lists, and the public question page."""

import base64
import io
import re

import openpyxl
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from live.app import create_app
from live.models import Question

HEADER = [
    "STT",
    "Đơn vị",
    "Họ và tên",
    "Chức vụ",
    "Lĩnh vực",
    "Nội dung câu hỏi",
    "Cơ quan trả lời",
]


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as c:
        yield c


def xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH CÂU HỎI GỬI HỘI NGHỊ ĐỐI THOẠI NĂM 2024"])
    ws.append(HEADER)
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def questions(engine) -> list[Question]:
    with Session(engine) as s:
        return list(s.exec(select(Question).order_by(Question.number)))


GOOD = [
    (
        "Liên đoàn Lao động huyện Lạc Sơn",
        "Bùi Thị Hoa",
        "Công nhân",
        "BHXH – BHYT",
        "Đề nghị BHXH tỉnh cho biết cách chốt sổ khi doanh nghiệp nợ đóng bảo hiểm?",
        "Bảo hiểm xã hội tỉnh",
    ),
    (
        "Công đoàn ngành Giáo dục",
        "Đinh Văn Nam",
        "Giáo viên",
        "tiền lương - việc làm",  # case and dash differ from the list: accepted
        "Xin hỏi phụ cấp thâm niên nhà giáo có được giữ khi cải cách tiền lương?",
        "Sở Nội vụ",
    ),
]


def post_file(client, key, name, data):
    return client.post(
        "/api/e/demo/questions/import",
        files={"file": (name, data)},
        headers={"Authorization": f"Bearer {key}"},
    )


def test_a_good_list_is_imported_whole(client, keys, engine):
    before = len(questions(engine))
    r = post_file(client, keys["moderator"], "lac-son.xlsx", xlsx(GOOD))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 2 and body["last"] == before + 2
    new = questions(engine)[before:]
    assert [q.asker_name for q in new] == ["Bùi Thị Hoa", "Đinh Văn Nam"]
    assert new[1].field == "Tiền lương – việc làm"  # the list's own spelling
    assert all(q.status == "queued" and q.source == "written" for q in new)


BAD = [
    ("Công đoàn ngành Y tế", "Hà Văn Sơn", "", "BHXH", "Câu hỏi có lĩnh vực lạ", ""),
    ("Công đoàn ngành Y tế", "Xa Thị Mai", "", "Y tế – khám sức khỏe", "", ""),
]


def test_a_list_without_a_good_row_imports_nothing_and_says_why_per_row(client, keys, engine):
    before = len(questions(engine))
    r = post_file(client, keys["moderator"], "y-te.xlsx", xlsx(BAD))
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "import_rejected"
    messages = " ".join(p["message"] for p in body["problems"])
    assert "BHXH – BHYT" in messages  # the suggested match
    assert {p["line"] for p in body["problems"]} == {3, 4}
    assert [row["line"] for row in body["rejected"]] == [3, 4]
    assert body["rejected_file"]["base64"]
    assert len(questions(engine)) == before


def rejected_sheet(body) -> list[list[object]]:
    file = body["rejected_file"]
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["base64"]))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_bad_rows_are_kept_out_and_the_good_ones_imported(client, keys, engine):
    before = len(questions(engine))
    good = [
        ("Công đoàn ngành Y tế", f"Người {n}", "", "Khác", f"Câu hỏi thứ {n} về chế độ ca kíp", "")
        for n in range(1, 45)
    ]
    rows = [*good[:30], BAD[0], *good[30:]]
    r = post_file(client, keys["moderator"], "y-te.xlsx", xlsx(rows))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["ok"], body["count"], body["imported"]) == (True, 44, 44)
    assert [(row["line"], len(row["reasons"])) for row in body["rejected"]] == [(33, 1)]
    assert "BHXH – BHYT" in body["rejected"][0]["reasons"][0]
    assert "Đã nhập 44 câu hỏi." in body["message"] and "Chưa nhập 1 dòng" in body["message"]
    assert len(questions(engine)) == before + 44
    sheet = rejected_sheet(body)
    assert sheet[0] == [*HEADER, "Lý do"]
    assert sheet[1][1:6] == ["Công đoàn ngành Y tế", "Hà Văn Sơn", None, "BHXH", BAD[0][4]]
    assert sheet[1][7].startswith("Dòng 33: lĩnh vực «BHXH» không có trong danh sách")


def test_a_control_character_is_reported_on_its_own_line(client, keys, engine):
    """A CSV cell with a control character: the reader let it through and the command refused
    the whole file as «Dòng 2 (câu hỏi)», its place among the rows sent (one good row before
    it), not its line in the file, which is 3 (header, good row, this one)."""
    before = len(questions(engine))
    lines = [";".join(HEADER)]
    lines.append(";".join(["1", *GOOD[0]]))
    lines.append(";".join(["2", *GOOD[1][:4], "Phụ cấp\x01 thâm niên?", GOOD[1][5]]))
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    r = post_file(client, keys["moderator"], "a.csv", data)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 1
    [rejected] = body["rejected"]
    assert rejected["line"] == 3
    assert rejected["reasons"][0].startswith("Dòng 3: ô «Nội dung câu hỏi» có ký tự điều khiển")
    assert "U+0001" in rejected["reasons"][0]
    assert len(questions(engine)) == before + 1


def test_a_question_sent_again_is_named_as_already_in_the_list(client, keys, engine):
    r = post_file(client, keys["moderator"], "lac-son.xlsx", xlsx(GOOD))
    assert r.status_code == 200, r.text
    first = r.json()["first"]
    again = post_file(client, keys["moderator"], "lac-son.xlsx", xlsx(GOOD))
    assert again.status_code == 400
    body = again.json()
    reasons = [reason for row in body["rejected"] for reason in row["reasons"]]
    assert [row["line"] for row in body["rejected"]] == [3, 4]
    assert f"đã có trong danh sách (câu số {first})" in reasons[0]
    assert f"(câu số {first + 1})" in reasons[1]
    assert not any("người khác" in reason for reason in reasons)
    # twice in one file: the second names the first's line
    twice = post_file(
        client,
        keys["moderator"],
        "b.xlsx",
        xlsx([(*BAD[1][:4], "Lặp?", "")] * 2),
    )
    assert "trùng với dòng 3" in twice.json()["rejected"][-1]["reasons"][-1]


def test_other_headers_abbreviations_and_the_columns_taken(client, keys, engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH Ý KIẾN CỦA NGƯỜI LAO ĐỘNG"])
    ws.merge_cells("A1:E1")
    headers = [
        "TT",
        "Tên đơn vị",
        "Nhóm vấn đề",
        "Ý kiến, đề xuất của người lao động",
        "Sở, ngành giải trình",
    ]
    ws.append(headers)
    ws.append(
        [
            1,
            "LĐLĐ huyện Lạc Sơn",
            "Bảo hiểm xã hội, bảo hiểm y tế",
            "Chốt sổ BHXH khi doanh nghiệp nợ?",
            "BHXH tỉnh",
        ]
    )
    ws.append([2, "CĐ các KCN tỉnh", "tien luong viec lam", "Lương tối thiểu vùng?", ""])
    out = io.BytesIO()
    wb.save(out)
    before = len(questions(engine))
    r = post_file(client, keys["moderator"], "y-kien.xlsx", out.getvalue())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == {
        "unit": "Tên đơn vị",
        "field": "Nhóm vấn đề",
        "text": "Ý kiến, đề xuất của người lao động",
        "agency": "Sở, ngành giải trình",
    }
    assert "Đã lấy cột «Tên đơn vị» làm đơn vị" in body["message"]
    assert "cột «Ý kiến, đề xuất của người lao động» làm nội dung câu hỏi" in body["message"]
    new = questions(engine)[before:]
    assert [(q.asker_unit, q.field, q.agency) for q in new] == [
        ("Liên đoàn Lao động huyện Lạc Sơn", "BHXH – BHYT", "Bảo hiểm xã hội tỉnh"),
        ("Công đoàn các Khu công nghiệp tỉnh", "Tiền lương – việc làm", ""),
    ]


def test_import_needs_a_moderator_and_a_known_format(client, keys):
    assert post_file(client, keys["mc"], "a.xlsx", xlsx(GOOD)).status_code == 403
    assert post_file(client, "wrong", "a.xlsx", xlsx(GOOD)).status_code == 401
    r = post_file(client, keys["moderator"], "a.docx", b"PK\x03\x04junk")
    assert r.status_code == 400 and r.json()["problems"]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the form carries its CSRF token"
    return match.group(1)


def ask(client, data: dict[str, str]):
    """Send the phone form as a browser does: load it, then post it with its token."""
    token = csrf_of(client.get("/e/demo/ask").text)
    return client.post("/e/demo/ask", data={**data, "csrf": token})


def test_the_phone_form_needs_its_token(client, engine):
    before = len(questions(engine))
    data = {"asker_name": "A", "asker_unit": "B", "text": "Câu hỏi từ trang khác"}
    r = client.post("/e/demo/ask", data=data)
    assert r.status_code == 403 and "hết hạn" in r.text
    assert "Câu hỏi từ trang khác" in r.text  # kept, with a fresh token to send again
    r = client.post("/e/demo/ask", data={**data, "csrf": "forged"})
    assert r.status_code == 403
    assert len(questions(engine)) == before
    assert ask(client, data).status_code == 200
    assert len(questions(engine)) == before + 1


def test_phone_question_lands_pending_and_moderator_approves(client, keys, engine):
    page = client.get("/e/demo/ask")
    assert page.status_code == 200 and "Gửi câu hỏi" in page.text
    r = ask(
        client,
        {
            "asker_name": "Quách Thị Ngọc",
            "asker_unit": "Công đoàn các Khu công nghiệp tỉnh",
            "text": "Khi nào có nhà trẻ gần KCN?",
        },
    )
    assert r.status_code == 200
    assert "Đã nhận câu hỏi số" in r.text
    q = questions(engine)[-1]
    assert (q.status, q.source, q.asker_name) == ("pending", "phone", "Quách Thị Ngọc")
    r = client.post(
        "/api/e/demo/commands",
        json={"command": "question.approve", "args": {"id": q.id}},
        headers={"Authorization": f"Bearer {keys['moderator']}"},
    )
    assert r.status_code == 200
    assert questions(engine)[-1].status == "queued"


def test_phone_form_keeps_what_was_typed_on_error(client):
    r = ask(client, {"asker_name": "", "asker_unit": "X", "text": "Câu hỏi của tôi"})
    assert r.status_code == 400
    assert "Thiếu «Họ tên»." in r.text
    assert "Câu hỏi của tôi" in r.text  # nothing typed is lost


def test_phone_submissions_are_rate_limited(client, engine):
    before = len(questions(engine))
    codes = [
        ask(client, {"asker_name": "A", "asker_unit": "B", "text": f"Câu {i}"}).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert len(questions(engine)) == before + 3


def test_html_in_a_phone_question_is_text_everywhere(client, keys, engine):
    ask(
        client,
        {
            "asker_name": "<img src=x onerror=alert(1)>",
            "asker_unit": "U",
            "text": "<script>alert(1)</script>",
        },
    )
    client.get(f"/e/demo/moderator?key={keys['moderator']}")
    page = client.get("/e/demo/moderator").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
