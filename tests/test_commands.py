import json
import threading

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import Session, select

from live.auth import role_keys
from live.commands import COMMANDS, Command, CommandError, Outcome, Request, execute, execute_batch
from live.models import AgendaStep, Conference, Event


def state(engine) -> Conference:
    with Session(engine) as s:
        return s.exec(select(Conference).where(Conference.slug == "demo")).one()


def events(engine) -> list[Event]:
    with Session(engine) as s:
        return list(s.exec(select(Event).order_by(Event.seq)))


def test_next_previous_goto_and_their_edges(engine):
    assert state(engine).current_position == 0
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "step.previous")
    assert e.value.code == "at_start" and e.value.status == 409
    assert execute(engine, "demo", "mc", "step.next").seq == 1
    assert execute(engine, "demo", "mc", "step.next").seq == 2
    assert state(engine).current_position == 2
    execute(engine, "demo", "mc", "step.previous")
    assert state(engine).current_position == 1
    execute(engine, "demo", "mc", "step.goto", {"position": 8})
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "step.next")
    assert e.value.code == "at_end"
    for bad in ({"position": 9}, {"position": -1}, {"position": "3"}, {"position": True}, {}):
        with pytest.raises(CommandError):
            execute(engine, "demo", "mc", "step.goto", bad)
    assert state(engine).current_position == 8


def test_refusals_leave_no_hole_in_the_seq(engine):
    execute(engine, "demo", "mc", "step.next")
    with pytest.raises(CommandError):
        execute(engine, "demo", "mc", "step.goto", {"position": 99})
    execute(engine, "demo", "mc", "step.next")
    assert [e.seq for e in events(engine)] == [1, 2]
    assert state(engine).seq == 2


def test_every_command_is_logged_with_role_and_payload(engine):
    execute(engine, "demo", "admin", "step.goto", {"position": 2}, now=100.0)
    (event,) = events(engine)
    assert event.type == "step.goto"
    assert event.actor_role == "admin"
    assert json.loads(event.payload)["to"] == 2


def test_a_rotated_key_is_answered_to_the_admin_and_never_logged(engine):
    """A command's answer and its audit are two things: the admin who rotates a key is told
    it (to hand it on), the event log, which more people read, keeps only which role."""
    outcome = execute(engine, "demo", "admin", "role.rotate", {"role": "mic"})
    key = role_keys(engine, "demo")["mic"]
    assert outcome.answer == {"role": "mic", "key": key}
    assert outcome.audit == {"role": "mic"}
    (event,) = events(engine)
    assert json.loads(event.payload) == {"role": "mic"} and key not in event.payload
    # a plain command's answer is its audit
    outcome = execute(engine, "demo", "mc", "step.next")
    assert outcome.answer == outcome.audit == {"from": 0, "to": 1, "title": outcome.answer["title"]}


def test_entering_a_step_starts_its_timer_from_planned_minutes(engine):
    execute(engine, "demo", "mc", "step.goto", {"position": 2}, now=1000.0)
    c = state(engine)
    assert c.timer.duration == 10 * 60  # step 2 of the demo: 10 minutes
    assert c.timer.remaining(1030.0) == 570


def test_going_back_and_forth_keeps_each_steps_time(engine):
    """← then → must not reset the step's clock (119:43 became 119:59): each step keeps its
    timer as it stood when left, and when it really began."""
    execute(engine, "demo", "mc", "step.goto", {"position": 2}, now=1000.0)
    execute(engine, "demo", "mc", "timer.adjust", {"seconds": 30}, now=1010.0)
    execute(engine, "demo", "mc", "step.previous", now=1017.0)  # 17 s into step 2
    execute(engine, "demo", "mc", "step.next", now=1500.0)  # back, 483 s later
    c = state(engine)
    assert c.current_position == 2
    assert c.timer.remaining(1500.0) == 10 * 60 + 30 - 17  # goes on from 10:13
    assert c.timer.running
    execute(engine, "demo", "mc", "step.next", now=1600.0)  # step 3: fresh, from its plan
    assert state(engine).timer.remaining(1600.0) == 10 * 60
    with Session(engine) as s:
        steps = {
            st.position: st
            for st in s.exec(select(AgendaStep).where(AgendaStep.conference_id == c.id))
        }
    assert (steps[1].began_at, steps[2].began_at, steps[3].began_at) == (1017.0, 1000.0, 1600.0)
    assert (steps[2].kept_duration, steps[2].kept_elapsed) == (630.0, 117.0)
    assert steps[4].began_at is None and steps[4].kept_duration is None
    # timer.reset is the way back to the planned minutes
    execute(engine, "demo", "mc", "step.previous", now=1700.0)
    execute(engine, "demo", "mc", "timer.reset", now=1700.0)
    assert state(engine).timer.remaining(1700.0) == 10 * 60


