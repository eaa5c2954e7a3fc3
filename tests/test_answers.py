"""The secretaries' commands: answers and commitments, with conflicts refused, not lost."""

import json

import pytest
from sqlmodel import Session, select

from live.commands import CommandError, execute
from live.models import Answer, Commitment, Event, Question


def first_question(engine) -> Question:
    with Session(engine) as s:
        return s.exec(select(Question).order_by(Question.number)).first()


def answer_of(engine, qid) -> Answer | None:
    with Session(engine) as s:
        return s.exec(select(Answer).where(Answer.question_id == qid)).first()


def save(engine, role="secretary", **args):
    return execute(engine, "demo", role, "answer.save", args)


def test_an_answer_is_saved_and_each_save_bumps_its_version(engine):
    q = first_question(engine)
    out = save(
        engine,
        question_id=q.id,
        base_version=0,
        responder_agency="Sở Lao động - Thương binh và Xã hội",
        summary="Sở sẽ kiểm tra",
    )
    assert out.answer["version"] == 1
    save(engine, question_id=q.id, base_version=1, outcome="answered")
    a = answer_of(engine, q.id)
    assert (a.version, a.outcome, a.summary, a.updated_role) == (
        2,
        "answered",
        "Sở sẽ kiểm tra",
        "secretary",
    )


def test_two_secretaries_on_one_answer_get_a_conflict_and_nothing_is_overwritten(engine):
    q = first_question(engine)
    save(engine, question_id=q.id, base_version=0, summary="Bản của thư ký A")
    with pytest.raises(CommandError) as e:  # B started from version 0 too
        save(engine, question_id=q.id, base_version=0, summary="Bản của thư ký B")
    assert e.value.code == "conflict" and e.value.status == 409
    assert answer_of(engine, q.id).summary == "Bản của thư ký A"
    save(engine, question_id=q.id, base_version=1, summary="Bản A và B đã gộp")
    assert answer_of(engine, q.id).summary == "Bản A và B đã gộp"


def test_answer_arguments_are_checked(engine):
    q = first_question(engine)
    for bad in (
        {"question_id": q.id, "base_version": 0, "outcome": "maybe"},
        {"question_id": q.id, "base_version": 0, "summary": "x" * 8001},
        {"question_id": q.id, "base_version": 0, "summary": 12},
        {"question_id": q.id},  # no base_version
        {"question_id": 99999, "base_version": 0},
    ):
        with pytest.raises(CommandError):
            save(engine, **bad)
    assert answer_of(engine, q.id) is None
    with pytest.raises(CommandError) as e:
        save(engine, role="moderator", question_id=q.id, base_version=0)
    assert e.value.status == 403


def test_commitments_add_edit_remove_with_versions(engine):
    q = first_question(engine)
    added = execute(
        engine,
        "demo",
        "secretary",
        "commitment.add",
        {
            "question_id": q.id,
            "task": "Kiểm tra việc trả lương tối thiểu vùng tại KCN Lương Sơn",
            "lead_agency": "Sở Lao động - Thương binh và Xã hội",
            "cooperating": ["Liên đoàn Lao động tỉnh", " ", "Ban Quản lý các khu công nghiệp tỉnh"],
            "deadline": "2024-09-30",
        },
    ).answer
    with Session(engine) as s:
        c = s.get(Commitment, added["id"])
    assert json.loads(c.cooperating) == [
        "Liên đoàn Lao động tỉnh",
        "Ban Quản lý các khu công nghiệp tỉnh",
    ]
    assert (c.deadline, c.status, c.version) == ("2024-09-30", "not_started", 1)

    execute(
        engine,
        "demo",
        "secretary",
        "commitment.edit",
        {"id": c.id, "base_version": 1, "deadline": "2024-10-15"},
    )
    with pytest.raises(CommandError) as e:
        execute(
            engine,
            "demo",
            "admin",
            "commitment.edit",
            {"id": c.id, "base_version": 1, "task": "Khác"},
        )
    assert e.value.code == "conflict"
    with pytest.raises(CommandError):
        execute(
            engine,
            "demo",
            "secretary",
            "commitment.edit",
            {"id": c.id, "base_version": 2, "deadline": "30/10/2024"},
        )
    execute(
        engine,
        "demo",
        "secretary",
        "commitment.status",
        {"id": c.id, "status": "in_progress", "note": "Đã lập đoàn"},
    )
    with Session(engine) as s:
        c = s.get(Commitment, added["id"])
    assert (c.deadline, c.status, c.note, c.version) == (
        "2024-10-15",
        "in_progress",
        "Đã lập đoàn",
        3,
    )
    with pytest.raises(CommandError):
        execute(engine, "demo", "secretary", "commitment.remove", {"id": c.id, "base_version": 2})
    execute(engine, "demo", "secretary", "commitment.remove", {"id": c.id, "base_version": 3})
    with Session(engine) as s:
        assert s.get(Commitment, added["id"]) is None
        types = [ev.type for ev in s.exec(select(Event).order_by(Event.seq))]
    assert types == ["commitment.add", "commitment.edit", "commitment.status", "commitment.remove"]


