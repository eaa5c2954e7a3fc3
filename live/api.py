"""The HTTP JSON API: state, commands, and the two uploads (a step's video, a question list)."""

from __future__ import annotations

import asyncio
import base64
import shutil
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from live import access, audit, auth
from live.commands import CommandError, parse_json
from live.commands.args import Args, parse
from live.commands.floor import QuestionFields
from live.commands.gifts import Recipient
from live.commands.people import DelegateFields
from live.imports import (
    RowProblem,
    TableReport,
    read_delegates,
    read_gifts,
    read_questions,
    rejected_xlsx,
)
from live.minutes import followup_xlsx, minutes_csv, minutes_xlsx
from live.notice import notice_docx, notice_of
from live.openapi import openapi
from live.render import View
from live.runtime import Live, live_of

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".m4v": "video/mp4"}


def api_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "code": code, "message": message}, status_code=status)


def refusal_of(e: CommandError) -> JSONResponse:
    """A refused command's answer: its code and message, and each wrong field."""
    return JSONResponse(e.as_json(), status_code=e.status)


async def api_roles(request: Request, slug: str) -> set[str]:
    """The caller's roles: a Bearer key's, or the role cookie's. A request that changes
    state needs a same-origin page for the cookie to count (that is how CSRF works); a GET
    (a download link) changes nothing. Read off the event loop (the keys are in the
    database, which may be across a network)."""
    return await asyncio.to_thread(_roles_of, request, slug)


