"""One rendering path: the Jinja2 templates in screens/ draw both the first page load and
every live update. A screen is a set of named regions; a push carries the regions whose
HTML changed, rendered once per screen kind."""

from __future__ import annotations

import functools
import json
import re
import time
import unicodedata
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from live.access import ROLE_NAMES
from live.auth import link_label, link_path, opens_live_screen, role_links
from live.collation import name_sort_key
from live.commands import COMMANDS
from live.commands.args import BIDI_CONTROLS, input_attributes
from live.commands.floor import REOPENABLE
from live.kept import KeptRows
from live.keyed import Items, join
from live.models import (
    ANSWER_OUTCOMES,
    AT_MIC,
    CHECKIN_DESKS,
    COMMITMENT_STATUSES,
    FOLLOWUP_STATUSES,
    GENDERS,
    LIST_KIND_NAMES,
    LIST_KINDS,
    PROJECTOR_MODE_NAMES,
    QUESTION_SOURCES,
    QUESTION_STATUSES,
    STEP_KIND_NAMES,
    STEP_KINDS,
    AgendaStep,
    Answer,
    Commitment,
    Conference,
    Delegate,
    FormVisit,
    GiftBatch,
    GiftRecipient,
    ListItem,
    NoticeEdit,
    Question,
    QuestionAsker,
    RoleKey,
)
from live.protocol import introduced
from live.settings import SCREENS_DIR, STATIC_DIR, reachable_from_hall
from live.timer import WARNING_SECONDS, Timer, format_clock, phase

QUESTION_WARNING_SECONDS = 30  # a speaker's timer turns yellow in its last 30 s

# Screen kind -> its regions, in page order. Each region is screens/regions/<name>.html,
# drawn inside <div id="<name>"> on the page; the browser swaps that element's content.
# A list region (LISTS below) is drawn item by item instead, and patched by key. Every
# screen has "page-data": the lists its forms offer (datalists) and its title, so the page
# around the regions holds nothing that can go stale.
SCREENS: dict[str, tuple[str, ...]] = {
    "mc": (
        "page-data",
        "mc-bar",
        "mc-message",
        "mc-floor",
        "mc-current",
        "mc-timer",
        "mc-next",
        "mc-projector",
        "mc-hall",
        "mc-agenda",
    ),
    "projector": ("page-data", "projector-stage", "projector-timer", "projector-media"),
    "moderator": (
        "page-data",
        "mod-bar",
        "mod-mics",
        "mod-pending",
        "mod-queue",
        "mod-message",
        "mod-done",
    ),
    "mic": ("page-data", "mic-panel"),  # kinds "mic:1" … "mic:8": one per floor microphone
    "admin": (
        "page-data",
        "admin-conference",
        "admin-agenda",
        "admin-lists",
        "admin-people",
        "admin-att-groups",
        "admin-att-units",
        "admin-gifts",
        "admin-gift-list",
        "admin-floor",
        "admin-links",
    ),
    # "secretary" or "secretary:<id>" (a question pinned)
    "secretary": ("page-data", "sec-list", "sec-answer", "sec-notice"),
    "followup": ("page-data", "followup-count", "followup-list"),
    "checkin": ("page-data", "checkin-stats", "checkin-groups", "checkin-list"),
    "gifts": ("page-data", "gifts-summary", "gifts-list"),
}


@dataclass(frozen=True)
class ListRegion:
    """A region that is a list of items, each patched by its key (live.keyed).

    `items(view, context)` gives (key, item) pairs in page order; screens/items/<item>.html
    draws one, given `key` and `item` beside the region's context, as one element with
    `data-key="{{ key }}"`. An item must show only what is its own (or what changes it
    through the region's declared dependencies): nothing about its place in the list, so
    that a new item does not change its neighbours."""

    item: str
    items: Callable[[View, dict[str, Any]], Iterable[tuple[str, Any]]]
    # For long lists: everything an item's HTML depends on, as one comparable value. An
    # item whose fingerprint is the one of its last render is not drawn again (Renderer),
    # so a change to one of 400 queued questions draws one. tests/test_regions.py checks,
    # after every command of a scripted day, that these renders equal fresh ones.
    fingerprint: Callable[[View, Any], Hashable] | None = None


