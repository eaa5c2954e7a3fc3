"""The screens' pages (first load, role links), and the public question page."""

from __future__ import annotations

import asyncio
import io
import secrets
import time
from datetime import date
from urllib.parse import urlencode

import segno
from annotated_types import MaxLen
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from live import access, audit, auth
from live.commands import CommandError
from live.commands.floor import QuestionSubmit
from live.models import Conference
from live.runtime import Live, live_of


def page_error(live: Live, status: int, title: str, message: str) -> HTMLResponse:
    return HTMLResponse(live.renderer.message_page(title, message, status), status_code=status)


def no_conference(live: Live, slug: str) -> HTMLResponse:
    return page_error(live, 404, "Không tìm thấy hội nghị", f"Không có hội nghị «{slug}».")


def render_home(request: Request, error: str = "", values: dict | None = None) -> str:
    live = live_of(request)
    with Session(live.engine) as s:
        conferences = list(s.exec(select(Conference).order_by(Conference.date.desc())))  # type: ignore[attr-defined]
    administered = [c.slug for c in conferences if copier(request, c.slug)]
    return live.renderer.env.get_template("home.html").render(
        conferences=conferences,
        administered=administered,
        csrf=auth.csrf_token(request.session),
        error=error,
        values=values or dict.fromkeys(NEW_FIELDS, ""),
    )


async def home(request: Request) -> Response:
    html = await asyncio.to_thread(render_home, request)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


NEW_FIELDS = ("source", "slug", "title", "date", "copy", auth.CSRF_FIELD)


def copier(request: Request, slug: str) -> str | None:
    """The visitor's role that may make a new conference from `slug`, if any."""
    roles = auth.cookie_roles(live_of(request).engine, request.session, slug)
    return next((r for r in access.COMMANDS["conference.new"] if r in roles), None)


async def new_conference(request: Request) -> Response:
    """The start page's form: a new conference, blank or copied from one the visitor
    administers. The creator gets the new conference's admin key in their cookie."""
    live = live_of(request)
    async with request.form(max_files=0, max_fields=10, max_part_size=4096) as form:
        values = {k: v if isinstance(v := form.get(k, ""), str) else "" for k in NEW_FIELDS}
    source = values["source"]
    if (
        request.headers.get("origin") is None
        or not auth.origin_ok(request)
        or not auth.csrf_ok(request.session, values[auth.CSRF_FIELD])
    ):
        error, status = (
            "Biểu mẫu phải gửi từ trang của máy chủ này (tải lại trang rồi gửi lại).",
            403,
        )
    elif (role := await asyncio.to_thread(copier, request, source)) is None:
        error, status = "Cần liên kết quản trị của hội nghị nguồn để tạo hội nghị mới.", 403
    else:
        args = {**values, "copy": values["copy"] == "1"}
        try:
            outcome = await live.run_command(source, role, "conference.new", args)
        except CommandError as e:
            error, status = e.message, e.status
        else:
            slug = outcome.answer["slug"]
            key = (await asyncio.to_thread(auth.role_keys, live.engine, slug))["admin"]
            auth.remember(request.session, slug, "admin", key)
            return RedirectResponse(f"/e/{slug}/admin", status_code=303)
    html = await asyncio.to_thread(render_home, request, error, values)
    return HTMLResponse(html, status_code=status)


async def mic_page(request: Request) -> Response:
    return await screen_page(request, f"mic:{request.path_params['mic']}")


async def secretary_page(request: Request) -> Response:
    return await screen_page(request, f"secretary:{request.path_params['question']}")


