"""Rows kept between renders: a conference's questions (or delegates) read once, then
brought up to date from the event log, where every command says what it changed
(`Event.effects`). A push after a new question reads that question, not the 400 queued:
the read follows the change, not the size of the day.

The log is the source, not this process's memory of what it did, so rows kept here stay
right whoever wrote the change (another worker, a script through the API): before each
use, the events since the kept seq are read and only the rows they name are read again.
Anything the log cannot say precisely (a bulk change of every row, an event from before
effects were logged, a long gap) reads everything again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from live.effects import ALL
from live.models import Conference, Event

T = TypeVar("T")
CATCH_UP_LIMIT = 200  # events; past this, reading everything again is the cheaper way


class KeptRows:
    """The rows of one table for one conference, in display order; thread-safe (renders
    and pages read from worker threads). The rows are shared: read them, never change them."""

    def __init__(self, model: Any, kind: str, order: Callable[[Any], Any]) -> None:
        self.model = model
        self.kind = kind  # its effect kind (live.effects.KIND_OF)
        self.order = order
        self._lock = threading.Lock()
        self._of: tuple[int, str] | None = None  # (conference id, epoch) they belong to
        self._seq = -1  # every change up to this seq is in them
        self._rows: dict[int, Any] = {}
        self._ordered: list[Any] = []
        # Row id -> what a render worked out from that row (Renderer fingerprints), kept
        # until the row is read again.
        self._facts: dict[int, Any] = {}

    def rows(self, engine: Engine, conference: Conference) -> list[Any]:
        """The rows as of `conference.seq` (or later)."""
        assert conference.id is not None
        with self._lock:
            if self._of != (conference.id, conference.epoch):
                self._read_all(engine, conference)
            elif conference.seq > self._seq:
                keys = self._changed(engine, conference)
                if keys is None:
                    self._read_all(engine, conference)
                else:
                    if keys:
                        self._read_some(engine, conference, keys)
                    self._seq = conference.seq
            return self._ordered

    def facts(self, row: Any, work_out: Callable[[Any], T]) -> T:
        """`work_out(row)`, once per kept row: a row is never changed in place, only
        replaced when read again. A row not (or no longer) kept is worked out each time."""
        row_id = row.id
        with self._lock:
            if self._rows.get(row_id) is not row:
                return work_out(row)
            if row_id not in self._facts:
                self._facts[row_id] = work_out(row)
            return cast(T, self._facts[row_id])

    def _changed(self, engine: Engine, conference: Conference) -> set[int] | None:
        """The ids of this kind the events since the kept seq changed; None when the log
        cannot say."""
        if conference.seq - self._seq > CATCH_UP_LIMIT:
            return None
        with Session(engine) as s:
            logged = s.exec(
                select(Event.effects).where(
                    Event.conference_id == conference.id,
                    col(Event.seq) > self._seq,
                    col(Event.seq) <= conference.seq,
                )
            ).all()
        if len(logged) != conference.seq - self._seq:
            return None
        keys: set[str] = set()
        for effects in logged:
            if not effects:
                return None
            keys.update(json.loads(effects).get(self.kind, ()))
        if ALL in keys or not all(k.isdigit() for k in keys):
            return None
        return {int(k) for k in keys}

    def _read_all(self, engine: Engine, conference: Conference) -> None:
        with Session(engine) as s:
            found = list(
                s.exec(select(self.model).where(self.model.conference_id == conference.id))
            )
            s.expunge_all()
        self._rows = {row.id: row for row in found}
        self._facts = {}
        self._of, self._seq = (conference.id or 0, conference.epoch), conference.seq
        self._ordered = sorted(found, key=self.order)

    def _read_some(self, engine: Engine, conference: Conference, ids: set[int]) -> None:
        with Session(engine) as s:
            found = list(
                s.exec(
                    select(self.model).where(
                        self.model.conference_id == conference.id, col(self.model.id).in_(ids)
                    )
                )
            )
            s.expunge_all()
        for row_id in ids:
            self._rows.pop(row_id, None)  # gone unless read again
            self._facts.pop(row_id, None)
        self._rows.update({row.id: row for row in found})
        self._ordered = sorted(self._rows.values(), key=self.order)
