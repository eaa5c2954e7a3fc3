"""The floor over HTTP: importing the units' lists, and the public question page."""

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


def test_a_broken_list_imports_nothing_and_says_why_per_row(client, keys, engine):
    before = len(questions(engine))
    broken = [
        *GOOD,
        ("Công đoàn ngành Y tế", "Hà Văn Sơn", "", "BHXH", "Câu hỏi có lĩnh vực lạ", ""),
    ]
    broken.append(("Công đoàn ngành Y tế", "Xa Thị Mai", "", "Y tế – khám sức khỏe", "", ""))
    r = post_file(client, keys["moderator"], "y-te.xlsx", xlsx(broken))
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "import_rejected"
    messages = " ".join(p["message"] for p in body["problems"])
    assert "BHXH – BHYT" in messages  # the suggested match
    assert {p["line"] for p in body["problems"]} == {5, 6}
    assert len(questions(engine)) == before


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
