"""The floor (questions and microphones): a stateful property test of random command
sequences from two moderators against a real SQLite file, a race of two moderators for
one microphone, and examples of the common path.

The state machine keeps almost no model of its own: before and after every command it
reads every question, asker, event and the conference row, checks the invariants of the
floor on what it read, and checks each command's effect against the state it started
from (a refusal must change nothing at all).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy.engine import Engine, Row

from live.app import prepare_database
from live.commands import COMMANDS, CommandError, execute
from live.commands.args import UNPRINTABLE
from live.db import make_engine
from live.models import AT_MIC, Conference, Event, Question, QuestionAsker
from live.settings import Settings

SLUG = "demo"
FLOOR_ROLES = ("moderator", "admin")
QT = Question.__table__  # type: ignore[attr-defined]
AT = QuestionAsker.__table__  # type: ignore[attr-defined]
CT = Conference.__table__  # type: ignore[attr-defined]
ET = Event.__table__  # type: ignore[attr-defined]
ANY = object()  # "success or any 4xx refusal": the outcome is not predicted
ID_LIMIT = 2**31
IMPORT_FIELDS = ("asker_name", "asker_position", "asker_unit", "field", "agency")
FLOOR_COMMANDS = sorted(n for n in COMMANDS if n.startswith(("question.", "floor.", "mc.")))


# --- reading the whole floor -------------------------------------------------------------


@dataclass
class Snap:
    """Everything a floor command may touch, read in one go."""

    conf: Row
    qs: dict[int, Row]
    askers: list[tuple[Any, ...]]  # QuestionAsker rows, sorted
    events: list[tuple[int, str, str]]  # (seq, type, actor_role)

    def with_status(self, *statuses: str) -> list[Row]:
        return [q for q in self.qs.values() if q.status in statuses]

    def queue(self) -> list[int]:
        """Queued question ids in queue order (the app orders by rank, then number)."""
        return [
            q.id for q in sorted(self.with_status("queued"), key=lambda q: (q.queue_rank, q.number))
        ]

    def occupied(self) -> dict[int, int]:
        return {q.mic: q.id for q in self.with_status(*AT_MIC) if q.mic is not None}

    def askers_of(self, qid: int) -> list[tuple[Any, ...]]:
        return sorted(a[2:] for a in self.askers if a[1] == qid)  # without id, question_id


def conference_id(engine: Engine) -> int:
    with engine.connect() as c:
        return c.execute(sa.select(CT.c.id).where(CT.c.slug == SLUG)).scalar_one()


def snapshot(engine: Engine, conf_id: int) -> Snap:
    with engine.connect() as c:
        conf = c.execute(sa.select(CT).where(CT.c.id == conf_id)).one()
        qs = {r.id: r for r in c.execute(sa.select(QT).where(QT.c.conference_id == conf_id))}
        askers = sorted(
            tuple(r)
            for r in c.execute(
                sa.select(
                    AT.c.id,
                    AT.c.question_id,
                    AT.c.name,
                    AT.c.position,
                    AT.c.unit,
                    AT.c.source,
                    AT.c.text,
                ).where(AT.c.question_id.in_(list(qs)))
            )
        )
        events = [
            tuple(r)
            for r in c.execute(
                sa.select(ET.c.seq, ET.c.type, ET.c.actor_role)
                .where(ET.c.conference_id == conf_id)
                .order_by(ET.c.seq)
            )
        ]
    return Snap(conf, qs, askers, events)


def initial_askers(first: Snap, qid: int) -> list[tuple[Any, ...]]:
    return first.askers_of(qid) if qid in first.qs else []


def asker_of(q: Row) -> tuple[Any, ...]:
    """A question's own asker, as merge() copies it into a QuestionAsker row."""
    return (q.asker_name, q.asker_position, q.asker_unit, q.source, q.text)


def check_invariants(snap: Snap, first: Snap, zeroed: set[int]) -> None:
    """The rules of the floor, on what the database holds now. `first` is the state the
    run started from (askers seeded with the demo), `zeroed` the questions whose timer an
    adjust brought to 0 s."""
    conf, qs = snap.conf, snap.qs

    # One question per microphone; a mic only while at a mic, and only an existing mic.
    held: dict[int, int] = {}
    for q in qs.values():
        if q.status in AT_MIC:
            assert q.mic is not None and 1 <= q.mic <= conf.mic_count, (
                f"question {q.id} is {q.status} at mic {q.mic} (mic_count {conf.mic_count})"
            )
            assert q.mic not in held, f"questions {held[q.mic]} and {q.id} share mic {q.mic}"
            held[q.mic] = q.id
        else:
            assert q.mic is None, f"question {q.id} is {q.status} but holds mic {q.mic}"

    live = sorted(q.id for q in snap.with_status("live"))
    assert len(live) <= conf.max_live, f"questions {live} live, max_live {conf.max_live}"

    numbers = [q.number for q in qs.values()]
    assert len(numbers) == len(set(numbers)), "question numbers repeat"

    # The queue is a strict total order.
    ranks = [q.queue_rank for q in snap.with_status("queued")]
    assert len(ranks) == len(set(ranks)), f"queued questions share a queue_rank: {sorted(ranks)}"

    # Merges: a merged question points at another question of this conference; that one
    # may have been merged on later (allowed), but the chain never loops and ends at a
    # question that is not merged.
    for q in qs.values():
        assert (q.status == "merged") == (q.merged_into is not None), (
            f"question {q.id}: status {q.status}, merged_into {q.merged_into}"
        )
        seen = {q.id}
        node = q
        while node.status == "merged":
            assert node.merged_into in qs, f"question {node.id} merged into unknown question"
            assert node.merged_into not in seen, f"merge chain loops through {node.merged_into}"
            seen.add(node.merged_into)
            node = qs[node.merged_into]

    # Merging keeps every asker: the extra askers of a question are its own extras from
    # the start plus, for every question merged into it (directly or through others), that
    # question's own asker and its extras from the start. A merged question keeps none.
    expected = {qid: initial_askers(first, qid) for qid in qs}
    for q in qs.values():
        if q.status != "merged":
            continue
        root = q
        while root.status == "merged":
            root = qs[root.merged_into]
        expected[root.id] += [asker_of(q), *initial_askers(first, q.id)]
        expected[q.id] = []
    for qid in qs:
        assert Counter(snap.askers_of(qid)) == Counter(expected[qid]), (
            f"askers of question {qid}: {snap.askers_of(qid)} != {expected[qid]}"
        )

    # The event log: seq 1..conference.seq with no hole.
    assert [e[0] for e in snap.events] == list(range(1, conf.seq + 1)), "holes in the event log"

    # Timers: only a question being heard or answered has a running timer; its duration
    # is positive unless an adjust took it down to 0 (Timer.adjust clamps at 0 on purpose).
    for q in qs.values():
        if q.timer_started_at is not None:
            assert q.status in ("live", "answering"), f"{q.status} question {q.id} timer runs"
        assert q.timer_duration >= 0 and q.timer_elapsed >= 0
        if q.status in ("live", "answering"):
            assert q.timer_duration > 0 or q.id in zeroed, f"question {q.id}: 0 s timer"


