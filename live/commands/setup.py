"""Preparing a conference: its details, the agenda editor, the lists (fields, agencies,
units with their quotas, delegate groups in protocol order), and next year's copy."""

from __future__ import annotations

import json
import re
import secrets
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from live.auth import ensure_role_keys
from live.commands import (
    CommandError,
    Ctx,
    bool_arg,
    command,
    int_arg,
    store_order,
    text_arg,
    update,
)
from live.models import (
    LIST_KIND_NAMES,
    LIST_KINDS,
    MAX_STEPS,
    STEP_KINDS,
    AgendaStep,
    Answer,
    Commitment,
    Conference,
    Delegate,
    GiftRecipient,
    ListItem,
    Question,
    QuestionAsker,
)

MAX_LIST = 300
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


# --- the conference ------------------------------------------------------------------------


def date_arg(args: dict[str, Any], key: str) -> str:
    value = text_arg(args, key, 10)
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise CommandError("bad_args", f"«{key}» phải là ngày dạng 2025-07-05.") from None
    return value


@command(
    "conference.edit",
    "Sửa thông tin hội nghị: `title`, `date`, `starts_at`, `venue`, `organiser`, `banner`.",
)
def conference_edit(ctx: Ctx) -> dict[str, Any]:
    conf, args = ctx.conf, ctx.args
    changed = {}
    if "title" in args:
        changed["title"] = text_arg(args, "title", 300, required=True)
    if "date" in args:
        changed["date"] = date_arg(args, "date")
    if "starts_at" in args:
        starts_at = text_arg(args, "starts_at", 5)
        if starts_at and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", starts_at):
            raise CommandError("bad_args", "«starts_at» phải là giờ dạng 08:00.")
        changed["starts_at"] = starts_at
    for key, limit in (("venue", 200), ("organiser", 200), ("banner", 600)):
        if key in args:
            changed[key] = text_arg(args, key, limit)
    for key, value in changed.items():
        setattr(conf, key, value)
    return changed


# --- the agenda editor ---------------------------------------------------------------------


def step_fields(ctx: Ctx, partial: bool) -> dict[str, Any]:
    args, fields = ctx.args, {}
    if not partial or "kind" in args:
        kind = args.get("kind", "ceremony")
        if kind not in STEP_KINDS:
            raise CommandError("bad_args", "«kind» phải là một trong: " + ", ".join(STEP_KINDS))
        fields["kind"] = kind
    if not partial or "title" in args:
        fields["title"] = text_arg(args, "title", 300, required=True)
    if not partial or "speaker" in args:
        fields["speaker"] = text_arg(args, "speaker", 200)
    if not partial or "mc_script" in args:
        fields["mc_script"] = text_arg(args, "mc_script", 20000)
    if not partial or "planned_minutes" in args:
        fields["planned_minutes"] = int_arg(
            {"planned_minutes": 5, **args}, "planned_minutes", 1, 600
        )
    if not partial or "show_timer" in args:
        fields["show_timer"] = bool_arg(args, "show_timer", False)
    return fields


def renumber(ctx: Ctx, steps: list[AgendaStep]) -> None:
    """Store `steps` in this order. Positions are unique, so they go negative first."""
    for i, step in enumerate(steps, start=1):
        step.position = -i
        ctx.session.add(step)
    ctx.session.flush()
    for i, step in enumerate(steps, start=1):
        step.position = i
    ctx.session.flush()


def follow_current(ctx: Ctx, before: list[AgendaStep], after: list[AgendaStep]) -> None:
    """The running step stays the running step when others move around it."""
    pos = ctx.conf.current_position
    if pos:
        ctx.conf.current_position = after.index(before[pos - 1]) + 1


def step_at(ctx: Ctx) -> AgendaStep:
    if not ctx.steps:
        raise CommandError("not_found", "Chương trình chưa có bước nào.", 404)
    return ctx.steps[int_arg(ctx.args, "position", 1, len(ctx.steps)) - 1]


