"""Check the lists that units send before the conference (.xlsx or .csv): written questions,
delegates, and gift recipients.

Pure functions, no database. One reader, `read_table`, turns the bytes of one file into accepted
rows and problems in Vietnamese for the organiser; a `TableSpec` per kind of list says which
columns it has and checks one row. `read_questions`, `read_delegates` and `read_gifts` are that
reader with their spec (questions also get near-duplicate pairs). The caller imports every row or,
when there is any problem, nothing.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, combinations, islice
from pathlib import PurePath
from typing import Any, Generic, TypeAlias, TypeVar

from openpyxl import load_workbook

MAX_ROWS = 2000  # questions in one file
MAX_TEXT = 4000
HEADER_SCAN = 10  # the header row is looked for in this many first rows
# Column → accepted headers (compared without case, diacritics, spaces, punctuation or a note in
# brackets); the first is the name used in messages. Other columns ("STT", "TT", notes) are ignored.
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

MAX_DELEGATES = 2000
MAX_NAME = 120
DEFAULT_RANK = 100  # protocol order when the list gives none; lower goes first
MAX_RANK = 999
DELEGATE_COLUMNS = {
    "name": ("Họ và tên", "Họ tên", "Tên đại biểu", "Đại biểu"),
    "gender": ("Giới tính", "Nam/Nữ"),
    "position": ("Chức vụ", "Chức danh"),
    "unit": ("Đơn vị", "Cơ quan", "Đơn vị công tác"),  # free text: guests come from anywhere
    "group": ("Thành phần", "Nhóm", "Thành phần đại biểu"),
    "rank": ("Thứ tự", "Thứ tự lễ tân", "Xếp hạng"),
    "seat": ("Ghế", "Số ghế", "Chỗ ngồi"),
}
DELEGATE_REQUIRED = ("name", "group")

MAX_GIFTS = 500
MAX_CIRCUMSTANCES = 1000
MAX_GIFT_VALUE = 100_000_000  # đồng
GIFT_COLUMNS = {
    "name": ("Họ và tên", "Họ tên", "Người nhận"),
    "unit": ("Đơn vị", "Công đoàn", "Đơn vị đề xuất"),
    "circumstances": ("Hoàn cảnh", "Hoàn cảnh khó khăn", "Ghi chú"),
    "value": ("Giá trị", "Giá trị quà", "Số tiền", "Trị giá (đồng)"),
}
GIFT_REQUIRED = ("name", "unit")

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
# Gender as written (compared by _key). A lone "n" is taken for "nữ", as in the brief for this
# reader; "nam" is short enough to be written in full.
# "N" alone is refused: it could be either, and a dignitary's form of address depends on it.
_GENDERS = {"nam": "Nam", "male": "Nam", "nu": "Nữ", "female": "Nữ"}
# A seat: the row letter (the hall has rows A–Z), an optional "-" or "." (spaces are
# already dropped), the number 1–99.
_SEAT = re.compile(r"([A-Z])[-.]?0*([0-9]{1,2})", re.ASCII)
# A sum of money with its spaces dropped: number, optional multiplier, optional currency.
_MONEY = re.compile(
    r"([0-9][0-9.,]*?)[.,]?(triệu|trieu|tr|nghìn|nghin|ngàn|ngan|k)?(đồng|dong|vnđ|vnd|đ|d)?\.?"
)
_MULTIPLIERS = dict.fromkeys(("triệu", "trieu", "tr"), 1_000_000)
_MULTIPLIERS |= dict.fromkeys(("nghìn", "nghin", "ngàn", "ngan", "k"), 1000)
_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+|[0-9]{1,3}(,[0-9]{3})+")  # 1.000.000, 1,000
_DECIMAL = re.compile(r"[0-9]{1,15}([.,][0-9]{1,6})?")  # 250000, 1,5 (triệu)

R = TypeVar("R")


@dataclass(frozen=True)
class RowProblem:
    """What is wrong, in Vietnamese for the organiser; line 0 for the whole file."""

    line: int  # 0: the whole file
    column: str  # header as written in the file, or ""
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class TableReport(Generic[R]):
    """The outcome of reading one file: the accepted rows, and what is wrong."""

    rows: list[R]  # the rows without a problem, in file order
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        """True when there is no problem: import all rows. Otherwise import nothing."""
        return not self.problems


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
class ImportReport(TableReport[QuestionRow]):
    """The outcome of reading a question list."""

    duplicates: list[tuple[int, int]]  # lines of near-identical texts within the file


@dataclass(frozen=True)
class DelegateRow:
    """One accepted delegate, with the list's own spelling of the group."""

    line: int
    name: str
    gender: str  # "Nam", "Nữ" or ""
    position: str
    unit: str  # free text
    group: str  # thành phần, from the group list
    rank: int  # protocol order within the group, 1..999, DEFAULT_RANK when not given
    seat: str  # "A05", or ""