def _roles_of(request: Request, slug: str) -> set[str]:
    live = live_of(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        role = live.role_for_key(request, slug, header[7:].strip())
        return {role} if role else set()
    if request.method != "GET" and (
        request.headers.get("origin") is None or not auth.origin_ok(request)
    ):
        return set()
    return auth.cookie_roles(live.engine, request.session, slug)


async def api_role(request: Request, slug: str) -> str | None:
    """The caller's strongest role (in ROLES order), or None."""
    roles = await api_roles(request, slug)
    return next((r for r in access.ROLES if r in roles), None)


UNAUTHORIZED = ("unauthorized", "Thiếu hoặc sai mã truy cập (Authorization: Bearer <key>).")


async def refusal(request: Request, slug: str, download: str) -> JSONResponse | None:
    """401 without a valid key, 403 with a key of a role that may not take `download`
    (live.access.DOWNLOADS), else None."""
    roles = await api_roles(request, slug)
    allowed = access.DOWNLOADS[download]
    if not roles:
        return api_error(401, *UNAUTHORIZED)
    if not roles.intersection(allowed):
        names = " hoặc ".join(access.ROLE_NAMES[r] for r in allowed)
        return api_error(403, "forbidden", f"Chỉ {names} được tải tệp này.")
    return None


async def api_state(request: Request) -> Response:
    live = live_of(request)
    slug = request.path_params["slug"]
    if await api_role(request, slug) is None:
        return api_error(401, *UNAUTHORIZED)
    state = await asyncio.to_thread(_state_of, live, slug)  # the view reads as it is asked
    if state is None:
        return api_error(404, "not_found", "Không tìm thấy hội nghị.")
    return JSONResponse(state)


def _state_of(live: Live, slug: str) -> dict[str, Any] | None:
    view = live.view(slug)
    if view is None:
        return None
    current = view.current
    c = view.conference
    return {
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


async def api_openapi(request: Request) -> Response:
    """The OpenAPI 3.1 document of this API (live/openapi.py); no key needed."""
    return JSONResponse(openapi())


MAX_COMMAND_BODY = 16 * 1024 * 1024  # 2,000 imported questions of 4,000 characters fit


async def api_command(request: Request) -> Response:
    live = live_of(request)
    slug = request.path_params["slug"]
    role = await api_role(request, slug)
    if role is None:
        return api_error(401, *UNAUTHORIZED)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_COMMAND_BODY:  # read no further than that, whatever is sent
            return api_error(413, "too_large", "Lệnh quá lớn (tối đa 16 MB).")
    try:
        body = parse_json(bytes(raw))
    except ValueError:
        return api_error(400, "bad_json", "Thân yêu cầu phải là JSON.")
    if not isinstance(body, dict) or not isinstance(body.get("command"), str):
        return api_error(400, "bad_json", 'Cần JSON dạng {"command": "step.next", "args": {…}}.')
    try:
        outcome = await live.run_command(slug, role, body["command"], body.get("args"))
    except CommandError as e:
        return refusal_of(e)
    return JSONResponse({"ok": True, "seq": outcome.seq, "result": outcome.answer})


async def upload_role(request: Request, roles: tuple[str, ...], limit: int) -> str | JSONResponse:
    """The uploader's role, or the refusal before the body is read (key, role, size)."""
    role = await api_role(request, request.path_params["slug"])
    if role is None:
        return api_error(401, *UNAUTHORIZED)
    if role not in roles:
        names = " hoặc ".join(access.ROLE_NAMES[r] for r in roles)
        return api_error(403, "forbidden", f"Chỉ {names} được gửi tệp này.")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return api_error(413, "too_large", f"Tệp quá lớn (tối đa {limit // 2**20} MB).")
    return role


async def api_upload_media(request: Request) -> Response:
    """Upload the video of a step (multipart field `file`); it becomes the step's media."""
    live = live_of(request)
    slug = request.path_params["slug"]
    limit = live.settings.max_upload_mb * 1024 * 1024
    role = await upload_role(request, access.UPLOADS["media"], limit)
    if isinstance(role, JSONResponse):
        return role
    too_large = (413, "too_large", f"Tệp quá lớn (tối đa {live.settings.max_upload_mb} MB).")
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
        if not looks_like_video(upload.file):
            return api_error(415, "bad_type", "Tệp này không phải video MP4, WebM hoặc OGV.")
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
        return refusal_of(e)
    return JSONResponse({"ok": True, "seq": outcome.seq, "media": f"uploads/{name}"})


IMPORT_LIMIT = 10 * 1024 * 1024


@dataclass(frozen=True)
class ListImport:
    """One kind of uploaded list: how it is read and which command imports its rows (who
    may send it: live.access.UPLOADS under the same name)."""

    read: Callable[[View, bytes, str], TableReport[Any]]
    command: str
    noun: str  # "câu hỏi", "đại biểu", …: in the messages
    row: Callable[[Any], dict[str, Any]]
    model: type[Args]  # one row as the command checks it (its `rows_of` item)
    quota: str = ""  # how the quota warnings about this list name it: "đại biểu", "suất quà"
    file: str = "danh-sach"  # the sheet of rejected rows: its file name prefix


IMPORTS = {
    "questions": ListImport(
        lambda view, data, name: read_questions(
            data,
            name,
            view.lists["field"],
            view.lists["agency"],
            view.lists["unit"],
            [(q.text, q.asker_unit, q.number) for q in view.questions],
        ),
        "question.import",
        "câu hỏi",
        lambda r: {
            "asker_name": r.asker_name,
            "asker_position": r.asker_position,
            "asker_unit": r.unit,
            "field": r.field,
            "text": r.text,
            "agency": r.agency,
        },
        QuestionFields,
        file="cau-hoi",
    ),
    "delegates": ListImport(
        lambda view, data, name: read_delegates(
            data,
            name,
            view.lists["group"],
            [(d.name, d.unit) for d in view.delegates],
            {d.seat: d.name for d in view.delegates if d.seat},
            view.lists["unit"],
        ),
        "delegate.import",
        "đại biểu",
        lambda r: {k: v for k, v in asdict(r).items() if k != "line"},
        DelegateFields,
        quota="đại biểu",
        file="dai-bieu",
    ),
    "gifts": ListImport(
        lambda view, data, name: read_gifts(data, name, view.lists["unit"]),
        "gift.import",
        "người nhận quà",
        lambda r: {k: v for k, v in asdict(r).items() if k != "line"},
        Recipient,
        quota="suất quà",
        file="nguoi-nhan-qua",
    ),
}


def _checked_rows(
    spec: ListImport, report: TableReport[Any]
) -> tuple[list[dict[str, Any]], list[Any], list[RowProblem]]:
    """The rows as the command will take them, each checked by the command's own row model
    first: a row it would refuse is kept out here, named by its line in the file (the command
    numbers rows by their place among those sent). (rows, their read rows, problems)"""
    rows, kept, problems = [], [], []
    for r in report.rows:
        row = spec.row(r)
        try:
            parse(spec.model, row, f"Dòng {r.line}: ")
        except CommandError as e:
            problems.append(RowProblem(r.line, "", e.message))
            continue
        rows.append(row)
        kept.append(r)
    return rows, kept, problems


def _import_details(spec: ListImport, report: TableReport[Any], slug: str) -> dict[str, Any]:
    """What an import's answer says of the file, imported or not: the columns taken, each
    rejected row (line, reasons), advice, and the rejected rows as a sheet (base64 XLSX)."""
    rejected = [
        {"line": line, "reasons": reasons} for line, reasons in report.rejected().items() if line
    ]
    sheet = rejected_xlsx(report)
    return {
        "columns": report.columns,
        "columns_message": report.columns_sentence(),
        "problems": [asdict(p) for p in report.problems],
        "rejected": rejected,
        "notes": [asdict(n) for n in report.notes],
        "rejected_file": None
        if sheet is None
        else {
            "name": f"{spec.file}-chua-nhap-{slug}.xlsx",
            "media_type": DOWNLOADS["minutes.xlsx"][1],
            "base64": base64.b64encode(sheet).decode("ascii"),
        },
    }


async def api_import(request: Request) -> Response:
    """Import an uploaded XLSX/CSV list (questions, delegates, gift recipients): the rows
    without a problem, and each other row's line and reasons (also as a sheet to fix and send
    again); nothing, 400, when no row is good. Quota overruns of the units the file touched
    are warnings only."""
    live = live_of(request)
    slug, kind = request.path_params["slug"], request.path_params["kind"]
    spec = IMPORTS.get(kind)
    if spec is None:
        return api_error(404, "not_found", "Không có loại danh sách này.")
    role = await upload_role(request, access.UPLOADS[kind], IMPORT_LIMIT)
    if isinstance(role, JSONResponse):
        return role
    try:
        async with request.form(max_files=1, max_fields=2) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str) or not upload.filename:
                return api_error(400, "no_file", f"Chưa chọn tệp danh sách {spec.noun}.")
            data = await upload.read(IMPORT_LIMIT + 1)
            filename = upload.filename
    except Exception:  # any parse failure is the client's
        return api_error(400, "bad_form", "Không đọc được tệp gửi lên.")
    if len(data) > IMPORT_LIMIT:
        return api_error(413, "too_large", "Tệp quá lớn (tối đa 10 MB).")
    view = await live.aview(slug)
    if view is None:
        return api_error(404, "not_found", "Không tìm thấy hội nghị.")
    read = await asyncio.to_thread(spec.read, view, data, filename)
    rows, kept, refused = _checked_rows(spec, read)
    report = replace(read, rows=kept, problems=[*read.problems, *refused])
    details = await asyncio.to_thread(_import_details, spec, report, slug)
    columns = details["columns_message"]
    if not rows:
        count = len(report.problems)
        message = f"Chưa nhập {spec.noun} nào: tệp có {count} lỗi, xin sửa rồi nhập lại."
        return JSONResponse(
            {
                "ok": False,
                "code": "import_rejected",
                "message": message + (f"\n{columns}" if columns else ""),
                **details,
            },
            status_code=400,
        )
    try:
        outcome = await live.run_command(slug, role, spec.command, {"rows": rows})
    except CommandError as e:
        return refusal_of(e)
    after = await live.aview(slug)
    # Only the units this file touched, and only the quota of this kind of list.
    touched = {row.get("unit", "") for row in rows} - {""}
    warnings = [
        w
        for w in (after.quota_warnings() if after is not None and spec.quota else [])
        if spec.quota in w and any(w.startswith(f"{unit}: ") for unit in touched)
    ]
    duplicates = getattr(report, "duplicates", [])  # look-alike questions: a hint only
    extra = {"duplicates": [list(pair) for pair in duplicates]} if kind == "questions" else {}
    message = f"Đã nhập {len(rows)} {spec.noun}."
    if details["rejected"]:
        message += (
            f" Chưa nhập {len(details['rejected'])} dòng có lỗi (lý do từng dòng ở dưới; "
            "tải bảng các dòng này về, sửa rồi nhập lại)."
        )
    return JSONResponse(
        {
            "ok": True,
            "seq": outcome.seq,
            **outcome.answer,
            "imported": len(rows),
            "message": message
            + (f"\n{columns}" if columns else "")
            + "".join(f"\nCảnh báo: {w}" for w in warnings),
            "warnings": warnings,
            **details,
            **extra,
        }
    )


def looks_like_video(file: Any) -> bool:
    """The container's signature: WebM/Matroska (EBML), MP4/M4V (an "ftyp" box), Ogg."""
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    return head.startswith((b"\x1a\x45\xdf\xa3", b"OggS")) or head[4:8] == b"ftyp"


def _store(source: Any, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source.seek(0)
    with open(target, "wb") as out:
        shutil.copyfileobj(source, out)


DOWNLOADS: dict[str, tuple[Callable[[View], bytes], str, str]] = {
    # name -> (how it is made, media type, file name prefix)
    "notice.docx": (
        lambda view: notice_docx(notice_of(view)),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "thong-bao-ket-luan",
    ),
    "minutes.xlsx": (
        minutes_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "bien-ban-doi-thoai",
    ),
    "minutes.csv": (minutes_csv, "text/csv; charset=utf-8", "bien-ban-doi-thoai"),
    "followup.xlsx": (
        followup_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "theo-doi-nhiem-vu",
    ),
}


async def api_audit(request: Request) -> Response:
    """The audit log as XLSX or CSV, with the same filter as the page (role admin)."""
    live = live_of(request)
    slug, fmt = request.path_params["slug"], request.path_params["fmt"]
    if fmt not in ("xlsx", "csv"):
        return api_error(404, "not_found", "Không có tệp này.")
    if refused := await refusal(request, slug, "audit"):
        return refused
    f = audit.AuditFilter.of(request.query_params)
    page = await asyncio.to_thread(audit.load_events, live.engine, slug, f, 0, None)
    if page is None:
        return api_error(404, "not_found", "Không tìm thấy hội nghị.")
    make, media_type = (
        (audit.audit_xlsx, DOWNLOADS["minutes.xlsx"][1])
        if fmt == "xlsx"
        else (audit.audit_csv, DOWNLOADS["minutes.csv"][1])
    )
    data = await asyncio.to_thread(make, page)
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="nhat-ky-{slug}.{fmt}"'},
    )


async def api_frames(request: Request) -> Response:
    """The projector's frames for the replay (role admin)."""
    live = live_of(request)
    slug = request.path_params["slug"]
    if refused := await refusal(request, slug, "frames"):
        return refused
    view = await live.aview(slug)
    if view is None or view.conference.id is None:
        return api_error(404, "not_found", "Không tìm thấy hội nghị.")
    kept = await asyncio.to_thread(audit.frames, live.engine, view.conference.id)
    return JSONResponse({"slug": slug, "frames": kept})


async def api_download(request: Request) -> Response:
    """The secretaries' documents: the conclusion notice (Word), the minutes (XLSX, CSV)."""
    live = live_of(request)
    slug, name = request.path_params["slug"], request.path_params["name"]
    if name not in DOWNLOADS:
        return api_error(404, "not_found", "Không có tệp này.")
    if refused := await refusal(request, slug, "documents"):
        return refused
    view = await live.aview(slug)
    if view is None:
        return api_error(404, "not_found", "Không tìm thấy hội nghị.")
    make, media_type, prefix = DOWNLOADS[name]
    data = await asyncio.to_thread(make, view)
    extension = name.rsplit(".", 1)[1]
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{prefix}-{slug}.{extension}"'},
    )
