"""Check the lists of written questions that units send before the conference (.xlsx or .csv).

Pure functions, no database: `read_questions` turns the bytes of one file into an ImportReport of
accepted rows, problems in Vietnamese for the organiser, and near-duplicate pairs. The caller
imports every row or, when there is any problem, nothing.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, combinations, islice
from pathlib import PurePath

from openpyxl import load_workbook

MAX_ROWS = 2000
MAX_TEXT = 4000
HEADER_SCAN = 10  # the header row is looked for in this many first rows
# Column → accepted headers (compared without case, diacritics, spaces or punctuation); the first
# is the name used in messages. Other columns ("STT", "TT", notes) are ignored.
COLUMNS = {
    "text": ("Nội dung", "Nội dung câu hỏi", "Câu hỏi", "Câu hỏi, kiến nghị",
             "Nội dung câu hỏi, kiến nghị, đề xuất"),
    "unit": ("Đơn vị", "Đơn vị gửi", "Công đoàn"),
    "field": ("Lĩnh vực",),
    "asker_name": ("Người hỏi", "Họ và tên", "Họ tên", "Người đặt câu hỏi"),
    "asker_position": ("Chức vụ", "Chức danh"),
    "agency": ("Cơ quan trả lời", "Đơn vị trả lời", "Sở, ngành trả lời", "Cơ quan chủ trì"),
}  # fmt: skip
REQUIRED = ("text", "unit", "field")
BAD_XLSX = "Không mở được tệp Excel: tệp bị hỏng hoặc không phải .xlsx (tệp .xls cũ: mở bằng Excel rồi lưu lại dạng .xlsx)"
BAD_CSV = (
    "Không đọc được tệp CSV (sai bảng mã hoặc hỏng): mở bằng Excel rồi lưu lại dạng «CSV UTF-8»"
)

# Near-duplicates are paraphrases (same concern, other words, other unit), so `similar` compares
# the sets of syllables left after dropping function words and request boilerplate (Jaccard).
# Measured on live/demo_questions.py (40 questions, 780 pairs): the 3 marked pairs score
# #5/#9 0.294, #18/#21 0.300, #10/#14 0.333; the other pairs score up to #7/#36 0.338,
# #13/#30 0.319 (same agency and setting, other concern), then #20/#21 0.281, #19/#33 0.250.
# No lexical measure tried separates them (difflib ratio: true 0.375-0.496 vs others up to
# 0.474; word/bigram/trigram Jaccard, Dice, containment, char n-grams, TF-IDF cosine: likewise).
# Duplicates only advise the organiser, so the threshold favours recall: all 3 pairs are found,
# with #7/#36 and #13/#30 as known false alarms.
DUPLICATE_THRESHOLD = 0.29
_GLUE = (
    "và của các những được cho không có là thì mà để với trong tại ở từ theo khi nhưng nên vì do "
    "về đã đang sẽ còn cũng vẫn rất này đó nào gì một nhiều số hiện nay ra vào lên đến tới như "
    "thế sao hay hoặc bị phải trên sau trước mỗi cả chỉ tôi xin hỏi đề nghị kiến biết"
)
_STOP_WORDS = frozenset(_GLUE.split())
# C0 (except tab and line breaks), DEL and C1 controls: what a wrongly decoded file is full of.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class QuestionRow:
    """One accepted row, with the list's own spelling of field and agency."""

    line: int  # row number as Excel shows it (header row included)
    unit: str
    asker_name: str
    asker_position: str
    field: str
    text: str
    agency: str


@dataclass(frozen=True)
class RowProblem:
    """What is wrong, in Vietnamese for the organiser; line 0 for the whole file."""

    line: int  # 0: the whole file
    column: str  # header as written in the file, or ""
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class ImportReport:
    """The outcome of reading one file."""

    rows: list[QuestionRow]
    problems: list[RowProblem]
    duplicates: list[tuple[int, int]]  # lines of near-identical texts within the file

    @property
    def ok(self) -> bool:
        """True when there is no problem: import all rows. Otherwise import nothing."""
        return not self.problems


def read_questions(
    data: bytes, filename: str, fields: list[str], agencies: list[str]
) -> ImportReport:
    """Read and check a question list; never raises on a bad file, reports it instead."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        text = _decode(data)
        if text is None:
            return _file_problem(BAD_CSV)
        delimiter = max(",;\t", key=lambda d: _delimiter_score(text, d))
        try:
            return _check([csv.reader(io.StringIO(text), delimiter=delimiter)], fields, agencies)
        except csv.Error:
            return _file_problem(BAD_CSV)
    if suffix != ".xlsx":
        return _file_problem("Chỉ nhận tệp .xlsx hoặc .csv")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zip, XML or openpyxl errors: all mean the same to the organiser
        return _file_problem(BAD_XLSX)
    try:
        if not workbook.worksheets:  # e.g. the sheet the workbook lists is not in the archive
            return _file_problem(BAD_XLSX)
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some writers store a wrong sheet size
        sheets = (sheet.iter_rows(values_only=True) for sheet in workbook.worksheets)
        return _check(sheets, fields, agencies)
    except Exception:  # a damaged sheet only shows while it is read
        return _file_problem(BAD_XLSX)
    finally:
        workbook.close()


def similar(a: str, b: str) -> float:
    """Similarity 0..1 of two question texts, insensitive to case, punctuation and wording glue."""
    return _jaccard(_words(a), _words(b))


@functools.lru_cache(maxsize=8192)  # the same texts are compared on every render
def _words(text: str) -> frozenset[str]:
    norm = "".join(c if c.isalnum() else " " for c in unicodedata.normalize("NFC", text).casefold())
    words = frozenset(norm.split())
    return (words - _STOP_WORDS) or words


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    common = len(x & y)
    return common / (len(x) + len(y) - common) if x or y else 1.0


def _key(text: str) -> str:
    """Letters and digits only, without case or diacritics: "BHXH – BHYT" → "bhxhbhyt"."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain.casefold() if c.isalnum() and not unicodedata.combining(c))