async def page_role(request: Request, allowed: tuple[str, ...], what: str) -> str | Response:
    """The caller's role for a page that the `allowed` roles may open, or the page saying
    why not. A role link (`?key=…`) is exchanged for the signed cookie and redirected to
    the clean URL, so the key does not stay in the address bar or the history.

    Who is asking is settled before the conference is read: a stranger reloading a page
    costs one small query, not a whole view."""
    live = live_of(request)
    slug = request.path_params["slug"]
    if not await asyncio.to_thread(auth.role_keys, live.engine, slug):
        return no_conference(live, slug)
    key = request.query_params.get("key")
    if key is not None:
        # TooManyAttempts: 429 (live.app)
        role = await asyncio.to_thread(live.role_for_key, request, slug, key)
        if role is None:
            return page_error(
                live,
                403,
                "Liên kết không hợp lệ",
                "Mã truy cập trong liên kết không đúng hoặc đã được thay mới. "
                "Xin liên hệ ban tổ chức để nhận liên kết mới.",
            )
        if role not in allowed:
            return page_error(
                live,
                403,
                "Liên kết dành cho màn hình khác",
                f"Liên kết này dành cho vai trò «{access.ROLE_NAMES[role]}», không mở được {what}.",
            )
        auth.remember(request.session, slug, role, key)
        return RedirectResponse(request.url.path, status_code=303)
    roles = await asyncio.to_thread(auth.cookie_roles, live.engine, request.session, slug)
    role = next((r for r in allowed if r in roles), None)
    if role is None:
        names = ", ".join(access.ROLE_NAMES[r] for r in allowed)
        return page_error(
            live,
            403,
            "Cần liên kết truy cập",
            f"{what[0].upper()}{what[1:]} chỉ mở được bằng liên kết có mã truy cập do ban tổ "
            f"chức cấp (vai trò: {names}).",
        )
    return role


