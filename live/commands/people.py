"""Delegates: the invitation list, seats, and check-in at the entrance desks.

A check-in is refused when the delegate is already in (`already_checked_in`), so two
desks scanning the same badge at once count that delegate once: the commands of a
conference run one after another (see live.commands.execute).
"""

from __future__ import annotations

import time
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError
from sqlmodel import select

from live import access
from live.commands import CommandError, Ctx, command, import_rows, own_row, update
from live.commands.args import Args, Flag, Id, Text, one_of, over_kept, partial, rows_of, rule
from live.imports import seat_code
from live.models import CHECKIN_DESKS, GENDERS, Delegate, ListItem
from live.protocol import MAX_ROWS, HallTooSmall, assign_seats

MAX_DELEGATES = 5000  # a hall of 2,500 and its reserves; check-in is patched by row (live.keyed)


# What seat_of takes, for the OpenAPI document (spaces aside): a row letter, then 1…99.
SEAT_PATTERN = r"^(?:[A-Za-z][-.]?0*[1-9][0-9]?)?$"


def seat_of(value: str) -> str:
    """ "" or a seat as the hall names it: "a5" and "A 05" are "A05"."""
    if value and seat_code(value) is None:
        raise PydanticCustomError("vi", "Ghế ghi dạng chữ của hàng + số ghế, ví dụ A05.")
    return seat_code(value) or ""


class DelegateFields(Args):
    """A delegate, as `delegate.add` and each row of `delegate.import` send it."""

    noun: ClassVar[str] = "đại biểu"  # a row of an import, in messages

    name: Text = Field(min_length=1, max_length=120)
    gender: Annotated[Text, Field(max_length=10), one_of(("", *GENDERS))] = ""
    position: Text = Field("", max_length=200)
    unit: Text = Field("", max_length=200)  # free text, matched to the unit list when it matches
    # one of the group list: checked as it runs
    group: Text = Field("", max_length=200, description="from the group list")
    rank: int = Field(100, ge=1, le=999)
    seat: Annotated[
        Text, Field(max_length=10, description="as `A05`"), rule(seat_of, pattern=SEAT_PATTERN)
    ] = ""


class DelegateAdd(DelegateFields):
    # A walk-in, checked in at this desk at once ("" from a form: none).
    desk: Annotated[int | None, BeforeValidator(lambda v: None if v == "" else v)] = Field(
        None,
        ge=1,
        le=CHECKIN_DESKS,
        description="a walk-in: checked in at this desk at once",
    )


class DelegateId(Args):
    id: Id


class Checkin(Args):
    """By `id`, or by `code` (the badge's), at desk `desk`."""

    id: Id | None = Field(None, description="or `code`")
    code: Text = Field("", max_length=40, description="the badge's")
    desk: int = Field(ge=1, le=CHECKIN_DESKS)


class Documents(DelegateId):
    given: Flag = True


class Seating(Args):
    rows: int = Field(ge=1, le=MAX_ROWS)
    per_row: int = Field(ge=1, le=99)


def groups(ctx: Ctx) -> list[ListItem]:
    return list(
        ctx.session.exec(
            select(ListItem)
            .where(ListItem.conference_id == ctx.conf.id, ListItem.kind == "group")
            .order_by(ListItem.position)  # type: ignore[arg-type]
        )
    )


def delegates(ctx: Ctx) -> list[Delegate]:
    return list(ctx.session.exec(select(Delegate).where(Delegate.conference_id == ctx.conf.id)))


def columns(ctx: Ctx, d: DelegateFields, group_sent: bool = True) -> dict[str, Any]:
    """A delegate's columns; its group (when sent) checked against the group list."""
    fields = d.model_dump(include=set(DelegateFields.model_fields))
    group = fields.pop("group")
    if group_sent and group and group not in [g.name for g in groups(ctx)]:
        message = f"Thành phần «{group}» không có trong danh sách."
        raise CommandError(
            "bad_args", message, 400, [{"field": "group", "code": "bad_args", "message": message}]
        )
    fields["group_name"] = group
    return fields


