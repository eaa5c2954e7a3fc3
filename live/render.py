"""One rendering path: the Jinja2 templates in screens/ draw both the first page load and
every live update. A screen is a set of named regions; a push carries the regions whose
HTML changed, rendered once per screen kind."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from live.auth import link_label, role_links
from live.imports import DUPLICATE_THRESHOLD, similar
from live.models import (
    ANSWER_OUTCOMES,
    AT_MIC,
    COMMITMENT_STATUSES,
    FOLLOWUP_STATUSES,
    LIST_KINDS,
    PROJECTOR_MODE_NAMES,
    QUESTION_SOURCES,
    QUESTION_STATUSES,
    ROLE_NAMES,
    STEP_KIND_NAMES,
    AgendaStep,
    Answer,
    Commitment,
    Conference,
    ListItem,
    NoticeEdit,
    Question,
    QuestionAsker,
    RoleKey,
)
from live.settings import SCREENS_DIR, STATIC_DIR
from live.timer import WARNING_SECONDS, Timer, format_clock, phase

QUESTION_WARNING_SECONDS = 30  # a speaker's timer turns yellow in its last 30 s

# Screen kind -> its regions, in page order. Each region is screens/regions/<name>.html,
# drawn inside <div id="<name>"> on the page; the browser swaps that element's content.
SCREENS: dict[str, tuple[str, ...]] = {
    "mc": (
        "mc-bar",
        "mc-message",
        "mc-floor",
        "mc-current",
        "mc-timer",
        "mc-next",
        "mc-projector",
        "mc-agenda",
    ),
    "projector": ("projector-stage", "projector-timer", "projector-media"),
    "moderator": ("mod-bar", "mod-mics", "mod-pending", "mod-queue", "mod-message", "mod-done"),
    "mic": ("mic-panel",),  # kinds "mic:1" … "mic:8": one per floor microphone
    "admin": ("admin-floor", "admin-links"),
    "secretary": ("sec-list", "sec-answer", "sec-notice"),  # "secretary" or "secretary:<id>"
    "followup": ("followup-list",),
}
SCREEN_NAMES = {
    "mc": "MC",
    "projector": "Màn chiếu",
    "moderator": "Điều phối",
    "mic": "Micro",
    "admin": "Quản trị",
    "secretary": "Thư ký",
    "followup": "Theo dõi",
}


def screen_base(kind: str) -> str:
    """ "mic:3" -> "mic"; other kinds are their own base."""
    return kind.partition(":")[0]


def screen_name(kind: str) -> str:
    base, _, param = kind.partition(":")
    return f"{SCREEN_NAMES.get(base, base)} {param}".strip()


UPLOAD_PREFIX = "uploads/"


def timer_view(t: Timer, warning: float) -> dict[str, Any]:
    """A timer as the templates need it (data-* attributes for the browser to tick).

    The text is the time left when the current run began, not "now": a render must depend
    on the state alone, or every push would differ. The browser ticks it from there.
    """
    remaining = t.duration - t.elapsed
    return {
        "duration": t.duration,
        "elapsed": round(t.elapsed, 3),
        "started_at": t.started_at if t.started_at is not None else "",
        "warning": warning,
        "text": format_clock(remaining),
        "phase": phase(remaining, warning),
        "running": t.running,
    }


@dataclass
class View:
    """What every screen of one conference shows, read in one transaction."""

    conference: Conference
    steps: list[AgendaStep]
    questions: list[Question]  # every question, in queue order
    askers: dict[int, list[QuestionAsker]]  # question id -> further askers (merged)
    lists: dict[str, list[str]]  # "field" / "agency" / "unit" -> names
    keys: dict[str, str]  # role -> key (shown on the admin screen only)
    answers: dict[int, Answer]  # question id -> what the secretaries recorded
    commitments: dict[int, list[Commitment]]  # question id -> tasks given
    notice_edits: dict[str, NoticeEdit]  # paragraph key -> the secretaries' own text
    media_dir: Path
    now: float = field(default_factory=time.time)

    @property
    def seq(self) -> int:
        return self.conference.seq

    @property
    def epoch(self) -> str:
        return self.conference.epoch

    @property
    def current(self) -> AgendaStep | None:
        pos = self.conference.current_position
        return self.steps[pos - 1] if 0 < pos <= len(self.steps) else None

    @property
    def next_step(self) -> AgendaStep | None:
        pos = self.conference.current_position
        return self.steps[pos] if pos < len(self.steps) else None

    def media_url(self, step: AgendaStep | None) -> str | None:
        """The URL of a step's video, or None when the file is not there."""
        if step is None or not step.media:
            return None
        if step.media.startswith(UPLOAD_PREFIX):
            name = step.media[len(UPLOAD_PREFIX) :]
            base, path, url = self.media_dir, self.media_dir / name, f"/uploads/{name}"
        else:
            base, path, url = STATIC_DIR, STATIC_DIR / step.media, f"/static/{step.media}"
        try:
            inside = path.resolve().is_relative_to(base.resolve())
        except OSError:
            return None
        return url if inside and path.is_file() else None

    def timer(self) -> dict[str, Any]:
        return timer_view(self.conference.timer, WARNING_SECONDS)

    # --- the floor ---------------------------------------------------------------------

    def with_status(self, *statuses: str) -> list[Question]:
        return [q for q in self.questions if q.status in statuses]

    @property
    def pending(self) -> list[Question]:
        return self.with_status("pending")

    @property
    def queue(self) -> list[Question]:
        return self.with_status("queued")

    @property
    def done(self) -> list[Question]:
        """Closed questions, the latest first."""
        closed = self.with_status("answered", "in_writing", "withdrawn", "rejected", "merged")
        return sorted(closed, key=lambda q: q.closed_at or 0, reverse=True)

    @property
    def mics(self) -> list[tuple[int, Question | None]]:
        by_mic = {q.mic: q for q in self.with_status(*AT_MIC)}
        return [(n, by_mic.get(n)) for n in range(1, self.conference.mic_count + 1)]

    @property
    def free_mics(self) -> list[int]:
        return [n for n, q in self.mics if q is None]

    def at_mic(self, number: int) -> Question | None:
        return dict(self.mics).get(number)

    @property
    def speaking(self) -> Question | None:
        """The question the hall is following: live, else being answered."""
        for status in ("live", "answering"):
            found = sorted(self.with_status(status), key=lambda q: q.live_at or 0)
            if found:
                return found[0]
        return None

    def up_next(self, count: int, public: bool = False) -> list[Question]:
        """Who comes next: those waiting at a microphone, then the queue."""
        waiting = sorted(self.with_status("on_deck"), key=lambda q: q.on_deck_at or 0)
        line = [q for q in waiting + self.queue if not (public and q.internal)]
        return line[:count]

    def counts(self) -> dict[str, int]:
        return {
            "asked": len(self.with_status("live", "answering", "answered", "in_writing")),
            "answered": len(self.with_status("answered")),
            "in_writing": len(self.with_status("in_writing")),
            "waiting": len(self.with_status("queued", "on_deck")),
            "pending": len(self.pending),
        }

    def question_timer(self, q: Question) -> dict[str, Any]:
        return timer_view(q.timer, QUESTION_WARNING_SECONDS)

    def duplicates_of(self, q: Question) -> list[Question]:
        """Open questions whose text looks alike (a hint for merging, never automatic)."""
        return self._duplicates.get(q.id, []) if q.id is not None else []

    @functools.cached_property
    def _duplicates(self) -> dict[int, list[Question]]:
        open_ = [q for q in self.questions if q.status in ("pending", "queued", *AT_MIC)]
        by_id = {q.id: q for q in open_}
        pairs = look_alike_pairs(tuple((q.id, q.text) for q in open_))
        found: dict[int, list[Question]] = {}
        for a, b in pairs:
            found.setdefault(a, []).append(by_id[b])
            found.setdefault(b, []).append(by_id[a])
        return found

    @property
    def asked(self) -> list[Question]:
        """Questions a secretary has something to record for: at a microphone, closed after
        being taken, or with an answer already recorded; in the order they were taken."""
        taken = [
            q
            for q in self.questions
            if q.status in ("live", "answering", "answered", "in_writing") or q.id in self.answers
        ]
        return sorted(
            taken, key=lambda q: (q.live_at or q.answering_at or q.closed_at or 9e18, q.number)
        )

    def secretary_question(self, pinned_id: int | None) -> Question | None:
        """The pinned question, else the one the hall is following, else the last taken."""
        if pinned_id is not None:
            return next((q for q in self.questions if q.id == pinned_id), None)
        return self.speaking or (self.asked[-1] if self.asked else None)

    def followup(self) -> list[dict[str, Any]]:
        """Every commitment with its question and its status, "overdue" computed from the
        deadline (never stored: it changes with the calendar, not with a command)."""
        today = date.fromtimestamp(self.now).isoformat()
        by_id = {q.id: q for q in self.questions}
        items = []
        for qid, commitments in self.commitments.items():
            for c in commitments:
                overdue = c.status != "done" and bool(c.deadline) and c.deadline < today
                items.append(
                    {"c": c, "q": by_id.get(qid), "status": "overdue" if overdue else c.status}
                )
        return sorted(items, key=lambda i: (i["c"].deadline or "9999", i["c"].id))

    @property
    def in_dialogue(self) -> bool:
        current = self.current
        return bool(current and current.kind == "dialogue")