def row_values(row: Any) -> tuple[Any, ...]:
    """A row's column values."""
    return tuple(getattr(row, name) for name in type(row).model_fields)


def _question_facts(q: Question) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    return row_values(q), tuple(i for i, _score in json.loads(q.look_alikes))


def _question_fingerprint(view: View, q: Question) -> Hashable:
    kept = view.kept.get("question")
    values, alike = kept.facts(q, _question_facts) if kept else _question_facts(q)
    return (
        values,
        tuple(row_values(a) for a in view.askers.get(q.id or 0, ())),
        tuple(i for i in alike if i in view._open_by_id),  # the hints it shows
        view.conference.mic_count,
    )


def _by_id(things: Iterable[Any]) -> list[tuple[str, Any]]:
    return [(str(t.id), t) for t in things]


def _asked(view: View, context: dict[str, Any]) -> list[tuple[str, Any]]:
    """The secretaries' list, the question they are on marked."""
    current = view.secretary_question(context["pinned_id"])
    return [(str(q.id), {"q": q, "current": q is current}) for q in view.asked]


def _gift_rows(view: View, _context: dict[str, Any]) -> list[tuple[str, Any]]:
    """Each batch's heading, then its recipients."""
    rows: list[tuple[str, Any]] = []
    for batch in view.gift_batches:
        rows.append((f"b{batch['number']}", batch))
        rows.extend((f"g{r.id}", r) for r in batch["recipients"])
    return rows


LISTS: dict[str, ListRegion] = {
    "mod-pending": ListRegion(
        "question-pending", lambda v, _: _by_id(v.pending), _question_fingerprint
    ),
    "mod-queue": ListRegion("question-queued", lambda v, _: _by_id(v.queue), _question_fingerprint),
    "mod-done": ListRegion("question-done", lambda v, _: _by_id(v.done[:DONE_SHOWN])),
    "sec-list": ListRegion("sec-question", _asked),
    "checkin-list": ListRegion(
        "delegate-row", lambda v, _: _by_id(v.delegates), lambda _, d: row_values(d)
    ),
    "gifts-list": ListRegion("gift-row", _gift_rows),
    "admin-gift-list": ListRegion("gift-admin-row", _gift_rows),
    "checkin-groups": ListRegion(
        "group-chip", lambda v, _: [(r["name"], r) for r in v.attendance()["groups"]]
    ),
    "admin-att-groups": ListRegion(
        "attendance-row", lambda v, _: [(r["name"], r) for r in v.attendance()["groups"]]
    ),
    "admin-att-units": ListRegion(
        "attendance-row", lambda v, _: [(r["name"], r) for r in v.attendance()["units"]]
    ),
    "followup-list": ListRegion(
        "followup-row", lambda v, _: [(str(i["c"].id), i) for i in v.followup]
    ),
}
DONE_SHOWN = 30  # the moderators' "done" list: the latest closed questions