def test_timer_commands(engine):
    execute(engine, "demo", "mc", "step.goto", {"position": 2}, now=0.0)
    execute(engine, "demo", "mc", "timer.pause", now=100.0)
    assert state(engine).timer.remaining(9999.0) == 500
    execute(engine, "demo", "mc", "timer.adjust", {"seconds": 60}, now=200.0)
    assert state(engine).timer.remaining(9999.0) == 560
    execute(engine, "demo", "mc", "timer.adjust", {"seconds": -60}, now=200.0)
    execute(engine, "demo", "mc", "timer.resume", now=300.0)
    assert state(engine).timer.remaining(310.0) == 490
    execute(engine, "demo", "mc", "timer.reset", now=400.0)
    assert state(engine).timer.remaining(400.0) == 600
    with pytest.raises(CommandError):
        execute(engine, "demo", "mc", "timer.adjust", {"seconds": 99999})


def test_timer_needs_a_started_programme(engine):
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "timer.resume")
    assert e.value.code == "not_started"


def test_projector_modes(engine):
    for mode in ("hold", "blackout", "live"):
        execute(engine, "demo", "mc", "projector.mode", {"mode": mode})
        assert state(engine).projector_mode == mode
    with pytest.raises(CommandError):
        execute(engine, "demo", "mc", "projector.mode", {"mode": "party"})


def test_video_play_pause_keeps_its_position(engine):
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "video.play")
    assert e.value.code == "no_video"
    execute(engine, "demo", "mc", "step.goto", {"position": 3})  # the report video
    execute(engine, "demo", "mc", "video.play", now=10.0)
    execute(engine, "demo", "mc", "video.pause", now=25.5)
    assert state(engine).video_offset == 15.5
    execute(engine, "demo", "mc", "video.play", now=100.0)
    execute(engine, "demo", "mc", "projector.mode", {"mode": "hold"}, now=104.5)
    c = state(engine)
    assert not c.video_playing and c.video_offset == 20.0  # hiding the projector pauses it
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "video.play", now=110.0)
    assert e.value.code == "projector_not_live"
    execute(engine, "demo", "mc", "video.restart")
    assert state(engine).video_offset == 0
    execute(engine, "demo", "mc", "step.next")
    assert not state(engine).video_playing


def test_the_projector_reports_the_end_of_the_video(engine):
    execute(engine, "demo", "mc", "step.goto", {"position": 3})  # the report video
    execute(engine, "demo", "mc", "video.play", now=10.0)
    for late in ({"position": 2}, {"position": 4}):  # another step's: refused, nothing moves
        with pytest.raises(CommandError) as e:
            execute(engine, "demo", "projector", "video.ended", late, now=55.0)
        assert (e.value.code, e.value.status) == ("not_playing", 409)
    execute(engine, "demo", "projector", "video.ended", {"position": 3}, now=55.0)
    c = state(engine)
    assert (c.video_playing, c.video_ended, c.video_offset) == (False, True, 45.0)
    with pytest.raises(CommandError):  # twice (two projectors): the second is refused
        execute(engine, "demo", "projector", "video.ended", {"position": 3}, now=55.1)
    execute(engine, "demo", "mc", "video.play", now=60.0)  # again: from the start
    c = state(engine)
    assert (c.video_playing, c.video_ended, c.video_offset) == (True, False, 0.0)


def test_step_media_accepts_only_paths_inside_the_media_folders(engine):
    execute(engine, "demo", "mc", "step.media", {"position": 3, "media": "uploads/x.webm"})
    for bad in ("../etc/passwd", "/etc/passwd", "uploads/../x", "other/x.webm", "uploads/", 3):
        with pytest.raises(CommandError):
            execute(engine, "demo", "mc", "step.media", {"position": 3, "media": bad})