_HEADERS = {_key(name): column for column, names in COLUMNS.items() for name in names}


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Excel's "CSV" on Vietnamese Windows. There is no latin-1 fallback: every byte cp1258 rejects
    # is in 0x80-0x9F, which latin-1 would turn into C1 controls, i.e. garbage.
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else text


def _delimiter_score(text: str, delimiter: str) -> tuple[bool, int]:
    head = [
        list(r) for r in islice(csv.reader(io.StringIO(text), delimiter=delimiter), HEADER_SCAN)
    ]
    return _header_at(head) is not None, max(map(len, head), default=0)


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.strftime("%d/%m/%Y %H:%M").removesuffix(" 00:00")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split()) if value is not None else ""


def _column_of(header: str) -> str:
    """The column a header names ("" for none); a note in brackets is ignored: "Lĩnh vực (*)"."""
    return _HEADERS.get(_key(re.sub(r"\(.*?\)", "", header)), "")


def _header_at(rows: list[list[str]]) -> int | None:
    return next((at for at, row in enumerate(rows) if "text" in map(_column_of, row)), None)


def _check(
    tables: Iterable[Iterable[Sequence[object]]], fields: list[str], agencies: list[str]
) -> ImportReport:
    first_head: list[list[str]] | None = None
    for table in tables:
        rows = ([_cell(v) for v in row] for row in table)
        head = list(islice(rows, HEADER_SCAN))
        at = _header_at(head)
        if at is not None:
            return _check_rows(head[at], chain(head[at + 1 :], rows), at + 2, fields, agencies)
        first_head = head if first_head is None else first_head
    widest = max(first_head or [[]], key=lambda row: sum(map(bool, row)))
    name = COLUMNS["text"][0]
    message = f"Không tìm thấy cột «{name}» (nội dung câu hỏi) trong {HEADER_SCAN} dòng đầu"
    return _file_problem(f"{message}. {_found(widest)}", name)


def _check_rows(
    header: list[str],
    rows: Iterator[list[str]],
    first_line: int,
    fields: list[str],
    agencies: list[str],
) -> ImportReport:
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        if column := _column_of(h):
            columns.setdefault(column, i)
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in columns]
    if missing:
        headers = _found(header)
        return ImportReport(
            [], [RowProblem(0, m, f"Thiếu cột «{m}». {headers}") for m in missing], []
        )
    names = {c: header[i] for c, i in columns.items()}
    lists = {"field": {_key(f): f for f in fields}, "agency": {_key(a): a for a in agencies}}
    accepted: list[QuestionRow] = []
    problems: list[RowProblem] = []
    count = 0
    for line, cells in enumerate(rows, start=first_line):
        if not any(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            return _file_problem(f"Tệp có hơn {MAX_ROWS} câu hỏi: hãy chia thành nhiều tệp")
        value = {c: cells[i] if i < len(cells) else "" for c, i in columns.items()}
        found = _row_problems(line, value, names, lists)
        problems += found
        if not found:
            for column in ("field", "agency"):  # the list's own spelling
                value[column] = lists[column].get(_key(value.get(column, "")), "")
            accepted.append(QuestionRow(line, **{c: value.get(c, "") for c in COLUMNS}))
    if not count:
        problems.append(RowProblem(0, "", "Tệp không có câu hỏi nào dưới dòng tiêu đề"))
    words = [(row.line, _words(row.text)) for row in accepted]
    duplicates = [
        (a, b) for (a, x), (b, y) in combinations(words, 2) if _jaccard(x, y) >= DUPLICATE_THRESHOLD
    ]
    return ImportReport(accepted, problems, duplicates)


def _row_problems(
    line: int, value: dict[str, str], names: dict[str, str], lists: dict[str, dict[str, str]]
) -> list[RowProblem]:
    problems: list[RowProblem] = []

    def add(column: str, message: str, suggestion: str = "") -> None:
        problems.append(RowProblem(line, names[column], f"Dòng {line}: {message}", suggestion))

    if not value["text"]:
        add("text", "thiếu nội dung câu hỏi")
    elif len(value["text"]) > MAX_TEXT:
        add("text", f"nội dung câu hỏi dài {len(value['text'])} ký tự, quá giới hạn {MAX_TEXT}")
    if not value["unit"]:
        add("unit", "thiếu tên đơn vị")
    if not value["field"]:
        add("field", "thiếu lĩnh vực")
    for column, label in (("field", "lĩnh vực"), ("agency", "cơ quan trả lời")):
        given, keys = value.get(column, ""), lists[column]
        if given and _key(given) not in keys:
            close = difflib.get_close_matches(_key(given), keys, n=1, cutoff=0.5)
            suggestion = keys[close[0]] if close else ""
            hint = f" — có phải «{suggestion}»?" if close else ": hãy chọn theo danh sách"
            add(column, f"{label} «{given}» không có trong danh sách{hint}", suggestion)
    return problems


def _found(header: list[str]) -> str:
    return "Các cột tìm thấy: " + (", ".join(f"«{h}»" for h in header if h) or "không có")


def _file_problem(message: str, column: str = "") -> ImportReport:
    return ImportReport([], [RowProblem(0, column, message)], [])
