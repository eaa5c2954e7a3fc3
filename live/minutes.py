"""The minutes of the dialogue: every question with its asker, answer, outcome and
commitments, as XLSX (with a one-page summary sheet for the leaders) and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from live.commands.answers import outcome_of
from live.models import (
    ANSWER_OUTCOMES,
    FOLLOWUP_STATUSES,
    QUESTION_SOURCES,
    QUESTION_STATUSES,
    Question,
)
from live.render import View, dmy

COLUMNS = [
    ("Câu", 6),
    ("Nguồn", 14),
    ("Người hỏi", 22),
    ("Chức vụ", 24),
    ("Đơn vị", 28),
    ("Lĩnh vực", 20),
    ("Nội dung câu hỏi", 60),
    ("Cơ quan được hỏi", 26),
    ("Người trả lời", 30),
    ("Tóm tắt trả lời", 60),
    ("Kết quả", 20),
    ("Nhiệm vụ được giao", 60),
    ("Trạng thái", 16),
    ("Bắt đầu hỏi", 10),
    ("Kết thúc", 10),
]
# Questions that never reached the floor are left out: rejected, merged, still pending.
LEFT_OUT = ("pending", "rejected", "merged")


def clock(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%H:%M") if ts else ""


def rows(view: View) -> list[list[str | int]]:
    """One row per question that reached the queue, in number order."""
    out: list[list[str | int]] = []
    for q in sorted(view.questions, key=lambda q: q.number):
        if q.status in LEFT_OUT:
            continue
        a = view.answers.get(q.id or 0)
        tasks = []
        for c in view.commitments.get(q.id or 0, []):
            coop = json.loads(c.cooperating or "[]")
            parts = [c.task, f"chủ trì: {c.lead_agency}" if c.lead_agency else ""]
            parts += [
                f"phối hợp: {', '.join(coop)}" if coop else "",
                f"hạn: {c.deadline}" if c.deadline else "",
            ]
            tasks.append("; ".join(p for p in parts if p))
        responder = ", ".join(
            x
            for x in ((a.responder_name, a.responder_position, a.responder_agency) if a else ())
            if x
        )
        out.append(
            [
                q.number,
                QUESTION_SOURCES.get(q.source, q.source),
                q.asker_name,
                q.asker_position,
                q.asker_unit,
                q.field,
                q.text,
                q.agency,
                responder,
                a.summary if a else "",
                ANSWER_OUTCOMES.get(outcome_of(q, a), ""),
                "\n".join(tasks),
                QUESTION_STATUSES.get(q.status, q.status),
                clock(q.live_at),
                clock(q.closed_at),
            ]
        )
    return out


def summary(view: View) -> dict[str, Counter[str]]:
    """Counts for the leaders' page: by field, unit, outcome and agency asked."""
    asked: list[Question] = [q for q in view.questions if q.status not in LEFT_OUT]
    outcome = Counter(
        ANSWER_OUTCOMES.get(outcome_of(q, view.answers.get(q.id or 0)), "Chưa ghi kết quả")
        for q in asked
    )
    return {
        "Lĩnh vực": Counter(q.field or "Khác" for q in asked),
        "Đơn vị": Counter(q.asker_unit or "Không rõ" for q in asked),
        "Kết quả": outcome,
        "Cơ quan được hỏi": Counter(q.agency or "Chưa xác định" for q in asked),
    }


def table_workbook(title: str, columns: list[tuple[str, int]], body: list[list[Any]]) -> Workbook:
    """A workbook whose first sheet is a table: bold header, set widths, wrapped cells."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = title
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append(row)
    for i, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return wb


def save(wb: Workbook) -> bytes:
    """The workbook's bytes. Any text that openpyxl took for a formula because it starts
    with "=" (a question typed as "=HYPERLINK(…)") is written as the text it is."""
    for sheet in wb.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def minutes_xlsx(view: View) -> bytes:
    wb = table_workbook("Biên bản", COLUMNS, rows(view))

    counts = wb.create_sheet("Tổng hợp")
    counts.append([view.conference.title])
    counts["A1"].font = Font(bold=True, size=13)
    for title, counter in summary(view).items():
        counts.append([])
        counts.append([title, "Số câu"])
        counts.cell(row=counts.max_row, column=1).font = Font(bold=True)
        for name, n in counter.most_common():
            counts.append([name, n])
    counts.column_dimensions["A"].width = 60
    return save(wb)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A text a spreadsheet would run as a formula ("=HYPERLINK(…)"), quoted with an
    apostrophe, which Excel shows as plain text (OWASP's advice for CSV injection)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def table_csv(columns: list[tuple[str, int]], body: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM, so Excel on a Vietnamese Windows opens the diacritics right."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([name for name, _ in columns])
    writer.writerows([[inert(value) for value in row] for row in body])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def minutes_csv(view: View) -> bytes:
    return table_csv(COLUMNS, rows(view))


FOLLOWUP_COLUMNS = [
    ("Câu", 6),
    ("Nhiệm vụ", 60),
    ("Cơ quan chủ trì", 30),
    ("Phối hợp", 40),
    ("Hạn", 12),
    ("Tình trạng", 14),
    ("Ghi chú", 40),
]


def followup_xlsx(view: View) -> bytes:
    """The commitments and how far each has got, for the follow-up after the day."""
    body = [
        [
            item["q"].number if item["q"] else "",
            item["c"].task,
            item["c"].lead_agency,
            ", ".join(json.loads(item["c"].cooperating or "[]")),
            dmy(item["c"].deadline),
            FOLLOWUP_STATUSES[item["status"]],
            item["c"].note,
        ]
        for item in view.followup
    ]
    return save(table_workbook("Theo dõi nhiệm vụ", FOLLOWUP_COLUMNS, body))