async def screen_page(request: Request, screen: str | None = None) -> Response:
    live = live_of(request)
    slug = request.path_params["slug"]
    screen = screen or request.path_params["screen"]
    if not auth.valid_screen(screen) or screen == "mic":  # a runner's page names its mic
        return page_error(live, 404, "Không có màn hình này", f"Không có màn hình «{screen}».")
    allowed = access.SCREENS[screen.partition(":")[0]]
    role = await page_role(request, allowed, "màn hình này")
    if isinstance(role, Response):
        return role
    view = await live.aview(slug)
    if view is None:  # removed in between
        return no_conference(live, slug)
    # When screens of this kind are open, their regions as last sent are the page's (the
    # hub replaces that dict on every push, never changes it: a thread may read it); else
    # the page draws them. Either way off the event loop: 400 questions take a while.
    drawn = live.hub.drawn(slug, screen)
    html = await asyncio.to_thread(
        live.renderer.page, screen, view, live.presence(slug), drawn, role=role
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


# The public form's fields and their lengths, as question.submit declares them.
ASK_FIELDS = {
    name: next(m.max_length for m in info.metadata if isinstance(m, MaxLen))
    for name, info in QuestionSubmit.model_fields.items()
}


def today() -> str:
    return date.today().isoformat()


VISITED = "form_visits"  # session[VISITED][slug] = the day this phone was last counted


async def ask_page(request: Request) -> Response:
    """The public page delegates open from the QR code to send a question."""
    live = live_of(request)
    slug = request.path_params["slug"]
    # The form needs the title and the unit list, not the whole conference: a burst of
    # two hundred phones must not read 250 delegates and every question each time.
    visited = request.session.get(VISITED)
    visited = dict(visited) if isinstance(visited, dict) else {}
    first_today = request.method == "GET" and visited.get(slug) != today()
    visitor = None
    if first_today:
        visitor = request.session.get("visitor")
        if not isinstance(visitor, str) or len(visitor) > 40:
            visitor = request.session["visitor"] = secrets.token_urlsafe(12)
    form_data = await asyncio.to_thread(live.ask_form, slug)
    if form_data is None:
        return no_conference(live, slug)
    conference, units = form_data
    if visitor is not None:
        request.session[VISITED] = {**visited, slug: today()}
        live.form_visits.note(slug, today(), visitor)  # counted for the admin, in batches
    values = dict.fromkeys(ASK_FIELDS, "")
    error = ""
    status = 200
    sent = None
    if request.method == "POST":
        async with request.form(max_files=0, max_fields=10, max_part_size=8 * 1024) as form:
            for name, limit in ASK_FIELDS.items():
                value = form.get(name, "")
                values[name] = value[: limit + 1] if isinstance(value, str) else ""
            sent_token = form.get(auth.CSRF_FIELD)
        client = request.client.host if request.client else "?"
        if not auth.csrf_ok(request.session, sent_token):
            error = "Phiên gửi câu hỏi đã hết hạn. Xin bấm «Gửi câu hỏi» lại một lần nữa."
            status = 403
        elif not await asyncio.to_thread(live.ask_limiter.allow, f"{slug}/{client}", time.time()):
            error = "Đồng chí vừa gửi nhiều câu hỏi liền nhau. Xin đợi một phút rồi gửi tiếp."
            status = 429
        else:
            try:
                outcome = await live.run_command(slug, access.AUDIENCE, "question.submit", values)
                sent = outcome.answer["number"]
                values = {
                    **dict.fromkeys(ASK_FIELDS, ""),
                    "asker_name": values["asker_name"],
                    "asker_unit": values["asker_unit"],
                }
            except CommandError as e:
                error, status = e.message, e.status
    html = live.renderer.env.get_template("ask.html").render(
        c=conference,
        units=units,
        values=values,
        error=error,
        sent=sent,
        csrf=auth.csrf_token(request.session),
    )
    return HTMLResponse(html, status_code=status)


async def print_page(request: Request) -> Response:
    """Printable sheets: badges (A6), table placards (A4), the seating plan, gift receipts."""
    live = live_of(request)
    slug, name = request.path_params["slug"], request.path_params["name"]
    if name not in access.PRINTS:
        return page_error(live, 404, "Không có trang in này", f"Không có trang in «{name}».")
    role = await page_role(request, access.PAGES["print"], "trang in này")
    if isinstance(role, Response):
        return role
    view = await live.aview(slug)
    if view is None:
        return no_conference(live, slug)
    html = await asyncio.to_thread(live.renderer.print_page, name, view)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


async def audit_page(request: Request) -> Response:
    """The audit log: every command, newest first, filtered by role, command and words."""
    role = await page_role(request, access.PAGES["audit"], "nhật ký")
    if isinstance(role, Response):
        return role
    live, slug = live_of(request), request.path_params["slug"]
    f = audit.AuditFilter.of(request.query_params)
    page_no = max(
        1, min(10_000, int(p) if (p := request.query_params.get("page", "1")).isdigit() else 1)
    )
    page = await asyncio.to_thread(
        audit.load_events, live.engine, slug, f, (page_no - 1) * audit.PAGE_SIZE
    )
    assert page is not None
    query = urlencode({"role": f.role, "command": f.command, "q": f.text})
    html = live.renderer.env.get_template("audit.html").render(
        c=page.conference,
        page=page,
        f=f,
        page_no=page_no,
        pages=max(1, -(-page.total // audit.PAGE_SIZE)),
        query=query,
        roles=audit.ROLE_LABELS,
        change_text=audit.change_text,
        command_summary=audit.command_summary,
        local_time=audit.local_time,
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


async def replay_page(request: Request) -> Response:
    """The day's projector, replayed from the frames kept after each command."""
    role = await page_role(request, access.PAGES["replay"], "trang xem lại")
    if isinstance(role, Response):
        return role
    live, slug = live_of(request), request.path_params["slug"]
    view = await live.aview(slug)
    if view is None:
        return no_conference(live, slug)
    html = live.renderer.env.get_template("replay.html").render(c=view.conference)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


async def notice_page(request: Request) -> Response:
    """The conclusion notice as a printable A4 page (secretaries and admin)."""
    role = await page_role(request, access.PAGES["notice"], "thông báo kết luận")
    if isinstance(role, Response):
        return role
    live, slug = live_of(request), request.path_params["slug"]
    view = await live.aview(slug)
    if view is None:
        return no_conference(live, slug)
    # Off the loop: the view reads what the template asks for as it asks.
    html = await asyncio.to_thread(
        live.renderer.env.get_template("notice.html").render, view=view, c=view.conference
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def role_link(live: Live, slug: str, role: str, screen: str) -> str | None:
    """The link (with its key) through which `role` opens `screen`, if there is one."""
    with Session(live.engine) as s:
        mic_count = s.exec(select(Conference.mic_count).where(Conference.slug == slug)).first()
    keys = auth.role_keys(live.engine, slug)
    links = auth.role_links(live.renderer.public_base, slug, keys, mic_count or 0)
    return next((u for r, u in links if r == role and auth.link_path(u) == screen), None)


async def role_qr(request: Request) -> Response:
    """The QR code of one role link, for the admin's list of links (an <img>, drawn only
    when the admin scrolls to it)."""
    role = await page_role(request, access.PAGES["links"], "mã QR của liên kết")
    if isinstance(role, Response):
        return role
    live, p = live_of(request), request.path_params
    url = await asyncio.to_thread(role_link, live, p["slug"], p["role"], p["screen"])
    if url is None:
        return page_error(live, 404, "Không có liên kết này", "Không có liên kết này.")
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", border=2, omitsize=True)
    return Response(
        svg.getvalue(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "no-store"},  # it carries a key
    )
