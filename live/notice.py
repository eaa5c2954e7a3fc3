"""The conclusion notice (Thông báo kết luận) of a dialogue conference, as a DOCX.

An administrative document "có tên loại" (Nghị định 30/2020/NĐ-CP, phụ lục I, mẫu 1.4; code
TB): the issuing body and number at the top left, the national name and motto at the top right,
the title and summary line, the body, the signature and the recipients.

`build_notice` drafts every paragraph from the conference; each paragraph has a stable key
("opening", "assessment", "q:<question id>", "c:<commitment id>", "implementation",
"closing") and `overrides[key]`, when given, replaces the drafted text, so edits stick when
the notice is drafted again. `notice_docx` lays the notice out as the decree requires.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from live.commands.answers import outcome_of
from live.models import Answer, Commitment, Question
from live.render import View, dmy, vn_date

FONT = "Times New Roman"
# The questions the notice counts as raised at the conference.
RAISED = ("answered", "in_writing", "live", "answering")
OTHER_FIELD = "Khác"

DEFAULT_ASSESSMENT = (
    "Hội nghị đối thoại được tổ chức nghiêm túc, dân chủ, cởi mở và đúng kế hoạch. Các ý kiến, "
    "kiến nghị của công nhân, viên chức, lao động phản ánh sát thực tế, thể hiện tâm tư, nguyện "
    "vọng chính đáng của người lao động. Các sở, ban, ngành đã chuẩn bị chu đáo, trả lời cụ thể, "
    "rõ ràng các nội dung thuộc thẩm quyền. Chủ tịch UBND tỉnh ghi nhận, đánh giá cao sự phối "
    "hợp của Liên đoàn Lao động tỉnh, các cấp công đoàn, các cơ quan, đơn vị trong việc tổ chức "
    "Hội nghị."
)
DEFAULT_IMPLEMENTATION = (
    "Các sở, ban, ngành, UBND các huyện, thành phố và các cơ quan, đơn vị liên quan theo chức "
    "năng, nhiệm vụ được giao khẩn trương triển khai thực hiện các nội dung nêu trên; báo cáo kết "
    "quả thực hiện về UBND tỉnh (qua Văn phòng UBND tỉnh) và Liên đoàn Lao động tỉnh trước ngày "
    "15 tháng 12. Liên đoàn Lao động tỉnh theo dõi, đôn đốc việc thực hiện và tổng hợp, báo cáo "
    "UBND tỉnh tại Hội nghị đối thoại năm sau."
)
DEFAULT_CLOSING = "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./."
FIXED_RECIPIENTS = ("Chủ tịch, các PCT UBND tỉnh;", "LĐLĐ tỉnh;")
FILING = "Lưu: VT, KGVX."


@dataclass
class Para:
    """One editable paragraph of the body."""

    key: str
    text: str


@dataclass
class FieldGroup:
    """Section II: the questions and tasks of one field (lĩnh vực), numbered 1., 2., …"""

    number: int
    name: str
    paragraphs: list[Para] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.name}"


@dataclass
class Notice:
    issuer_parent: str
    issuer: str
    number_line: str  # "Số:      /TB-VPUBND", the number left blank
    place_date: str  # "Hòa Bình, ngày 05 tháng 7 năm 2024"
    title: str  # "THÔNG BÁO"
    summary: str  # the trích yếu
    opening: Para
    assessment: Para
    groups: list[FieldGroup]
    implementation: Para
    closing: Para
    signer_authority: str = "KT. CHÁNH VĂN PHÒNG"
    signer_title: str = "PHÓ CHÁNH VĂN PHÒNG"
    signer_name: str = "[họ tên]"
    recipients: list[str] = field(default_factory=list)  # each ends with ";" or "."

    heading_assessment = "I. ĐÁNH GIÁ CHUNG"
    heading_results = "II. KẾT QUẢ GIẢI ĐÁP VÀ NHIỆM VỤ"
    heading_implementation = "III. TỔ CHỨC THỰC HIỆN"

    def paragraphs(self) -> list[Para]:
        """Every editable paragraph, in document order."""
        out = [self.opening, self.assessment]
        for g in self.groups:
            out.extend(g.paragraphs)
        return [*out, self.implementation, self.closing]


# --- drafting ---------------------------------------------------------------------------


def sentence(text: str) -> str:
    """Trimmed, without the final punctuation, so it can be embedded in a sentence."""
    return text.strip().rstrip(" .;:?!")


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word looks like an acronym: for a task,
    which the notice makes the predicate of its own sentence ("Giao … chủ trì kiểm tra …").
    Text the notice quotes (a question, an answer) is never changed: it is as written."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def cooperating_of(c: Commitment) -> list[str]:
    try:
        names = json.loads(c.cooperating or "[]")
    except ValueError:
        return []
    return [n.strip() for n in names if isinstance(n, str) and n.strip()]


def commitment_text(c: Commitment) -> str:
    """ "Giao [lead] chủ trì, phối hợp với [a, b] [task], hoàn thành trước ngày dd/mm/yyyy." """
    task = lower_first(sentence(c.task))
    coop = ", ".join(cooperating_of(c))
    lead = c.lead_agency.strip()
    if lead and coop:
        text = f"Giao {lead} chủ trì, phối hợp với {coop} {task}"
    elif lead:
        text = f"Giao {lead} chủ trì {task}"
    elif coop:
        text = f"Giao {coop} {task}"
    else:
        text = task[:1].upper() + task[1:]
    if c.deadline:
        text += f", hoàn thành trước ngày {dmy(c.deadline)}"
    return text + "."


def question_text(q: Question, a: Answer | None) -> str:
    """One paragraph: the issue raised, and what was answered."""
    who = ", ".join(x for x in (q.asker_unit.strip(),) if x)
    issue = sentence(q.text)  # quoted as written
    text = f"Về ý kiến{f' của {who}' if who else ''} (câu {q.number}): {issue}."
    agency = (a.responder_agency.strip() if a else "") or q.agency.strip()
    if a is not None and a.summary.strip():
        body = sentence(a.summary)  # quoted as written
        text += f" {agency} đã giải đáp: {body}." if agency else f" {body}."
    outcome = outcome_of(q, a)
    if outcome == "in_writing":
        text += f" {agency or 'Cơ quan chuyên môn'} trả lời bằng văn bản."
    elif outcome == "study":
        text += " Chủ tịch UBND tỉnh ghi nhận, giao nghiên cứu, đề xuất."
    elif outcome == "referred" and a is not None and a.referred_to.strip():
        text += f" Chuyển {a.referred_to.strip()} xem xét, giải quyết theo thẩm quyền."
    return text


SOURCE_WORDS = {
    "written": "gửi trước bằng văn bản",
    "floor": "phát biểu tại hội trường",
    "phone": "gửi qua điện thoại",
}


def and_list(parts: list[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    return ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else "".join(parts)


def count_line(view: View) -> str:
    """How many were raised, and from where; a source none came from is left out."""
    raised = [q for q in view.questions if q.status in RAISED]
    if not raised:
        return "Tại Hội nghị, không có ý kiến, kiến nghị nào được nêu"
    counts = {s: sum(1 for q in raised if q.source == s) for s in SOURCE_WORDS}
    line = f"Tại Hội nghị, đã có {len(raised)} ý kiến, kiến nghị được nêu"
    sources = [s for s, n in counts.items() if n]
    if len(sources) == 1 and counts[sources[0]] == len(raised):
        return f"{line}, {'đều ' if len(raised) > 1 else ''}là ý kiến {SOURCE_WORDS[sources[0]]}"
    parts = [f"{counts[s]} ý kiến {SOURCE_WORDS[s]}" for s in sources]
    return f"{line}, trong đó {and_list(parts)}" if parts else line


def opening_text(view: View) -> str:
    conf = view.conference
    when = vn_date(conf.date) if conf.date else ""
    where = f"tại {conf.venue.strip()}" if conf.venue.strip() else ""
    intro = ", ".join(x for x in (when[:1].upper() + when[1:], where) if x)
    who = "Ủy ban nhân dân tỉnh"
    if conf.organiser.strip():
        who += f" phối hợp với {conf.organiser.strip()}"
    title = sentence(conf.title) or "Hội nghị đối thoại với công nhân, viên chức, lao động"
    return (
        f"{intro + ', ' if intro else ''}{who} tổ chức {title}. Đồng chí Chủ tịch UBND tỉnh "
        "chủ trì Hội nghị. Dự Hội nghị có lãnh đạo các sở, ban, ngành, UBND các huyện, thành "
        "phố, Liên đoàn Lao động tỉnh, các cấp công đoàn cùng đại diện công nhân, viên chức, "
        f"lao động trên địa bàn tỉnh. {count_line(view)}. Sau khi nghe các sở, ngành giải đáp, "
        "Chủ tịch UBND tỉnh kết luận như sau:"
    )


def included(view: View, q: Question) -> bool:
    if q.status in RAISED or view.commitments.get(q.id or 0):
        return True
    a = view.answers.get(q.id or 0)
    return q.status not in ("withdrawn", "rejected", "merged") and bool(a and a.summary.strip())


def field_groups(view: View, overrides: dict[str, str]) -> list[FieldGroup]:
    chosen = sorted((q for q in view.questions if included(view, q)), key=lambda q: q.number)
    order = list(view.lists.get("field", []))
    by_field: dict[str, list[Question]] = {}
    for q in chosen:
        by_field.setdefault(q.field.strip() or OTHER_FIELD, []).append(q)
    names = [f for f in order if f in by_field and f != OTHER_FIELD]
    names += [f for f in by_field if f not in names and f != OTHER_FIELD]
    if OTHER_FIELD in by_field:
        names.append(OTHER_FIELD)
    groups = []
    for n, name in enumerate(names, 1):
        g = FieldGroup(n, name)
        for q in by_field[name]:
            key = f"q:{q.id}"
            g.paragraphs.append(
                Para(key, overrides.get(key, question_text(q, view.answers.get(q.id or 0))))
            )
            for c in view.commitments.get(q.id or 0, []):
                key = f"c:{c.id}"
                g.paragraphs.append(Para(key, overrides.get(key, commitment_text(c))))
        groups.append(g)
    return groups


def recipients_of(view: View) -> list[str]:
    agencies: list[str] = []
    for q in view.questions:
        if not included(view, q):
            continue
        for c in view.commitments.get(q.id or 0, []):
            for name in [c.lead_agency.strip(), *cooperating_of(c)]:
                if name and name not in agencies:
                    agencies.append(name)
    fixed = {"ldld tỉnh", "liên đoàn lao động tỉnh"}
    agencies = [a for a in agencies if a.lower() not in fixed]
    return [FIXED_RECIPIENTS[0], *(f"{a};" for a in agencies), FIXED_RECIPIENTS[1], FILING]


def build_notice(
    view: View,
    overrides: dict[str, str] | None = None,
    *,
    issuer_parent: str = "UBND TỈNH HÒA BÌNH",
    issuer: str = "VĂN PHÒNG",
    place: str = "Hòa Bình",
) -> Notice:
    """Draft the notice from the conference; `overrides[key]` replaces a drafted paragraph."""
    ov = overrides or {}
    conf = view.conference
    try:
        year = str(date.fromisoformat(conf.date).year)
    except ValueError:
        year = "…"
    when = vn_date(conf.date) if conf.date else "ngày … tháng … năm …"

    def para(key: str, text: str) -> Para:
        return Para(key, ov.get(key, text))

    return Notice(
        issuer_parent=issuer_parent,
        issuer=issuer,
        number_line="Số:        /TB-VPUBND",
        place_date=f"{place}, {when}",
        title="THÔNG BÁO",
        summary=(
            "Kết luận của Chủ tịch UBND tỉnh tại Hội nghị đối thoại với công nhân, viên chức, "
            f"lao động năm {year}"
        ),
        opening=para("opening", opening_text(view)),
        assessment=para("assessment", DEFAULT_ASSESSMENT),
        groups=field_groups(view, ov),
        implementation=para("implementation", DEFAULT_IMPLEMENTATION),
        closing=para("closing", DEFAULT_CLOSING),
        recipients=recipients_of(view),
    )


# --- layout -----------------------------------------------------------------------------

BODY_PT = 14
INDENT = Cm(1.27)


def set_fonts(element: Any) -> None:
    """Times New Roman for every script (ascii, hAnsi, east-asian, complex)."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def add_run(
    p: Paragraph,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    caps: bool = False,
) -> None:
    r = p.add_run(text)
    r.font.name = FONT
    r.font.size = Pt(size)
    r.font.bold = bold
    r.font.italic = italic
    if caps:
        r.font.all_caps = True
    set_fonts(r._r)
    sz = r._r.get_or_add_rPr().find(qn("w:sz"))
    sz_cs = OxmlElement("w:szCs")
    sz_cs.set(qn("w:val"), str(round(size * 2)))
    sz.addnext(sz_cs)


