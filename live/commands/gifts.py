"""Gifts to union members and workers in difficult circumstances (the plan's 30): the
recipients, the batches they go up in, and each gift handed over."""

from __future__ import annotations

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
    store_order,
    text_arg,
    update,
)
from live.models import GiftBatch, GiftRecipient, ListItem

MAX_RECIPIENTS = 500
MAX_VALUE = 100_000_000


def recipients(ctx: Ctx) -> list[GiftRecipient]:
    return list(
        ctx.session.exec(
            select(GiftRecipient)
            .where(GiftRecipient.conference_id == ctx.conf.id)
            .order_by(GiftRecipient.position)  # type: ignore[arg-type]
        )
    )


def recipient_of(ctx: Ctx) -> GiftRecipient:
    rid = id_arg(ctx.args)
    r = ctx.session.get(GiftRecipient, rid)
    if r is None or r.conference_id != ctx.conf.id:
        raise CommandError("not_found", f"Không có người nhận quà mã {rid}.", 404)
    return r


def recipient_fields(ctx: Ctx, args: dict[str, Any], partial: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if not partial or "name" in args:
        fields["name"] = text_arg(args, "name", 120, required=True)
    if not partial or "unit" in args:
        unit = text_arg(args, "unit", 200, required=True)
        units = ctx.session.exec(
            select(ListItem.name).where(
                ListItem.conference_id == ctx.conf.id, ListItem.kind == "unit"
            )
        ).all()
        if unit not in units:
            raise CommandError("bad_args", f"Đơn vị «{unit}» không có trong danh sách đơn vị.")
        fields["unit"] = unit
    if not partial or "circumstances" in args:
        fields["circumstances"] = text_arg(args, "circumstances", 1000)
    if not partial or "value" in args:
        fields["value"] = int_arg({"value": 0, **args}, "value", 0, MAX_VALUE)
    return fields


def batch_count(ctx: Ctx, count: int | None = None) -> int:
    count = len(recipients(ctx)) if count is None else count
    return -(-count // ctx.conf.gift_batch_size)


@command(
    "gift.add",
    "Thêm người nhận quà (`name`, `unit` trong danh sách đơn vị, `circumstances`, `value` đồng).",
)
def gift_add(ctx: Ctx) -> dict[str, Any]:
    have = recipients(ctx)
    if len(have) >= MAX_RECIPIENTS:
        raise CommandError("too_many", f"Tối đa {MAX_RECIPIENTS} người nhận quà.", 409)
    assert ctx.conf.id is not None
    r = GiftRecipient(
        conference_id=ctx.conf.id,
        position=len(have) + 1,
        **recipient_fields(ctx, ctx.args, False),
    )
    ctx.session.add(r)
    ctx.session.flush()
    return {"id": r.id, "name": r.name, "unit": r.unit}


@command(
    "gift.import",
    f"Nhập danh sách người nhận quà (`rows`: tối đa {MAX_RECIPIENTS}), tất cả hoặc không gì.",
)
def gift_import(ctx: Ctx) -> dict[str, Any]:
    have = len(recipients(ctx))
    assert ctx.conf.id is not None
    conference_id = ctx.conf.id

    def add(row: dict[str, Any]) -> GiftRecipient:
        r = GiftRecipient(
            conference_id=conference_id, position=0, **recipient_fields(ctx, row, False)
        )
        ctx.session.add(r)
        return r

    added = import_rows(ctx, MAX_RECIPIENTS - have, "người nhận quà", add)
    for i, r in enumerate(added, start=have + 1):
        r.position = i
    return {"count": len(added), "total": have + len(added)}


@command("gift.edit", "Sửa người nhận quà `id` (các trường gửi kèm, như khi thêm).")
def gift_edit(ctx: Ctx) -> dict[str, Any]:
    r = recipient_of(ctx)
    fields = recipient_fields(ctx, ctx.args, True)
    update(ctx, r, fields)
    return {"id": r.id, **fields}


@command("gift.remove", "Xoá người nhận quà `id`.")
def gift_remove(ctx: Ctx) -> dict[str, Any]:
    r = recipient_of(ctx)
    rest = [other for other in recipients(ctx) if other is not r]
    ctx.session.delete(r)
    store_order(ctx, rest)
    ctx.conf.gift_batch = min(ctx.conf.gift_batch, batch_count(ctx, len(rest)))
    return {"id": r.id, "name": r.name}


@command("gift.move", "Đưa người nhận quà `id` tới vị trí `to` (đợt lên nhận theo thứ tự này).")
def gift_move(ctx: Ctx) -> dict[str, Any]:
    r = recipient_of(ctx)
    order = recipients(ctx)
    to = int_arg(ctx.args, "to", 1, len(order))
    order.remove(r)
    order.insert(to - 1, r)
    store_order(ctx, order)
    return {"id": r.id, "to": to}


@command("gift.batch_size", "Số người lên nhận quà mỗi đợt: `size` (1–30).")
def gift_batch_size(ctx: Ctx) -> dict[str, Any]:
    ctx.conf.gift_batch_size = int_arg(ctx.args, "size", 1, 30)
    ctx.conf.gift_batch = min(ctx.conf.gift_batch, batch_count(ctx))
    return {"size": ctx.conf.gift_batch_size, "batches": batch_count(ctx)}


@command("gift.presenters", "Lãnh đạo trao quà đợt `batch`: `presenters` (một dòng).")
def gift_presenters(ctx: Ctx) -> dict[str, Any]:
    number = int_arg(ctx.args, "batch", 1, max(1, batch_count(ctx)))
    presenters = text_arg(ctx.args, "presenters", 500)
    found = ctx.session.exec(
        select(GiftBatch).where(GiftBatch.conference_id == ctx.conf.id, GiftBatch.number == number)
    ).first()
    assert ctx.conf.id is not None
    batch = found or GiftBatch(conference_id=ctx.conf.id, number=number)
    batch.presenters = presenters
    ctx.session.add(batch)
    return {"batch": number, "presenters": presenters}


@command(
    "gift.show",
    "Màn chiếu hiện đợt trao quà `batch` (0 = tiêu đề bước) trong bước tặng quà.",
)
def gift_show(ctx: Ctx) -> dict[str, Any]:
    before = ctx.conf.gift_batch
    ctx.conf.gift_batch = int_arg(ctx.args, "batch", 0, batch_count(ctx))
    return {"from": before, "to": ctx.conf.gift_batch}


@command("gift.handed", "Ghi đã trao quà cho `id` (`handed` = true/false).")
def gift_handed(ctx: Ctx) -> dict[str, Any]:
    r = recipient_of(ctx)
    handed = bool_arg(ctx.args, "handed", True)
    r.handed_at = ctx.now if handed else None
    ctx.session.add(r)
    return {"id": r.id, "name": r.name, "handed": handed}
