"""Gifts to union members and workers in difficult circumstances (the plan's 30): the
recipients, the batches they go up in, and each gift handed over."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field
from sqlmodel import select

from live.commands import CommandError, Ctx, command, import_rows, own_row, store_order, update
from live.commands.args import Args, Flag, Id, Text, fields_of, over_kept, partial, rows_of, within
from live.models import GiftBatch, GiftRecipient, ListItem

MAX_RECIPIENTS = 500
MAX_VALUE = 100_000_000


class Recipient(Args):
    """A gift recipient, as `gift.add` and each row of `gift.import` send it."""

    noun: ClassVar[str] = "người nhận quà"  # a row of an import, in messages

    name: Text = Field(min_length=1, max_length=120)
    # one of the unit list: checked as it runs
    unit: Text = Field(min_length=1, max_length=200, description="from the unit list")
    circumstances: Text = Field("", max_length=1000)
    value: int = Field(0, ge=0, le=MAX_VALUE, description="đồng")


class RecipientId(Args):
    id: Id


class RecipientMove(RecipientId):
    to: int = Field(ge=1)  # up to the number of recipients: checked as it runs


class Handed(RecipientId):
    handed: Flag = True


class BatchSize(Args):
    size: int = Field(ge=1, le=30)


class Presenters(Args):
    batch: int = Field(ge=1)  # up to the number of batches: checked as it runs
    presenters: Text = Field("", max_length=500)


class Show(Args):
    batch: int = Field(ge=0, description="0: the step's title card")


def recipients(ctx: Ctx) -> list[GiftRecipient]:
    return list(
        ctx.session.exec(
            select(GiftRecipient)
            .where(GiftRecipient.conference_id == ctx.conf.id)
            .order_by(GiftRecipient.position)  # type: ignore[arg-type]
        )
    )


def checked(ctx: Ctx, r: Recipient, unit_sent: bool = True) -> dict[str, Any]:
    """The recipient's fields, its unit (when sent) checked against the unit list."""
    if not unit_sent:
        return r.model_dump()
    units = ctx.session.exec(
        select(ListItem.name).where(ListItem.conference_id == ctx.conf.id, ListItem.kind == "unit")
    ).all()
    if r.unit not in units:
        message = f"Đơn vị «{r.unit}» không có trong danh sách đơn vị."
        raise CommandError(
            "bad_args", message, 400, [{"field": "unit", "code": "bad_args", "message": message}]
        )
    return r.model_dump()