@dataclass(frozen=True)
class GiftRow:
    """One accepted gift recipient, with the list's own spelling of the unit."""

    line: int
    name: str
    unit: str
    circumstances: str
    value: int  # đồng, 0 when not given


DelegateReport: TypeAlias = TableReport[DelegateRow]
GiftReport: TypeAlias = TableReport[GiftRow]


class RowCheck:
    """One row being checked: its cells by column, and the problems found so far."""

    def __init__(
        self,
        line: int,
        value: dict[str, str],
        names: Mapping[str, str],
        lists: Mapping[str, Mapping[str, str]],
    ) -> None:
        self.line = line
        self.value = value  # column → cell, "" when empty or the column is absent
        self.problems: list[RowProblem] = []
        self._names = names  # column → header as written
        self._lists = lists  # column → {_key(item): item}

    def __getitem__(self, column: str) -> str:
        return self.value.get(column, "")

    def add(self, column: str, message: str, suggestion: str = "") -> None:
        """Record a problem; `message` is completed with "Dòng N: "."""
        header = self._names.get(column, "")
        self.problems.append(
            RowProblem(self.line, header, f"Dòng {self.line}: {message}", suggestion)
        )

    def text(self, column: str, label: str, limit: int = 0, required: bool = False) -> str:
        """The cell as written, checked for presence and length."""
        given = self[column]
        if required and not given:
            self.add(column, f"thiếu {label}")
        elif limit and len(given) > limit:
            self.add(column, f"{label} dài {len(given)} ký tự, quá giới hạn {limit}")
        return given

    def pick(self, column: str, label: str, required: bool = False) -> str:
        """The list's spelling of the cell; "" and a problem (closest item) when not in the list."""
        given, keys = self[column], self._lists.get(column, {})
        if not given:
            if required:
                self.add(column, f"thiếu {label}")
            return ""
        spelling, suggestion = listed(given, keys)
        if spelling is not None:
            return spelling
        hint = f" — có phải «{suggestion}»?" if suggestion else ": hãy chọn theo danh sách"
        self.add(column, f"{label} «{given}» không có trong danh sách{hint}", suggestion)
        return ""


@dataclass(frozen=True)
class TableSpec(Generic[R]):
    """One kind of list: its columns and how one row is checked. `read_table` does the rest."""

    noun: str  # what one row is, in messages: "câu hỏi", "đại biểu"
    columns: Mapping[str, tuple[str, ...]]  # as COLUMNS
    required: tuple[str, ...]  # columns the header row must have
    anchor: str  # the column whose header marks the header row
    anchor_label: str  # what that column holds, for the message when it is not found
    max_rows: int
    check: Callable[[RowCheck], R]  # records the row's problems on it, returns the typed row
    unique: tuple[str, ...] = ()  # columns identifying a row (by _key): a repeat is a problem
    headers: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        headers: dict[str, str] = {}
        for column, names in self.columns.items():
            for name in names:
                headers.setdefault(_header_key(name), column)
        object.__setattr__(self, "headers", headers)

    def column_of(self, header: str) -> str:
        """The column a header names ("" for none); a note in brackets is ignored: "Lĩnh vực (*)"."""
        return self.headers.get(_header_key(header), "")


def read_table(
    data: bytes,
    filename: str,
    spec: TableSpec[R],
    lists: Mapping[str, Iterable[str]] | None = None,
    existing: Iterable[Sequence[str]] = (),
) -> TableReport[R]:
    """Read and check a list of the kind `spec` describes; never raises on a bad file.

    `lists` gives, per column, the values `RowCheck.pick` accepts; `existing` the values of
    `spec.unique` of rows already imported.
    """
    keyed = {column: {_key(v): v for v in values} for column, values in (lists or {}).items()}
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        text = _decode(data)
        if text is None:
            return _file_problem(BAD_CSV)
        try:
            delimiter = max(",;\t", key=lambda d: _delimiter_score(text, d, spec))
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            return _check([reader], spec, keyed, existing)
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
        return _check(sheets, spec, keyed, existing)
    except Exception:  # a damaged sheet only shows while it is read
        return _file_problem(BAD_XLSX)
    finally:
        workbook.close()


