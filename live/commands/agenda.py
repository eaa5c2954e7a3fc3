"""The programme: steps, the step timer, the projector and the report video."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from live.commands import CommandError, Ctx, command
from live.commands.args import Args, NoArgs, Text, within
from live.models import AgendaStep, ProjectorMode
from live.timer import Timer

MAX_ADJUST_SECONDS = 3600


class StepGoto(Args):
    # up to the programme's last step: checked as it runs
    position: int = Field(ge=0, description="up to the number of steps; 0: the welcome banner")


class StepMedia(Args):
    position: int = Field(ge=1)  # as in step.goto
    media: Text = Field(
        "",
        max_length=200,
        description='`"media/<file>"` (under `static/`) or `"uploads/<file>"` (the media '
        'folder), or `""`',
    )


class TimerAdjust(Args):
    seconds: int = Field(ge=-MAX_ADJUST_SECONDS, le=MAX_ADJUST_SECONDS)


class ProjectorModeArgs(Args):
    mode: ProjectorMode


def enter_step(ctx: Ctx, position: int) -> dict[str, Any]:
    """Make `position` the current step: its timer starts from its planned minutes, or, for
    a step the MC comes back to, goes on from where it stood when they left it (the step
    left keeps its timer); its video waits at the start for the MC's Play."""
    conf = ctx.conf
    before = conf.current_position
    if before and before != position:
        left = ctx.steps[before - 1]
        left.kept_duration = conf.timer.duration
        left.kept_elapsed = conf.timer.elapsed_at(ctx.now)
        ctx.session.add(left)
    conf.current_position = position
    step = ctx.steps[position - 1] if position else None
    if step is None:
        conf.timer = Timer()
    elif step.kept_duration is None:
        conf.timer = Timer.fresh(step.planned_minutes * 60, ctx.now)
    else:
        conf.timer = Timer(step.kept_duration, step.kept_elapsed, ctx.now)
    if step is not None and step.began_at is None:
        step.began_at = ctx.now
        ctx.session.add(step)
    conf.video_playing = False
    conf.video_offset = 0.0
    conf.video_started_at = None
    conf.video_ended = False
    return {"from": before, "to": position, "title": step.title if step else ""}