# --- argument strategies and what the app must answer to them ------------------------------

BOGUS_IDS = [0, -1, ID_LIMIT + 1, "1", None, 1.5, True]


def mostly(good: st.SearchStrategy[Any], *bad: Any) -> st.SearchStrategy[Any]:
    """Usually a valid value, one time in five one of the `bad` ones."""
    return st.integers(0, 4).flatmap(lambda k: good if k else st.sampled_from(bad))


TEXTS = mostly(
    st.one_of(
        st.sampled_from(["Câu hỏi về nhà ở xã hội", "  Lương tối thiểu  "]),
        st.text(min_size=1, max_size=8),
    ),
    "",
    "   ",
    None,
    7,
    "x" * 4001,
)
SOURCES = mostly(
    st.sampled_from(["floor", "written", "phone"]), "web", "", None, 3, [], ["floor"], {"k": 1}
)


def id_refusal(value: Any, snap: Snap, *allowed: str) -> str | None:
    """The refusal a command taking only this id must give, or None."""
    return first_of(id_shape(value), id_state(value, snap, *allowed))


def id_shape(value: Any) -> str | None:
    """The refusal of an id that is not one (checked with the other arguments, in order)."""
    return int_refusal(value, 1, ID_LIMIT)


def id_state(value: Any, snap: Snap, *allowed: str) -> str | None:
    """The refusal of an id of no question, or of one in the wrong state (checked as the
    command runs, after every argument's shape)."""
    if value not in snap.qs:
        return "not_found"
    if allowed and snap.qs[value].status not in allowed:
        return "wrong_state"
    return None


def int_refusal(value: Any, lo: int, hi: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "bad_args"
    return None if lo <= value <= hi else "out_of_range"


def text_refusal(value: Any, limit: int, required: bool) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str) or UNPRINTABLE.search(value):
        return "bad_args"
    if required and not value.strip():
        return "missing"
    return "too_long" if len(value.strip()) > limit else None


def first_of(*codes: str | None) -> str | None:
    return next((c for c in codes if c is not None), None)


# --- the state machine ---------------------------------------------------------------------


@functools.cache
def template_db() -> Path:
    """A migrated, seeded database, made once and copied for every run of the machine."""
    folder = Path(tempfile.mkdtemp(prefix="floor-template-"))
    atexit.register(shutil.rmtree, folder, True)
    settings = replace(
        Settings(),
        database_url=f"sqlite:///{folder / 'live.db'}",
        media_dir=folder / "media",
        secret_key="test-secret",
    )
    prepare_database(settings).dispose()  # the last close checkpoints the WAL
    return folder / "live.db"


def having(*statuses: str) -> Any:
    """A precondition: some question is in one of `statuses`. A named function, not a
    lambda: Hypothesis describes a lambda by parsing its source (ast), which CPython 3.11
    can fail at random while other threads compile ("AST constructor recursion depth
    mismatch"), failing the run for nothing the floor did."""

    def check(machine: FloorMachine) -> bool:
        return machine.some(*statuses)

    check.__name__ = "having_" + "_or_".join(s.strip("*") for s in statuses)
    return check


class FloorMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="floor-"))
        db = self.folder / "live.db"
        for suffix in ("", "-wal"):
            src = Path(str(template_db()) + suffix)
            if src.exists():
                shutil.copy(src, str(db) + suffix)
        self.engine = make_engine(f"sqlite:///{db}")
        # Durability is not what this machine tests: skip the fsync per commit.
        sa.event.listen(
            self.engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF")
        )
        self.conf_id = conference_id(self.engine)
        self.now = float(int(time.time()))
        self.snap = self.first = snapshot(self.engine, self.conf_id)
        self.prev = self.snap
        self.seq0 = self.snap.conf.seq
        self.successes = 0
        self.zeroed: set[int] = set()

    def teardown(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- running one command ------------------------------------------------------------

    def run(self, role: str, name: str, args: Any, expect: Any = ANY) -> dict[str, Any] | None:
        """Execute one command; a refusal must be a 4xx and change nothing. `expect` is
        None (must succeed), a refusal code, or ANY. Leaves self.prev / self.snap as the
        state before / after."""
        self.now += 0.5
        self.prev = pre = self.snap
        try:
            outcome = execute(self.engine, SLUG, role, name, args, now=self.now)
        except CommandError as e:
            assert 400 <= e.status < 500, f"{name} {args}: status {e.status}"
            self.snap = post = snapshot(self.engine, self.conf_id)
            assert post == pre, f"refused {name} {args} ({e.code}) changed the database"
            if expect is not ANY:
                assert e.code == expect, (
                    f"{name} {args}: expected {expect or 'success'}, refused {e.code}: {e.message}"
                )
            return None
        self.successes += 1
        self.snap = post = snapshot(self.engine, self.conf_id)
        if expect is not ANY:
            assert expect is None, f"{name} {args}: expected refusal {expect}, succeeded"
        assert outcome.seq == pre.conf.seq + 1
        assert post.conf.seq == self.seq0 + self.successes, "seq != number of successes"
        assert post.events[-1] == (outcome.seq, name, role)
        return outcome.answer

    def changed(self) -> set[int]:
        """Ids of the questions the last command created or changed (the look-alike hints
        kept with each question are derived, and follow another question's text)."""

        def state(q: Any) -> Any:
            return (
                None if q is None else {k: v for k, v in q._mapping.items() if k != "look_alikes"}
            )

        return {qid for qid, q in self.snap.qs.items() if state(self.prev.qs.get(qid)) != state(q)}

    def pick(
        self, data: st.DataObject, *statuses: str, label: str = "id", prefer: tuple[str, ...] = ()
    ) -> Any:
        """Mostly a question in one of `statuses` (half the time one in `prefer`, if any);
        sometimes any question, or a bogus id."""
        qs = self.snap.qs
        good = sorted(qid for qid, q in qs.items() if not statuses or q.status in statuses)
        preferred = sorted(qid for qid, q in qs.items() if q.status in prefer)
        kind = data.draw(st.integers(0, 19), label=f"{label} kind")
        if kind < 8 and preferred:
            return data.draw(st.sampled_from(preferred), label=label)
        if kind < 17 and good:
            return data.draw(st.sampled_from(good), label=label)
        if kind < 19 and qs:
            return data.draw(st.sampled_from(sorted(qs)), label=label)
        return data.draw(st.sampled_from([*BOGUS_IDS, max(qs, default=0) + 1000]), label=label)

    def some(self, *statuses: str) -> bool:
        return any(q.status in statuses for q in self.snap.qs.values())

    def q(self, qid: int) -> Row:
        return self.snap.qs[qid]

    # -- the rules ------------------------------------------------------------------------

    @initialize(
        role=st.sampled_from(FLOOR_ROLES),
        mic_count=st.integers(1, 8),
        max_live=st.integers(1, 3),
    )
    def set_up_the_floor(self, role: str, mic_count: int, max_live: int) -> None:
        self.run(role, "floor.settings", {"mic_count": mic_count, "max_live": max_live}, None)

    @rule(seconds=st.integers(0, 900))
    def wait(self, seconds: int) -> None:
        self.now += seconds

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        text=TEXTS,
        name=mostly(st.sampled_from(["", "Nguyễn Văn An", " Lò Thị Hoa "]), "x" * 201, 5),
        source=SOURCES,
        give_source=st.booleans(),
    )
    def add(self, role: str, text: Any, name: str, source: Any, give_source: bool) -> None:
        args: dict[str, Any] = {"text": text, "asker_name": name}
        if give_source:
            args["source"] = source
        valid_source = not give_source or (
            isinstance(source, str) and source in {"written", "floor", "phone"}
        )
        expect = first_of(  # in the order of the model's fields
            text_refusal(name, 200, False),
            text_refusal(text, 4000, True),
            None if valid_source else "bad_args",
        )
        if (out := self.run(role, "question.add", args, expect)) is None:
            return
        assert self.changed() == {out["id"]} and out["id"] not in self.prev.qs
        q, pre = self.q(out["id"]), self.prev
        assert q.number == max((x.number for x in pre.qs.values()), default=0) + 1
        assert (q.status, q.mic, q.text, q.asker_name) == (
            "queued",
            None,
            text.strip(),
            name.strip(),
        )
        assert q.source == (source if give_source else "floor")
        assert self.snap.queue()[-1] == q.id, "an added question goes to the end of the queue"

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        rows=mostly(
            st.lists(
                st.fixed_dictionaries(
                    {"text": st.sampled_from(["Chế độ thai sản?", " Nhà trọ công nhân "])},
                    optional={"asker_name": st.just("Hà Văn Cường"), "agency": st.just("Sở Y tế")},
                ),
                min_size=1,
                max_size=3,
            ),
            None,
            "rows",
            [],
            {"text": "x"},
            ["row"],
            [{"text": "Hỏi"}, {"text": "  "}],
            [{"text": "Hỏi"}, {"text": "Hỏi", "agency": 5}],
            [{"text": "x" * 4001}],
            [{"text": "Hỏi", "asker_name": "x" * 201}, {"text": ""}],
        ),
    )
    def import_written(self, role: str, rows: Any) -> None:
        """question.import: all rows or none."""
        expect = None
        if not isinstance(rows, list) or not rows:
            expect = "bad_args"
        else:
            for row in rows:
                if not isinstance(row, dict):
                    expect = "bad_args"
                else:
                    expect = first_of(
                        *(text_refusal(row.get(k), 200, False) for k in IMPORT_FIELDS),
                        text_refusal(row.get("text"), 4000, True),
                    )
                if expect:
                    break
        if (out := self.run(role, "question.import", {"rows": rows}, expect)) is None:
            return
        top = max((q.number for q in self.prev.qs.values()), default=0)
        assert (out["count"], out["first"], out["last"]) == (len(rows), top + 1, top + len(rows))
        new = sorted(self.changed(), key=lambda qid: self.q(qid).number)
        assert [self.q(qid).number for qid in new] == list(range(top + 1, top + len(rows) + 1))
        assert all(self.q(qid).source == "written" for qid in new)
        assert self.snap.queue()[-len(rows) :] == new, "imported in order at the queue's end"

    @rule(
        text=TEXTS,
        name=mostly(st.just("Đinh Văn Bình"), "", "  ", None, 4),
        unit=mostly(st.just("Sở Y tế"), "", None, 4),
    )
    def submit(self, text: Any, name: Any, unit: Any) -> None:
        args = {"text": text, "asker_name": name, "asker_unit": unit}
        expect = first_of(
            text_refusal(name, 200, True),
            text_refusal(unit, 200, True),
            text_refusal(text, 2000, True),  # a phone's limit
        )
        if (out := self.run("audience", "question.submit", args, expect)) is None:
            return
        q = self.q(out["id"])
        assert self.changed() == {q.id}
        assert (q.status, q.source, q.mic) == ("pending", "phone", None)

    @precondition(having("pending"))
    @rule(role=st.sampled_from(FLOOR_ROLES), data=st.data())
    def approve(self, role: str, data: st.DataObject) -> None:
        qid = self.pick(data, "pending")
        expect = id_refusal(qid, self.snap, "pending")
        if self.run(role, "question.approve", {"id": qid}, expect) is None:
            return
        assert self.changed() == {qid}
        assert self.q(qid).status == "queued" and self.snap.queue()[-1] == qid
        assert self.q(qid).queued_at == self.now

    @rule(role=st.sampled_from(FLOOR_ROLES), data=st.data())
    def reject(self, role: str, data: st.DataObject) -> None:
        qid = self.pick(data, "pending", "queued")
        expect = id_refusal(qid, self.snap, "pending", "queued")
        if self.run(role, "question.reject", {"id": qid}, expect) is None:
            return
        assert self.changed() == {qid}
        assert (self.q(qid).status, self.q(qid).closed_at) == ("rejected", self.now)

    @rule(role=st.sampled_from(FLOOR_ROLES), data=st.data())
    def merge(self, role: str, data: st.DataObject) -> None:
        qid = self.pick(data, "pending", "queued", prefer=("pending",))
        into = self.pick(data, "pending", "queued", *AT_MIC, label="into", prefer=AT_MIC)
        args = {"id": qid, "into": into}
        # null is "not given": with neither `into` nor `into_number`, refused as missing
        into_shape = None if into is None else id_shape(into)
        into_state = (
            "missing" if into is None else id_state(into, self.snap, "pending", "queued", *AT_MIC)
        )
        if data.draw(st.booleans(), label="by number"):  # the console's "merge into no. N"
            number = self.snap.qs[into].number if into in self.snap.qs else into
            args = {"id": qid, "into_number": number}
            numbers = {q.number: q.id for q in self.snap.qs.values()}
            into_shape = None if number is None else int_refusal(number, 1, ID_LIMIT)
            into_state = (
                "missing"
                if number is None
                else id_state(numbers[number], self.snap, "pending", "queued", *AT_MIC)
                if number in numbers
                else "not_found"
            )
        expect = first_of(
            id_shape(qid),
            into_shape,
            id_state(qid, self.snap, "pending", "queued"),
            into_state,
            "bad_args" if qid == into else None,
        )
        if self.run(role, "question.merge", args, expect) is None:
            return
        assert self.changed() == {qid}
        q = self.q(qid)
        assert (q.status, q.merged_into, q.mic) == ("merged", into, None)
        pre, post = self.prev, self.snap
        assert Counter(post.askers_of(into)) == Counter(
            [*pre.askers_of(into), asker_of(pre.qs[qid]), *pre.askers_of(qid)]
        )

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        data=st.data(),
        internal=mostly(st.booleans(), "true", None, 1),
    )
    def internal(self, role: str, data: st.DataObject, internal: Any) -> None:
        qid = self.pick(data)
        expect = first_of(
            id_shape(qid),
            None if isinstance(internal, bool) else "bad_args",
            id_state(qid, self.snap),
        )
        if self.run(role, "question.internal", {"id": qid, "internal": internal}, expect) is None:
            return
        assert self.changed() <= {qid} and self.q(qid).internal == internal

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        data=st.data(),
        text=st.one_of(st.none(), TEXTS),
        agency=st.one_of(st.none(), mostly(st.sampled_from(["", "Sở Xây dựng"]), 5, "x" * 201)),
    )
    def edit(self, role: str, data: st.DataObject, text: Any, agency: Any) -> None:
        qid = self.pick(data, "pending", "queued", *AT_MIC, prefer=AT_MIC)
        args: dict[str, Any] = {"id": qid}
        if text is not None:
            args["text"] = text
        if agency is not None:
            args["agency"] = agency
        text_check = None
        if "text" in args:
            text_check = text_refusal(text, 4000, False) or (None if text.strip() else "missing")
        expect = first_of(
            id_shape(qid),
            text_refusal(agency, 200, False) if "agency" in args else None,
            text_check,
            id_state(qid, self.snap, "pending", "queued", *AT_MIC),
        )
        if self.run(role, "question.edit", args, expect) is None:
            return
        assert self.changed() <= {qid}
        q = self.q(qid)
        if "text" in args:
            assert q.text == text.strip()
        if "agency" in args:
            assert q.agency == agency.strip()

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        data=st.data(),
        to=mostly(st.sampled_from(["up", "down", "top"]), "bottom", None),
    )
    @precondition(having("queued"))
    def move(self, role: str, data: st.DataObject, to: Any) -> None:
        qid = self.pick(data, "queued")
        expect = first_of(
            id_shape(qid),
            None if to in ("up", "down", "top") else "bad_args",
            id_state(qid, self.snap, "queued"),
        )
        queue = self.snap.queue()
        if self.run(role, "question.move", {"id": qid, "to": to}, expect) is None:
            return
        i = queue.index(qid)
        if to == "top":
            queue.insert(0, queue.pop(i))
        else:
            j = i - 1 if to == "up" else i + 1
            if 0 <= j < len(queue):
                queue[i], queue[j] = queue[j], queue[i]
        assert self.snap.queue() == queue, f"move {to}"
        assert {q.id for q in self.snap.with_status("queued")} >= self.changed()

    @precondition(having(*AT_MIC))
    @rule(role=st.sampled_from(FLOOR_ROLES), data=st.data())
    def requeue(self, role: str, data: st.DataObject) -> None:
        qid = self.pick(data, *AT_MIC)
        expect = id_refusal(qid, self.snap, *AT_MIC)
        if self.run(role, "question.requeue", {"id": qid}, expect) is None:
            return
        assert self.changed() == {qid}
        q = self.q(qid)
        assert (q.status, q.mic, q.timer_duration, q.timer_started_at) == ("queued", None, 0, None)
        assert self.snap.queue()[0] == qid, "a requeued question goes to the head of the queue"

    @precondition(having("queued"))
    @rule(role=st.sampled_from(FLOOR_ROLES), data=st.data())
    def assign(self, role: str, data: st.DataObject) -> None:
        qid = self.pick(data, "queued")
        count = self.snap.conf.mic_count
        mic = data.draw(
            mostly(st.integers(1, count), -1, 0, count + 1, count + 2, "1", None, 1.0, True),
            label="mic",
        )
        busy = self.snap.occupied()
        expect = first_of(
            id_shape(qid),
            int_refusal(mic, 1, 8),  # what a conference may have; its own count is checked after
            id_state(qid, self.snap, "queued"),
            int_refusal(mic, 1, count),
            "mic_busy" if mic in busy else None,
        )
        if self.run(role, "question.assign", {"id": qid, "mic": mic}, expect) is None:
            return
        assert self.changed() == {qid}
        q = self.q(qid)
        assert (q.status, q.mic, q.on_deck_at) == ("on_deck", mic, self.now)

    def went_live(self, qid: int, seconds: int, at_field: str) -> None:
        q = self.q(qid)
        assert (q.timer_duration, q.timer_elapsed, q.timer_started_at) == (
            seconds,
            0,
            self.now,
        ), f"question {qid}: timer not fresh"
        assert getattr(q, at_field) == self.now
        assert q.mic == self.prev.qs[qid].mic, "a question keeps its mic"
        self.zeroed.discard(qid)

    @precondition(having("on_deck"))
    @rule(role=st.sampled_from(FLOOR_ROLES), data=st.data())
    def live(self, role: str, data: st.DataObject) -> None:
        qid = self.pick(data, "on_deck")
        speaking = len(self.snap.with_status("live"))
        expect = first_of(
            id_refusal(qid, self.snap, "on_deck"),
            "someone_live" if speaking >= self.snap.conf.max_live else None,
        )
        if self.run(role, "question.live", {"id": qid}, expect) is None:
            return
        assert self.changed() == {qid} and self.q(qid).status == "live"
        self.went_live(qid, self.prev.conf.speak_seconds, "live_at")

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        data=st.data(),
        agency=st.sampled_from([None, "Sở Y tế", 9]),
    )
    @precondition(having("live", "on_deck"))
    def answer(self, role: str, data: st.DataObject, agency: Any) -> None:
        qid = self.pick(data, "live", "on_deck")
        args: dict[str, Any] = {"id": qid}
        if agency is not None:
            args["agency"] = agency
        expect = first_of(
            id_shape(qid),
            text_refusal(agency, 200, False) if agency is not None else None,
            id_state(qid, self.snap, "live", "on_deck"),
        )
        if self.run(role, "question.answer", args, expect) is None:
            return
        assert self.changed() == {qid} and self.q(qid).status == "answering"
        self.went_live(qid, self.prev.conf.answer_seconds, "answering_at")

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        data=st.data(),
        outcome=mostly(
            st.sampled_from(["answered", "in_writing", "withdrawn"]), "rejected", "", None
        ),
    )
    def close(self, role: str, data: st.DataObject, outcome: Any) -> None:
        qid = self.pick(data, "pending", "queued", *AT_MIC, prefer=AT_MIC)
        expect = first_of(
            id_shape(qid),
            None if outcome in ("answered", "in_writing", "withdrawn") else "bad_args",
            id_state(qid, self.snap, "pending", "queued", *AT_MIC),
        )
        args = {"id": qid, "outcome": outcome}
        if self.run(role, "question.close", args, expect) is None:
            return
        assert self.changed() == {qid}
        q, before = self.q(qid), self.prev.qs[qid]
        assert (q.status, q.mic, q.closed_at, q.timer_started_at) == (outcome, None, self.now, None)
        running = 0 if before.timer_started_at is None else self.now - before.timer_started_at
        assert q.timer_elapsed == pytest.approx(before.timer_elapsed + running)

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        data=st.data(),
        action=mostly(st.sampled_from(["pause", "resume", "adjust"]), "stop", None),
        seconds=mostly(st.integers(-600, 600), -601, 601, "30", None),
    )
    @precondition(having("live", "answering"))
    def timer_action(self, role: str, data: st.DataObject, action: Any, seconds: Any) -> None:
        qid = self.pick(data, "live", "answering")
        expect = first_of(
            id_shape(qid),
            None if action in ("pause", "resume", "adjust") else "bad_args",
            int_refusal(seconds, -600, 600) if seconds is not None else None,
            "missing" if action == "adjust" and seconds is None else None,
            id_state(qid, self.snap, "live", "answering"),
        )
        args = {"id": qid, "action": action, "seconds": seconds}
        if self.run(role, "question.timer", args, expect) is None:
            return
        assert self.changed() <= {qid}
        q, before = self.q(qid), self.prev.qs[qid]
        if action == "pause":
            running = 0 if before.timer_started_at is None else self.now - before.timer_started_at
            assert q.timer_started_at is None
            assert q.timer_elapsed == pytest.approx(before.timer_elapsed + running)
        elif action == "resume":
            assert q.timer_started_at == (before.timer_started_at or self.now)
        else:
            assert q.timer_duration == max(0, before.timer_duration + seconds)
            if q.timer_duration == 0:
                self.zeroed.add(qid)

    @rule(role=st.sampled_from(FLOOR_ROLES))
    def floor_next(self, role: str) -> None:
        pre = self.snap
        live_now = pre.with_status("live")
        order = {
            qid: i
            for i, qid in enumerate(
                sorted(pre.qs, key=lambda i: (pre.qs[i].queue_rank, pre.qs[i].number))
            )
        }
        waiting = sorted(pre.with_status("on_deck"), key=lambda q: (q.on_deck_at or 0, order[q.id]))
        goes_live = waiting[0].id if waiting and len(live_now) < pre.conf.max_live else None
        free = [m for m in range(1, pre.conf.mic_count + 1) if m not in pre.occupied()]
        queue = pre.queue()
        on_deck = (queue[0], free[0]) if free and queue else None
        expect: str | None = None
        if goes_live is None and on_deck is None:
            if not queue and not waiting:
                expect = "nothing_next"
            elif not free:
                expect = "no_free_mic"
            else:
                expect = "someone_live"
        if (out := self.run(role, "floor.next", {}, expect)) is None:
            return
        assert self.changed() == {x for x in (goes_live, on_deck and on_deck[0]) if x}
        if goes_live is not None:
            assert out["live"]["id"] == goes_live and self.q(goes_live).status == "live"
            self.went_live(goes_live, pre.conf.speak_seconds, "live_at")
        if on_deck is not None:
            q = self.q(on_deck[0])
            assert out["on_deck"]["id"] == q.id and (q.status, q.mic) == ("on_deck", on_deck[1])

    @rule(
        role=st.sampled_from(FLOOR_ROLES),
        mic_count=st.one_of(st.none(), mostly(st.integers(1, 8), -1, 0, 9, "4", True)),
        max_live=st.one_of(st.none(), mostly(st.integers(1, 3), 0, 9, 2.0)),
        speak=st.one_of(st.none(), mostly(st.sampled_from([15, 120, 3600]), 0, 14, 3601)),
        answer=st.one_of(st.none(), mostly(st.sampled_from([15, 240]), 5000, "60")),
    )
    def settings(self, role: str, mic_count: Any, max_live: Any, speak: Any, answer: Any) -> None:
        given = {
            "mic_count": mic_count,
            "max_live": max_live,
            "speak_seconds": speak,
            "answer_seconds": answer,
        }
        args = {k: v for k, v in given.items() if v is not None}
        busy = [m for m in self.snap.occupied() if isinstance(mic_count, int) and m > mic_count]
        speaking = len(self.snap.with_status("live"))  # max_live may not drop below it
        expect = first_of(  # every argument's shape first, then the floor's state
            int_refusal(mic_count, 1, 8) if "mic_count" in args else None,
            int_refusal(max_live, 1, 8) if "max_live" in args else None,
            int_refusal(speak, 15, 3600) if "speak_seconds" in args else None,
            int_refusal(answer, 15, 3600) if "answer_seconds" in args else None,
            "mic_busy" if "mic_count" in args and busy else None,
            "someone_live" if "max_live" in args and max_live < speaking else None,
        )
        if self.run(role, "floor.settings", args, expect) is None:
            return
        assert self.changed() == set()
        for key, value in args.items():
            assert getattr(self.snap.conf, key) == value

    @rule(role=st.sampled_from(FLOOR_ROLES), text=mostly(st.just("Mời câu tiếp"), "", None, 5))
    def mc_message(self, role: str, text: Any) -> None:
        expect = first_of(
            text_refusal(text, 500, True), "message_waiting" if self.snap.conf.mc_message else None
        )
        if self.run(role, "mc.message", {"text": text}, expect) is None:
            return
        assert (self.snap.conf.mc_message, self.snap.conf.mc_message_from) == (text, role)

    @rule(role=st.sampled_from(["mc", *FLOOR_ROLES]))
    def mc_message_clear(self, role: str) -> None:
        self.run(role, "mc.message_clear", {}, None)
        assert self.snap.conf.mc_message == ""

    @rule(
        role=st.sampled_from(["mc", "audience", "projector", "secretary"]),
        name=st.sampled_from([*FLOOR_COMMANDS, "floor.nope"]),
        data=st.data(),
    )
    def other_roles(self, role: str, name: str, data: st.DataObject) -> None:
        """Any floor command by a role that may not use it: refused, nothing changes."""
        args = {"id": self.pick(data), "mic": 1, "to": "top", "text": "x", "asker_name": "A"}
        if name not in COMMANDS:
            expect: Any = "unknown_command"
        elif role not in COMMANDS[name].roles:
            expect = "forbidden"
        else:
            expect = ANY
        self.run(role, name, args, expect)

    # -- after every step -------------------------------------------------------------------

    @invariant()
    def floor_rules_hold(self) -> None:
        check_invariants(self.snap, self.first, self.zeroed)
        assert self.snap.conf.seq == self.seq0 + self.successes


