"""The tables. Live state (current step, timer, projector mode) sits on the conference row,
so one UPDATE of that row both serialises a command and changes the state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from live.timer import Timer

STEP_KINDS = ("ceremony", "speech", "video", "dialogue", "gifts")
STEP_KIND_NAMES = {
    "ceremony": "Nghi thức",
    "speech": "Phát biểu",
    "video": "Phóng sự / video",
    "dialogue": "Đối thoại",
    "gifts": "Tặng quà",
}
LIST_KINDS = ("field", "agency", "unit", "group")
LIST_KIND_NAMES = {
    "field": "Lĩnh vực",
    "agency": "Cơ quan trả lời",
    "unit": "Đơn vị",
    "group": "Thành phần đại biểu",
}
GENDERS = ("Nam", "Nữ")
CHECKIN_DESKS = 4  # the plan's tables at the hall entrance
QUESTION_SOURCES = {"written": "Gửi trước", "floor": "Tại hội trường", "phone": "Qua điện thoại"}
# Where a question is: waiting for review, in the queue, at a microphone, or closed.
QUESTION_STATUSES = {
    "pending": "Chờ duyệt",
    "queued": "Trong hàng đợi",
    "on_deck": "Chuẩn bị",
    "live": "Đang hỏi",
    "answering": "Đang trả lời",
    "answered": "Đã trả lời",
    "in_writing": "Trả lời bằng văn bản",
    "withdrawn": "Rút câu hỏi",
    "rejected": "Không duyệt",
    "merged": "Đã gộp",
}
AT_MIC = ("on_deck", "live", "answering")
CLOSED = ("answered", "in_writing", "withdrawn", "rejected", "merged")
ProjectorMode = Literal["live", "hold", "blackout"]
PROJECTOR_MODES: tuple[str, ...] = get_args(ProjectorMode)
MAX_STEPS = 40  # steps in a programme
PROJECTOR_MODE_NAMES = {"live": "Trình chiếu", "hold": "Băng rôn", "blackout": "Màn đen"}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Meta(SQLModel, table=True):
    """Install-wide key/value pairs: cookie secret, demo seeded (the schema's version is
    Alembic's alembic_version; files made before it kept it here as schema_version)."""

    key: str = Field(primary_key=True)
    value: str


class HasTimer(SQLModel):
    """A stage timer's columns (the step timer of a conference, a question's speaking or
    answer timer), read and written as one live.timer.Timer."""

    timer_duration: float = 0.0
    timer_elapsed: float = 0.0
    timer_started_at: float | None = None

    @property
    def timer(self) -> Timer:
        return Timer(self.timer_duration, self.timer_elapsed, self.timer_started_at)

    @timer.setter
    def timer(self, t: Timer) -> None:
        self.timer_duration = t.duration
        self.timer_elapsed = t.elapsed
        self.timer_started_at = t.started_at


class Conference(HasTimer, table=True):
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
    video_playing: bool = False
    video_offset: float = 0.0  # seconds into the video when last paused / started
    video_ended: bool = False  # the projector played it to its end (video.ended)
    video_started_at: float | None = None

    # The floor (dialogue step).
    mic_count: int = 4  # wireless floor microphones, 1..8
    max_live: int = 1  # delegates speaking at once
    speak_seconds: int = 180
    answer_seconds: int = 300
    mc_message: str = ""  # a moderator's private note to the MC, until the MC clears it
    mc_message_from: str = ""

    # The conclusion notice's issuing body (Nghị định 30/2020: the parent body over the
    # issuer) and the place in its date line.
    notice_issuer_parent: str = "UBND TỈNH HÒA BÌNH"
    notice_issuer: str = "VĂN PHÒNG"
    notice_place: str = "Hòa Bình"

    # The hall: seats in rows A, B, … of `seats_per_row` each (250 in the plan's hall).
    seat_rows: int = 10
    seats_per_row: int = 25

    # Gifts: recipients go up in batches of `gift_batch_size`, in list order; the projector
    # shows batch `gift_batch` during the gifts step (0 = the step's title card).
    gift_batch_size: int = 10
    gift_batch: int = 0
    # Badge codes handed out so far: a removed delegate's code is never given again,
    # since a badge may already be printed with it.
    badges_issued: int = 0


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
    # …and past zero (−0:12, red); otherwise the hall's timer stops at 0:00 while the MC's
    # and the moderators' count on: overtime is theirs to manage, not the hall's to watch.
    show_overtime: bool = False
    media: str = ""  # video file: "media/x.webm" under static/, or "upload/x.mp4" under media_dir
    # What really happened (issue 15; the timing report reads it): when the step was first
    # entered, and its timer as it stood when the MC last left it (None: never run), so that
    # going back and forward again goes on from there, as a stage timer does.
    began_at: float | None = None
    kept_duration: float | None = None
    kept_elapsed: float = 0.0


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
    # What it changed, JSON {kind: [key, …]} (live.effects): what lets a process bring the
    # rows it keeps up to date from the log (live.kept); "" for events logged before v6.
    effects: str = ""


class ProjectorFrame(SQLModel, table=True):
    """What the hall projector showed from event `seq` on: its regions' HTML (JSON), kept
    whenever it changed, so the day can be replayed from the log."""

    __table_args__ = (UniqueConstraint("conference_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    seq: int
    at: float
    regions: str  # JSON {region: html}


class ListItem(SQLModel, table=True):
    """The conference's configurable lists: fields (lĩnh vực), agencies (sở, ngành), units."""

    __table_args__ = (UniqueConstraint("conference_id", "kind", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    kind: str  # one of LIST_KINDS
    name: str
    position: int = 0  # list order; for groups, the protocol order of the introduction
    # Units only: delegates it invites, gift recipients it may propose.
    delegate_quota: int = 0
    gift_quota: int = 0
    # Groups only: how many of its highest-ranked delegates present the MC introduces by
    # name at the opening (0: the group is mentioned as a whole).
    introduce: int = 0


class Question(HasTimer, table=True):
    __table_args__ = (UniqueConstraint("conference_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    number: int  # shown to people: "Câu 12"
    source: str = "written"  # one of QUESTION_SOURCES
    asker_name: str = ""
    asker_position: str = ""
    asker_unit: str = ""
    field: str = ""
    text: str
    agency: str = ""  # expected to answer
    internal: bool = False  # moderators only: never on the projector
    # The page of its text the hall sees, when it is longer than the projector holds at a
    # size still legible from the back row (the moderator turns them: question.page).
    page: int = 0
    status: str = "queued"
    queue_rank: float = 0.0  # order in the queue: lower first
    mic: int | None = None  # while on deck, live or answering
    merged_into: int | None = None  # Question.id it was merged into
    # The open questions whose text looks most like this one's, as JSON [[id, score], …],
    # closest first: worked out when a question arrives or its text changes, never per
    # render (live.commands.floor.note_look_alikes).
    look_alikes: str = "[]"
    # Its timer (HasTimer) is the speaking, then the answer timer at the microphone.
    # When each transition happened (epoch seconds).
    created_at: float = 0.0
    queued_at: float | None = None
    on_deck_at: float | None = None
    live_at: float | None = None
    answering_at: float | None = None
    closed_at: float | None = None


class QuestionAsker(SQLModel, table=True):
    """Further askers of a question that duplicates merged into it."""

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    name: str = ""
    position: str = ""
    unit: str = ""
    source: str = "written"
    text: str = ""  # their own wording, kept


ANSWER_OUTCOMES = {
    "answered": "Trả lời tại hội nghị",
    "in_writing": "Trả lời bằng văn bản",
    "study": "Ghi nhận, nghiên cứu",
    "referred": "Chuyển cơ quan khác",
}
COMMITMENT_STATUSES = {"not_started": "Chưa làm", "in_progress": "Đang làm", "done": "Đã xong"}
# What the follow-up shows: the stored status, or "overdue" computed from the deadline.
FOLLOWUP_STATUSES = {**COMMITMENT_STATUSES, "overdue": "Quá hạn"}


class Answer(SQLModel, table=True):
    """What the secretaries recorded of a question's answer. `version` grows with each
    save, so two secretaries editing at once cannot silently overwrite each other."""

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    question_id: int = Field(foreign_key="question.id", unique=True)
    responder_agency: str = ""
    responder_name: str = ""
    responder_position: str = ""
    summary: str = ""
    outcome: str = ""  # one of ANSWER_OUTCOMES, or "" while not decided
    referred_to: str = ""  # the agency, when the outcome is "referred"
    version: int = 0
    updated_at: float = 0.0
    updated_role: str = ""


class Commitment(SQLModel, table=True):
    """A task given at the conference: "Giao [lead] chủ trì, phối hợp [others] … trước ngày …"."""

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    task: str
    lead_agency: str = ""
    cooperating: str = "[]"  # JSON list of agency names
    deadline: str = ""  # ISO date, or "" when none was set
    status: str = "not_started"  # one of COMMITMENT_STATUSES; "overdue" is computed
    note: str = ""
    version: int = 1
    created_at: float = 0.0


class NoticeEdit(SQLModel, table=True):
    """A paragraph of the conclusion notice as a secretary rewrote it; it replaces the
    generated text (keys: "opening", "assessment", "q:<id>", "c:<id>", …)."""

    __table_args__ = (UniqueConstraint("conference_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    key: str = Field(max_length=40)
    text: str
    version: int = 1


class Delegate(SQLModel, table=True):
    """An invited delegate (or a walk-in added at a check-in desk)."""

    __table_args__ = (UniqueConstraint("conference_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    code: str  # printed as the badge's QR code ("DB0042"); a USB scanner types it
    name: str
    gender: str = ""  # one of GENDERS, or "" when not given
    position: str = ""  # chức vụ
    unit: str = ""  # a unit of the list, or the body a guest comes from
    group_name: str = ""  # thành phần: a "group" list item
    rank: int = 100  # protocol order within the group, lower first
    seat: str = ""  # "A05": row letter and number
    walk_in: bool = False
    checked_in_at: float | None = None
    checkin_desk: int | None = None
    documents_at: float | None = None  # documents and allowance handed over
    created_at: float = 0.0


class GiftRecipient(SQLModel, table=True):
    """A union member or worker in difficult circumstances who receives a gift."""

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    position: int  # order on the stage; batches are consecutive runs of this order
    name: str
    unit: str = ""
    circumstances: str = ""  # hoàn cảnh
    value: int = 0  # đồng
    handed_at: float | None = None


class GiftBatch(SQLModel, table=True):
    """Who presents the gifts of one batch ("đồng chí …, Chủ tịch UBND tỉnh")."""

    __table_args__ = (UniqueConstraint("conference_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    number: int
    presenters: str = ""


class FormVisit(SQLModel, table=True):
    """A phone that opened the public question form, once per conference and day (its
    session cookie's random id): the admin sees how many phones reach the form."""

    __table_args__ = (UniqueConstraint("conference_id", "day", "visitor"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    day: str  # local ISO date
    visitor: str = Field(max_length=40)


class Presence(SQLModel, table=True):
    """The screens one worker holds, per conference and screen kind. With several workers
    (PostgreSQL) each writes its own counts and the consoles show the sum of the fresh ones
    (`seen_at` within live.runtime.PRESENCE_FRESH): a worker that died stops counting."""

    origin: str = Field(primary_key=True, max_length=40)  # live.bus.ORIGIN
    slug: str = Field(primary_key=True, max_length=100)
    kind: str = Field(primary_key=True, max_length=40)
    count: int = 0
    seen_at: float = 0.0


class RateHit(SQLModel, table=True):
    """One counted event of a rate limit the workers share (a question sent from the public
    form, a wrong key); live.runtime.SharedRateLimiter counts them in a time window."""

    __table_args__ = (Index("ix_ratehit_scope_key_at", "scope", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=20)
    key: str = Field(max_length=200)
    at: float
