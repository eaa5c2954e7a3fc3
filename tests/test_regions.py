"""The regions' dependencies (live.render.REGION_DEPENDS) are complete.

After a commit the hub re-renders only the regions that depend on the effect kinds the
command touched. A dependency left out would leave a region stale on every screen. Here a
scripted day runs command after command; after each, every region of every screen kind is
rendered from scratch and compared with the render before it: every region whose HTML
changed must be one the hub would have re-rendered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from starlette.testclient import TestClient

from live.app import create_app
from live.commands import execute
from live.render import SCREENS, Renderer, regions_depending_on

KINDS = [k for k in SCREENS if k not in ("mic", "secretary")] + ["mic:1", "mic:2", "secretary"]


def render_all(live: Any, renderer: Any = None) -> dict[tuple[str, str], Any]:
    """Every region of every kind, drawn from scratch (a new renderer: no item drawn
    before is reused), or by `renderer`."""
    if renderer is None:
        renderer = Renderer(live.renderer.env, live.renderer.public_base)
    view = live.view("demo")
    return {
        (kind, name): html
        for kind in KINDS
        for name, html in renderer.regions(kind, view, {}).items()
    }


def question_ids(live: Any, status: str) -> list[int]:
    return [q.id for q in live.view("demo").questions if q.status == status]


def day(live: Any) -> list[tuple[str, str, Any]]:
    """(role, command, args or a function of the live objects giving them)."""
    first_queued = lambda live: {"id": question_ids(live, "queued")[0]}  # noqa: E731
    on_deck = lambda live: {"id": question_ids(live, "on_deck")[0]}  # noqa: E731
    speaking = lambda live: {"id": question_ids(live, "live")[0]}  # noqa: E731
    answering = lambda live: {"id": question_ids(live, "answering")[0]}  # noqa: E731
    pending = lambda live: {"id": question_ids(live, "pending")[0]}  # noqa: E731
    delegate = lambda live: {"id": live.view("demo").delegates[3].id}  # noqa: E731
    answered = lambda live: question_ids(live, "answered")[0]  # noqa: E731
    return [
        ("checkin", "delegate.checkin", {"code": "DB0001", "desk": 1}),
        ("checkin", "delegate.checkin", {"code": "DB0005", "desk": 2}),
        ("checkin", "delegate.documents", lambda live: {"id": live.view("demo").delegates[0].id}),
        (
            "checkin",
            "delegate.add",
            {"name": "Lê Văn Mới", "unit": "Công đoàn Viên chức tỉnh", "desk": 1},
        ),
        ("checkin", "delegate.edit", lambda live: {**delegate(live), "position": "Tổ trưởng"}),
        ("mc", "step.next", {}),
        ("mc", "timer.pause", {}),
        ("mc", "timer.adjust", {"seconds": 60}),
        ("mc", "timer.resume", {}),
        ("mc", "projector.mode", {"mode": "hold"}),
        ("mc", "projector.mode", {"mode": "live"}),
        ("mc", "step.goto", {"position": 3}),
        ("mc", "video.play", {}),
        ("mc", "video.pause", {}),
        ("mc", "step.goto", {"position": 4}),
        (
            "moderator",
            "question.add",
            {
                "text": "Đề nghị tăng lương tối thiểu vùng cho công nhân",
                "asker_name": "Nguyễn Văn A",
            },
        ),
        (
            "audience",
            "question.submit",
            {
                "text": "Xin hỏi về nhà ở xã hội cho công nhân khu công nghiệp",
                "asker_name": "Trần B",
                "asker_unit": "Công đoàn các Khu công nghiệp tỉnh",
            },
        ),
        ("moderator", "question.approve", pending),
        ("moderator", "question.edit", lambda live: {**first_queued(live), "agency": "Sở Y tế"}),
        ("moderator", "question.internal", lambda live: {**first_queued(live), "internal": True}),
        ("moderator", "question.move", lambda live: {**first_queued(live), "to": "down"}),
        ("moderator", "floor.next", {}),
        ("moderator", "floor.next", {}),
        ("moderator", "question.timer", lambda live: {**speaking(live), "action": "pause"}),
        ("moderator", "question.answer", speaking),
        ("moderator", "question.close", lambda live: {**answering(live), "outcome": "answered"}),
        ("moderator", "question.assign", lambda live: {**first_queued(live), "mic": 3}),
        ("moderator", "question.requeue", on_deck),
        ("moderator", "mc.message", {"text": "Còn 10 phút cho phần đối thoại"}),
        ("mc", "mc.message_clear", {}),
        ("moderator", "floor.settings", {"speak_seconds": 120}),
        (
            "secretary",
            "answer.save",
            lambda live: {
                "question_id": answered(live),
                "base_version": 0,
                "summary": "Sở sẽ rà soát",
                "outcome": "answered",
            },
        ),
        (
            "secretary",
            "commitment.add",
            lambda live: {
                "question_id": answered(live),
                "task": "Rà soát lương vùng",
                "lead_agency": "Sở Lao động - Thương binh và Xã hội",
                "deadline": "2024-09-30",
            },
        ),
        (
            "secretary",
            "commitment.status",
            lambda live: {
                "id": next(iter(live.view("demo").commitments.values()))[0].id,
                "status": "in_progress",
            },
        ),
        (
            "secretary",
            "notice.edit",
            {"key": "opening", "text": "Đoạn mở đầu viết lại.", "base_version": 0},
        ),
        (
            "admin",
            "notice.issuer",
            {"parent": "UBND TỈNH HÒA BÌNH", "issuer": "VĂN PHÒNG", "place": "Hòa Bình"},
        ),
        ("mc", "step.goto", {"position": 7}),
        ("mc", "gift.show", {"batch": 1}),
        ("checkin", "gift.handed", lambda live: {"id": live.view("demo").gifts[0].id}),
        ("mc", "gift.presenters", {"batch": 2, "presenters": "Đồng chí Chủ tịch"}),
        ("mc", "gift.batch_size", {"size": 12}),
        ("admin", "list.add", {"kind": "field", "name": "Môi trường"}),
        (
            "admin",
            "list.edit",
            {"kind": "field", "name": "Môi trường", "new_name": "Môi trường lao động"},
        ),
        ("admin", "conference.edit", {"venue": "Hội trường tầng 3"}),
        ("admin", "step.edit", {"position": 2, "speaker": "Đồng chí Chủ tịch LĐLĐ tỉnh"}),
        ("admin", "seats.assign", {"rows": 11, "per_row": 25}),
        ("admin", "role.rotate", {"role": "mic"}),
        ("admin", "delegate.remove", delegate),
    ]


def test_every_region_a_command_changes_is_one_its_effects_re_render(live):
    before = render_all(live)
    ran = 0
    for role, name, args in day(live):
        outcome = execute(live.engine, "demo", role, name, args(live) if callable(args) else args)
        ran += 1
        after = render_all(live)
        changed = {key for key in after if after[key] != before.get(key)}
        declared = {
            (kind, region)
            for kind in KINDS
            for region in regions_depending_on(kind, outcome.effects.kinds)
        }
        stale = sorted(changed - declared)
        assert not stale, f"{name} {outcome.effects.as_json()}: not re-rendered: {stale}"
        # The renderer that lives on reuses items it drew before (ListRegion.fingerprint):
        # what it draws is what a fresh one draws.
        kept = render_all(live, live.renderer)
        assert kept == after, f"{name}: {[k for k in after if kept[k] != after[k]]}"
        before = after
    assert ran == len(day(live))


def test_a_timer_press_re_renders_the_timers_and_not_the_lists(live):
    outcome = execute(live.engine, "demo", "mc", "step.next")
    outcome = execute(live.engine, "demo", "mc", "timer.pause")
    assert outcome.effects.kinds == {"stage"}
    assert "mod-queue" not in regions_depending_on("moderator", outcome.effects.kinds)
    assert "checkin-list" not in regions_depending_on("checkin", outcome.effects.kinds)
    assert "mc-timer" in regions_depending_on("mc", outcome.effects.kinds)


def statements_of(live: Any, role: str, name: str, args: dict[str, Any]) -> int:
    """SQL statements a command makes, and then its push (every screen kind's regions that
    depend on what it changed, rendered from one view)."""
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    event.listen(live.engine, "before_cursor_execute", counted)
    try:
        outcome = execute(live.engine, "demo", role, name, args)
        view = live.view("demo")
        for kind in KINDS:
            names = regions_depending_on(kind, outcome.effects.kinds)
            live.renderer.regions(kind, view, {}, names)
    finally:
        event.remove(live.engine, "before_cursor_execute", counted)
    return count


def grow(live: Any, factor: int) -> None:
    """`factor` times the demo's questions and delegates (the delegates up to the list's
    limit of 2,000, i.e. 8 times), with new names and texts."""
    view = live.view("demo")
    for round_ in range(1, factor):
        if len(live.view("demo").delegates) + len(view.delegates) <= 2000:
            rows = [
                {"name": f"{d.name} {round_}", "unit": d.unit, "position": d.position}
                for d in view.delegates
            ]
            execute(live.engine, "demo", "admin", "delegate.import", {"rows": rows})
        questions = [
            {
                "text": f"{q.text} (lần {round_})",
                "asker_name": q.asker_name,
                "asker_unit": q.asker_unit,
            }
            for q in view.questions
        ]
        execute(live.engine, "demo", "moderator", "question.import", {"rows": questions})


COMMANDS_MEASURED = [
    ("moderator", "question.add", {"text": "Câu hỏi mới về bảo hiểm xã hội", "asker_name": "A"}),
    ("mc", "step.next", {}),
    ("checkin", "delegate.checkin", {"code": "DB0007", "desk": 1}),
]


def test_a_command_and_its_push_make_as_many_statements_at_ten_times_the_size(settings, tmp_path):
    from dataclasses import replace

    counts = []
    for factor, folder in ((1, "small"), (10, "large")):
        size = replace(settings, database_url=f"sqlite:///{tmp_path / folder}.db")
        with TestClient(create_app(size)) as client:
            live = client.app.state.live
            grow(live, factor)
            assert len(live.view("demo").questions) == 40 * factor
            assert len(live.view("demo").delegates) == min(250 * factor, 2000)
            statements_of(live, *COMMANDS_MEASURED[0])  # the first of a process warms caches
            counts.append([statements_of(live, *c) for c in COMMANDS_MEASURED])
    assert counts[0] == counts[1], counts
    assert all(n < 40 for n in counts[0]), counts