@functools.lru_cache(maxsize=8)
def look_alike_pairs(texts: tuple[tuple[int | None, str], ...]) -> list[tuple[int, int]]:
    """Pairs of question ids whose texts look alike. Quadratic, so cached: most commands
    (timers, microphones) leave the open questions' texts as they were."""
    pairs = []
    for i, (a, text_a) in enumerate(texts):
        for b, text_b in texts[i + 1 :]:
            if a is not None and b is not None and similar(text_a, text_b) >= DUPLICATE_THRESHOLD:
                pairs.append((a, b))
    return pairs


def load_view(engine: Engine, slug: str, media_dir: Path) -> View | None:
    with Session(engine) as s:
        conf = s.exec(select(Conference).where(Conference.slug == slug)).first()
        if conf is None:
            return None
        steps = list(
            s.exec(
                select(AgendaStep)
                .where(AgendaStep.conference_id == conf.id)
                .order_by(AgendaStep.position)  # type: ignore[arg-type]
            )
        )
        questions = list(
            s.exec(
                select(Question)
                .where(Question.conference_id == conf.id)
                .order_by(Question.queue_rank, Question.number)  # type: ignore[arg-type]
            )
        )
        askers: dict[int, list[QuestionAsker]] = {}
        ids = [q.id for q in questions]
        if ids:
            for a in s.exec(select(QuestionAsker).where(QuestionAsker.question_id.in_(ids))):  # type: ignore[attr-defined]
                askers.setdefault(a.question_id, []).append(a)
        lists: dict[str, list[str]] = {kind: [] for kind in LIST_KINDS}
        for item in s.exec(
            select(ListItem)
            .where(ListItem.conference_id == conf.id)
            .order_by(ListItem.kind, ListItem.position)  # type: ignore[arg-type]
        ):
            lists.setdefault(item.kind, []).append(item.name)
        keys = {
            rk.role: rk.key
            for rk in s.exec(select(RoleKey).where(RoleKey.conference_id == conf.id))
        }
        answers = {
            a.question_id: a for a in s.exec(select(Answer).where(Answer.conference_id == conf.id))
        }
        commitments: dict[int, list[Commitment]] = {}
        for c in s.exec(
            select(Commitment).where(Commitment.conference_id == conf.id).order_by(Commitment.id)  # type: ignore[arg-type]
        ):
            commitments.setdefault(c.question_id, []).append(c)
        edits = {
            e.key: e for e in s.exec(select(NoticeEdit).where(NoticeEdit.conference_id == conf.id))
        }
        s.expunge_all()
        return View(
            conf, steps, questions, askers, lists, keys, answers, commitments, edits, media_dir
        )


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(SCREENS_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        ROLE_NAMES=ROLE_NAMES,
        STEP_KIND_NAMES=STEP_KIND_NAMES,
        PROJECTOR_MODE_NAMES=PROJECTOR_MODE_NAMES,
        SCREEN_NAMES=SCREEN_NAMES,
        QUESTION_SOURCES=QUESTION_SOURCES,
        QUESTION_STATUSES=QUESTION_STATUSES,
        ANSWER_OUTCOMES=ANSWER_OUTCOMES,
        COMMITMENT_STATUSES=COMMITMENT_STATUSES,
        FOLLOWUP_STATUSES=FOLLOWUP_STATUSES,
    )
    env.filters["json_list"] = json.loads
    env.filters["dmy"] = dmy
    env.filters.update(clock=format_clock, vn_date=vn_date, screen_name=screen_name)
    return env


