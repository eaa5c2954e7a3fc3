"""The websocket endpoint, against a real uvicorn process."""

import json

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect


def open_screen(server, screen="projector", role=None, **params):
    key = server.keys()[role or screen]
    query = "&".join(f"{k}={v}" for k, v in {"screen": screen, "key": key, **params}.items())
    return connect(f"{server.ws_url}/ws/e/demo?{query}", open_timeout=5)


def receive(ws, timeout=5.0) -> dict:
    return json.loads(ws.recv(timeout=timeout))


def receive_until(ws, predicate, timeout=5.0) -> dict:
    while True:
        message = receive(ws, timeout)
        if predicate(message):
            return message


def is_step_patch(message) -> bool:
    return message["type"] == "patch" and message["seq"] != message["prev"]


def test_two_screens_one_command_same_seq(server):
    with open_screen(server, "mc") as mc, open_screen(server, "projector") as projector:
        snap_mc, snap_pj = receive(mc), receive(projector)
        assert snap_mc["type"] == snap_pj["type"] == "snapshot"
        assert snap_mc["seq"] == snap_pj["seq"] == 0
        assert set(snap_mc["regions"]) >= {"mc-current", "mc-timer", "mc-next", "mc-agenda"}
        assert "NHIỆT LIỆT CHÀO MỪNG" in snap_pj["regions"]["projector-stage"]

        r = server.command("step.next")
        assert r.status_code == 200
        seq = r.json()["seq"]

        patch_mc = receive_until(mc, is_step_patch)
        patch_pj = receive_until(projector, is_step_patch)
        assert patch_mc["seq"] == patch_pj["seq"] == seq == 1
        assert patch_mc["prev"] == patch_pj["prev"] == 0
        assert "Tuyên bố lý do" in patch_pj["regions"]["projector-stage"]
        assert "Tuyên bố lý do" in patch_mc["regions"]["mc-current"]
        # Only what changed is sent: the projector's hidden media state did not.
        assert "projector-media" not in patch_pj["regions"]


def test_reconnect_with_an_old_seq_gets_a_snapshot(server):
    with open_screen(server) as ws:
        assert receive(ws)["seq"] == 0
    for _ in range(2):
        server.command("step.next")
    with open_screen(server, seq=0, epoch="old") as ws:
        snap = receive(ws)
        assert snap["type"] == "snapshot" and snap["seq"] == 2
        assert "step-card-title" in snap["regions"]["projector-stage"]


def test_snapshot_on_request_after_a_gap(server):
    with open_screen(server, "mc") as ws:
        receive(ws)
        ws.send(json.dumps({"type": "snapshot"}))
        assert receive_until(ws, lambda m: m["type"] == "snapshot")["seq"] == 0


@pytest.mark.parametrize(
    ("screen", "key", "headers"),
    [
        ("mc", "wrong-key", {}),
        ("mc", "", {}),
        ("mc", "projector", {}),  # the projector's key cannot drive the MC screen
        ("secret-screen", "mc", {}),
        ("mc", "mc", {"Origin": "http://evil.example"}),
    ],
)
def test_refused_subscriptions(server, screen, key, headers):
    real = server.keys().get(key, key)
    url = f"{server.ws_url}/ws/e/demo?screen={screen}&key={real}"
    with pytest.raises(InvalidStatus) as e:
        connect(url, additional_headers=headers, open_timeout=5)
    assert e.value.response.status_code == 403


def test_commands_over_the_socket_are_checked_per_role(server):
    with open_screen(server, "mc") as mc, open_screen(server, "projector") as projector:
        receive(mc), receive(projector)
        mc.send(
            json.dumps(
                {"type": "command", "id": 7, "command": "step.goto", "args": {"position": 4}}
            )
        )
        result = receive_until(mc, lambda m: m["type"] == "result")
        assert {k: result[k] for k in ("type", "id", "ok", "seq")} == {
            "type": "result",
            "id": 7,
            "ok": True,
            "seq": 1,
        }
        assert result["result"]["to"] == 4  # what the event log recorded
        projector.send(json.dumps({"type": "command", "id": 1, "command": "step.next"}))
        refused = receive_until(projector, lambda m: m["type"] == "result")
        assert refused["ok"] is False and refused["code"] == "forbidden"
        mc.send(
            json.dumps(
                {"type": "command", "id": 8, "command": "step.goto", "args": {"position": 99}}
            )
        )
        refused = receive_until(mc, lambda m: m["type"] == "result")
        assert refused["code"] == "out_of_range" and "0…8" in refused["message"]


def test_malformed_frames_are_answered_and_the_socket_lives_on(server):
    with open_screen(server, "mc") as ws:
        receive(ws)
        for frame in ("not json", "[1,2]", '{"type": "dance"}', b"\x00\x01binary", "x" * 20_000):
            ws.send(frame)
            error = receive_until(ws, lambda m: m["type"] == "error")
            assert error["code"] == "bad_frame"
        ws.send(json.dumps({"type": "ping", "t": 1.5}))
        pong = receive_until(ws, lambda m: m["type"] == "pong")
        assert pong["t"] == 1.5 and pong["server"] > 1e9