def read_questions(
    data: bytes, filename: str, fields: list[str], agencies: list[str]
) -> ImportReport:
    """Read and check a question list; never raises on a bad file, reports it instead."""
    report = read_table(data, filename, QUESTIONS, {"field": fields, "agency": agencies})
    texts = [(row.line, words(row.text)) for row in report.rows]
    duplicates = [
        (a, b) for (a, x), (b, y) in combinations(texts, 2) if _jaccard(x, y) >= DUPLICATE_THRESHOLD
    ]
    return ImportReport(report.rows, report.problems, duplicates)


def read_delegates(
    data: bytes,
    filename: str,
    groups: list[str],
    existing: Iterable[tuple[str, str]] = (),
    seats: Mapping[str, str] | None = None,
) -> DelegateReport:
    """Read and check a delegate list; `existing`: (name, unit) of the delegates already in,
    `seats`: the seats already given (seat -> name). A seat given twice is a problem."""
    report = read_table(data, filename, DELEGATES, {"group": groups}, existing)
    taken = dict(seats or {})
    problems = list(report.problems)
    column = DELEGATE_COLUMNS["seat"][0]  # the file's own header is not kept this far
    for row in report.rows:
        if not row.seat:
            continue
        if row.seat in taken:
            problems.append(
                RowProblem(
                    row.line,
                    column,
                    f"Dòng {row.line}: ghế {row.seat} đã xếp cho {taken[row.seat]}",
                )
            )
        else:
            taken[row.seat] = f"{row.name} (dòng {row.line})"
    return TableReport(report.rows, problems)


def read_gifts(data: bytes, filename: str, units: list[str]) -> GiftReport:
    """Read and check a list of gift recipients proposed by the units."""
    return read_table(data, filename, GIFTS, {"unit": units})


def seat_code(text: str) -> str | None:
    """A seat as "A05" ("a-5", "A 05", "B12" → "B12"); None when it is not one."""
    match = _SEAT.fullmatch("".join(text.split()).upper())
    if match is None or not int(match[2]):
        return None
    return f"{match[1]}{int(match[2]):02d}"


def money(text: str) -> int | None:
    """A sum in đồng as units write it: "1.000.000", "1,000,000", "1 000 000 đ", "2 triệu",
    "1,5 triệu", "500k"; None when it is not one (negative, or not a whole number of đồng)."""
    plain = "".join(unicodedata.normalize("NFC", text).casefold().split())
    match = _MONEY.fullmatch(plain)
    if match is None:
        return None
    digits, multiplier = match[1], _MULTIPLIERS.get(match[2] or "", 1)
    if _THOUSANDS.fullmatch(digits) and len(digits) <= 20:
        number = Decimal(digits.replace(".", "").replace(",", ""))
    elif _DECIMAL.fullmatch(digits):
        number = Decimal(digits.replace(",", "."))
    else:
        return None
    total = number * multiplier
    return int(total) if total == total.to_integral_value() else None


LOOK_ALIKES_KEPT = 3  # hints per question: the closest few, not every pair


def closest(text: str, others: Iterable[tuple[int, str]]) -> list[tuple[int, float]]:
    """The (id, similarity) of the few `others` whose text looks most like `text`."""
    return closest_words(words(text), ((qid, words(other)) for qid, other in others))


def closest_words(
    mine: frozenset[str], others: Iterable[tuple[int, frozenset[str]]], skip: int | None = None
) -> list[tuple[int, float]]:
    """closest(), given each text's words (as `words` gives them); `skip`: an id to leave out.
    A new phone question is compared with every open one, so the loop is kept lean: most
    pairs are ruled out by their count of common words alone, without a division."""
    if not mine:  # a text without letters or digits: only alike to another such text
        found = [(qid, 1.0) for qid, theirs in others if not theirs and qid != skip]
        return sorted(found)[:LOOK_ALIKES_KEPT]
    n = len(mine)
    low = DUPLICATE_THRESHOLD - 0.0005  # what rounds to the threshold is alike too
    found = []
    for qid, theirs in others:
        common = len(mine & theirs)
        union = n + len(theirs) - common
        if common >= low * union and qid != skip:
            score = round(common / union, 3)
            if score >= DUPLICATE_THRESHOLD:
                found.append((qid, score))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))[:LOOK_ALIKES_KEPT]


def similar(a: str, b: str) -> float:
    """Similarity 0..1 of two question texts, insensitive to case, punctuation and wording glue."""
    return _jaccard(words(a), words(b))


