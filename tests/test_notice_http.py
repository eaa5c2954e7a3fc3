"""The conclusion notice over HTTP: edits stick, the Word file and the print page."""

import io

import docx
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from live.app import create_app
from live.commands import CommandError, execute
from live.models import Conference, NoticeEdit, Question


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as c:
        yield c


def test_an_edited_paragraph_sticks_in_the_word_file(client, keys, engine):
    execute(
        engine,
        "demo",
        "secretary",
        "notice.edit",
        {"key": "assessment", "text": "Hội nghị diễn ra dân chủ, thẳng thắn.", "base_version": 0},
    )
    r = client.get(
        "/api/e/demo/notice.docx", headers={"Authorization": f"Bearer {keys['secretary']}"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "Hội nghị diễn ra dân chủ, thẳng thắn." in text
    assert "THÔNG BÁO" in text


def test_notice_edits_are_versioned_and_can_go_back_to_the_draft(engine):
    execute(
        engine,
        "demo",
        "secretary",
        "notice.edit",
        {"key": "opening", "text": "A", "base_version": 0},
    )
    with pytest.raises(CommandError) as e:
        execute(
            engine,
            "demo",
            "admin",
            "notice.edit",
            {"key": "opening", "text": "B", "base_version": 0},
        )
    assert e.value.code == "conflict"
    execute(
        engine,
        "demo",
        "secretary",
        "notice.edit",
        {"key": "opening", "text": "", "base_version": 1},
    )
    for bad in (
        {"key": "../x", "text": "t", "base_version": 0},
        {"key": "q:abc", "text": "t", "base_version": 0},
    ):
        with pytest.raises(CommandError):
            execute(engine, "demo", "secretary", "notice.edit", bad)


def test_notice_needs_a_secretary(client, keys):
    assert client.get("/api/e/demo/notice.docx").status_code == 401
    # Another role's key is known but not allowed: 403, not 401.
    assert (
        client.get(
            "/api/e/demo/notice.docx", headers={"Authorization": f"Bearer {keys['moderator']}"}
        ).status_code
        == 403
    )
    assert client.get("/e/demo/notice").status_code == 403
    client.get(f"/e/demo/secretary?key={keys['secretary']}")
    page = client.get("/e/demo/notice")
    assert page.status_code == 200
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text and "Nơi nhận:" in page.text
    assert client.get("/api/e/demo/notice.docx").status_code == 200  # the page's download link


def test_the_issuing_body_is_the_conferences(client, keys, engine):
    execute(
        engine,
        "demo",
        "admin",
        "notice.issuer",
        {"parent": "UBND TỈNH PHÚ THỌ", "issuer": "VĂN PHÒNG", "place": "Phú Thọ"},
    )
    with pytest.raises(CommandError):
        execute(engine, "demo", "secretary", "notice.issuer", {"parent": "X"})
    r = client.get("/api/e/demo/notice.docx", headers={"Authorization": f"Bearer {keys['admin']}"})
    document = docx.Document(io.BytesIO(r.content))
    cells = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "UBND TỈNH PHÚ THỌ" in cells and "Phú Thọ, ngày" in cells


def test_a_browser_holding_several_roles_can_download(client, keys):
    client.get(f"/e/demo/mc?key={keys['mc']}")
    client.get(f"/e/demo/secretary?key={keys['secretary']}")
    assert client.get("/api/e/demo/minutes.xlsx").status_code == 200


def test_a_notice_key_must_name_a_question_or_commitment_of_this_conference(engine):
    """Issue 15: `q:999999` or `c:…` of nothing (or of another conference) is refused with
    404, and no edit is kept for it."""
    with Session(engine) as s:
        other = Conference(slug="khac", title="Hội nghị khác", epoch="x")
        s.add(other)
        s.flush()
        foreign = Question(conference_id=other.id, number=1, text="Câu của hội nghị khác")
        s.add(foreign)
        s.commit()
        foreign_id = foreign.id
        mine = s.exec(select(Question).where(Question.conference_id != other.id)).first()
    for key in ("q:999999", "c:999999", f"q:{foreign_id}"):
        with pytest.raises(CommandError) as e:
            execute(
                engine,
                "demo",
                "secretary",
                "notice.edit",
                {"key": key, "text": "t", "base_version": 0},
            )
        assert (e.value.code, e.value.status) == ("not_found", 404), key
        assert f"Đoạn «{key}» không ứng với" in e.value.message
        assert ("câu hỏi" if key.startswith("q") else "nhiệm vụ") in e.value.message
    with Session(engine) as s:
        assert s.exec(select(NoticeEdit)).all() == []
    added = execute(
        engine,
        "demo",
        "secretary",
        "commitment.add",
        {"question_id": mine.id, "task": "Kiểm tra"},
    ).answer
    for key in (f"q:{mine.id}", f"c:{added['id']}"):
        out = execute(
            engine, "demo", "secretary", "notice.edit", {"key": key, "text": "t", "base_version": 0}
        )
        assert out.answer == {"key": key, "version": 1}


def test_the_print_view_keeps_typed_line_breaks_as_text(client, keys, engine):
    """The paragraph's text goes out as typed, escaped (never marked safe); notice.css shows
    its line breaks (white-space: pre-line; seen in tests/browser/test_notice_browser.py)."""
    typed = "Hội nghị đạt kết quả:\n- dân chủ, <b>thẳng thắn</b>;\n- đúng chương trình."
    execute(
        engine,
        "demo",
        "secretary",
        "notice.edit",
        {"key": "assessment", "text": typed, "base_version": 0},
    )
    client.get(f"/e/demo/secretary?key={keys['secretary']}")
    page = client.get("/e/demo/notice").text
    assert (
        "<p>Hội nghị đạt kết quả:\n- dân chủ, &lt;b&gt;thẳng thắn&lt;/b&gt;;\n- đúng chương trình.</p>"
        in page
    )