def test_an_oversized_frame_closes_only_that_socket(server):
    with open_screen(server, "mc") as ws:
        receive(ws)
        ws.send("x" * 200_000)
        with pytest.raises(ConnectionClosed) as e:
            while True:
                ws.recv(timeout=5)
        assert e.value.rcvd is not None and e.value.rcvd.code == 1009
    with open_screen(server, "mc") as ws:  # the server is fine
        assert receive(ws)["type"] == "snapshot"


def test_presence_counts_reach_the_mc(server):
    with open_screen(server, "mc") as mc:
        snap = receive(mc)
        assert "Màn chiếu chưa kết nối" in snap["regions"]["mc-bar"]
        with open_screen(server, "projector"):
            patch = receive_until(
                mc, lambda m: "Màn chiếu: 1" in m.get("regions", {}).get("mc-bar", "")
            )
            assert "chưa kết nối" not in patch["regions"]["mc-bar"]
            assert patch["prev"] == patch["seq"] == snap["seq"]


def test_rotating_a_key_closes_that_roles_screens_only(server):
    old_projector_key = server.keys()["projector"]
    with open_screen(server, "projector") as projector, open_screen(server, "mc") as mc:
        receive(projector), receive(mc)
        r = server.command("role.rotate", {"role": "projector"}, role="admin")
        # the admin is answered the new key (the event log keeps only the role)
        assert r.status_code == 200 and r.json()["result"]["key"] == server.keys()["projector"]
        with pytest.raises(ConnectionClosed) as e:
            while True:
                projector.recv(timeout=5)
        assert e.value.rcvd is not None and e.value.rcvd.code == 4403
        assert server.command("step.next").status_code == 200  # the MC's screen keeps going
        patch = receive_until(mc, lambda m: is_step_patch(m) and "mc-current" in m["regions"])
        assert "Tuyên bố lý do" in patch["regions"]["mc-current"]
    with pytest.raises(InvalidStatus):
        connect(
            f"{server.ws_url}/ws/e/demo?screen=projector&key={old_projector_key}", open_timeout=5
        )


def test_a_command_that_fails_unexpectedly_answers_and_keeps_the_socket(
    settings, keys, monkeypatch, caplog
):
    """A bug in a command (here: a handler that raises) is answered with server_error,
    logged as an error with its traceback, and the screen's socket goes on working."""
    from starlette.testclient import TestClient

    from live.app import create_app
    from live.commands import COMMANDS, Command

    def broken(ctx):
        raise RuntimeError("a bug")

    original = COMMANDS["timer.pause"]
    monkeypatch.setitem(
        COMMANDS, "timer.pause", Command("timer.pause", original.roles, original.summary, broken)
    )
    with (
        TestClient(create_app(settings)) as client,
        client.websocket_connect(f"/ws/e/demo?screen=mc&key={keys['mc']}") as ws,
    ):
        assert ws.receive_json()["type"] == "snapshot"
        ws.send_json({"type": "command", "id": 1, "command": "timer.pause"})
        answer = next(m for m in iter(ws.receive_json, None) if m["type"] == "result")
        assert answer == {
            "type": "result",
            "id": 1,
            "ok": False,
            "code": "server_error",
            "message": "Lỗi máy chủ. Thao tác chưa được ghi nhận.",
        }
        ws.send_json({"type": "command", "id": 2, "command": "step.next"})
        answer = next(m for m in iter(ws.receive_json, None) if m["type"] == "result")
        assert answer["id"] == 2 and answer["ok"] is True
    failures = [
        r for r in caplog.records if r.levelname == "ERROR" and "timer.pause" in r.getMessage()
    ]
    assert failures and failures[0].exc_info is not None


def test_a_page_built_from_the_hubs_regions_gets_an_empty_first_snapshot(server):
    """A page opened while screens of its kind are live shows the regions the hub last
    sent them, and names that drawing; when it is still current on connect, the snapshot
    carries the seq only (the page is not sent twice). Any change in between: whole."""
    import re

    import httpx

    key = server.keys()["moderator"]
    with open_screen(server, "moderator") as first:
        receive(first)

        def page_drawing() -> tuple[str, int]:
            page = httpx.get(f"{server.url}/e/demo/moderator?key={key}", follow_redirects=True).text
            drawing = re.search(r'data-drawing="([^"]+)"', page)
            seq = re.search(r'data-seq="(\d+)"', page)
            assert drawing and seq, page[:500]
            return drawing[1], int(seq[1])

        drawing, seq = page_drawing()
        with open_screen(server, "moderator", drawing=drawing) as second:
            snap = receive(second)
            assert snap["type"] == "snapshot" and snap["same"] is True
            assert snap["seq"] == seq and "regions" not in snap and "lists" not in snap
            r = server.command(
                "question.add", {"text": "Câu hỏi mới", "asker_name": "A"}, "moderator"
            )
            patch = receive_until(
                second, lambda m: m["type"] == "patch" and m["seq"] == r.json()["seq"]
            )
            assert patch["prev"] == seq and patch["lists"]["mod-queue"][0][0] == "insert"

        # The page is older than what the hub holds now: its screen gets everything.
        with open_screen(server, "moderator", drawing=drawing) as third:
            snap = receive(third)
            assert "same" not in snap and len(snap["lists"]["mod-queue"]) == 41
