"""Delegates: the invitation list, seats, and check-in at the entrance desks.

A check-in is refused when the delegate is already in (`already_checked_in`), so two
desks scanning the same badge at once count that delegate once: the commands of a
conference run one after another (see live.commands.execute).
"""

from __future__ import annotations

import time
from typing import Any

from sqlmodel import select

from live.commands import (
    CommandError,
    Ctx,
    bool_arg,
    command,
    id_arg,
    import_rows,
    int_arg,
    text_arg,
    update,
)
from live.imports import seat_code
from live.models import CHECKIN_DESKS, GENDERS, Delegate, ListItem
from live.protocol import MAX_ROWS, HallTooSmall, assign_seats

MAX_DELEGATES = 5000  # a hall of 2,500 and its reserves; check-in is patched by row (live.keyed)


def delegate_of(ctx: Ctx, key: str = "id") -> Delegate:
    did = id_arg(ctx.args, key)
    d = ctx.session.get(Delegate, did)
    if d is None or d.conference_id != ctx.conf.id:
        raise CommandError("not_found", f"Không có đại biểu mã {did}.", 404)
    return d


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


def delegate_fields(ctx: Ctx, args: dict[str, Any], partial: bool) -> dict[str, Any]:
    """The checked fields of a delegate (`partial`: only those given)."""
    fields: dict[str, Any] = {}
    if not partial or "name" in args:
        fields["name"] = text_arg(args, "name", 120, required=True)
    if not partial or "gender" in args:
        gender = text_arg(args, "gender", 10)
        if gender and gender not in GENDERS:
            raise CommandError("bad_args", "«gender» phải là Nam, Nữ hoặc để trống.")
        fields["gender"] = gender
    for key in ("position", "unit"):
        if not partial or key in args:
            fields[key] = text_arg(args, key, 200)
    if not partial or "group" in args:
        group = text_arg(args, "group", 200)
        names = [g.name for g in groups(ctx)]
        if group and group not in names:
            raise CommandError("bad_args", f"Thành phần «{group}» không có trong danh sách.")
        fields["group_name"] = group
    if not partial or "rank" in args:
        fields["rank"] = int_arg({"rank": 100, **args}, "rank", 1, 999)
    if not partial or "seat" in args:
        seat = text_arg(args, "seat", 10)
        if seat and seat_code(seat) is None:
            raise CommandError("bad_args", "Ghế ghi dạng chữ của hàng + số ghế, ví dụ A05.")
        fields["seat"] = seat_code(seat) or ""
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
)
def delegate_add(ctx: Ctx) -> dict[str, Any]:
    if len(delegates(ctx)) >= MAX_DELEGATES:
        raise CommandError("too_many", f"Danh sách có tối đa {MAX_DELEGATES} đại biểu.", 409)
    fields = delegate_fields(ctx, ctx.args, False)
    desk = ctx.args.get("desk")
    if desk not in (None, ""):
        desk = int_arg(ctx.args, "desk", 1, CHECKIN_DESKS)
        fields.update(walk_in=True, checked_in_at=ctx.now, checkin_desk=desk)
    elif ctx.role != "admin":
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
)
def delegate_import(ctx: Ctx) -> dict[str, Any]:
    room = MAX_DELEGATES - len(delegates(ctx))
    added = import_rows(
        ctx, room, "đại biểu", lambda row: add_delegate(ctx, delegate_fields(ctx, row, False))
    )
    codes = [d.code for d in added]
    return {"count": len(codes), "first": codes[0], "last": codes[-1]}


@command("delegate.edit", "Sửa đại biểu `id` (các trường gửi kèm, như khi thêm).")
def delegate_edit(ctx: Ctx) -> dict[str, Any]:
    d = delegate_of(ctx)
    fields = delegate_fields(ctx, ctx.args, True)
    check_seat_free(ctx, fields.get("seat", ""), d)
    update(ctx, d, fields)
    return {"id": d.id, **fields}


@command("delegate.remove", "Xoá đại biểu `id` khỏi danh sách.")
def delegate_remove(ctx: Ctx) -> dict[str, Any]:
    d = delegate_of(ctx)
    ctx.session.delete(d)
    return {"id": d.id, "code": d.code, "name": d.name}


@command(
    "delegate.checkin",
    "Ghi đại biểu có mặt: `id` hoặc `code` (mã trên thẻ), tại bàn `desk` (1–4). Đã có mặt "
    "thì bị từ chối, nên không đếm hai lần.",
)
def delegate_checkin(ctx: Ctx) -> dict[str, Any]:
    desk = int_arg(ctx.args, "desk", 1, CHECKIN_DESKS)
    if "code" in ctx.args:
        code = text_arg(ctx.args, "code", 40, required=True).upper()
        found = ctx.session.exec(
            select(Delegate).where(Delegate.conference_id == ctx.conf.id, Delegate.code == code)
        ).first()
        if found is None:
            raise CommandError("not_found", f"Không có đại biểu mang mã {code}.", 404)
        d = found
    else:
        d = delegate_of(ctx)
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


@command("delegate.checkin_undo", "Bỏ ghi có mặt của đại biểu `id` (ghi nhầm).")
def delegate_checkin_undo(ctx: Ctx) -> dict[str, Any]:
    d = delegate_of(ctx)
    if d.checked_in_at is None:
        raise CommandError("not_checked_in", f"{d.name} chưa được ghi có mặt.", 409)
    d.checked_in_at = d.checkin_desk = None
    ctx.session.add(d)
    return {"id": d.id, "name": d.name}


@command(
    "delegate.documents",
    "Ghi đã phát tài liệu và chế độ đại biểu cho `id` (`given` = true/false).",
)
def delegate_documents(ctx: Ctx) -> dict[str, Any]:
    d = delegate_of(ctx)
    given = bool_arg(ctx.args, "given", True)
    d.documents_at = ctx.now if given else None
    ctx.session.add(d)
    return {"id": d.id, "name": d.name, "given": given}


# --- seats ---------------------------------------------------------------------------------


@command(
    "seats.assign",
    "Xếp ghế cho mọi đại biểu trong hội trường `rows` hàng × `per_row` ghế: đại biểu được "
    "giới thiệu tên (theo thứ tự lễ tân) ở hàng đầu, rồi từng đơn vị ngồi cạnh nhau.",
)
def seats_assign(ctx: Ctx) -> dict[str, Any]:
    rows = int_arg(ctx.args, "rows", 1, MAX_ROWS)
    per_row = int_arg(ctx.args, "per_row", 1, 99)
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
