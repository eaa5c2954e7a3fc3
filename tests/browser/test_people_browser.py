"""People in a real Chromium against a real server process: the check-in desks, attendance
reaching the MC and the admin, the gifts step with the hall projector, the admin editor,
the start page, and the printable sheets (badges, placards, seating plan, gift receipts)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from live.access import ROLE_NAMES
from live.demo import DEMO_STEPS
from live.demo_people import DEMO_DELEGATES, DEMO_GIFT_PRESENTERS, DEMO_GIFTS
from tests.browser.conftest import (
    PROJECTOR_VIEWPORT,
    SCREENSHOTS,
    Screens,
    api_state,
    command_ok,
    shoot,
    wait_live,
)

pytestmark = pytest.mark.browser

TOTAL = len(DEMO_DELEGATES)  # 250, one per seat
TITLES = [str(s["title"]) for s in DEMO_STEPS]
GIFTS_STEP = next(i for i, s in enumerate(DEMO_STEPS, start=1) if s["kind"] == "gifts")  # 7
SEARCH = "#checkin-search"


def delegate(number: int) -> dict:
    """The demo's delegate with badge code DB<number> (codes follow the list order)."""
    return DEMO_DELEGATES[number - 1]


def code(number: int) -> str:
    return f"DB{number:04d}"


VGCL_VICE = 1  # Phó Chủ tịch Tổng LĐLĐ Việt Nam: first group in protocol order
VGCL_SECOND = 2  # the same group's second (introduced too, when present)
PARTY_DEPUTY = 3  # Phó Bí thư Thường trực Tỉnh ủy
UBND_CHAIR = 5  # Chủ tịch UBND tỉnh


# --- helpers -------------------------------------------------------------------------------


def button(scope: Page | Locator, name: str) -> Locator:
    return scope.get_by_role("button", name=name, exact=True)


def desk_page(screens: Screens, desk: int) -> Page:
    page = screens.open("checkin")
    page.select_option("#desk", str(desk))
    return page


def row(page: Page, name: str) -> Locator:
    who = page.locator(".dg-who > strong", has_text=re.compile(rf"^{re.escape(name)}$"))
    return page.locator("#checkin-list li.dg").filter(has=who)


def present(page: Page) -> int:
    return int(page.locator("#checkin-stats .stat-big strong").inner_text())


def expect_stats(page: Page, n: int, total: int = TOTAL) -> None:
    expect(page.locator("#checkin-stats .stat-big")).to_have_text(f"{n}/{total} có mặt")


def expect_present(page: Page, name: str, desk: int) -> None:
    r = row(page, name)
    expect(r).to_have_count(1)
    expect(r).to_have_class(re.compile(r"\bin\b"))
    expect(r.locator(".dg-state")).to_have_text(re.compile(rf"^Có mặt \d\d:\d\d · bàn {desk}$"))


def shown_ids(page: Page) -> set[str]:
    return set(
        page.eval_on_selector_all(
            "#checkin-list li.dg:not([hidden])", "rows => rows.map(r => r.dataset.key)"
        )
    )


def search(page: Page, text: str) -> int:
    """Type `text` into the search box; the number of rows it leaves."""
    page.fill(SEARCH, text)
    count = page.locator("#checkin-count")
    expect(count).to_have_text(re.compile(r"^\d+ người khớp$"))
    n = int(count.inner_text().split()[0])
    assert len(shown_ids(page)) == n
    return n


def unique_part_of_a_name(page: Page, skip: int = 20) -> str:
    """Middle and given name of someone further down the list (not a dignitary) that only
    one row of the desk's list contains."""
    found = page.evaluate(
        """(skip) => {
          const rows = [...document.querySelectorAll('#checkin-list li.dg')];
          for (const r of rows.slice(skip)) {
            const words = r.querySelector('.dg-who > strong').textContent.trim().split(/\\s+/);
            const part = words.slice(1).join(' ').toLowerCase();
            if (words.length >= 3 && rows.filter(o => o.textContent.toLowerCase().includes(part)).length === 1)
              return words.slice(1).join(' ');
          }
          return null;
        }""",
        skip,
    )
    assert found, "no delegate with a unique middle + given name in the demo"
    return found