@command("step.next", "Sang bước tiếp theo của chương trình.", NoArgs)
def step_next(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """next step of the programme; its timer starts from the planned minutes (a step the MC
    comes back to goes on from where its timer stood). 409 `at_end` on the last step"""
    if ctx.conf.current_position >= len(ctx.steps):
        raise CommandError("at_end", "Đã ở bước cuối của chương trình.", 409)
    return enter_step(ctx, ctx.conf.current_position + 1)


@command("step.previous", "Quay lại bước trước (từ bước 1 về màn chào mừng).", NoArgs)
def step_previous(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """previous step (from step 1 back to the welcome banner). 409 `at_start` before the start"""
    if ctx.conf.current_position <= 0:
        raise CommandError("at_start", "Chương trình chưa bắt đầu.", 409)
    return enter_step(ctx, ctx.conf.current_position - 1)


@command(
    "step.goto", "Chuyển tới bước số `position` (0 = màn chào mừng trước khi bắt đầu).", StepGoto
)
def step_goto(ctx: Ctx, args: StepGoto) -> dict[str, Any]:
    """jump to a step (0 = welcome banner)"""
    return enter_step(ctx, within("position", args.position, 0, len(ctx.steps)))


@command(
    "step.media",
    'Gắn video cho bước `position`: `media` = "media/…" (trong static/) hoặc "uploads/…".',
    StepMedia,
)
def step_media(ctx: Ctx, args: StepMedia) -> dict[str, Any]:
    """set a step's video file"""
    step = ctx.steps[within("position", args.position, 1, len(ctx.steps)) - 1]
    media = args.media
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


@command("timer.pause", "Tạm dừng đồng hồ của bước hiện tại.", NoArgs)
def timer_pause(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """pause the step timer"""
    ctx.conf.timer = ctx.conf.timer.pause(ctx.now)
    return step_timer_payload(ctx)


@command("timer.resume", "Cho đồng hồ chạy tiếp.", NoArgs)
def timer_resume(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """let it run again. 409 `not_started` before the first step"""
    require_started(ctx)
    ctx.conf.timer = ctx.conf.timer.resume(ctx.now)
    return step_timer_payload(ctx)


@command("timer.adjust", "Thêm hoặc bớt thời gian: `seconds` (ví dụ 60 hoặc -60).", TimerAdjust)
def timer_adjust(ctx: Ctx, args: TimerAdjust) -> dict[str, Any]:
    """add or take away time (the MC's ±1 min buttons send ±60)"""
    ctx.conf.timer = ctx.conf.timer.adjust(args.seconds)
    return {**step_timer_payload(ctx), "seconds": args.seconds}


@command("timer.reset", "Đặt lại đồng hồ về thời lượng dự kiến của bước (và cho chạy).", NoArgs)
def timer_reset(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """back to the step's planned minutes, running"""
    step = require_started(ctx)
    ctx.conf.timer = Timer.fresh(step.planned_minutes * 60, ctx.now)
    return step_timer_payload(ctx)


# --- projector and video -------------------------------------------------------------------


@command(
    "projector.mode",
    "Chế độ màn chiếu: `mode` = live (nội dung), hold (băng rôn), blackout (tắt).",
    ProjectorModeArgs,
)
def projector_mode(ctx: Ctx, args: ProjectorModeArgs) -> dict[str, Any]:
    """what the hall sees: the content, the banner only, or black. Leaving `live` pauses a
    playing video"""
    mode = args.mode
    if mode != "live" and ctx.conf.video_playing:
        stop_video(ctx)  # the hall stops seeing it, so stop it
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


@command("video.play", "Phát video của bước hiện tại trên màn chiếu.", NoArgs)
def video_play(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """play the current step's video on the projector. 409 `no_video`, `projector_not_live`"""
    require_video(ctx)
    if ctx.conf.projector_mode != "live":
        raise CommandError(
            "projector_not_live", "Màn chiếu đang tạm ẩn: bật lại «Trình chiếu».", 409
        )
    if ctx.conf.video_ended:  # played to its end: again from the start
        ctx.conf.video_offset = 0.0
        ctx.conf.video_ended = False
    if not ctx.conf.video_playing:
        ctx.conf.video_playing = True
        ctx.conf.video_started_at = ctx.now
    return {"at": round(ctx.conf.video_offset, 1)}


@command("video.pause", "Tạm dừng video.", NoArgs)
def video_pause(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """pause it where it is"""
    return stop_video(ctx)


def stop_video(ctx: Ctx) -> dict[str, Any]:
    require_video(ctx)
    ctx.conf.video_offset = video_position(ctx)
    ctx.conf.video_playing = False
    ctx.conf.video_started_at = None
    return {"at": round(ctx.conf.video_offset, 1)}


@command("video.restart", "Đưa video về đầu (dừng ở khung hình đầu).", NoArgs)
def video_restart(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """back to the first frame, paused"""
    require_video(ctx)
    ctx.conf.video_playing = False
    ctx.conf.video_offset = 0.0
    ctx.conf.video_started_at = None
    ctx.conf.video_ended = False
    return {"at": 0}


class VideoEnded(Args):
    position: int = Field(ge=1)  # the step whose video ended, as the projector played it


@command("video.ended", "Màn chiếu báo video của bước `position` đã phát hết.", VideoEnded)
def video_ended(ctx: Ctx, args: VideoEnded) -> dict[str, Any]:
    """the projector reports that the step's video played to its end: every screen stops
    saying «đang phát». 409 `not_playing` for a report that comes late (another step, or
    the MC paused it first)"""
    conf = ctx.conf
    if conf.current_position != args.position or not conf.video_playing:
        raise CommandError("not_playing", "Video của bước này không đang phát.", 409)
    stop_video(ctx)
    conf.video_ended = True
    return {"position": args.position, "at": round(conf.video_offset, 1)}