# Region -> the effect kinds (live.effects) whose change can change its HTML. After a
# commit the hub re-renders only the regions that depend on what it touched. Every region
# also depends on the conference's setup (its title, date…). Too much here costs a render;
# too little shows a stale region: tests/test_regions.py renders every region after each
# command of a scripted day and fails on any change not declared here.
FLOOR = ("question", "asker", "floor")
REGION_DEPENDS: dict[str, frozenset[str]] = {
    name: frozenset(("setup", *kinds))
    for name, kinds in {
        "page-data": ("list",),
        "mc-bar": ("presence", "stage", "step", "delegate"),
        "mc-message": ("message",),
        "mc-floor": (*FLOOR, "stage", "step", "delegate"),
        "mc-current": (
            "stage",
            "step",
            "delegate",
            "list",
            "gift",
            "giftbatch",
            "gifts",
            "question",
        ),
        "mc-timer": ("stage", "step"),
        "mc-next": ("stage", "step"),
        "mc-projector": ("stage", "step"),
        "mc-hall": ("delegate", "list"),
        "mc-agenda": ("stage", "step"),
        "projector-stage": (*FLOOR, "answer", "stage", "step", "gift", "giftbatch", "gifts"),
        "projector-timer": (*FLOOR, "stage", "step"),
        "projector-media": ("stage", "step"),
        "mod-bar": ("presence", "stage", "step", "question"),
        "mod-mics": (*FLOOR, "answer", "delegate", "stage"),
        "mod-pending": (*FLOOR, "list"),
        "mod-queue": (*FLOOR, "list"),
        "mod-message": ("message",),
        "mod-done": (*FLOOR, "answer"),
        "mic-panel": (*FLOOR, "delegate", "stage", "step"),
        "admin-conference": (),
        "admin-agenda": ("stage", "step"),
        "admin-lists": ("list",),
        "admin-people": ("delegate", "list", "gift"),
        "admin-att-groups": ("delegate", "list"),
        "admin-att-units": ("delegate", "list"),
        "admin-gifts": ("gift", "giftbatch", "gifts", "list"),
        "admin-gift-list": ("gift", "giftbatch", "gifts"),
        "admin-floor": ("floor", "question"),
        "admin-links": ("rolekey", "phones", "floor"),
        "sec-list": (*FLOOR, "answer", "commitment", "stage", "step"),
        "sec-answer": (*FLOOR, "answer", "commitment", "list", "stage", "step"),
        "sec-notice": (
            *FLOOR,
            "answer",
            "commitment",
            "notice",
            "list",
            "stage",
            "step",
            "delegate",
        ),
        "followup-count": ("question", "commitment"),
        "followup-list": ("question", "commitment"),
        "checkin-stats": ("delegate", "list"),
        "checkin-groups": ("delegate", "list"),
        "checkin-list": ("delegate",),
        "gifts-summary": ("gift", "giftbatch", "gifts", "stage", "step"),
        "gifts-list": ("gift", "giftbatch", "gifts", "stage", "step"),
    }.items()
}


def regions_depending_on(kind: str, effects: Collection[str]) -> list[str]:
    """The regions of screen `kind` whose HTML may change with these effect kinds."""
    touched = set(effects)
    return [n for n in SCREENS[screen_base(kind)] if REGION_DEPENDS[n] & touched]


SCREEN_NAMES = {
    "mc": "MC",
    "projector": "Màn chiếu",
    "moderator": "Điều phối",
    "mic": "Micro",
    "admin": "Quản trị",
    "secretary": "Thư ký",
    "followup": "Theo dõi",
    "checkin": "Đón tiếp",
    "gifts": "Trao quà",
}


def screen_base(kind: str) -> str:
    """ "mic:3" -> "mic"; other kinds are their own base."""
    return kind.partition(":")[0]


def screen_name(kind: str) -> str:
    base, _, param = kind.partition(":")
    return f"{SCREEN_NAMES.get(base, base)} {param}".strip()


UPLOAD_PREFIX = "uploads/"


# What the MC's scripts may hold for the app to fill (View.filled; the README lists them).
PLACEHOLDER = re.compile(r"\[(họ tên|số|đọc danh sách đợt (\d+))\]")


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


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