def checkin_by_command(screens: Screens, number: int, desk: int = 4) -> None:
    command_ok_as(screens, "delegate.checkin", {"code": code(number), "desk": desk}, "checkin")


def command_ok_as(screens: Screens, name: str, args: dict, role: str) -> dict:
    response = screens.server.command(name, args, role=role)
    assert response.status_code == 200, response.text
    return response.json()


def intro_lines(delegates: list[dict]) -> list[str]:
    return [f"Đồng chí {d['name']}, {d['position']}" for d in delegates]


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a PDF Chromium wrote: its page objects are
    plain dictionaries, each with its own /MediaBox, under a tree of /Pages nodes whose root
    counts them all."""
    assert data.startswith(b"%PDF-"), data[:20]
    sizes = []
    for m in re.finditer(rb"/Type\s*/Page\b(?!s)", data):
        obj = data[m.start() : data.index(b"endobj", m.start())]
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", obj)
        assert box, obj[:300]
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    assert counts and max(counts) == len(sizes), (counts, len(sizes))
    return sizes


MM = 72 / 25.4  # points per millimetre


def expect_paper(pages: list[tuple[float, float]], width_mm: float, height_mm: float) -> None:
    for w, h in pages:
        assert abs(w - width_mm * MM) < 2 and abs(h - height_mm * MM) < 2, (w / MM, h / MM)


# --- 1. two check-in desks at once ---------------------------------------------------------


def test_two_desks_check_in_at_once(screens: Screens) -> None:
    desk1 = desk_page(screens, 1)
    desk2 = desk_page(screens, 2)
    # The desk number is this browser's own setting: a reload keeps it.
    desk2.reload()
    wait_live(desk2)
    expect(desk2.locator("#desk")).to_have_value("2")
    desk1.reload()
    wait_live(desk1)
    expect(desk1.locator("#desk")).to_have_value("1")
    expect(desk1.locator("#checkin-list li.dg")).to_have_count(TOTAL)
    before = present(desk1)
    expect_stats(desk2, before)

    # Desk 1 types part of a name and presses Enter: the one delegate found is checked in.
    part = unique_part_of_a_name(desk1)
    assert search(desk1, part) == 1
    name = desk1.locator("#checkin-list li.dg:not([hidden]) .dg-who > strong").inner_text()
    assert part in name
    desk1.press(SEARCH, "Enter")
    expect(desk1.locator("#checkin-last")).to_contain_text(f"✓ {name} — ghế ")
    expect(desk1.locator(SEARCH)).to_have_value("")  # ready for the next delegate
    expect_present(desk1, name, 1)
    expect_present(desk2, name, 1)  # the other desk, without a reload
    expect_stats(desk1, before + 1)
    expect_stats(desk2, before + 1)

    # Both desks scan the same badge at the same moment: it counts once.
    number = 42
    badge = code(number)
    who = delegate(number)["name"]
    for page in (desk1, desk2):
        page.fill(SEARCH, badge)
    desk1.press(SEARCH, "Enter")
    desk2.press(SEARCH, "Enter")
    settled = (
        "() => document.getElementById('checkin-search').value === ''"
        " || !document.getElementById('toast').hidden"
    )
    for page in (desk1, desk2):
        page.wait_for_function(settled)
    won = [p for p in (desk1, desk2) if p.locator(SEARCH).input_value() == ""]
    lost = [p for p in (desk1, desk2) if p.locator("#toast").is_visible()]
    assert len(won) == 1 and len(lost) == 1 and won[0] is not lost[0], (len(won), len(lost))
    winner_desk = 1 if won[0] is desk1 else 2
    expect(won[0].locator("#checkin-last")).to_contain_text(f"✓ {who} — ghế ")
    expect(lost[0].locator("#toast")).to_have_text(
        re.compile(rf"^{re.escape(who)} đã có mặt từ \d\d:\d\d \(bàn {winner_desk}\)\.$")
    )
    expect(lost[0].locator(SEARCH)).to_have_value(badge)  # nothing cleared on a refusal
    for page in (desk1, desk2):
        expect_present(page, who, winner_desk)
        expect_stats(page, before + 2)

    # Without diacritics a word matches with or without them; with them, only exactly.
    exact = search(desk1, "Dũng")
    exact_ids = shown_ids(desk1)
    loose = search(desk1, "dung")
    loose_ids = shown_ids(desk1)
    assert 0 < exact < loose, (exact, loose)
    assert exact_ids < loose_ids
    # Enter with several matches checks in nobody: it asks for more.
    desk1.press(SEARCH, "Enter")
    expect(desk1.locator("#toast")).to_contain_text(f"{loose} người khớp")
    expect_stats(desk1, before + 2)
    desk1.fill(SEARCH, "")
    expect(desk1.locator("#checkin-count")).to_have_text("")

    # A walk-in at desk 2: added, checked in, tagged, counted everywhere.
    walk_in = "Lường Thị Mới"
    form = desk2.locator("details.walk-in")
    form.locator("summary").click()
    form.locator("input[name=name]").fill(walk_in)
    form.locator("select[name=gender]").select_option("Nữ")
    form.locator("input[name=position]").fill("Công nhân may")
    form.locator("input[name=unit]").fill("Công đoàn các Khu công nghiệp tỉnh")
    form.locator("select[name=group]").select_option("Công nhân, viên chức, lao động")
    button(form, "Thêm và ghi có mặt").click()
    expect(form.locator("input[name=name]")).to_have_value("")  # the form is cleared
    for page in (desk1, desk2):
        expect_present(page, walk_in, 2)
        expect(row(page, walk_in).locator(".tag")).to_have_text("đến trực tiếp")
        expect_stats(page, before + 3, TOTAL + 1)
        expect(page.locator("#checkin-stats")).to_contain_text("Đến trực tiếp: 1")
    screens.assert_no_errors()


# --- 2. attendance reaches the MC and the admin --------------------------------------------


def test_attendance_reaches_the_mc_introduction_and_admin(screens: Screens) -> None:
    mc = screens.mc()
    admin = screens.open("admin")
    desk = desk_page(screens, 3)
    expect(mc.locator("#mc-bar")).to_contain_text(f"Có mặt 0/{TOTAL}")

    # The UBND chairman arrives first, then the VGCL vice-chairman (badges scanned).
    for number in (UBND_CHAIR, VGCL_VICE):
        desk.fill(SEARCH, code(number))
        desk.press(SEARCH, "Enter")
        expect(desk.locator("#checkin-last")).to_contain_text(delegate(number)["name"])
    # A walk-in worker, from another desk.
    command_ok_as(
        screens,
        "delegate.add",
        {
            "name": "Lường Văn Đến",
            "unit": "Công đoàn các Khu công nghiệp tỉnh",
            "group": "Công nhân, viên chức, lao động",
            "desk": 4,
        },
        "checkin",
    )
    expect(mc.locator("#mc-bar")).to_contain_text(f"Có mặt 3/{TOTAL + 1}")
    expect(admin.locator("#admin-people h2")).to_contain_text(
        f"3/{TOTAL + 1} có mặt · 1 đến trực tiếp"
    )

    # Step 1, the opening: the MC reads the dignitaries present, in protocol order.
    mc.get_by_role("button", name="Bước tiếp").click()
    expect(mc.locator("#mc-bar")).to_contain_text(f"Bước 1/{len(DEMO_STEPS)}")
    intro = mc.locator("#mc-current .intro")
    expect(intro.locator("h2")).to_contain_text("theo điểm danh: 3 đại biểu có mặt")
    expect(intro.locator(".intro-list li")).to_have_text(
        intro_lines([delegate(VGCL_VICE), delegate(UBND_CHAIR)])
    )
    for absent in (VGCL_SECOND, PARTY_DEPUTY):
        expect(intro).not_to_contain_text(delegate(absent)["name"])
    expect(intro.locator(".intro-groups")).to_have_text(
        "Cùng dự: Công nhân, viên chức, lao động (1)."
    )

    # The Party deputy secretary arrives during the opening: the list follows, in order.
    row(desk, delegate(PARTY_DEPUTY)["name"]).get_by_role("button", name="Có mặt").click()
    expect_present(desk, delegate(PARTY_DEPUTY)["name"], 3)
    expect(intro.locator(".intro-list li")).to_have_text(
        intro_lines([delegate(VGCL_VICE), delegate(PARTY_DEPUTY), delegate(UBND_CHAIR)])
    )
    expect(mc.locator("#mc-bar")).to_contain_text(f"Có mặt 4/{TOTAL + 1}")
    expect(admin.locator("#admin-people h2")).to_contain_text(f"4/{TOTAL + 1} có mặt")
    groups = admin.locator("#people table.attendance").first
    expect(groups.locator("tr", has_text="Tổng LĐLĐ Việt Nam").locator("td")).to_have_text(
        ["Tổng LĐLĐ Việt Nam", "1", "2"]
    )
    expect_stats(desk, 4, TOTAL + 1)

    # A check-in undone by mistake: gone from the introduction at once.
    undo = row(desk, delegate(UBND_CHAIR)["name"]).get_by_role("button", name="Bỏ")
    desk.once("dialog", lambda d: d.accept())
    undo.click()
    expect(intro.locator(".intro-list li")).to_have_text(
        intro_lines([delegate(VGCL_VICE), delegate(PARTY_DEPUTY)])
    )
    expect(mc.locator("#mc-bar")).to_contain_text(f"Có mặt 3/{TOTAL + 1}")
    screens.assert_no_errors()


# --- 3. the gifts step with the projector ---------------------------------------------------


def test_gifts_step_projector_shows_a_batch_and_handing_is_counted(screens: Screens) -> None:
    projector = screens.projector()
    mc = screens.mc()
    helper = screens.open("gifts", role="checkin")
    command_ok(screens.server, "step.goto", {"position": GIFTS_STEP})

    section = mc.locator("#mc-current .gifts-mc")
    expect(section.locator("h2")).to_contain_text(f"{len(DEMO_GIFTS)} suất · đã trao 0")
    batches = section.locator(".gift-batch")
    expect(batches).to_have_count(3)
    for i, presenters in enumerate(DEMO_GIFT_PRESENTERS):
        expect(batches.nth(i).locator(".gift-presenters")).to_have_text(presenters)
    # Before a batch is chosen the hall sees the step's title card.
    expect(projector.locator("#projector-stage [data-mode]")).to_have_attribute("data-mode", "step")

    button(batches.nth(1), "Chiếu đợt này").click()
    view = projector.locator("#projector-stage .gift-view")
    expect(view).to_have_attribute("data-mode", "gifts")
    expect(view).to_have_attribute("data-batch", "2")
    expect(view.locator(".step-card-kicker")).to_have_text("Trao quà · đợt 2/3")
    expect(view.locator(".gift-view-presenters")).to_have_text(DEMO_GIFT_PRESENTERS[1])
    batch2 = DEMO_GIFTS[10:20]
    expect(view.locator(".gift-view-list li strong")).to_have_text([g["name"] for g in batch2])
    expect(view.locator(".gift-view-list li span")).to_have_text([g["unit"] for g in batch2])
    expect(view.locator(".gift-view-list")).to_have_attribute("start", "11")
    expect(button(batches.nth(1), "Đang chiếu")).to_be_disabled()
    expect(button(batches.nth(0), "Chiếu đợt này")).to_be_enabled()
    expect(helper.locator(".gifts-summary")).to_contain_text("màn chiếu đang hiện đợt 2")
    expect(helper.locator(".gift-batch-head.shown h2")).to_contain_text("Đợt 2")

    # Everything on the hall display fits the 1920×1080 screen, nothing cut or overlapping.
    fit = projector.evaluate(
        """() => {
          const view = document.querySelector('#projector-stage .gift-view');
          const items = [...view.querySelectorAll('.gift-view-list li, .gift-view-presenters,'
            + ' .step-card-kicker, .step-card-top')];
          const out = items.filter(e => { const r = e.getBoundingClientRect();
            return r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5; });
          const clipped = items.filter(e => e.scrollWidth > e.clientWidth + 1 && !e.matches('.step-card-top'));
          const overlaps = [];
          items.forEach((a, i) => items.slice(i + 1).forEach(b => {
            const r = a.getBoundingClientRect(), q = b.getBoundingClientRect();
            const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
            const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
            if (w > 1 && h > 1) overlaps.push([a.textContent.trim(), b.textContent.trim()]);
          }));
          const px = (sel) => parseFloat(getComputedStyle(view.querySelector(sel)).fontSize);
          return { out: out.map(e => e.textContent.trim()), overlaps,
                   clipped: clipped.map(e => e.textContent.trim()),
                   name: px('.gift-view-list li strong'), unit: px('.gift-view-list li span'),
                   presenters: px('.gift-view-presenters') };
        }"""
    )
    assert fit["out"] == [] and fit["clipped"] == [] and fit["overlaps"] == [], fit
    # Read from the back of a hall: names at least ~36 px on a 1080p projector.
    assert fit["name"] >= 36 and fit["unit"] >= 24 and fit["presenters"] >= 36, fit

    # A helper marks one recipient of batch 2 as handed: the MC's count follows.
    handed = batch2[2]["name"]
    gift = helper.locator("li.gift").filter(has=helper.get_by_text(handed, exact=True))
    button(gift, "Đã trao").click()
    expect(gift.get_by_role("button")).to_have_text(re.compile(r"^✓ Đã trao \d\d:\d\d$"))
    expect(gift).to_have_class(re.compile(r"\bhanded\b"))
    expect(helper.locator(".gifts-summary strong").first).to_have_text(f"1/{len(DEMO_GIFTS)}")
    expect(section.locator("h2")).to_contain_text("đã trao 1")
    expect(batches.nth(1).locator("p.muted")).to_contain_text(f"{handed} ✓")
    shoot(projector, "projector-gifts.png")
    shoot(mc, "mc-gifts.png")
    shoot(helper, "gifts.png")

    # Back to the step's title card on the projector.
    button(section, "Màn chiếu về tiêu đề bước").click()
    expect(projector.locator("#projector-stage .gift-view")).to_have_count(0)
    expect(projector.locator("#projector-stage .step-card-title")).to_have_text(
        TITLES[GIFTS_STEP - 1]
    )
    assert projector.viewport_size == PROJECTOR_VIEWPORT
    screens.assert_no_errors()


# --- 4. the admin editor --------------------------------------------------------------------


def test_admin_edits_reach_the_mc_and_a_rotated_key_locks_the_desk_out(screens: Screens) -> None:
    admin = screens.open("admin")
    mc = screens.mc()
    desk = screens.open("checkin")

    # The title, edited in the conference form: the MC bar follows live.
    title = "Hội nghị đối thoại năm 2024 (sửa tại bàn quản trị)"
    conf = admin.locator("#admin-conference form").first
    conf.locator("input[name=title]").fill(title)
    button(conf, "Lưu thông tin").click()
    expect(mc.locator("#mc-bar .bar-title")).to_have_text(title)

    # A ninth step, with the projector timer ticked.
    agenda = admin.locator("#admin-agenda")
    agenda.locator("details.add-step > summary").click()
    new = agenda.locator("details.add-step form")
    new.locator("select[name=kind]").select_option("speech")
    new.locator("input[name=title]").fill("Phát biểu của đại diện doanh nghiệp")
    new.locator("input[name=planned_minutes]").fill("7")
    new.locator("input[name=show_timer]").check()
    button(new, "Thêm vào cuối chương trình").click()
    steps = len(DEMO_STEPS) + 1
    expect(agenda.locator("h2")).to_contain_text(f"{steps} bước")
    expect(mc.locator("#mc-agenda li .num")).to_have_text([str(i) for i in range(steps + 1)])
    expect(mc.locator("#mc-agenda li").last.locator(".t")).to_have_text(
        "Phát biểu của đại diện doanh nghiệp"
    )
    ninth = agenda.locator("ol.agenda-edit > li").nth(steps - 1)
    expect(ninth.locator("input[name=show_timer]")).to_be_checked()
    expect(ninth.locator("input[name=planned_minutes]")).to_have_value("7")

    # Moved up one: it comes before the closing, on the MC too.
    ninth.locator("button[title=Lên]").click()
    expect(mc.locator("#mc-agenda li .t").nth(steps - 1)).to_have_text(
        "Phát biểu của đại diện doanh nghiệp"
    )
    expect(mc.locator("#mc-agenda li .t").nth(steps)).to_have_text(TITLES[-1])

    # A unit's delegate quota, edited in the lists: below its 3 delegates, it warns.
    unit = "Liên đoàn Lao động huyện Kim Bôi"
    item = admin.locator("#admin-lists .list-unit li").filter(
        has=admin.locator("summary", has_text=unit)
    )
    item.locator("summary").click()
    item.locator("input[name=delegate_quota]").fill("2")
    button(item, "Lưu").click()
    expect(admin.locator("#admin-people .alert")).to_contain_text(unit)
    item.locator("summary").click()  # closed: the held list region takes the update
    expect(item.locator("summary")).to_contain_text("· 2 đại biểu")
    admin.reload()
    wait_live(admin)
    expect(item.locator("summary")).to_contain_text("· 2 đại biểu")
    expect(item.locator("input[name=delegate_quota]")).to_have_value("2")
    expect(
        admin.locator("#people table.attendance").nth(1).locator("tr", has_text=unit)
    ).to_have_class("over")

    # The check-in key rotated: the open desk is locked out at once, the MC is not.
    old_key = screens.key("checkin")
    card = admin.locator("#admin-links .link-card").filter(
        has=admin.locator("h3", has_text=re.compile(rf"^{ROLE_NAMES['checkin']}$"))
    )
    expect(card.locator("code")).to_contain_text(old_key)
    button(card, "Đổi khoá").click()
    expect(desk.locator("#conn-badge")).to_be_visible()
    expect(desk.locator("#conn-badge")).to_contain_text("thay khoá")
    expect(card.locator("code")).not_to_contain_text(old_key)
    mc.get_by_role("button", name="Bước tiếp").click()
    expect(mc.locator("#mc-current .step-title")).to_have_text(TITLES[0])
    assert api_state(screens.server)["position"] == 1
    # The locked desk stays locked: its socket does not try again (a reconnect would come
    # within 0.35 s; nothing to wait for when checking that something does not happen).
    desk.wait_for_timeout(1500)
    assert desk.evaluate("window.__ws.opens") == 1
    expect(desk.locator("#conn-badge")).to_contain_text("thay khoá")

    # The old link no longer opens the desk.
    screens.allow(r"status of 403")
    stale = screens.new_page("stale-checkin")
    response = stale.goto(f"{screens.server.url}/e/demo/checkin?key={old_key}")
    assert response is not None and response.status == 403
    expect(stale.locator("body")).to_contain_text("Liên kết không hợp lệ")
    screens.assert_no_errors()


# --- 5. the start page ----------------------------------------------------------------------


def test_start_page_creates_a_conference_from_the_demo(screens: Screens) -> None:
    page = screens.open("admin")
    response = page.goto(f"{screens.server.url}/")
    assert response is not None and response.status == 200, response and response.status
    expect(page.locator(".home-list > li")).to_have_count(1)
    form = page.locator("form[action='/conferences']")
    expect(form.locator("select[name=source]")).to_have_value("demo")
    expect(form.locator("input[name=copy]")).to_be_checked()

    # A slug already taken is refused, and the form comes back as it was filled.
    form.locator("input[name=slug]").fill("demo")
    form.locator("input[name=date]").fill("2025-07-04")
    form.locator("input[name=title]").fill("Hội nghị đối thoại năm 2025")
    screens.allow(r"status of 409")
    button(form, "Tạo hội nghị").click()
    expect(page.locator(".alert")).to_have_text("Đã có hội nghị mã «demo».")
    expect(form.locator("input[name=title]")).to_have_value("Hội nghị đối thoại năm 2025")
    expect(form.locator("input[name=date]")).to_have_value("2025-07-04")
    expect(form.locator("input[name=copy]")).to_be_checked()

    form.locator("input[name=slug]").fill("doi-thoai-2025")
    button(form, "Tạo hội nghị").click()

    page.wait_for_url(f"{screens.server.url}/e/doi-thoai-2025/admin")
    wait_live(page)
    expect(page).to_have_title("Quản trị · Hội nghị đối thoại năm 2025")
    expect(page.locator("#admin-agenda h2")).to_contain_text(f"{len(DEMO_STEPS)} bước")
    expect(page.locator("#admin-agenda ol.agenda-edit > li .agenda-title strong")).to_have_text(
        TITLES
    )
    expect(page.locator("#admin-people h2")).to_contain_text("0/0 có mặt")
    expect(page.locator("#admin-gifts h2")).to_contain_text("0 người nhận")
    # Copied: the lists (units with their quotas, groups in protocol order).
    expect(page.locator("#admin-lists .list-unit li")).to_have_count(17)
    expect(page.locator("#admin-lists .list-group li summary").first).to_contain_text(
        "Tổng LĐLĐ Việt Nam"
    )

    page.goto(f"{screens.server.url}/")
    items = page.locator(".home-list > li")
    expect(items).to_have_count(2)
    expect(items.filter(has_text="doi-thoai-2025")).to_contain_text("Hội nghị đối thoại năm 2025")
    expect(items.filter(has_text="mã demo").get_by_role("link", name="Quản trị")).to_have_count(1)
    expect(
        items.filter(has_text="doi-thoai-2025").get_by_role("link", name="Quản trị")
    ).to_have_attribute("href", "/e/doi-thoai-2025/admin")
    # The demo is untouched: still its own agenda.
    assert api_state(screens.server)["steps"] == len(DEMO_STEPS)
    screens.assert_no_errors()


# --- 6. printable sheets --------------------------------------------------------------------


def test_print_views_make_the_right_pdf_pages(screens: Screens) -> None:
    page = screens.open("admin")  # the admin cookie opens the print pages
    base = f"{screens.server.url}/e/demo/print"
    page.set_default_timeout(60_000)  # 250 badges with their QR codes

    response = page.goto(f"{base}/badges")
    assert response is not None and response.status == 200
    expect(page.locator(".sheet.badge")).to_have_count(TOTAL)
    expect(page.locator(".sheet.badge").first.locator(".badge-qr span")).to_have_text(
        re.compile(r"^DB\d{4}$")
    )
    shoot(page, "print-badges.png")
    badges = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(badges) == TOTAL  # one badge a sheet (the paper size: the test below)

    page.goto(f"{base}/placards")
    sheets = page.locator(".sheet.placard")
    expect(sheets.first).to_be_visible()
    n = sheets.count()
    assert n == 11, n  # the 8 dignitaries and the host federation's first 3, by name
    expect(sheets.first.locator(".placard-name")).to_have_text(delegate(VGCL_VICE)["name"])
    shoot(page, "print-placards.png")
    placards = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(placards) == n
    expect_paper(placards, 297, 210)  # A4 landscape

    page.goto(f"{base}/seats")
    expect(page.locator(".seat-list li")).to_have_count(TOTAL)
    shoot(page, "print-seats.png")
    seats = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(seats) >= 1
    expect_paper(seats, 210, 297)

    page.goto(f"{base}/gifts")
    expect(page.locator("table.receipt tbody tr:not(.total)")).to_have_count(len(DEMO_GIFTS))
    expect(page.locator("table.receipt tr.total")).to_contain_text(
        f"Tổng cộng: {len(DEMO_GIFTS)} suất"
    )
    expect(page.locator("table.receipt tr.total")).to_contain_text("60.000.000")
    shoot(page, "print-gifts.png")
    gifts = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(gifts) >= 1
    expect_paper(gifts, 210, 297)

    # Without a role cookie the sheets are refused (they list everyone by name and seat).
    screens.allow(r"status of 403")
    stranger = screens.new_page("stranger")
    response = stranger.goto(f"{base}/badges")
    assert response is not None and response.status == 403
    screens.assert_no_errors()


def test_badges_print_on_a6_paper(screens: Screens) -> None:
    page = screens.open("admin")
    page.set_default_timeout(60_000)
    page.goto(f"{screens.server.url}/e/demo/print/badges")
    expect(page.locator(".sheet.badge")).to_have_count(TOTAL)
    badges = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(badges) == TOTAL
    expect_paper(badges, 105, 148)  # A6 portrait, one badge a sheet
    screens.assert_no_errors()


def print_page(screens: Screens, name: str) -> Page:
    page = screens.open("admin")
    response = page.goto(f"{screens.server.url}/e/demo/print/{name}")
    assert response is not None and response.status == 200
    page.emulate_media(media="print")
    return page


def test_placard_fold_line_is_at_the_fold(screens: Screens) -> None:
    page = print_page(screens, "placards")
    fold = page.evaluate(
        """() => {
          const sheet = document.querySelector('.sheet.placard');
          const back = sheet.querySelector('.placard-back');
          const b = getComputedStyle(back);
          const f = getComputedStyle(sheet.querySelector('.placard-front'));
          const flipped = b.transform !== 'none' && new DOMMatrix(b.transform).d < 0;
          return {
            at: back.getBoundingClientRect().bottom - sheet.getBoundingClientRect().top,
            height: sheet.getBoundingClientRect().height,
            // the style of the back half's edge that lies on the fold, as drawn
            back: flipped ? b.borderTopStyle : b.borderBottomStyle,
            front: f.borderTopStyle,
          };
        }"""
    )
    assert abs(fold["at"] - fold["height"] / 2) < 2, fold  # the halves meet in the middle
    assert fold["back"] != "none" or fold["front"] != "none", fold  # a line drawn at the fold
    screens.assert_no_errors()


def test_seating_plan_keeps_each_row_on_one_sheet(screens: Screens) -> None:
    page = print_page(screens, "seats")
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.seat-row')].map(r => ({
          row: r.querySelector('h2').textContent,
          height: r.getBoundingClientRect().height,
          inside: getComputedStyle(r).breakInside,
        }))"""
    )
    assert len(rows) == 10
    page_height = (297 - 2 * 12) * 96 / 25.4  # A4 less the 12 mm margins, in CSS px
    assert all(r["height"] < page_height for r in rows), rows  # each row can fit a sheet…
    assert all(r["inside"] in ("avoid", "avoid-page") for r in rows), rows[0]  # …and does
    screens.assert_no_errors()