FloorMachine.TestCase.settings = hsettings(
    max_examples=50,
    stateful_step_count=40,
    deadline=None,
    database=None,  # leave no .hypothesis folder in the tree
    suppress_health_check=[HealthCheck.too_slow],
)
TestFloor = FloorMachine.TestCase


# --- two moderators at once ----------------------------------------------------------------


def queued_ids(engine: Engine, conf_id: int, at_least: int) -> list[int]:
    """The queue, topped up with new floor questions to at least `at_least`."""
    queue = snapshot(engine, conf_id).queue()
    for i in range(at_least - len(queue)):
        execute(engine, SLUG, "moderator", "question.add", {"text": f"Câu thêm {i}"})
    return snapshot(engine, conf_id).queue()


def mics(snap: Snap) -> dict[int, tuple[int, str]]:
    return {mic: (qid, snap.qs[qid].status) for mic, qid in snap.occupied().items()}


def clear_mics(engine: Engine, conf_id: int) -> None:
    for q in snapshot(engine, conf_id).with_status(*AT_MIC):
        execute(engine, SLUG, "admin", "question.close", {"id": q.id, "outcome": "answered"})


def race(engine: Engine, *calls: tuple[str, str, dict[str, Any]]) -> list[Any]:
    """Run the commands in threads released at the same instant; each result is the
    Outcome or the CommandError (any other exception is re-raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def go(i: int, role: str, name: str, args: dict[str, Any]) -> None:
        barrier.wait()
        try:
            results[i] = execute(engine, SLUG, role, name, args)
        except Exception as e:  # a CommandError is a result; anything else is raised below
            results[i] = e

    threads = [threading.Thread(target=go, args=(i, *c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
        assert not t.is_alive(), "a command hung"
    for r in results:
        if not isinstance(r, CommandError) and isinstance(r, Exception):
            raise r
    return results


def test_two_moderators_assigning_one_mic_get_one_success(engine):
    conf_id = conference_id(engine)
    seq0 = snapshot(engine, conf_id).conf.seq
    for round_ in range(30):
        clear_mics(engine, conf_id)
        a, b = queued_ids(engine, conf_id, 2)[:2]
        mic = round_ % 4 + 1
        before = snapshot(engine, conf_id)
        results = race(
            engine,
            ("moderator", "question.assign", {"id": a, "mic": mic}),
            ("admin", "question.assign", {"id": b, "mic": mic}),
        )
        refused = [r for r in results if isinstance(r, CommandError)]
        assert len(refused) == 1, f"round {round_}: {results}"
        assert (refused[0].code, refused[0].status) == ("mic_busy", 409)
        winner = a if results[1] is refused[0] else b
        loser = b if winner == a else a
        after = snapshot(engine, conf_id)
        assert after.occupied() == {mic: winner}
        assert after.qs[loser] == before.qs[loser]
        assert after.conf.seq == before.conf.seq + 1
    after = snapshot(engine, conf_id)
    assert [e[0] for e in after.events] == list(range(1, after.conf.seq + 1))
    assert after.conf.seq > seq0


def test_floor_next_racing_assign_or_floor_next_is_serialised(engine):
    """floor.next against an assign to mic 1, and floor.next against floor.next: the
    result is always the result of one of the two orders."""
    conf_id = conference_id(engine)
    for round_ in range(20):
        clear_mics(engine, conf_id)
        first, second = queued_ids(engine, conf_id, 2)[:2]
        if round_ % 2:
            results = race(
                engine,
                ("moderator", "floor.next", {}),
                ("admin", "question.assign", {"id": second, "mic": 1}),
            )
            at = mics(snapshot(engine, conf_id))
            if isinstance(results[1], CommandError):  # floor.next went first
                assert results[1].code == "mic_busy"
                assert at == {1: (first, "on_deck")}
            else:  # the assign went first; floor.next then put it live
                assert not isinstance(results[0], CommandError)
                assert at == {1: (second, "live"), 2: (first, "on_deck")}
        else:
            results = race(engine, ("moderator", "floor.next", {}), ("admin", "floor.next", {}))
            assert not any(isinstance(r, CommandError) for r in results), results
            snap = snapshot(engine, conf_id)
            assert mics(snap) == {1: (first, "live"), 2: (second, "on_deck")}
            assert sorted(r.seq for r in results) == [snap.conf.seq - 1, snap.conf.seq]
    snap = snapshot(engine, conf_id)
    assert [e[0] for e in snap.events] == list(range(1, snap.conf.seq + 1))


def test_two_presses_of_n_at_once_advance_the_floor_once(engine):
    """What two consoles send when their moderators press «Tiếp» at the same moment: the
    floor as both saw it. One advances it; the other is refused (409 moved_on), instead of
    advancing it a second time."""
    conf_id = conference_id(engine)
    for _ in range(10):
        clear_mics(engine, conf_id)
        first = queued_ids(engine, conf_id, 1)[0]
        seen = {"queue_head": first, "deck_head": 0}
        results = race(engine, ("moderator", "floor.next", seen), ("admin", "floor.next", seen))
        refused = [r for r in results if isinstance(r, CommandError)]
        assert len(refused) == 1 and refused[0].code == "moved_on", results
        assert refused[0].status == 409
        assert mics(snapshot(engine, conf_id)) == {1: (first, "on_deck")}


def test_a_question_closed_by_mistake_is_reopened_to_the_top_of_the_queue(engine):
    conf_id = conference_id(engine)
    clear_mics(engine, conf_id)
    first, second = queued_ids(engine, conf_id, 2)[:2]
    press(engine, "question.assign", {"id": second, "mic": 1})
    press(engine, "question.close", {"id": second, "outcome": "answered"})
    out = press(engine, "question.reopen", {"id": second})
    assert out["was"] == "answered" and out["status"] == "queued"
    snap = snapshot(engine, conf_id)
    assert snap.queue()[:2] == [second, first]  # at the top, where a moderator looks
    assert snap.qs[second].closed_at is None and snap.qs[second].mic is None
    assert [e[1] for e in snap.events[-2:]] == ["question.close", "question.reopen"]  # audited
    e = refusal(engine, "question.reopen", {"id": second})  # open already
    assert (e.code, e.status) == ("wrong_state", 409)
    press(engine, "question.merge", {"id": first, "into": second})
    e = refusal(engine, "question.reopen", {"id": first})  # merged: its askers moved on
    assert (e.code, e.status) == ("wrong_state", 409)


def test_n_with_what_the_console_shows_goes_through(engine):
    conf_id = conference_id(engine)
    clear_mics(engine, conf_id)
    first, second = queued_ids(engine, conf_id, 2)[:2]
    press(engine, "floor.next", {"queue_head": first, "deck_head": 0})
    out = press(engine, "floor.next", {"queue_head": second, "deck_head": first})
    assert out["live"]["id"] == first and out["on_deck"]["id"] == second
    e = refusal(engine, "floor.next", {"queue_head": second, "deck_head": 0})  # stale
    assert (e.code, e.status) == ("moved_on", 409)


# --- examples of the common path -----------------------------------------------------------


def press(
    engine: Engine,
    name: str,
    args: dict[str, Any] | None = None,
    role: str = "moderator",
    now: float = 1000.0,
) -> dict[str, Any]:
    return execute(engine, SLUG, role, name, args or {}, now=now).answer


def refusal(
    engine: Engine, name: str, args: dict[str, Any] | None = None, role: str = "moderator"
) -> CommandError:
    with pytest.raises(CommandError) as e:
        execute(engine, SLUG, role, name, args or {})
    return e.value


def test_floor_next_twice_puts_the_first_on_deck_then_live_and_the_next_on_deck(engine):
    conf_id = conference_id(engine)
    clear_mics(engine, conf_id)
    first, second = queued_ids(engine, conf_id, 2)[:2]
    assert snapshot(engine, conf_id).occupied() == {}
    out = press(engine, "floor.next", now=1000.0)
    assert out == {
        "on_deck": {"id": first, "number": out["on_deck"]["number"], "status": "on_deck", "mic": 1}
    }
    out = press(engine, "floor.next", now=1010.0)
    assert out["live"]["id"] == first and out["live"]["mic"] == 1
    assert out["on_deck"]["id"] == second and out["on_deck"]["mic"] == 2
    snap = snapshot(engine, conf_id)
    q = snap.qs[first]
    assert (q.status, q.mic, q.live_at) == ("live", 1, 1010.0)
    assert (q.timer_duration, q.timer_started_at) == (snap.conf.speak_seconds, 1010.0)
    assert (snap.qs[second].status, snap.qs[second].mic) == ("on_deck", 2)
    assert first not in snap.queue() and second not in snap.queue()


def test_someone_live_until_the_speaker_moves_to_the_answer(engine):
    conf_id = conference_id(engine)
    clear_mics(engine, conf_id)
    press(engine, "floor.settings", {"max_live": 1, "mic_count": 4})
    first, second, _third = queued_ids(engine, conf_id, 3)[:3]
    press(engine, "question.assign", {"id": first, "mic": 3})
    press(engine, "question.live", {"id": first})
    press(engine, "question.assign", {"id": second, "mic": 1})
    e = refusal(engine, "question.live", {"id": second})
    assert (e.code, e.status) == ("someone_live", 409)
    # floor.next cannot make the waiting delegate speak either, but still fills a free mic.
    out = press(engine, "floor.next")
    assert "live" not in out and out["on_deck"]["mic"] == 2
    press(engine, "question.answer", {"id": first, "agency": "Sở Lao động - Thương binh và Xã hội"})
    press(engine, "question.live", {"id": second}, role="admin")
    snap = snapshot(engine, conf_id)
    assert [q.id for q in snap.with_status("live")] == [second]
    assert (
        snap.qs[first].status == "answering"
        and snap.qs[first].agency == "Sở Lao động - Thương binh và Xã hội"
    )


def test_mic_busy_and_mic_count_below_a_busy_mic_are_refused(engine):
    conf_id = conference_id(engine)
    clear_mics(engine, conf_id)
    press(engine, "floor.settings", {"mic_count": 4})
    first, second = queued_ids(engine, conf_id, 2)[:2]
    press(engine, "question.assign", {"id": first, "mic": 4})
    e = refusal(engine, "question.assign", {"id": second, "mic": 4}, role="admin")
    assert (e.code, e.status) == ("mic_busy", 409)
    assert refusal(engine, "floor.settings", {"mic_count": 3}).code == "mic_busy"
    assert refusal(engine, "question.assign", {"id": second, "mic": 5}).code == "out_of_range"
    assert snapshot(engine, conf_id).conf.mic_count == 4
    assert snapshot(engine, conf_id).occupied() == {4: first}


def test_one_mc_message_at_a_time_until_the_mc_clears_it(engine):
    conf_id = conference_id(engine)
    press(engine, "mc.message", {"text": "Còn 10 phút"})
    e = refusal(engine, "mc.message", {"text": "Mời Sở Y tế"}, role="admin")
    assert (e.code, e.status) == ("message_waiting", 409)
    conf = snapshot(engine, conf_id).conf
    assert (conf.mc_message, conf.mc_message_from) == ("Còn 10 phút", "moderator")
    assert press(engine, "mc.message_clear", role="mc") == {"text": "Còn 10 phút"}
    press(engine, "mc.message", {"text": "Mời Sở Y tế"}, role="admin")
    conf = snapshot(engine, conf_id).conf
    assert (conf.mc_message, conf.mc_message_from) == ("Mời Sở Y tế", "admin")


def test_merge_keeps_every_asker_transitively(engine):
    conf_id = conference_id(engine)

    def add(name: str, text: str, role: str = "moderator", cmd: str = "question.add") -> int:
        args = {"text": text, "asker_name": name, "asker_unit": f"Đơn vị {name}"}
        return execute(engine, SLUG, role, cmd, args).answer["id"]

    a = add("An", "Nhà ở cho công nhân?")
    b = add("Bình", "Nhà ở xã hội khu công nghiệp?")
    c = add("Chi", "Khi nào có nhà ở xã hội?")
    d = add("Dũng", "Nhà ở xã hội ở Lương Sơn?", role="audience", cmd="question.submit")
    press(engine, "question.merge", {"id": a, "into": b})
    press(engine, "question.merge", {"id": b, "into": c}, role="admin")
    press(engine, "question.assign", {"id": c, "mic": 2})  # a question at a mic takes merges too
    press(engine, "question.merge", {"id": d, "into": c})
    snap = snapshot(engine, conf_id)
    kept = snap.askers_of(c)
    assert sorted(k[0] for k in kept) == ["An", "Bình", "Dũng"]
    assert ("Dũng", "", "Đơn vị Dũng", "phone", "Nhà ở xã hội ở Lương Sơn?") in kept
    assert snap.askers_of(a) == snap.askers_of(b) == snap.askers_of(d) == []
    assert [(snap.qs[x].status, snap.qs[x].merged_into) for x in (a, b, d)] == [
        ("merged", b),
        ("merged", c),
        ("merged", c),
    ]
    assert (snap.qs[c].status, snap.qs[c].asker_name) == ("on_deck", "Chi")
    assert refusal(engine, "question.merge", {"id": c, "into": c}).code == "wrong_state"
    e = refusal(engine, "question.merge", {"id": add("Em", "?"), "into": a})
    assert (e.code, e.status) == ("wrong_state", 409)  # not into a merged question


# --- regressions: app bugs the state machine found (shrunk examples) ----------------------


def test_a_source_that_is_not_text_is_refused_not_a_crash(engine):
    # JSON args can hold any value; `source not in QUESTION_SOURCES` hashed it, so a list
    # or an object raised TypeError (HTTP 500) instead of a refusal. Shrunk example:
    # add(source=[], text='Câu hỏi về nhà ở xã hội').
    for source in (["floor"], {"k": 1}):
        e = refusal(engine, "question.add", {"text": "Câu hỏi", "source": source})
        assert (e.code, e.status) == ("bad_args", 400)


def test_max_live_cannot_drop_below_the_delegates_speaking(engine):
    # Like mic_count below a busy mic: lowering max_live under the number of delegates
    # speaking was accepted and left more live than allowed (breaking live <= max_live).
    conf_id = conference_id(engine)
    clear_mics(engine, conf_id)
    first, second = queued_ids(engine, conf_id, 2)[:2]
    press(engine, "floor.settings", {"max_live": 2})
    for mic, qid in ((1, first), (2, second)):
        press(engine, "question.assign", {"id": qid, "mic": mic})
        press(engine, "question.live", {"id": qid})
    e = refusal(engine, "floor.settings", {"max_live": 1})
    assert (e.code, e.status) == ("someone_live", 409)
    assert snapshot(engine, conf_id).conf.max_live == 2
