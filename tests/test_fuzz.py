"""Hostile and broken input: more than 10,000 malformed requests and websocket frames against
one real server. Every one must get an answer below 500; a refusal from the API is JSON with
a machine `code` and a Vietnamese `message`; a bad websocket frame gets an error and the
socket stays open (a ping still gets its pong); at the end the server process is alive,
answering, and its log holds no traceback.

One server serves the whole module (the tests run in file order and the last one checks
the survivor and prints how much was sent). Wrong keys are sent from other loopback
addresses (127.0.x.y): the server limits wrong keys per client address, and the fuzz must
not lock its own address out.
"""

from __future__ import annotations

import http.client
import io
import itertools
import json
import operator
import re
import socket
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from live.access import ROLES
from live.commands import COMMANDS, CommandError, parse, parse_json
from live.commands.floor import McMessage
from live.sockets import MAX_FRAME
from tests.conftest import Server, running_server

SLUG = "demo"
# Plain HTTP on loopback: no TLS context to build for each client (80 ms of CA loading).
NO_TLS = False
OTHER_ROLES = [r for r in ROLES if r != "admin"]
SENT: Counter[str] = Counter()  # what went to the server, by channel
RAN: set[str] = set()  # the fuzz tests that ran (the total is only checked after all)
MIN_TOTAL = 10_000
VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)
# A websocket screen each role may open, picked for cheap renders (the admin's key opens
# the projector as role admin).
SCREEN_OF = {
    "admin": "projector",
    "mc": "mc",
    "moderator": "mic:1",
    "secretary": "followup",
    "checkin": "gifts",
    "mic": "mic:2",
    "projector": "projector",
}


def fast(examples: int) -> hsettings:
    return hsettings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,  # only `_ran`, which keeps no state per example
        ],
    )


MARK = "fz<script>window.__fz=1</script>"  # must never come back unescaped in a page


# --- what is sent ----------------------------------------------------------------------------

# Every argument name any command reads (docs/api.md), so handlers get past their first check.
ARG_NAMES = sorted(
    """position media seconds mode role text asker_name asker_position asker_unit field agency
    source id into into_number internal to mic outcome action mic_count max_live speak_seconds
    answer_seconds rows question_id base_version responder_agency responder_name
    responder_position summary referred_to task lead_agency cooperating deadline key parent
    issuer place status note title date starts_at venue organiser banner slug copy kind
    speaker mc_script planned_minutes show_timer name new_name delegate_quota gift_quota
    introduce gender unit group rank seat desk code given per_row circumstances value size
    batch presenters handed""".split()  # noqa: SIM905
)
# Values some command accepts: with them a fuzzed command sometimes succeeds and moves the
# state on, so later ones meet other states (a question at a microphone, a removed step…).
PLAUSIBLE = [
    "live", "hold", "blackout", "up", "down", "top", "pause", "resume", "adjust", "answered",
    "in_writing", "withdrawn", "study", "referred", "not_started", "in_progress", "done",
    "field", "agency", "unit", "group", "ceremony", "speech", "video", "dialogue", "gifts",
    "floor", "written", "phone", "Nam", "Nữ", "A05", "Z99", "DB0001", "db0002", "2024-12-31",
    "2024-02-30", "08:00", "24:00", "opening", "q:1", "c:1", "q:99999999", "media/x.webm",
    "uploads/../x", "uploads/a.webm", "mic", "moderator", "secretary", "checkin", "projector",
    "BHXH – BHYT", "Lao động – Việc làm", "Sở Y tế", "Lãnh đạo tỉnh",
]  # fmt: skip
SPECIAL = [
    "", " ", "\t\n\r", "\x00", "a\x00b", "\x01\x02\x1b", "\x0b\x0c", "\x7f\x85\x9f", "\ufffe",
    "\uffff", "\ud800", "a\udfffb", "\ud83d\ude00", "\U0001f600" * 3, "\u202eRTL\u202c",
    "\u200f\u200e\u061c", "مرحبا بالعالم", "עברית", "\ufeffBOM", "\u200b\u2060", "Ω≈ç√∫",
    "ＡＢＣ１２３", "ệ" * 50, "e\u0301\u0323\u0302", "<script>alert(1)</script>", MARK,
    '"><svg onload=alert(1)>', "javascript:alert(1)", "' OR 1=1 --", "'; DROP TABLE question;--",
    "../../etc/passwd", "..\\..\\boot.ini", "%00", "%s%s%n", "{{7*7}}", "${jndi:ldap://x/a}",
    "=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "null", "true", "NaN",
    "Infinity", "-0", "1e309", "0x10", "١٢٣", "²", "\\u0000", "\r\n\r\nHTTP/1.1 200 OK",
]  # fmt: skip
FILL = ["x", "đ", "\u202e", "😀", "\x01", " ", "<", "\ud800", "9"]

HUGE_INTS = st.sampled_from(
    [2**31 - 1, 2**31, 2**31 + 1, 2**53 + 1, 2**63, -(2**63) - 1, 10**100, -(10**100), -1, 0]
)
LENGTHS = [201, 1001, 4001, 16_001, 100_000]
LONG_TEXT = st.builds(operator.mul, st.sampled_from(FILL), st.sampled_from(LENGTHS))
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAL),
    st.sampled_from(PLAUSIBLE),
    LONG_TEXT,
)


def nested(depth: int, leaf: Any = 1, kind: str = "list") -> Any:
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 60),
    st.integers(),
    HUGE_INTS,
    st.floats(),  # NaN, ±Infinity, -0.0 and the rest: the server's JSON takes them all
    TEXT,
)
VALUES = st.one_of(
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
        max_leaves=8,
    ),
    st.builds(nested, st.integers(20, 400), SCALARS, st.sampled_from(["list", "dict"])),
)
ARGS = st.one_of(
    st.dictionaries(st.sampled_from(ARG_NAMES) | st.text(max_size=20), VALUES, max_size=8),
    st.dictionaries(st.sampled_from(ARG_NAMES), SCALARS, max_size=4),
    VALUES,  # not an object at all
)
UNKNOWN_COMMANDS = [
    "", "step", "step.", ".next", "STEP.NEXT", " step.next", "step.next ", "step.next\x00",
    "step/next", "__init__", "execute", "__proto__", "constructor", "../step.next",
    "question.submit", "command", "x" * 5000, "\ud800", "bước.tiếp",
]  # fmt: skip
COMMAND_NAMES = st.one_of(
    st.sampled_from(sorted(COMMANDS)),
    st.sampled_from(UNKNOWN_COMMANDS),
    st.text(max_size=60),
)


def encode(body: Any, ascii_only: bool) -> bytes:
    """JSON as Python writes it, NaN and Infinity included; lone surrogates only escaped."""
    if not ascii_only:
        try:
            return json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            pass
    return json.dumps(body).encode("ascii")


# --- checking what comes back ----------------------------------------------------------------

ENGLISH: list[str] = []  # API refusals whose message is not Vietnamese (must stay empty)


