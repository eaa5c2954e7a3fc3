"""What the secretaries record: each question's answer and the commitments made.

Saves carry the version the secretary started from (`base_version`). A save on top of
another secretary's newer save is refused with `conflict`, and nothing is overwritten:
the screen then shows both versions and the secretary decides.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field
from sqlmodel import select

from live.commands import CommandError, Ctx, command, own_row
from live.commands.args import (
    Args,
    Day,
    Id,
    NoArgs,
    Text,
    Version,
    matching,
    one_of,
    over_kept,
    partial,
)
from live.models import (
    ANSWER_OUTCOMES,
    COMMITMENT_STATUSES,
    Answer,
    Commitment,
    NoticeEdit,
    Question,
)

MAX_COOPERATING = 20
Agency = Annotated[Text, Field(max_length=200)]


class AnswerSave(Args):
    """Who answered question `question_id` and what; only the fields sent change."""

    question_id: Id
    base_version: Version
    responder_agency: Agency = ""
    responder_name: Text = Field("", max_length=200)
    responder_position: Text = Field("", max_length=200)
    summary: Text = Field("", max_length=8000)
    outcome: Annotated[str, one_of(("", *ANSWER_OUTCOMES))] = ""
    referred_to: Agency = ""


ANSWER_FIELDS = set(AnswerSave.model_fields) - {"question_id", "base_version"}


class CommitmentFields(Args):
    """A commitment, as `commitment.add` sends it (and an edit leaves it)."""

    task: Text = Field(min_length=1, max_length=2000)
    lead_agency: Agency = ""
    cooperating: list[Agency] = Field(
        default_factory=list, max_length=MAX_COOPERATING, description="agencies"
    )
    deadline: Day = Field("", description='`""`: none')


class CommitmentAdd(CommitmentFields):
    question_id: Id


class CommitmentId(Args):
    id: Id


class CommitmentSave(CommitmentId):
    base_version: Version


class CommitmentStatus(CommitmentId):
    status: Annotated[str, one_of(COMMITMENT_STATUSES)] = "not_started"  # unchanged if not sent
    note: Text = Field("", max_length=2000)  # unchanged if not sent


class NoticeEditArgs(Args):
    key: Annotated[
        Text,
        Field(
            min_length=1,
            max_length=20,
            description="`opening`, `assessment`, `implementation`, `closing`, "
            "`q:<question id>`, `c:<commitment id>`",
        ),
        matching(
            r"(opening|assessment|implementation|closing|[qc]:\d{1,9})",
            "«key» không phải một đoạn của thông báo.",
        ),
    ]
    text: Text = Field("", max_length=8000, description='`""`: back to the drafted text')
    base_version: Version


class NoticeIssuer(Args):
    """The notice's issuing body: what `notice.issuer` sends (any of the fields; those not
    sent are kept, and none may be left empty)."""

    parent: Text = Field(min_length=1, max_length=120)  # "UBND TỈNH HÒA BÌNH"
    issuer: Text = Field(min_length=1, max_length=120)  # "VĂN PHÒNG"
    place: Text = Field(min_length=1, max_length=60)  # the date line's place


# --- the one outcome ------------------------------------------------------------------
# A question has two fields that say how it ended: the floor's close (`Question.status`:
# answered / in_writing / withdrawn) and the secretaries' outcome (`Answer.outcome`). The
# exports read one: the secretaries' choice when they made one, else the floor's close in
# writing (docs/decisions.md, "Closing in writing (issue 15)").
FLOOR_OUTCOMES = ("in_writing",)  # the floor's closes that are an answer's outcome too


def outcome_of(q: Question, a: Answer | None) -> str:
    """The question's outcome (a key of ANSWER_OUTCOMES, or "" while none is known)."""
    if a is not None and a.outcome:
        return a.outcome
    return q.status if q.status in FLOOR_OUTCOMES else ""


