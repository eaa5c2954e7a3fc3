"""create_app: the one routes table, and the objects that live as long as the server."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Collection, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketState

from live import auth, db, demo
from live.commands import CommandError, Outcome, execute
from live.hub import Channel, Hub, Subscriber
from live.imports import read_questions
from live.models import ROLE_NAMES, Conference
from live.render import Renderer, View, load_view, make_environment
from live.settings import STATIC_DIR, Settings, base_url

log = logging.getLogger("live")

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".m4v": "video/mp4"}
MAX_FRAME = 16 * 1024  # largest websocket message a screen may send


class Live:
    """The long-lived objects of one server: database, renderer, hub."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.renderer = Renderer(make_environment(), base_url(settings))
        self.hub = Hub(self._render_for_hub)
        self._locks: dict[str, asyncio.Lock] = {}
        self.ask_limiter = RateLimiter(limit=3, window=60.0)

    def view(self, slug: str) -> View | None:
        return load_view(self.engine, slug, self.settings.media_dir)

    def _render_for_hub(
        self, slug: str, kinds: Collection[str], presence: dict[str, int]
    ) -> tuple[int, str, dict[str, dict[str, str]]] | None:
        view = self.view(slug)
        if view is None:
            return None
        rendered = {kind: self.renderer.regions(kind, view, presence) for kind in kinds}
        return view.seq, view.epoch, rendered

    async def run_command(self, slug: str, role: str, name: Any, args: Any) -> Outcome:
        """Apply a command (one at a time per conference), then push what it changed."""
        lock = self._locks.setdefault(slug, asyncio.Lock())
        async with lock:
            outcome = await asyncio.to_thread(execute, self.engine, slug, role, name, args)
        self.hub.changed(slug)
        return outcome

    def presence(self, slug: str) -> dict[str, int]:
        ch = self.hub.channels.get(slug)
        return ch.presence() if ch else {}


def live_of(conn: HTTPConnection) -> Live:
    return conn.app.state.live


# --- pages -----------------------------------------------------------------------------------


def page_error(live: Live, status: int, title: str, message: str) -> HTMLResponse:
    return HTMLResponse(live.renderer.message_page(title, message, status), status_code=status)


async def home(request: Request) -> Response:
    live = live_of(request)
    with Session(live.engine) as s:
        conferences = list(s.exec(select(Conference).order_by(Conference.date)))  # type: ignore[arg-type]
    html = live.renderer.env.get_template("home.html").render(conferences=conferences)
    return HTMLResponse(html)


async def mic_page(request: Request) -> Response:
    return await screen_page(request, f"mic:{request.path_params['mic']}")


async def screen_page(request: Request, screen: str | None = None) -> Response:
    live = live_of(request)
    slug = request.path_params["slug"]
    screen = screen or request.path_params["screen"]
    if not auth.valid_screen(screen) or screen == "mic":
        return page_error(live, 404, "Không có màn hình này", f"Không có màn hình «{screen}».")
    view = live.view(slug)
    if view is None:
        return page_error(live, 404, "Không tìm thấy hội nghị", f"Không có hội nghị «{slug}».")
    key = request.query_params.get("key")
    if key is not None:
        role = auth.role_for_key(live.engine, slug, key)
        if role is None:
            return page_error(
                live,
                403,
                "Liên kết không hợp lệ",
                "Mã truy cập trong liên kết không đúng hoặc đã được thay mới. "
                "Xin liên hệ ban tổ chức để nhận liên kết mới.",
            )
        if auth.screen_role(screen, {role}) is None:
            return page_error(
                live,
                403,
                "Liên kết dành cho màn hình khác",
                f"Liên kết này dành cho vai trò «{ROLE_NAMES[role]}», không mở được màn hình này.",
            )
        auth.remember(request.session, slug, role, key)
        return RedirectResponse(request.url.path, status_code=303)
    role = auth.screen_role(screen, auth.cookie_roles(live.engine, request.session, slug))
    if role is None:
        return page_error(
            live,
            403,
            "Cần liên kết truy cập",
            "Màn hình này chỉ mở được bằng liên kết có mã truy cập do ban tổ chức cấp.",
        )
    html = live.renderer.page(screen, view, live.presence(slug), role=role)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