def check_refusal(status: int, body_text: str, what: str) -> dict[str, Any]:
    """An API refusal: JSON {"ok": false, "code": …, "message": "<Vietnamese>"}."""
    try:
        body = json.loads(body_text)
    except ValueError:
        pytest.fail(f"{what}: {status} is not JSON: {body_text[:300]!r}")
    assert isinstance(body, dict) and body.get("ok") is False, f"{what}: {body_text[:300]}"
    code, message = body.get("code"), body.get("message")
    assert isinstance(code, str) and re.fullmatch(r"[a-z][a-z_]*", code), f"{what}: {body}"
    assert isinstance(message, str) and message.strip(), f"{what}: {body}"
    if code == "http_error":  # Starlette's own English text ("Not Found"): reported apart
        ENGLISH.append(f"{status} {what}: {message}")
    else:
        assert VIETNAMESE.search(message), f"{what}: message not in Vietnamese: {message!r}"
    return body


def check(response: httpx.Response, what: str) -> httpx.Response:
    SENT["http"] += 1
    status = response.status_code
    assert status < 500, f"{what}: {status} {response.text[:500]}"
    path = response.request.url.path
    if status >= 400 and path.startswith("/api/") and response.request.method != "HEAD":
        check_refusal(status, response.text, what)
    return response


# --- the server and its clients --------------------------------------------------------------


class Target:
    """The one server of this module, a keep-alive client per use, and the role keys."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.keys = server.keys()
        self.client = httpx.Client(base_url=server.url, timeout=30, verify=NO_TLS)
        # The second client holds the admin's cookie, as a browser would.
        self.browser = httpx.Client(base_url=server.url, timeout=30, verify=NO_TLS)
        response = self.browser.get(
            f"/e/{SLUG}/admin", params={"key": self.keys["admin"]}, follow_redirects=True
        )
        assert response.status_code == 200, response.text
        self._addresses = (f"127.0.{i // 250 + 1}.{i % 250 + 1}" for i in itertools.count())
        self._stranger: httpx.Client | None = None
        self._stranger_uses = 0

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}

    def reload_keys(self) -> None:
        self.keys = self.server.keys()

    def address(self) -> str:
        return next(self._addresses)

    def stranger(self) -> httpx.Client:
        """A client from another loopback address, changed every 10 requests: what sends
        wrong keys stays under the server's per-address limit of wrong keys."""
        if self._stranger is None or self._stranger_uses >= 10:
            if self._stranger is not None:
                self._stranger.close()
            transport = httpx.HTTPTransport(local_address=self.address(), verify=NO_TLS)
            self._stranger = httpx.Client(base_url=self.server.url, transport=transport, timeout=30)
            self._stranger_uses = 0
        self._stranger_uses += 1
        return self._stranger

    def command(self, role: str, body: bytes, **headers: str) -> httpx.Response:
        return self.client.post(
            f"/api/e/{SLUG}/commands",
            content=body,
            headers={"Content-Type": "application/json", **self.auth(role), **headers},
        )

    def close(self) -> None:
        self.client.close()
        self.browser.close()
        if self._stranger is not None:
            self._stranger.close()


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("fuzz")) as server:
        yield server


@pytest.fixture(scope="module")
def target(fuzz_server: Server) -> Iterator[Target]:
    t = Target(fuzz_server)
    try:
        yield t
    finally:
        t.close()


class Sock:
    """One screen's websocket: send a frame, read its answer (pushes are skipped)."""

    def __init__(self, ws: ClientConnection, role: str) -> None:
        self.ws = ws
        self.role = role

    def send(self, frame: str | bytes) -> None:
        SENT["ws"] += 1
        self.ws.send(frame)

    def answer(self, timeout: float = 10) -> dict[str, Any]:
        while True:
            message = json.loads(self.ws.recv(timeout=timeout))
            if message.get("type") != "patch":
                return message

    def ask(self, frame: str | bytes) -> dict[str, Any]:
        self.send(frame)
        return self.answer()

    def expect_bad_frame(self, frame: str | bytes, what: str) -> None:
        reply = self.ask(frame)
        assert reply.get("type") == "error" and reply.get("code") == "bad_frame", (what, reply)
        assert VIETNAMESE.search(reply.get("message", "")), reply

    def ping(self) -> None:
        t = time.time()
        reply = self.ask(json.dumps({"type": "ping", "t": t}))
        assert reply.get("type") == "pong" and reply.get("t") == t, reply


def open_socket(
    server: Server, key: str, screen: str, stack: ExitStack, source: str = "127.0.0.1"
) -> ClientConnection:
    ws = stack.enter_context(
        connect(
            f"{server.ws_url}/ws/e/{SLUG}?screen={screen}&key={key}",
            open_timeout=10,
            max_size=None,
            max_queue=None,  # read every push at once: no backpressure from this side
            compression=None,
            proxy=None,
            ping_interval=None,  # its keepalive would draw from `random` amid Hypothesis
            source_address=(source, 0),
        )
    )
    first = json.loads(ws.recv(timeout=10))
    assert first["type"] == "snapshot", first
    return ws


@pytest.fixture(scope="module")
def sockets(target: Target) -> Iterator[dict[str, Sock]]:
    with ExitStack() as stack:
        yield {
            role: Sock(open_socket(target.server, target.keys[role], screen, stack), role)
            for role, screen in SCREEN_OF.items()
        }


@pytest.fixture(autouse=True)
def _ran(request: pytest.FixtureRequest) -> None:
    RAN.add(request.node.originalname)


# --- commands over HTTP ----------------------------------------------------------------------


@fast(400)
@given(
    name=COMMAND_NAMES,
    args=ARGS,
    other=st.sampled_from(OTHER_ROLES),
    ascii_only=st.booleans(),
    shape=st.sampled_from(["args", "args", "args", "no_args", "flat"]),
)
def test_commands_with_hostile_args_over_http(
    target: Target, name: str, args: Any, other: str, ascii_only: bool, shape: str
) -> None:
    """Every command (and unknown ones) with wrong types, huge numbers, NaN, nested lists,
    100 KB strings, control characters, RTL and lone surrogates; from the admin and from
    another role."""
    if shape == "args":
        body: Any = {"command": name, "args": args}
    elif shape == "no_args":
        body = {"command": name}
    else:
        body = {**(args if isinstance(args, dict) else {"x": args}), "command": name}
    data = encode(body, ascii_only)
    for role in ("admin", other):
        response = check(target.command(role, data), f"{role} {data[:200]!r}")
        if response.status_code == 200 and name == "role.rotate":
            target.reload_keys()  # the fuzz rotated a key: carry on with the new one


