"""The conclusion notice: drafted from the conference, laid out per Nghị định 30/2020."""

import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from sqlmodel import Session, select

from live.commands import execute
from live.models import Question
from live.notice import build_notice, count_line, notice_docx
from live.render import load_view

LDTBXH = "Sở Lao động - Thương binh và Xã hội"
XAYDUNG = "Sở Xây dựng"
FIELD_A = "Tiền lương – việc làm"
FIELD_B = "Nhà ở xã hội"


def run(engine, role, name, **args):
    return execute(engine, "demo", role, name, args).answer


def take_the_floor(engine, qid: int) -> None:
    """As the floor does it: a microphone, the question, the answer, closed as answered."""
    run(engine, "moderator", "question.assign", id=qid, mic=1)
    run(engine, "moderator", "question.live", id=qid)
    run(engine, "moderator", "question.answer", id=qid)
    run(engine, "moderator", "question.close", id=qid, outcome="answered")


def first_of_field(engine, field: str) -> Question:
    with Session(engine) as s:
        q = s.exec(
            select(Question).where(Question.field == field).order_by(Question.number)
        ).first()
    assert q is not None
    return q


@pytest.fixture
def conference(engine):
    """Two written questions and one from the floor, answered, with tasks in two fields."""
    housing = first_of_field(engine, FIELD_B)
    wages = first_of_field(engine, FIELD_A)
    floor = run(
        engine,
        "moderator",
        "question.add",
        text="Đề nghị tăng phụ cấp độc hại cho công nhân ngành may",
        field=FIELD_A,
        asker_unit="Công đoàn ngành Công thương",
    )["id"]
    ids = {"housing": housing.id, "wages": wages.id, "floor": floor}
    for qid in ids.values():
        take_the_floor(engine, qid)
    run(
        engine,
        "secretary",
        "answer.save",
        question_id=ids["housing"],
        base_version=0,
        responder_agency=XAYDUNG,
        summary="Dự án nhà ở xã hội tại phường Thịnh Lang đang được thẩm định",
        outcome="answered",
    )
    run(
        engine,
        "secretary",
        "answer.save",
        question_id=ids["wages"],
        base_version=0,
        responder_agency=LDTBXH,
        summary="Mức lương tối thiểu vùng đã được điều chỉnh từ 01/7/2024",
        outcome="answered",
    )
    c_housing = run(
        engine,
        "secretary",
        "commitment.add",
        question_id=ids["housing"],
        task="Đẩy nhanh tiến độ thẩm định dự án nhà ở xã hội",
        lead_agency=XAYDUNG,
        cooperating=["Sở Tài nguyên và Môi trường", "UBND thành phố Hòa Bình"],
        deadline="2024-12-31",
    )["id"]
    c_wages = run(
        engine,
        "secretary",
        "commitment.add",
        question_id=ids["wages"],
        task="Kiểm tra việc trả lương tại các doanh nghiệp",
        lead_agency=LDTBXH,
        cooperating=[],
        deadline="",
    )["id"]
    c_floor = run(
        engine,
        "secretary",
        "commitment.add",
        question_id=ids["floor"],
        task="Rà soát chế độ phụ cấp độc hại",
        lead_agency=LDTBXH,
        cooperating=["Liên đoàn Lao động tỉnh"],
        deadline="2024-10-15",
    )["id"]
    view = load_view(engine, "demo", Path("/nonexistent"))
    assert view is not None
    return view, ids, {"housing": c_housing, "wages": c_wages, "floor": c_floor}


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def font_of(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    return run.font.name


def para_with(paragraphs, text: str):
    found = [p for p in paragraphs if p.text == text]
    assert found, f"no paragraph {text!r}"
    return found[0]


def check_run(p, size: float, bold=False, italic=False, caps=False) -> None:
    assert p.runs
    for r in p.runs:
        assert font_of(r) == "Times New Roman"
        assert r.font.size.pt == size
        assert bool(r.font.bold) is bold
        assert bool(r.font.italic) is italic
        assert bool(r.font.all_caps) is caps or (caps and r.text == r.text.upper())


def test_the_notice_is_drafted_from_the_conference(conference):
    view, ids, cids = conference
    n = build_notice(view)
    assert (n.issuer_parent, n.issuer) == ("UBND TỈNH HÒA BÌNH", "VĂN PHÒNG")
    assert n.number_line.startswith("Số:") and n.number_line.endswith("/TB-VPUBND")
    assert n.place_date == "Hòa Bình, ngày 05 tháng 7 năm 2024"
    assert n.summary.endswith("công nhân, viên chức, lao động năm 2024")
    assert "Ngày 05 tháng 7 năm 2024, tại Hội trường UBND tỉnh Hòa Bình" in n.opening.text
    assert "Chủ tịch UBND tỉnh chủ trì" in n.opening.text
    assert "3 ý kiến, kiến nghị" in n.opening.text
    assert "2 ý kiến gửi trước bằng văn bản và 1 ý kiến phát biểu tại hội trường" in (
        n.opening.text
    )
    # Fields in the conference's list order: wages before housing.
    assert [g.heading for g in n.groups] == [f"1. {FIELD_A}", f"2. {FIELD_B}"]
    keys = [[p.key for p in g.paragraphs] for g in n.groups]
    assert keys == [
        [f"q:{ids['wages']}", f"c:{cids['wages']}", f"q:{ids['floor']}", f"c:{cids['floor']}"],
        [f"q:{ids['housing']}", f"c:{cids['housing']}"],
    ]
    texts = {p.key: p.text for p in n.paragraphs()}
    assert texts[f"c:{cids['housing']}"] == (
        f"Giao {XAYDUNG} chủ trì, phối hợp với Sở Tài nguyên và Môi trường, UBND thành phố "
        "Hòa Bình đẩy nhanh tiến độ thẩm định dự án nhà ở xã hội, hoàn thành trước ngày "
        "31/12/2024."
    )
    assert texts[f"c:{cids['wages']}"] == (
        f"Giao {LDTBXH} chủ trì kiểm tra việc trả lương tại các doanh nghiệp."
    )
    # The answer is quoted as written (issue 15: no first letter lowercased).
    assert f"{XAYDUNG} đã giải đáp: Dự án nhà ở xã hội" in texts[f"q:{ids['housing']}"]
    assert n.closing.text == (
        "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./."
    )
    assert n.recipients[0] == "Chủ tịch, các PCT UBND tỉnh;"
    assert n.recipients[-2:] == ["LĐLĐ tỉnh;", "Lưu: VT, KGVX."]
    for agency in (LDTBXH, XAYDUNG, "Sở Tài nguyên và Môi trường", "UBND thành phố Hòa Bình"):
        assert n.recipients.count(f"{agency};") == 1
    assert "Liên đoàn Lao động tỉnh;" not in n.recipients  # it is "LĐLĐ tỉnh"


def test_overrides_stick(conference):
    view, _, cids = conference
    edits = {"opening": "Đoạn mở đầu đã sửa tay.", f"c:{cids['wages']}": "Nhiệm vụ đã sửa."}
    n = build_notice(view, edits)
    assert n.opening.text == "Đoạn mở đầu đã sửa tay."
    assert {p.key: p.text for p in n.paragraphs()}[f"c:{cids['wages']}"] == "Nhiệm vụ đã sửa."
    texts = [p.text for p in read(notice_docx(n)).paragraphs]
    assert "Đoạn mở đầu đã sửa tay." in texts
    assert not any(t.startswith("Ngày 05 tháng 7 năm 2024, tại") for t in texts)


def test_the_docx_follows_the_decree(conference):
    view = conference[0]
    d = read(notice_docx(build_notice(view)))

    sec = d.sections[0]
    for value, mm in (
        (sec.page_width, 210),
        (sec.page_height, 297),
        (sec.top_margin, 20),
        (sec.bottom_margin, 20),
        (sec.left_margin, 30),
        (sec.right_margin, 15),
    ):
        assert abs(value.mm - mm) <= 0.5

    # The top table: issuing body and number | national name, motto, rule, place and date.
    top = d.tables[0]
    left = [p for row in top.rows for p in row.cells[0].paragraphs]
    right = [p for row in top.rows for p in row.cells[1].paragraphs]
    check_run(para_with(left, "UBND TỈNH HÒA BÌNH"), 13, caps=True)
    check_run(para_with(left, "VĂN PHÒNG"), 13, bold=True, caps=True)
    check_run(para_with(left, "Số:        /TB-VPUBND"), 13)
    quoc_hieu = para_with(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert 12 <= quoc_hieu.runs[0].font.size.pt <= 13
    check_run(quoc_hieu, quoc_hieu.runs[0].font.size.pt, bold=True, caps=True)
    tieu_ngu = para_with(right, "Độc lập - Tự do - Hạnh phúc")
    check_run(tieu_ngu, 14, bold=True)
    after = right[right.index(tieu_ngu) + 1]
    assert after._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    check_run(para_with(right, "Hòa Bình, ngày 05 tháng 7 năm 2024"), 14, italic=True)
    for border in top._tbl.tblPr.find(qn("w:tblBorders")):
        assert border.get(qn("w:val")) == "nil"

    paras = d.paragraphs
    title = para_with(paras, "THÔNG BÁO")
    check_run(title, 14, bold=True, caps=True)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    summary = para_with(
        paras,
        "Kết luận của Chủ tịch UBND tỉnh tại Hội nghị đối thoại với công nhân, viên chức, "
        "lao động năm 2024",
    )
    check_run(summary, 14, bold=True)
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER

    texts = [p.text for p in paras]
    opening = paras[next(i for i, t in enumerate(texts) if t.startswith("Ngày 05 tháng 7"))]
    for p in (opening, para_with(paras, "I. ĐÁNH GIÁ CHUNG")):
        assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert 1.0 <= p.paragraph_format.first_line_indent.cm <= 1.27 + 1e-6
        assert p.paragraph_format.space_after.pt >= 6
    check_run(opening, 14)
    for heading in (
        "I. ĐÁNH GIÁ CHUNG",
        "II. KẾT QUẢ GIẢI ĐÁP VÀ NHIỆM VỤ",
        "III. TỔ CHỨC THỰC HIỆN",
        f"1. {FIELD_A}",
        f"2. {FIELD_B}",
    ):
        check_run(para_with(paras, heading), 14, bold=True)

    # The tasks sit under their field headings, in order.
    at = texts.index
    housing_task = next(t for t in texts if "đẩy nhanh tiến độ thẩm định" in t)
    wages_task = next(t for t in texts if "kiểm tra việc trả lương" in t)
    floor_task = next(t for t in texts if "rà soát chế độ phụ cấp" in t)
    assert (
        at("II. KẾT QUẢ GIẢI ĐÁP VÀ NHIỆM VỤ")
        < at(f"1. {FIELD_A}")
        < at(wages_task)
        < at(floor_task)
        < at(f"2. {FIELD_B}")
        < at(housing_task)
        < at("III. TỔ CHỨC THỰC HIỆN")
    )
    assert housing_task.startswith(f"Giao {XAYDUNG} chủ trì, phối hợp với ")
    assert housing_task.endswith("hoàn thành trước ngày 31/12/2024.")
    assert floor_task == (
        f"Giao {LDTBXH} chủ trì, phối hợp với Liên đoàn Lao động tỉnh rà soát chế độ phụ cấp "
        "độc hại, hoàn thành trước ngày 15/10/2024."
    )
    closing = "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./."
    assert at(closing) > at("III. TỔ CHỨC THỰC HIỆN")

    # Recipients | signature.
    sign = d.tables[1]
    left = sign.rows[0].cells[0].paragraphs
    right = sign.rows[0].cells[1].paragraphs
    check_run(para_with(left, "Nơi nhận:"), 12, bold=True, italic=True)
    recipients = [p for p in left if p.text.startswith("- ")]
    assert [p.text for p in recipients][-1] == "- Lưu: VT, KGVX."
    assert f"- {XAYDUNG};" in [p.text for p in recipients]
    for p in recipients:
        check_run(p, 11)
    for text in ("KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"):
        p = para_with(right, text)
        check_run(p, 14, bold=True, caps=True)
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    check_run(para_with(right, "[họ tên]"), 14, bold=True)

    # Page numbers: none on page 1, a centred PAGE field from page 2.
    assert sec.different_first_page_header_footer
    assert not sec.first_page_header.is_linked_to_previous
    assert "PAGE" not in sec.first_page_header._element.xml
    header = sec.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instr = [e.text for e in header._p.iter(qn("w:instrText"))]
    assert [t.strip() for t in instr] == ["PAGE"]
    assert d.styles["Normal"].font.name == "Times New Roman"


def fresh_view(engine):
    view = load_view(engine, "demo", Path("/nonexistent"))
    assert view is not None
    return view


def test_quoted_text_is_kept_as_written(engine):
    """Issue 15: a question and an answer are quoted as typed, proper nouns and all."""
    qid = run(
        engine,
        "moderator",
        "question.add",
        text="Hòa Bình cần thêm nhà ở xã hội cho công nhân KCN Lương Sơn",
        field=FIELD_B,
        asker_unit="Công đoàn ngành Xây dựng",
    )["id"]
    take_the_floor(engine, qid)
    run(
        engine,
        "secretary",
        "answer.save",
        question_id=qid,
        base_version=0,
        responder_agency=XAYDUNG,
        summary="Sở Xây dựng đang thẩm định hai dự án",
        outcome="answered",
    )
    text = {p.key: p.text for p in build_notice(fresh_view(engine)).paragraphs()}[f"q:{qid}"]
    assert "): Hòa Bình cần thêm nhà ở xã hội cho công nhân KCN Lương Sơn." in text
    assert f"{XAYDUNG} đã giải đáp: Sở Xây dựng đang thẩm định hai dự án." in text
    assert "hòa Bình" not in text and "sở Xây dựng" not in text


def test_a_count_of_zero_is_left_out_of_the_opening(engine):
    """Issue 15: no "0 ý kiến …"; the sentence reads right with one, two or no sources."""
    assert count_line(fresh_view(engine)) == (
        "Tại Hội nghị, không có ý kiến, kiến nghị nào được nêu"
    )
    floor = run(engine, "moderator", "question.add", text="Đề nghị tăng phụ cấp độc hại")["id"]
    take_the_floor(engine, floor)
    line = count_line(fresh_view(engine))
    assert line == (
        "Tại Hội nghị, đã có 1 ý kiến, kiến nghị được nêu, là ý kiến phát biểu tại hội trường"
    )
    second = run(engine, "moderator", "question.add", text="Đề nghị xây nhà trẻ")["id"]
    take_the_floor(engine, second)
    assert count_line(fresh_view(engine)).endswith(
        "đã có 2 ý kiến, kiến nghị được nêu, đều là ý kiến phát biểu tại hội trường"
    )
    written = first_of_field(engine, FIELD_A)
    take_the_floor(engine, written.id)
    line = count_line(fresh_view(engine))
    assert line.endswith(
        "đã có 3 ý kiến, kiến nghị được nêu, trong đó 1 ý kiến gửi trước bằng văn bản và "
        "2 ý kiến phát biểu tại hội trường"
    )
    opening = build_notice(fresh_view(engine)).opening.text
    assert " 0 ý kiến" not in opening and f"{line}. Sau khi nghe" in opening


def test_a_question_closed_in_writing_is_in_the_notice(engine):
    """Issue 15: closed as «Trả lời bằng văn bản» on the floor, with nothing recorded by a
    secretary: the notice says the agency answers in writing."""
    q = first_of_field(engine, FIELD_A)
    run(engine, "moderator", "question.close", id=q.id, outcome="in_writing")
    text = {p.key: p.text for p in build_notice(fresh_view(engine)).paragraphs()}[f"q:{q.id}"]
    agency = q.agency or "Cơ quan chuyên môn"
    assert text.endswith(f" {agency} trả lời bằng văn bản."), text


def test_line_breaks_typed_in_a_paragraph_stay_in_the_docx(conference):
    """Issue 15: a paragraph typed on three lines is one paragraph with two line breaks."""
    view = conference[0]
    typed = "Hội nghị đạt kết quả:\n- dân chủ, thẳng thắn;\r\n- đúng chương trình."
    d = read(notice_docx(build_notice(view, {"assessment": typed})))
    found = [p for p in d.paragraphs if p.text.startswith("Hội nghị đạt kết quả:")]
    assert len(found) == 1
    assert found[0].text == "Hội nghị đạt kết quả:\n- dân chủ, thẳng thắn;\n- đúng chương trình."
    assert len(found[0]._p.findall(f".//{qn('w:br')}")) == 2
