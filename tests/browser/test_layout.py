"""The projector holds the longest real values (issue 15): a 120-character unit name, the seed's
full banner, a batch of 30 gift recipients, the longest question, at 1920×1080 and 1280×720.

Each scene is checked in the browser: no element overflows its box or the screen, and the
elements that must stay readable side by side — the asker's name and unit, the timer, the QR
code, the banner — do not overlap each other and stay inside the gold frame. A preview shortened
on purpose (a unit in the up-next strip or under a gift recipient, the conference's title above
the floor) carries `text-overflow: ellipsis` or a line clamp and is allowed to; a name never is,
and the question is fitted, then paged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from live.demo import DEMO_CONFERENCE, DEMO_STEPS
from live.demo_people import DEMO_GIFTS
from tests.browser.conftest import Screens, shoot
from tests.conftest import Server

pytestmark = pytest.mark.browser

VIEWPORTS = {"1080p": {"width": 1920, "height": 1080}, "720p": {"width": 1280, "height": 720}}

# A real district federation's full name runs to ~90 characters; 120 is the bound.
LONG_UNIT = (
    "Công đoàn cơ sở Công ty Trách nhiệm hữu hạn Một thành viên Thủy điện Hòa Bình "
    "thuộc Tổng Công ty Phát điện 2 - EVN GENCO"
)[:120]
LONG_NAME = "Nguyễn Thị Phương Thảo Nguyên"  # five syllables: as long as names get
LONG_POSITION = "Phó Chủ tịch Công đoàn cơ sở kiêm Tổ trưởng Tổ sản xuất số 3"
LONG_QUESTION = (
    "Kính thưa đồng chí Chủ tịch, hiện nay nhiều doanh nghiệp trên địa bàn huyện chậm đóng, "
    "nợ đóng bảo hiểm xã hội kéo dài, người lao động khi nghỉ việc không chốt được sổ, không "
    "hưởng được chế độ ốm đau, thai sản; đề nghị tỉnh chỉ đạo các ngành chức năng tăng cường "
    "thanh tra, kiểm tra, xử lý nghiêm và có giải pháp bảo đảm quyền lợi cho người lao động. "
) * 6
SPEECHES = 5  # the demo's speeches of the Federation's and the Party's leaders
LONG_STEP_TITLE = (
    "Phát biểu của đồng chí Phó Chủ tịch Tổng Liên đoàn Lao động Việt Nam và đồng chí "
    "Phó Bí thư Thường trực Tỉnh ủy Hòa Bình"
)
LONG_SPEAKERS = (
    "Đồng chí Phó Chủ tịch Tổng Liên đoàn Lao động Việt Nam; "
    "Đồng chí Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh Hòa Bình"
)
DIALOGUE = next(i for i, s in enumerate(DEMO_STEPS, start=1) if s["kind"] == "dialogue")
GIFTS = next(i for i, s in enumerate(DEMO_STEPS, start=1) if s["kind"] == "gifts")

# Runs in the page: what overflows, what overlaps, what leaves the frame.
MEASURE = """
([pairs, shownToo]) => {
  const stage = document.querySelector(".projector");
  const W = window.innerWidth, H = window.innerHeight;
  const box = (el) => el.getBoundingClientRect();
  const shown = (el) => {
    const r = box(el), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
  };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const overflows = [];
  for (const el of stage.querySelectorAll("*")) {
    if (!shown(el) || el.closest("svg") || el.closest("[hidden]")) continue;
    const s = getComputedStyle(el);
    const r = box(el);
    if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1)
      overflows.push(`${name(el)} leaves the screen (${Math.round(r.left)},${Math.round(r.top)})–(${Math.round(r.right)},${Math.round(r.bottom)})`);
    const preview = s.textOverflow === "ellipsis" || (s.webkitLineClamp || "none") !== "none";
    if (s.display === "inline" || el.classList.contains("paged") || preview) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      overflows.push(`${name(el)} is wider than its box (${el.scrollWidth} > ${el.clientWidth})`);
    if (s.overflowY !== "visible" && el.scrollHeight > el.clientHeight + 1)
      overflows.push(`${name(el)} cuts its text (${el.scrollHeight} > ${el.clientHeight})`);
  }
  // The gold frame is the ::before of the scene's root, inset 2.2 % × 1.6 %.
  const frame = { left: W * 0.016, top: H * 0.022, right: W * (1 - 0.016), bottom: H * (1 - 0.022) };
  const outside = [];
  const overlaps = [];
  const found = {};
  for (const sel of new Set([...pairs.flat(), ...shownToo])) {
    const el = document.querySelector(sel);
    if (!el || !shown(el)) continue;
    const r = box(el);
    found[sel] = [Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom)];
    if (r.left < frame.left - 1 || r.top < frame.top - 1 || r.right > frame.right + 1 || r.bottom > frame.bottom + 1)
      outside.push(`${sel} leaves the frame`);
  }
  for (const [a, b] of pairs) {
    if (!found[a] || !found[b]) continue;
    const [al, at, ar, ab] = found[a], [bl, bt, br, bb] = found[b];
    if (al < br && bl < ar && at < bb && bt < ab) overlaps.push(`${a} overlaps ${b}`);
  }
  return { overflows, outside, overlaps, found };
}
"""


Look = Callable[[Page, str], None]

# The two the README shows; every scene is shot beside the test's own files for a look.
DOCS_SHOTS = {"layout-question-720p.png", "layout-gifts-720p.png"}


@pytest.fixture
def look(tmp_path: Path) -> Look:
    def take(page: Page, name: str) -> None:
        if name in DOCS_SHOTS:
            shoot(page, name)
        else:
            page.screenshot(path=tmp_path / name)

    return take


def command_ok(server: Server, name: str, args: dict) -> dict:
    response = server.command(name, args, role="admin")
    assert response.status_code == 200, response.text
    return response.json()


def check(page: Page, pairs: list[tuple[str, str]], must_show: list[str]) -> dict:
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(150)  # fitText runs after the patch; one frame is enough
    result = page.evaluate(MEASURE, [[list(p) for p in pairs], must_show])
    for selector in must_show:
        assert selector in result["found"], f"{selector} not on the screen: {result['found']}"
    problems = result["overflows"] + result["outside"] + result["overlaps"]
    # The question keeps room to be read: at least four lines at its smallest size.
    text = page.locator(".floor-text")
    if text.count():
        height, smallest = text.evaluate("e => [e.clientHeight, innerHeight * 0.03 * 1.4]")
        if height < 4 * smallest - 1:
            problems.append(f"the question has {height / smallest:.1f} lines of room")
    assert not problems, "\n".join(problems)
    return result


@pytest.fixture
def longest(server: Server) -> None:
    """The demo conference with the longest values the day really has."""
    command_ok(server, "list.add", {"kind": "unit", "name": LONG_UNIT})
    command_ok(
        server,
        "conference.edit",
        {"organiser": "Liên đoàn Lao động tỉnh Hòa Bình", "banner": DEMO_CONFERENCE["banner"]},
    )


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.usefixtures("longest")
def test_the_banner_and_its_qr_code_hold(screens: Screens, look: Look, size: str) -> None:
    server = screens.server
    projector = screens.open("projector", viewport=VIEWPORTS[size])
    # Before the first step: the welcome banner, the seed's full text and the title.
    expect(projector.locator("#projector-stage .banner-text")).to_contain_text("NHIỆT LIỆT")
    look(projector, f"layout-welcome-{size}.png")
    check(
        projector,
        [(".banner-text", ".banner-place"), (".banner-title", ".banner-place")],
        [".banner-text", ".banner-title", ".banner-place", ".banner-organiser"],
    )
    # On hold during the day: the banner again, with the question form's QR code.
    command_ok(server, "step.goto", {"position": DIALOGUE})
    command_ok(server, "projector.mode", {"mode": "hold"})
    expect(projector.locator("#projector-stage .banner-qr svg")).to_be_visible()
    look(projector, f"layout-hold-{size}.png")
    check(
        projector,
        [
            (".banner-text", "#projector-stage .banner-qr"),
            (".banner-place", "#projector-stage .banner-qr"),
            (".banner-organiser", ".banner-text"),
        ],
        [".banner-text", "#projector-stage .banner-qr svg", ".banner-place"],
    )
    screens.assert_no_errors()


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.usefixtures("longest")
def test_a_long_question_its_asker_and_the_timer_hold(
    screens: Screens, look: Look, size: str
) -> None:
    server = screens.server
    projector = screens.open("projector", viewport=VIEWPORTS[size])
    command_ok(server, "step.goto", {"position": DIALOGUE})
    # The floor before anyone speaks: the step's title and the QR code.
    expect(projector.locator("#projector-stage .floor-idle")).to_be_visible()
    look(projector, f"layout-floor-idle-{size}.png")
    check(
        projector,
        [(".floor-idle .step-card-title", ".floor-idle .banner-qr")],
        [".floor-idle .step-card-title"],
    )
    asked = command_ok(
        server,
        "question.add",
        {
            "asker_name": LONG_NAME,
            "asker_position": LONG_POSITION,
            "asker_unit": LONG_UNIT,
            "text": LONG_QUESTION,
        },
    )
    qid = asked["result"]["id"]
    for name, args in [
        ("question.assign", {"id": qid, "mic": 4}),
        ("question.live", {"id": qid}),
    ]:
        command_ok(server, name, args)
    # Three more waiting with the long unit: the up-next strip at its fullest.
    for n in range(3):
        waiting = command_ok(
            server,
            "question.add",
            {"asker_name": LONG_NAME, "asker_unit": LONG_UNIT, "text": f"Câu hỏi chờ số {n + 1}"},
        )
        wid = waiting["result"]["id"]
        command_ok(server, "question.assign", {"id": wid, "mic": n + 1})
    expect(projector.locator(".floor-who")).to_have_text(LONG_NAME)
    expect(projector.locator(".floor-pages")).to_be_visible()  # the question is paged, not cut
    pairs = [
        (".floor-who", ".floor-timer"),
        (".floor-unit", ".floor-timer"),
        (".floor-mic", ".floor-timer"),
        (".floor-text-box", ".floor-timer"),
        (".floor-text-box", ".floor-next"),
        (".floor-pages", ".floor-next"),
    ]
    look(projector, f"layout-question-{size}.png")
    check(projector, pairs, [".floor-who", ".floor-unit", ".floor-timer", ".floor-next"])
    # While answering, the official and the agency take the agency's line.
    command_ok(
        server,
        "answer.save",
        {
            "question_id": qid,
            "base_version": 0,
            "responder_name": "Nguyễn Văn Thắng",
            "responder_position": "Giám đốc Sở Lao động - Thương binh và Xã hội",
            "responder_agency": "Sở Lao động - Thương binh và Xã hội",
        },
    )
    command_ok(server, "question.answer", {"id": qid})
    expect(projector.locator(".floor-responder")).to_contain_text("Nguyễn Văn Thắng")
    look(projector, f"layout-answering-{size}.png")
    check(projector, [*pairs, (".floor-responder", ".floor-next")], [".floor-responder"])
    screens.assert_no_errors()


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.usefixtures("longest")
def test_thirty_gift_recipients_and_a_step_card_hold(
    screens: Screens, look: Look, size: str
) -> None:
    server = screens.server
    projector = screens.open("projector", viewport=VIEWPORTS[size])
    # The longest step title the day has (the leaders' speeches, every name in full), its
    # speakers, and the hall's timer beside them.
    command_ok(
        server,
        "step.edit",
        {
            "position": SPEECHES,
            "title": LONG_STEP_TITLE,
            "speaker": LONG_SPEAKERS,
            "show_timer": True,
        },
    )
    command_ok(server, "step.goto", {"position": SPEECHES})
    expect(projector.locator(".step-card-title")).to_have_text(LONG_STEP_TITLE)
    look(projector, f"layout-step-{size}.png")
    check(
        projector,
        [
            (".step-card-title", "#projector-timer .timer"),
            (".step-card-speaker", "#projector-timer .timer"),
        ],
        [".step-card-title", ".step-card-speaker", "#projector-timer .timer"],
    )
    # A batch of 30, every unit 120 characters long.
    assert len(DEMO_GIFTS) == 30
    # The demo's own 30 names (real names' lengths), each under the longest unit.
    for recipient in DEMO_GIFTS:
        command_ok(server, "gift.add", {"name": recipient["name"], "unit": LONG_UNIT})
    command_ok(server, "gift.batch_size", {"size": 30})
    command_ok(server, "step.goto", {"position": GIFTS})
    command_ok(server, "gift.show", {"batch": 2})
    items = projector.locator(".gift-view-list li")
    expect(items).to_have_count(30)
    pairs = [(".gift-view-presenters", ".gift-view-list"), (".step-card-kicker", ".gift-view-list")]
    look(projector, f"layout-gifts-{size}.png")
    check(projector, pairs, [".gift-view-list"])
    boxes = items.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    for i, (al, at, ar, ab) in enumerate(boxes):
        for j, (bl, bt, br, bb) in enumerate(boxes[i + 1 :], start=i + 1):
            assert not (al < br - 1 and bl < ar - 1 and at < bb - 1 and bt < ab - 1), (
                f"recipients {i + 1} and {j + 1} overlap"
            )
    screens.assert_no_errors()
