"""The floor: questions written beforehand, from the hall and from phones, queued to the
floor microphones.

A question moves pending (a phone question awaiting review) → queued → on_deck at mic N
(the runner goes to the asker) → live (the delegate speaks) → answering (the agency or
leader answers) → answered / in_writing / withdrawn. The rules — one question per
microphone, at most `max_live` delegates speaking — are checked inside the serialised
command transaction, so two moderators pressing at once get one success and one refusal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from live.commands import CommandError, Ctx, command, import_rows, int_arg, text_arg
from live.effects import ALL, Effects
from live.imports import closest_words, words
from live.models import AT_MIC, QUESTION_SOURCES, QUESTION_STATUSES, Question, QuestionAsker
from live.timer import Timer

QUESTION_ADJUST_SECONDS = 600
MAX_TEXT = 4000
MAX_NAME = 200
MAX_IMPORT = 2000
EDITABLE = ("asker_name", "asker_position", "asker_unit", "field", "text", "agency")


def questions(ctx: Ctx, *statuses: str) -> list[Question]:
    query = select(Question).where(Question.conference_id == ctx.conf.id)
    if statuses:
        query = query.where(Question.status.in_(statuses))  # type: ignore[attr-defined]
    return list(ctx.session.exec(query.order_by(Question.queue_rank, Question.number)))  # type: ignore[arg-type]


def get_question(ctx: Ctx, *allowed: str, key: str = "id") -> Question:
    """The question named by args[key], refused unless its status is one of `allowed`."""
    qid = int_arg(ctx.args, key, 1, 2**31)
    q = ctx.session.get(Question, qid)
    if q is None or q.conference_id != ctx.conf.id:
        raise CommandError("not_found", f"Không có câu hỏi mã {qid}.", 404)
    if allowed and q.status not in allowed:
        raise CommandError(
            "wrong_state",
            f"Câu {q.number} đang ở trạng thái «{status_name(q)}», không làm được việc này.",
            409,
        )
    return q


def status_name(q: Question) -> str:
    return QUESTION_STATUSES.get(q.status, q.status)


def question_fields(ctx: Ctx, required_text: bool) -> dict[str, str]:
    out = {key: text_arg(ctx.args, key, MAX_NAME) for key in EDITABLE if key != "text"}
    out["text"] = text_arg(ctx.args, "text", MAX_TEXT, required=required_text)
    return out


def next_number(ctx: Ctx) -> int:
    # Every new question is flushed before the next is numbered (new_question), so no
    # flush is needed here: the command's seq bump goes out with the question, in one.
    top = ctx.session.exec(
        select(sa.func.max(Question.number)).where(Question.conference_id == ctx.conf.id)
    ).one()
    return (top or 0) + 1


def queue_end(ctx: Ctx) -> float:
    top = ctx.session.exec(
        select(sa.func.max(Question.queue_rank)).where(Question.conference_id == ctx.conf.id)
    ).one()
    return (top or 0.0) + 1.0


def enqueue(ctx: Ctx, q: Question, at_top: bool = False) -> None:
    q.status = "queued"
    q.mic = None
    q.timer = Timer()
    q.queued_at = ctx.now
    if at_top:
        first = [x.queue_rank for x in questions(ctx, "queued") if x.id != q.id]
        q.queue_rank = (min(first) - 1.0) if first else queue_end(ctx)
    else:
        q.queue_rank = queue_end(ctx)


def summary(q: Question) -> dict[str, Any]:
    return {"id": q.id, "number": q.number, "status": q.status, "mic": q.mic}


OPEN = ("pending", "queued", *AT_MIC)  # questions a look-alike hint may point to


class OpenQuestions:
    """The open questions' words (live.imports.words), by id: what a look-alike hint is
    worked out against. Kept between commands (CommandMemo): two hundred phone questions
    within seconds read the open questions once, not two hundred times."""

    def __init__(self, rows: Iterable[tuple[int | None, str, str]]) -> None:
        self.words: dict[int, frozenset[str]] = {}
        # Questions the running command wrote last and put here as they now are: its
        # catch-up need not read them again (a phone question, an import's rows).
        self.put_by_command: set[int] = set()
        for qid, text, status in rows:
            self.put(qid, text, status)

    @classmethod
    def of(cls, ctx: Ctx) -> OpenQuestions:
        kept = ctx.memo.get("open_questions")
        if not isinstance(kept, OpenQuestions):
            kept = ctx.memo["open_questions"] = cls(
                ctx.session.exec(
                    select(Question.id, Question.text, Question.status).where(
                        Question.conference_id == ctx.conf.id,
                        Question.status.in_(OPEN),  # type: ignore[attr-defined]
                    )
                )
            )
        return kept

    def put(self, qid: int | None, text: str, status: str) -> None:
        if qid is None:
            return
        if status in OPEN:
            self.words[qid] = words(text)
        else:
            self.words.pop(qid, None)

    def put_final(self, q: Question) -> None:
        """`q` as the command leaves it (nothing changes it after this)."""
        self.put(q.id, q.text, q.status)
        if q.id is not None:
            self.put_by_command.add(q.id)

    def catch_up(self, session: Session, effects: Effects) -> bool:
        changed = effects.keys("question")
        if ALL in changed:
            return False
        ids = [int(key) for key in changed if key.isdigit()]
        ids = [i for i in ids if i not in self.put_by_command]
        self.put_by_command.clear()
        if ids:  # one statement, whatever the command touched
            found = session.exec(
                select(Question.id, Question.text, Question.status).where(col(Question.id).in_(ids))
            ).all()
            for gone in set(ids) - {qid for qid, _, _ in found}:  # deleted
                self.words.pop(gone, None)
            for qid, text, status in found:
                self.put(qid, text, status)
        return True


def note_look_alikes(ctx: Ctx, q: Question, others: OpenQuestions, edited: bool = False) -> None:
    """Work out once, when `q` arrives or its text changes, which open questions look like
    it (the closest few), kept with `q`. The hint shows on the question that came (or
    changed) last: the one a moderator would merge into the other. So a new question
    changes no other question's hints, and its push is that one item; after an edit,
    questions that named `q` and no longer look like it let it go."""
    mine = closest_words(words(q.text), others.words.items(), skip=q.id)
    q.look_alikes = json.dumps(mine)
    ctx.session.add(q)
    if not edited:
        return
    alike = {i for i, _score in mine}
    naming = ctx.session.exec(  # hints are JSON [[id, score], …]: "[17, " names question 17
        select(Question).where(
            Question.conference_id == ctx.conf.id,
            Question.look_alikes.contains(f"[{q.id}, "),  # type: ignore[attr-defined]
        )
    )
    for other in naming:
        hints = json.loads(other.look_alikes)
        kept = [(i, score) for i, score in hints if i != q.id or other.id in alike]
        if len(kept) != len(hints):
            other.look_alikes = json.dumps(kept)
            ctx.session.add(other)


def new_question(ctx: Ctx, source: str, status: str) -> Question:
    assert ctx.conf.id is not None
    q = Question(
        conference_id=ctx.conf.id,
        number=next_number(ctx),
        source=source,
        created_at=ctx.now,
        text="",
    )
    for key, value in question_fields(ctx, required_text=True).items():
        setattr(q, key, value)
    if status == "queued":
        enqueue(ctx, q)
    else:
        q.status = status
    ctx.session.add(q)
    ctx.session.flush()
    others = OpenQuestions.of(ctx)
    note_look_alikes(ctx, q, others)
    others.put_final(q)
    return q


# --- taking questions in ---------------------------------------------------------------


@command("question.add", "Thêm câu hỏi (mặc định từ hội trường) vào cuối hàng đợi.")
def question_add(ctx: Ctx) -> dict[str, Any]:
    source = ctx.args.get("source", "floor")
    if not isinstance(source, str) or source not in QUESTION_SOURCES:
        raise CommandError("bad_args", "«source» phải là written, floor hoặc phone.")
    return summary(new_question(ctx, source, "queued"))


@command(
    "question.submit",
    "Đại biểu gửi câu hỏi qua điện thoại: chờ người điều phối duyệt.",
)
def question_submit(ctx: Ctx) -> dict[str, Any]:
    if not text_arg(ctx.args, "asker_name", MAX_NAME):
        raise CommandError("missing", "Xin ghi họ tên của đồng chí.")
    return summary(new_question(ctx, "phone", "pending"))


@command(
    "question.edit",
    "Sửa câu hỏi `id` (người hỏi, đơn vị, lĩnh vực, nội dung, cơ quan trả lời).",
)
def question_edit(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "pending", "queued", *AT_MIC)
    changes = {k: v for k, v in question_fields(ctx, required_text=False).items() if k in ctx.args}
    if "text" in changes and not changes["text"]:
        raise CommandError("missing", "Nội dung câu hỏi không được để trống.")
    new_text = changes.get("text", q.text) != q.text
    for key, value in changes.items():
        setattr(q, key, value)
    ctx.session.add(q)
    if new_text:  # the editor sends every field: hints are worked out again only for a new text
        note_look_alikes(ctx, q, OpenQuestions.of(ctx), edited=True)
    return {**summary(q), "changed": sorted(changes)}


@command("question.approve", "Duyệt câu hỏi gửi qua điện thoại: đưa vào cuối hàng đợi.")
def question_approve(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "pending")
    enqueue(ctx, q)
    ctx.session.add(q)
    return summary(q)


@command("question.reject", "Không duyệt câu hỏi `id` (đang chờ duyệt hoặc trong hàng đợi).")
def question_reject(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "pending", "queued")
    close(ctx, q, "rejected")
    return summary(q)


@command(
    "question.merge",
    "Gộp câu hỏi `id` vào câu `into` (hoặc câu số `into_number`): giữ mọi người hỏi.",
)
def question_merge(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "pending", "queued")
    if "into_number" in ctx.args and "into" not in ctx.args:
        number = int_arg(ctx.args, "into_number", 1, 2**31)
        found = ctx.session.exec(
            select(Question).where(Question.conference_id == ctx.conf.id, Question.number == number)
        ).first()
        if found is None:
            raise CommandError("not_found", f"Không có câu số {number}.", 404)
        ctx.args = {**ctx.args, "into": found.id}
    into = get_question(ctx, "pending", "queued", *AT_MIC, key="into")
    if into.id == q.id:
        raise CommandError("bad_args", "Không gộp một câu hỏi vào chính nó.")
    assert into.id is not None
    askers = [(q.asker_name, q.asker_position, q.asker_unit, q.source, q.text)]
    for extra in ctx.session.exec(select(QuestionAsker).where(QuestionAsker.question_id == q.id)):
        askers.append((extra.name, extra.position, extra.unit, extra.source, extra.text))
        ctx.session.delete(extra)
    for name, position, unit, source, text in askers:
        ctx.session.add(
            QuestionAsker(
                question_id=into.id,
                name=name,
                position=position,
                unit=unit,
                source=source,
                text=text,
            )
        )
    q.merged_into = into.id
    close(ctx, q, "merged")
    return {**summary(q), "into": into.number}


@command(
    "question.internal",
    "Đánh dấu câu hỏi `id` là nội bộ (`internal` = true): không lên màn chiếu.",
)
def question_internal(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx)
    internal = ctx.args.get("internal")
    if not isinstance(internal, bool):
        raise CommandError("bad_args", "«internal» phải là true hoặc false.")
    q.internal = internal
    ctx.session.add(q)
    return {**summary(q), "internal": internal}


# --- the queue -------------------------------------------------------------------------


@command("question.move", "Đổi thứ tự trong hàng đợi: `to` = up, down hoặc top.")
def question_move(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "queued")
    to = ctx.args.get("to")
    queue = questions(ctx, "queued")
    i = next(i for i, x in enumerate(queue) if x.id == q.id)
    if to == "top":
        if i > 0:
            q.queue_rank = queue[0].queue_rank - 1.0
    elif to in ("up", "down"):
        j = i - 1 if to == "up" else i + 1
        if 0 <= j < len(queue):
            other = queue[j]
            q.queue_rank, other.queue_rank = other.queue_rank, q.queue_rank
            ctx.session.add(other)
    else:
        raise CommandError("bad_args", "«to» phải là up, down hoặc top.")
    ctx.session.add(q)
    return {**summary(q), "to": to}


@command("question.requeue", "Đưa câu hỏi đang ở micro về đầu hàng đợi.")
def question_requeue(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, *AT_MIC)
    mic = q.mic
    enqueue(ctx, q, at_top=True)
    ctx.session.add(q)
    return {**summary(q), "from_mic": mic}


# --- the microphones -------------------------------------------------------------------


def occupied(ctx: Ctx) -> dict[int, Question]:
    return {q.mic: q for q in questions(ctx, *AT_MIC) if q.mic is not None}


def go_on_deck(ctx: Ctx, q: Question, mic: int) -> None:
    holder = occupied(ctx).get(mic)
    if holder is not None:
        raise CommandError("mic_busy", f"Micro {mic} đang có câu {holder.number}.", 409)
    q.status = "on_deck"
    q.mic = mic
    q.on_deck_at = ctx.now
    ctx.session.add(q)


def go_live(ctx: Ctx, q: Question) -> None:
    speaking = [x for x in questions(ctx, "live") if x.id != q.id]
    if len(speaking) >= ctx.conf.max_live:
        names = ", ".join(f"micro {x.mic}" for x in speaking)
        raise CommandError("someone_live", f"Đang có đại biểu phát biểu ở {names}.", 409)
    q.status = "live"
    q.live_at = ctx.now
    q.timer = Timer.fresh(ctx.conf.speak_seconds, ctx.now)
    ctx.session.add(q)


def close(ctx: Ctx, q: Question, outcome: str) -> None:
    q.status = outcome
    q.mic = None
    q.timer = q.timer.pause(ctx.now)
    q.closed_at = ctx.now
    ctx.session.add(q)


@command(
    "question.assign",
    "Đưa câu hỏi `id` tới micro `mic` (người chạy micro tới chỗ đại biểu).",
)
def question_assign(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "queued")
    go_on_deck(ctx, q, int_arg(ctx.args, "mic", 1, ctx.conf.mic_count))
    return summary(q)


@command("question.live", "Câu hỏi `id` đang chờ ở micro: đại biểu bắt đầu phát biểu.")
def question_live(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "on_deck")
    go_live(ctx, q)
    return summary(q)


@command("question.answer", "Chuyển sang phần trả lời của câu `id` (tuỳ chọn `agency`).")
def question_answer(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "live", "on_deck")
    if "agency" in ctx.args:
        q.agency = text_arg(ctx.args, "agency", MAX_NAME)
    q.status = "answering"
    q.answering_at = ctx.now
    q.timer = Timer.fresh(ctx.conf.answer_seconds, ctx.now)
    ctx.session.add(q)
    return summary(q)


@command("question.close", "Kết thúc câu `id`: `outcome` = answered, in_writing hoặc withdrawn.")
def question_close(ctx: Ctx) -> dict[str, Any]:
    outcome = ctx.args.get("outcome")
    if outcome not in ("answered", "in_writing", "withdrawn"):
        raise CommandError("bad_args", "«outcome» phải là answered, in_writing hoặc withdrawn.")
    q = get_question(ctx, "pending", "queued", *AT_MIC)
    mic = q.mic
    close(ctx, q, outcome)
    return {**summary(q), "from_mic": mic}


@command(
    "question.timer",
    "Đồng hồ của câu `id`: `action` = pause, resume hoặc adjust (`seconds`).",
)
def question_timer(ctx: Ctx) -> dict[str, Any]:
    q = get_question(ctx, "live", "answering")
    action = ctx.args.get("action")
    if action == "pause":
        q.timer = q.timer.pause(ctx.now)
    elif action == "resume":
        q.timer = q.timer.resume(ctx.now)
    elif action == "adjust":
        q.timer = q.timer.adjust(
            int_arg(ctx.args, "seconds", -QUESTION_ADJUST_SECONDS, QUESTION_ADJUST_SECONDS)
        )
    else:
        raise CommandError("bad_args", "«action» phải là pause, resume hoặc adjust.")
    ctx.session.add(q)
    return {**summary(q), "action": action, "remaining": round(q.timer.remaining(ctx.now), 1)}


@command(
    "floor.next",
    "Việc thường làm: câu đang chờ ở micro được phát biểu; câu đầu hàng đợi tới micro trống.",
)
def floor_next(ctx: Ctx) -> dict[str, Any]:
    done: dict[str, Any] = {}
    live_now = questions(ctx, "live")
    waiting = sorted(questions(ctx, "on_deck"), key=lambda q: q.on_deck_at or 0)
    if waiting and len(live_now) < ctx.conf.max_live:
        go_live(ctx, waiting[0])
        done["live"] = summary(waiting[0])
    taken = occupied(ctx)
    free = [m for m in range(1, ctx.conf.mic_count + 1) if m not in taken]
    queue = questions(ctx, "queued")
    if free and queue:
        go_on_deck(ctx, queue[0], free[0])
        done["on_deck"] = summary(queue[0])
    if not done:
        if not queue and not waiting:
            raise CommandError(
                "nothing_next", "Hàng đợi trống, không có câu hỏi nào đang chờ.", 409
            )
        if not free:
            raise CommandError("no_free_mic", "Các micro đều đang bận.", 409)
        raise CommandError(
            "someone_live", "Đang có đại biểu phát biểu: kết thúc hoặc chuyển trả lời trước.", 409
        )
    return done


@command(
    "floor.settings",
    "Số micro `mic_count` (1–8), `max_live`, `speak_seconds`, `answer_seconds`.",
)
def floor_settings(ctx: Ctx) -> dict[str, Any]:
    conf = ctx.conf
    if "mic_count" in ctx.args:
        count = int_arg(ctx.args, "mic_count", 1, 8)
        busy = [m for m in occupied(ctx) if m > count]
        if busy:
            raise CommandError("mic_busy", f"Micro {busy[0]} đang có câu hỏi.", 409)
        conf.mic_count = count
    if "max_live" in ctx.args:
        max_live = int_arg(ctx.args, "max_live", 1, 8)
        speaking = len(questions(ctx, "live"))
        if max_live < speaking:
            raise CommandError("someone_live", f"Đang có {speaking} đại biểu cùng phát biểu.", 409)
        conf.max_live = max_live
    if "speak_seconds" in ctx.args:
        conf.speak_seconds = int_arg(ctx.args, "speak_seconds", 15, 3600)
    if "answer_seconds" in ctx.args:
        conf.answer_seconds = int_arg(ctx.args, "answer_seconds", 15, 3600)
    return {
        "mic_count": conf.mic_count,
        "max_live": conf.max_live,
        "speak_seconds": conf.speak_seconds,
        "answer_seconds": conf.answer_seconds,
    }


# --- private messages to the MC --------------------------------------------------------


@command("mc.message", "Gửi tin riêng cho MC (`text`); mỗi lần một tin, MC xoá sau khi đọc.")
def mc_message(ctx: Ctx) -> dict[str, Any]:
    text = text_arg(ctx.args, "text", 500, required=True)
    if ctx.conf.mc_message:
        raise CommandError("message_waiting", "MC chưa xoá tin nhắn trước.", 409)
    ctx.conf.mc_message = text
    ctx.conf.mc_message_from = ctx.role
    return {"text": text}


@command("mc.message_clear", "MC xoá tin nhắn đã đọc.")
def mc_message_clear(ctx: Ctx) -> dict[str, Any]:
    text, ctx.conf.mc_message = ctx.conf.mc_message, ""
    return {"text": text}


# --- written questions imported from the units' lists -----------------------------------


@command(
    "question.import",
    "Nhập danh sách câu hỏi gửi trước (`rows`: tối đa 2000), tất cả hoặc không gì.",
)
def question_import(ctx: Ctx) -> dict[str, Any]:
    def add(row: dict[str, Any]) -> Question:
        row_ctx = Ctx(ctx.session, ctx.conf, row, ctx.now, ctx.role, ctx.memo)
        return new_question(row_ctx, "written", "queued")

    numbers = [q.number for q in import_rows(ctx, MAX_IMPORT, "câu hỏi", add)]
    return {"count": len(numbers), "first": numbers[0], "last": numbers[-1]}
