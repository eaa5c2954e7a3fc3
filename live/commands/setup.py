"""Preparing a conference: its details, the agenda editor, the lists (fields, agencies,
units with their quotas, delegate groups in protocol order), and next year's copy."""

from __future__ import annotations

import json
import re
import secrets
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field
from pydantic_core import PydanticCustomError
from sqlmodel import select

from live.auth import ensure_role_keys
from live.commands import CommandError, Ctx, command, store_order, update
from live.commands.args import (
    Args,
    Day,
    Flag,
    NoArgs,
    Text,
    fields_of,
    matching,
    one_of,
    over_kept,
    partial,
    rule,
    within,
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
SLUG = r"^[a-z0-9][a-z0-9-]{1,39}$"
Title = Annotated[Text, Field(min_length=1, max_length=300)]


# --- the conference ------------------------------------------------------------------------


class ConferenceDetails(Args):
    """The conference's details as they stand after `conference.edit` (fields not sent are
    kept; the title may not be left empty)."""

    title: Title
    date: Day = ""
    starts_at: Annotated[
        Text,
        Field(max_length=5),
        matching(r"([01]\d|2[0-3]):[0-5]\d", "«starts_at» phải là giờ dạng 08:00."),
    ] = ""
    venue: Text = Field("", max_length=200)
    organiser: Text = Field("", max_length=200)
    banner: Text = Field("", max_length=600)


@command(
    "conference.edit",
    "Sửa thông tin hội nghị: `title`, `date`, `starts_at`, `venue`, `organiser`, `banner`.",
    partial(ConferenceDetails, NoArgs, "ConferenceEdit"),  # checked whole over what is kept
)
def conference_edit(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """the conference's details (the welcome banner is on the projector before the start and on
    hold)"""
    conf = ctx.conf
    details, sent = over_kept(ConferenceDetails, fields_of(conf, ConferenceDetails), ctx.args)
    changed = {k: getattr(details, k) for k in sent}
    for key, value in changed.items():
        setattr(conf, key, value)
    return changed


# --- the agenda editor ---------------------------------------------------------------------


class StepFields(Args):
    """A step of the programme, as `step.add` sends it (and an edit leaves it)."""

    kind: Annotated[str, one_of(STEP_KINDS)] = "ceremony"
    title: Title
    speaker: Text = Field("", max_length=200)
    mc_script: Text = Field("", max_length=20000)
    planned_minutes: int = Field(5, ge=1, le=600)
    show_timer: Flag = False
    show_overtime: Flag = Field(False, description="the hall's timer goes past 0:00")


class StepAt(Args):
    position: int = Field(ge=1)  # up to the last step: checked as it runs


class StepMove(StepAt):
    to: int = Field(ge=1)  # as position


def step_fields(ctx: Ctx, step: AgendaStep | None) -> dict[str, Any]:
    """The step's fields that were sent, checked whole over what `step` keeps (or as a new
    step's, for none)."""
    fields, sent = over_kept(StepFields, fields_of(step, StepFields) if step else {}, ctx.args)
    return {k: getattr(fields, k) for k in StepFields.model_fields if step is None or k in sent}


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


def step_at(ctx: Ctx, position: int) -> AgendaStep:
    if not ctx.steps:
        raise CommandError("not_found", "Chương trình chưa có bước nào.", 404)
    return ctx.steps[within("position", position, 1, len(ctx.steps)) - 1]


@command("step.add", "Thêm bước vào cuối chương trình (`kind`, `title`, `speaker`, …).", StepFields)
def step_add(ctx: Ctx, _: StepFields) -> dict[str, Any]:
    """a step at the end of the programme (at most 40)"""
    if len(ctx.steps) >= MAX_STEPS:
        raise CommandError("too_many", f"Chương trình có tối đa {MAX_STEPS} bước.", 409)
    assert ctx.conf.id is not None
    step = AgendaStep(
        conference_id=ctx.conf.id, position=len(ctx.steps) + 1, **step_fields(ctx, None)
    )
    ctx.session.add(step)
    return {"position": step.position, "title": step.title}


@command(
    "step.edit",
    "Sửa bước `position` (các trường gửi kèm: `kind`, `title`, `speaker`, `mc_script`, "
    "`planned_minutes`, `show_timer`, `show_overtime`).",
    partial(StepFields, StepAt, "StepEdit"),
)
def step_edit(ctx: Ctx, args: StepAt) -> dict[str, Any]:
    """change a step; the running step may be edited"""
    step = step_at(ctx, args.position)
    fields = step_fields(ctx, step)
    update(ctx, step, fields)
    return {"position": step.position, **{k: v for k, v in fields.items() if k != "mc_script"}}


@command("step.remove", "Xoá bước `position` (không xoá được bước đang diễn ra).", StepAt)
def step_remove(ctx: Ctx, args: StepAt) -> dict[str, Any]:
    """delete a step. 409 `step_running` for the running one"""
    step = step_at(ctx, args.position)
    if step.position == ctx.conf.current_position:
        raise CommandError("step_running", "Đang diễn ra bước này: chuyển bước khác trước.", 409)
    after = [s for s in ctx.steps if s is not step]
    if ctx.conf.current_position > step.position:
        ctx.conf.current_position -= 1
    ctx.session.delete(step)
    ctx.session.flush()
    renumber(ctx, after)
    return {"position": step.position, "title": step.title}


@command("step.move", "Đưa bước `position` tới vị trí `to`.", StepMove)
def step_move(ctx: Ctx, args: StepMove) -> dict[str, Any]:
    """reorder; the running step stays the running step"""
    step = step_at(ctx, args.position)
    to = within("to", args.to, 1, len(ctx.steps))
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


class ListName(Args):
    kind: Annotated[str, one_of(LIST_KINDS)]  # field, agency, unit, group
    name: Annotated[Text, Field(min_length=1, max_length=200)]


class ListSettings(Args):
    """A unit's quotas, a group's count of delegates introduced by name."""

    delegate_quota: int = Field(20, ge=0, le=500, description="a unit's")
    gift_quota: int = Field(0, ge=0, le=500, description="a unit's")
    introduce: int = Field(
        0,
        ge=0,
        le=99,
        description="a group's: how many of its highest-ranked delegates present the MC "
        "introduces by name",
    )


class ListAdd(ListName, ListSettings):
    pass


class ListEdit(ListName, ListSettings):
    new_name: Text = Field("", max_length=200, description='`""`: keep the name')


class ListMove(ListName):
    to: int = Field(ge=1)  # up to the list's length: checked as it runs


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
    ListAdd,
)
def list_add(ctx: Ctx, args: ListAdd) -> dict[str, Any]:
    """add to a list. 409 `exists`"""
    kind, name = args.kind, args.name
    items = list_items(ctx, kind)
    if len(items) >= MAX_LIST:
        raise CommandError("too_many", f"Danh sách có tối đa {MAX_LIST} mục.", 409)
    check_new_name(items, name, kind)
    assert ctx.conf.id is not None
    item = ListItem(conference_id=ctx.conf.id, kind=kind, name=name, position=len(items) + 1)
    if kind == "unit":
        item.delegate_quota = args.delegate_quota
    apply_item_settings(item, args)
    ctx.session.add(item)
    return {"kind": kind, "name": name}


def apply_item_settings(item: ListItem, args: ListSettings) -> None:
    """The settings that were sent and that the item's kind has."""
    sent = args.model_fields_set
    own = {"unit": ("delegate_quota", "gift_quota"), "group": ("introduce",)}
    for key in own.get(item.kind, ()):
        if key in sent:
            setattr(item, key, getattr(args, key))


@command(
    "list.edit",
    "Sửa mục `name` của danh sách `kind`: `new_name` (đổi tên ở mọi nơi đã dùng), "
    "hạn mức `delegate_quota`/`gift_quota` (đơn vị), `introduce` (thành phần: số người "
    "đứng đầu được MC giới thiệu tên).",
    ListEdit,
)
def list_edit(ctx: Ctx, args: ListEdit) -> dict[str, Any]:
    """a rename is carried to every question, commitment, delegate and gift recipient that used
    the old name"""
    kind = args.kind
    items = list_items(ctx, kind)
    item = find_item(items, args.name, kind)
    old = item.name
    new = args.new_name or old
    if new != old:
        check_new_name([i for i in items if i is not item], new, kind)
        item.name = new
        rename_uses(ctx, kind, old, new)
    apply_item_settings(item, args)
    ctx.session.add(item)
    return {
        "kind": kind,
        "name": old,
        "new_name": new,
        "delegate_quota": item.delegate_quota,
        "gift_quota": item.gift_quota,
        "introduce": item.introduce,
    }


@command(
    "list.remove", "Xoá mục `name` khỏi danh sách `kind` (những nơi đã dùng giữ nguyên).", ListName
)
def list_remove(ctx: Ctx, args: ListName) -> dict[str, Any]:
    """remove from the list (what used it keeps its text)"""
    kind = args.kind
    items = list_items(ctx, kind)
    item = find_item(items, args.name, kind)
    ctx.session.delete(item)
    store_order(ctx, [i for i in items if i is not item])
    return {"kind": kind, "name": item.name}


@command(
    "list.move", "Đưa mục `name` của danh sách `kind` tới vị trí `to` (thứ tự lễ tân).", ListMove
)
def list_move(ctx: Ctx, args: ListMove) -> dict[str, Any]:
    """reorder; the order of groups is the protocol order of the introduction"""
    kind = args.kind
    items = list_items(ctx, kind)
    item = find_item(items, args.name, kind)
    to = within("to", args.to, 1, len(items))
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


def slug_of(value: str) -> str:
    """A conference's code in its URL: 2–40 of a–z, 0–9 and «-»."""
    value = value.lower()
    if not re.fullmatch(SLUG, value):
        raise PydanticCustomError(
            "vi", "Mã hội nghị: 2–40 ký tự a–z, 0–9 hoặc «-», bắt đầu bằng chữ hoặc số."
        )
    return value


class NewConference(Args):
    slug: Annotated[
        Text,
        Field(min_length=1, max_length=40, description="2–40 of `a-z`, `0-9`, `-`"),
        rule(slug_of, pattern=SLUG.replace("a-z", "A-Za-z")),  # taken in either case
    ]
    title: Title
    date: Day = Field("", description='`""`: none')
    copy_: Flag = Field(
        False, alias="copy", description="this conference's programme, lists and settings"
    )


@command(
    "conference.new",
    "Tạo hội nghị mới `slug`, `title`, `date`; `copy` = true: chép chương trình, danh sách, "
    "đơn vị và cài đặt của hội nghị này (không chép người, câu hỏi).",
    NewConference,
)
def conference_new(ctx: Ctx, args: NewConference) -> dict[str, Any]:
    """a new conference with its own role keys. `copy`: this conference's agenda, lists (with
    quotas and introduction counts) and settings, never its people or questions;
    otherwise the plan's eight-step programme without scripts. Logged in *this*
    conference. 409 `exists`"""
    slug = args.slug
    if ctx.session.exec(select(Conference.id).where(Conference.slug == slug)).first():
        raise CommandError("exists", f"Đã có hội nghị mã «{slug}».", 409)
    copy = args.copy_
    source = ctx.conf
    new = Conference(slug=slug, title=args.title, date=args.date, epoch=secrets.token_hex(8))
    if copy:
        new.banner = source.banner
        for key in COPIED_SETTINGS:
            setattr(new, key, getattr(source, key))
    ctx.session.add(new)
    ctx.session.flush()
    assert new.id is not None and source.id is not None
    if copy:
        for step in ctx.steps:
            # the plan, not what happened on this conference's day
            data = step.model_dump(include=set(StepFields.model_fields) | {"position", "media"})
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
