"""The floor for bench/ask_burst.py: the least a question form can do.

A bare Starlette app on uvicorn (same settings as ours: uvloop, no access log) serving
/e/demo/ask: GET gives a form with a hidden token kept in a cookie, as ours gives its CSRF
token; POST checks the token and inserts the question in one SQLite transaction on a WAL
file with `synchronous=FULL` (as ours), numbered in that transaction, and answers with
the page text the bench looks for ("Đã nhận câu hỏi số N"). No rate limit, no rendering,
no screens to push to: what is left is HTTP, form parsing and one durable insert.

    python bench/ask_floor.py --port PORT --db PATH
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sqlite3
import threading

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

FORM = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>Gửi câu hỏi</title>
<form method="post"><input type="hidden" name="token" value="{token}">
<input name="asker_name"><input name="asker_unit"><input name="asker_position">
<textarea name="text"></textarea><button>Gửi câu hỏi</button></form>
<select><option value="LĐLĐ huyện Lương Sơn">LĐLĐ huyện Lương Sơn</option></select></html>"""


def make_app(db_path: str) -> Starlette:
    local = threading.local()

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "db"):
            db = sqlite3.connect(db_path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            local.db = db
        return local.db

    connection().execute(
        "CREATE TABLE IF NOT EXISTS question (id INTEGER PRIMARY KEY, number INTEGER UNIQUE, "
        "asker_name TEXT, asker_unit TEXT, asker_position TEXT, text TEXT)"
    )
    lock = asyncio.Lock()  # one writer at a time, as ours serialises a conference's commands

    def insert(fields: dict[str, str]) -> int:
        db = connection()
        db.execute("BEGIN IMMEDIATE")
        number = db.execute("SELECT coalesce(max(number), 0) + 1 FROM question").fetchone()[0]
        db.execute(
            "INSERT INTO question (number, asker_name, asker_unit, asker_position, text) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                number,
                *(
                    fields.get(k, "")
                    for k in ("asker_name", "asker_unit", "asker_position", "text")
                ),
            ),
        )
        db.execute("COMMIT")
        return int(number)

    async def ask(request: Request) -> Response:
        if request.method == "GET":
            token = secrets.token_urlsafe(16)
            page = HTMLResponse(FORM.format(token=token))
            page.set_cookie("token", token, httponly=True, samesite="lax")
            return page
        async with request.form(max_files=0, max_fields=10) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if fields.get("token") != request.cookies.get("token"):
            return HTMLResponse("Phiên hết hạn", status_code=403)
        async with lock:
            number = await asyncio.to_thread(insert, fields)
        return HTMLResponse(f"<p>Đã nhận câu hỏi số {number}</p>")

    return Starlette(routes=[Route("/e/demo/ask", ask, methods=["GET", "POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    uvicorn.run(make_app(args.db), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