class RateLimiter:
    """At most `limit` events per `window` seconds per key (per process; it guards the
    public question form against a stuck button or a prank, not against a botnet)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.events: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float) -> bool:
        if len(self.events) > 10_000:  # forget clients that went quiet
            self.events = {k: v for k, v in self.events.items() if v and v[-1] > now - self.window}
        seen = self.events.setdefault(key, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True


ASK_FIELDS = {"asker_name": 200, "asker_unit": 200, "asker_position": 200, "text": 2000}


async def ask_page(request: Request) -> Response:
    """The public page delegates open from the QR code to send a question."""
    live = live_of(request)
    slug = request.path_params["slug"]
    view = live.view(slug)
    if view is None:
        return page_error(live, 404, "Không tìm thấy hội nghị", f"Không có hội nghị «{slug}».")
    values = dict.fromkeys(ASK_FIELDS, "")
    error = ""
    status = 200
    sent = None
    if request.method == "POST":
        async with request.form(max_files=0, max_fields=10, max_part_size=8 * 1024) as form:
            for name, limit in ASK_FIELDS.items():
                value = form.get(name, "")
                values[name] = value[: limit + 1] if isinstance(value, str) else ""
        client = request.client.host if request.client else "?"
        if not live.ask_limiter.allow(f"{slug}/{client}", time.monotonic()):
            error = "Đồng chí vừa gửi nhiều câu hỏi liền nhau. Xin đợi một phút rồi gửi tiếp."
            status = 429
        else:
            try:
                outcome = await live.run_command(slug, "audience", "question.submit", values)
                sent = outcome.payload["number"]
                values = {
                    **dict.fromkeys(ASK_FIELDS, ""),
                    "asker_name": values["asker_name"],
                    "asker_unit": values["asker_unit"],
                }
            except CommandError as e:
                error, status = e.message, e.status
    html = live.renderer.env.get_template("ask.html").render(
        c=view.conference, lists=view.lists, values=values, error=error, sent=sent
    )
    return HTMLResponse(html, status_code=status)


# --- websocket ---------------------------------------------------------------------------------


def origin_ok(conn: HTTPConnection) -> bool:
    """Browsers send Origin; a page of another site must not drive our screens."""
    origin = conn.headers.get("origin")
    if origin is None:  # not a browser (Companion, scripts, tests)
        return True
    return urlsplit(origin).netloc == conn.headers.get("host")


async def ws_endpoint(websocket: WebSocket) -> None:
    live = live_of(websocket)
    slug = websocket.path_params["slug"]
    screen = websocket.query_params.get("screen", "")
    key = websocket.query_params.get("key")

    def authorise() -> str | None:
        # A key only matches if the conference exists: no need to load it.
        if key is not None:
            roles = {r} if (r := auth.role_for_key(live.engine, slug, key)) else set()
        else:
            roles = auth.cookie_roles(live.engine, websocket.session, slug)
        return auth.screen_role(screen, roles)

    # Off the event loop: a reconnect storm must not hold up pushes to screens already in.
    role = await asyncio.to_thread(authorise) if origin_ok(websocket) else None
    if role is None:
        await websocket.close(code=4403)  # before accept: the handshake gets HTTP 403
        return
    await websocket.accept()
    channel = live.hub.channel(slug)
    sub = Subscriber(websocket, screen, role)
    await channel.join(sub)
    try:
        while not sub.dropped:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            await handle_frame(live, channel, sub, slug, message)
    except Exception:  # a broken socket must not take the server with it
        log.debug("socket of %s ended", slug, exc_info=True)
    finally:
        channel.leave(sub)
        if websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await websocket.close()


def reply(sub: Subscriber, channel: Channel, message: dict[str, Any]) -> None:
    if not sub.offer(json.dumps(message, ensure_ascii=False)):
        channel.drop(sub)


async def handle_frame(
    live: Live, channel: Channel, sub: Subscriber, slug: str, message: Mapping[str, Any]
) -> None:
    text = message.get("text")
    if text is None or len(text) > MAX_FRAME:
        reply(
            sub,
            channel,
            {"type": "error", "code": "bad_frame", "message": "Khung tin không hợp lệ."},
        )
        return
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        reply(
            sub,
            channel,
            {"type": "error", "code": "bad_frame", "message": "Khung tin không hợp lệ."},
        )
        return
    kind = data.get("type")
    if kind == "ping":
        reply(sub, channel, {"type": "pong", "t": data.get("t"), "server": time.time()})
    elif kind == "snapshot":
        await channel.resnapshot(sub)
    elif kind == "command":
        request_id = data.get("id")
        try:
            outcome = await live.run_command(slug, sub.role, data.get("command"), data.get("args"))
            reply(
                sub, channel, {"type": "result", "id": request_id, "ok": True, "seq": outcome.seq}
            )
        except CommandError as e:
            reply(
                sub,
                channel,
                {
                    "type": "result",
                    "id": request_id,
                    "ok": False,
                    "code": e.code,
                    "message": e.message,
                },
            )
    else:
        reply(sub, channel, {"type": "error", "code": "bad_frame", "message": "Loại tin không rõ."})


# --- HTTP API ----------------------------------------------------------------------------------


def api_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "code": code, "message": message}, status_code=status)


def api_role(request: Request, slug: str) -> str | None:
    """The caller's role: a Bearer key, or the role cookie of a same-origin page."""
    live = live_of(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return auth.role_for_key(live.engine, slug, header[7:].strip())
    if request.headers.get("origin") is None or not origin_ok(request):
        return None  # a cookie alone is not enough: that is how CSRF works
    roles = auth.cookie_roles(live.engine, request.session, slug)
    return next((r for r in auth.ROLES if r in roles), None)


UNAUTHORIZED = ("unauthorized", "Thiếu hoặc sai mã truy cập (Authorization: Bearer <key>).")


async def api_state(request: Request) -> Response:
    live = live_of(request)
    slug = request.path_params["slug"]
    if api_role(request, slug) is None:
        return api_error(401, *UNAUTHORIZED)
    view = live.view(slug)
    if view is None:
        return api_error(404, "not_found", "Không tìm thấy hội nghị.")
    current = view.current
    c = view.conference
    return JSONResponse(
        {
            "slug": c.slug,
            "title": c.title,
            "seq": c.seq,
            "epoch": c.epoch,
            "server_time": view.now,
            "position": c.current_position,
            "steps": len(view.steps),
            "step": current.model_dump(exclude={"id", "conference_id"}) if current else None,
            "timer": {
                "duration": c.timer_duration,
                "elapsed": c.timer_elapsed,
                "started_at": c.timer_started_at,
                "running": c.timer_started_at is not None,
                "remaining": round(c.timer.remaining(view.now), 1),
            },
            "projector_mode": c.projector_mode,
            "video": {
                "playing": c.video_playing,
                "offset": c.video_offset,
                "started_at": c.video_started_at,
            },
        }
    )


async def api_command(request: Request) -> Response:
    live = live_of(request)
    slug = request.path_params["slug"]
    role = api_role(request, slug)
    if role is None:
        return api_error(401, *UNAUTHORIZED)
    try:
        body = await request.json()
    except ValueError:
        return api_error(400, "bad_json", "Thân yêu cầu phải là JSON.")
    if not isinstance(body, dict) or not isinstance(body.get("command"), str):
        return api_error(400, "bad_json", 'Cần JSON dạng {"command": "step.next", "args": {…}}.')
    try:
        outcome = await live.run_command(slug, role, body["command"], body.get("args"))
    except CommandError as e:
        return api_error(e.status, e.code, e.message)
    return JSONResponse({"ok": True, "seq": outcome.seq, "result": outcome.payload})


async def api_upload_media(request: Request) -> Response:
    """Upload the video of a step (multipart field `file`); it becomes the step's media."""
    live = live_of(request)
    slug = request.path_params["slug"]
    role = api_role(request, slug)
    if role is None:
        return api_error(401, *UNAUTHORIZED)
    if role not in ("mc", "admin"):
        return api_error(403, "forbidden", "Chỉ MC hoặc quản trị được tải video lên.")
    too_large = (413, "too_large", f"Tệp quá lớn (tối đa {live.settings.max_upload_mb} MB).")
    limit = live.settings.max_upload_mb * 1024 * 1024
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return api_error(*too_large)
    try:
        form = await request.form(max_files=1, max_fields=2)
    except Exception:  # any parse failure is the client's
        return api_error(400, "bad_form", "Không đọc được tệp gửi lên.")
    try:
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return api_error(400, "no_file", "Chưa chọn tệp video.")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in VIDEO_TYPES:
            return api_error(415, "bad_type", "Chỉ nhận video MP4, WebM, OGV hoặc M4V.")
        if upload.size is not None and upload.size > limit:
            return api_error(*too_large)
        name = f"{uuid.uuid4().hex[:12]}{suffix}"
        target = live.settings.media_dir / name
        await asyncio.to_thread(_store, upload.file, target)
    finally:
        await form.close()
    try:
        outcome = await live.run_command(
            slug,
            role,
            "step.media",
            {"position": request.path_params["position"], "media": f"uploads/{name}"},
        )
    except CommandError as e:
        target.unlink(missing_ok=True)
        return api_error(e.status, e.code, e.message)
    return JSONResponse({"ok": True, "seq": outcome.seq, "media": f"uploads/{name}"})


IMPORT_LIMIT = 10 * 1024 * 1024


async def api_import_questions(request: Request) -> Response:
    """Import a unit's XLSX/CSV list of written questions: every row, or none with a report."""
    live = live_of(request)
    slug = request.path_params["slug"]
    role = api_role(request, slug)
    if role is None:
        return api_error(401, *UNAUTHORIZED)
    if role not in ("moderator", "admin"):
        return api_error(403, "forbidden", "Chỉ người điều phối hoặc quản trị được nhập câu hỏi.")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > IMPORT_LIMIT:
        return api_error(413, "too_large", "Tệp quá lớn (tối đa 10 MB).")
    try:
        async with request.form(max_files=1, max_fields=2) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str) or not upload.filename:
                return api_error(400, "no_file", "Chưa chọn tệp danh sách câu hỏi.")
            data = await upload.read(IMPORT_LIMIT + 1)
            filename = upload.filename
    except Exception:  # any parse failure is the client's
        return api_error(400, "bad_form", "Không đọc được tệp gửi lên.")
    if len(data) > IMPORT_LIMIT:
        return api_error(413, "too_large", "Tệp quá lớn (tối đa 10 MB).")
    view = live.view(slug)
    if view is None:
        return api_error(404, "not_found", "Không tìm thấy hội nghị.")
    report = await asyncio.to_thread(
        read_questions, data, filename, view.lists["field"], view.lists["agency"]
    )
    if not report.ok:
        return JSONResponse(
            {
                "ok": False,
                "code": "import_rejected",
                "message": f"Chưa nhập câu nào: tệp có {len(report.problems)} lỗi, xin sửa rồi nhập lại.",
                "problems": [asdict(p) for p in report.problems],
            },
            status_code=400,
        )
    rows = [
        {
            "asker_name": r.asker_name,
            "asker_position": r.asker_position,
            "asker_unit": r.unit,
            "field": r.field,
            "text": r.text,
            "agency": r.agency,
        }
        for r in report.rows
    ]
    try:
        outcome = await live.run_command(slug, role, "question.import", {"rows": rows})
    except CommandError as e:
        return api_error(e.status, e.code, e.message)
    result = outcome.payload
    return JSONResponse(
        {
            "ok": True,
            "seq": outcome.seq,
            **result,
            "message": f"Đã nhập {result['count']} câu hỏi (câu {result['first']}–{result['last']}).",
            "duplicates": [[a, b] for a, b in report.duplicates],
        }
    )