def dmy(iso: str) -> str:
    """ "2024-12-31" -> "31/12/2024" ("" stays "")."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def vn_date(iso: str) -> str:
    """ "2024-07-05" -> "ngày 05 tháng 7 năm 2024", the way an official text writes it."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    # Nghị định 30/2020: a leading zero on days below 10 and on months 1 and 2.
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


class Renderer:
    def __init__(self, env: Environment, public_base: str) -> None:
        self.env = env
        self.public_base = public_base  # where phones reach this server (for QR codes)

    def ask_url(self, slug: str) -> str:
        return f"{self.public_base}/e/{slug}/ask"

    @functools.lru_cache(maxsize=32)  # noqa: B019 - one renderer per process, a few URLs
    def qr_svg(self, url: str) -> Markup:
        """A QR code of `url` as inline SVG (segno), dark on white for any phone camera."""
        return Markup(segno.make(url, error="m").svg_inline(border=2, omitsize=True))

    def context(self, kind: str, view: View, presence: dict[str, int]) -> dict[str, Any]:
        base, _, param = kind.partition(":")
        return {
            "kind": kind,
            "base": base,
            "mic_number": int(param) if base == "mic" else None,
            "pinned_id": int(param) if base == "secretary" and param else None,
            "ask_url": self.ask_url(view.conference.slug),
            "renderer_qr": self.qr_svg(self.ask_url(view.conference.slug)),
            "view": view,
            "c": view.conference,
            "steps": view.steps,
            "current": view.current,
            "next_step": view.next_step,
            "timer": view.timer(),
            "presence": presence,
            "screens_connected": sum(presence.values()),
            "role_links": role_links(
                self.public_base, view.conference.slug, view.keys, view.conference.mic_count
            )
            if base == "admin"
            else [],
            "qr": self.qr_svg,
            "link_label": link_label,
        }

    def regions(self, kind: str, view: View, presence: dict[str, int]) -> dict[str, str]:
        ctx = self.context(kind, view, presence)
        names = SCREENS[screen_base(kind)]
        return {name: self.env.get_template(f"regions/{name}.html").render(ctx) for name in names}

    def page(self, kind: str, view: View, presence: dict[str, int], **extra: Any) -> str:
        """The whole page: the same region templates a push renders, inside the layout."""
        ctx = self.context(kind, view, presence)
        regions = self.regions(kind, view, presence)
        ctx["regions_html"] = {name: Markup(html) for name, html in regions.items()}
        ctx.update(extra)
        return self.env.get_template(f"{screen_base(kind)}.html").render(ctx)

    def message_page(self, title: str, message: str, status: int = 400) -> str:
        return self.env.get_template("message.html").render(
            title=title, message=message, status=status
        )