@functools.lru_cache(maxsize=8192)  # the same texts are compared again and again
def words(text: str) -> frozenset[str]:
    """A text's words as similar() compares them: case and punctuation gone, glue left out."""
    norm = "".join(c if c.isalnum() else " " for c in unicodedata.normalize("NFC", text).casefold())
    found = frozenset(norm.split())
    return (found - _STOP_WORDS) or found


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    common = len(x & y)
    return common / (len(x) + len(y) - common) if x or y else 1.0


def listed(given: str, names: Mapping[str, str] | Iterable[str]) -> tuple[str | None, str]:
    """The list's own spelling of `given` (matched without case, diacritics or punctuation),
    or None and the closest item ("" when none is close). `names`: the list, or its names
    by _key."""
    keys = names if isinstance(names, Mapping) else {_key(n): n for n in names}
    if _key(given) in keys:
        return keys[_key(given)], ""
    close = difflib.get_close_matches(_key(given), keys, n=1, cutoff=0.5)
    return None, keys[close[0]] if close else ""


def _key(text: str) -> str:
    """Letters and digits only, without case or diacritics: "BHXH – BHYT" → "bhxhbhyt"."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain.casefold() if c.isalnum() and not unicodedata.combining(c))


def _header_key(header: str) -> str:
    return _key(re.sub(r"\(.*?\)", "", header))


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


def _delimiter_score(text: str, delimiter: str, spec: TableSpec[Any]) -> tuple[bool, int]:
    head = [
        list(r) for r in islice(csv.reader(io.StringIO(text), delimiter=delimiter), HEADER_SCAN)
    ]
    return _header_at(head, spec) is not None, max(map(len, head), default=0)


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.strftime("%d/%m/%Y %H:%M").removesuffix(" 00:00")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split()) if value is not None else ""


def _header_at(rows: list[list[str]], spec: TableSpec[Any]) -> int | None:
    return next(
        (at for at, row in enumerate(rows) if spec.anchor in map(spec.column_of, row)), None
    )


def _check(
    tables: Iterable[Iterable[Sequence[object]]],
    spec: TableSpec[R],
    lists: Mapping[str, Mapping[str, str]],
    existing: Iterable[Sequence[str]],
) -> TableReport[R]:
    first_head: list[list[str]] | None = None
    for table in tables:
        rows = ([_cell(v) for v in row] for row in table)
        head = list(islice(rows, HEADER_SCAN))
        at = _header_at(head, spec)
        if at is not None:
            rest = chain(head[at + 1 :], rows)
            return _check_rows(head[at], rest, at + 2, spec, lists, existing)
        first_head = head if first_head is None else first_head
    widest = max(first_head or [[]], key=lambda row: sum(map(bool, row)))
    name = spec.columns[spec.anchor][0]
    message = f"Không tìm thấy cột «{name}» ({spec.anchor_label}) trong {HEADER_SCAN} dòng đầu"
    return _file_problem(f"{message}. {_found(widest)}", name)


def _check_rows(
    header: list[str],
    rows: Iterator[list[str]],
    first_line: int,
    spec: TableSpec[R],
    lists: Mapping[str, Mapping[str, str]],
    existing: Iterable[Sequence[str]],
) -> TableReport[R]:
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        if column := spec.column_of(h):
            columns.setdefault(column, i)
    missing = [spec.columns[c][0] for c in spec.required if c not in columns]
    if missing:
        headers = _found(header)
        return TableReport([], [RowProblem(0, m, f"Thiếu cột «{m}». {headers}") for m in missing])
    names = {c: header[i] for c, i in columns.items()}
    seen = {tuple(map(_key, values)): 0 for values in existing}  # identity → first line (0: before)
    accepted: list[R] = []
    problems: list[RowProblem] = []
    count = 0
    for line, cells in enumerate(rows, start=first_line):
        if not any(cells):
            continue
        count += 1
        if count > spec.max_rows:
            return _file_problem(
                f"Tệp có hơn {spec.max_rows} {spec.noun}: hãy chia thành nhiều tệp"
            )
        value = {c: cells[i] if i < len(cells) else "" for c, i in columns.items()}
        check = RowCheck(line, value, names, lists)
        row = spec.check(check)
        if spec.unique:
            _check_repeat(check, spec, seen)
        problems += check.problems
        if not check.problems:
            accepted.append(row)
    if not count:
        problems.append(RowProblem(0, "", f"Tệp không có {spec.noun} nào dưới dòng tiêu đề"))
    return TableReport(accepted, problems)


def _check_repeat(row: RowCheck, spec: TableSpec[Any], seen: dict[tuple[str, ...], int]) -> None:
    """A problem when the row's identity (spec.unique) is already imported or on an earlier line."""
    given = [row[c] for c in spec.unique]
    identity = tuple(map(_key, given))
    if not identity[0]:  # no name: reported as missing
        return
    first = seen.setdefault(identity, row.line)
    if first == row.line:
        return
    shown = f"{spec.noun} «{given[0]}»" + "".join(f" ({v})" for v in given[1:] if v)
    where = f"trùng với dòng {first}" if first else "đã có trong danh sách"
    row.add(spec.unique[0], f"{shown} {where}")


