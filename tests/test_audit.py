"""The audit log page and its exports, and the projector frames the replay plays."""

import csv
import io
import time

import openpyxl
import pytest
from starlette.testclient import TestClient

from live.app import create_app


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as c:
        yield c


def command(client, keys, role, name, args=None):
    r = client.post(
        "/api/e/demo/commands",
        json={"command": name, "args": args or {}},
        headers={"Authorization": f"Bearer {keys[role]}"},
    )
    assert r.status_code == 200, r.text
    return r.json()["seq"]


def frames(client, keys):
    r = client.get("/api/e/demo/frames", headers={"Authorization": f"Bearer {keys['admin']}"})
    assert r.status_code == 200
    return r.json()["frames"]


def wait_frames(client, keys, count):
    deadline = time.monotonic() + 5
    while len(found := frames(client, keys)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def table(page: str) -> str:
    return page.split("<tbody>")[1]


def a_day(client, keys):
    command(client, keys, "checkin", "delegate.checkin", {"code": "DB0001", "desk": 1})
    command(client, keys, "mc", "step.next")
    command(client, keys, "mc", "projector.mode", {"mode": "hold"})
    command(client, keys, "checkin", "delegate.checkin", {"code": "DB0002", "desk": 3})
    command(client, keys, "mc", "projector.mode", {"mode": "live"})


def test_the_audit_page_lists_filters_and_pages(client, keys):
    a_day(client, keys)
    assert client.get("/e/demo/audit").status_code == 403  # admin only
    client.get(f"/e/demo/mc?key={keys['mc']}")
    assert client.get("/e/demo/audit").status_code == 403  # the MC's key is not enough
    client.get(f"/e/demo/admin?key={keys['admin']}")
    page = client.get("/e/demo/audit").text
    assert "5 lệnh" in page
    rows = table(page)
    assert rows.index("projector.mode") < rows.index("step.next")  # newest first
    assert "Bàn đón tiếp" in rows and "DB0002" in rows
    only_desk = client.get("/e/demo/audit?role=checkin").text
    assert "2 lệnh" in only_desk and "step.next" not in table(only_desk)
    family = client.get("/e/demo/audit?command=projector.").text
    assert "2 lệnh" in family and "delegate.checkin" not in table(family)
    words = client.get("/e/demo/audit", params={"q": "DB0002"}).text
    assert "1 lệnh" in words and "DB0001" not in table(words)
    hostile = client.get("/e/demo/audit", params={"q": "<script>x</script>", "page": "99999"})
    assert hostile.status_code == 200 and "<script>x" not in hostile.text


def test_the_exports_take_the_same_filter(client, keys):
    a_day(client, keys)
    auth = {"Authorization": f"Bearer {keys['admin']}"}
    assert client.get("/api/e/demo/audit.xlsx").status_code == 401
    bearer_mc = {"Authorization": f"Bearer {keys['mc']}"}
    assert client.get("/api/e/demo/audit.xlsx", headers=bearer_mc).status_code == 403
    assert client.get("/api/e/demo/audit.pdf", headers=auth).status_code == 404
    r = client.get("/api/e/demo/audit.xlsx", params={"role": "checkin"}, headers=auth)
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Số", "Thời gian", "Vai trò", "Lệnh", "Nội dung")
    assert [(row[0], row[2], row[3]) for row in rows[1:]] == [
        (4, "Bàn đón tiếp", "delegate.checkin"),
        (1, "Bàn đón tiếp", "delegate.checkin"),
    ]
    assert "desk: 3" in rows[1][4]
    text = client.get("/api/e/demo/audit.csv", headers=auth).content.decode("utf-8-sig")
    assert [row[3] for row in csv.reader(io.StringIO(text))][1:] == [
        "projector.mode",
        "delegate.checkin",
        "projector.mode",
        "step.next",
        "delegate.checkin",
    ]


def pushed(client, seq):
    """Until the hub has pushed (and kept the frame of) the commit `seq`."""
    channel = client.app.state.live.hub.channels["demo"]
    deadline = time.monotonic() + 5
    while (channel.seq or 0) < seq and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)  # the frame is written just after the push


def test_a_frame_is_kept_when_the_projector_changes_and_only_then(client, keys):
    first = wait_frames(client, keys, 1)  # the start: the welcome banner
    assert len(first) == 1 and 'data-mode="welcome"' in first[0]["regions"]["projector-stage"]
    # One command at a time, each pushed before the next (quicker ones fold: see below).
    for role, name, args in [
        ("checkin", "delegate.checkin", {"code": "DB0001", "desk": 1}),
        ("mc", "step.next", {}),
        ("mc", "projector.mode", {"mode": "hold"}),
        ("checkin", "delegate.checkin", {"code": "DB0002", "desk": 3}),
        ("mc", "projector.mode", {"mode": "live"}),
    ]:
        pushed(client, command(client, keys, role, name, args))
    kept = wait_frames(client, keys, 4)
    # Check-ins change nothing on the projector: banner, step 1, hold, step 1 again.
    assert [f["type"] for f in kept] == ["", "step.next", "projector.mode", "projector.mode"]
    assert [f["seq"] for f in kept] == [0, 2, 3, 5]
    assert 'data-mode="hold"' in kept[2]["regions"]["projector-stage"]
    assert 'data-position="1"' in kept[3]["regions"]["projector-stage"]
    assert client.get("/api/e/demo/frames").status_code == 401


def test_commits_folded_into_one_push_make_one_frame_tagged_with_the_last(client, keys):
    """Commands quicker than the publisher fold into one push, and so into one frame: the
    replay shows what the hall saw, which never included the in-between pictures."""
    wait_frames(client, keys, 1)
    live = client.app.state.live
    from live.commands import execute

    # Two commits published together, as when they land while a push is being rendered.
    first = execute(live.engine, "demo", "mc", "step.next")
    second = execute(live.engine, "demo", "mc", "projector.mode", {"mode": "hold"})
    from live.bus import Commit

    def publish_both() -> None:  # in one turn of the server's event loop
        for o in (first, second):
            live.bus.publish(Commit("demo", o.seq, o.effects))

    client.portal.call(publish_both)
    pushed(client, second.seq)
    kept = wait_frames(client, keys, 2)
    assert [f["seq"] for f in kept] == [0, second.seq]
    assert kept[1]["type"] == "projector.mode"
    assert 'data-mode="hold"' in kept[1]["regions"]["projector-stage"]
