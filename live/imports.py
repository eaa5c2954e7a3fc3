"""Check the lists that units send before the conference (.xlsx or .csv): written questions,
delegates, and gift recipients.

Pure functions, no database. One reader, `read_table`, turns the bytes of one file into accepted
rows and problems in Vietnamese for the organiser; a `TableSpec` per kind of list says which
columns it has and checks one row. `read_questions`, `read_delegates` and `read_gifts` are that
reader with their spec (questions also get near-duplicate pairs). The caller imports the rows
without a problem and hands the others back, each with its line and reason (`rejected_xlsx`).

Units' files differ from the template: a header is recognised by its synonyms, or else by the
words that carry its meaning (`KEYWORDS`); a cell merged down repeats its value on the rows it
covers; a formula without a saved value is named as such; units and fields are matched to the
conference's lists through the usual abbreviations (`ABBREVIATIONS`) as well.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, combinations, islice, zip_longest
from pathlib import PurePath
from typing import Any, Generic, TypeAlias, TypeVar

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

MAX_ROWS = 2000  # questions in one file
MAX_TEXT = 4000
HEADER_SCAN = 10  # the header row is looked for in this many first rows
MAX_HEADER = 120  # characters: a longer cell is data, not a header
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

# A header none of the synonyms above names is recognised by the words that carry its meaning,
# compared without case or diacritics, as whole words: «Ý kiến, đề xuất của người lao động» is
# the question's text. Each list is tried in this order (the first column with a word in the
# header takes it), so «Cơ quan trả lời câu hỏi» is the agency before it could be the text.
# A header is taken this way only for a column no synonym has named.
KEYWORDS = {
    "agency": ("trả lời", "giải trình", "chủ trì", "sở ngành", "giải quyết", "thẩm quyền"),
    "asker_name": ("họ tên", "họ và tên", "người hỏi", "người gửi", "người nêu", "tên người",
                   "người đề xuất", "người kiến nghị"),
    "asker_position": ("chức vụ", "chức danh", "nghề nghiệp"),
    "field": ("lĩnh vực", "chủ đề", "nhóm vấn đề", "nhóm nội dung", "phân loại"),
    "unit": ("đơn vị", "công đoàn", "cđcs", "lđlđ", "tổ chức", "nơi gửi", "cơ quan"),
    "text": ("nội dung", "câu hỏi", "ý kiến", "kiến nghị", "đề xuất", "đề nghị", "thắc mắc",
             "vấn đề", "tâm tư", "nguyện vọng"),
}  # fmt: skip
DELEGATE_KEYWORDS = {
    "gender": ("giới tính", "nam nữ", "giới"),
    "position": ("chức vụ", "chức danh"),
    "group": ("thành phần", "nhóm", "đối tượng"),
    "rank": ("thứ tự", "xếp hạng", "lễ tân"),
    "seat": ("ghế", "chỗ ngồi", "vị trí ngồi"),
    "unit": ("đơn vị", "cơ quan", "nơi công tác"),
    "name": ("họ tên", "họ và tên", "đại biểu", "tên người"),  # "Tên" alone: of what?
}
GIFT_KEYWORDS = {
    "value": ("giá trị", "số tiền", "trị giá", "mức quà", "mức hỗ trợ"),
    "circumstances": ("hoàn cảnh", "ghi chú", "lý do", "khó khăn"),
    "unit": ("đơn vị", "công đoàn", "cđcs", "lđlđ", "nơi đề xuất"),
    "name": ("họ tên", "họ và tên", "người nhận", "tên người"),
}
# What each column holds, in the sentence saying which column was taken for what.
LABELS = {
    "text": "nội dung câu hỏi", "unit": "đơn vị", "field": "lĩnh vực", "asker_name": "người hỏi",
    "asker_position": "chức vụ", "agency": "cơ quan trả lời", "name": "họ tên",
    "gender": "giới tính", "position": "chức vụ", "group": "thành phần", "rank": "thứ tự lễ tân",
    "seat": "ghế", "circumstances": "hoàn cảnh", "value": "giá trị quà",
}  # fmt: skip
# The abbreviations units write for the names on the conference's lists (the one table of them):
# each word written alone, compared without case or diacritics, stands for its words in full.
ABBREVIATIONS = {
    "LĐLĐ": "Liên đoàn Lao động",
    "CĐ": "Công đoàn",
    "CĐCS": "Công đoàn cơ sở",
    "CĐN": "Công đoàn ngành",
    "KCN": "Khu công nghiệp",
    "BHXH": "Bảo hiểm xã hội",
    "BHYT": "Bảo hiểm y tế",
    "BHTN": "Bảo hiểm thất nghiệp",
    "ATVSLĐ": "An toàn, vệ sinh lao động",
    "CNVCLĐ": "Công nhân, viên chức, lao động",
    "NLĐ": "Người lao động",
    "LĐ": "Lao động",
    "UBND": "Ủy ban nhân dân",
    "TP": "Thành phố",
    "TX": "Thị xã",
    "H": "Huyện",  # "H. Lương Sơn"
    "GTVT": "Giao thông vận tải",
    "GD": "Giáo dục",  # "GD&ĐT": the "&" (as "và") is left out of the comparison
    "ĐT": "Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "NN": "Nông nghiệp",
    "PTNT": "Phát triển nông thôn",
    "NNPTNT": "Nông nghiệp và Phát triển nông thôn",
    "VH": "Văn hóa",
}
FORMULA_HINT = "mở tệp bằng Excel, lưu lại rồi gửi lại"
REASON = "Lý do"  # the column added to the sheet of rejected rows

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
# What a command refuses in a text (live.commands.args.UNPRINTABLE, which imports this module):
# checked per cell here, so the message names the file's line, not the row's place among the
# rows sent.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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
    # column → its header as written in the file (which column was taken for what)
    columns: dict[str, str] = field(default_factory=dict, kw_only=True)
    header: list[str] = field(default_factory=list, kw_only=True)  # the header row as written
    cells: dict[int, list[str]] = field(default_factory=dict, kw_only=True)  # line → its cells
    notes: list[RowProblem] = field(default_factory=list, kw_only=True)  # advice, not refusals

    @property
    def ok(self) -> bool:
        """True when there is no problem: every row can be imported."""
        return not self.problems

    def rejected(self) -> dict[int, list[str]]:
        """The lines with a problem → the reasons, in file order (line 0: the whole file)."""
        reasons: dict[int, list[str]] = {}
        for p in sorted(self.problems, key=lambda p: p.line):
            reasons.setdefault(p.line, []).append(p.message)
        return reasons

    def columns_sentence(self) -> str:
        """Which column of the file was taken for what, in Vietnamese ("" when none)."""
        taken = [f"«{h}» làm {LABELS.get(c, c)}" for c, h in self.columns.items()]
        return f"Đã lấy cột {', cột '.join(taken)}." if taken else ""


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
        formulas: Mapping[str, str] | None = None,
    ) -> None:
        self.line = line
        self.value = value  # column → cell, "" when empty or the column is absent
        self.problems: list[RowProblem] = []
        self.notes: list[RowProblem] = []  # advice that does not keep the row out
        self._names = names  # column → header as written
        self._lists = lists  # column → {_key(item): item}
        # column → where its formula without a value is ("ô E7"): reported once, not as missing
        self._formulas = dict(formulas or {})
        for column, where in self._formulas.items():
            self.add(column, f"ô {where} là công thức chưa có giá trị: {FORMULA_HINT}")

    def __getitem__(self, column: str) -> str:
        return self.value.get(column, "")

    def add(self, column: str, message: str, suggestion: str = "") -> None:
        """Record a problem; `message` is completed with "Dòng N: "."""
        header = self._names.get(column, "")
        self.problems.append(
            RowProblem(self.line, header, f"Dòng {self.line}: {message}", suggestion)
        )

    def note(self, column: str, message: str, suggestion: str = "") -> None:
        """Record advice on the row (it is imported all the same)."""
        header = self._names.get(column, "")
        self.notes.append(RowProblem(self.line, header, f"Dòng {self.line}: {message}", suggestion))

    def text(self, column: str, label: str, limit: int = 0, required: bool = False) -> str:
        """The cell as written, checked for presence and length."""
        given = self[column]
        if column in self._formulas:
            return given
        if required and not given:
            self.add(column, f"thiếu {label}")
        elif limit and len(given) > limit:
            self.add(column, f"{label} dài {len(given)} ký tự, quá giới hạn {limit}")
        return given

    def pick(self, column: str, label: str, required: bool = False) -> str:
        """The list's spelling of the cell; "" and a problem (closest item) when not in the list."""
        given, keys = self[column], self._lists.get(column, {})
        if not given:
            if required and column not in self._formulas:
                self.add(column, f"thiếu {label}")
            return ""
        spelling, suggestion = listed(given, keys)
        if spelling is not None:
            self.value[column] = spelling  # a repeat is compared as the list spells it
            return spelling
        hint = f" — có phải «{suggestion}»?" if suggestion else ": hãy chọn theo danh sách"
        self.add(column, f"{label} «{given}» không có trong danh sách{hint}", suggestion)
        return ""

    def respell(self, column: str, label: str, advise: bool = True) -> str:
        """The list's spelling of a free-text cell when it is on the list (abbreviations too);
        otherwise the cell as written, with a note naming the closest item if any (`advise`)."""
        given, keys = self[column], self._lists.get(column)
        if not given or not keys:
            return given
        spelling, suggestion = listed(given, keys)
        if spelling is not None:
            self.value[column] = spelling
            return spelling
        if suggestion and advise:
            self.note(
                column,
                f"{label} «{given}» không có trong danh sách — có phải «{suggestion}»? "
                "Đã nhập như đã ghi.",
                suggestion,
            )
        return given


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
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # as KEYWORDS
    headers: Mapping[str, str] = field(init=False, repr=False, compare=False)
    phrases: tuple[tuple[str, tuple[str, ...]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        headers: dict[str, str] = {}
        for column, names in self.columns.items():
            for name in names:
                headers.setdefault(_header_key(name), column)
        object.__setattr__(self, "headers", headers)
        phrases = tuple(
            (column, tuple(_plain_words(word)))
            for column, words in self.keywords.items()
            for word in words
        )
        object.__setattr__(self, "phrases", phrases)

    def column_of(self, header: str) -> str:
        """The column a header names ("" for none); a note in brackets is ignored: "Lĩnh vực (*)"."""
        return self.headers.get(_header_key(header), "")

    def guess_of(self, header: str) -> str:
        """The column a header's words point to (KEYWORDS), "" for none."""
        found = _plain_words(re.sub(r"\(.*?\)", "", header))
        for column, phrase in self.phrases:
            n = len(phrase)
            if any(tuple(found[i : i + n]) == phrase for i in range(len(found) - n + 1)):
                return column
        return ""

    def columns_of(self, header: Sequence[str]) -> dict[str, int]:
        """column → its index in the header row: first by synonym, then, for the columns still
        missing, by the words of the headers left (the first header of a column wins)."""
        found: dict[str, int] = {}
        for i, h in enumerate(header):
            if column := self.column_of(h):
                found.setdefault(column, i)
        used = set(found.values())
        for i, h in enumerate(header):
            if i not in used and h and (column := self.guess_of(h)) and column not in found:
                found[column] = i
                used.add(i)
        return dict(sorted(found.items(), key=lambda item: item[1]))

    def is_header(self, row: Sequence[str]) -> bool:
        """The header row: the anchor's synonym; or its words, in a row of short cells naming
        as many columns as are required (a title above the table, «DANH SÁCH CÂU HỎI…», names
        one at most; a row of data has a long cell, or few cells that look like headers)."""
        if self.anchor in map(self.column_of, row):
            return True
        if any(len(cell) > MAX_HEADER for cell in row):
            return False
        found = self.columns_of(row)
        return self.anchor in found and len(found) >= max(2, len(self.required))


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
        # Not read-only: merged cells are only known to a fully loaded sheet.
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        # A formula without a saved value (a file a program wrote, never saved by Excel)
        # reads as None: the formulas themselves tell such a cell from an empty one.
        formulas = load_workbook(io.BytesIO(data)) if _has_formulas(data) else None
    except Exception:  # zip, XML or openpyxl errors: all mean the same to the organiser
        return _file_problem(BAD_XLSX)
    try:
        if not workbook.worksheets:  # e.g. the sheet the workbook lists is not in the archive
            return _file_problem(BAD_XLSX)
        sheets = (
            _sheet_rows(sheet, formulas[sheet.title] if formulas is not None else None)
            for sheet in workbook.worksheets
        )
        return _check(sheets, spec, keyed, existing)
    except Exception:  # a damaged sheet only shows while it is read
        return _file_problem(BAD_XLSX)
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


class _Repeated(str):
    """A cell's value repeated from the top of a cell merged down over it."""

    __slots__ = ()


class _Formula(str):
    """A formula cell without a saved value: reads as "", knows where it is."""

    __slots__ = ("where",)
    where: str

    def __new__(cls, where: str) -> _Formula:
        cell = super().__new__(cls, "")
        cell.where = where
        return cell


def _has_formulas(data: bytes) -> bool:
    """Whether any sheet of the workbook holds a formula (<f> elements): most do not, and
    they are read once only."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(
                b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except Exception:  # the workbook itself was read: a formula is then only not looked for
        return False


def _sheet_rows(sheet: Any, formulas: Any) -> Iterator[list[object]]:
    """The rows of a sheet as values, with a cell merged down repeating its top value on the
    rows it covers (`_Repeated`; a title merged across stays in its first cell), and a
    formula without a saved value as `_Formula`."""
    repeated: dict[tuple[int, int], object] = {}
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col).value
        if top is None:
            continue
        for r in range(merged.min_row + 1, merged.max_row + 1):
            repeated[r, merged.min_col] = top
    unsaved: dict[tuple[int, int], str] = {}
    if formulas is not None:
        for cells in formulas.iter_rows():
            for c in cells:
                if c.data_type == "f":
                    unsaved[c.row, c.column] = c.coordinate
    for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        row: list[object] = list(values)
        for c, value in enumerate(row, start=1):
            if value is not None:
                continue
            if (r, c) in repeated:
                row[c - 1] = _Repeated(_cell(repeated[r, c]))
            elif (r, c) in unsaved:
                row[c - 1] = _Formula(unsaved[r, c])
        yield row


def read_questions(
    data: bytes,
    filename: str,
    fields: list[str],
    agencies: list[str],
    units: list[str] | None = None,
    existing: Iterable[tuple[str, str, int]] = (),
) -> ImportReport:
    """Read and check a question list; never raises on a bad file, reports it instead.
    `units`: the unit list (a unit on it is spelled as the list); `existing`: (text, unit,
    number) of the questions already in, so a question sent again is named, not imported."""
    lists = {"field": fields, "agency": agencies, "unit": units or []}
    known = [(text, unit, f"câu số {number}") for text, unit, number in existing]
    report = read_table(data, filename, QUESTIONS, lists, known)
    texts = [(row.line, words(row.text)) for row in report.rows]
    duplicates = [
        (a, b) for (a, x), (b, y) in combinations(texts, 2) if _jaccard(x, y) >= DUPLICATE_THRESHOLD
    ]
    return ImportReport(
        report.rows,
        report.problems,
        duplicates,
        columns=report.columns,
        header=report.header,
        cells=report.cells,
        notes=report.notes,
    )


def read_delegates(
    data: bytes,
    filename: str,
    groups: list[str],
    existing: Iterable[tuple[str, str]] = (),
    seats: Mapping[str, str] | None = None,
    units: list[str] | None = None,
) -> DelegateReport:
    """Read and check a delegate list; `existing`: (name, unit) of the delegates already in,
    `seats`: the seats already given (seat -> name), `units`: the unit list (a unit on it is
    spelled as the list; others are kept as written). A seat given twice is a problem."""
    lists = {"group": groups, "unit": units or []}
    report = read_table(data, filename, DELEGATES, lists, existing)
    taken = dict(seats or {})
    problems = list(report.problems)
    column = report.columns.get("seat", DELEGATE_COLUMNS["seat"][0])
    rows = []
    for row in report.rows:
        if row.seat and row.seat in taken:
            problems.append(
                RowProblem(
                    row.line,
                    column,
                    f"Dòng {row.line}: ghế {row.seat} đã xếp cho {taken[row.seat]}",
                )
            )
            continue
        if row.seat:
            taken[row.seat] = f"{row.name} (dòng {row.line})"
        rows.append(row)
    return TableReport(
        rows,
        problems,
        columns=report.columns,
        header=report.header,
        cells=report.cells,
        notes=report.notes,
    )


def read_gifts(data: bytes, filename: str, units: list[str]) -> GiftReport:
    """Read and check a list of gift recipients proposed by the units."""
    return read_table(data, filename, GIFTS, {"unit": units})


def rejected_xlsx(report: TableReport[Any]) -> bytes | None:
    """The rows kept out, as a sheet to fix and send again: the file's header row as sent
    plus «Lý do», then each rejected row's cells and its reasons. None when no row was."""
    reasons = {line: why for line, why in report.rejected().items() if line in report.cells}
    if not reasons:
        return None
    header = list(report.header)
    while header and not header[-1]:
        header.pop()
    width = max([len(header), *(len(report.cells[line]) for line in reasons)])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dòng chưa nhập"
    sheet.append([*header, *[""] * (width - len(header)), REASON])
    for line, why in reasons.items():  # what XML cannot hold shows as "�" (the reason says)
        cells = [ILLEGAL_CHARACTERS_RE.sub("\ufffd", cell) for cell in report.cells[line]]
        shown = "; ".join(m.removeprefix(f"Dòng {line}: ") for m in why)
        sheet.append([*cells, *[""] * (width - len(cells)), f"Dòng {line}: {shown}"])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text written "=…" stays text, as it was sent
                cell.data_type = "s"
    sheet.column_dimensions[get_column_letter(width + 1)].width = 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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
    # Through the abbreviations: "LĐLĐ huyện Lạc Sơn", "CĐ các KCN tỉnh", "BHXH, BHYT".
    full = {_expanded(n): n for n in keys.values()}
    if _expanded(given) in full:
        return full[_expanded(given)], ""
    close = difflib.get_close_matches(_expanded(given), full, n=1, cutoff=0.5)
    return None, full[close[0]] if close else ""


def _plain_words(text: str) -> list[str]:
    """A text's words without case, diacritics or punctuation: "CĐ các KCN" → cd, cac, kcn."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    letters = "".join(
        c if c.isalnum() else " " for c in plain.casefold() if not unicodedata.combining(c)
    )
    return letters.split()


_ABBREVIATED = {
    "".join(_plain_words(short)): _plain_words(full) for short, full in ABBREVIATIONS.items()
}


@functools.lru_cache(maxsize=4096)
def _expanded(text: str) -> str:
    """_key of `text` with each abbreviation (ABBREVIATIONS) written in full and "và"/"&" left
    out: "LĐLĐ TP Hòa Bình" and "Liên đoàn Lao động thành phố Hòa Bình" are the same."""
    out = chain.from_iterable(_ABBREVIATED.get(w, [w]) for w in _plain_words(text))
    return "".join(w for w in out if w != "va")


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


def _delimiter_score(text: str, delimiter: str, spec: TableSpec[Any]) -> tuple[int, int]:
    head = [
        list(r) for r in islice(csv.reader(io.StringIO(text), delimiter=delimiter), HEADER_SCAN)
    ]
    at = _header_at(head, spec)  # the most columns recognised, then the widest
    return len(spec.columns_of(head[at])) if at is not None else 0, max(map(len, head), default=0)


def _cell(value: object) -> str:
    if isinstance(value, (_Repeated, _Formula)):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.strftime("%d/%m/%Y %H:%M").removesuffix(" 00:00")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split()) if value is not None else ""


def _header_at(rows: list[list[str]], spec: TableSpec[Any]) -> int | None:
    return next((at for at, row in enumerate(rows) if spec.is_header(row)), None)


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
            rest: Iterator[list[str]] = chain(head[at + 1 :], rows)
            header, first_line = head[at], at + 2
            below = next(rest, None)
            if below is not None and _sub_header(header, below):
                # A header of two rows: «Người hỏi» merged across over «Họ tên», «Chức vụ»,
                # the other headers merged down over both. The lower row names the column.
                header = [
                    b if b and not isinstance(b, _Repeated) else h
                    for h, b in zip_longest(header, below, fillvalue="")
                ]
                first_line += 1
            elif below is not None:
                rest = chain([below], rest)
            return _check_rows(header, rest, first_line, spec, lists, existing)
        first_head = head if first_head is None else first_head
    widest = max(first_head or [[]], key=lambda row: sum(map(bool, row)))
    name = spec.columns[spec.anchor][0]
    message = f"Không tìm thấy cột «{name}» ({spec.anchor_label}) trong {HEADER_SCAN} dòng đầu"
    return _file_problem(f"{message}. {_found(widest)}", name)


def _sub_header(header: list[str], below: list[str]) -> bool:
    """Whether `below` is the second row of the header: a header cell merged down over it."""
    return any(
        h and isinstance(b, _Repeated) and b == h for h, b in zip(header, below, strict=False)
    )


def _check_rows(
    header: list[str],
    rows: Iterator[list[str]],
    first_line: int,
    spec: TableSpec[R],
    lists: Mapping[str, Mapping[str, str]],
    existing: Iterable[Sequence[str]],
) -> TableReport[R]:
    columns = spec.columns_of(header)
    names = {c: header[i] for c, i in columns.items()}
    missing = [spec.columns[c][0] for c in spec.required if c not in columns]
    if missing:
        headers = _found(header)
        return TableReport(
            [],
            [RowProblem(0, m, f"Thiếu cột «{m}». {headers}") for m in missing],
            columns=names,
            header=header,
        )
    # identity → first line (0: before), or how the row already in is named ("câu số 12")
    seen: dict[tuple[str, ...], int | str] = {}
    for values in existing:
        identity = tuple(map(_key, values[: len(spec.unique)]))
        seen.setdefault(identity, values[len(spec.unique)] if len(values) > len(spec.unique) else 0)
    accepted: list[R] = []
    problems: list[RowProblem] = []
    notes: list[RowProblem] = []
    kept: dict[int, list[str]] = {}
    count = 0
    for line, cells in enumerate(rows, start=first_line):
        if not any(c or isinstance(c, _Formula) for c in cells if not isinstance(c, _Repeated)):
            continue  # blank, or only what a cell merged down from above repeats
        count += 1
        if count > spec.max_rows:
            return _file_problem(
                f"Tệp có hơn {spec.max_rows} {spec.noun}: hãy chia thành nhiều tệp"
            )
        kept[line] = [str(c) for c in cells]
        value = {c: str(cells[i]) if i < len(cells) else "" for c, i in columns.items()}
        formulas = {}
        for c, i in columns.items():
            cell = cells[i] if i < len(cells) else ""
            if isinstance(cell, _Formula):
                formulas[c] = cell.where
        check = RowCheck(line, value, names, lists, formulas)
        for column, cell in value.items():
            if bad := _UNPRINTABLE.search(cell):
                check.add(
                    column,
                    f"ô «{names[column]}» có ký tự điều khiển không in được "
                    f"(U+{ord(bad[0]):04X}): xoá ký tự đó (thường do chép từ phần mềm khác) "
                    "rồi gửi lại",
                )
        row = spec.check(check)
        if spec.unique:
            _check_repeat(check, spec, seen)
        problems += check.problems
        notes += check.notes
        if not check.problems:
            accepted.append(row)
    if not count:
        problems.append(RowProblem(0, "", f"Tệp không có {spec.noun} nào dưới dòng tiêu đề"))
    return TableReport(accepted, problems, columns=names, header=header, cells=kept, notes=notes)


def _check_repeat(
    row: RowCheck, spec: TableSpec[Any], seen: dict[tuple[str, ...], int | str]
) -> None:
    """A problem when the row's identity (spec.unique) is already imported or on an earlier line."""
    given = [row[c] for c in spec.unique]
    identity = tuple(map(_key, given))
    if not identity[0]:  # no name: reported as missing
        return
    first = seen.setdefault(identity, row.line)
    if first == row.line:
        return
    head = given[0] if len(given[0]) <= 60 else given[0][:57].rstrip() + "…"
    shown = f"{spec.noun} «{head}»" + "".join(f" ({v})" for v in given[1:] if v)
    if isinstance(first, str):
        where = f"đã có trong danh sách ({first}), không nhập lại"
    else:
        where = f"trùng với dòng {first}" if first else "đã có trong danh sách"
    row.add(spec.unique[0], f"{shown} {where}")


def _check_question(row: RowCheck) -> QuestionRow:
    text = row.text("text", "nội dung câu hỏi", MAX_TEXT, required=True)
    unit = row.text("unit", "tên đơn vị", required=True)
    unit = row.respell("unit", "đơn vị")  # a unit not on the list may ask: kept as written
    area = row.pick("field", "lĩnh vực", required=True)
    agency = row.pick("agency", "cơ quan trả lời")
    return QuestionRow(row.line, unit, row["asker_name"], row["asker_position"], area, text, agency)


def _check_delegate(row: RowCheck) -> DelegateRow:
    name = row.text("name", "họ tên", MAX_NAME, required=True)
    gender = _GENDERS.get(_key(row["gender"]), "")
    if row["gender"] and not gender:
        row.add("gender", f"giới tính «{row['gender']}» không rõ — ghi «Nam» hoặc «Nữ»")
    group = row.pick("group", "thành phần", required=True)
    unit = row.respell("unit", "đơn vị", advise=False)  # guests come from anywhere
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
    return DelegateRow(row.line, name, gender, row["position"], unit, group, rank, seat)


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
    unique=("text", "unit"),
    keywords=KEYWORDS,
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
    keywords=DELEGATE_KEYWORDS,
)
GIFTS: TableSpec[GiftRow] = TableSpec(
    noun="người nhận quà",
    columns=GIFT_COLUMNS,
    required=GIFT_REQUIRED,
    anchor="name",
    anchor_label="họ tên người nhận quà",
    max_rows=MAX_GIFTS,
    check=_check_gift,
    keywords=GIFT_KEYWORDS,
)
