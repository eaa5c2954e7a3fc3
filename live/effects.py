"""What a command changed, as typed effects: which kinds of rows it touched and which ones
(question 17, delegate 88, the conference's stage…), beside its answer and its audit payload.

They are collected from the command's own session, at every flush (and from its bulk
UPDATE/DELETE statements), so no command can forget to say what it did: a new command
that writes rows gets its effects for free. The hub re-renders only the regions that depend
on the kinds touched (live.render.REGION_DEPENDS), and a changed role key closes that
role's screens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from live.models import (
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

# A table's rows -> the kind of effect a change of them is.
KIND_OF: dict[type, str] = {
    AgendaStep: "step",
    Question: "question",
    QuestionAsker: "asker",
    Answer: "answer",
    Commitment: "commitment",
    NoticeEdit: "notice",
    ListItem: "list",
    Delegate: "delegate",
    GiftRecipient: "gift",
    GiftBatch: "giftbatch",
    RoleKey: "rolekey",
    FormVisit: "phones",
}
# The conference row holds several facts that change at very different rates: a timer
# press must not re-render the regions that show the conference's title.
CONFERENCE_FACETS: dict[str, str] = {
    **dict.fromkeys(
        (
            "current_position",
            "projector_mode",
            "video_playing",
            "video_offset",
            "video_started_at",
            "video_ended",
            "timer_duration",
            "timer_elapsed",
            "timer_started_at",
        ),
        "stage",
    ),
    **dict.fromkeys(("mic_count", "max_live", "speak_seconds", "answer_seconds"), "floor"),
    **dict.fromkeys(("mc_message", "mc_message_from"), "message"),
    **dict.fromkeys(("gift_batch_size", "gift_batch"), "gifts"),
    "seq": "",  # every command bumps it: not an effect
}
# Columns no screen shows (yet): a change of only these is no effect, so the MC's stepping
# back and forth (which keeps each step's timer, live.commands.agenda.enter_step) does not
# re-render what shows the programme.
UNSHOWN: dict[type, set[str]] = {AgendaStep: {"began_at", "kept_duration", "kept_elapsed"}}
SETUP = "setup"  # any other column of the conference: title, venue, banner, the notice's issuer…
ALL = "*"  # the key of a bulk statement's effect: every row of that kind may have changed
# A kind every region depends on: a conference's first render, a refresh of everything.
EVERYTHING = "*"
# Kinds that change without a command: the screens connected, phones that opened the form.
PRESENCE = "presence"
PHONES = "phones"


@dataclass(frozen=True)
class Effects:
    """(kind, key) pairs: ("question", "17"), ("stage", "1"), ("rolekey", "mc")…"""

    touched: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(kind for kind, _ in self.touched)

    def keys(self, kind: str) -> set[str]:
        return {key for k, key in self.touched if k == kind}

    @property
    def locked_out(self) -> set[str]:
        """Roles whose key changed: their open screens must close."""
        return self.keys("rolekey")

    def __or__(self, other: Effects) -> Effects:
        return Effects(self.touched | other.touched)

    def as_json(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for kind, key in sorted(self.touched):
            found.setdefault(kind, []).append(key)
        return found


def _touched(obj: Any, deleted: bool = False) -> Iterator[tuple[str, str]]:
    if isinstance(obj, Conference):
        state = inspect(obj)
        changed = [a.key for a in state.attrs if a.history.has_changes()]
        if state.pending or deleted:
            changed = [SETUP]
        for column in changed:
            facet = CONFERENCE_FACETS.get(column, SETUP) if column != SETUP else SETUP
            if facet:
                yield facet, str(obj.id)
        return
    kind = KIND_OF.get(type(obj))
    if kind is None:  # the event log, projector frames: not what screens show
        return
    unshown = UNSHOWN.get(type(obj))
    if unshown and not deleted:
        state = inspect(obj)
        if not state.pending and {a.key for a in state.attrs if a.history.has_changes()} <= unshown:
            return
    key = obj.role if isinstance(obj, RoleKey) else str(obj.id if obj.id is not None else "new")
    yield kind, key


@contextmanager
def collecting(session: Session) -> Iterator[set[tuple[str, str]]]:
    """The effects of what is written through `session` while the block runs."""
    found: set[tuple[str, str]] = set()

    def before_flush(s: Any, _context: Any, _instances: Any) -> None:
        for obj in s.new:
            found.update(_touched(obj))
        for obj in s.dirty:
            if s.is_modified(obj):
                found.update(_touched(obj))
        for obj in s.deleted:
            found.update(_touched(obj, deleted=True))

    def after_flush(s: Any, _context: Any) -> None:
        # New rows have their ids now: name them rather than "new".
        for obj in s.new:
            kind = KIND_OF.get(type(obj))
            if kind and not isinstance(obj, RoleKey) and obj.id is not None:
                found.discard((kind, "new"))
                found.add((kind, str(obj.id)))

    def bulk(state: ORMExecuteState) -> None:
        if (state.is_update or state.is_delete) and state.bind_mapper is not None:
            entity = state.bind_mapper.class_
            kind = KIND_OF.get(entity)
            if kind:
                found.add((kind, ALL))

    target = session.sync_session if hasattr(session, "sync_session") else session
    listeners: list[tuple[str, Callable[..., Any]]] = [
        ("before_flush", before_flush),
        ("after_flush", after_flush),
        ("do_orm_execute", bulk),
    ]
    for name, fn in listeners:
        event.listen(target, name, fn)
    try:
        yield found
    finally:
        for name, fn in listeners:
            event.remove(target, name, fn)
