"""Delegates, gifts and conferences over HTTP, against a real server: the list imports, the
printable sheets, the check-in screen, and the start page's "new conference" form."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import httpx
import openpyxl

from live.app import prepare_database
from live.render import View, load_view
from live.settings import Settings

DELEGATE_HEADER = ["STT", "Họ và tên", "Giới tính", "Chức vụ", "Đơn vị", "Thành phần", "Thứ tự", "Ghế"]  # fmt: skip
GIFT_HEADER = ["STT", "Họ và tên", "Đơn vị", "Hoàn cảnh", "Giá trị"]
LUONG_SON = "Liên đoàn Lao động huyện Lương Sơn"  # 3 delegates (quota 3), 2 gifts (quota 2)
WORKERS = "Công nhân, viên chức, lao động"


def xlsx(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook as a unit sends it: a title row above the header, numbered rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH GỬI BAN TỔ CHỨC"])
    sheet.append(list(header))
    for i, row in enumerate(rows, start=1):
        sheet.append([i, *row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def view_of(server) -> View:
    engine = prepare_database(replace(Settings(), database_url=server.database_url))
    v = load_view(engine, "demo", server.media_dir)
    assert v is not None
    return v


def upload(server, kind: str, data: bytes, key: str | None, name: str = "ds.xlsx"):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.post(
        f"{server.url}/api/e/demo/{kind}/import",
        files={"file": (name, data, "application/octet-stream")},
        headers=headers,
    )


@contextmanager
def browser(server, role: str | None = None) -> Iterator[httpx.Client]:
    """A client holding a role's cookie, as after opening that role's link."""
    with httpx.Client(base_url=server.url, follow_redirects=False) as client:
        if role is not None:
            screen = {"mic": "mic/1", "secretary": "secretary"}.get(role, role)
            r = client.get(f"/e/demo/{screen}", params={"key": server.keys()[role]})
            assert r.status_code == 303, r.text
        yield client


def test_delegate_and_gift_lists_are_imported_whole_with_quota_warnings(server):
    keys = server.keys()
    good = xlsx(
        DELEGATE_HEADER,
        [
            ["Bùi Văn Nhập", "Nam", "Công nhân", LUONG_SON, WORKERS, 5, "k-3"],
            [
                "Quách Thị Nhập",
                "nữ",
                "Công nhân",
                LUONG_SON,
                "cong nhan, vien chuc, lao dong",
                "",
                "",
            ],
        ],
    )
    # who may send it: the admin only
    assert upload(server, "delegates", good, None).status_code == 401
    assert upload(server, "delegates", good, "not-a-key").status_code == 401
    for role in ("moderator", "checkin"):
        r = upload(server, "delegates", good, keys[role])
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    assert len(view_of(server).delegates) == 250

    broken = xlsx(  # no good row: nothing is imported, 400 with each row's reason
        DELEGATE_HEADER,
        [
            ["Đinh Văn Lạ", "Nam", "", LUONG_SON, "Thành phần không có", 1, ""],
            ["", "Nữ", "", LUONG_SON, WORKERS, 1, ""],
            ["Hà Văn Ghế", "Nam", "", LUONG_SON, WORKERS, 1, "ghế xịn"],
        ],
    )
    r = upload(server, "delegates", broken, keys["admin"])
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and body["code"] == "import_rejected"
    assert "3 lỗi" in body["message"]
    assert [p["line"] for p in body["problems"]] == [3, 4, 5]
    assert [row["line"] for row in body["rejected"]] == [3, 4, 5]
    assert {p["column"] for p in body["problems"]} == {"Thành phần", "Họ và tên", "Ghế"}
    assert len(view_of(server).delegates) == 250  # nothing of it

    r = upload(server, "delegates", good, keys["admin"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["ok"], body["count"], body["first"], body["last"]) == (True, 2, "DB0251", "DB0252")
    warning = f"{LUONG_SON}: 5 đại biểu, vượt hạn mức 3."
    assert body["warnings"] == [warning]
    assert "Đã nhập 2 đại biểu." in body["message"] and warning in body["message"]
    v = view_of(server)
    added = {d.name: d for d in v.delegates if d.code in ("DB0251", "DB0252")}
    assert (added["Bùi Văn Nhập"].seat, added["Bùi Văn Nhập"].rank) == ("K03", 5)
    assert (added["Quách Thị Nhập"].gender, added["Quách Thị Nhập"].group_name) == ("Nữ", WORKERS)
    # the same list again: those names are already in for that unit
    r = upload(server, "delegates", good, keys["admin"])
    assert (r.status_code, r.json()["code"]) == (400, "import_rejected")
    assert len(view_of(server).delegates) == 252

    gifts = xlsx(
        GIFT_HEADER, [["Lò Thị Quà", "liên đoàn lao động huyện lương sơn", "Ốm đau", "2 triệu"]]
    )
    assert upload(server, "gifts", gifts, None).status_code == 401
    assert upload(server, "gifts", gifts, keys["mc"]).status_code == 403
    bad_gifts = xlsx(GIFT_HEADER, [["Lò Thị Hai", "Công ty không có", "", "hai"]])
    r = upload(server, "gifts", bad_gifts, keys["admin"])
    assert (r.status_code, r.json()["code"]) == (400, "import_rejected")
    assert [p["line"] for p in r.json()["problems"]] == [3, 3]  # its unit and its value
    assert len(view_of(server).gifts) == 30
    r = upload(server, "gifts", gifts, keys["admin"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["count"], body["total"]) == (1, 31)
    assert f"{LUONG_SON}: 3 suất quà, vượt hạn mức 2." in body["warnings"]
    last = view_of(server).gifts[-1]
    assert (last.name, last.unit, last.value, last.position) == (
        "Lò Thị Quà",
        LUONG_SON,
        2_000_000,
        31,
    )

    with browser(server, "admin") as admin:
        page = admin.get("/e/demo/admin")
        assert page.status_code == 200
        assert "Vượt hạn mức" in page.text and warning in page.text


def test_a_delegate_list_with_clashing_seats_is_rejected_per_row(server):
    data = xlsx(
        DELEGATE_HEADER,
        [
            ["Bùi Văn Một", "Nam", "", LUONG_SON, WORKERS, 1, "K05"],
            ["Bùi Văn Hai", "Nam", "", LUONG_SON, WORKERS, 1, "k-5"],
        ],
    )
    r = upload(server, "delegates", data, server.keys()["admin"])
    assert r.status_code == 200, r.text  # the first takes the seat, the second is kept out
    assert [d.name for d in view_of(server).delegates if d.seat == "K05"] == ["Bùi Văn Một"]
    assert len(view_of(server).delegates) == 251
    assert [(p["line"], p["column"]) for p in r.json()["problems"]] == [(4, "Ghế")]
    assert r.json()["rejected"] == [{"line": 4, "reasons": [r.json()["problems"][0]["message"]]}]


def rejected_sheet(body: dict) -> list[list[object]]:
    """The rejected rows handed back in an import's answer, as the sheet's values."""
    file = body["rejected_file"]
    assert file["name"].endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["base64"]))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_one_bad_row_keeps_out_only_itself_and_comes_back_as_a_sheet(server):
    keys = server.keys()
    rows = [[f"Lê Văn Số {n}", "Nam", "", LUONG_SON, WORKERS, "", ""] for n in range(1, 45)]
    rows.insert(20, ["Lê Thị Lạ", "Nữ", "", LUONG_SON, "Khách không mời", "", ""])
    r = upload(server, "delegates", xlsx(DELEGATE_HEADER, rows), keys["admin"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["ok"], body["count"], body["imported"]) == (True, 44, 44)
    assert [row["line"] for row in body["rejected"]] == [23]  # title, header, 20 rows
    assert "Khách không mời" in body["rejected"][0]["reasons"][0]
    assert "Đã nhập 44 đại biểu." in body["message"] and "Chưa nhập 1 dòng" in body["message"]
    assert len(view_of(server).delegates) == 294
    sheet = rejected_sheet(body)
    assert sheet[0] == [*DELEGATE_HEADER, "Lý do"]
    assert sheet[1][:6] == ["21", "Lê Thị Lạ", "Nữ", None, LUONG_SON, "Khách không mời"]
    assert sheet[1][-1].startswith("Dòng 23: thành phần «Khách không mời»")

    gifts = [["Lò Văn Quà", "LĐLĐ huyện Lương Sơn", "", "1 triệu"], ["Lò Văn Sai", "", "", ""]]
    r = upload(server, "gifts", xlsx(GIFT_HEADER, gifts), keys["admin"])
    assert r.status_code == 200, r.text
    assert (r.json()["count"], [x["line"] for x in r.json()["rejected"]]) == (1, [4])
    assert view_of(server).gifts[-1].unit == LUONG_SON  # the list's spelling


def test_an_import_warns_only_of_the_quotas_of_the_units_it_touched(server):
    keys = server.keys()
    over = [[f"Lò Thị {n}", LUONG_SON, "", ""] for n in range(1, 3)]
    r = upload(server, "gifts", xlsx(GIFT_HEADER, over), keys["admin"])
    assert r.status_code == 200, r.text
    assert r.json()["warnings"] == [f"{LUONG_SON}: 4 suất quà, vượt hạn mức 2."]
    # A delegate of another unit: Lương Sơn's gifts are not this file's business.
    other = "Công đoàn ngành Y tế"
    data = xlsx(DELEGATE_HEADER, [["Hà Văn Khác", "Nam", "", other, WORKERS, "", ""]])
    r = upload(server, "delegates", data, keys["admin"])
    assert r.status_code == 200, r.text
    warnings = r.json()["warnings"]
    assert all(w.startswith(f"{other}: ") and "đại biểu" in w for w in warnings), warnings
    assert LUONG_SON not in r.json()["message"]


def test_print_pages_and_the_checkin_screen(server):
    with browser(server) as anonymous:
        for name in ("badges", "placards", "seats", "gifts"):
            r = anonymous.get(f"/e/demo/print/{name}")
            assert r.status_code == 403 and "Cần liên kết truy cập" in r.text
        assert anonymous.get("/e/demo/print/menu").status_code == 404
        assert anonymous.get("/e/demo/checkin").status_code == 403
    with browser(server, "mc") as mc:
        assert mc.get("/e/demo/print/badges").status_code == 403

    with browser(server, "checkin") as desk:
        r = desk.get("/e/demo/print/badges")
        assert r.status_code == 200
        assert r.text.count('<section class="sheet badge">') == 250
        assert r.text.count("<svg") >= 250
        assert "DB0001" in r.text and "DB0250" in r.text
        r = desk.get("/e/demo/print/placards")
        assert r.status_code == 200 and r.text.count('<section class="sheet placard">') == 11
        r = desk.get("/e/demo/print/seats")
        assert r.status_code == 200 and "SƠ ĐỒ CHỖ NGỒI" in r.text
        assert [f"<h2>Hàng {row}</h2>" in r.text for row in "ABCDEFGHIJK"] == [True] * 10 + [False]
        assert "<b>A01</b>" in r.text and "<b>J25</b>" in r.text and "Chưa xếp ghế" not in r.text
        r = desk.get("/e/demo/print/gifts")
        assert r.status_code == 200
        assert "Tổng cộng: 30 suất" in r.text and "60.000.000" in r.text
        assert desk.get("/e/demo/print/nothing").status_code == 404
        assert desk.get("/e/nowhere/print/badges").status_code == 404

        page = desk.get("/e/demo/checkin")
        assert page.status_code == 200
        assert page.text.count('<li class="dg') == 250
        assert "Có mặt" in page.text
        # a check-in from another desk shows on the next load
        d = view_of(server).delegates[0]
        r = server.command("delegate.checkin", {"id": d.id, "desk": 2}, role="checkin")
        assert r.status_code == 200, r.text
        r = server.command("delegate.checkin", {"id": d.id, "desk": 3}, role="checkin")
        assert r.status_code == 409 and r.json()["code"] == "already_checked_in"
        assert "bàn 2" in r.json()["message"]
        assert "· bàn 2" in desk.get("/e/demo/checkin").text

    with browser(server, "admin") as admin:
        r = admin.get("/e/demo/print/gifts")
        assert r.status_code == 200 and "60.000.000" in r.text


FORM = {
    "source": "demo",
    "slug": "doi-thoai-2025",
    "title": "Hội nghị đối thoại năm 2025",
    "date": "2025-07-04",
    "copy": "1",
}


def test_a_new_conference_from_the_start_page_form(server):
    origin = {"Origin": server.url}
    with browser(server) as anonymous:
        home = anonymous.get("/")
        assert home.status_code == 200 and "<code>demo</code>" in home.text
        assert 'action="/conferences"' not in home.text
        r = anonymous.post("/conferences", data=FORM, headers=origin)
        assert r.status_code == 403 and "quản trị" in r.text
    with browser(server, "checkin") as desk:
        home = desk.get("/")
        assert home.status_code == 200 and 'action="/conferences"' not in home.text

    with browser(server, "admin") as admin:
        token = re.search(r'name="csrf" value="([^"]+)"', admin.get("/").text)
        assert token, "the start page's form carries its CSRF token"
        FORM["csrf"] = token.group(1)
        r = admin.post("/conferences", data={**FORM, "csrf": "forged"}, headers=origin)
        assert r.status_code == 403
        r = admin.post("/conferences", data=FORM)  # no Origin: not from our page
        assert r.status_code == 403
        r = admin.post("/conferences", data=FORM, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403

        bad = {**FORM, "slug": "Hội nghị!", "title": "Tên gõ dở dang"}
        r = admin.post("/conferences", data=bad, headers=origin)
        assert r.status_code == 400
        assert "Mã hội nghị: 2–40 ký tự" in r.text  # the message, on the form again
        assert 'action="/conferences"' in r.text
        assert 'value="Tên gõ dở dang"' in r.text and 'value="2025-07-04"' in r.text
        assert 'value="Hội nghị!"' in r.text and '<option value="demo" selected>' in r.text
        r = admin.post("/conferences", data={**FORM, "slug": "demo"}, headers=origin)
        assert r.status_code == 409 and "Đã có hội nghị mã «demo»" in r.text
        assert admin.get("/e/doi-thoai-2025/admin").status_code == 404

        r = admin.post("/conferences", data=FORM, headers=origin)
        assert r.status_code == 303
        assert r.headers["location"] == "/e/doi-thoai-2025/admin"
        page = admin.get("/e/doi-thoai-2025/admin")
        assert page.status_code == 200 and "Hội nghị đối thoại năm 2025" in page.text
        assert admin.get("/e/demo/admin").status_code == 200  # the source's key is kept
        r = admin.post(
            "/conferences", data={**FORM, "slug": "khong-chep", "copy": ""}, headers=origin
        )
        assert r.status_code == 303

    with browser(server) as anonymous:
        home = anonymous.get("/").text
        assert "<code>doi-thoai-2025</code>" in home and "<code>khong-chep</code>" in home
        # its own keys: the demo's admin key does not open it
        r = anonymous.get("/e/doi-thoai-2025/admin", params={"key": server.keys()["admin"]})
        assert r.status_code == 403

    # a copy: the programme and the lists, never the people; without copy, the plan's
    engine = prepare_database(replace(Settings(), database_url=server.database_url))
    copied = load_view(engine, "doi-thoai-2025", server.media_dir)
    blank = load_view(engine, "khong-chep", server.media_dir)
    demo = view_of(server)
    assert copied is not None and blank is not None
    assert [s.title for s in copied.steps] == [s.title for s in demo.steps]
    assert copied.lists == demo.lists
    assert (copied.delegates, copied.gifts, copied.questions) == ([], [], [])
    assert len(blank.steps) == 8 and all(not items for items in blank.lists.values())


def test_the_start_page_offers_the_new_conference_form_to_an_admin(server):
    with browser(server, "admin") as admin:
        home = admin.get("/")
        assert home.status_code == 200
        assert 'action="/conferences"' in home.text and '<option value="demo"' in home.text