def fmt(
    p: Paragraph,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    *,
    after: float = 0,
    before: float = 0,
    indent: bool = False,
) -> Paragraph:
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_after = Pt(after)
    pf.space_before = Pt(before)
    pf.first_line_indent = INDENT if indent else Cm(0)
    return p


def line(
    where: Any,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    caps: bool = False,
) -> Paragraph:
    """A centred single-spaced paragraph at the end of `where` (document or table cell)."""
    p = where.add_paragraph()
    add_run(p, text, size, bold=bold, italic=italic, caps=caps)
    p.paragraph_format.line_spacing = 1.0
    return fmt(p)


def rule(where: Any, width: Length, space: Length) -> Paragraph:
    """A short centred horizontal line: the bottom border of a tiny indented paragraph."""
    p = where.add_paragraph()
    side = Emu(max(0, (space - width) // 2))
    pf = p.paragraph_format
    pf.left_indent = side
    pf.right_indent = side
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    # pBdr comes before spacing/ind/jc in CT_PPr's sequence.
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        anchor = ppr.find(qn("w:ind"))
    if anchor is not None:
        anchor.addprevious(bdr)
    else:
        ppr.append(bdr)
    return p


def borderless(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tblpr.append(borders)


def two_columns(doc: DocxDocument, left: Length, right: Length) -> Table:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borderless(table)
    for cell, width in zip(table.rows[0].cells, (left, right), strict=True):
        cell.width = width
    for col, width in zip(table.columns, (left, right), strict=True):
        col.width = width
    return table


def first_cell_paragraph(cell: _Cell) -> None:
    """A new cell holds one empty paragraph; drop it so the content starts at the top."""
    p = cell.paragraphs[0]._p
    p.getparent().remove(p)


def page_field(p: Paragraph, size: float) -> None:
    def fld(kind: str) -> Any:
        e = OxmlElement("w:fldChar")
        e.set(qn("w:fldCharType"), kind)
        return e

    add_run(p, "", size)
    p.runs[-1]._r.append(fld("begin"))
    add_run(p, "", size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    p.runs[-1]._r.append(instr)
    add_run(p, "", size)
    p.runs[-1]._r.append(fld("separate"))
    add_run(p, "2", size)
    add_run(p, "", size)
    p.runs[-1]._r.append(fld("end"))


def body(doc: DocxDocument, text: str, *, bold: bool = False) -> Paragraph:
    """A body paragraph; the line breaks typed in it stay line breaks (python-docx writes a
    newline as <w:br/>; a CR LF from a pasted text is one break, not two)."""
    p = doc.add_paragraph()
    add_run(p, text.replace("\r\n", "\n").replace("\r", "\n"), BODY_PT, bold=bold)
    p.paragraph_format.line_spacing = 1.1
    return fmt(p, WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=True)


def notice_docx(notice: Notice) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element)
    doc.core_properties.title = f"{notice.title} {notice.summary}"
    doc.core_properties.language = "vi-VN"

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance = Mm(10)
    sec.different_first_page_header_footer = True
    sec.first_page_header.is_linked_to_previous = False  # an explicit, empty first-page header
    hp = sec.header.paragraphs[0]
    page_field(hp, 13)
    fmt(hp)

    # The top: issuing body and number | national name, motto, place and date.
    left_w, right_w = Cm(6.0), Cm(10.5)
    top = two_columns(doc, left_w, right_w)
    top.add_row()
    (l1, r1), (l2, r2) = (row.cells for row in top.rows)
    for cell, width in ((l1, left_w), (l2, left_w), (r1, right_w), (r2, right_w)):
        cell.width = width
        first_cell_paragraph(cell)
    line(l1, notice.issuer_parent, 13, caps=True)
    line(l1, notice.issuer, 13, bold=True, caps=True)
    rule(l1, Cm(2.2), left_w)
    line(r1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, caps=True)
    line(r1, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    rule(r1, Cm(6.2), right_w)
    fmt(line(l2, notice.number_line, 13), before=6)
    fmt(line(r2, notice.place_date, 14, italic=True), before=6)

    # Title and summary line.
    fmt(line(doc, notice.title, 14, bold=True, caps=True), before=18)
    fmt(line(doc, notice.summary, 14, bold=True))
    page_w = Mm(210 - 30 - 15)
    rule(doc, Cm(4.0), page_w)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)

    body(doc, notice.opening.text)
    body(doc, notice.heading_assessment, bold=True)
    body(doc, notice.assessment.text)
    body(doc, notice.heading_results, bold=True)
    for g in notice.groups:
        body(doc, g.heading, bold=True)
        for para in g.paragraphs:
            body(doc, para.text)
    body(doc, notice.heading_implementation, bold=True)
    body(doc, notice.implementation.text)
    body(doc, notice.closing.text)

    # Recipients | signature.
    sign = two_columns(doc, Cm(8.0), Cm(8.5))
    left, right = sign.rows[0].cells
    first_cell_paragraph(left)
    first_cell_paragraph(right)
    p = line(left, "Nơi nhận:", 12, bold=True, italic=True)
    fmt(p, WD_ALIGN_PARAGRAPH.LEFT, before=6)
    for name in notice.recipients:
        fmt(line(left, f"- {name}", 11), WD_ALIGN_PARAGRAPH.LEFT)
    fmt(line(right, notice.signer_authority, 14, bold=True, caps=True), before=6)
    line(right, notice.signer_title, 14, bold=True, caps=True)
    for _ in range(4):
        line(right, "", 14)
    line(right, notice.signer_name, 14, bold=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def notice_of(view: View) -> Notice:
    """The notice as it stands: drafted from the day, with the secretaries' edits."""
    conf = view.conference
    return build_notice(
        view,
        {key: edit.text for key, edit in view.notice_edits.items()},
        issuer_parent=conf.notice_issuer_parent,
        issuer=conf.notice_issuer,
        place=conf.notice_place,
    )
