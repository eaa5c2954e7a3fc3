"""Every state change of a conference is a command here.

A command is validated and applied in one transaction that also appends its event (with
the conference's next seq); nothing is pushed to a screen before that commit. The same
commands serve the screens' buttons (over the websocket) and the HTTP API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from live.models import PROJECTOR_MODES, AgendaStep, Conference, Event
from live.timer import Timer

MAX_ADJUST_SECONDS = 3600


class CommandError(Exception):
    """A refused command: a machine-readable code and a message for the person (Vietnamese)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


Handler = Callable[[Conference, list[AgendaStep], dict[str, Any], float], dict[str, Any]]


@dataclass(frozen=True)
class Command:
    name: str
    roles: frozenset[str]
    summary: str  # one line, Vietnamese, shown in docs and refusals
    handler: Handler


COMMANDS: dict[str, Command] = {}
STAGE_ROLES = ("mc", "admin")


def command(name: str, summary: str, roles: tuple[str, ...] = STAGE_ROLES):
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, frozenset(roles), summary, handler)
        return handler

    return register


@dataclass(frozen=True)
class Outcome:
    seq: int
    payload: dict[str, Any]


def execute(
    engine: Engine,
    slug: str,
    role: str,
    name: str,
    args: Any = None,
    now: float | None = None,
) -> Outcome:
    """Check, apply and log one command in one transaction; return the new seq."""
    cmd = COMMANDS.get(name) if isinstance(name, str) else None
    if cmd is None:
        raise CommandError("unknown_command", f"Không có lệnh «{str(name)[:60]}».", 404)
    if role not in cmd.roles:
        raise CommandError("forbidden", f"Vai trò này không được dùng lệnh «{name}».", 403)
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise CommandError("bad_args", "Tham số của lệnh phải là một đối tượng JSON.")
    now = time.time() if now is None else now
    with Session(engine) as s:
        # Bump the seq first: this UPDATE takes SQLite's write lock (a row lock on
        # PostgreSQL), so the commands of one conference run strictly one after another,
        # whichever process or thread sends them. A refusal rolls the bump back.
        bumped = s.exec(  # type: ignore[call-overload]
            sa.update(Conference).where(Conference.slug == slug).values(seq=Conference.seq + 1)  # type: ignore[arg-type]
        )
        if bumped.rowcount != 1:
            raise CommandError("not_found", "Không tìm thấy hội nghị.", 404)
        conf = s.exec(
            select(Conference)
            .where(Conference.slug == slug)
            .execution_options(populate_existing=True)
        ).one()
        steps = list(
            s.exec(
                select(AgendaStep)
                .where(AgendaStep.conference_id == conf.id)
                .order_by(AgendaStep.position)  # type: ignore[arg-type]
            )
        )
        payload = cmd.handler(conf, steps, args, now)
        assert conf.id is not None
        s.add(conf)
        s.add(
            Event(
                conference_id=conf.id,
                seq=conf.seq,
                type=name,
                payload=json.dumps(payload, ensure_ascii=False),
                actor_role=role,
            )
        )
        s.commit()
        return Outcome(conf.seq, payload)


# --- argument checks ---------------------------------------------------------------------


def int_arg(args: dict[str, Any], key: str, lo: int, hi: int) -> int:
    value = args.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise CommandError("bad_args", f"Thiếu «{key}» hoặc «{key}» không phải số nguyên.")
    if not lo <= value <= hi:
        raise CommandError("out_of_range", f"«{key}» phải trong khoảng {lo}…{hi}.")
    return value


# --- agenda --------------------------------------------------------------------------------


def enter_step(conf: Conference, steps: list[AgendaStep], position: int, now: float) -> dict:
    """Make `position` the current step: its timer starts from its planned minutes and its
    video waits at the start for the MC's Play."""
    before = conf.current_position
    conf.current_position = position
    step = steps[position - 1] if position else None
    conf.timer = Timer.fresh(step.planned_minutes * 60, now) if step else Timer()
    conf.video_playing = False
    conf.video_offset = 0.0
    conf.video_started_at = None
    return {"from": before, "to": position, "title": step.title if step else ""}


@command("step.next", "Sang bước tiếp theo của chương trình.")
def step_next(conf, steps, args, now):
    if conf.current_position >= len(steps):
        raise CommandError("at_end", "Đã ở bước cuối của chương trình.", 409)
    return enter_step(conf, steps, conf.current_position + 1, now)


@command("step.previous", "Quay lại bước trước (từ bước 1 về màn chào mừng).")
def step_previous(conf, steps, args, now):
    if conf.current_position <= 0:
        raise CommandError("at_start", "Chương trình chưa bắt đầu.", 409)
    return enter_step(conf, steps, conf.current_position - 1, now)