def _store(source: Any, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source.seek(0)
    with open(target, "wb") as out:
        shutil.copyfileobj(source, out)


# --- errors and assembly -------------------------------------------------------------------------


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        return api_error(exc.status_code, "http_error", str(exc.detail))
    titles = {404: "Không tìm thấy trang", 405: "Phương thức không được phép"}
    return page_error(
        live_of(request), exc.status_code, titles.get(exc.status_code, "Có lỗi"), str(exc.detail)
    )


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    if request.url.path.startswith("/api/"):
        return api_error(500, "server_error", "Lỗi máy chủ. Thao tác chưa được ghi nhận.")
    return page_error(live_of(request), 500, "Lỗi máy chủ", "Thao tác chưa được ghi nhận.")


def prepare_database(settings: Settings) -> Engine:
    """Open the database, migrate it, and seed the demo conference on the first start."""
    engine = db.make_engine(settings.database_url)
    db.migrate(engine)
    if settings.seed_demo and db.get_meta(engine, "demo_seeded") is None:
        demo.seed(engine)
        db.set_meta(engine, "demo_seeded", time.strftime("%Y-%m-%dT%H:%M:%S"))
    return engine


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    engine = prepare_database(settings)
    live = Live(settings, engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await live.hub.close()

    routes = [
        Route("/", home),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", 301)),
        Route("/e/{slug}/ask", ask_page, methods=["GET", "POST"]),
        Route("/e/{slug}/mic/{mic:int}", mic_page),
        Route("/e/{slug}/{screen}", screen_page),
        WebSocketRoute("/ws/e/{slug}", ws_endpoint),
        Route("/api/e/{slug}/state", api_state),
        Route("/api/e/{slug}/commands", api_command, methods=["POST"]),
        Route("/api/e/{slug}/steps/{position:int}/media", api_upload_media, methods=["POST"]),
        Route("/api/e/{slug}/questions/import", api_import_questions, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        Mount(
            "/uploads", StaticFiles(directory=settings.media_dir, check_dir=False), name="uploads"
        ),
    ]
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=db.cookie_secret(engine, settings.secret_key),
            session_cookie="live_session",
            same_site="lax",
            max_age=60 * 60 * 24 * 30,
        )
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.state.live = live
    return app
