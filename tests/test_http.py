"""Pages, role links and the HTTP API, in process (Starlette's TestClient)."""

import re

import pytest
from starlette.testclient import TestClient

from live.app import create_app


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as c:
        yield c


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_role_link_sets_a_signed_httponly_cookie_and_redirects_to_the_clean_url(client, keys):
    r = client.get(f"/e/demo/mc?key={keys['mc']}")
    assert r.status_code == 303
    assert r.headers["location"] == "/e/demo/mc"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = client.get("/e/demo/mc")
    assert page.status_code == 200
    assert "Màn chào mừng" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_wrong_key_gets_a_clear_page(client):
    r = client.get("/e/demo/mc?key=not-a-key")
    assert r.status_code == 403
    assert "Liên kết không hợp lệ" in r.text
    assert "Traceback" not in r.text


def test_no_cookie_no_screen(client):
    r = client.get("/e/demo/projector")
    assert r.status_code == 403
    assert "Cần liên kết truy cập" in r.text


def test_projector_key_opens_only_the_projector(client, keys):
    assert client.get(f"/e/demo/projector?key={keys['projector']}").status_code == 303
    assert client.get("/e/demo/projector").status_code == 200
    r = client.get(f"/e/demo/mc?key={keys['projector']}")
    assert r.status_code == 403
    assert "dành cho màn hình khác" in r.text
    assert client.get("/e/demo/mc").status_code == 403


def test_a_key_of_one_conference_does_not_open_another(client, keys):
    r = client.get(f"/e/other/mc?key={keys['mc']}")
    assert r.status_code == 404
    assert "Không tìm thấy hội nghị" in r.text


def test_unknown_pages_are_vietnamese_not_tracebacks(client):
    r = client.get("/e/demo/nothing")
    assert r.status_code == 404 and "Không có màn hình" in r.text
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "Không tìm thấy" in r.text


def test_api_state_needs_a_key(client, keys):
    assert client.get("/api/e/demo/state").status_code == 401
    r = client.get("/api/e/demo/state", headers=bearer(keys["projector"]))
    assert r.status_code == 200
    body = r.json()
    assert body["position"] == 0 and body["seq"] == 0 and body["step"] is None
    assert body["steps"] == 8 and body["projector_mode"] == "live"


def test_api_commands(client, keys):
    r = client.post(
        "/api/e/demo/commands", json={"command": "step.next"}, headers=bearer(keys["mc"])
    )
    assert r.status_code == 200
    assert r.json()["seq"] == 1
    state = client.get("/api/e/demo/state", headers=bearer(keys["mc"])).json()
    assert state["position"] == 1 and state["timer"]["running"]
    assert state["step"]["title"].startswith("Tuyên bố lý do")

    r = client.post(
        "/api/e/demo/commands",
        json={"command": "step.goto", "args": {"position": 42}},
        headers=bearer(keys["mc"]),
    )
    assert r.status_code == 400
    assert r.json() == {
        "ok": False,
        "code": "out_of_range",
        "message": "«position» phải trong khoảng 0…8.",
        "fields": [
            {
                "field": "position",
                "code": "out_of_range",
                "message": "«position» phải trong khoảng 0…8.",
            }
        ],
    }


@pytest.mark.parametrize(
    ("body", "role", "status", "code"),
    [
        ({"command": "step.next"}, "projector", 403, "forbidden"),
        ({"command": "step.next"}, "moderator", 403, "forbidden"),
        ({"command": "nope"}, "mc", 404, "unknown_command"),
        ({"args": {}}, "mc", 400, "bad_json"),
        ([1, 2], "mc", 400, "bad_json"),
        ({"command": "step.goto", "args": "3"}, "mc", 400, "bad_args"),
    ],
)
def test_api_refusals(client, keys, body, role, status, code):
    r = client.post("/api/e/demo/commands", json=body, headers=bearer(keys[role]))
    assert r.status_code == status
    assert r.json()["code"] == code


def test_api_rejects_bad_json_and_wrong_keys(client, keys):
    r = client.post("/api/e/demo/commands", content=b"{oops", headers=bearer(keys["mc"]))
    assert r.status_code == 400 and r.json()["code"] == "bad_json"
    r = client.post("/api/e/demo/commands", json={"command": "step.next"}, headers=bearer("x"))
    assert r.status_code == 401