def test_gift_receipt_total_is_printed_once(screens: Screens) -> None:
    page = print_page(screens, "gifts")
    pages = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(pages) >= 2  # the list runs over several sheets…
    footer = page.evaluate(
        "() => [...document.querySelectorAll('table.receipt tr')]"
        ".filter(tr => tr.textContent.includes('Tổng cộng'))"
        ".map(tr => getComputedStyle(tr.parentElement).display)"
    )
    assert footer and "table-footer-group" not in footer, footer  # …the total only at its end
    screens.assert_no_errors()


# --- 7. screenshots for the README ----------------------------------------------------------


def test_screenshots_checkin_admin_and_mc_introduction(screens: Screens) -> None:
    kim_boi = [59, 76, 128, 193]  # the district's 3 delegates, and a doctor working there
    for number in (VGCL_VICE, PARTY_DEPUTY, UBND_CHAIR, 9, 60, 120, 121, 200, *kim_boi[:2]):
        checkin_by_command(screens, number, desk=1 + number % 4)
    desk = desk_page(screens, 2)
    expect_stats(desk, 10)
    assert search(desk, "huyện Kim Bôi") == len(kim_boi)
    # The doctor arrives: «Có mặt» on her row; the district chairman takes his documents.
    doctor = row(desk, delegate(kim_boi[3])["name"])
    button(doctor, "Có mặt").click()
    expect_present(desk, delegate(kim_boi[3])["name"], 2)
    chairman = row(desk, delegate(kim_boi[0])["name"])
    button(chairman, "Phát tài liệu").click()
    expect(button(chairman, "✓ Tài liệu")).to_be_visible()
    expect(desk.locator("#checkin-stats")).to_contain_text("Đã phát tài liệu: 1")
    expect(desk.locator("#checkin-list li.dg.in:not([hidden])")).to_have_count(3)
    expect_stats(desk, 11)
    shoot(desk, "checkin.png")

    admin = screens.open("admin")
    expect(admin.locator("#admin-people h2")).to_contain_text(f"11/{TOTAL} có mặt")
    shoot(admin, "admin.png")  # the viewport: the top of the page

    mc = screens.mc()
    mc.get_by_role("button", name="Bước tiếp").click()
    expect(mc.locator("#mc-current .intro .intro-list li")).to_have_text(
        intro_lines([delegate(VGCL_VICE), delegate(PARTY_DEPUTY), delegate(UBND_CHAIR)])
    )
    shoot(mc, "mc-intro.png")
    for name in ("checkin.png", "admin.png", "mc-intro.png"):
        assert (SCREENSHOTS / name).stat().st_size > 20_000, name
    screens.assert_no_errors()
