"""What the secretaries record: each question's answer and the commitments made.

Saves carry the version the secretary started from (`base_version`). A save on top of
another secretary's newer save is refused with `conflict`, and nothing is overwritten:
the screen then shows both versions and the secretary decides.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlmodel import select

from live.commands import CommandError, Ctx, command, int_arg, printable, text_arg
from live.models import (
    ANSWER_OUTCOMES,
    COMMITMENT_STATUSES,
    Answer,
    Commitment,
    NoticeEdit,
    Question,
)

ANSWER_FIELDS = {
    "responder_agency": 200,
    "responder_name": 200,
    "responder_position": 200,
    "summary": 8000,
    "referred_to": 200,
}
MAX_COOPERATING = 20


def question_of(ctx: Ctx) -> Question:
    qid = int_arg(ctx.args, "question_id", 1, 2**31)
    q = ctx.session.get(Question, qid)
    if q is None or q.conference_id != ctx.conf.id:
        raise CommandError("not_found", f"Không có câu hỏi mã {qid}.", 404)
    return q


def check_version(ctx: Ctx, current: int, what: str) -> None:
    base = int_arg(ctx.args, "base_version", 0, 2**31)
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
)
def answer_save(ctx: Ctx) -> dict[str, Any]:
    q = question_of(ctx)
    answer = ctx.session.exec(select(Answer).where(Answer.question_id == q.id)).first()
    check_version(ctx, answer.version if answer else 0, f"Phần trả lời câu {q.number}")
    if answer is None:
        assert ctx.conf.id is not None and q.id is not None
        answer = Answer(conference_id=ctx.conf.id, question_id=q.id)
    for key, limit in ANSWER_FIELDS.items():
        if key in ctx.args:
            setattr(answer, key, text_arg(ctx.args, key, limit))
    if "outcome" in ctx.args:
        outcome = ctx.args["outcome"]
        if outcome != "" and (not isinstance(outcome, str) or outcome not in ANSWER_OUTCOMES):
            raise CommandError("bad_args", "«outcome» phải là " + ", ".join(ANSWER_OUTCOMES) + ".")
        answer.outcome = outcome
    answer.version += 1
    answer.updated_at = ctx.now
    answer.updated_role = ctx.role
    ctx.session.add(answer)
    return {"question_id": q.id, "number": q.number, "version": answer.version}


def deadline_arg(ctx: Ctx) -> str:
    value = text_arg(ctx.args, "deadline", 10)
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise CommandError("bad_args", "«deadline» phải là ngày dạng 2024-12-31.") from None
    return value


def cooperating_arg(ctx: Ctx) -> str:
    value = ctx.args.get("cooperating", [])
    if not isinstance(value, list) or len(value) > MAX_COOPERATING:
        raise CommandError(
            "bad_args", f"«cooperating» phải là danh sách tối đa {MAX_COOPERATING} cơ quan."
        )
    names = []
    for item in value:
        if not isinstance(item, str) or len(item.strip()) > 200:
            raise CommandError("bad_args", "Mỗi cơ quan phối hợp phải là chữ, tối đa 200 ký tự.")
        if printable("cooperating", item).strip():
            names.append(item.strip())
    return json.dumps(names, ensure_ascii=False)


def apply_commitment(ctx: Ctx, c: Commitment) -> None:
    if "task" in ctx.args:
        c.task = text_arg(ctx.args, "task", 2000, required=True)
    if "lead_agency" in ctx.args:
        c.lead_agency = text_arg(ctx.args, "lead_agency", 200)
    if "cooperating" in ctx.args:
        c.cooperating = cooperating_arg(ctx)
    if "deadline" in ctx.args:
        c.deadline = deadline_arg(ctx)


def commitment_of(ctx: Ctx) -> Commitment:
    cid = int_arg(ctx.args, "id", 1, 2**31)
    c = ctx.session.get(Commitment, cid)
    if c is None or c.conference_id != ctx.conf.id:
        raise CommandError("not_found", f"Không có nhiệm vụ mã {cid}.", 404)
    return c


@command(
    "commitment.add",
    "Thêm nhiệm vụ cho câu `question_id`: `task`, `lead_agency`, `cooperating` (danh sách), `deadline`.",
)
def commitment_add(ctx: Ctx) -> dict[str, Any]:
    q = question_of(ctx)
    if "task" not in ctx.args:
        raise CommandError("missing", "Thiếu «task».")
    assert ctx.conf.id is not None and q.id is not None
    c = Commitment(conference_id=ctx.conf.id, question_id=q.id, task="", created_at=ctx.now)
    apply_commitment(ctx, c)
    ctx.session.add(c)
    ctx.session.flush()
    return {"id": c.id, "question_id": q.id, "version": c.version}


@command("commitment.edit", "Sửa nhiệm vụ `id` (các trường như khi thêm); kèm `base_version`.")
def commitment_edit(ctx: Ctx) -> dict[str, Any]:
    c = commitment_of(ctx)
    check_version(ctx, c.version, "Nhiệm vụ này")
    apply_commitment(ctx, c)
    c.version += 1
    ctx.session.add(c)
    return {"id": c.id, "version": c.version}


@command("commitment.remove", "Xoá nhiệm vụ `id`; kèm `base_version`.")
def commitment_remove(ctx: Ctx) -> dict[str, Any]:
    c = commitment_of(ctx)
    check_version(ctx, c.version, "Nhiệm vụ này")
    ctx.session.delete(c)
    return {"id": c.id, "task": c.task}


@command(
    "commitment.status",
    "Theo dõi sau hội nghị: `status` (not_started, in_progress, done) và `note` của nhiệm vụ `id`.",
)
def commitment_status(ctx: Ctx) -> dict[str, Any]:
    c = commitment_of(ctx)
    status = ctx.args.get("status", c.status)
    if not isinstance(status, str) or status not in COMMITMENT_STATUSES:
        raise CommandError("bad_args", "«status» phải là not_started, in_progress hoặc done.")
    c.status = status
    if "note" in ctx.args:
        c.note = text_arg(ctx.args, "note", 2000)
    c.version += 1
    ctx.session.add(c)
    return {"id": c.id, "status": status, "version": c.version}


NOTICE_KEY = re.compile(r"^(opening|assessment|implementation|closing|[qc]:\d{1,9})$")


@command(
    "notice.edit",
    'Sửa đoạn `key` của dự thảo thông báo kết luận (`text`; "" = về bản tự động); kèm `base_version`.',
)
def notice_edit(ctx: Ctx) -> dict[str, Any]:
    key = ctx.args.get("key")
    if not isinstance(key, str) or not NOTICE_KEY.match(key):
        raise CommandError("bad_args", "«key» không phải một đoạn của thông báo.")
    text = text_arg(ctx.args, "text", 8000)
    edit = ctx.session.exec(
        select(NoticeEdit).where(NoticeEdit.conference_id == ctx.conf.id, NoticeEdit.key == key)
    ).first()
    check_version(ctx, edit.version if edit else 0, "Đoạn này")
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
)
def notice_issuer(ctx: Ctx) -> dict[str, Any]:
    conf = ctx.conf
    if "parent" in ctx.args:
        conf.notice_issuer_parent = text_arg(ctx.args, "parent", 120, required=True)
    if "issuer" in ctx.args:
        conf.notice_issuer = text_arg(ctx.args, "issuer", 120, required=True)
    if "place" in ctx.args:
        conf.notice_place = text_arg(ctx.args, "place", 60, required=True)
    return {
        "parent": conf.notice_issuer_parent,
        "issuer": conf.notice_issuer,
        "place": conf.notice_place,
    }