@command("step.add", "Thêm bước vào cuối chương trình (`kind`, `title`, `speaker`, …).")
def step_add(ctx: Ctx) -> dict[str, Any]:
    if len(ctx.steps) >= MAX_STEPS:
        raise CommandError("too_many", f"Chương trình có tối đa {MAX_STEPS} bước.", 409)
    assert ctx.conf.id is not None
    step = AgendaStep(
        conference_id=ctx.conf.id, position=len(ctx.steps) + 1, **step_fields(ctx, False)
    )
    ctx.session.add(step)
    return {"position": step.position, "title": step.title}


@command(
    "step.edit",
    "Sửa bước `position` (các trường gửi kèm: `kind`, `title`, `speaker`, `mc_script`, "
    "`planned_minutes`, `show_timer`).",
)
def step_edit(ctx: Ctx) -> dict[str, Any]:
    step = step_at(ctx)
    fields = step_fields(ctx, True)
    update(ctx, step, fields)
    return {"position": step.position, **{k: v for k, v in fields.items() if k != "mc_script"}}


@command("step.remove", "Xoá bước `position` (không xoá được bước đang diễn ra).")
def step_remove(ctx: Ctx) -> dict[str, Any]:
    step = step_at(ctx)
    if step.position == ctx.conf.current_position:
        raise CommandError("step_running", "Đang diễn ra bước này: chuyển bước khác trước.", 409)
    after = [s for s in ctx.steps if s is not step]
    if ctx.conf.current_position > step.position:
        ctx.conf.current_position -= 1
    ctx.session.delete(step)
    ctx.session.flush()
    renumber(ctx, after)
    return {"position": step.position, "title": step.title}


@command("step.move", "Đưa bước `position` tới vị trí `to`.")
def step_move(ctx: Ctx) -> dict[str, Any]:
    step = step_at(ctx)
    to = int_arg(ctx.args, "to", 1, len(ctx.steps))
    before = list(ctx.steps)
    after = [s for s in before if s is not step]
    after.insert(to - 1, step)
    renumber(ctx, after)
    follow_current(ctx, before, after)
    return {"from": before.index(step) + 1, "to": to, "title": step.title}


# --- lists ---------------------------------------------------------------------------------

# Where each list's names are used, so a rename carries over (a typo fixed in the list is
# fixed everywhere it was chosen).
LIST_USES: dict[str, list[Any]] = {
    "field": [Question.field],
    "agency": [
        Question.agency,
        Commitment.lead_agency,
        Answer.responder_agency,
        Answer.referred_to,
    ],
    "unit": [Question.asker_unit, Delegate.unit, GiftRecipient.unit],
    "group": [Delegate.group_name],
}


def rename_uses(ctx: Ctx, kind: str, old: str, new: str) -> None:
    for column in LIST_USES[kind]:
        table = column.class_
        ctx.session.exec(  # type: ignore[call-overload]
            sa.update(table)
            .where(table.conference_id == ctx.conf.id, column == old)
            .values({column.key: new})
        )
    if kind == "unit":  # askers merged into a question carry their own unit
        questions = select(Question.id).where(Question.conference_id == ctx.conf.id)
        ctx.session.exec(  # type: ignore[call-overload]
            sa.update(QuestionAsker)
            .where(QuestionAsker.question_id.in_(questions))  # type: ignore[attr-defined]
            .where(QuestionAsker.unit == old)  # type: ignore[arg-type]
            .values(unit=new)
        )
    if kind == "agency":  # cooperating agencies are a JSON list in each commitment
        for c in ctx.session.exec(
            select(Commitment).where(Commitment.conference_id == ctx.conf.id)
        ):
            names = json.loads(c.cooperating)
            if old in names:
                c.cooperating = json.dumps(
                    [new if n == old else n for n in names], ensure_ascii=False
                )
                ctx.session.add(c)