def test_roles_and_unknown_commands(engine):
    for role in ("moderator", "secretary", "checkin", "mic", "projector", "nobody"):
        with pytest.raises(CommandError) as e:
            execute(engine, "demo", role, "step.next")
        assert e.value.status == 403
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "step.jump")
    assert e.value.status == 404
    with pytest.raises(CommandError) as e:
        execute(engine, "nope", "mc", "step.next")
    assert e.value.status == 404
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "step.goto", ["not", "an", "object"])
    assert e.value.code == "bad_args"


def test_concurrent_commands_are_serialised(engine):
    """Threads pressing at once: every acknowledged command has its own seq, no holes."""
    acknowledged: list[int] = []
    lock = threading.Lock()

    failures: list[BaseException] = []

    def press(n: int) -> None:
        try:
            for _ in range(n):
                outcome = execute(engine, "demo", "mc", "timer.adjust", {"seconds": 1})
                with lock:
                    acknowledged.append(outcome.seq)
        except BaseException as e:  # a thread's exception would otherwise vanish
            failures.append(e)

    execute(engine, "demo", "mc", "step.goto", {"position": 1}, now=0.0)
    threads = [threading.Thread(target=press, args=(15,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(acknowledged) == list(range(2, 62))
    assert [e.seq for e in events(engine)] == list(range(1, 62))
    assert state(engine).timer.duration == 15 * 60 + 60  # no lost update


def test_every_command_has_a_summary_for_the_docs():
    assert all(cmd.summary for cmd in COMMANDS.values())


# --- group commit: several commands in one transaction ------------------------------------


def ask(name: str, text: str = "Nhà ở xã hội cho công nhân khi nào có?") -> Request:
    return Request(
        "audience",
        "question.submit",
        {"asker_name": name, "asker_unit": "Công đoàn Khu công nghiệp", "text": text},
    )


def test_a_batch_applies_each_command_in_order_with_its_own_seq_and_event(engine):
    commits = []
    sa_event.listen(engine, "commit", lambda _conn: commits.append(1))
    results = execute_batch(
        engine,
        "demo",
        [
            Request("mc", "step.next"),
            Request("mc", "step.goto", {"position": 99}),  # refused: out of range
            Request("mc", "step.next"),
            Request("projector", "step.next"),  # refused: not this role's
            Request("mc", "no.such.command"),
        ],
    )
    assert [r.seq if isinstance(r, Outcome) else r.code for r in results] == [
        1,
        "out_of_range",
        2,
        "forbidden",
        "unknown_command",
    ]
    assert [(e.seq, e.type) for e in events(engine)] == [(1, "step.next"), (2, "step.next")]
    assert state(engine).current_position == 2 and state(engine).seq == 2
    assert len(commits) == 1  # one wait for the disk for the whole batch
    assert results[0].effects.kinds == results[2].effects.kinds == {"stage"}


def test_a_command_that_fails_midway_leaves_nothing_and_the_others_stand(engine, monkeypatch):
    def half_then_crash(ctx):
        ctx.conf.mc_message = "nửa chừng"
        ctx.session.add(ctx.conf)
        ctx.session.flush()  # written inside its savepoint…
        raise RuntimeError("a bug")  # …and rolled back with it

    monkeypatch.setitem(
        COMMANDS, "crash", Command("crash", frozenset({"mc"}), "test", half_then_crash)
    )
    first, crashed, refused, last = execute_batch(
        engine, "demo", [ask("An"), Request("mc", "crash"), ask(""), ask("Bình")]
    )
    assert isinstance(crashed, RuntimeError)
    assert isinstance(refused, CommandError) and refused.code == "missing"
    assert (first.seq, last.seq) == (1, 2)
    assert last.answer["number"] == first.answer["number"] + 1  # no number lost either
    c = state(engine)
    assert c.seq == 2 and c.mc_message != "nửa chừng"
    assert [e.seq for e in events(engine)] == [1, 2]


def test_a_batch_refused_before_reading_makes_no_transaction(engine):
    statements = []
    sa_event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    results = execute_batch(engine, "demo", [Request("mc", "nope"), Request("mc", "x", [])])
    assert [r.code for r in results] == ["unknown_command", "unknown_command"]
    assert statements == []
    (gone,) = execute_batch(engine, "no-such-conference", [Request("mc", "step.next")])
    assert gone.code == "not_found" and gone.status == 404