BODIES = [
    b"",
    b" ",
    b"{",
    b"}",
    b"[" * 100_000,
    b"{" * 50_000,
    b'{"a":' * 20_000,
    b'{"command":"step.next","args":' + b"[" * 5000 + b"]" * 5000 + b"}",
    b"null",
    b"0",
    b"-1e999",
    b'"step.next"',
    b'["step.next"]',
    b"{}",
    b'{"command": null}',
    b'{"command": 1}',
    b'{"command": true}',
    b'{"command": ["step.next"]}',
    b'{"command": {"name": "step.next"}}',
    b'{"Command": "timer.pause"}',
    b'{"command": "timer.pause", "args": []}',
    b'{"command": "timer.pause", "args": "x"}',
    b'{"command": "timer.pause", "args": 1}',
    b'{"command": "timer.pause", "args": NaN}',
    b'{"command": "timer.pause", "args": {"a": Infinity}}',
    b'{"command": "timer.adjust", "args": {"seconds": 1' + b"0" * 5000 + b"}}",
    b'{"command": "timer.adjust", "args": {"seconds": 1e999}}',
    b'{"command": "timer.adjust", "args": {"seconds": -0}}',
    b'{"command": "timer.pause", "command": "step.next", "command": 5}',
    b'{"command": "\\ud800"}',
    b'{"command": "question.add", "args": {"text": "\\udc00\\ud800"}}',
    b'{"command": "question.add", "args": {"text": "a", "asker_name": "\\ud83d"}}',
    b'{"command": "timer.pause", "id": "\\udfff"}',
    b'{"command": "question.add", "args": {"text": "\\u0000\\u0001"}}',
    b'{"command": "timer.pause"} trailing',
    b'{"command": "timer.pause"}\x00',
    b"\xef\xbb\xbf" + b'{"command": "timer.pause"}',
    '{"command": "timer.pause"}'.encode("utf-16"),
    '{"command": "timer.pause"}'.encode("utf-32"),
    b"\xff\xfe\xfd",
    b'{"command": "timer.pause\xff"}',
    b'{"command": "\xed\xa0\x80"}',
    b"\x00" * 1000,
    b"command=step.next&args=1",
    b"--x\r\nContent-Disposition: form-data; name=command\r\n\r\nstep.next\r\n--x--\r\n",
    b'{"command": "question.add", "args": {"text": "' + b"x" * 12_000_000 + b'"}}',
    b'{"command": "' + b"x" * 3_000_000 + b'"}',
    b"[" + b"1," * 1_000_000 + b"1]",
]
CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "application/json; charset=utf-16",
    "image/png",
    "",
]


def test_malformed_bodies_and_content_types(target: Target) -> None:
    """Broken JSON, JSON that is no command, odd encodings and 12 MB bodies, under every
    content type; and the commands endpoint with other methods."""
    for body, content_type, role in itertools.product(
        BODIES, CONTENT_TYPES, ("admin", "projector")
    ):
        if len(body) > 100_000 and (content_type, role) != ("application/json", "admin"):
            continue  # the big ones once each
        response = check(
            target.command(role, body, **{"Content-Type": content_type}),
            f"{role} {content_type!r} {body[:80]!r}",
        )
        assert response.status_code != 200 or json.loads(response.text)["ok"] is True
    for method in ("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"):
        check(
            target.client.request(method, f"/api/e/{SLUG}/commands", headers=target.auth("admin")),
            f"{method} commands",
        )


# Valid commands, cut short at every character and with each character dropped in turn:
# cheap to make, and each one malformed in its own place.
VALID_COMMANDS = [
    {
        "command": "question.add",
        "args": {"text": "Chế độ thai sản?", "asker_name": "Lò Thị Hà", "field": "BHXH – BHYT"},
    },
    {"command": "delegate.checkin", "args": {"code": "DB0001", "desk": 1}},
    {"command": "commitment.add", "args": {"question_id": 1, "task": "T", "cooperating": ["A"]}},
]


def mutations(text: str) -> Iterator[str]:
    for cut in range(len(text)):
        yield text[:cut]
    for i in range(len(text)):
        yield text[:i] + text[i + 1 :]


def test_truncated_and_mangled_commands(target: Target) -> None:
    """Every prefix of a valid command body (never JSON: the bodies are objects) and every
    one-character deletion (some still JSON, with an odd key or value), as the projector,
    which may run none of them."""
    for command in VALID_COMMANDS:
        for body in mutations(json.dumps(command, ensure_ascii=False)):
            response = check(target.command("projector", body.encode()), body[:120])
            assert response.status_code in (400, 403, 404), (body, response.text)


@fast(200)
@given(body=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode))
def test_random_bytes_as_a_command(target: Target, body: bytes) -> None:
    check(target.command("mc", body), f"bytes {body[:80]!r}")


def test_authorization_variants(target: Target) -> None:
    """No key, wrong keys, keys of the wrong shape (from other addresses: wrong keys are
    limited per address, and 429 is a fine answer too)."""
    admin = target.keys["admin"]
    headers: list[dict[str, str]] = [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic YWRtaW46YWRtaW4="},
        {"Authorization": f"bearer {admin}x"},
        {"Authorization": f"Bearer {admin[:-1]}"},
        {"Authorization": f"Bearer {admin} {admin}"},
        {"Authorization": "Bearer " + "k" * 10_000},
        {"Authorization": "Bearer %00"},
        {"Authorization": "Bearer ' OR '1'='1"},
        {"Authorization": f"Token {admin}"},
        {"Cookie": "live_session=garbage"},
        {"Cookie": "live_session=" + "A" * 3000},
        {"Cookie": "live_session=eyJrZXlzIjp7fX0=.garbage.sig"},
        {"Origin": "http://evil.example", "Cookie": "live_session=x"},
    ]
    body = encode({"command": "timer.pause"}, True)
    for h in headers:
        for path, method in (
            ("commands", "POST"),
            ("state", "GET"),
            ("minutes.csv", "GET"),
            ("questions/import", "POST"),
            ("steps/1/media", "POST"),
        ):
            response = check(
                target.stranger().request(
                    method,
                    f"/api/e/{SLUG}/{path}",
                    content=body if method == "POST" else None,
                    headers={"Content-Type": "application/json", **h},
                ),
                f"{method} {path} {str(h)[:80]}",
            )
            assert response.status_code in (401, 403, 429), (h, path, response.text)


# --- uploads ---------------------------------------------------------------------------------


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# What an XML file (so an .xlsx) cannot hold at all.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
HOSTILE_CELLS = [s for s in SPECIAL if not UNWRITABLE.search(s)]


def csv_text(header: list[str], width: int, rows: int, cells: list[str]) -> str:
    lines = [",".join(header)]
    for i in range(rows):
        row = [json.dumps(cells[(i + j) % len(cells)]) for j in range(width)]
        lines.append(",".join(row))
    return "\n".join(lines)


