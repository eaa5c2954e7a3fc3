"""Preparing and running the people side of the day through the commands: check-in at the
desks, delegates and seats, the MC's introductions, the lists, the agenda editor, the
conference's details and next year's copy, gifts, and finding an asker among the delegates."""

from __future__ import annotations

import json
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, func, select

from live.auth import role_keys
from live.commands import CommandError, Outcome, execute
from live.commands.setup import COPIED_SETTINGS, STANDARD_PROGRAMME
from live.models import (
    Conference,
    Delegate,
    Event,
    GiftBatch,
    GiftRecipient,
    Question,
    QuestionAsker,
)
from live.notice import notice_of
from live.render import Renderer, View, load_view, make_environment

# --- helpers -------------------------------------------------------------------------------


def run(
    engine, role: str, command: str, /, at: str = "demo", now: float | None = None, **args: Any
) -> Outcome:
    """`command` sent by `role` in conference `at`, with `args` as keywords."""
    return execute(engine, at, role, command, args, now=now)


def refused(engine, role: str, command: str, /, at: str = "demo", **args: Any) -> CommandError:
    with pytest.raises(CommandError) as e:
        execute(engine, at, role, command, args)
    return e.value


def view(engine, slug: str = "demo") -> View:
    v = load_view(engine, slug, Path("media"))
    assert v is not None
    return v


def seq(engine, slug: str = "demo") -> int:
    with Session(engine) as s:
        return s.exec(select(Conference.seq).where(Conference.slug == slug)).one()


def event_count(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Event)).one()


def by_code(v: View, code: str) -> Delegate:
    return next(d for d in v.delegates if d.code == code)


def by_id(v: View, did: int) -> Delegate:
    return next(d for d in v.delegates if d.id == did)


def group_members(v: View, group: str) -> list[Delegate]:
    return sorted((d for d in v.delegates if d.group_name == group), key=lambda d: d.rank)


def ordinal(seat: str, per_row: int) -> int:
    """ "B03" in a hall of `per_row` seats a row -> its place in the filling order."""
    return (ord(seat[0]) - ord("A")) * per_row + int(seat[1:]) - 1


UNIT = "Liên đoàn Lao động huyện Lương Sơn"  # 3 delegates, quota 3; 2 gifts, quota 2
WORKERS = "Công nhân, viên chức, lao động"
DEPARTMENTS = "Sở, ban, ngành"


# --- check-in ------------------------------------------------------------------------------


def test_checkin_by_id_and_by_badge_code_in_any_case(engine):
    v = view(engine)
    first, second, third = by_code(v, "DB0001"), by_code(v, "DB0002"), by_code(v, "DB0120")
    assert first.checked_in_at is None and third.unit in v.lists["unit"]
    out = run(engine, "checkin", "delegate.checkin", id=first.id, desk=1, now=1000.0)
    assert out.answer == {
        "id": first.id,
        "code": "DB0001",
        "name": first.name,
        "seat": first.seat,
        "desk": 1,
    }
    out = run(engine, "checkin", "delegate.checkin", code="db0002", desk=2)
    assert out.answer["id"] == second.id and out.answer["desk"] == 2
    run(engine, "admin", "delegate.checkin", code="  Db0120 ", desk=4)
    e = refused(engine, "checkin", "delegate.checkin", code="DB9999", desk=1)
    assert (e.code, e.status) == ("not_found", 404)
    e = refused(engine, "checkin", "delegate.checkin", desk=1)  # neither id nor code
    assert e.code == "bad_args"

    v = view(engine)
    assert {d.code: d.checkin_desk for d in v.present} == {
        "DB0001": 1,
        "DB0002": 2,
        "DB0120": 4,
    }
    assert by_id(v, first.id).checked_in_at == 1000.0
    assert by_id(v, second.id).checked_in_at is not None
    att = v.attendance()
    assert (att["present"], att["total"], att["walk_ins"]) == (3, 250, 0)
    groups = {row["name"]: row for row in att["groups"]}
    assert groups["Tổng LĐLĐ Việt Nam"] == {"name": "Tổng LĐLĐ Việt Nam", "present": 2, "total": 2}
    units = {row["name"]: row for row in att["units"]}
    assert units[third.unit]["present"] == 1 and units[third.unit]["quota"] == 20
    assert units["Khách mời (ngoài danh sách đơn vị)"]["present"] == 2


def test_second_checkin_is_refused_with_the_desk_and_leaves_no_event(engine):
    d = by_code(view(engine), "DB0042")
    run(engine, "checkin", "delegate.checkin", id=d.id, desk=3)
    before, events = seq(engine), event_count(engine)
    for args in ({"id": d.id}, {"code": "db0042"}):
        e = refused(engine, "checkin", "delegate.checkin", desk=1, **args)
        assert (e.code, e.status) == ("already_checked_in", 409)
        assert d.name in e.message and "bàn 3" in e.message
    assert (seq(engine), event_count(engine)) == (before, events)
    assert by_id(view(engine), d.id).checkin_desk == 3  # the second desk changed nothing


