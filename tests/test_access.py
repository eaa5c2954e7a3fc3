"""Who may do what, against one real server: every command × every role and every kind of
bad key, the screens, print pages, downloads and uploads by role, the role cookie (HttpOnly,
SameSite=Lax, signed) and the Origin checks of the API and the websocket.

One uvicorn process serves the whole module (real HTTP: the Origin check compares the
browser's Origin with the Host header, the cookie jar is a real one): measured ~4 ms a
refused command there against ~11 ms through Starlette's TestClient. The server answers 429
to an address that sent 30 wrong keys within a minute, so every deliberately wrong key here
comes from a loopback address of its own batch (127.1.x.y, see `Strangers`).

The expected tables are written out by hand on purpose: a change to who may use a command
or open a screen must be a change here too.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import ssl
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from live import access
from live.access import ROLES
from live.app import prepare_database
from live.auth import role_keys
from live.commands import COMMANDS
from live.settings import Settings
from tests.conftest import BACKENDS, Server

ALL = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
MISSING = 999_999  # an id no row has
NOT_AN_OBJECT = "not an object"  # args that are not a JSON object: 400 after the role check

# command -> (the roles that may send it, arguments every allowed role gets refused for
# without anything changing: a missing row, an out-of-range value, or a state that does
# not fit; commands that would succeed with any object get arguments that are no object).
EXPECTED: dict[str, tuple[frozenset[str], Any]] = {
    # access
    "role.rotate": (frozenset({"admin"}), {"role": "nobody"}),
    # the programme, timer, projector, video
    "step.next": (frozenset({"mc", "admin"}), NOT_AN_OBJECT),
    "step.previous": (frozenset({"mc", "admin"}), {}),  # 409 at_start
    "step.goto": (frozenset({"mc", "admin"}), {"position": 99}),
    "step.media": (frozenset({"mc", "admin"}), {"position": 99, "media": ""}),
    "timer.pause": (frozenset({"mc", "admin"}), NOT_AN_OBJECT),
    "timer.resume": (frozenset({"mc", "admin"}), {}),  # 409 not_started
    "timer.adjust": (frozenset({"mc", "admin"}), {"seconds": 99_999}),
    "timer.reset": (frozenset({"mc", "admin"}), {}),  # 409 not_started
    "projector.mode": (frozenset({"mc", "admin"}), {"mode": "disco"}),
    "video.play": (frozenset({"mc", "admin"}), {}),  # 409 no_video
    "video.pause": (frozenset({"mc", "admin"}), {}),
    "video.restart": (frozenset({"mc", "admin"}), {}),
    "video.ended": (frozenset({"projector", "admin"}), {"position": 3}),
    # the secretaries
    "answer.save": (frozenset({"secretary", "admin"}), {"question_id": MISSING, "base_version": 0}),
    "commitment.add": (frozenset({"secretary", "admin"}), {"question_id": MISSING, "task": "x"}),
    "commitment.edit": (frozenset({"secretary", "admin"}), {"id": MISSING, "base_version": 0}),
    "commitment.remove": (frozenset({"secretary", "admin"}), {"id": MISSING, "base_version": 0}),
    "commitment.status": (frozenset({"secretary", "admin"}), {"id": MISSING, "status": "done"}),
    "notice.edit": (frozenset({"secretary", "admin"}), {"key": "nope", "text": "x"}),
    "notice.issuer": (frozenset({"admin"}), {"parent": ""}),
    # the floor
    "question.add": (frozenset({"moderator", "admin"}), {"text": ""}),
    "question.submit": (NOBODY, {}),  # the public page's role `audience` only
    "question.edit": (frozenset({"moderator", "admin"}), {"id": MISSING, "text": "x"}),
    "question.approve": (frozenset({"moderator", "admin"}), {"id": MISSING}),
    "question.reject": (frozenset({"moderator", "admin"}), {"id": MISSING}),
    "question.merge": (frozenset({"moderator", "admin"}), {"id": MISSING, "into": MISSING - 1}),
    "question.internal": (frozenset({"moderator", "admin"}), {"id": MISSING, "internal": True}),
    "question.move": (frozenset({"moderator", "admin"}), {"id": MISSING, "to": "up"}),
    "question.requeue": (frozenset({"moderator", "admin"}), {"id": MISSING}),
    "question.assign": (frozenset({"moderator", "admin"}), {"id": MISSING, "mic": 1}),
    "question.live": (frozenset({"moderator", "admin"}), {"id": MISSING}),
    "question.answer": (frozenset({"moderator", "admin"}), {"id": MISSING}),
    "question.close": (frozenset({"moderator", "admin"}), {"id": MISSING, "outcome": "answered"}),
    "question.reopen": (frozenset({"moderator", "admin"}), {"id": MISSING}),
    "question.page": (frozenset({"moderator", "admin"}), {"id": MISSING, "page": 1}),
    "question.timer": (frozenset({"moderator", "admin"}), {"id": MISSING, "action": "pause"}),
    "floor.next": (frozenset({"moderator", "admin"}), NOT_AN_OBJECT),
    "floor.settings": (frozenset({"moderator", "admin"}), {"mic_count": 0}),
    "mc.message": (frozenset({"moderator", "admin"}), {"text": ""}),
    "mc.message_clear": (frozenset({"mc", "moderator", "admin"}), NOT_AN_OBJECT),
    "question.import": (frozenset({"moderator", "admin"}), {"rows": []}),
    # gifts
    "gift.add": (frozenset({"admin"}), {"name": ""}),
    "gift.import": (frozenset({"admin"}), {"rows": []}),
    "gift.edit": (frozenset({"admin"}), {"id": MISSING}),
    "gift.remove": (frozenset({"admin"}), {"id": MISSING}),
    "gift.move": (frozenset({"admin"}), {"id": MISSING, "to": 1}),
    "gift.batch_size": (frozenset({"mc", "admin"}), {"size": 0}),
    "gift.presenters": (frozenset({"mc", "admin"}), {"batch": 999, "presenters": "x"}),
    "gift.show": (frozenset({"mc", "admin"}), {"batch": 999}),
    "gift.handed": (frozenset({"checkin", "mc", "admin"}), {"id": MISSING}),
    # delegates and check-in
    "delegate.add": (frozenset({"checkin", "admin"}), {"name": ""}),
    "delegate.import": (frozenset({"admin"}), {"rows": []}),
    "delegate.edit": (frozenset({"checkin", "admin"}), {"id": MISSING}),
    "delegate.remove": (frozenset({"admin"}), {"id": MISSING}),
    "delegate.checkin": (frozenset({"checkin", "admin"}), {"id": MISSING, "desk": 1}),
    "delegate.checkin_undo": (frozenset({"checkin", "admin"}), {"id": MISSING}),
    "delegate.documents": (frozenset({"checkin", "admin"}), {"id": MISSING}),
    "seats.assign": (frozenset({"admin"}), {"rows": 0, "per_row": 10}),
    # preparing the conference
    "conference.edit": (frozenset({"admin"}), {"title": ""}),
    "conference.new": (frozenset({"admin"}), {"slug": "Không hợp lệ!", "title": "x"}),
    "step.add": (frozenset({"admin"}), {"kind": "party", "title": "x"}),
    "step.edit": (frozenset({"admin"}), {"position": 99}),
    "step.remove": (frozenset({"admin"}), {"position": 99}),
    "step.move": (frozenset({"admin"}), {"position": 99, "to": 1}),
    "list.add": (frozenset({"admin"}), {"kind": "nope", "name": "x"}),
    "list.edit": (frozenset({"admin"}), {"kind": "nope", "name": "x"}),
    "list.remove": (frozenset({"admin"}), {"kind": "nope", "name": "x"}),
    "list.move": (frozenset({"admin"}), {"kind": "nope", "name": "x", "to": 1}),
}

# Commands of roles that no key carries: the public question page sends this one.
PUBLIC = {"question.submit": {"audience"}}

# The screens' pages (/e/demo/<path>) and who opens them with a role cookie.
SCREEN_PAGES: dict[str, frozenset[str]] = {
    "mc": frozenset({"mc", "admin"}),
    "projector": frozenset({"projector", "mc", "admin"}),
    "moderator": frozenset({"moderator", "admin"}),
    "mic/1": frozenset({"mic", "moderator", "admin"}),
    "mic/8": frozenset({"mic", "moderator", "admin"}),
    "admin": frozenset({"admin"}),
    "secretary": frozenset({"secretary", "admin"}),
    "secretary/1": frozenset({"secretary", "admin"}),
    "followup": frozenset({"secretary", "admin"}),
    "checkin": frozenset({"checkin", "admin"}),
    "gifts": frozenset({"checkin", "mc", "admin"}),
}
# Pages that are not live screens: opened by a role link too (the printed links cover them).
OTHER_PAGES: dict[str, frozenset[str]] = {
    "notice": frozenset({"secretary", "admin"}),
    "print/badges": frozenset({"checkin", "admin"}),
    "print/placards": frozenset({"checkin", "admin"}),
    "print/seats": frozenset({"checkin", "admin"}),
    "print/gifts": frozenset({"checkin", "admin"}),
    "audit": frozenset({"admin"}),
    "replay": frozenset({"admin"}),
    "qr/mic/mic/2": frozenset({"admin"}),  # a role link's QR code, on the admin screen
}
# Socket screens (?screen=…) and the roles whose key opens them.
SOCKET_SCREENS: dict[str, frozenset[str]] = {
    "mc": frozenset({"mc", "admin"}),
    "projector": frozenset({"projector", "mc", "admin"}),
    "moderator": frozenset({"moderator", "admin"}),
    "mic:1": frozenset({"mic", "moderator", "admin"}),
    "admin": frozenset({"admin"}),
    "secretary": frozenset({"secretary", "admin"}),
    "secretary:1": frozenset({"secretary", "admin"}),
    "followup": frozenset({"secretary", "admin"}),
    "checkin": frozenset({"checkin", "admin"}),
    "gifts": frozenset({"checkin", "mc", "admin"}),
}
DOWNLOADS: dict[str, frozenset[str]] = {
    "notice.docx": frozenset({"secretary", "admin"}),
    "minutes.xlsx": frozenset({"secretary", "admin"}),
    "minutes.csv": frozenset({"secretary", "admin"}),
    "followup.xlsx": frozenset({"secretary", "admin"}),
    "audit.xlsx": frozenset({"admin"}),
    "audit.csv": frozenset({"admin"}),
    "frames": frozenset({"admin"}),  # the replay's frames (JSON, not a file to keep)
}
UPLOADS: dict[str, frozenset[str]] = {
    "steps/1/media": frozenset({"mc", "admin"}),
    "questions/import": frozenset({"moderator", "admin"}),
    "delegates/import": frozenset({"admin"}),
    "gifts/import": frozenset({"admin"}),
}
# The page each role's link opens (its first link in `live links`).
LINK = {
    "admin": "admin",
    "mc": "mc",
    "moderator": "moderator",
    "secretary": "secretary",
    "checkin": "checkin",
    "mic": "mic/1",
    "projector": "projector",
}
SOCKET_OF = {role: link.replace("/", ":") for role, link in LINK.items()}
COOKIE = "live_session"
# One TLS context for every client: httpx loads the certificate store per client otherwise
# (~0.1 s each), which dominated this module's runtime. Nothing here speaks TLS.
TLS = ssl.create_default_context()

EVIL = "http://evil.example"


def new_client(base_url: str, **kwargs: Any) -> httpx.Client:
    """A browser (its own cookie jar) that does not follow redirects."""
    return httpx.Client(base_url=base_url, follow_redirects=False, timeout=10, verify=TLS, **kwargs)


# --- the server and its callers ------------------------------------------------------------


class Strangers:
    """Where deliberately wrong keys come from: a new loopback address every BUDGET wrong
    keys, below the server's limit of 30 a minute per address (after which it answers 429 to
    anything from there, right keys included). Thread-safe; nothing here keeps cookies."""

    BUDGET = 20

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.used = 0  # wrong keys sent so far
        self.lock = threading.Lock()
        self.clients: dict[str, httpx.Client] = {}

    def address(self) -> str:
        """The source address for one more wrong key."""
        with self.lock:
            batch, self.used = self.used // self.BUDGET, self.used + 1
        return f"127.1.{batch // 250}.{batch % 250 + 1}"

    def client(self) -> httpx.Client:
        """A client for one more wrong key (its answers set no cookie: nothing is kept)."""
        address = self.address()
        with self.lock:
            if address not in self.clients:
                transport = httpx.HTTPTransport(local_address=address, verify=TLS)
                self.clients[address] = new_client(self.base_url, transport=transport)
            return self.clients[address]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


@dataclass
class World:
    """One server with two conferences, every role's key rotated once, and a cookie jar per
    role (current keys, old keys, the other conference's admin)."""

    server: Server
    keys: dict[str, str]  # demo's current keys
    old_keys: dict[str, str]  # demo's keys before the rotation
    foreign_keys: dict[str, str]  # the other conference's keys
    jars: dict[str, httpx.Client]  # role -> a browser holding that role's cookie
    old_jars: dict[str, httpx.Client]  # the same, opened before the rotation
    foreign_admin_jar: httpx.Client  # holds the other conference's admin cookie
    http: httpx.Client  # no cookies: for bearer keys
    strangers: Strangers  # for wrong keys

    @property
    def origin(self) -> str:
        return self.server.url

    def seqs(self) -> list[tuple[str, int]]:
        """Every conference with its seq, straight from the database (a refused command rolls
        its seq bump back; a new conference would be a new row)."""
        engine = sa.create_engine(self.server.database_url)
        try:
            with engine.connect() as db:
                rows = db.execute(sa.text("SELECT slug, seq FROM conference ORDER BY slug"))
                return [(slug, seq) for slug, seq in rows]
        finally:
            engine.dispose()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def cookie_client(server: Server, role: str, key: str) -> httpx.Client:
    """A browser that opened `role`'s link: the key is now in its signed cookie."""
    client = new_client(server.url)
    r = client.get(f"/e/demo/{LINK[role]}?key={key}")
    assert r.status_code == 303, (role, r.status_code)
    assert COOKIE in client.cookies
    return client


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("access")
    # The whole table on SQLite, then again on PostgreSQL (a seeded copy of its own).
    database = request.getfixturevalue("seeded_postgres")() if request.param == "postgresql" else ""
    server = Server(db_path=tmp / "live.db", media_dir=tmp / "media", database=database)
    with pytest.MonkeyPatch.context() as patch:  # polls without a new TLS context each time
        patch.setattr(httpx, "get", functools.partial(httpx.get, verify=TLS))
        server.start()
    clients: list[httpx.Client] = []
    try:
        engine = prepare_database(
            replace(Settings(), database_url=server.database_url, seed_demo=False)
        )
        old = role_keys(engine, "demo")
        http = new_client(server.url)
        clients.append(http)
        # Screens opened before the rotation: their cookies hold the old keys.
        old_jars = {role: cookie_client(server, role, old[role]) for role in ROLES}
        clients += old_jars.values()
        r = http.post(
            "/api/e/demo/commands",
            json={"command": "conference.new", "args": {"slug": "other", "title": "Hội nghị khác"}},
            headers=bearer(old["admin"]),
        )
        assert r.status_code == 200, r.text
        for rotated in [r for r in ROLES if r != "admin"] + ["admin"]:  # the admin's own last
            r = http.post(
                "/api/e/demo/commands",
                json={"command": "role.rotate", "args": {"role": rotated}},
                headers=bearer(old["admin"]),
            )
            assert r.status_code == 200, r.text
        keys = role_keys(engine, "demo")
        foreign = role_keys(engine, "other")
        assert set(keys) == set(old) == set(foreign) == ALL
        assert not set(keys.values()) & set(old.values())
        jars = {role: cookie_client(server, role, keys[role]) for role in ROLES}
        clients += jars.values()
        foreign_jar = new_client(server.url)
        clients.append(foreign_jar)
        assert foreign_jar.get(f"/e/other/admin?key={foreign['admin']}").status_code == 303
        engine.dispose()
        strangers = Strangers(server.url)
        yield World(server, keys, old, foreign, jars, old_jars, foreign_jar, http, strangers)
        strangers.close()
    finally:
        for client in clients:
            client.close()
        server.stop()
        if database:
            request.getfixturevalue("postgres").drop(database)


# --- who sends a command, and what they should get --------------------------------------------


@dataclass(frozen=True)
class Caller:
    label: str
    role: str | None  # the role the server should see, None = must be refused 401
    send: Callable[[World, dict[str, Any]], httpx.Response]


def by_bearer(label: str, role: str | None, pick: Callable[[World], str]) -> Caller:
    def send(w: World, body: dict[str, Any]) -> httpx.Response:
        client = w.http if role else w.strangers.client()
        return client.post("/api/e/demo/commands", json=body, headers=bearer(pick(w)))

    return Caller(label, role, send)


def by_cookie(
    label: str,
    role: str | None,
    jar: Callable[[World], httpx.Client],
    origin: Callable[[World], str | None],
) -> Caller:
    def send(w: World, body: dict[str, Any]) -> httpx.Response:
        o = origin(w)
        return jar(w).post("/api/e/demo/commands", json=body, headers={"Origin": o} if o else {})

    return Caller(label, role, send)


def raw(label: str, headers: dict[str, str]) -> Caller:
    def send(w: World, body: dict[str, Any]) -> httpx.Response:
        return w.strangers.client().post("/api/e/demo/commands", json=body, headers=headers)

    return Caller(label, None, send)


def same_origin(w: World) -> str:
    return w.origin


CALLERS: list[Caller] = [
    *(by_bearer(f"bearer {r}", r, lambda w, r=r: w.keys[r]) for r in ROLES),
    *(by_cookie(f"cookie {r}", r, lambda w, r=r: w.jars[r], same_origin) for r in ROLES),
    raw("no key", {}),
    raw("wrong key", bearer("not-a-key")),
    # Every role's key was rotated and every old key is refused (test_state_needs_…); here
    # the strongest ones, against every command.
    by_bearer("rotated admin key", None, lambda w: w.old_keys["admin"]),
    by_bearer("other conference's admin key", None, lambda w: w.foreign_keys["admin"]),
    by_cookie("rotated admin cookie", None, lambda w: w.old_jars["admin"], same_origin),
    by_cookie("other conference's admin cookie", None, lambda w: w.foreign_admin_jar, same_origin),
    by_cookie("admin cookie, no Origin", None, lambda w: w.jars["admin"], lambda w: None),
    by_cookie("admin cookie, foreign Origin", None, lambda w: w.jars["admin"], lambda w: EVIL),
]


def verdict(status: int, code: str | None, role: str | None, allowed: frozenset[str]) -> str:
    """'' when the answer is the expected one, else what is wrong with it."""
    if role is None:
        return "" if (status, code) == (401, "unauthorized") else "expected 401 unauthorized"
    if role not in allowed:
        return "" if (status, code) == (403, "forbidden") else "expected 403 forbidden"
    if status in (400, 404, 409) and code not in ("unauthorized", "forbidden"):
        return ""
    return "expected a refusal of the arguments (400/404/409), not of the caller"


def test_the_table_names_every_command_exactly():
    missing = sorted(set(COMMANDS) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(COMMANDS))
    assert not missing and not stale, f"add to EXPECTED: {missing}; remove: {stale}"
    for name, (allowed, _) in EXPECTED.items():
        assert allowed <= ALL, name


def test_the_table_matches_the_commands_roles():
    """The table is the specification; a command whose roles changed fails here until the
    table (and docs/api.md) says so too. Only the public page's command has a role no key
    carries."""
    differ = {
        name: {"table": sorted(allowed), "code": sorted(COMMANDS[name].roles)}
        for name, (allowed, _) in EXPECTED.items()
        if name in COMMANDS and COMMANDS[name].roles - PUBLIC.get(name, set()) != allowed
    }
    assert not differ
    assert {n: c.roles - ALL for n, c in COMMANDS.items() if c.roles - ALL} == PUBLIC


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_command_access_matrix(world: World, name: str):
    allowed, args = EXPECTED[name]
    body = {"command": name, "args": args}
    before = world.seqs()
    with ThreadPoolExecutor(max_workers=4) as pool:  # ~2× faster than one at a time
        answers = list(pool.map(lambda caller: caller.send(world, body), CALLERS))
    wrong = []
    for caller, r in zip(CALLERS, answers, strict=True):
        is_json = r.headers.get("content-type", "").startswith("application/json")
        code = r.json().get("code") if is_json else None
        if problem := verdict(r.status_code, code, caller.role, allowed):
            wrong.append(f"{caller.label}: {r.status_code} {code} — {problem}")
    assert not wrong, "\n".join(wrong)
    assert world.seqs() == before, "something changed"


def test_odd_authorization_headers_are_unauthorized(world: World):
    body = {"command": "step.goto", "args": {"position": 99}}
    for header in ("Bearer", "Basic YWRtaW46YWRtaW4=", f"Token {world.keys['admin']}", "x"):
        r = world.strangers.client().post(
            "/api/e/demo/commands", json=body, headers={"Authorization": header}
        )
        assert (r.status_code, r.json()["code"]) == (401, "unauthorized"), header
    r = world.http.post(  # the scheme's case does not matter
        "/api/e/demo/commands", json=body, headers={"Authorization": f"bearer {world.keys['mc']}"}
    )
    assert (r.status_code, r.json()["code"]) == (400, "out_of_range")


def test_the_same_table_over_the_websocket(world: World):
    """A screen's commands run as the socket's role: the same refusals as over HTTP."""
    before = world.seqs()
    wrong = []
    for role in ROLES:
        url = f"{world.server.ws_url}/ws/e/demo?screen={SOCKET_OF[role]}&key={world.keys[role]}"
        with connect(url, open_timeout=5, max_size=None) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "snapshot"
            for i, (name, (allowed, args)) in enumerate(sorted(EXPECTED.items())):
                ws.send(json.dumps({"type": "command", "id": i, "command": name, "args": args}))
                while (m := json.loads(ws.recv(timeout=5)))["type"] != "result":
                    pass
                assert m["id"] == i and m["ok"] is False, (role, name, m)
                if (m["code"] == "forbidden") != (role not in allowed):
                    wrong.append(f"{role} {name}: {m['code']}")
    assert not wrong, "\n".join(wrong)
    assert world.seqs() == before


def test_a_cookie_counts_for_a_change_only_from_a_page_of_this_server(world: World):
    body = {"command": "step.goto", "args": {"position": 99}}
    admin = world.jars["admin"]
    answers = {
        origin: admin.post("/api/e/demo/commands", json=body, headers={"Origin": origin})
        for origin in (
            world.origin,
            EVIL,
            "null",
            f"http://127.0.0.1:{world.server.port + 1}",  # another port: another origin
            f"http://localhost:{world.server.port}",  # the same machine by another name
            f"http://127.0.0.1:{world.server.port}.evil.example",
        )
    }
    got = {origin: (r.status_code, r.json()["code"]) for origin, r in answers.items()}
    assert got == {
        origin: (400, "out_of_range") if origin == world.origin else (401, "unauthorized")
        for origin in answers
    }


def test_state_needs_a_current_key_of_this_conference(world: World):
    for role in ROLES:
        assert world.http.get("/api/e/demo/state", headers=bearer(world.keys[role])).is_success
        assert world.jars[role].get("/api/e/demo/state").status_code == 200  # GET: no Origin
        for key in (world.old_keys[role], world.foreign_keys[role]):
            r = world.strangers.client().get("/api/e/demo/state", headers=bearer(key))
            assert (r.status_code, r.json()["code"]) == (401, "unauthorized")
    assert world.http.get("/api/e/demo/state").status_code == 401
    assert world.old_jars["admin"].get("/api/e/demo/state").status_code == 401


# --- pages, print pages, downloads, uploads ---------------------------------------------------


def test_the_page_tables_cover_every_screen_kind():
    assert {p.split("/")[0] for p in SCREEN_PAGES} == set(access.SCREENS)
    assert {s.split(":")[0] for s in SOCKET_SCREENS} == set(access.SCREENS)
    for table in (SCREEN_PAGES, OTHER_PAGES, SOCKET_SCREENS, DOWNLOADS, UPLOADS):
        assert all(roles <= ALL for roles in table.values())


# Where each row of this file's tables sits in live.access.
PAGE_OF = {
    "notice": "notice",
    "print": "print",
    "audit": "audit",
    "replay": "replay",
    "qr": "links",
}
DOWNLOAD_OF = {"audit.xlsx": "audit", "audit.csv": "audit", "frames": "frames"}  # else documents
UPLOAD_OF = {
    "steps/1/media": "media",
    "questions/import": "questions",
    "delegates/import": "delegates",
    "gifts/import": "gifts",
}


def test_the_access_table_agrees_with_this_file_entry_by_entry():
    """live.access is what the server checks and what the links, the home page and the docs
    read; this file says the same by hand. Every entry of one is in the other, alike."""
    for path, roles in SCREEN_PAGES.items():
        assert frozenset(access.SCREENS[path.split("/")[0]]) == roles, path
    for screen, roles in SOCKET_SCREENS.items():
        assert frozenset(access.SCREENS[screen.split(":")[0]]) == roles, screen
    for path, roles in OTHER_PAGES.items():
        assert frozenset(access.PAGES[PAGE_OF[path.split("/")[0]]]) == roles, path
    assert set(PAGE_OF.values()) == set(access.PAGES)
    for name, roles in DOWNLOADS.items():
        assert frozenset(access.DOWNLOADS[DOWNLOAD_OF.get(name, "documents")]) == roles, name
    assert {*DOWNLOAD_OF.values(), "documents"} == set(access.DOWNLOADS)
    for path, roles in UPLOADS.items():
        assert frozenset(access.UPLOADS[UPLOAD_OF[path]]) == roles, path
    assert set(UPLOAD_OF.values()) == set(access.UPLOADS)
    assert {name: frozenset(access.COMMANDS[name]) for name in EXPECTED} == {
        name: allowed | PUBLIC.get(name, set()) for name, (allowed, _) in EXPECTED.items()
    }
    assert set(access.COMMANDS) == set(EXPECTED)
    assert set(access.ROLES) == ALL and access.AUDIENCE not in ALL


def test_every_printed_link_opens_for_its_role():
    """The links are a choice among what a role may open: never one it may not."""
    for role, paths in access.LINKS.items():
        for path in paths:
            base = path.split("/")[0]
            allowed = access.SCREENS.get(base) or access.PAGES[base]
            assert role in allowed, (role, path)
    assert set(access.LINKS) == set(access.ROLES)


@pytest.mark.parametrize("path", [*SCREEN_PAGES, *OTHER_PAGES])
def test_pages_by_role_cookie(world: World, path: str):
    allowed = {**SCREEN_PAGES, **OTHER_PAGES}[path]
    got = {role: world.jars[role].get(f"/e/demo/{path}").status_code for role in ROLES}
    assert got == {role: 200 if role in allowed else 403 for role in ROLES}
    with new_client(world.server.url) as stranger:
        assert stranger.get(f"/e/demo/{path}").status_code == 403
    assert world.old_jars["admin"].get(f"/e/demo/{path}").status_code == 403
    assert world.foreign_admin_jar.get(f"/e/demo/{path}").status_code == 403


@pytest.mark.parametrize("path", [*SCREEN_PAGES, *OTHER_PAGES])
def test_role_links_by_screen(world: World, path: str):
    """A link with a key opens (303 + cookie) only the pages of that key's role; an old
    key, another conference's or a made-up one opens nothing."""
    allowed = {**SCREEN_PAGES, **OTHER_PAGES}[path]
    for role in ROLES:
        with new_client(world.server.url) as browser:
            r = browser.get(f"/e/demo/{path}?key={world.keys[role]}")
            if role in allowed:
                assert r.status_code == 303 and r.headers["location"] == f"/e/demo/{path}"
                assert session_of(browser.cookies[COOKIE])["keys"]["demo"] == {
                    role: world.keys[role]
                }
            else:
                assert r.status_code == 403, (role, path)
                assert "dành cho màn hình khác" in r.text
                assert COOKIE not in browser.cookies
    some = sorted(allowed)[0]
    for key in (world.old_keys[some], world.foreign_keys[some], "not-a-key"):
        r = world.strangers.client().get(f"/e/demo/{path}?key={key}")
        assert r.status_code == 403 and "Liên kết không hợp lệ" in r.text
        assert "set-cookie" not in r.headers


def test_public_pages_need_no_key(world: World):
    with new_client(world.server.url) as stranger:
        assert stranger.get("/e/demo/ask").status_code == 200
        assert stranger.get("/").status_code == 200
    for path in ("mic/9", "mic/0", "nothing", "mic"):
        assert world.jars["admin"].get(f"/e/demo/{path}").status_code == 404, path


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_downloads_by_role(world: World, name: str):
    allowed = DOWNLOADS[name]
    for role in ROLES:
        by_key = world.http.get(f"/api/e/demo/{name}", headers=bearer(world.keys[role]))
        by_cookie = world.jars[role].get(f"/api/e/demo/{name}")  # a link: GET, no Origin
        for r in (by_key, by_cookie):
            if role in allowed:
                assert r.status_code == 200, (role, r.status_code)
                if "." in name:
                    assert "attachment" in r.headers["content-disposition"]
            else:
                assert r.status_code in (401, 403), (role, r.status_code)
    for key in ("not-a-key", world.old_keys["secretary"], world.foreign_keys["secretary"]):
        r = world.strangers.client().get(f"/api/e/demo/{name}", headers=bearer(key))
        assert r.status_code == 401
    assert world.http.get(f"/api/e/demo/{name}").status_code == 401
    assert world.old_jars["secretary"].get(f"/api/e/demo/{name}").status_code == 401


def test_a_valid_key_of_the_wrong_role_is_forbidden_not_unauthorized_on_downloads(world: World):
    r = world.http.get("/api/e/demo/minutes.csv", headers=bearer(world.keys["projector"]))
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize("path", list(UPLOADS))
def test_uploads_by_role(world: World, path: str):
    """Who may send a file; the allowed get past the role check to 'no file chosen'."""
    allowed = UPLOADS[path]
    url = f"/api/e/demo/{path}"
    not_the_file = {"other": ("x.txt", b"x", "text/plain")}  # no field `file`: nothing stored
    for role in ROLES:
        for r in (
            world.http.post(url, files=not_the_file, headers=bearer(world.keys[role])),
            world.jars[role].post(url, files=not_the_file, headers={"Origin": world.origin}),
        ):
            expected = (400, "no_file") if role in allowed else (403, "forbidden")
            assert (r.status_code, r.json()["code"]) == expected, (role, path)
    refused = [
        world.http.post(url, files=not_the_file),
        world.strangers.client().post(
            url, files=not_the_file, headers=bearer(world.old_keys["admin"])
        ),
        world.strangers.client().post(
            url, files=not_the_file, headers=bearer(world.foreign_keys["admin"])
        ),
        world.jars["admin"].post(url, files=not_the_file),  # cookie without Origin
        world.jars["admin"].post(url, files=not_the_file, headers={"Origin": EVIL}),
    ]
    assert [r.status_code for r in refused] == [401] * len(refused)


def csrf_of(browser: httpx.Client) -> str:
    """The form token the start page gives this browser. It is kept in the signed cookie
    (signed, not encrypted: readable here, not by a page's script, the cookie is HttpOnly);
    only an administrator's page shows it in the form."""
    r = browser.get("/")
    assert r.status_code == 200
    token = session_of(browser.cookies[COOKIE])["csrf"]
    match = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert (match.group(1) if match else token) == token
    return token


def session_of(cookie: str) -> dict[str, Any]:
    return json.loads(base64.b64decode(cookie.split(".")[0]))


def test_new_conference_form_needs_the_admin_cookie_same_origin_and_its_token(world: World):
    def form(browser: httpx.Client, token: str | None = None) -> dict[str, str]:
        # An invalid slug: refused by the command even when everything else is right.
        return {
            "source": "demo",
            "slug": "Không hợp lệ!",
            "title": "x",
            "csrf": csrf_of(browser) if token is None else token,
        }

    same = {"Origin": world.origin}
    admin = world.jars["admin"]
    assert admin.post("/conferences", data=form(admin), headers=same).status_code == 400
    refused = {
        "no Origin": admin.post("/conferences", data=form(admin)),
        "foreign Origin": admin.post("/conferences", data=form(admin), headers={"Origin": EVIL}),
        "wrong token": admin.post("/conferences", data=form(admin, "x"), headers=same),
        "no token": admin.post("/conferences", data=form(admin, ""), headers=same),
        "mc cookie": world.jars["mc"].post(
            "/conferences", data=form(world.jars["mc"]), headers=same
        ),
        "rotated admin cookie": world.old_jars["admin"].post(
            "/conferences", data=form(world.old_jars["admin"]), headers=same
        ),
    }
    with new_client(world.server.url) as stranger:
        refused["no cookie"] = stranger.post("/conferences", data=form(stranger), headers=same)
    assert {k: r.status_code for k, r in refused.items()} == dict.fromkeys(refused, 403)
    assert world.http.get("/api/e/demo/state", headers=bearer(world.keys["admin"])).is_success


# --- the cookie ------------------------------------------------------------------------------


def set_cookie_of(world: World, role: str) -> tuple[str, list[str]]:
    """(value, lower-cased attributes) of the cookie a fresh browser gets from `role`'s link."""
    with new_client(world.server.url) as browser:
        r = browser.get(f"/e/demo/{LINK[role]}?key={world.keys[role]}")
        assert r.status_code == 303
        [header] = r.headers.get_list("set-cookie")
    name_value, *attributes = (part.strip() for part in header.split(";"))
    name, _, value = name_value.partition("=")
    assert name == COOKIE
    return value, [a.lower() for a in attributes]


@pytest.mark.parametrize("role", ROLES)
def test_role_cookies_are_httponly_samesite_lax_and_signed(world: World, role: str):
    value, attributes = set_cookie_of(world, role)
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    payload, timestamp, signature = value.split(".")  # itsdangerous: data.time.signature
    assert session_of(value) == {"keys": {"demo": {role: world.keys[role]}}}
    assert payload and signature and timestamp


def forge(secret: str, data: dict[str, Any]) -> str:
    return TimestampSigner(secret).sign(base64.b64encode(json.dumps(data).encode())).decode()


def flip(ch: str) -> str:
    return "A" if ch != "A" else "B"


def tampered_cookies(world: World) -> dict[str, str]:
    value, _ = set_cookie_of(world, "admin")
    payload, timestamp, signature = value.split(".")
    mc_claims_admin = {"keys": {"demo": {"admin": world.keys["mc"]}}}
    admin = {"keys": {"demo": {"admin": world.keys["admin"]}}}
    return {
        # The first character: the last one of a base64 signature carries padding bits
        # that decoding ignores, so changing it may change nothing (a flaky test once).
        "signature changed": f"{payload}.{timestamp}.{flip(signature[0])}{signature[1:]}",
        "payload changed": f"{base64.b64encode(json.dumps(mc_claims_admin).encode()).decode()}"
        f".{timestamp}.{signature}",
        "timestamp changed": f"{payload}.{timestamp[:-1]}{flip(timestamp[-1])}.{signature}",
        "unsigned": payload,
        "signed with another secret": forge("not-the-secret", admin),
        # Signed right, but the mc key under the admin role: a key counts only for its role.
        "mc key claimed as admin": forge("test-secret", mc_claims_admin),
    }


def test_a_forged_cookie_signed_with_the_servers_secret_works_as_the_control(world: World):
    """The forging above is right: the same signer with the server's secret is accepted."""
    good = forge("test-secret", {"keys": {"demo": {"admin": world.keys["admin"]}}})
    with new_client(world.server.url, cookies={COOKIE: good}) as browser:
        assert browser.get("/e/demo/admin").status_code == 200


@pytest.mark.parametrize(
    "how",
    [
        "signature changed",
        "payload changed",
        "timestamp changed",
        "unsigned",
        "signed with another secret",
        "mc key claimed as admin",
    ],
)
def test_a_tampered_cookie_opens_nothing(world: World, how: str):
    cookie = tampered_cookies(world)[how]
    with new_client(world.server.url, cookies={COOKIE: cookie}) as browser:
        for path in ("admin", "mc", "projector", "print/badges", "notice"):
            assert browser.get(f"/e/demo/{path}").status_code == 403, path
        r = browser.post(
            "/api/e/demo/commands",
            json={"command": "step.next", "args": NOT_AN_OBJECT},
            headers={"Origin": world.origin},
        )
        assert r.status_code == 401
        assert browser.get("/api/e/demo/minutes.csv").status_code == 401
    with pytest.raises(InvalidStatus) as e:
        connect(
            f"{world.server.ws_url}/ws/e/demo?screen=admin",
            additional_headers={"Cookie": f"{COOKIE}={cookie}", "Origin": world.origin},
            open_timeout=5,
        )
    assert e.value.response.status_code == 403


# --- the websocket -------------------------------------------------------------------------


def socket_status(
    world: World,
    screen: str,
    key: str | None = None,
    headers: dict[str, str] | None = None,
    wrong_key: bool = False,
) -> int:
    """101 when the socket opens (and its snapshot arrives), else the handshake's status.
    A `wrong_key` is sent from a stranger's address."""
    query = f"screen={screen}" + (f"&key={key}" if key is not None else "")
    source = (world.strangers.address(), 0) if wrong_key else None
    try:
        with connect(
            f"{world.server.ws_url}/ws/e/demo?{query}",
            additional_headers=headers or {},
            open_timeout=5,
            max_size=None,
            source_address=source,
        ) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "snapshot"
            return 101
    except InvalidStatus as e:
        return e.response.status_code


@pytest.mark.parametrize("screen", list(SOCKET_SCREENS))
def test_sockets_by_role_key(world: World, screen: str):
    allowed = SOCKET_SCREENS[screen]
    got = {role: socket_status(world, screen, world.keys[role]) for role in ROLES}
    assert got == {role: 101 if role in allowed else 403 for role in ROLES}
    bad = {
        "old": socket_status(world, screen, world.old_keys["admin"], wrong_key=True),
        "foreign": socket_status(world, screen, world.foreign_keys["admin"], wrong_key=True),
        "wrong": socket_status(world, screen, "not-a-key", wrong_key=True),
        "none": socket_status(world, screen),
    }
    assert bad == dict.fromkeys(bad, 403)


def cookie_header(jar: httpx.Client) -> str:
    return f"{COOKIE}={jar.cookies[COOKIE]}"


def test_socket_origin_checks(world: World):
    key = world.keys["mc"]
    same = {"Origin": world.origin}
    assert socket_status(world, "mc", key) == 101  # no Origin: not a browser (Companion, scripts)
    assert socket_status(world, "mc", key, same) == 101
    for origin in (EVIL, "null", f"http://127.0.0.1:{world.server.port + 1}", "http://localhost"):
        assert socket_status(world, "mc", key, {"Origin": origin}) == 403, origin
    jar = world.jars["mc"]
    assert socket_status(world, "mc", headers={"Cookie": cookie_header(jar), **same}) == 101
    assert socket_status(world, "mc", headers={"Cookie": cookie_header(jar)}) == 101
    assert socket_status(world, "mc", headers={"Cookie": cookie_header(jar), "Origin": EVIL}) == 403
    old = world.old_jars["mc"]
    assert socket_status(world, "mc", headers={"Cookie": cookie_header(old), **same}) == 403
    # The cookie's role decides the screen: the projector's cookie does not open the MC's.
    projector = world.jars["projector"]
    assert socket_status(world, "mc", headers={"Cookie": cookie_header(projector), **same}) == 403
    # A key in the address wins over the cookie: a wrong one is refused even with a good cookie.
    with_cookie = {"Cookie": cookie_header(jar), **same}
    assert socket_status(world, "mc", "not-a-key", with_cookie, wrong_key=True) == 403