QUESTION_HEADER = ["STT", "Đơn vị", "Họ và tên", "Chức vụ", "Lĩnh vực", "Nội dung câu hỏi", "Cơ quan trả lời"]  # fmt: skip
DELEGATE_HEADER = ["Họ và tên", "Giới tính", "Chức vụ", "Đơn vị", "Thành phần", "Thứ tự", "Ghế"]
GIFT_HEADER = ["Họ và tên", "Đơn vị", "Hoàn cảnh", "Giá trị"]
FILES = [
    b"",
    b"\x00",
    b"PK\x03\x04" + b"\x00" * 100,
    b"PK\x03\x04garbage" * 1000,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # an old .xls
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    b"\x1f\x8b\x08\x00" + b"\x00" * 64,
    "Đơn vị;Lĩnh vực;Nội dung câu hỏi\n".encode("utf-16"),
    "Đơn vị,Lĩnh vực,Nội dung câu hỏi\nA,B,C\n".encode("cp1258", "replace"),
    b"\xef\xbb\xbf" + csv_text(QUESTION_HEADER, 7, 3, HOSTILE_CELLS).encode(),
    csv_text(QUESTION_HEADER, 7, 30, HOSTILE_CELLS).encode(),
    csv_text(QUESTION_HEADER, 7, 2100, ["a"]).encode(),
    csv_text(DELEGATE_HEADER, 7, 20, HOSTILE_CELLS).encode(),
    csv_text(GIFT_HEADER, 4, 20, HOSTILE_CELLS).encode(),
    csv_text(["a"] * 5000, 5000, 2, ["x"]).encode(),
    b'"unterminated,quote\n' * 100,
    b"\r\r\r\n\n\n;;;;,,,,\t\t",
    b"\x00a,b\x00\n" * 50,
    xlsx(
        [
            QUESTION_HEADER,
            *[[HOSTILE_CELLS[(i + j) % len(HOSTILE_CELLS)] for j in range(7)] for i in range(40)],
        ]
    ),
    xlsx([DELEGATE_HEADER, *[[c, "Nam", c, c, c, 1, "A01"] for c in HOSTILE_CELLS]]),
    xlsx([GIFT_HEADER, *[[c, c, c, c] for c in HOSTILE_CELLS]]),
    xlsx([["=1+1", "=A1*2", "@x", "+x"], [None, 10**20, -1.5, float("inf")]]),
    xlsx([]),
]
FILENAMES = [
    "list.csv", "list.xlsx", "LIST.CSV", "list.XLSX", "list.xls", "list.exe", "list", "",
    ".csv", "..csv", "../../etc/passwd.csv", "C:\\fakepath\\list.xlsx", "a" * 1000 + ".csv",
    "danh sách câu hỏi.xlsx", "\u202excsv.exe", "list.csv\x00.exe", "<script>.csv",
    'quote".csv', "list.csv.xlsx", "video.webm", "clip.mp4", "clip.ogv", "clip.m4v",
    "clip.WEBM", "clip.webm.exe", "clip", "., .webm",
]  # fmt: skip
UPLOAD_ROLES = ["admin", "admin", "moderator", "mc", "checkin", "projector"]


@fast(200)
@given(
    kind=st.sampled_from(["questions", "delegates", "gifts", "questions", "nothing"]),
    role=st.sampled_from(UPLOAD_ROLES),
    filename=st.sampled_from(FILENAMES) | st.text(max_size=60),
    content=st.sampled_from(FILES) | st.binary(max_size=3000),
    field=st.sampled_from(["file", "file", "file", "files", "FILE", ""]),
    mime=st.sampled_from(["text/csv", "application/octet-stream", "video/webm", "", "x/y"]),
)
def test_list_imports_with_garbage_files(
    target: Target, kind: str, role: str, filename: str, content: bytes, field: str, mime: str
) -> None:
    try:
        filename.encode("utf-8")
    except UnicodeEncodeError:
        filename = "surrogate.csv"
    response = target.client.post(
        f"/api/e/{SLUG}/{kind}/import",
        files={field: (filename, content, mime)},
        headers=target.auth(role),
    )
    check(response, f"{role} import {kind} {filename[:60]!r} {content[:40]!r}")


@fast(100)
@given(
    position=st.sampled_from([0, 1, 3, 8, 9, 40, 99999, 10**20]),
    role=st.sampled_from(UPLOAD_ROLES),
    filename=st.sampled_from(FILENAMES) | st.text(max_size=40),
    content=st.binary(max_size=2000) | st.sampled_from(FILES[:8]),
    field=st.sampled_from(["file", "file", "video", ""]),
)
def test_media_uploads_with_garbage_files(
    target: Target, position: int, role: str, filename: str, content: bytes, field: str
) -> None:
    try:
        filename.encode("utf-8")
    except UnicodeEncodeError:
        filename = "surrogate.webm"
    response = target.client.post(
        f"/api/e/{SLUG}/steps/{position}/media",
        files={field: (filename, content, "video/webm")},
        headers=target.auth(role),
    )
    check(response, f"{role} media {position} {filename[:60]!r}")