@command("step.goto", "Chuyển tới bước số `position` (0 = màn chào mừng trước khi bắt đầu).")
def step_goto(conf, steps, args, now):
    return enter_step(conf, steps, int_arg(args, "position", 0, len(steps)), now)


# --- step timer ----------------------------------------------------------------------------


def timer_payload(conf: Conference, now: float) -> dict:
    t = conf.timer
    return {"remaining": round(t.remaining(now), 1), "running": t.running}


@command("timer.pause", "Tạm dừng đồng hồ của bước hiện tại.")
def timer_pause(conf, steps, args, now):
    conf.timer = conf.timer.pause(now)
    return timer_payload(conf, now)


@command("timer.resume", "Cho đồng hồ chạy tiếp.")
def timer_resume(conf, steps, args, now):
    if conf.current_position == 0:
        raise CommandError("not_started", "Chương trình chưa bắt đầu, chưa có đồng hồ.", 409)
    conf.timer = conf.timer.resume(now)
    return timer_payload(conf, now)


@command("timer.adjust", "Thêm hoặc bớt thời gian: `seconds` (ví dụ 60 hoặc -60).")
def timer_adjust(conf, steps, args, now):
    seconds = int_arg(args, "seconds", -MAX_ADJUST_SECONDS, MAX_ADJUST_SECONDS)
    conf.timer = conf.timer.adjust(seconds)
    return {**timer_payload(conf, now), "seconds": seconds}


@command("timer.reset", "Đặt lại đồng hồ về thời lượng dự kiến của bước (và cho chạy).")
def timer_reset(conf, steps, args, now):
    if conf.current_position == 0:
        raise CommandError("not_started", "Chương trình chưa bắt đầu, chưa có đồng hồ.", 409)
    conf.timer = Timer.fresh(steps[conf.current_position - 1].planned_minutes * 60, now)
    return timer_payload(conf, now)


# --- projector and video -------------------------------------------------------------------


@command(
    "projector.mode", "Chế độ màn chiếu: `mode` = live (nội dung), hold (băng rôn), blackout (tắt)."
)
def projector_mode(conf, steps, args, now):
    mode = args.get("mode")
    if mode not in PROJECTOR_MODES:
        raise CommandError("bad_args", "«mode» phải là live, hold hoặc blackout.")
    if mode != "live" and conf.video_playing:
        video_pause(conf, steps, args, now)  # the hall stops seeing it, so stop it
    before, conf.projector_mode = conf.projector_mode, mode
    return {"from": before, "to": mode}


def current_video_step(conf: Conference, steps: list[AgendaStep]) -> AgendaStep:
    step = steps[conf.current_position - 1] if conf.current_position else None
    if step is None or not step.media:
        raise CommandError("no_video", "Bước hiện tại không có video.", 409)
    return step


def video_position(conf: Conference, now: float) -> float:
    if conf.video_playing and conf.video_started_at is not None:
        return conf.video_offset + max(0.0, now - conf.video_started_at)
    return conf.video_offset


@command("video.play", "Phát video của bước hiện tại trên màn chiếu.")
def video_play(conf, steps, args, now):
    current_video_step(conf, steps)
    if conf.projector_mode != "live":
        raise CommandError(
            "projector_not_live", "Màn chiếu đang tạm ẩn: bật lại «Trình chiếu».", 409
        )
    if not conf.video_playing:
        conf.video_playing = True
        conf.video_started_at = now
    return {"at": round(conf.video_offset, 1)}


@command("video.pause", "Tạm dừng video.")
def video_pause(conf, steps, args, now):
    current_video_step(conf, steps)
    conf.video_offset = video_position(conf, now)
    conf.video_playing = False
    conf.video_started_at = None
    return {"at": round(conf.video_offset, 1)}


@command("video.restart", "Đưa video về đầu (dừng ở khung hình đầu).")
def video_restart(conf, steps, args, now):
    current_video_step(conf, steps)
    conf.video_playing = False
    conf.video_offset = 0.0
    conf.video_started_at = None
    return {"at": 0}


@command(
    "step.media",
    'Gắn video cho bước `position`: `media` = "media/…" (trong static/) hoặc "uploads/…".',
)
def step_media(conf, steps, args, now):
    step = steps[int_arg(args, "position", 1, len(steps)) - 1]
    media = args.get("media")
    if not isinstance(media, str) or len(media) > 200:
        raise CommandError("bad_args", "«media» phải là đường dẫn tệp.")
    head, _, name = media.partition("/")
    if media and (head not in ("media", "uploads") or not name or ".." in media or "\\" in media):
        raise CommandError("bad_args", "«media» phải nằm trong media/ hoặc uploads/.")
    before, step.media = step.media, media
    return {"position": step.position, "from": before, "to": media}