def test_commitment_arguments_are_checked(engine):
    q = first_question(engine)
    for bad in (
        {"question_id": q.id},  # no task
        {"question_id": q.id, "task": ""},
        {"question_id": q.id, "task": "T", "cooperating": "Sở Y tế"},
        {"question_id": q.id, "task": "T", "cooperating": ["x"] * 21},
        {"question_id": q.id, "task": "T", "deadline": "next week"},
    ):
        with pytest.raises(CommandError):
            execute(engine, "demo", "secretary", "commitment.add", bad)
    with Session(engine) as s:
        assert list(s.exec(select(Commitment))) == []


def close(engine, qid, outcome="in_writing"):
    return execute(engine, "demo", "moderator", "question.close", {"id": qid, "outcome": outcome})


def test_closing_in_writing_is_the_answers_outcome_as_a_new_version(engine):
    """Issue 15: the floor's «Trả lời bằng văn bản» reaches the answer (the row made if none),
    as a version of it: a secretary's save on the new version works and keeps the outcome; an
    editor opened before the close gets a conflict, not a silent overwrite."""
    q = first_question(engine)
    assert answer_of(engine, q.id) is None
    close(engine, q.id)
    a = answer_of(engine, q.id)
    assert (a.outcome, a.version, a.summary, a.updated_role) == ("in_writing", 1, "", "moderator")

    with pytest.raises(CommandError) as e:  # an editor opened on "nothing recorded yet"
        save(engine, question_id=q.id, base_version=0, summary="Bản gõ trước khi đóng câu")
    assert e.value.code == "conflict"
    assert answer_of(engine, q.id).outcome == "in_writing"

    # The form sends its "Kết quả…" left empty: the floor's close stands.
    out = save(engine, question_id=q.id, base_version=1, summary="Sở sẽ trả lời", outcome="")
    a = answer_of(engine, q.id)
    assert (out.answer["version"], a.outcome, a.summary) == (2, "in_writing", "Sở sẽ trả lời")
    # A secretary's choice is theirs to make.
    save(engine, question_id=q.id, base_version=2, outcome="referred", referred_to="Sở Nội vụ")
    assert answer_of(engine, q.id).outcome == "referred"


def test_closing_in_writing_fills_an_empty_outcome_and_keeps_the_rest(engine):
    q = first_question(engine)
    save(engine, question_id=q.id, base_version=0, summary="Ghi dở", responder_name="Ông A")
    close(engine, q.id)
    a = answer_of(engine, q.id)
    assert (a.outcome, a.version, a.summary, a.responder_name) == (
        "in_writing",
        2,
        "Ghi dở",
        "Ông A",
    )


def test_a_secretarys_outcome_wins_over_closing_in_writing(engine):
    q = first_question(engine)
    save(engine, question_id=q.id, base_version=0, outcome="study")
    close(engine, q.id)
    a = answer_of(engine, q.id)
    assert (a.outcome, a.version) == ("study", 1)  # untouched: no new version either


def test_other_closes_leave_the_answer_alone(engine):
    with Session(engine) as s:
        first, second = s.exec(select(Question).order_by(Question.number).limit(2)).all()
    close(engine, first.id, "answered")
    close(engine, second.id, "withdrawn")
    assert answer_of(engine, first.id) is None and answer_of(engine, second.id) is None
