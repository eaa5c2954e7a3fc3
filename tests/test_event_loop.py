"""No database call on the event loop (issue 16): with several workers and a database across
a network, one statement run on the loop stalls every socket of that worker. Every SQL
statement is watched while the pages, the API, a download, the question form and a
screen's socket are used; a statement whose thread is running the event loop fails the
test, naming the statement."""

from __future__ import annotations

import asyncio
import json
import traceback
from typing import Any

from sqlalchemy import event
from starlette.testclient import TestClient

from live.app import create_app
from live.auth import role_keys
from live.settings import Settings


def on_the_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_no_statement_runs_on_the_event_loop(settings: Settings) -> None:
    app = create_app(settings)
    engine = app.state.live.engine
    keys = role_keys(engine, "demo")
    seen: list[str] = []
    watched = {"statements": 0}

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        watched["statements"] += 1
        if on_the_loop():
            # Where it came from: the innermost frames of this project's own code.
            ours = [f for f in traceback.extract_stack() if "/live/" in f.filename]
            where = " < ".join(
                f"{f.name} ({f.filename.rsplit('/', 1)[1]}:{f.lineno})" for f in reversed(ours[-4:])
            )
            seen.append(f"{statement[:80]} … from {where}")

    event.listen(engine, "before_cursor_execute", before)
    bearer = {"Authorization": f"Bearer {keys['admin']}"}
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/").status_code == 200
        for screen in ("mc", "projector", "moderator", "secretary", "checkin", "admin"):
            role = "moderator" if screen == "moderator" else screen
            r = client.get(f"/e/demo/{screen}?key={keys[role]}", follow_redirects=True)
            assert r.status_code == 200, (screen, r.status_code)
        for path in ("/e/demo/notice", "/e/demo/audit", "/e/demo/ask", "/e/demo/print/badges"):
            assert client.get(path).status_code == 200, path
        assert client.get("/api/e/demo/state", headers=bearer).status_code == 200
        r = client.post(
            "/api/e/demo/commands", json={"command": "step.next", "args": {}}, headers=bearer
        )
        assert r.status_code == 200, r.text
        assert client.get("/api/e/demo/minutes.xlsx", headers=bearer).status_code == 200
        assert client.get("/api/e/demo/audit.csv", headers=bearer).status_code == 200
        wrong = client.get("/api/e/demo/state", headers={"Authorization": "Bearer wrong"})
        assert wrong.status_code == 401
        with client.websocket_connect(f"/ws/e/demo?screen=mc&key={keys['mc']}") as ws:
            assert ws.receive_json()["type"] == "snapshot"
            ws.send_text(json.dumps({"type": "command", "id": 1, "command": "step.next"}))
            message = ws.receive_json()
            while message.get("type") != "result":
                message = ws.receive_json()
            assert message["ok"], message
    event.remove(engine, "before_cursor_execute", before)
    assert watched["statements"] > 20  # the watch saw the requests' reads
    assert not seen, "statements on the event loop:\n" + "\n".join(seen)