def list_kind(ctx: Ctx) -> str:
    kind = ctx.args.get("kind")
    if kind not in LIST_KINDS:
        raise CommandError("bad_args", "«kind» phải là một trong: " + ", ".join(LIST_KINDS))
    return kind


def list_items(ctx: Ctx, kind: str) -> list[ListItem]:
    return list(
        ctx.session.exec(
            select(ListItem)
            .where(ListItem.conference_id == ctx.conf.id, ListItem.kind == kind)
            .order_by(ListItem.position)  # type: ignore[arg-type]
        )
    )


def find_item(items: list[ListItem], name: str, kind: str) -> ListItem:
    for item in items:
        if item.name == name:
            return item
    raise CommandError(
        "not_found", f"{LIST_KIND_NAMES[kind]} «{name}» không có trong danh sách.", 404
    )


def check_new_name(items: list[ListItem], name: str, kind: str) -> None:
    if any(item.name.casefold() == name.casefold() for item in items):
        raise CommandError(
            "exists", f"{LIST_KIND_NAMES[kind]} «{name}» đã có trong danh sách.", 409
        )


@command(
    "list.add",
    "Thêm `name` vào danh sách `kind` (field, agency, unit, group); đơn vị kèm "
    "`delegate_quota` (mặc định 20), `gift_quota`; thành phần kèm `introduce` (số người).",
)
def list_add(ctx: Ctx) -> dict[str, Any]:
    kind = list_kind(ctx)
    name = text_arg(ctx.args, "name", 200, required=True)
    items = list_items(ctx, kind)
    if len(items) >= MAX_LIST:
        raise CommandError("too_many", f"Danh sách có tối đa {MAX_LIST} mục.", 409)
    check_new_name(items, name, kind)
    assert ctx.conf.id is not None
    item = ListItem(conference_id=ctx.conf.id, kind=kind, name=name, position=len(items) + 1)
    if kind == "unit":
        item.delegate_quota = 20
    apply_item_settings(ctx, item)
    ctx.session.add(item)
    return {"kind": kind, "name": name}


def apply_item_settings(ctx: Ctx, item: ListItem) -> None:
    if item.kind == "unit":
        if "delegate_quota" in ctx.args:
            item.delegate_quota = int_arg(ctx.args, "delegate_quota", 0, 500)
        if "gift_quota" in ctx.args:
            item.gift_quota = int_arg(ctx.args, "gift_quota", 0, 500)
    if item.kind == "group" and "introduce" in ctx.args:
        item.introduce = int_arg(ctx.args, "introduce", 0, 99)


@command(
    "list.edit",
    "Sửa mục `name` của danh sách `kind`: `new_name` (đổi tên ở mọi nơi đã dùng), "
    "hạn mức `delegate_quota`/`gift_quota` (đơn vị), `introduce` (thành phần: số người "
    "đứng đầu được MC giới thiệu tên).",
)
def list_edit(ctx: Ctx) -> dict[str, Any]:
    kind = list_kind(ctx)
    items = list_items(ctx, kind)
    item = find_item(items, text_arg(ctx.args, "name", 200, required=True), kind)
    old = item.name
    new = text_arg(ctx.args, "new_name", 200) or old
    if new != old:
        check_new_name([i for i in items if i is not item], new, kind)
        item.name = new
        rename_uses(ctx, kind, old, new)
    apply_item_settings(ctx, item)
    ctx.session.add(item)
    return {
        "kind": kind,
        "name": old,
        "new_name": new,
        "delegate_quota": item.delegate_quota,
        "gift_quota": item.gift_quota,
        "introduce": item.introduce,
    }


@command("list.remove", "Xoá mục `name` khỏi danh sách `kind` (những nơi đã dùng giữ nguyên).")
def list_remove(ctx: Ctx) -> dict[str, Any]:
    kind = list_kind(ctx)
    items = list_items(ctx, kind)
    item = find_item(items, text_arg(ctx.args, "name", 200, required=True), kind)
    ctx.session.delete(item)
    store_order(ctx, [i for i in items if i is not item])
    return {"kind": kind, "name": item.name}