def check_seat_free(ctx: Ctx, seat: str, who: Delegate | None) -> None:
    if not seat:
        return
    taken = ctx.session.exec(
        select(Delegate).where(Delegate.conference_id == ctx.conf.id, Delegate.seat == seat)
    ).first()
    if taken is not None and taken is not who:
        raise CommandError("seat_taken", f"Ghế {seat} đã xếp cho {taken.name}.", 409)


def add_delegate(ctx: Ctx, fields: dict[str, Any]) -> Delegate:
    """A new delegate with the next badge code ("DB" + 4 digits, never reused)."""
    assert ctx.conf.id is not None
    check_seat_free(ctx, fields.get("seat", ""), None)
    ctx.conf.badges_issued += 1
    code = f"DB{ctx.conf.badges_issued:04d}"
    d = Delegate(conference_id=ctx.conf.id, code=code, created_at=ctx.now, **fields)
    ctx.session.add(d)
    ctx.session.flush()
    return d


@command(
    "delegate.add",
    "Thêm đại biểu (`name`, `gender`, `position`, `unit`, `group`, `rank`, `seat`); có `desk` "
    "= đại biểu đến trực tiếp, ghi có mặt tại bàn đó.",
    DelegateAdd,
)
def delegate_add(ctx: Ctx, args: DelegateAdd) -> dict[str, Any]:
    """a delegate. With `desk` (1–4): a walk-in, checked in at that desk at once (the only way
    `checkin` may add)"""
    if len(delegates(ctx)) >= MAX_DELEGATES:
        raise CommandError("too_many", f"Danh sách có tối đa {MAX_DELEGATES} đại biểu.", 409)
    fields = columns(ctx, args)
    if args.desk is not None:
        fields.update(walk_in=True, checked_in_at=ctx.now, checkin_desk=args.desk)
    elif ctx.role not in access.ADD_PLANNED_DELEGATE:
        raise CommandError("bad_args", "Bàn đón tiếp chỉ thêm đại biểu đến trực tiếp (cần «desk»).")
    d = add_delegate(ctx, fields)
    return {
        "id": d.id,
        "code": d.code,
        "name": d.name,
        "walk_in": d.walk_in,
        "desk": d.checkin_desk,
    }


@command(
    "delegate.import",
    f"Nhập danh sách đại biểu (`rows`: tối đa {MAX_DELEGATES}), tất cả hoặc không gì.",
    rows_of(DelegateFields, MAX_DELEGATES),
)
def delegate_import(ctx: Ctx, args: Any) -> dict[str, Any]:  # args.rows: list[DelegateFields]
    """all or nothing. Badge codes `DB0001`… are given in order"""
    room = MAX_DELEGATES - len(delegates(ctx))
    added = import_rows(
        args.rows, room, DelegateFields.noun, lambda row: add_delegate(ctx, columns(ctx, row))
    )
    codes = [d.code for d in added]
    return {"count": len(codes), "first": codes[0], "last": codes[-1]}


@command(
    "delegate.edit",
    "Sửa đại biểu `id` (các trường gửi kèm, như khi thêm).",
    partial(DelegateFields, DelegateId, "DelegateEdit"),
)
def delegate_edit(ctx: Ctx, args: DelegateId) -> dict[str, Any]:
    """change a delegate. 409 `seat_taken` when another delegate has that seat"""
    d = own_row(ctx, Delegate, args.id, "đại biểu")
    stored = {n: getattr(d, n) for n in DelegateFields.model_fields if n != "group"}
    edited, sent = over_kept(DelegateFields, {**stored, "group": d.group_name}, ctx.args)
    fields = columns(ctx, edited, "group" in sent)
    columns_sent = {("group_name" if k == "group" else k) for k in sent}
    fields = {k: v for k, v in fields.items() if k in columns_sent}
    check_seat_free(ctx, fields.get("seat", ""), d)
    update(ctx, d, fields)
    return {"id": d.id, **fields}


@command("delegate.remove", "Xoá đại biểu `id` khỏi danh sách.", DelegateId)
def delegate_remove(ctx: Ctx, args: DelegateId) -> dict[str, Any]:
    """remove a delegate"""
    d = own_row(ctx, Delegate, args.id, "đại biểu")
    ctx.session.delete(d)
    return {"id": d.id, "code": d.code, "name": d.name}