def batch_count(ctx: Ctx, count: int | None = None) -> int:
    count = len(recipients(ctx)) if count is None else count
    return -(-count // ctx.conf.gift_batch_size)


@command(
    "gift.add",
    "Thêm người nhận quà (`name`, `unit` trong danh sách đơn vị, `circumstances`, `value` đồng).",
    Recipient,
)
def gift_add(ctx: Ctx, args: Recipient) -> dict[str, Any]:
    """a recipient at the end of the list"""
    have = recipients(ctx)
    if len(have) >= MAX_RECIPIENTS:
        raise CommandError("too_many", f"Tối đa {MAX_RECIPIENTS} người nhận quà.", 409)
    assert ctx.conf.id is not None
    r = GiftRecipient(
        conference_id=ctx.conf.id,
        position=len(have) + 1,
        **checked(ctx, args),
    )
    ctx.session.add(r)
    ctx.session.flush()
    return {"id": r.id, "name": r.name, "unit": r.unit}


@command(
    "gift.import",
    f"Nhập danh sách người nhận quà (`rows`: tối đa {MAX_RECIPIENTS}), tất cả hoặc không gì.",
    rows_of(Recipient, MAX_RECIPIENTS),
)
def gift_import(ctx: Ctx, args: Any) -> dict[str, Any]:  # args.rows: list[Recipient]
    """all or nothing"""
    have = len(recipients(ctx))
    assert ctx.conf.id is not None
    conference_id = ctx.conf.id

    def add(row: Recipient) -> GiftRecipient:
        r = GiftRecipient(conference_id=conference_id, position=0, **checked(ctx, row))
        ctx.session.add(r)
        return r

    added = import_rows(args.rows, MAX_RECIPIENTS - have, Recipient.noun, add)
    for i, r in enumerate(added, start=have + 1):
        r.position = i
    return {"count": len(added), "total": have + len(added)}


@command(
    "gift.edit",
    "Sửa người nhận quà `id` (các trường gửi kèm, như khi thêm).",
    partial(Recipient, RecipientId, "GiftEdit"),
)
def gift_edit(ctx: Ctx, args: RecipientId) -> dict[str, Any]:
    """change a recipient"""
    r = own_row(ctx, GiftRecipient, args.id, "người nhận quà")
    edited, sent = over_kept(Recipient, fields_of(r, Recipient), ctx.args)
    fields = checked(ctx, edited, "unit" in sent)
    changed = {k: v for k, v in fields.items() if k in sent}
    update(ctx, r, changed)
    return {"id": r.id, **changed}


@command("gift.remove", "Xoá người nhận quà `id`.", RecipientId)
def gift_remove(ctx: Ctx, args: RecipientId) -> dict[str, Any]:
    """remove a recipient"""
    r = own_row(ctx, GiftRecipient, args.id, "người nhận quà")
    rest = [other for other in recipients(ctx) if other is not r]
    ctx.session.delete(r)
    store_order(ctx, rest)
    ctx.conf.gift_batch = min(ctx.conf.gift_batch, batch_count(ctx, len(rest)))
    return {"id": r.id, "name": r.name}


@command(
    "gift.move",
    "Đưa người nhận quà `id` tới vị trí `to` (đợt lên nhận theo thứ tự này).",
    RecipientMove,
)
def gift_move(ctx: Ctx, args: RecipientMove) -> dict[str, Any]:
    """the order recipients go up in; batches are consecutive runs of it"""
    r = own_row(ctx, GiftRecipient, args.id, "người nhận quà")
    order = recipients(ctx)
    to = within("to", args.to, 1, len(order))
    order.remove(r)
    order.insert(to - 1, r)
    store_order(ctx, order)
    return {"id": r.id, "to": to}


@command("gift.batch_size", "Số người lên nhận quà mỗi đợt: `size` (1–30).", BatchSize)
def gift_batch_size(ctx: Ctx, args: BatchSize) -> dict[str, Any]:
    """how many go up per batch"""
    ctx.conf.gift_batch_size = args.size
    ctx.conf.gift_batch = min(ctx.conf.gift_batch, batch_count(ctx))
    return {"size": ctx.conf.gift_batch_size, "batches": batch_count(ctx)}


@command("gift.presenters", "Lãnh đạo trao quà đợt `batch`: `presenters` (một dòng).", Presenters)
def gift_presenters(ctx: Ctx, args: Presenters) -> dict[str, Any]:
    """who presents that batch (shown on the projector)"""
    number = within("batch", args.batch, 1, max(1, batch_count(ctx)))
    presenters = args.presenters
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
    Show,
)
def gift_show(ctx: Ctx, args: Show) -> dict[str, Any]:
    """during a gifts step the projector lists that batch"""
    before = ctx.conf.gift_batch
    ctx.conf.gift_batch = within("batch", args.batch, 0, batch_count(ctx))
    return {"from": before, "to": ctx.conf.gift_batch}


@command("gift.handed", "Ghi đã trao quà cho `id` (`handed` = true/false).", Handed)
def gift_handed(ctx: Ctx, args: Handed) -> dict[str, Any]:
    """the gift was handed over"""
    r = own_row(ctx, GiftRecipient, args.id, "người nhận quà")
    handed = args.handed
    r.handed_at = ctx.now if handed else None
    ctx.session.add(r)
    return {"id": r.id, "name": r.name, "handed": handed}