def test_two_desks_checking_in_the_same_delegates_at_once_count_each_once(engine):
    ids = [d.id for d in view(engine).delegates[:30]]
    successes: list[tuple[int, int]] = []
    refusals: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def desk(number: int, order: list[int]) -> None:
        try:
            start.wait()
            for did in order:
                try:
                    execute(
                        engine, "demo", "checkin", "delegate.checkin", {"id": did, "desk": number}
                    )
                except CommandError as e:
                    if e.code != "already_checked_in":
                        raise
                    with lock:
                        refusals.append(did)
                else:
                    with lock:
                        successes.append((did, number))
        except BaseException as e:  # a thread's exception would otherwise vanish
            failures.append(e)

    threads = [
        threading.Thread(target=desk, args=(1, ids)),
        threading.Thread(target=desk, args=(2, ids[::-1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(successes) == 30
    assert sorted(did for did, _ in successes) == sorted(ids)
    assert sorted(refusals) == sorted(ids)  # the other desk was told, for every badge
    v = view(engine)
    assert v.attendance()["present"] == 30
    assert {d.id: d.checkin_desk for d in v.present} == dict(successes)
    with Session(engine) as s:
        logged = s.exec(select(Event).where(Event.type == "delegate.checkin")).all()
    assert len(logged) == 30 and seq(engine) == 30


def test_checkin_undo_and_documents(engine):
    d = by_code(view(engine), "DB0100")
    e = refused(engine, "checkin", "delegate.checkin_undo", id=d.id)
    assert (e.code, e.status) == ("not_checked_in", 409)
    run(engine, "checkin", "delegate.checkin", id=d.id, desk=1)
    run(engine, "checkin", "delegate.checkin_undo", id=d.id)
    again = by_id(view(engine), d.id)
    assert again.checked_in_at is None and again.checkin_desk is None
    run(engine, "checkin", "delegate.checkin", id=d.id, desk=2)  # may come in again
    assert by_id(view(engine), d.id).checkin_desk == 2

    run(engine, "checkin", "delegate.documents", id=d.id, now=500.0)
    assert by_id(view(engine), d.id).documents_at == 500.0
    assert view(engine).attendance()["documents"] == 1
    run(engine, "admin", "delegate.documents", id=d.id, given=False)
    assert by_id(view(engine), d.id).documents_at is None
    assert view(engine).attendance()["documents"] == 0
    assert (
        refused(engine, "checkin", "delegate.documents", id=d.id, given="maybe").code == "bad_args"
    )
    assert refused(engine, "mc", "delegate.documents", id=d.id).status == 403
    assert refused(engine, "checkin", "delegate.checkin_undo", id=999999).status == 404


def test_a_walk_in_is_added_checked_in_at_the_desk(engine):
    out = run(
        engine,
        "checkin",
        "delegate.add",
        name="Hoàng Văn Mới",
        unit=UNIT,
        group=WORKERS,
        desk=2,
        now=700.0,
    )
    assert out.answer["code"] == "DB0251"
    assert out.answer["walk_in"] is True and out.answer["desk"] == 2
    v = view(engine)
    d = by_id(v, out.answer["id"])
    assert (d.walk_in, d.checked_in_at, d.checkin_desk, d.seat) == (True, 700.0, 2, "")
    att = v.attendance()
    assert (att["present"], att["total"], att["walk_ins"]) == (1, 251, 1)

    e = refused(
        engine, "checkin", "delegate.add", name="Không Bàn"
    )  # the desk may only add walk-ins
    assert e.code == "bad_args" and "desk" in e.message
    e = refused(engine, "checkin", "delegate.add", name="Không Bàn", desk="")
    assert e.code == "bad_args"
    out = run(engine, "admin", "delegate.add", name="Khách Mời Thêm", group="Báo chí")
    d = by_id(view(engine), out.answer["id"])
    assert (out.answer["code"], d.walk_in, d.checked_in_at) == ("DB0252", False, None)
    assert len(view(engine).delegates) == 252


def test_a_removed_delegates_badge_code_is_never_given_again(engine):
    last = by_code(view(engine), "DB0250")
    run(engine, "admin", "delegate.remove", id=last.id)
    out = run(engine, "checkin", "delegate.add", name="Người Đến Sau", desk=1)
    assert out.answer["code"] != "DB0250"


@pytest.mark.parametrize(
    ("desk", "code"), [(0, "out_of_range"), (5, "out_of_range"), ("1", "bad_args")]
)
def test_desk_out_of_range(engine, desk, code):
    d = by_code(view(engine), "DB0010")
    assert refused(engine, "checkin", "delegate.checkin", id=d.id, desk=desk).code == code
    e = refused(engine, "checkin", "delegate.add", name="Người Lạ", desk=desk)
    assert e.code == code
    v = view(engine)
    assert v.present == [] and len(v.delegates) == 250
    assert seq(engine) == 0


# --- delegate.edit -------------------------------------------------------------------------


def test_delegate_edit_normalises_the_seat_and_refuses_a_taken_one(engine):
    v = view(engine)
    holder = next(d for d in v.delegates if d.seat == "A07")
    mover = by_code(v, "DB0200")
    e = refused(engine, "admin", "delegate.edit", id=mover.id, seat="a-7")
    assert (e.code, e.status) == ("seat_taken", 409) and holder.name in e.message
    run(engine, "admin", "delegate.edit", id=holder.id, seat="")  # frees A07
    out = run(engine, "checkin", "delegate.edit", id=mover.id, seat="a-7")
    assert out.answer["seat"] == "A07"
    assert by_id(view(engine), mover.id).seat == "A07"
    run(engine, "admin", "delegate.edit", id=mover.id, seat="A7")  # its own seat: no clash
    e = refused(engine, "admin", "delegate.edit", id=holder.id, seat=" A 07 ")
    assert e.code == "seat_taken" and mover.name in e.message
    assert refused(engine, "admin", "delegate.edit", id=mover.id, seat="7A").code == "bad_args"
    assert refused(engine, "admin", "delegate.edit", id=mover.id, seat="A0").code == "bad_args"


def test_delegate_edit_checks_gender_group_role_and_id(engine):
    d = by_code(view(engine), "DB0150")
    out = run(engine, "admin", "delegate.edit", id=d.id, gender="Nữ", group=WORKERS, rank=7)
    assert out.answer == {"id": d.id, "gender": "Nữ", "group_name": WORKERS, "rank": 7}
    assert refused(engine, "admin", "delegate.edit", id=d.id, gender="Male").code == "bad_args"
    e = refused(engine, "admin", "delegate.edit", id=d.id, group="Nhóm không có")
    assert e.code == "bad_args" and "Nhóm không có" in e.message
    assert refused(engine, "admin", "delegate.edit", id=d.id, rank=1000).code == "out_of_range"
    assert refused(engine, "admin", "delegate.edit", id=d.id, name="  ").code == "missing"
    assert refused(engine, "mic", "delegate.edit", id=d.id, gender="Nam").status == 403
    assert refused(engine, "moderator", "delegate.edit", id=d.id, gender="Nam").status == 403
    assert refused(engine, "admin", "delegate.edit", id=999999, gender="Nam").status == 404
    after = by_id(view(engine), d.id)
    assert (after.gender, after.group_name, after.rank, after.name) == ("Nữ", WORKERS, 7, d.name)


# --- seats ---------------------------------------------------------------------------------


def test_seats_assign_front_row_in_protocol_order_and_units_side_by_side(engine):
    run(engine, "admin", "list.move", kind="group", name="UBND tỉnh", to=1)
    run(engine, "admin", "delegate.add", name="Hoàng Văn Mới", unit=UNIT, group=WORKERS)
    out = run(engine, "admin", "seats.assign", rows=12, per_row=22)
    assert out.answer == {"rows": 12, "per_row": 22, "seated": 251, "front_row": 22}
    v = view(engine)
    assert (v.conference.seat_rows, v.conference.seats_per_row) == (12, 22)
    seats = [d.seat for d in v.delegates]
    assert all(seats) and len(set(seats)) == 251
    assert all(ordinal(s, 22) < 251 for s in seats)  # filled from A01 without a gap

    named = v.introduced()
    assert [d.group_name for d in named[:2]] == ["UBND tỉnh", "UBND tỉnh"]  # moved first
    assert [d.rank for d in named[:2]] == [1, 2]
    assert [d.seat for d in named] == [f"A{n:02d}" for n in range(1, len(named) + 1)]
    front = sorted((d for d in v.delegates if d.seat.startswith("A")), key=lambda d: d.seat)
    assert front[: len(named)] == named

    for unit in v.lists["unit"]:
        places = sorted(ordinal(d.seat, 22) for d in v.delegates if d.unit == unit)
        assert places == list(range(places[0], places[0] + len(places))), unit
    # units in list order: the first unit's delegates sit before the second's
    first, second = v.lists["unit"][:2]
    last_of_first = max(ordinal(d.seat, 22) for d in v.delegates if d.unit == first)
    assert all(ordinal(d.seat, 22) > last_of_first for d in v.delegates if d.unit == second)


def test_seats_assign_refuses_a_hall_too_small_and_bad_sizes(engine):
    before = {d.id: d.seat for d in view(engine).delegates}
    e = refused(engine, "admin", "seats.assign", rows=10, per_row=24)
    assert (e.code, e.status) == ("hall_full", 409)
    assert "240" in e.message and "250" in e.message
    assert refused(engine, "admin", "seats.assign", rows=27, per_row=10).code == "out_of_range"
    assert refused(engine, "admin", "seats.assign", rows=10, per_row=100).code == "out_of_range"
    assert refused(engine, "checkin", "seats.assign", rows=10, per_row=25).status == 403
    assert {d.id: d.seat for d in view(engine).delegates} == before
    assert seq(engine) == 0


# --- introductions -------------------------------------------------------------------------


def test_introductions_follow_checkin_in_protocol_order(engine):
    assert view(engine).introductions() == {"named": [], "groups": [], "total": 0}
    v = view(engine)
    host = group_members(v, "LĐLĐ tỉnh")
    ppc = group_members(v, "UBND tỉnh")
    confed = group_members(v, "Tổng LĐLĐ Việt Nam")
    workers = group_members(v, WORKERS)[:3]
    departments = group_members(v, DEPARTMENTS)[:2]
    # in at the desks out of protocol order, a dignitary's deputy before them
    for d in [*workers[:1], host[1], ppc[1], *departments, confed[0], *workers[1:]]:
        run(engine, "checkin", "delegate.checkin", id=d.id, desk=1)
    intro = view(engine).introductions()
    assert [d.id for d in intro["named"]] == [confed[0].id, ppc[1].id, host[1].id]
    assert intro["groups"] == [(DEPARTMENTS, 2), (WORKERS, 3)]
    assert intro["total"] == 8
    assert confed[1].id not in [d.id for d in view(engine).introduced(present_only=True)]
    # placards are for everyone invited: all the dignitaries, not only those present
    assert len(view(engine).introduced()) == 11


def test_a_groups_introduce_count_names_its_top_ranked_present_delegates(engine):
    host = group_members(view(engine), "LĐLĐ tỉnh")
    out = run(engine, "admin", "list.edit", kind="group", name="LĐLĐ tỉnh", introduce=1)
    assert out.answer["introduce"] == 1
    for d in (host[2], host[4], host[1]):
        run(engine, "checkin", "delegate.checkin", id=d.id, desk=2)
    intro = view(engine).introductions()
    assert [d.id for d in intro["named"]] == [host[1].id]  # the best-ranked of those present
    assert intro["groups"] == [("LĐLĐ tỉnh", 2)]
    run(engine, "checkin", "delegate.checkin", id=host[0].id, desk=2)
    intro = view(engine).introductions()
    assert [d.id for d in intro["named"]] == [host[0].id]
    assert intro["groups"] == [("LĐLĐ tỉnh", 3)] and intro["total"] == 4
    assert len(view(engine).introduced()) == 9  # 8 dignitaries + the host's chairman

    ppc = group_members(view(engine), "UBND tỉnh")
    run(engine, "admin", "list.edit", kind="group", name="UBND tỉnh", introduce=0)
    for d in ppc:
        run(engine, "checkin", "delegate.checkin", id=d.id, desk=3)
    intro = view(engine).introductions()
    assert [d.id for d in intro["named"]] == [host[0].id]
    assert intro["groups"] == [("UBND tỉnh", 2), ("LĐLĐ tỉnh", 3)]  # protocol order
    e = refused(engine, "admin", "list.edit", kind="group", name="UBND tỉnh", introduce=100)
    assert e.code == "out_of_range"


# --- lists ---------------------------------------------------------------------------------


def test_list_add_move_remove(engine):
    run(engine, "admin", "list.add", kind="unit", name="Công đoàn Điện lực", gift_quota=2)
    run(engine, "admin", "list.add", kind="group", name="Khách quốc tế", introduce=2)
    v = view(engine)
    unit = v.items["unit"][-1]
    assert (unit.name, unit.delegate_quota, unit.gift_quota) == ("Công đoàn Điện lực", 20, 2)
    assert unit.position == len(v.items["unit"]) == 18
    group = v.items["group"][-1]
    assert (group.name, group.introduce, group.position) == ("Khách quốc tế", 2, 15)
    for name in ("liên đoàn lao động huyện lương sơn", "CÔNG ĐOÀN ĐIỆN LỰC"):
        e = refused(engine, "admin", "list.add", kind="unit", name=name)
        assert (e.code, e.status) == ("exists", 409)
    assert refused(engine, "admin", "list.add", kind="people", name="X").code == "bad_args"
    assert refused(engine, "admin", "list.add", kind="unit", name=" ").code == "missing"
    assert refused(engine, "mc", "list.add", kind="unit", name="Y").status == 403

    run(engine, "admin", "list.move", kind="group", name="Khách quốc tế", to=1)
    groups = view(engine).items["group"]
    assert groups[0].name == "Khách quốc tế" and groups[1].name == "Tổng LĐLĐ Việt Nam"
    assert [g.position for g in groups] == list(range(1, 16))
    assert (
        refused(engine, "admin", "list.move", kind="group", name="Khách quốc tế", to=16).code
        == "out_of_range"
    )
    assert refused(engine, "admin", "list.move", kind="group", name="Không có", to=1).status == 404

    members = [d.id for d in view(engine).delegates if d.group_name == DEPARTMENTS]
    run(engine, "admin", "list.remove", kind="group", name=DEPARTMENTS)
    v = view(engine)
    assert DEPARTMENTS not in v.lists["group"]
    assert [g.position for g in v.items["group"]] == list(range(1, 15))
    assert [d.id for d in v.delegates if d.group_name == DEPARTMENTS] == members  # kept
    assert refused(engine, "admin", "list.remove", kind="group", name=DEPARTMENTS).status == 404


def test_renaming_a_unit_carries_to_delegates_gifts_and_questions(engine):
    old, new = "Công đoàn ngành Y tế", "Công đoàn ngành Y tế tỉnh Hòa Bình"
    v = view(engine)
    delegates = sorted(d.id for d in v.delegates if d.unit == old)
    gifts = sorted(g.id for g in v.gifts if g.unit == old)
    questions = sorted(q.id for q in v.questions if q.asker_unit == old)
    assert len(delegates) == 20 and len(gifts) == 1 and questions
    out = run(engine, "admin", "list.edit", kind="unit", name=old, new_name=new)
    assert (out.answer["name"], out.answer["new_name"]) == (old, new)
    v = view(engine)
    assert new in v.lists["unit"] and old not in v.lists["unit"]
    assert sorted(d.id for d in v.delegates if d.unit == new) == delegates
    assert sorted(g.id for g in v.gifts if g.unit == new) == gifts
    assert sorted(q.id for q in v.questions if q.asker_unit == new) == questions
    assert not [d for d in v.delegates if d.unit == old]
    quota = next(u for u in v.items["unit"] if u.name == new)
    assert (quota.delegate_quota, quota.gift_quota) == (20, 1)  # the quotas stay with it
    assert v.quota_warnings() == []
    # a gift for the new name is accepted, for the old one refused
    run(engine, "admin", "gift.edit", id=gifts[0], unit=new)
    assert refused(engine, "admin", "gift.edit", id=gifts[0], unit=old).code == "bad_args"

    e = refused(engine, "admin", "list.edit", kind="unit", name=new, new_name=UNIT.upper())
    assert (e.code, e.status) == ("exists", 409)
    assert refused(engine, "admin", "list.edit", kind="unit", name=old, new_name="X").status == 404


def test_renaming_a_group_carries_to_delegates(engine):
    old, new = "LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh (đơn vị tổ chức)"
    members = sorted(d.id for d in view(engine).delegates if d.group_name == old)
    assert len(members) == 22
    run(engine, "admin", "list.edit", kind="group", name=old, new_name=new)
    v = view(engine)
    assert sorted(d.id for d in v.delegates if d.group_name == new) == members
    assert v.lists["group"][9] == new
    assert len(v.introduced()) == 11  # its three leaders are still introduced
    e = refused(engine, "admin", "list.edit", kind="group", name=new, new_name="báo chí")
    assert e.code == "exists"


def test_renaming_a_unit_carries_to_the_askers_merged_into_a_question(engine):
    old, new = "Công đoàn ngành Y tế", "Công đoàn Y tế"
    qs = [q for q in view(engine).questions if q.asker_unit == old and q.status == "queued"]
    other = next(q for q in view(engine).questions if q.asker_unit != old and q.status == "queued")
    run(engine, "moderator", "question.merge", id=qs[0].id, into=other.id)
    run(engine, "admin", "list.edit", kind="unit", name=old, new_name=new)
    with Session(engine) as s:
        units = s.exec(select(QuestionAsker.unit).where(QuestionAsker.question_id == other.id))
        assert list(units) == [new]


def test_renaming_an_agency_carries_to_the_cooperating_agencies_of_a_commitment(engine):
    old, new = "Sở Nội vụ", "Sở Nội vụ tỉnh Hòa Bình"
    assert old in view(engine).lists["agency"]
    q = view(engine).questions[0]
    run(
        engine,
        "secretary",
        "commitment.add",
        question_id=q.id,
        task="Rà soát chế độ phụ cấp",
        lead_agency=old,
        cooperating=[old, "Sở Tài chính"],
    )
    run(engine, "admin", "list.edit", kind="agency", name=old, new_name=new)
    (c,) = view(engine).commitments[q.id]
    assert c.lead_agency == new  # this part holds
    assert json.loads(c.cooperating) == [new, "Sở Tài chính"]


def test_quotas_and_their_warnings(engine):
    assert view(engine).quota_warnings() == []
    run(engine, "admin", "list.edit", kind="unit", name=UNIT, delegate_quota=2)
    assert view(engine).quota_warnings() == [f"{UNIT}: 3 đại biểu, vượt hạn mức 2."]
    run(engine, "admin", "list.edit", kind="unit", name=UNIT, delegate_quota=3)
    assert view(engine).quota_warnings() == []
    kim_boi = "Liên đoàn Lao động huyện Kim Bôi"
    run(engine, "admin", "gift.add", name="Bùi Thị Thêm", unit=kim_boi, value=1_000_000)
    assert view(engine).quota_warnings() == [f"{kim_boi}: 3 suất quà, vượt hạn mức 2."]
    run(engine, "admin", "delegate.add", name="Bùi Văn Thêm", unit=UNIT, group=WORKERS)
    assert view(engine).quota_warnings() == [
        f"{UNIT}: 4 đại biểu, vượt hạn mức 3.",
        f"{kim_boi}: 3 suất quà, vượt hạn mức 2.",
    ]
    out = run(engine, "admin", "list.edit", kind="unit", name=kim_boi, gift_quota=5)
    assert out.answer["gift_quota"] == 5
    assert len(view(engine).quota_warnings()) == 1
    for bad in (-1, 501, "3"):
        e = refused(engine, "admin", "list.edit", kind="unit", name=UNIT, delegate_quota=bad)
        assert e.code in ("out_of_range", "bad_args")
    # quotas belong to units: a group ignores them
    run(engine, "admin", "list.edit", kind="group", name=WORKERS, delegate_quota=5)
    assert next(g for g in view(engine).items["group"] if g.name == WORKERS).delegate_quota == 0


# --- the agenda editor ---------------------------------------------------------------------


def titles(engine) -> list[str]:
    return [s.title for s in view(engine).steps]


def test_step_add_and_edit(engine):
    out = run(engine, "admin", "step.add", kind="speech", title="Phát biểu thêm", show_timer="on")
    assert out.answer == {"position": 9, "title": "Phát biểu thêm"}
    step = view(engine).steps[-1]
    assert (step.position, step.kind, step.planned_minutes, step.show_timer) == (
        9,
        "speech",
        5,
        True,
    )
    assert refused(engine, "admin", "step.add", kind="party", title="X").code == "bad_args"
    for minutes in (0, 601):
        e = refused(engine, "admin", "step.add", title="X", planned_minutes=minutes)
        assert e.code == "out_of_range"
    assert refused(engine, "admin", "step.add", kind="speech").code == "missing"
    assert refused(engine, "mc", "step.add", title="X").status == 403
    assert len(view(engine).steps) == 9

    assert view(engine).steps[0].show_timer is False
    run(engine, "admin", "step.edit", position=1, show_timer="on", planned_minutes=20)
    first = view(engine).steps[0]
    assert (first.show_timer, first.planned_minutes) == (True, 20)
    assert first.title.startswith("Tuyên bố lý do")  # untouched fields stay
    run(engine, "admin", "step.edit", position=1, show_timer=False, speaker="MC")
    first = view(engine).steps[0]
    assert (first.show_timer, first.speaker) == (False, "MC")
    run(engine, "admin", "step.edit", position=1, show_timer=True)
    assert view(engine).steps[0].show_timer is True
    assert refused(engine, "admin", "step.edit", position=1, kind="party").code == "bad_args"
    e = refused(engine, "admin", "step.edit", position=1, planned_minutes=601)
    assert e.code == "out_of_range"
    assert refused(engine, "admin", "step.edit", position=10, title="X").code == "out_of_range"
    assert refused(engine, "admin", "step.edit", position=1, show_timer="yes").code == "bad_args"


def test_step_move_keeps_the_running_step_running(engine):
    run(engine, "mc", "step.goto", position=3)
    running = view(engine).current
    assert running is not None and running.kind == "video"
    run(engine, "admin", "step.move", position=3, to=1)
    v = view(engine)
    assert v.conference.current_position == 1 and v.current.title == running.title
    run(engine, "admin", "step.move", position=5, to=2)  # others move around it
    v = view(engine)
    assert v.conference.current_position == 1 and v.current.title == running.title
    run(engine, "admin", "step.move", position=1, to=8)
    v = view(engine)
    assert v.conference.current_position == 8 and v.current.title == running.title
    assert [s.position for s in v.steps] == list(range(1, 9))
    assert refused(engine, "admin", "step.move", position=1, to=9).code == "out_of_range"


def test_step_remove_refuses_the_running_step_and_shifts_the_current_position(engine):
    run(engine, "mc", "step.goto", position=4)
    running = view(engine).current
    assert running is not None and running.kind == "dialogue"
    e = refused(engine, "admin", "step.remove", position=4)
    assert (e.code, e.status) == ("step_running", 409)
    removed = view(engine).steps[1].title
    run(engine, "admin", "step.remove", position=2)
    v = view(engine)
    assert removed not in [s.title for s in v.steps]
    assert v.conference.current_position == 3 and v.current.title == running.title
    run(engine, "admin", "step.remove", position=7)  # after it: nothing moves
    v = view(engine)
    assert v.conference.current_position == 3 and v.current.title == running.title
    assert [s.position for s in v.steps] == list(range(1, 7))
    run(engine, "mc", "step.next")
    assert view(engine).current.kind == "speech"


# --- the conference ------------------------------------------------------------------------


def test_conference_edit(engine):
    run(
        engine,
        "admin",
        "conference.edit",
        title="Hội nghị đối thoại năm 2025",
        date="2025-07-04",
        starts_at="07:30",
        venue="Hội trường B",
    )
    c = view(engine).conference
    assert (c.title, c.date, c.starts_at, c.venue) == (
        "Hội nghị đối thoại năm 2025",
        "2025-07-04",
        "07:30",
        "Hội trường B",
    )
    assert refused(engine, "admin", "conference.edit", title="  ").code == "missing"
    for bad in ("2025-13-01", "05/07/2025", "2025-02-30"):
        assert refused(engine, "admin", "conference.edit", date=bad).code == "bad_args"
    for bad in ("25:00", "8:00", "08:60", "0800"):
        assert refused(engine, "admin", "conference.edit", starts_at=bad).code == "bad_args"
    assert refused(engine, "mc", "conference.edit", title="X").status == 403
    run(engine, "admin", "conference.edit", date="", starts_at="")  # may be cleared
    c = view(engine).conference
    assert (c.title, c.date, c.starts_at) == ("Hội nghị đối thoại năm 2025", "", "")


def people_of(engine, slug: str) -> tuple[int, int, int, int]:
    with Session(engine) as s:
        cid = s.exec(select(Conference.id).where(Conference.slug == slug)).one()

        def count(model: Any) -> int:
            return s.exec(
                select(func.count()).select_from(model).where(model.conference_id == cid)
            ).one()

        return count(Delegate), count(Question), count(GiftRecipient), count(GiftBatch)


def test_conference_new_copies_agenda_lists_and_settings_but_no_people(engine):
    run(engine, "admin", "gift.batch_size", size=7)
    run(engine, "admin", "floor.settings", mic_count=6)
    run(engine, "admin", "list.edit", kind="unit", name=UNIT, delegate_quota=9, gift_quota=4)
    run(engine, "admin", "list.edit", kind="group", name="LĐLĐ tỉnh", introduce=5)
    run(engine, "admin", "step.edit", position=2, mc_script="Kịch bản riêng")
    before = seq(engine)
    out = run(
        engine,
        "admin",
        "conference.new",
        slug="doi-thoai-2025",
        title="Hội nghị đối thoại năm 2025",
        date="2025-07-04",
        copy=True,
    )
    assert out.answer == {
        "slug": "doi-thoai-2025",
        "title": "Hội nghị đối thoại năm 2025",
        "copied_from": "demo",
    }
    assert seq(engine) == before + 1  # logged in the source
    src, new = view(engine), view(engine, "doi-thoai-2025")
    assert (new.conference.title, new.conference.date) == (
        "Hội nghị đối thoại năm 2025",
        "2025-07-04",
    )
    assert new.conference.seq == 0 and new.conference.current_position == 0

    def steps(v: View) -> list[dict[str, Any]]:
        return [s.model_dump(exclude={"id", "conference_id"}) for s in v.steps]

    assert steps(new) == steps(src) and new.steps[1].mc_script == "Kịch bản riêng"

    def lists(v: View) -> dict[str, list[tuple[Any, ...]]]:
        return {
            kind: [(i.name, i.position, i.delegate_quota, i.gift_quota, i.introduce) for i in items]
            for kind, items in v.items.items()
        }

    assert lists(new) == lists(src)
    assert (UNIT, 2, 9, 4, 0) in lists(new)["unit"]
    assert ("LĐLĐ tỉnh", 10, 0, 0, 5) in lists(new)["group"]
    for key in COPIED_SETTINGS:
        assert getattr(new.conference, key) == getattr(src.conference, key), key
    assert (new.conference.gift_batch_size, new.conference.mic_count) == (7, 6)
    assert new.conference.banner == src.conference.banner
    assert people_of(engine, "doi-thoai-2025") == (0, 0, 0, 0)
    assert people_of(engine, "demo") == (250, 40, 30, 3)

    old_keys, new_keys = role_keys(engine, "demo"), role_keys(engine, "doi-thoai-2025")
    assert set(new_keys) == set(old_keys)
    assert not set(new_keys.values()) & set(old_keys.values())
    assert len(set(new_keys.values())) == len(new_keys)
    # it runs on its own
    run(engine, "mc", "step.next", at="doi-thoai-2025")
    assert view(engine).conference.current_position == 0
    assert view(engine, "doi-thoai-2025").conference.current_position == 1


def test_conference_new_without_copy_gets_the_standard_programme(engine):
    run(engine, "admin", "gift.batch_size", size=7)
    out = run(engine, "admin", "conference.new", slug="hoi-nghi-moi", title="Hội nghị mới")
    assert out.answer["copied_from"] == ""
    new = view(engine, "hoi-nghi-moi")
    assert [(s.kind, s.title, s.planned_minutes) for s in new.steps] == STANDARD_PROGRAMME
    assert len(new.steps) == 8 and all(s.mc_script == "" for s in new.steps)
    assert all(items == [] for items in new.items.values())
    assert new.conference.gift_batch_size == 10 and new.conference.banner == ""
    assert new.conference.date == ""
    assert people_of(engine, "hoi-nghi-moi") == (0, 0, 0, 0)
    assert set(role_keys(engine, "hoi-nghi-moi")) == set(role_keys(engine, "demo"))


def test_conference_new_refusals(engine):
    for bad in ("a", "-abc", "ab_c", "hội-nghị", "a" * 41, "ab c"):
        e = refused(engine, "admin", "conference.new", slug=bad, title="X")
        assert e.code in ("bad_args", "too_long") and e.status == 400, bad
    for taken in ("demo", "DEMO"):
        e = refused(engine, "admin", "conference.new", slug=taken, title="X")
        assert (e.code, e.status) == ("exists", 409)
    assert refused(engine, "admin", "conference.new", slug="moi", title="").code == "missing"
    assert (
        refused(engine, "admin", "conference.new", slug="moi", title="X", date="x").code
        == "bad_args"
    )
    assert refused(engine, "mc", "conference.new", slug="moi", title="X").status == 403
    assert (
        refused(engine, "admin", "conference.new", slug="moi", title="X", copy="yes").code
        == "bad_args"
    )
    with Session(engine) as s:
        assert s.exec(select(Conference.slug)).all() == ["demo"]
    assert seq(engine) == 0


# --- gifts ---------------------------------------------------------------------------------


def gift_order(engine) -> list[int]:
    return [g.id for g in view(engine).gifts]


def test_gift_add_import_edit_remove_move(engine):
    out = run(engine, "admin", "gift.add", name="Lò Thị Mới", unit=UNIT, value=1_500_000)
    new = view(engine).gifts[-1]
    assert (new.id, new.position, new.name, new.value) == (
        out.answer["id"],
        31,
        "Lò Thị Mới",
        1_500_000,
    )
    e = refused(engine, "admin", "gift.add", name="X", unit="Công ty ngoài danh sách")
    assert e.code == "bad_args" and "Công ty ngoài danh sách" in e.message
    assert refused(engine, "admin", "gift.add", name="X", unit="").code == "missing"
    assert refused(engine, "admin", "gift.add", name="", unit=UNIT).code == "missing"
    e = refused(engine, "admin", "gift.add", name="X", unit=UNIT, value=100_000_001)
    assert e.code == "out_of_range"
    assert refused(engine, "mc", "gift.add", name="X", unit=UNIT).status == 403

    rows = [
        {"name": "Hà Văn Một", "unit": UNIT, "value": 500_000},
        {"name": "Hà Văn Hai", "unit": UNIT, "circumstances": "Ốm đau"},
    ]
    assert run(engine, "admin", "gift.import", rows=rows).answer == {"count": 2, "total": 33}
    gifts = view(engine).gifts
    assert [(g.name, g.position) for g in gifts[-2:]] == [("Hà Văn Một", 32), ("Hà Văn Hai", 33)]
    bad = [{"name": "Hà Văn Ba", "unit": UNIT}, {"name": "Hà Văn Bốn", "unit": "Không có"}]
    e = refused(engine, "admin", "gift.import", rows=bad)
    assert e.code == "bad_args" and e.message.startswith("Dòng 2 (người nhận quà):")
    assert refused(engine, "admin", "gift.import", rows=[]).code == "bad_args"
    assert refused(engine, "admin", "gift.import", rows=["x"]).code == "bad_args"
    assert len(view(engine).gifts) == 33  # nothing of the refused list

    target = gifts[-1].id
    run(engine, "admin", "gift.edit", id=target, value=2_000_000, unit="Công đoàn ngành Y tế")
    edited = view(engine).gifts[-1]
    assert (edited.value, edited.unit, edited.name) == (
        2_000_000,
        "Công đoàn ngành Y tế",
        "Hà Văn Hai",
    )
    assert refused(engine, "admin", "gift.edit", id=target, unit="Không có").code == "bad_args"
    assert refused(engine, "admin", "gift.edit", id=999999, value=1).status == 404

    order = gift_order(engine)
    run(engine, "admin", "gift.move", id=target, to=1)
    assert gift_order(engine) == [target, *order[:-1]]
    assert view(engine).gift_batches[0]["recipients"][0].id == target
    assert refused(engine, "admin", "gift.move", id=target, to=34).code == "out_of_range"
    run(engine, "admin", "gift.remove", id=order[0])
    gifts = view(engine).gifts
    assert order[0] not in [g.id for g in gifts]
    assert [g.position for g in gifts] == list(range(1, 33))


def test_gift_batches_presenters_and_the_projector(engine):
    v = view(engine)
    assert [len(b["recipients"]) for b in v.gift_batches] == [10, 10, 10]
    assert [b["number"] for b in v.gift_batches] == [1, 2, 3]
    run(engine, "mc", "gift.batch_size", size=4)
    v = view(engine)
    assert [len(b["recipients"]) for b in v.gift_batches] == [4] * 7 + [2]
    assert [g.id for b in v.gift_batches for g in b["recipients"]] == [g.id for g in v.gifts]
    assert refused(engine, "mc", "gift.batch_size", size=31).code == "out_of_range"
    run(engine, "admin", "gift.batch_size", size=10)

    run(engine, "mc", "gift.presenters", batch=2, presenters="Đồng chí Chủ tịch UBND tỉnh")
    assert view(engine).gift_batches[1]["presenters"] == "Đồng chí Chủ tịch UBND tỉnh"
    assert refused(engine, "mc", "gift.presenters", batch=4, presenters="X").code == "out_of_range"
    assert refused(engine, "checkin", "gift.presenters", batch=1, presenters="X").status == 403

    assert refused(engine, "mc", "gift.show", batch=4).code == "out_of_range"
    run(engine, "mc", "gift.show", batch=2)
    assert view(engine).conference.gift_batch == 2
    assert view(engine).shown_gift_batch is None  # before the start: not the gifts step
    run(engine, "mc", "step.goto", position=4)
    assert view(engine).shown_gift_batch is None
    gifts_step = next(s.position for s in view(engine).steps if s.kind == "gifts")
    run(engine, "mc", "step.goto", position=gifts_step)
    shown = view(engine).shown_gift_batch
    assert shown is not None and shown["number"] == 2
    assert shown["presenters"] == "Đồng chí Chủ tịch UBND tỉnh"
    assert [g.position for g in shown["recipients"]] == list(range(11, 21))
    run(engine, "mc", "gift.show", batch=0)  # the step's title card
    assert view(engine).shown_gift_batch is None
    run(engine, "mc", "gift.show", batch=3)
    assert view(engine).shown_gift_batch["number"] == 3
    run(engine, "mc", "step.next")
    assert view(engine).shown_gift_batch is None


def test_gift_handed_roles(engine):
    g = view(engine).gifts[0]
    run(engine, "checkin", "gift.handed", id=g.id, now=900.0)
    assert view(engine).gifts[0].handed_at == 900.0
    run(engine, "mc", "gift.handed", id=g.id, handed=False)
    assert view(engine).gifts[0].handed_at is None
    run(engine, "admin", "gift.handed", id=g.id, handed=True)
    assert view(engine).gifts[0].handed_at is not None
    for role in ("secretary", "moderator", "mic", "projector"):
        assert refused(engine, role, "gift.handed", id=g.id).status == 403


def test_removing_recipients_clamps_the_shown_batch(engine):
    run(engine, "mc", "gift.show", batch=3)
    last_ten = gift_order(engine)[20:]
    for gid in last_ten[:9]:
        run(engine, "admin", "gift.remove", id=gid)
    assert view(engine).conference.gift_batch == 3  # 21 recipients: still three batches
    run(engine, "admin", "gift.remove", id=last_ten[9])
    v = view(engine)
    assert len(v.gift_batches) == 2 and v.conference.gift_batch == 2
    run(engine, "mc", "gift.batch_size", size=30)
    assert view(engine).conference.gift_batch == 1
    for gid in gift_order(engine):
        run(engine, "admin", "gift.remove", id=gid)
    v = view(engine)
    assert v.gifts == [] and v.gift_batches == [] and v.conference.gift_batch == 0


# --- who an asker is -----------------------------------------------------------------------


def ask(engine, name: str, unit: str) -> int:
    out = run(
        engine,
        "moderator",
        "question.add",
        asker_name=name,
        asker_unit=unit,
        field="Tiền lương – việc làm",
        text="Đề nghị cho biết lộ trình tăng lương tối thiểu vùng?",
    )
    return out.answer["id"]


def test_delegate_for_finds_the_asker_and_tells_namesakes_apart(engine):
    v = view(engine)
    chair = by_code(v, "DB0001")
    spoken = "  " + chair.name.upper().replace(" ", "   ") + " "
    assert v.delegate_for(spoken, "").id == chair.id
    assert v.delegate_for(chair.name.lower(), "any unit at all").id == chair.id
    decomposed = unicodedata.normalize("NFD", chair.name)
    assert decomposed != chair.name and v.delegate_for(decomposed, "").id == chair.id
    assert v.delegate_for("Người Không Có Tên", chair.unit) is None
    assert v.delegate_for("", chair.unit) is None

    out = run(
        engine,
        "admin",
        "delegate.add",
        name=chair.name,
        unit="Công đoàn ngành Y tế",
        group=WORKERS,
        seat="K01",
    )
    v = view(engine)
    assert v.delegate_for(chair.name, "  công đoàn  NGÀNH y tế").id == out.answer["id"]
    assert v.delegate_for(chair.name.lower(), chair.unit.upper()).id == chair.id
    assert v.delegate_for(chair.name, "Công đoàn ngành Giáo dục") is None  # cannot tell


def mic_panel(engine, mic: int) -> str:
    env = make_environment()
    env.globals["notice_of"] = notice_of
    env.globals["max_upload_mb"] = 2048
    return Renderer(env, "http://hall.local").regions(f"mic:{mic}", view(engine), {})["mic-panel"]


def test_the_runner_sees_the_askers_seat(engine):
    chair = by_code(view(engine), "DB0001")
    qid = ask(engine, " " + chair.name.lower() + " ", "")
    assert "Ghế" not in mic_panel(engine, 1)
    run(engine, "moderator", "question.assign", id=qid, mic=1)
    html = mic_panel(engine, 1)
    assert "ĐẾN CHỖ ĐẠI BIỂU" in html
    assert "Ghế" in html and f"<strong>{chair.seat}</strong>" in html
    assert "Ghế" not in mic_panel(engine, 2)

    stranger = ask(engine, "Người Ngoài Danh Sách", "Công ty ABC")
    run(engine, "moderator", "question.assign", id=stranger, mic=2)
    html = mic_panel(engine, 2)
    assert "Người Ngoài Danh Sách" in html and "Ghế" not in html