class View:
    """What the screens of one conference show. The conference row is read at once; each
    collection on first use, in one query of its own: a push that re-renders only the MC's
    timer reads the conference and its steps, not 250 delegates and every question."""

    def __init__(
        self,
        engine: Engine,
        conference: Conference,
        media_dir: Path,
        now: float | None = None,
        kept: dict[str, KeptRows] | None = None,
    ) -> None:
        self.engine = engine
        self.conference = conference
        self.media_dir = media_dir
        self.now = time.time() if now is None else now
        self.derived: dict[str, Any] = {}  # what renders of several views may share
        # The long collections kept between views (live.kept): read as they changed.
        self.kept = kept or {}
        assert conference.id is not None
        self._id = conference.id

    def _all(self, query: Any) -> list[Any]:
        with Session(self.engine) as s:
            rows = list(s.exec(query))
            s.expunge_all()
            return rows

    @functools.cached_property
    def steps(self) -> list[AgendaStep]:
        return self._all(
            select(AgendaStep)
            .where(AgendaStep.conference_id == self._id)
            .order_by(AgendaStep.position)  # type: ignore[arg-type]
        )

    @functools.cached_property
    def questions(self) -> list[Question]:
        """Every question, in queue order."""
        if "question" in self.kept:
            return self.kept["question"].rows(self.engine, self.conference)
        return self._all(
            select(Question)
            .where(Question.conference_id == self._id)
            .order_by(Question.queue_rank, Question.number)  # type: ignore[arg-type]
        )

    @functools.cached_property
    def askers(self) -> dict[int, list[QuestionAsker]]:
        """Question id -> further askers (merged into it)."""
        found: dict[int, list[QuestionAsker]] = {}
        for a in self._all(
            select(QuestionAsker)
            .join(Question)
            .where(Question.conference_id == self._id)
            .order_by(QuestionAsker.id)  # type: ignore[arg-type]
        ):
            found.setdefault(a.question_id, []).append(a)
        return found

    @functools.cached_property
    def items(self) -> dict[str, list[ListItem]]:
        """The lists' rows (units' quotas, groups' order), by kind."""
        found: dict[str, list[ListItem]] = {kind: [] for kind in LIST_KINDS}
        for item in self._all(
            select(ListItem)
            .where(ListItem.conference_id == self._id)
            .order_by(ListItem.kind, ListItem.position)  # type: ignore[arg-type]
        ):
            found.setdefault(item.kind, []).append(item)
        return found

    @functools.cached_property
    def lists(self) -> dict[str, list[str]]:
        """ "field" / "agency" / "unit" / "group" -> names."""
        return {kind: [i.name for i in items] for kind, items in self.items.items()}

    @functools.cached_property
    def keys(self) -> dict[str, str]:
        """Role -> key (shown on the admin screen only)."""
        return {
            rk.role: rk.key
            for rk in self._all(select(RoleKey).where(RoleKey.conference_id == self._id))
        }

    @functools.cached_property
    def answers(self) -> dict[int, Answer]:
        """Question id -> what the secretaries recorded."""
        return {
            a.question_id: a
            for a in self._all(select(Answer).where(Answer.conference_id == self._id))
        }

    @functools.cached_property
    def commitments(self) -> dict[int, list[Commitment]]:
        """Question id -> tasks given."""
        found: dict[int, list[Commitment]] = {}
        for c in self._all(
            select(Commitment).where(Commitment.conference_id == self._id).order_by(Commitment.id)  # type: ignore[arg-type]
        ):
            found.setdefault(c.question_id, []).append(c)
        return found

    @functools.cached_property
    def notice_edits(self) -> dict[str, NoticeEdit]:
        """Paragraph key -> the secretaries' own text."""
        return {
            e.key: e
            for e in self._all(select(NoticeEdit).where(NoticeEdit.conference_id == self._id))
        }

    @functools.cached_property
    def delegates(self) -> list[Delegate]:
        """In Vietnamese name order."""
        if "delegate" in self.kept:
            return self.kept["delegate"].rows(self.engine, self.conference)
        return sorted(
            self._all(select(Delegate).where(Delegate.conference_id == self._id)),
            key=delegate_order,
        )

    @functools.cached_property
    def gifts(self) -> list[GiftRecipient]:
        """In stage order."""
        return self._all(
            select(GiftRecipient)
            .where(GiftRecipient.conference_id == self._id)
            .order_by(GiftRecipient.position)  # type: ignore[arg-type]
        )

    @functools.cached_property
    def gift_presenters(self) -> dict[int, str]:
        """Batch number -> who presents it."""
        return {
            b.number: b.presenters
            for b in self._all(select(GiftBatch).where(GiftBatch.conference_id == self._id))
        }

    @functools.cached_property
    def phones_today(self) -> int:
        """Phones that opened the question form today."""
        with Session(self.engine) as s:
            return s.exec(
                select(func.count())
                .select_from(FormVisit)
                .where(
                    FormVisit.conference_id == self._id, FormVisit.day == date.today().isoformat()
                )
            ).one()

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

    @staticmethod
    def stopped_at_zero(timer: dict[str, Any]) -> dict[str, Any]:
        """`timer` as the hall sees a step without overtime: 0:00, amber, once time is up."""
        if timer["phase"] != "overtime":
            return timer
        return {**timer, "text": format_clock(0), "phase": "warning"}

    # --- the floor ---------------------------------------------------------------------

    def with_status(self, *statuses: str) -> list[Question]:
        """In queue order."""
        if len(statuses) == 1:
            return list(self._by_status.get(statuses[0], ()))
        return [q for q in self.questions if q.status in statuses]

    @functools.cached_property
    def _by_status(self) -> dict[str, list[Question]]:
        found: dict[str, list[Question]] = {}
        for q in self.questions:
            found.setdefault(q.status, []).append(q)
        return found

    def how_many(self, *statuses: str) -> int:
        return sum(len(self._by_status.get(s, ())) for s in statuses)

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

    @functools.cached_property
    def mics(self) -> list[tuple[int, Question | None]]:
        by_mic = {q.mic: q for status in AT_MIC for q in self._by_status.get(status, ())}
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
            "asked": self.how_many("live", "answering", "answered", "in_writing"),
            "answered": self.how_many("answered"),
            "in_writing": self.how_many("in_writing"),
            "waiting": self.how_many("queued", "on_deck"),
            "pending": self.how_many("pending"),
        }

    def question_timer(self, q: Question) -> dict[str, Any]:
        return timer_view(q.timer, QUESTION_WARNING_SECONDS)

    def duplicates_of(self, q: Question) -> list[Question]:
        """Open questions whose text looks alike (a hint for merging, never automatic):
        kept with the question when it arrived, not worked out here."""
        return [
            self._open_by_id[i] for i, _score in json.loads(q.look_alikes) if i in self._open_by_id
        ]

    @functools.cached_property
    def _open_by_id(self) -> dict[int, Question]:
        return {
            q.id: q
            for q in self.questions
            if q.id is not None and q.status in ("pending", "queued", *AT_MIC)
        }

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

    @functools.cached_property
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

    # --- delegates, check-in, gifts ------------------------------------------------------

    @property
    def present(self) -> list[Delegate]:
        return [d for d in self.delegates if d.checked_in_at is not None]

    def attendance(self) -> dict[str, Any]:
        return self._attendance

    @functools.cached_property
    def _attendance(self) -> dict[str, Any]:
        """Present / expected, in total, by group (protocol order) and by unit (list order,
        with its quota; guests from outside the list in one row); walk-ins count in all."""

        def tally(key: str, names: list[str]) -> list[dict[str, Any]]:
            rows: dict[str, dict[str, Any]] = {
                n: {"name": n, "present": 0, "total": 0} for n in names
            }
            for d in self.delegates:
                name = getattr(d, key)
                if not name:
                    continue
                row = rows.setdefault(name, {"name": name, "present": 0, "total": 0})
                row["total"] += 1
                row["present"] += d.checked_in_at is not None
            return [r for r in rows.values() if r["total"]]

        quotas = {u.name: u.delegate_quota for u in self.items["unit"]}
        by_unit = tally("unit", list(quotas))
        units = [{**row, "quota": quotas[row["name"]]} for row in by_unit if row["name"] in quotas]
        guests = [row for row in by_unit if row["name"] not in quotas]
        if guests:  # delegates of bodies outside the unit list: leaders, agencies, press
            units.append(
                {
                    "name": "Khách mời (ngoài danh sách đơn vị)",
                    "present": sum(r["present"] for r in guests),
                    "total": sum(r["total"] for r in guests),
                    "quota": None,
                }
            )
        return {
            "present": len(self.present),
            "total": len(self.delegates),
            "walk_ins": sum(d.walk_in for d in self.delegates),
            "documents": sum(d.documents_at is not None for d in self.delegates),
            "groups": tally("group_name", self.lists["group"]),
            "units": units,
        }

    def quota_warnings(self) -> list[str]:
        """Units with more delegates or gift recipients than their quota."""
        delegates: dict[str, int] = {}
        for d in self.delegates:
            delegates[d.unit] = delegates.get(d.unit, 0) + 1
        gifts: dict[str, int] = {}
        for g in self.gifts:
            gifts[g.unit] = gifts.get(g.unit, 0) + 1
        warnings = []
        for unit in self.items["unit"]:
            if delegates.get(unit.name, 0) > unit.delegate_quota:
                warnings.append(
                    f"{unit.name}: {delegates[unit.name]} đại biểu, vượt hạn mức {unit.delegate_quota}."
                )
            if gifts.get(unit.name, 0) > unit.gift_quota:
                warnings.append(
                    f"{unit.name}: {gifts[unit.name]} suất quà, vượt hạn mức {unit.gift_quota}."
                )
        return warnings

    def introduced(self, present_only: bool = False) -> list[Delegate]:
        """The delegates named one by one at the opening, in protocol order (of those
        present, for the MC; of everyone invited, for placards)."""
        return introduced(self.present if present_only else self.delegates, self.items["group"])

    def seating(self) -> list[tuple[str, list[Delegate]]]:
        """(row letter, its delegates by seat number) for the seating plan."""
        rows: dict[str, list[Delegate]] = {}
        for d in sorted((d for d in self.delegates if d.seat), key=lambda d: d.seat):
            rows.setdefault(d.seat[0], []).append(d)
        return list(rows.items())

    def filled(self, line: str) -> Markup:
        """A line of the MC's script with its placeholders filled from what the app knows
        (PLACEHOLDERS, listed in the README): «[họ tên], Phó Bí thư Tỉnh ủy…» by the
        delegate present whose position the line goes on with, «[số]» by the questions
        raised so far, «[đọc danh sách đợt N]» by that gift batch's names. What it cannot
        fill stays, marked, so the MC sees it before reading it aloud."""
        out: list[str] = []
        last = 0
        line = BIDI_CONTROLS.sub("", line)  # written as Markup: past the finalize
        for m in PLACEHOLDER.finditer(line):
            out.append(str(escape(line[last : m.start()])))
            value = self._placeholder(m, line[m.end() :])
            out.append(
                f'<mark class="filled" title="{escape(m[0])}">{escape(value)}</mark>'
                if value
                else f'<mark class="unfilled" title="Chưa điền được: xem trước khi đọc">'
                f"{escape(m[0])}</mark>"
            )
            last = m.end()
        out.append(str(escape(line[last:])))
        return Markup("".join(out))

    def _placeholder(self, m: re.Match[str], after: str) -> str:
        if m[1] == "số":
            return str(self.counts()["asked"])
        if m[2]:
            n = int(m[2])
            batches = self.gift_batches
            return (
                ", ".join(r.name for r in batches[n - 1]["recipients"]) if n <= len(batches) else ""
            )
        # «[họ tên], <position>…»: the present delegate whose position the line goes on with
        # (the longest such, so "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh" beats "Phó Bí thư
        # Tỉnh ủy").
        rest = _plain(after.lstrip(" ,"))
        return next(
            (name for position, name in self._present_positions if rest.startswith(position)), ""
        )

    @functools.cached_property
    def _present_positions(self) -> list[tuple[str, str]]:
        """(position, name) of the delegates present, the longest positions first: worked
        out once per render, not once per placeholder."""
        found = [(_plain(d.position), d.name) for d in self.present if d.position]
        return sorted(found, key=lambda pair: -len(pair[0]))

    def introductions(self) -> dict[str, Any]:
        """What the MC reads at the opening, from check-in: the dignitaries present, one by
        one in protocol order; the other groups as counts."""
        present = self.present
        named = self.introduced(present_only=True)
        others = [d for d in present if d not in named]
        counts = [
            (g.name, sum(d.group_name == g.name for d in others)) for g in self.items["group"]
        ]
        return {"named": named, "groups": [(n, c) for n, c in counts if c], "total": len(present)}

    @functools.cached_property
    def _delegates_by_name(self) -> dict[str, list[Delegate]]:
        """Delegates by name; kept across renders in `derived` (live.runtime) until a commit
        touches the delegates, so matching askers does not read every delegate per push."""
        found = self.derived.get("delegates_by_name")
        if found is None:
            found = {}
            for d in self.delegates:
                found.setdefault(person_key(d.name), []).append(d)
            self.derived["delegates_by_name"] = found
        return found

    def delegate_for(self, name: str, unit: str) -> Delegate | None:
        """The delegate an asker is, when the name (and, for namesakes, the unit) match."""
        found = self._delegates_by_name.get(person_key(name), []) if name else []
        if len(found) > 1:
            found = [d for d in found if person_key(d.unit) == person_key(unit)]
        return found[0] if len(found) == 1 else None

    @functools.cached_property
    def gift_batches(self) -> list[dict[str, Any]]:
        size = self.conference.gift_batch_size
        return [
            {
                "number": n // size + 1,
                "presenters": self.gift_presenters.get(n // size + 1, ""),
                "recipients": self.gifts[n : n + size],
            }
            for n in range(0, len(self.gifts), size)
        ]

    @property
    def shown_gift_batch(self) -> dict[str, Any] | None:
        """The batch on the projector: during the gifts step, once the MC has shown one."""
        current, n = self.current, self.conference.gift_batch
        if current is None or current.kind != "gifts" or not 0 < n <= len(self.gift_batches):
            return None
        return self.gift_batches[n - 1]

    @property
    def in_dialogue(self) -> bool:
        current = self.current
        return bool(current and current.kind == "dialogue")


def question_order(q: Question) -> tuple[float, int]:
    return q.queue_rank, q.number


def delegate_order(d: Delegate) -> tuple[Any, int]:
    return name_sort_key(d.name), d.id or 0


def kept_rows() -> dict[str, KeptRows]:
    """The collections a conference's views keep between renders (live.kept)."""
    return {
        "question": KeptRows(Question, "question", question_order),
        "delegate": KeptRows(Delegate, "delegate", delegate_order),
    }


def person_key(text: str) -> str:
    """A name or unit compared loosely: case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def load_view(
    engine: Engine, slug: str, media_dir: Path, kept: dict[str, KeptRows] | None = None
) -> View | None:
    """The view of a conference (its collections read when first used), or None."""
    with Session(engine) as s:
        conf = s.exec(select(Conference).where(Conference.slug == slug)).first()
        if conf is None:
            return None
        s.expunge_all()
    return View(engine, conf, media_dir, kept=kept)


def form_limits(command: str, field: str) -> Markup:
    """`{{ limits("question.add", "text") }}` in a form: maxlength, min, max, required of
    that argument, from the command's model (live.commands.args.input_attributes)."""
    model = COMMANDS[command].args
    if model is None:
        raise LookupError(f"command {command!r} declares no argument model")
    return Markup(input_attributes(model, field))


def without_bidi_controls(value: Any) -> Any:
    """Every `{{ value }}` a template writes: text without bidirectional controls (they are
    refused on the way in, live.commands.args.Text; this holds for text stored before, or
    by any other way), so no stored text can turn its neighbours around on a screen.
    Markup (an included region, already written this way) is left as it is."""
    return BIDI_CONTROLS.sub("", value) if type(value) is str else value


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(SCREENS_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        # Templates do not change while the server runs: no stat() of each file per render.
        auto_reload=False,
        lstrip_blocks=True,
        finalize=without_bidi_controls,
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
        STEP_KINDS=STEP_KINDS,
        LIST_KIND_NAMES=LIST_KIND_NAMES,
        GENDERS=GENDERS,
        CHECKIN_DESKS=CHECKIN_DESKS,
        limits=form_limits,
        REOPENABLE=REOPENABLE,
    )
    env.filters["json_list"] = json.loads
    env.filters["dmy"] = dmy
    env.filters.update(
        clock=format_clock,
        vn_date=vn_date,
        screen_name=screen_name,
        plain=plain,
        hm=hm,
        money=money,
    )
    return env


def plain(text: str) -> str:
    """Lower case without diacritics, as the check-in search compares (see live.js)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def hm(epoch: float | None) -> str:
    """Epoch seconds -> "07:42" in the server's local time ("" for None)."""
    return time.strftime("%H:%M", time.localtime(epoch)) if epoch is not None else ""


def money(value: int) -> str:
    """2000000 -> "2.000.000" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


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
        # A QR code of a loopback address opens nothing on a phone: then none is shown to
        # the hall, and the admin and MC screens say what to set.
        self.phones_can_reach = reachable_from_hall(public_base)
        # (conference, screen kind, list region) -> key -> (fingerprint, html): the items of
        # long lists as last drawn (ListRegion.fingerprint).
        self._items_drawn: dict[tuple[str, str, str], dict[str, tuple[Hashable, str]]] = {}

    def ask_url(self, slug: str) -> str:
        return f"{self.public_base}/e/{slug}/ask"

    # One renderer per process: a few URLs, plus the badge codes of one conference's print.
    @functools.lru_cache(maxsize=2048)  # noqa: B019
    def qr_svg(self, url: str) -> Markup:
        """A QR code of `url` as inline SVG (segno), dark on white for any phone camera."""
        return Markup(segno.make(url, error="m").svg_inline(border=2, omitsize=True))

    def context(self, kind: str, view: View, presence: dict[str, int]) -> dict[str, Any]:
        base, _, param = kind.partition(":")
        return {
            "kind": kind,
            "base": base,
            "page_title": f"{screen_name(kind if base == 'mic' else base)} · {view.conference.title}",
            "mic_number": int(param) if base == "mic" else None,
            "pinned_id": int(param) if base == "secretary" and param else None,
            "ask_url": self.ask_url(view.conference.slug),
            "phones_can_reach": self.phones_can_reach,
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
            "opens_live_screen": opens_live_screen,
            "link_path": link_path,
        }

    def regions(
        self,
        kind: str,
        view: View,
        presence: dict[str, int],
        names: Collection[str] | None = None,
    ) -> dict[str, str | Items]:
        """The screen's regions (`names` of them, or all): HTML, or for a list region its
        items as (key, HTML) pairs."""
        ctx = self.context(kind, view, presence)
        names = SCREENS[screen_base(kind)] if names is None else names
        return {name: self._region(name, ctx) for name in names}

    def _region(self, name: str, ctx: dict[str, Any]) -> str | Items:
        listed = LISTS.get(name)
        if listed is None:
            return self.env.get_template(f"regions/{name}.html").render(ctx)
        template = self.env.get_template(f"items/{listed.item}.html")
        view: View = ctx["view"]
        if listed.fingerprint is None:
            return tuple(
                (key, template.render(ctx, key=key, item=item))
                for key, item in listed.items(view, ctx)
            )
        # Draw only the items whose fingerprint changed since this list's last render.
        memo_key = (view.conference.slug, ctx["kind"], name)
        drawn = self._items_drawn.get(memo_key, {})
        now: dict[str, tuple[Hashable, str]] = {}
        for key, item in listed.items(view, ctx):
            fingerprint = listed.fingerprint(view, item)
            last = drawn.get(key)
            if last is not None and last[0] == fingerprint:
                now[key] = last
            else:
                now[key] = (fingerprint, template.render(ctx, key=key, item=item))
        self._items_drawn[memo_key] = now  # one list's worth per kind: what is shown, no more
        return tuple((key, html) for key, (_, html) in now.items())

    def page(
        self,
        kind: str,
        view: View,
        presence: dict[str, int],
        drawn: tuple[int, str, dict[str, str | Items], str] | None = None,
        **extra: Any,
    ) -> str:
        """The whole page: the same region templates a push renders, inside the layout.
        `drawn`: (seq, epoch, regions, drawing) as the hub last sent them to this screen
        kind, which the page then shows as they are (its first snapshot can then be
        empty: live.hub.Channel.drawing)."""
        ctx = self.context(kind, view, presence)
        if drawn is None:
            drawn = (view.seq, view.epoch, self.regions(kind, view, presence), "")
        ctx["page_seq"], ctx["page_epoch"], regions, ctx["page_drawing"] = drawn
        ctx["regions_html"] = {
            name: Markup(value if isinstance(value, str) else join(value))
            for name, value in regions.items()
        }
        ctx.update(extra)
        return self.env.get_template(f"{screen_base(kind)}.html").render(ctx)

    def print_page(self, name: str, view: View) -> str:
        return self.env.get_template(f"print/{name}.html").render(
            name=name, view=view, c=view.conference, qr=self.qr_svg
        )

    def message_page(self, title: str, message: str, status: int = 400) -> str:
        return self.env.get_template("message.html").render(
            title=title, message=message, status=status
        )