def close_in_writing(ctx: Ctx, q: Question) -> Answer:
    """The floor closed `q` as «Trả lời bằng văn bản»: its answer's outcome becomes
    `in_writing` too (the row made if none), unless a secretary chose another outcome. A
    change is a new version of the answer, so a secretary's editor opened on the previous
    one gets a conflict (both versions shown), never a silent overwrite."""
    answer = ctx.session.exec(select(Answer).where(Answer.question_id == q.id)).first()
    if answer is not None and answer.outcome:
        return answer  # the secretary's choice, or in_writing already
    if answer is None:
        assert ctx.conf.id is not None and q.id is not None
        answer = Answer(conference_id=ctx.conf.id, question_id=q.id, responder_agency=q.agency)
    answer.outcome = "in_writing"
    answer.version += 1
    answer.updated_at = ctx.now
    answer.updated_role = ctx.role
    ctx.session.add(answer)
    return answer


def check_version(base: int, current: int, what: str) -> None:
    if base != current:
        raise CommandError(
            "conflict",
            f"{what} vừa được người khác lưu (bản {current}). Bản của đồng chí chưa ghi: "
            "xem hai bản, chọn hoặc gộp rồi lưu lại.",
            409,
        )


@command(
    "answer.save",
    "Ghi phần trả lời của câu `question_id` (người trả lời, tóm tắt, kết quả); kèm `base_version`.",
    AnswerSave,
)
def answer_save(ctx: Ctx, args: AnswerSave) -> dict[str, Any]:
    """record who answered and what → `{"version": n}`"""
    q = own_row(ctx, Question, args.question_id, "câu hỏi")
    answer = ctx.session.exec(select(Answer).where(Answer.question_id == q.id)).first()
    check_version(
        args.base_version, answer.version if answer else 0, f"Phần trả lời câu {q.number}"
    )
    if answer is None:
        assert ctx.conf.id is not None and q.id is not None
        answer = Answer(conference_id=ctx.conf.id, question_id=q.id)
    for key in ANSWER_FIELDS & args.model_fields_set:
        setattr(answer, key, getattr(args, key))
    if not answer.outcome and q.status in FLOOR_OUTCOMES:
        # "Kết quả…" left empty on a question the floor closed in writing: the floor's
        # close stands (a secretary changes it by choosing another outcome).
        answer.outcome = q.status
    answer.version += 1
    answer.updated_at = ctx.now
    answer.updated_role = ctx.role
    ctx.session.add(answer)
    return {"question_id": q.id, "number": q.number, "version": answer.version}


def apply_commitment(ctx: Ctx, c: Commitment, fields: CommitmentFields, sent: set[str]) -> None:
    """Set the fields that were sent; names of cooperating agencies left blank are dropped."""
    for key in sent & set(CommitmentFields.model_fields):
        value = getattr(fields, key)
        if key == "cooperating":
            value = json.dumps([name for name in value if name], ensure_ascii=False)
        setattr(c, key, value)


def commitment_kept(c: Commitment) -> dict[str, Any]:
    return {
        "task": c.task,
        "lead_agency": c.lead_agency,
        "cooperating": json.loads(c.cooperating or "[]"),
        "deadline": c.deadline,
    }


@command(
    "commitment.add",
    "Thêm nhiệm vụ cho câu `question_id`: `task`, `lead_agency`, `cooperating` (danh sách), `deadline`.",
    CommitmentAdd,
)
def commitment_add(ctx: Ctx, args: CommitmentAdd) -> dict[str, Any]:
    """a task given at the conference → `{"id": …, "version": 1}`"""
    q = own_row(ctx, Question, args.question_id, "câu hỏi")
    assert ctx.conf.id is not None and q.id is not None
    c = Commitment(conference_id=ctx.conf.id, question_id=q.id, task="", created_at=ctx.now)
    apply_commitment(ctx, c, args, set(CommitmentFields.model_fields))
    ctx.session.add(c)
    ctx.session.flush()
    return {"id": c.id, "question_id": q.id, "version": c.version}


