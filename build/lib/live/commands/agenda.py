"""The programme: steps, the step timer, the projector and the report video."""

from __future__ import annotations

from typing import Any

from live.commands import CommandError, Ctx, command, int_arg, text_arg
from live.models import PROJECTOR_MODES, AgendaStep
from live.timer import Timer

MAX_ADJUST_SECONDS = 3600


def enter_step(ctx: Ctx, position: int) -> dict[str, Any]:
    """Make `position` the current step: its timer starts from its planned minutes and its
    video waits at the start for the MC's Play."""
    conf = ctx.conf
    before = conf.current_position
    conf.current_position = position
    step = ctx.steps[position - 1] if position else None
    conf.timer = Timer.fresh(step.planned_minutes * 60, ctx.now) if step else Timer()
    conf.video_playing = False
    conf.video_offset = 0.0
    conf.video_started_at = None
    return {"from": before, "to": position, "title": step.title if step else ""}


@command("step.next", "Sang bước tiếp theo của chương trình.")
def step_next(ctx: Ctx) -> dict[str, Any]:
    if ctx.conf.current_position >= len(ctx.steps):
        raise CommandError("at_end", "Đã ở bước cuối của chương trình.", 409)
    return enter_step(ctx, ctx.conf.current_position + 1)


@command("step.previous", "Quay lại bước trước (từ bước 1 về màn chào mừng).")
def step_previous(ctx: Ctx) -> dict[str, Any]:
    if ctx.conf.current_position <= 0:
        raise CommandError("at_start", "Chương trình chưa bắt đầu.", 409)
    return enter_step(ctx, ctx.conf.current_position - 1)


@command("step.goto", "Chuyển tới bước số `position` (0 = màn chào mừng trước khi bắt đầu).")
def step_goto(ctx: Ctx) -> dict[str, Any]:
    return enter_step(ctx, int_arg(ctx.args, "position", 0, len(ctx.steps)))


@command(
    "step.media",
    'Gắn video cho bước `position`: `media` = "media/…" (trong static/) hoặc "uploads/…".',
)
def step_media(ctx: Ctx) -> dict[str, Any]:
    step = ctx.steps[int_arg(ctx.args, "position", 1, len(ctx.steps)) - 1]
    media = text_arg(ctx.args, "media", 200)
    head, _, name = media.partition("/")
    if media and (head not in ("media", "uploads") or not name or ".." in media or "\\" in media):
        raise CommandError("bad_args", "«media» phải nằm trong media/ hoặc uploads/.")
    before, step.media = step.media, media
    ctx.session.add(step)
    return {"position": step.position, "from": before, "to": media}


# --- step timer ----------------------------------------------------------------------------


def step_timer_payload(ctx: Ctx) -> dict[str, Any]:
    t = ctx.conf.timer
    return {"remaining": round(t.remaining(ctx.now), 1), "running": t.running}


def require_started(ctx: Ctx) -> AgendaStep:
    if ctx.conf.current_position == 0:
        raise CommandError("not_started", "Chương trình chưa bắt đầu, chưa có đồng hồ.", 409)
    return ctx.steps[ctx.conf.current_position - 1]


@command("timer.pause", "Tạm dừng đồng hồ của bước hiện tại.")
def timer_pause(ctx: Ctx) -> dict[str, Any]:
    ctx.conf.timer = ctx.conf.timer.pause(ctx.now)
    return step_timer_payload(ctx)


@command("timer.resume", "Cho đồng hồ chạy tiếp.")
def timer_resume(ctx: Ctx) -> dict[str, Any]:
    require_started(ctx)
    ctx.conf.timer = ctx.conf.timer.resume(ctx.now)
    return step_timer_payload(ctx)


@command("timer.adjust", "Thêm hoặc bớt thời gian: `seconds` (ví dụ 60 hoặc -60).")
def timer_adjust(ctx: Ctx) -> dict[str, Any]:
    seconds = int_arg(ctx.args, "seconds", -MAX_ADJUST_SECONDS, MAX_ADJUST_SECONDS)
    ctx.conf.timer = ctx.conf.timer.adjust(seconds)
    return {**step_timer_payload(ctx), "seconds": seconds}


@command("timer.reset", "Đặt lại đồng hồ về thời lượng dự kiến của bước (và cho chạy).")
def timer_reset(ctx: Ctx) -> dict[str, Any]:
    step = require_started(ctx)
    ctx.conf.timer = Timer.fresh(step.planned_minutes * 60, ctx.now)
    return step_timer_payload(ctx)


# --- projector and video -------------------------------------------------------------------


@command(
    "projector.mode", "Chế độ màn chiếu: `mode` = live (nội dung), hold (băng rôn), blackout (tắt)."
)
def projector_mode(ctx: Ctx) -> dict[str, Any]:
    mode = ctx.args.get("mode")
    if mode not in PROJECTOR_MODES:
        raise CommandError("bad_args", "«mode» phải là live, hold hoặc blackout.")
    if mode != "live" and ctx.conf.video_playing:
        video_pause(ctx)  # the hall stops seeing it, so stop it
    before, ctx.conf.projector_mode = ctx.conf.projector_mode, mode
    return {"from": before, "to": mode}


def require_video(ctx: Ctx) -> AgendaStep:
    step = ctx.steps[ctx.conf.current_position - 1] if ctx.conf.current_position else None
    if step is None or not step.media:
        raise CommandError("no_video", "Bước hiện tại không có video.", 409)
    return step


def video_position(ctx: Ctx) -> float:
    conf = ctx.conf
    if conf.video_playing and conf.video_started_at is not None:
        return conf.video_offset + max(0.0, ctx.now - conf.video_started_at)
    return conf.video_offset


@command("video.play", "Phát video của bước hiện tại trên màn chiếu.")
def video_play(ctx: Ctx) -> dict[str, Any]:
    require_video(ctx)
    if ctx.conf.projector_mode != "live":
        raise CommandError(
            "projector_not_live", "Màn chiếu đang tạm ẩn: bật lại «Trình chiếu».", 409
        )
    if not ctx.conf.video_playing:
        ctx.conf.video_playing = True
        ctx.conf.video_started_at = ctx.now
    return {"at": round(ctx.conf.video_offset, 1)}


@command("video.pause", "Tạm dừng video.")
def video_pause(ctx: Ctx) -> dict[str, Any]:
    require_video(ctx)
    ctx.conf.video_offset = video_position(ctx)
    ctx.conf.video_playing = False
    ctx.conf.video_started_at = None
    return {"at": round(ctx.conf.video_offset, 1)}


@command("video.restart", "Đưa video về đầu (dừng ở khung hình đầu).")
def video_restart(ctx: Ctx) -> dict[str, Any]:
    require_video(ctx)
    ctx.conf.video_playing = False
    ctx.conf.video_offset = 0.0
    ctx.conf.video_started_at = None
    return {"at": 0}
