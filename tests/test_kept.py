"""Rows kept between renders (live.kept) stay what a fresh read gives, after every command
of a scripted day, whoever ran it: they catch up from the event log, not from this
process's memory (the day's commands here go straight to `execute`, past the hub)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, select

from live.commands import execute
from live.models import Delegate, Event, Question
from live.render import delegate_order, question_order, row_values
from tests.test_regions import day, grow


def fresh(live: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with Session(live.engine) as s:
        questions = sorted(s.exec(select(Question)).all(), key=question_order)
        delegates = sorted(s.exec(select(Delegate)).all(), key=delegate_order)
        return [row_values(q) for q in questions], [row_values(d) for d in delegates]


def kept(live: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    view = live.view("demo")
    return [row_values(q) for q in view.questions], [row_values(d) for d in view.delegates]


def test_kept_rows_equal_a_fresh_read_after_every_command(live):
    assert kept(live) == fresh(live)
    for role, name, args in day(live):
        execute(live.engine, "demo", role, name, args(live) if callable(args) else args)
        assert kept(live) == fresh(live), name


def test_after_a_new_question_only_that_question_is_read_again(live):
    grow(live, 10)  # 400 questions, 2,000 delegates
    assert live.view("demo").questions  # kept now
    execute(
        live.engine, "demo", "moderator", "question.add", {"text": "Câu hỏi mới", "asker_name": "A"}
    )
    statements: list[str] = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(live.engine, "before_cursor_execute", listener)
    try:
        questions = live.view("demo").questions
    finally:
        event.remove(live.engine, "before_cursor_execute", listener)
    assert len(questions) >= 401
    reads = [s for s in statements if "FROM question" in s]
    assert len(reads) == 1 and " IN " in reads[0].upper(), reads  # by id, not the table
    assert kept(live) == fresh(live)


def test_what_the_log_cannot_say_reads_everything_again(live):
    assert live.view("demo").questions  # kept now
    outcome = execute(live.engine, "demo", "mc", "step.next")
    with Session(live.engine) as s:  # an event logged before effects were (schema v5)
        logged = s.exec(select(Event).where(Event.seq == outcome.seq)).one()
        assert json.loads(logged.effects) == outcome.effects.as_json()
        logged.effects = ""
        s.add(logged)
        s.commit()
        q = s.exec(select(Question).where(Question.number == 3)).one()
        q.text = "Sửa thẳng trong cơ sở dữ liệu"  # a change no event names
        s.add(q)
        s.commit()
    assert kept(live) == fresh(live)