@command("list.move", "Đưa mục `name` của danh sách `kind` tới vị trí `to` (thứ tự lễ tân).")
def list_move(ctx: Ctx) -> dict[str, Any]:
    kind = list_kind(ctx)
    items = list_items(ctx, kind)
    item = find_item(items, text_arg(ctx.args, "name", 200, required=True), kind)
    to = int_arg(ctx.args, "to", 1, len(items))
    items.remove(item)
    items.insert(to - 1, item)
    store_order(ctx, items)
    return {"kind": kind, "name": item.name, "to": to}


# --- several conferences -------------------------------------------------------------------

# A new conference that copies nothing starts from the plan's programme, without scripts.
STANDARD_PROGRAMME = [
    ("ceremony", "Tuyên bố lý do, giới thiệu đại biểu, thông qua chương trình", 15),
    ("speech", "Khai mạc hội nghị", 10),
    ("video", "Phóng sự", 10),
    ("dialogue", "Đối thoại", 120),
    ("speech", "Phát biểu của lãnh đạo", 20),
    ("speech", "Phát biểu kết luận", 20),
    ("gifts", "Tặng quà", 10),
    ("ceremony", "Bế mạc", 5),
]
# What a copy carries over from the conference it copies (never people or questions).
COPIED_SETTINGS = (
    "venue", "organiser", "starts_at", "mic_count", "max_live", "speak_seconds",
    "answer_seconds", "notice_issuer_parent", "notice_issuer", "notice_place",
    "seat_rows", "seats_per_row", "gift_batch_size",
)  # fmt: skip


@command(
    "conference.new",
    "Tạo hội nghị mới `slug`, `title`, `date`; `copy` = true: chép chương trình, danh sách, "
    "đơn vị và cài đặt của hội nghị này (không chép người, câu hỏi).",
)
def conference_new(ctx: Ctx) -> dict[str, Any]:
    slug = text_arg(ctx.args, "slug", 40, required=True).lower()
    if not SLUG.fullmatch(slug):
        raise CommandError(
            "bad_args", "Mã hội nghị: 2–40 ký tự a–z, 0–9 hoặc «-», bắt đầu bằng chữ hoặc số."
        )
    if ctx.session.exec(select(Conference.id).where(Conference.slug == slug)).first():
        raise CommandError("exists", f"Đã có hội nghị mã «{slug}».", 409)
    copy = bool_arg(ctx.args, "copy", False)
    source = ctx.conf
    new = Conference(
        slug=slug,
        title=text_arg(ctx.args, "title", 300, required=True),
        date=date_arg(ctx.args, "date"),
        epoch=secrets.token_hex(8),
    )
    if copy:
        new.banner = source.banner
        for key in COPIED_SETTINGS:
            setattr(new, key, getattr(source, key))
    ctx.session.add(new)
    ctx.session.flush()
    assert new.id is not None and source.id is not None
    if copy:
        for step in ctx.steps:
            data = step.model_dump(exclude={"id", "conference_id"})
            ctx.session.add(AgendaStep(conference_id=new.id, **data))
        for kind in LIST_KINDS:
            for item in list_items(ctx, kind):
                data = item.model_dump(exclude={"id", "conference_id"})
                ctx.session.add(ListItem(conference_id=new.id, **data))
    else:
        for position, (kind, title, minutes) in enumerate(STANDARD_PROGRAMME, start=1):
            ctx.session.add(
                AgendaStep(
                    conference_id=new.id,
                    position=position,
                    kind=kind,
                    title=title,
                    planned_minutes=minutes,
                )
            )
    ensure_role_keys(ctx.session, new.id)
    return {"slug": slug, "title": new.title, "copied_from": source.slug if copy else ""}
