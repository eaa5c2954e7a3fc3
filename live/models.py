"""The tables. Live state (current step, timer, projector mode) sits on the conference row,
so one UPDATE of that row both serialises a command and changes the state."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from live.timer import Timer

ROLES = ("admin", "mc", "moderator", "secretary", "checkin", "mic", "projector")
ROLE_NAMES = {
    "admin": "Quản trị",
    "mc": "Người dẫn chương trình (MC)",
    "moderator": "Điều phối câu hỏi",
    "secretary": "Thư ký",
    "checkin": "Bàn đón tiếp",
    "mic": "Chạy micro",
    "projector": "Màn chiếu hội trường",
}
STEP_KINDS = ("ceremony", "speech", "video", "dialogue", "gifts")
STEP_KIND_NAMES = {
    "ceremony": "Nghi thức",
    "speech": "Phát biểu",
    "video": "Phóng sự / video",
    "dialogue": "Đối thoại",
    "gifts": "Tặng quà",
}
PROJECTOR_MODES = ("live", "hold", "blackout")
PROJECTOR_MODE_NAMES = {"live": "Trình chiếu", "hold": "Băng rôn", "blackout": "Màn đen"}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Meta(SQLModel, table=True):
    """Install-wide key/value pairs: schema version, cookie secret, demo seeded."""

    key: str = Field(primary_key=True)
    value: str


class Conference(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=64)
    title: str
    date: str = ""  # ISO date of the day
    starts_at: str = ""  # local start time, "08:00"
    venue: str = ""
    organiser: str = ""
    banner: str = ""
    # Changes when a conference is recreated, so a screen holding an old seq resyncs.
    epoch: str
    # The last event's seq; bumped first in every command, which is what serialises them.
    seq: int = 0

    # Live state. current_position 0 = before the first step (welcome banner).
    current_position: int = 0
    projector_mode: str = "live"
    timer_duration: float = 0.0
    timer_elapsed: float = 0.0
    timer_started_at: float | None = None
    video_playing: bool = False
    video_offset: float = 0.0  # seconds into the video when last paused / started
    video_started_at: float | None = None

    @property
    def timer(self) -> Timer:
        return Timer(self.timer_duration, self.timer_elapsed, self.timer_started_at)

    @timer.setter
    def timer(self, t: Timer) -> None:
        self.timer_duration = t.duration
        self.timer_elapsed = t.elapsed
        self.timer_started_at = t.started_at


class AgendaStep(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("conference_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    position: int  # 1-based order in the programme
    kind: str = "ceremony"
    title: str
    speaker: str = ""
    mc_script: str = ""
    planned_minutes: int = 5
    show_timer: bool = False  # show the step timer on the hall projector
    media: str = ""  # video file: "media/x.webm" under static/, or "upload/x.mp4" under media_dir


class RoleKey(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("conference_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    role: str
    key: str = Field(unique=True, index=True)


class Event(SQLModel, table=True):
    """The event log: one row per committed command, also the audit log."""

    __table_args__ = (UniqueConstraint("conference_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    seq: int
    type: str
    payload: str = "{}"  # JSON
    actor_role: str = ""
    created_at: datetime = Field(default_factory=utcnow)
