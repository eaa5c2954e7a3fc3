"""The minutes: every question with its answer and commitments, read back from XLSX/CSV."""

import csv
import io

import openpyxl
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from live.app import create_app
from live.commands import execute
from live.models import Answer, Question


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as c:
        yield c


def answer_first_question(engine) -> Question:
    with Session(engine) as s:
        q = s.exec(select(Question).order_by(Question.number)).first()
    for command, args in (
        ("question.assign", {"id": q.id, "mic": 1}),
        ("question.live", {"id": q.id}),
        ("question.answer", {"id": q.id}),
        ("question.close", {"id": q.id, "outcome": "answered"}),
    ):
        execute(engine, "demo", "moderator", command, args)
    execute(
        engine,
        "demo",
        "secretary",
        "answer.save",
        {
            "question_id": q.id,
            "base_version": 0,
            "responder_name": "Nguyễn Văn A",
            "responder_agency": "Sở Lao động - Thương binh và Xã hội",
            "summary": "Sở sẽ kiểm tra.",
            "outcome": "answered",
        },
    )
    execute(
        engine,
        "demo",
        "secretary",
        "commitment.add",
        {
            "question_id": q.id,
            "task": "Kiểm tra lương tối thiểu vùng",
            "lead_agency": "Sở Lao động - Thương binh và Xã hội",
            "cooperating": ["Liên đoàn Lao động tỉnh"],
            "deadline": "2024-09-30",
        },
    )
    execute(engine, "demo", "moderator", "question.reject", {"id": q.id + 1})
    return q


def get(client, keys, name):
    return client.get(
        f"/api/e/demo/{name}", headers={"Authorization": f"Bearer {keys['secretary']}"}
    )


def test_minutes_xlsx_has_every_question_its_answer_and_a_summary(client, keys, engine):
    q = answer_first_question(engine)
    r = get(client, keys, "minutes.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = wb["Biên bản"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Câu", "Nguồn", "Người hỏi"] and "Nhiệm vụ được giao" in header
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(body) == 39  # 40 written, one rejected
    first = dict(zip(header, body[0], strict=True))
    assert first["Câu"] == q.number
    assert first["Tóm tắt trả lời"] == "Sở sẽ kiểm tra."
    assert first["Kết quả"] == "Trả lời tại hội nghị"
    assert "Nguyễn Văn A" in first["Người trả lời"]
    assert "Kiểm tra lương tối thiểu vùng" in first["Nhiệm vụ được giao"]
    assert "hạn: 2024-09-30" in first["Nhiệm vụ được giao"]
    assert q.number + 1 not in [row[0] for row in body]

    counts = {
        row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(values_only=True) if row and row[0]
    }
    assert counts["Trả lời tại hội nghị"] == 1
    assert counts["Chưa ghi kết quả"] == 38
    assert counts["Tiền lương – việc làm"] >= 1


def test_minutes_csv_opens_in_excel_with_its_diacritics(client, keys, engine):
    answer_first_question(engine)
    r = get(client, keys, "minutes.csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Câu" and len(rows) == 40
    assert rows[1][9] == "Sở sẽ kiểm tra."


def test_a_question_closed_in_writing_has_that_outcome_in_the_minutes(client, keys, engine):
    """Issue 15: closed as «Trả lời bằng văn bản» on the floor, nothing recorded by a
    secretary: the minutes say so (not «Chưa ghi kết quả»), in the row and in the counts; a
    secretary's own choice is what the minutes show when there is one."""
    with Session(engine) as s:
        first, second = s.exec(
            select(Question).where(Question.status == "queued").order_by(Question.number).limit(2)
        ).all()
    for q in (first, second):
        execute(
            engine, "demo", "moderator", "question.close", {"id": q.id, "outcome": "in_writing"}
        )
    with Session(engine) as s:  # the second's answer: a secretary chose "study" after
        version = s.exec(select(Answer.version).where(Answer.question_id == second.id)).one()
    execute(
        engine,
        "demo",
        "secretary",
        "answer.save",
        {"question_id": second.id, "base_version": version, "outcome": "study"},
    )
    wb = openpyxl.load_workbook(io.BytesIO(get(client, keys, "minutes.xlsx").content))
    sheet = wb["Biên bản"]
    header = [c.value for c in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows[first.number]["Kết quả"] == "Trả lời bằng văn bản"
    assert rows[first.number]["Trạng thái"] == "Trả lời bằng văn bản"
    assert rows[second.number]["Kết quả"] == "Ghi nhận, nghiên cứu"
    counts = {
        row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(values_only=True) if row and row[0]
    }
    assert counts["Trả lời bằng văn bản"] == 1
    assert counts["Ghi nhận, nghiên cứu"] == 1
    assert counts["Chưa ghi kết quả"] == len(rows) - 2  # every other listed question
    text = get(client, keys, "minutes.csv").content.decode("utf-8-sig")
    by_number = {r[0]: r for r in csv.reader(io.StringIO(text))}
    assert by_number[str(first.number)][10] == "Trả lời bằng văn bản"


def test_downloads_need_a_secretary_and_a_known_name(client, keys):
    assert client.get("/api/e/demo/minutes.xlsx").status_code == 401
    assert get(client, keys, "passwords.txt").status_code == 404


def test_followup_lists_commitments_with_overdue_computed_and_exports(client, keys, engine):
    q = answer_first_question(engine)
    late = execute(
        engine,
        "demo",
        "secretary",
        "commitment.add",
        {
            "question_id": q.id,
            "task": "Báo cáo kết quả",
            "lead_agency": "Sở Nội vụ",
            "deadline": "2020-01-31",
        },
    ).answer
    future = execute(
        engine,
        "demo",
        "secretary",
        "commitment.add",
        {"question_id": q.id, "task": "Việc sau", "deadline": "2099-12-31"},
    ).answer
    execute(
        engine,
        "demo",
        "secretary",
        "commitment.status",
        {"id": future["id"], "status": "done", "note": "Xong sớm"},
    )
    client.get(f"/e/demo/followup?key={keys['secretary']}")
    page = client.get("/e/demo/followup").text
    assert "nhiệm vụ đã hoàn thành" in page
    assert "<strong>1/3</strong>" in page  # one of three done
    assert 'data-status="overdue"' in page  # 2020: late, and not done
    assert "31/01/2020" in page

    r = get(client, keys, "followup.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    statuses = {row[1]: row[5] for row in rows[1:]}
    assert statuses["Báo cáo kết quả"] == "Quá hạn"
    assert statuses["Việc sau"] == "Đã xong"
    assert late["id"] != future["id"]