@command(
    "commitment.edit",
    "Sửa nhiệm vụ `id` (các trường như khi thêm); kèm `base_version`.",
    partial(CommitmentFields, CommitmentSave, "CommitmentEdit"),
)
def commitment_edit(ctx: Ctx, args: CommitmentSave) -> dict[str, Any]:
    """change it"""
    c = own_row(ctx, Commitment, args.id, "nhiệm vụ")
    check_version(args.base_version, c.version, "Nhiệm vụ này")
    fields, sent = over_kept(CommitmentFields, commitment_kept(c), ctx.args)
    apply_commitment(ctx, c, fields, sent)
    c.version += 1
    ctx.session.add(c)
    return {"id": c.id, "version": c.version}


@command("commitment.remove", "Xoá nhiệm vụ `id`; kèm `base_version`.", CommitmentSave)
def commitment_remove(ctx: Ctx, args: CommitmentSave) -> dict[str, Any]:
    """delete it"""
    c = own_row(ctx, Commitment, args.id, "nhiệm vụ")
    check_version(args.base_version, c.version, "Nhiệm vụ này")
    ctx.session.delete(c)
    return {"id": c.id, "task": c.task}


@command(
    "commitment.status",
    "Theo dõi sau hội nghị: `status` (not_started, in_progress, done) và `note` của nhiệm vụ `id`.",
    CommitmentStatus,
)
def commitment_status(ctx: Ctx, args: CommitmentStatus) -> dict[str, Any]:
    """follow-up after the day (overdue is computed from the deadline, not stored)"""
    c = own_row(ctx, Commitment, args.id, "nhiệm vụ")
    if "status" in args.model_fields_set:
        c.status = args.status
    status = c.status
    if "note" in args.model_fields_set:
        c.note = args.note
    c.version += 1
    ctx.session.add(c)
    return {"id": c.id, "status": status, "version": c.version}


@command(
    "notice.edit",
    'Sửa đoạn `key` của dự thảo thông báo kết luận (`text`; "" = về bản tự động); kèm `base_version`.',
    NoticeEditArgs,
)
def notice_edit(ctx: Ctx, args: NoticeEditArgs) -> dict[str, Any]:
    """rewrite one paragraph of the conclusion notice; the edit replaces the drafted text from
    then on. 404 `not_found` for a `q:`/`c:` key naming no question/commitment of this
    conference"""
    key, text = args.key, args.text
    kind, _, row_id = key.partition(":")
    if kind in ("q", "c"):
        model, what = (Question, "câu hỏi") if kind == "q" else (Commitment, "nhiệm vụ")
        try:
            own_row(ctx, model, int(row_id), what)
        except CommandError as e:
            raise CommandError(
                e.code, f"Đoạn «{key}» không ứng với {what} nào của hội nghị này.", e.status
            ) from None
    edit = ctx.session.exec(
        select(NoticeEdit).where(NoticeEdit.conference_id == ctx.conf.id, NoticeEdit.key == key)
    ).first()
    check_version(args.base_version, edit.version if edit else 0, "Đoạn này")
    if not text:
        if edit is not None:
            ctx.session.delete(edit)
        return {"key": key, "version": 0}
    if edit is None:
        assert ctx.conf.id is not None
        edit = NoticeEdit(conference_id=ctx.conf.id, key=key, text=text, version=0)
    edit.text = text
    edit.version += 1
    ctx.session.add(edit)
    return {"key": key, "version": edit.version}


@command(
    "notice.issuer",
    "Cơ quan ban hành thông báo: `parent` (UBND TỈNH …), `issuer` (VĂN PHÒNG), `place` (địa danh).",
    partial(NoticeIssuer, NoArgs, "NoticeIssuerEdit"),  # checked whole over what is kept
)
def notice_issuer(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """the notice's issuing body ("UBND TỈNH HÒA BÌNH" over "VĂN PHÒNG") and the place of its
    date line"""
    conf = ctx.conf
    stored = {
        "parent": conf.notice_issuer_parent,
        "issuer": conf.notice_issuer,
        "place": conf.notice_place,
    }
    issuer, sent = over_kept(NoticeIssuer, stored, ctx.args)
    if sent:
        conf.notice_issuer_parent = issuer.parent
        conf.notice_issuer = issuer.issuer
        conf.notice_place = issuer.place
    return {
        "parent": conf.notice_issuer_parent,
        "issuer": conf.notice_issuer,
        "place": conf.notice_place,
    }