def _check_question(row: RowCheck) -> QuestionRow:
    text = row.text("text", "nội dung câu hỏi", MAX_TEXT, required=True)
    unit = row.text("unit", "tên đơn vị", required=True)
    area = row.pick("field", "lĩnh vực", required=True)
    agency = row.pick("agency", "cơ quan trả lời")
    return QuestionRow(row.line, unit, row["asker_name"], row["asker_position"], area, text, agency)


def _check_delegate(row: RowCheck) -> DelegateRow:
    name = row.text("name", "họ tên", MAX_NAME, required=True)
    gender = _GENDERS.get(_key(row["gender"]), "")
    if row["gender"] and not gender:
        row.add("gender", f"giới tính «{row['gender']}» không rõ — ghi «Nam» hoặc «Nữ»")
    group = row.pick("group", "thành phần", required=True)
    rank = DEFAULT_RANK
    if row["rank"]:
        number = re.fullmatch(r"0*([0-9]{1,3})", row["rank"], re.ASCII)
        if number and 1 <= int(number[1]) <= MAX_RANK:
            rank = int(number[1])
        else:
            row.add("rank", f"thứ tự «{row['rank']}» phải là số nguyên từ 1 đến {MAX_RANK}")
    seat = seat_code(row["seat"]) or ""
    if row["seat"] and not seat:
        row.add(
            "seat", f"số ghế «{row['seat']}» không đúng dạng — ghi chữ hàng rồi số ghế, ví dụ «A05»"
        )
    return DelegateRow(row.line, name, gender, row["position"], row["unit"], group, rank, seat)


def _check_gift(row: RowCheck) -> GiftRow:
    name = row.text("name", "họ tên", MAX_NAME, required=True)
    unit = row.pick("unit", "đơn vị", required=True)
    circumstances = row.text("circumstances", "hoàn cảnh", MAX_CIRCUMSTANCES)
    value = money(row["value"]) if row["value"] else 0
    if value is None:
        row.add(
            "value",
            f"giá trị quà «{row['value']}» không phải số tiền — ghi số đồng, ví dụ «500.000» hoặc «2 triệu»",
        )
    elif value > MAX_GIFT_VALUE:
        row.add("value", f"giá trị quà «{row['value']}» vượt quá {_dong(MAX_GIFT_VALUE)} đồng")
    return GiftRow(row.line, name, unit, circumstances, value or 0)


def _dong(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _found(header: list[str]) -> str:
    return "Các cột tìm thấy: " + (", ".join(f"«{h}»" for h in header if h) or "không có")


def _file_problem(message: str, column: str = "") -> TableReport[Any]:
    """A report (of any kind) with one problem about the whole file."""
    return TableReport([], [RowProblem(0, column, message)])


QUESTIONS: TableSpec[QuestionRow] = TableSpec(
    noun="câu hỏi",
    columns=COLUMNS,
    required=REQUIRED,
    anchor="text",
    anchor_label="nội dung câu hỏi",
    max_rows=MAX_ROWS,
    check=_check_question,
)
DELEGATES: TableSpec[DelegateRow] = TableSpec(
    noun="đại biểu",
    columns=DELEGATE_COLUMNS,
    required=DELEGATE_REQUIRED,
    anchor="name",
    anchor_label="họ tên đại biểu",
    max_rows=MAX_DELEGATES,
    check=_check_delegate,
    unique=("name", "unit"),
)
GIFTS: TableSpec[GiftRow] = TableSpec(
    noun="người nhận quà",
    columns=GIFT_COLUMNS,
    required=GIFT_REQUIRED,
    anchor="name",
    anchor_label="họ tên người nhận quà",
    max_rows=MAX_GIFTS,
    check=_check_gift,
)