@command(
    "delegate.checkin",
    "Ghi đại biểu có mặt: `id` hoặc `code` (mã trên thẻ), tại bàn `desk` (1–4). Đã có mặt "
    "thì bị từ chối, nên không đếm hai lần.",
    Checkin,
)
def delegate_checkin(ctx: Ctx, args: Checkin) -> dict[str, Any]:
    """present. 409 `already_checked_in` (with the time and desk) when already in, so two desks
    scanning one badge count it once"""
    desk = args.desk
    if "code" in args.model_fields_set:
        code = args.code.upper()
        if not code:
            raise CommandError("missing", "Thiếu «code».")
        found = ctx.session.exec(
            select(Delegate).where(Delegate.conference_id == ctx.conf.id, Delegate.code == code)
        ).first()
        if found is None:
            raise CommandError("not_found", f"Không có đại biểu mang mã {code}.", 404)
        d = found
    elif args.id is None:
        raise CommandError("bad_args", "Cần «id» hoặc «code» (mã trên thẻ) của đại biểu.")
    else:
        d = own_row(ctx, Delegate, args.id, "đại biểu")
    if d.checked_in_at is not None:
        at = time.strftime("%H:%M", time.localtime(d.checked_in_at))
        raise CommandError(
            "already_checked_in",
            f"{d.name} đã có mặt từ {at} (bàn {d.checkin_desk}).",
            409,
        )
    d.checked_in_at, d.checkin_desk = ctx.now, desk
    ctx.session.add(d)
    return {"id": d.id, "code": d.code, "name": d.name, "seat": d.seat, "desk": desk}


@command("delegate.checkin_undo", "Bỏ ghi có mặt của đại biểu `id` (ghi nhầm).", DelegateId)
def delegate_checkin_undo(ctx: Ctx, args: DelegateId) -> dict[str, Any]:
    """undo a mistaken check-in"""
    d = own_row(ctx, Delegate, args.id, "đại biểu")
    if d.checked_in_at is None:
        raise CommandError("not_checked_in", f"{d.name} chưa được ghi có mặt.", 409)
    d.checked_in_at = d.checkin_desk = None
    ctx.session.add(d)
    return {"id": d.id, "name": d.name}


@command(
    "delegate.documents",
    "Ghi đã phát tài liệu và chế độ đại biểu cho `id` (`given` = true/false).",
    Documents,
)
def delegate_documents(ctx: Ctx, args: Documents) -> dict[str, Any]:
    """documents and allowance handed over"""
    d = own_row(ctx, Delegate, args.id, "đại biểu")
    given = args.given
    d.documents_at = ctx.now if given else None
    ctx.session.add(d)
    return {"id": d.id, "name": d.name, "given": given}


# --- seats ---------------------------------------------------------------------------------


@command(
    "seats.assign",
    "Xếp ghế cho mọi đại biểu trong hội trường `rows` hàng × `per_row` ghế: đại biểu được "
    "giới thiệu tên (theo thứ tự lễ tân) ở hàng đầu, rồi từng đơn vị ngồi cạnh nhau.",
    Seating,
)
def seats_assign(ctx: Ctx, args: Seating) -> dict[str, Any]:
    """seat everyone, row A first: the delegates introduced by name in protocol order, then
    each unit's delegates side by side (units in list order). 409 `hall_full`"""
    rows, per_row = args.rows, args.per_row
    units = list(
        ctx.session.exec(
            select(ListItem)
            .where(ListItem.conference_id == ctx.conf.id, ListItem.kind == "unit")
            .order_by(ListItem.position)  # type: ignore[arg-type]
        )
    )
    people = delegates(ctx)
    try:
        seats = assign_seats(people, groups(ctx), units, rows, per_row)
    except HallTooSmall as e:
        raise CommandError("hall_full", str(e), 409) from None
    for d in people:
        d.seat = seats[d.id]  # type: ignore[index]
        ctx.session.add(d)
    ctx.conf.seat_rows, ctx.conf.seats_per_row = rows, per_row
    front = sum(1 for s in seats.values() if s.startswith("A"))
    return {"rows": rows, "per_row": per_row, "seated": len(people), "front_row": front}
