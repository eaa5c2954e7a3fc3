"""Look-alike hints ("có thể trùng câu …") are worked out when a question arrives or its
text changes, kept with the question (the closest few), and never recomputed per render."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import event
from sqlmodel import Session, select

from live import db
from live.commands import CommandError, CommandMemo, Ctx, Request, execute, execute_batch
from live.commands.floor import OpenQuestions
from live.imports import LOOK_ALIKES_KEPT
from live.models import Conference
from live.render import load_view

WAGES = "Đề nghị tăng lương tối thiểu vùng cho công nhân khu công nghiệp Lương Sơn"


def by_number(engine, number):
    return next(q for q in load_view(engine, "demo", None).questions if q.number == number)  # type: ignore[arg-type]


def hinted(engine, *payloads):
    v = load_view(engine, "demo", None)  # type: ignore[arg-type]
    qs = [next(q for q in v.questions if q.id == p["id"]) for p in payloads]
    return [[d.id for d in v.duplicates_of(q)] for q in qs]


def test_a_new_question_is_hinted_and_no_other_changes(engine):
    """The hint shows on the question that came last (the one to merge into the other):
    an arriving question changes no other question, so its push is that one item."""
    a = execute(engine, "demo", "moderator", "question.add", {"text": WAGES}).answer
    others_before = {q.id: q.look_alikes for q in load_view(engine, "demo", None).questions}  # type: ignore[arg-type]
    b = execute(
        engine, "demo", "moderator", "question.add", {"text": WAGES + ", huyện Lương Sơn"}
    ).answer
    assert hinted(engine, a, b) == [[], [a["id"]]]
    others_after = {q.id: q.look_alikes for q in load_view(engine, "demo", None).questions}  # type: ignore[arg-type]
    assert {i: h for i, h in others_after.items() if i != b["id"]} == others_before


def test_an_edit_takes_the_hint_back_on_both_sides(engine):
    a = execute(engine, "demo", "moderator", "question.add", {"text": WAGES}).answer
    b = execute(
        engine, "demo", "moderator", "question.add", {"text": WAGES + ", huyện Lương Sơn"}
    ).answer
    c = execute(
        engine, "demo", "moderator", "question.add", {"text": WAGES + ", huyện Kim Bôi"}
    ).answer
    assert a["id"] in hinted(engine, c)[0] and b["id"] in hinted(engine, c)[0]
    other = "Xin hỏi về thời gian cấp sổ bảo hiểm xã hội cho người lao động"
    execute(engine, "demo", "moderator", "question.edit", {"id": c["id"], "text": other})
    assert hinted(engine, c) == [[]]  # its own hints, worked out again
    execute(engine, "demo", "moderator", "question.edit", {"id": a["id"], "text": other})
    assert a["id"] not in hinted(engine, b)[0]  # b named a; a no longer looks like b
    assert hinted(engine, a) == [[c["id"]]]  # a now looks like c


def test_each_question_keeps_its_closest_few(engine):
    for n in range(6):
        execute(engine, "demo", "moderator", "question.add", {"text": f"{WAGES} {n}"})
    for q in load_view(engine, "demo", None).questions:  # type: ignore[arg-type]
        hints = json.loads(q.look_alikes)
        assert len(hints) <= LOOK_ALIKES_KEPT
        assert [s for _, s in hints] == sorted((s for _, s in hints), reverse=True)


def test_rendering_the_queue_compares_no_texts(engine, monkeypatch):
    """The render reads the kept hints: `similar` is not called at all."""
    import live.imports

    calls = []
    monkeypatch.setattr(live.imports, "similar", lambda *a: calls.append(a) or 0.0)
    v = load_view(engine, "demo", None)  # type: ignore[arg-type]
    shown = [d for q in v.questions for d in v.duplicates_of(q)]
    assert shown  # the demo's written questions have look-alikes
    assert calls == []


def test_the_migration_works_out_the_hints_of_an_existing_database(engine):
    """Revision 0005 gives the questions a day already holds their hints."""
    with engine.begin() as conn:
        command.downgrade(db.alembic_config(conn), "0004")  # to before look_alikes was kept
    assert db.migrate(engine) == 4
    assert any(json.loads(q.look_alikes) for q in load_view(engine, "demo", None).questions)  # type: ignore[arg-type]


def test_an_import_compares_each_row_once_with_what_is_open(engine):
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    rows = [{"text": f"{WAGES} (đơn vị {n})", "asker_name": f"Người {n}"} for n in range(50)]
    execute(engine, "demo", "moderator", "question.import", {"rows": rows})
    reads = [
        s for s in statements if s.lstrip().upper().startswith("SELECT") and "look_alikes" in s
    ]
    assert len(reads) <= 3  # the open questions are read once, not per row


# --- the open questions' words, kept between commands (CommandMemo) -----------------------


def fresh_words(engine) -> dict[int, frozenset[str]]:
    with Session(engine) as s:
        conf = s.exec(select(Conference).where(Conference.slug == "demo")).one()
        ctx = Ctx(s, conf, {}, 0.0, "moderator")
        return OpenQuestions.of(ctx).words


def test_kept_open_questions_follow_every_command_as_if_read_again(engine):
    memo = CommandMemo()

    def run(role, name, args):
        (result,) = execute_batch(engine, "demo", [Request(role, name, args)], None, memo)
        if isinstance(result, Exception):
            raise result
        return result.answer

    a = run(
        "audience", "question.submit", {"asker_name": "An", "asker_unit": "Sở Y tế", "text": WAGES}
    )
    b = run("moderator", "question.add", {"text": WAGES + " Kim Bôi"})
    c = run("moderator", "question.add", {"text": "Nhà ở xã hội"})
    kept = memo.values["open_questions"]
    assert kept.words == fresh_words(engine)
    for role, name, args in [
        ("moderator", "question.approve", {"id": a["id"]}),
        ("moderator", "question.edit", {"id": c["id"], "text": "Nhà trẻ cho con công nhân"}),
        ("moderator", "question.reject", {"id": b["id"]}),
        ("moderator", "question.merge", {"id": c["id"], "into": a["id"]}),
        ("moderator", "question.assign", {"id": a["id"], "mic": 1}),
        ("moderator", "question.live", {"id": a["id"]}),
        ("moderator", "question.close", {"id": a["id"], "outcome": "answered"}),
    ]:
        run(role, name, args)
        assert memo.values["open_questions"] is kept  # caught up, not read again
        assert kept.words == fresh_words(engine), name
    assert a["id"] not in kept.words and c["id"] not in kept.words


def test_kept_open_questions_are_read_again_after_another_writer_or_a_failure(engine):
    memo = CommandMemo()
    add = Request("moderator", "question.add", {"text": WAGES})
    (first,) = execute_batch(engine, "demo", [add], None, memo)
    kept = memo.values["open_questions"]
    # another process (another worker) rejects it: this memo did not see that command
    execute(engine, "demo", "moderator", "question.reject", {"id": first.answer["id"]})
    execute_batch(engine, "demo", [add], None, memo)
    assert memo.values["open_questions"] is not kept
    assert first.answer["id"] not in memo.values["open_questions"].words
    # refused before any transaction (its arguments): nothing ran, nothing is forgotten
    kept = memo.values["open_questions"]
    (refused,) = execute_batch(
        engine, "demo", [Request("moderator", "question.add", {})], None, memo
    )
    assert isinstance(refused, CommandError) and memo.values["open_questions"] is kept
    # a command that fails midway (a field not on the list) may have kept rows it rolled
    # back: forgotten
    off_list = {"text": WAGES, "field": "Không có lĩnh vực này"}
    (refused,) = execute_batch(
        engine, "demo", [Request("moderator", "question.add", off_list)], None, memo
    )
    assert isinstance(refused, CommandError) and memo.values == {} and memo.seq is None