def test_malformed_multipart(target: Target) -> None:
    """Multipart bodies that are not: no boundary, a wrong one, cut short, too many parts,
    and an upload over the 10 MB import limit (with and without Content-Length)."""
    boundary = "b0undary"
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nĐơn vị,Lĩnh vực\r\n"
    ).encode()
    bodies: list[tuple[str, bytes]] = [
        ("multipart/form-data", part + f"--{boundary}--\r\n".encode()),
        (f"multipart/form-data; boundary={boundary}", part),  # no closing boundary
        (f"multipart/form-data; boundary={boundary}", part + b"--other--\r\n"),
        (f"multipart/form-data; boundary={boundary}", part * 50 + f"--{boundary}--\r\n".encode()),
        (f"multipart/form-data; boundary={boundary}", b"garbage"),
        (f"multipart/form-data; boundary={boundary}", b""),
        ("multipart/form-data; boundary=" + "x" * 5000, b"--x\r\n"),
        ('multipart/form-data; boundary=""', part),
        (
            f"multipart/form-data; boundary={boundary}",
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n'
            f"--{boundary}--\r\n".encode(),
        ),
        (
            f"multipart/form-data; boundary={boundary}",
            f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{boundary}--\r\n".encode(),
        ),
        (
            f"multipart/form-data; boundary={boundary}",
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E2%80%AE.csv\r\n\r\nx\r\n--{boundary}--\r\n".encode(),
        ),
        ("application/x-www-form-urlencoded", b"file=a.csv&file=b.csv"),
        ("application/json", b'{"file": "a.csv"}'),
        ("text/csv", "Đơn vị,Lĩnh vực\nA,B\n".encode()),
    ]
    for path in ("questions/import", "delegates/import", "gifts/import", "steps/3/media"):
        for content_type, body in bodies:
            check(
                target.client.post(
                    f"/api/e/{SLUG}/{path}",
                    content=body,
                    headers={"Content-Type": content_type, **target.auth("admin")},
                ),
                f"{path} {content_type[:60]} {body[:60]!r}",
            )
        big = b"x" * (10 * 1024 * 1024 + 10)
        response = check(
            target.client.post(
                f"/api/e/{SLUG}/{path}",
                files={"file": ("big.csv", big, "text/csv")},
                headers=target.auth("admin"),
            ),
            f"{path} 10 MB",
        )
        if path.endswith("import"):
            assert response.status_code == 413, response.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count itself
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'.encode()
        for _ in range(11):
            yield b"x" * (1024 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    response = check(
        target.client.post(
            f"/api/e/{SLUG}/questions/import",
            content=chunks(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                **target.auth("admin"),
            },
        ),
        "11 MB chunked import",
    )
    assert response.status_code == 413, response.text


# --- every route with odd path parameters ------------------------------------------------------

SLUGS = [
    "demo", "DEMO", "nope", "%00", "demo%00", "%20demo", "%2e%2e", "demo%2F..%2Fdemo",
    "%ff%fe", "%ED%A0%80", "%E2%80%AE", "%3Cscript%3E", "ả", "a" * 300, "d" * 6000, "%C0%AE",
]  # fmt: skip
ROUTES = [
    "/e/{s}/ask", "/e/{s}/mc", "/e/{s}/projector", "/e/{s}/admin", "/e/{s}/mic/1",
    "/e/{s}/mic/0", "/e/{s}/mic/9", "/e/{s}/mic/99999999999999999999999", "/e/{s}/mic",
    "/e/{s}/mic/-1", "/e/{s}/secretary/1", "/e/{s}/secretary/0",
    "/e/{s}/secretary/99999999999", "/e/{s}/secretary%3A1", "/e/{s}/mic%3A1", "/e/{s}/notice",
    "/e/{s}/print/badges", "/e/{s}/print/placards", "/e/{s}/print/seats", "/e/{s}/print/gifts",
    "/e/{s}/print/..%2F..%2Fbase", "/e/{s}/print/%00", "/e/{s}/%00", "/e/{s}/admin%00",
    "/e/{s}/followup", "/e/{s}/checkin", "/e/{s}/gifts", "/e/{s}/moderator",
    "/e/{s}/secretary", "/e/{s}/audit", "/e/{s}/x/y/z", "/api/e/{s}/state",
    "/api/e/{s}/commands", "/api/e/{s}/steps/1/media", "/api/e/{s}/steps/-1/media",
    "/api/e/{s}/steps/x/media", "/api/e/{s}/questions/import", "/api/e/{s}/x/import",
    "/api/e/{s}/..%2Fimport", "/api/e/{s}/notice.docx", "/api/e/{s}/minutes.xlsx",
    "/api/e/{s}/minutes.csv", "/api/e/{s}/followup.xlsx", "/api/e/{s}/state.json",
    "/api/e/{s}/%00", "/api/e/{s}/", "/ws/e/{s}",
]  # fmt: skip
FIXED_ROUTES = [
    "/", "/conferences", "/favicon.ico", "/e", "/e/", "/api", "/api/", "/api/e", "/api/e/",
    "/static/", "/static/js/live.js", "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2F..%2Flive%2Fapp.py", "/static/js/%00", "/uploads/", "/uploads/x.webm",
    "/uploads/..%2Flive.db", "/uploads/%2e%2e/%2e%2e/live.db", "/%00", "/" + "x" * 6000,
    "/ws", "/robots.txt", "/.env", "/.git/config",
]  # fmt: skip


def test_every_route_with_odd_path_parameters(target: Target) -> None:
    """GET and POST on every route with odd slugs and parameters, with no key and with the
    admin's cookie (POSTs with and without a same-origin Origin); other methods on the
    demo's routes."""
    for i, route in enumerate(ROUTES):
        # Each route with "demo" and a rotating half of the odd slugs.
        slugs = ["demo", *(slug for j, slug in enumerate(SLUGS[1:]) if (i + j) % 2 == 0)]
        for slug in slugs:
            check_route(target, route.format(s=slug), slug == "demo")
    for path in FIXED_ROUTES:
        for method in ("GET", "POST", "PUT", "DELETE", "HEAD"):
            for client in (target.client, target.browser):
                response = check(client.request(method, path), f"{method} {path[:120]}")
                if "%2e" in path.lower() or "%2f" in path.lower():
                    assert "[build-system]" not in response.text, path
                    assert "create_app" not in response.text, path
                    assert "SQLite format" not in response.text, path


def check_route(target: Target, path: str, demo: bool) -> None:
    """GET with no key and with the admin's cookie, a same-origin POST with the cookie;
    on the demo's routes also a POST with no key and the other methods."""
    same_origin = {"Origin": target.server.url}
    for client, method, headers in (
        (target.client, "GET", {}),
        (target.browser, "GET", {}),
        (target.browser, "POST", same_origin),
    ):
        check(client.request(method, path, headers=headers), f"{method} {path[:120]}")
    if demo:
        check(target.client.post(path), f"POST {path}")
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"):
            check(target.browser.request(method, path), f"{method} {path}")


RAW_PATHS = [
    "/api/e/demo/../x", "/api/e/demo/../../../etc/passwd", "/e/demo/../../etc/passwd",
    "/static/../live/app.py", "/static/../../pyproject.toml", "/uploads/../live.db",
    "//e/demo/mc", "/e/demo/mc/", "/e/demo/./mc", "/e//demo/mc", "/api/e/demo/state?",
    "/api/e/demo/state?&&&=&", "/e/demo/mc?key", "/e/demo/mc?screen=mc&screen=admin",
    "/%2e%2e/%2e%2e/", "/e/demo/mc#frag", "/api/e/demo/%2e%2e/state", "/api//e/demo/state",
    "/api/e/demo/state/", "/api/e/demo/commands/../state", "/e/demo/ask?" + "a=1&" * 2000,
]  # fmt: skip


def raw_request(server: Server, method: str, path: str) -> tuple[int, str]:
    """A request sent with its path exactly as written (httpx removes dot segments)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.putheader("Content-Length", "0")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_raw_paths_with_dot_segments(target: Target) -> None:
    for path, method in itertools.product(RAW_PATHS, ("GET", "POST")):
        SENT["http"] += 1
        status, text = raw_request(target.server, method, path)
        assert status < 500, (method, path, status, text[:300])
        assert "create_app" not in text and "[build-system]" not in text, path
        assert "SQLite format" not in text and "root:" not in text, path
        if status >= 400 and path.startswith("/api/"):
            check_refusal(status, text, f"{method} {path}")


def test_wrong_keys_in_links_and_for_other_slugs(target: Target) -> None:
    """A role link with a wrong, empty, huge or foreign key, and a valid key for another
    slug: 403 (or 429 once an address has sent too many), never more."""
    admin = target.keys["admin"]
    keys = ["", "x", "%00", "k" * 5000, admin + "x", admin.upper(), target.keys["mic"], "a b"]
    for key, path in itertools.product(keys, ["/e/demo/admin", "/e/demo/mc", "/e/demo/mic/1"]):
        response = check(target.stranger().get(path, params={"key": key}), f"{path} key={key[:30]}")
        assert response.status_code in (303, 403, 429), (path, key[:30], response.status_code)
    for slug in ["nope", "DEMO", "%00", "a" * 300, "demo%20"]:
        for path in ("state", "commands", "minutes.csv"):
            method = "POST" if path == "commands" else "GET"
            response = check(
                target.stranger().request(
                    method,
                    f"/api/e/{slug}/{path}",
                    headers=target.auth("admin"),
                    content=b'{"command":"timer.pause"}' if method == "POST" else None,
                ),
                f"{slug[:30]} {path}",
            )
            assert response.status_code in (401, 404, 429), (slug, path, response.text)


# --- the public question form --------------------------------------------------------------

FORM_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from([s for s in SPECIAL if not re.search(r"[\ud800-\udfff]", s)]),
    st.builds(
        operator.mul, st.sampled_from(["x", "đ", "<", "😀", "\u202e"]), st.sampled_from(LENGTHS)
    ),
)


def csrf_of(html: str) -> str | None:
    match = re.search(r'name="csrf" value="([^"]*)"', html)
    return match.group(1) if match else None


@fast(60)
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "asker_name": FORM_TEXT,
            "asker_unit": FORM_TEXT,
            "asker_position": FORM_TEXT,
            "text": FORM_TEXT,
        },
    ),
    extra=st.dictionaries(st.text(min_size=1, max_size=20), FORM_TEXT, max_size=12),
    token=st.sampled_from(["real", "real", "real", "missing", "wrong", "long"]),
    multipart=st.booleans(),
)
def test_public_ask_form_with_hostile_fields(
    target: Target, fields: dict[str, str], extra: dict[str, str], token: str, multipart: bool
) -> None:
    """The public page: every field hostile (100 KB, control characters, markup), extra
    and repeated fields, a missing or forged form token, multipart parts over the part
    limit. Each example comes from its own address, so the per-phone limit of 3 a minute
    lets it through to the command."""
    transport = httpx.HTTPTransport(local_address=target.address(), verify=NO_TLS)
    with httpx.Client(base_url=target.server.url, transport=transport, timeout=30) as phone:
        page = check(phone.get(f"/e/{SLUG}/ask"), "ask page")
        assert page.status_code == 200
        data = {**extra, **fields}
        real = csrf_of(page.text)
        if real is not None and token != "missing":
            data["csrf"] = {"real": real, "wrong": real[::-1] + "x", "long": "t" * 10_000}[token]
        if multipart:
            response = phone.post(
                f"/e/{SLUG}/ask",
                files={k: (None, v.encode("utf-8", "replace")) for k, v in data.items()},
            )
        else:
            response = phone.post(f"/e/{SLUG}/ask", data=data)
        check(response, f"ask {str(data)[:200]}")
        assert MARK not in response.text, "the form showed a field unescaped"


def test_new_conference_form_with_hostile_fields(target: Target) -> None:
    token = csrf_of(target.browser.get("/").text)
    same_origin = {"Origin": target.server.url}
    for value in [*SPECIAL, "x" * 5000]:
        if re.search(r"[\ud800-\udfff]", value):
            continue
        for name in ("source", "slug", "title", "date", "copy"):
            data = {"source": SLUG, "slug": "fz-new", "title": "T", "date": "", name: value}
            if token is not None:
                data["csrf"] = token
            response = check(
                target.browser.post("/conferences", data=data, headers=same_origin),
                f"new conference {name}={value[:40]!r}",
            )
            assert MARK not in response.text


# --- websocket frames ------------------------------------------------------------------------


@fast(800)
@given(
    name=COMMAND_NAMES,
    args=ARGS,
    request_id=SCALARS | st.lists(SCALARS, max_size=3),
    other=st.sampled_from(OTHER_ROLES),
    ascii_only=st.booleans(),
)
def test_commands_with_hostile_args_over_websockets(
    sockets: dict[str, Sock], name: Any, args: Any, request_id: Any, other: str, ascii_only: bool
) -> None:
    """The same broken commands as screens would send them: each gets its result (or, over
    16 KiB, an error) on a socket that stays open."""
    assume(not (name == "role.rotate" and isinstance(args, dict) and args.get("role") in ROLES))
    frame_obj = {"type": "command", "id": request_id, "command": name, "args": args}
    frame = encode(frame_obj, ascii_only).decode("utf-8")
    if len(frame.encode("utf-8")) > 60_000:  # over 64 KiB closes the socket (tested apart)
        frame = json.dumps({"type": "command", "id": 1, "command": name, "args": "x" * 20_000})
    sent_id = json.loads(frame)["id"]
    for role in ("admin", other):
        sock = sockets[role]
        reply = sock.ask(frame)
        if expected_reply(frame) == "error":  # over 16 KiB, or a lone surrogate
            assert reply.get("type") == "error" and reply.get("code") == "bad_frame", reply
            continue
        assert reply.get("type") == "result", (role, frame[:200], reply)
        assert json.dumps(reply.get("id")) == json.dumps(sent_id), (reply.get("id"), sent_id)
        if reply.get("ok") is not True:
            assert isinstance(reply.get("code"), str) and reply["code"], reply
            assert VIETNAMESE.search(reply.get("message", "")), reply


def expected_reply(frame: str | bytes) -> str:
    """What the server must answer to a frame: "error", "pong", "snapshot" or "result"."""
    if isinstance(frame, bytes) or len(frame) > MAX_FRAME:
        return "error"
    try:
        data = parse_json(frame)
    except ValueError:
        return "error"
    kind = data.get("type") if isinstance(data, dict) else None
    return {"ping": "pong", "snapshot": "snapshot", "command": "result"}.get(
        kind if isinstance(kind, str) else "", "error"
    )


JSONISH = st.one_of(
    VALUES.map(lambda v: json.dumps(v)),
    st.dictionaries(
        st.sampled_from(["type", "id", "t", "command", "args"]) | st.text(max_size=8),
        SCALARS,
        max_size=4,
    ).map(lambda d: json.dumps(d)),
    st.sampled_from(
        ["PING", "Ping", "pong", "result", "error", "patch", "Snapshot", "", "command ", "ping\x00"]
    ).map(lambda t: json.dumps({"type": t})),
)


@fast(1500)
@given(frame=st.text(max_size=300) | st.binary(max_size=300) | JSONISH)
def test_websocket_garbage_frames(sockets: dict[str, Sock], frame: str | bytes) -> None:
    """Non-JSON text, binary frames, JSON that is not an object, unknown frame types: an
    error each (or the right answer to what happens to be a valid frame)."""
    if isinstance(frame, str) and len(frame.encode("utf-8")) > 60_000:
        frame = frame[:10_000]
    sock = sockets["mc"]
    reply = sock.ask(frame)
    want = expected_reply(frame)
    assert reply.get("type") == want, (frame[:200], reply)
    if want == "error":
        assert reply.get("code") == "bad_frame" and VIETNAMESE.search(reply["message"]), reply


def test_truncated_and_mangled_frames(sockets: dict[str, Sock]) -> None:
    """The same mangled commands as websocket frames, and every byte value as a binary
    frame: each answered as its kind deserves, on a socket that stays open."""
    sock = sockets["projector"]
    for command in VALID_COMMANDS:
        frame = json.dumps({"type": "command", "id": 1, **command}, ensure_ascii=False)
        for mangled in mutations(frame):
            reply = sock.ask(mangled)
            assert reply.get("type") == expected_reply(mangled), (mangled, reply)
    for byte in range(256):
        sock.expect_bad_frame(bytes([byte]), f"byte {byte}")
    sock.ping()


SPECIAL_FRAMES: list[str | bytes] = [
    "x" * (MAX_FRAME + 1),
    "x" * 17 * 1024,
    json.dumps({"type": "ping", "t": 1, "pad": "x" * 17 * 1024}),
    json.dumps({"type": "command", "id": 1, "command": "timer.pause", "args": {"x": "y" * 20_000}}),
    b"\x00" * (17 * 1024),
    b'{"type":"ping","t":1}',
    b"",
    "",
    "[" * 10_000,
    "[" * 5000 + "]" * 5000,
    '{"a":' * 3000,
    '{"type":"ping","t":"\\ud800"}',
    '{"type":"command","id":"\\udc00","command":"timer.pause"}',
    '{"type":"command","id":1,"command":"\\ud800"}',
    '{"type":"command","id":1,"command":"question.add","args":{"text":"\\ud800"}}',
    '{"type":"ping","t":1' + "0" * 5000 + "}",
    '{"type":"ping","t":NaN}',
    '{"type":"ping"} {"type":"ping"}',
    '{"type":"ping","type":"nope"}',
    '{"type":"command"}',
    '{"type":"command","command":null,"args":null}',
    '{"type":"command","command":"timer.pause","args":[]}',
    '{"type":"command","command":"timer.pause","args":"x"}',
    '{"type":"snapshot","seq":-1}',
    '{"type":["ping"]}',
    '{"type":{"ping":1}}',
    "\ufeff" + '{"type":"ping"}',
    "null",
    "1",
    '"ping"',
    "[]",
    "{}",
]


def test_websocket_special_frames(sockets: dict[str, Sock]) -> None:
    """17 KB frames, deep nesting, lone surrogates, 5000-digit numbers and the like: each
    answered (an error for the broken ones), and the socket keeps answering pings."""
    for role in ("admin", "projector", "mic"):
        sock = sockets[role]
        for frame in SPECIAL_FRAMES:
            reply = sock.ask(frame)
            want = expected_reply(frame)
            assert reply.get("type") == want, (role, frame[:100], reply)
            sock.ping()


def test_websocket_frames_over_64_kib_close_the_socket_only(target: Target) -> None:
    """Over 64 KiB the socket is closed (1009); the server and other sockets carry on."""
    with ExitStack() as stack:
        witness = Sock(open_socket(target.server, target.keys["mc"], "mc", stack), "mc")
        for frame in ("x" * (65 * 1024), b"\x00" * (65 * 1024), "x" * (1024 * 1024)):
            with ExitStack() as inner:
                ws = open_socket(target.server, target.keys["projector"], "projector", inner)
                SENT["ws"] += 1
                with pytest.raises(ConnectionClosed) as closed:
                    ws.send(frame)
                    while True:
                        ws.recv(timeout=10)
                rcvd = closed.value.rcvd  # None when the reset came before the close frame
                assert rcvd is None or rcvd.code == 1009, rcvd
            witness.ping()


def flood(target: Target, frame: str, count: int, want: str, burst: int | None = None) -> str:
    """Send `frame` `count` times (in bursts of `burst`, each read before the next, or all
    at once) on a new admin screen: "answered" when every one got its `want`, "closed"
    when the server closed the screen with 4001 as one that cannot keep up."""
    burst = burst or count
    with ExitStack() as stack:
        sock = Sock(open_socket(target.server, target.keys["admin"], "admin", stack), "admin")
        try:
            for _ in range(count // burst):
                for _ in range(burst):
                    sock.send(frame)
                for _ in range(burst):
                    assert sock.answer()["type"] == want
        except ConnectionClosed as e:
            # 4001 as documented
            assert e.rcvd is not None and e.rcvd.code in (1000, 4001), e
            return "closed"
        sock.ping()
        return "answered"


def test_websocket_floods(target: Target) -> None:
    """Floods of snapshot requests and of pings: every one answered, or the screen closed
    with 4001 (a screen that cannot keep up, by design); the server keeps serving, and a
    screen that reads as it goes is never closed."""
    assert flood(target, '{"type":"snapshot"}', 200, "snapshot", burst=20) == "answered"
    assert flood(target, '{"type":"ping","t":1}', 600, "pong", burst=30) == "answered"
    outcomes = [
        flood(target, '{"type":"snapshot"}', 400, "snapshot"),
        flood(target, '{"type":"ping","t":1}', 1000, "pong"),
        flood(target, "not json", 1000, "error"),
    ]
    print(f"\nfloods sent at once: {outcomes}")
    with ExitStack() as stack:  # and a new screen still gets its snapshot at once
        Sock(open_socket(target.server, target.keys["admin"], "admin", stack), "admin").ping()


HANDSHAKES: list[tuple[str, bool | None]] = [
    ("screen=mc&key={mc}", True),
    ("screen=admin&key={mc}", False),
    ("screen=&key={mc}", False),
    ("key={mc}", False),
    ("screen=mc", False),
    ("screen=mc&key=", False),
    ("screen=mc&key=wrong", False),
    ("screen=mc&key=" + "k" * 5000, False),
    ("screen=mic:0&key={mic}", False),
    ("screen=mic:9&key={mic}", False),
    ("screen=mic:99999999999999999999&key={mic}", False),
    ("screen=mic:-1&key={mic}", False),
    ("screen=mic:1&key={mic}", True),
    ("screen=secretary:0&key={secretary}", True),
    ("screen=secretary:99999999999&key={secretary}", False),
    ("screen=secretary:abc&key={secretary}", False),
    ("screen=%00&key={mc}", False),
    ("screen=mc:1&key={mc}", False),
    ("screen=projector&key={mc}&key=wrong", None),  # which key counts: either answer
]


def test_websocket_handshakes(target: Target) -> None:
    """Screens that do not exist, keys that do not fit, foreign origins, odd slugs: HTTP
    403 at the handshake (or 429 when an address has sent too many wrong keys)."""
    cases: list[tuple[str, bool | None, dict[str, str]]] = [
        (f"/ws/e/{SLUG}?" + q.format(**target.keys), ok, {}) for q, ok in HANDSHAKES
    ]
    cases += [
        (
            f"/ws/e/{SLUG}?screen=mc&key={target.keys['mc']}",
            False,
            {"origin": "http://evil.example"},
        ),
        (f"/ws/e/{SLUG}?screen=mc&key={target.keys['mc']}", False, {"origin": "null"}),
    ]
    cases += [
        (f"/ws/e/{slug}?screen=mc&key={target.keys['mc']}", False, {})
        for slug in ("nope", "DEMO", "%00", "a" * 300, "%ED%A0%80")
    ]
    for path, ok, extra in cases:
        SENT["ws"] += 1
        try:
            with connect(
                f"{target.server.ws_url}{path}",
                open_timeout=10,
                proxy=None,
                compression=None,
                ping_interval=None,
                source_address=("127.0.0.1" if ok else target.address(), 0),
                **extra,
            ) as ws:
                assert ok is not False, f"opened: {path[:100]} {extra}"
                assert json.loads(ws.recv(timeout=10))["type"] == "snapshot"
        except InvalidStatus as e:
            assert ok is not True, f"refused: {path[:100]}: {e}"
            assert e.response.status_code in (403, 429), (path[:100], e.response.status_code)


def test_no_handshake_at_all(target: Target) -> None:
    """A raw TCP client that says nothing useful, or half a request, then goes away."""
    for junk in (b"", b"GET", b"GET / HTTP/1.1\r\n", b"\x16\x03\x01\x02\x00\x01", b"\r\n" * 100):
        SENT["http"] += 1
        with socket.create_connection(("127.0.0.1", target.server.port), timeout=5) as s:
            s.sendall(junk)
    assert check(target.client.get("/"), "after junk").status_code == 200


# --- regressions of what the fuzz found -----------------------------------------------------


def test_parse_json_refuses_deep_nesting_and_lone_surrogates() -> None:
    with pytest.raises(ValueError):
        parse_json("[" * 100_000)
    with pytest.raises(ValueError):
        parse_json('{"a": "\\ud800"}')
    with pytest.raises(ValueError):
        parse_json(b'{"a": 1' + b"0" * 5000 + b"}")
    assert parse_json('{"a": "\\ud83d\\ude00"}') == {"a": "😀"}  # a pair is a character


@pytest.mark.parametrize("text", ["a\x00b", "\x01", "x\x0bx", "x\x1fx", "\ufffe", "\uffff"])
def test_text_arguments_refuse_control_characters(text: str) -> None:
    with pytest.raises(CommandError) as refused:
        parse(McMessage, {"text": text})
    assert refused.value.code == "bad_args" and VIETNAMESE.search(refused.value.message)
    assert parse(McMessage, {"text": " a\tb\r\nc\x7f "}).text == "a\tb\r\nc\x7f"


def test_regressions_found_by_the_fuzz(target: Target) -> None:
    """Each of these was a 500 (or a dead socket) before: a body nested 100,000 deep, a
    lone surrogate in the command name or an argument, and control characters in a
    question, which then broke every Word and Excel export of the conference."""
    for body, code in [
        (b"[" * 100_000, "bad_json"),
        (b'{"command": "\\ud800x"}', "bad_json"),
        (b'{"command": "question.add", "args": {"text": "\\ud800"}}', "bad_json"),
        (b'{"command": "question.add", "args": {"text": "a\\u0001b"}}', "bad_args"),
        (b'{"command": "question.add", "args": {"text": "a", "agency": "\\u000b"}}', "bad_args"),
        (
            b'{"command": "commitment.add", "args": {"question_id": 1, "task": "t",'
            b' "cooperating": ["S\\u1edf \\u0000"]}}',
            "bad_args",
        ),
    ]:
        response = check(target.command("admin", body), repr(body[:60]))
        assert response.status_code == 400 and response.json()["code"] == code, response.text
    for name in ("notice.docx", "minutes.xlsx", "minutes.csv", "followup.xlsx"):
        response = check(target.browser.get(f"/api/e/{SLUG}/{name}"), name)
        assert response.status_code == 200, (name, response.text[:300])
    with ExitStack() as stack:
        sock = Sock(open_socket(target.server, target.keys["mc"], "mc", stack), "mc")
        for frame in ('{"type":"ping","t":"\\ud800"}', "[" * 10_000, '{"id":"\\udfff"}'):
            sock.expect_bad_frame(frame, frame[:40])
            sock.ping()


def test_api_routing_refusals_are_in_vietnamese(target: Target) -> None:
    for method, path in [
        ("GET", f"/api/e/{SLUG}/commands"),
        ("PUT", f"/api/e/{SLUG}/state"),
        ("GET", "/api/nothing"),
        ("GET", f"/api/e/{SLUG}/steps/x/media"),
    ]:
        response = target.client.request(method, path, headers=target.auth("admin"))
        assert 400 <= response.status_code < 500
        message = response.json()["message"]
        assert VIETNAMESE.search(message), f"{method} {path}: {message!r}"


def test_a_flooded_screen_is_closed_with_4001(target: Target) -> None:
    with ExitStack() as stack:
        sock = Sock(open_socket(target.server, target.keys["admin"], "admin", stack), "admin")
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(2000):
                sock.send("not json")
            for _ in range(2000):
                sock.answer()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001, closed.value


def test_csv_with_a_huge_field_is_refused_not_crashed(server: Server) -> None:
    """On a server of its own: the crash leaves a traceback in that server's log."""
    keys = server.keys()
    for kind in ("questions", "delegates", "gifts"):
        response = httpx.post(
            f"{server.url}/api/e/{SLUG}/{kind}/import",
            verify=NO_TLS,
            files={"file": ("list.csv", 'Họ và tên,"'.encode() + b"x" * 200_000, "text/csv")},
            headers={"Authorization": f"Bearer {keys['admin']}"},
        )
        assert response.status_code == 400, (kind, response.status_code)
        assert response.json()["code"] == "import_rejected"


def test_non_ascii_keys_are_refused_not_crashed(server: Server) -> None:
    """On a server of its own: the crash leaves a traceback in that server's log."""
    link = httpx.get(f"{server.url}/e/{SLUG}/mc", params={"key": "é"}, verify=NO_TLS)
    bearer = httpx.get(
        f"{server.url}/api/e/{SLUG}/state",
        headers={"Authorization": "Bearer é".encode("latin-1")},
        verify=NO_TLS,
    )
    try:
        with connect(
            f"{server.ws_url}/ws/e/{SLUG}?screen=mc&key=%C3%A9", proxy=None, open_timeout=10
        ):
            pytest.fail("a socket opened with the key é")
    except InvalidStatus as e:
        handshake = e.response.status_code
    assert (link.status_code, bearer.status_code, handshake) == (403, 401, 403)


# --- the survivor ----------------------------------------------------------------------------


def test_server_survived_and_its_log_is_clean(
    target: Target, request: pytest.FixtureRequest
) -> None:
    """Last: the process is alive and answering, a new screen gets its snapshot and its
    pong, and the log has no traceback. Prints how much was sent."""
    total = SENT["http"] + SENT["ws"]
    print(
        f"\nfuzz: {total} requests and frames "
        f"({SENT['http']} HTTP, {SENT['ws']} websocket); "
        f"{len(ENGLISH)} API refusals in English (Starlette's routing errors)"
    )
    server = target.server
    assert server.process is not None and server.process.poll() is None, "the server died"
    target.reload_keys()
    state = check(target.client.get(f"/api/e/{SLUG}/state", headers=target.auth("mc")), "state")
    assert state.status_code == 200 and state.json()["slug"] == SLUG
    with ExitStack() as stack:
        Sock(open_socket(server, target.keys["mc"], "mc", stack), "mc").ping()
    assert server.log_path is not None
    log = Path(server.log_path).read_text(errors="replace")
    for bad in ("Traceback", "Exception in ASGI application", "unhandled error", "ERROR"):
        assert bad not in log, f"{bad!r} in the server log:\n{log[-5000:]}"
    fuzz_tests = {
        item.originalname
        for item in request.session.items
        if item.module is request.module and item.originalname.startswith("test_")
    }
    if fuzz_tests <= RAN | {request.node.originalname}:
        assert total >= MIN_TOTAL, f"only {total} requests and frames"