def test_cookie_alone_cannot_post_from_another_site(client, keys):
    client.get(f"/e/demo/mc?key={keys['mc']}")
    r = client.post(
        "/api/e/demo/commands",
        json={"command": "step.next"},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 401
    r = client.post("/api/e/demo/commands", json={"command": "step.next"})  # no Origin
    assert r.status_code == 401
    r = client.post(
        "/api/e/demo/commands",
        json={"command": "step.next"},
        headers={"Origin": "http://testserver"},
    )
    assert r.status_code == 200


WEBM = b"\x1a\x45\xdf\xa3" + b"webm-bytes"  # the EBML signature, then anything


def test_video_upload_checks_type_and_role_then_becomes_the_steps_media(client, keys, settings):
    url = "/api/e/demo/steps/3/media"
    files = {"file": ("notes.txt", b"hello", "text/plain")}
    r = client.post(url, files=files, headers=bearer(keys["mc"]))
    assert r.status_code == 415 and r.json()["code"] == "bad_type"
    r = client.post(
        url, files={"file": ("v.webm", b"x", "video/webm")}, headers=bearer(keys["projector"])
    )
    assert r.status_code == 403
    r = client.post(
        "/api/e/demo/steps/99/media", files={"file": ("v.webm", WEBM)}, headers=bearer(keys["mc"])
    )
    assert r.status_code == 400
    # Named .webm, but not a video: refused by its first bytes.
    r = client.post(
        url, files={"file": ("v.webm", b"<html>not a video")}, headers=bearer(keys["mc"])
    )
    assert r.status_code == 415 and r.json()["code"] == "bad_type"
    assert list(settings.media_dir.iterdir()) == []  # a refused upload leaves no file behind
    r = client.post(
        url,
        files={"file": ("Phóng sự.webm", WEBM, "video/webm")},
        headers=bearer(keys["mc"]),
    )
    assert r.status_code == 200
    media = r.json()["media"]
    assert media.startswith("uploads/") and media.endswith(".webm")
    assert client.get("/" + media).content == WEBM
    mp4 = b"\x00\x00\x00\x18ftypmp42" + bytes(16)
    r = client.post(url, files={"file": ("clip.mp4", mp4)}, headers=bearer(keys["mc"]))
    assert r.status_code == 200


def test_video_upload_size_limit(client, keys, settings):
    from dataclasses import replace

    client.app.state.live.settings = replace(settings, max_upload_mb=1)
    big = b"0" * (1024 * 1024 + 10)
    r = client.post(
        "/api/e/demo/steps/3/media", files={"file": ("v.mp4", big)}, headers=bearer(keys["mc"])
    )
    assert r.status_code == 413


def test_missing_video_shows_on_the_mc_not_as_a_broken_player(client, keys):
    for command in (
        {"command": "step.media", "args": {"position": 3, "media": "uploads/missing.webm"}},
        {"command": "step.goto", "args": {"position": 3}},
    ):
        assert (
            client.post(
                "/api/e/demo/commands", json=command, headers=bearer(keys["mc"])
            ).status_code
            == 200
        )
    client.get(f"/e/demo/mc?key={keys['mc']}")
    mc = client.get("/e/demo/mc").text
    assert "Không tìm thấy tệp video «uploads/missing.webm»" in mc
    client.get(f"/e/demo/projector?key={keys['projector']}")
    projector = client.get("/e/demo/projector").text
    assert "<video" not in projector
    assert "step-card-title" in projector


def test_admin_screen_lists_role_links_with_qr_codes(client, keys):
    assert client.get(f"/e/demo/admin?key={keys['mc']}").status_code == 403
    assert client.get(f"/e/demo/admin?key={keys['admin']}").status_code == 303
    page = client.get("/e/demo/admin").text
    for role in ("mc", "projector", "moderator", "mic"):
        assert f"key={keys[role]}" in page
    assert "/e/demo/mic/4?key=" in page
    assert "/e/demo/ask" in page
    # The public form's QR code in the page; each screen link's code drawn when scrolled to.
    assert page.count("<svg") == 1
    qr = re.findall(r'<img class="qr" src="(/e/demo/qr/[^"]+)"', page)
    assert len(qr) == 13  # mc, projector, moderator, 4 runners, secretary 2, check-in 2, admin 2
    assert "/e/demo/qr/mic/mic/4" in qr
    svg = client.get("/e/demo/qr/mic/mic/4")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.startswith("<?xml") and "<svg" in svg.text
    assert svg.headers["cache-control"] == "no-store"  # it carries a key
    assert client.get("/e/demo/qr/mic/mic/9").status_code == 404
    assert client.get("/e/demo/qr/mc/admin").status_code == 404  # not a link of the MC
    # One "change key" button per role with a screen, none for the admin's own key.
    assert page.count('data-command="role.rotate"') == 6  # checkin now has screens
    assert '"role": "admin"' not in page
    assert "Thư ký — theo dõi nhiệm vụ" in page and "Quản trị — màn hình MC" in page


def test_the_question_form_is_read_once_and_follows_the_admins_edits(client, keys):
    """The form's title and units are kept between phones, and forgotten when the admin
    changes them (a commit touching the conference's setup or the lists)."""
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    live = client.app.state.live
    assert client.get("/e/demo/ask").status_code == 200
    kept = live.derived["demo"]["ask_form"]
    assert client.get("/e/demo/ask").status_code == 200
    assert live.derived["demo"]["ask_form"] is kept  # not read again
    r = client.post(
        "/api/e/demo/commands",
        json={"command": "step.next", "args": {}},
        headers={"Authorization": f"Bearer {keys['mc']}"},
    )
    assert r.status_code == 200
    assert live.derived["demo"].get("ask_form") is kept  # the stage is not the form's
    for command, args, expected in (
        (
            "conference.edit",
            {"title": "Hội nghị đối thoại năm 2025"},
            "Hội nghị đối thoại năm 2025",
        ),
        (
            "list.add",
            {"kind": "unit", "name": "Công đoàn Khu kinh tế mới"},
            "Công đoàn Khu kinh tế mới",
        ),
    ):
        r = client.post(
            "/api/e/demo/commands", json={"command": command, "args": args}, headers=admin
        )
        assert r.status_code == 200, r.text
        assert expected in client.get("/e/demo/ask").text
