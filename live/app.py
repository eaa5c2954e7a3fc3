"""create_app: the one routes table."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from live import db, demo
from live.api import (
    api_audit,
    api_command,
    api_download,
    api_error,
    api_frames,
    api_import,
    api_openapi,
    api_state,
    api_upload_media,
)
from live.models import Conference
from live.pages import (
    ask_page,
    audit_page,
    home,
    mic_page,
    new_conference,
    notice_page,
    page_error,
    print_page,
    replay_page,
    role_qr,
    screen_page,
    secretary_page,
)
from live.runtime import Live, TooManyAttempts, live_of
from live.settings import Settings
from live.sockets import ws_endpoint

log = logging.getLogger("live")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    title, message, code = HTTP_ERRORS.get(
        status, ("Có lỗi", "Yêu cầu không hợp lệ.", "http_error")
    )
    if request.url.path.startswith("/api/"):
        return api_error(status, code, message)
    return page_error(live_of(request), status, title, message)


# Starlette's own refusals (routing, body parsing), said in Vietnamese.
HTTP_ERRORS = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu không đọc được.", "bad_request"),
    404: ("Không tìm thấy trang", "Không có địa chỉ này.", "not_found"),
    405: ("Phương thức không được phép", "Địa chỉ này không nhận phương thức này.", "bad_method"),
    413: ("Quá lớn", "Dữ liệu gửi lên quá lớn.", "too_large"),
}


async def too_many_attempts(request: Request, exc: Exception) -> Response:
    message = TooManyAttempts.message
    if request.url.path.startswith("/api/"):
        return api_error(429, "rate_limited", message)
    return page_error(live_of(request), 429, "Quá nhiều lần thử", message)


# Every HTML page and file: no inline script or style anywhere (the templates have none),
# nothing from another origin, never framed; role links carry keys, so no Referer leaves
# for another site ("no-referrer" would also make Chromium send "Origin: null" on our own
# form posts).
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"media-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


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


def conference_slugs(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(Conference.slug)))


def create_app(settings: Settings | None = None, prepare: bool = True) -> Starlette:
    """The app. `prepare`: migrate and seed the database first (one process); the workers
    of `live serve --workers N` find it prepared by their parent (`worker_app`)."""
    settings = settings or Settings.from_env()
    engine = prepare_database(settings) if prepare else db.make_engine(settings.database_url)
    settings.media_dir.mkdir(parents=True, exist_ok=True)  # uploads are served from it
    live = Live(settings, engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await live.start()
        for slug in await asyncio.to_thread(conference_slugs, engine):
            live.hub.changed(slug)  # the replay starts from what the projector shows now
        yield
        await live.stop()
        engine.dispose()

    routes = [
        Route("/", home),
        Route("/conferences", new_conference, methods=["POST"]),
        Route(
            "/favicon.ico",
            lambda request: RedirectResponse(live.assets.url("favicon.svg"), 301),
        ),
        Route("/e/{slug}/ask", ask_page, methods=["GET", "POST"]),
        Route("/e/{slug}/mic/{mic:int}", mic_page),
        Route("/e/{slug}/secretary/{question:int}", secretary_page),
        Route("/e/{slug}/notice", notice_page),
        Route("/e/{slug}/print/{name}", print_page),
        Route("/e/{slug}/audit", audit_page),
        Route("/e/{slug}/replay", replay_page),
        Route("/e/{slug}/qr/{role}/{screen:path}", role_qr),
        Route("/api/e/{slug}/audit.{fmt:str}", api_audit),
        Route("/api/e/{slug}/frames", api_frames),
        Route("/e/{slug}/{screen}", screen_page),
        WebSocketRoute("/ws/e/{slug}", ws_endpoint),
        Route("/api/openapi.json", api_openapi),
        Route("/api/e/{slug}/state", api_state),
        Route("/api/e/{slug}/commands", api_command, methods=["POST"]),
        Route("/api/e/{slug}/steps/{position:int}/media", api_upload_media, methods=["POST"]),
        Route("/api/e/{slug}/{kind}/import", api_import, methods=["POST"]),
        Route("/api/e/{slug}/{name:str}", api_download),  # notice.docx, minutes.xlsx/.csv
        Mount("/static", live.assets, name="static"),
        Mount(
            "/uploads", StaticFiles(directory=settings.media_dir, check_dir=False), name="uploads"
        ),
    ]
    middleware = [
        # Pages, scripts, styles and JSON, compressed (fonts and videos are already).
        Middleware(GZipMiddleware, minimum_size=500, compresslevel=6),
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=db.cookie_secret(engine, settings.secret_key),
            session_cookie="live_session",
            same_site="lax",
            max_age=60 * 60 * 24 * 30,
        ),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            HTTPException: http_error,
            TooManyAttempts: too_many_attempts,
            Exception: server_error,
        },
    )
    app.state.live = live
    return app


def worker_app() -> Starlette:
    """One worker of `live serve --workers N` (or `uvicorn --factory live.app:worker_app`):
    its settings from the LIVE_* variables; the database already migrated and seeded, by
    `live serve` before it started the workers or by `live migrate`. Workers never migrate."""
    return create_app(Settings.from_env(), prepare=False)
