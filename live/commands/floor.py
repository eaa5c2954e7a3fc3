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
from typing import Annotated, Any, ClassVar, Literal

import sqlalchemy as sa
from pydantic import Field
from sqlmodel import Session, col, select

from live.commands import (
    CommandError,
    Ctx,
    command,
    import_rows,
    list_names,
    on_list,
    own_row,
)
from live.commands.args import (
    Args,
    Id,
    NoArgs,
    Text,
    fields_of,
    one_of,
    over_kept,
    partial,
    rows_of,
    within,
)
from live.effects import ALL, Effects
from live.imports import closest_words, listed, words
from live.models import AT_MIC, QUESTION_SOURCES, QUESTION_STATUSES, Question, QuestionAsker
from live.timer import Timer

QUESTION_ADJUST_SECONDS = 600
MAX_TEXT = 4000
MAX_PHONE_TEXT = 2000  # what a delegate types on a phone: the public form's limit
MAX_NAME = 200
MAX_IMPORT = 2000
MAX_MICS = 8
MAX_LIVE = 8
MIN_SECONDS, MAX_SECONDS = 15, 3600  # a speaking or answering time


class QuestionFields(Args):
    """A question as the moderators write it (question.add, an imported row, an edit whole)."""

    noun: ClassVar[str] = "câu hỏi"  # a row of an import, in messages

    asker_name: Text = Field("", max_length=MAX_NAME, title="Họ tên người hỏi")
    asker_position: Text = Field("", max_length=MAX_NAME, title="Chức vụ")
    # Free text by design (a unit not on the list may ask), spelled as the list when it matches.
    asker_unit: Text = Field(
        "", max_length=MAX_NAME, title="Đơn vị", description="spelled as the unit list if on it"
    )
    field: Text = Field(
        "", max_length=MAX_NAME, title="Lĩnh vực", description="from the field list"
    )
    agency: Text = Field(
        "", max_length=MAX_NAME, title="Cơ quan trả lời", description="from the agency list"
    )
    text: Text = Field(min_length=1, max_length=MAX_TEXT, title="Nội dung câu hỏi")


class QuestionAdd(QuestionFields):
    source: Annotated[str, one_of(tuple(QUESTION_SOURCES))] = "floor"


class QuestionSubmit(Args):
    """What a delegate sends from the public form /e/{slug}/ask."""

    asker_name: Text = Field(min_length=1, max_length=MAX_NAME, title="Họ tên")
    asker_unit: Text = Field(min_length=1, max_length=MAX_NAME, title="Đơn vị")
    asker_position: Text = Field("", max_length=MAX_NAME, title="Chức vụ")
    text: Text = Field(min_length=1, max_length=MAX_PHONE_TEXT, title="Câu hỏi")


class QuestionId(Args):
    id: Id


# Any of the fields; what is sent over what is kept is checked as a whole question.
QuestionEdit = partial(QuestionFields, QuestionId, "QuestionEdit")


class QuestionMerge(QuestionId):
    into: Id | None = None  # a question's id…
    into_number: Id | None = None  # …or the number people see ("Câu 12")


class QuestionInternal(QuestionId):
    internal: bool


class QuestionMove(QuestionId):
    to: Literal["up", "down", "top"]


class QuestionAssign(QuestionId):
    mic: int = Field(ge=1, le=MAX_MICS)  # up to the floor's mic count: checked as it runs


class QuestionAnswer(QuestionId):
    agency: Text | None = Field(None, max_length=MAX_NAME, description="from the agency list")


class QuestionClose(QuestionId):
    outcome: Literal["answered", "in_writing", "withdrawn"]


class QuestionTimer(QuestionId):
    action: Literal["pause", "resume", "adjust"]
    seconds: int | None = Field(None, ge=-QUESTION_ADJUST_SECONDS, le=QUESTION_ADJUST_SECONDS)


class FloorNext(Args):
    """What the console showed when «Tiếp» was pressed (0: nothing): refused if the floor
    has moved on since. Without them, floor.next acts on the floor as it is."""

    queue_head: int | None = Field(None, ge=0, description="id of the first queued question")
    deck_head: int | None = Field(
        None, ge=0, description="id of the first question waiting at a microphone"
    )


class FloorSettings(Args):
    mic_count: int | None = Field(None, ge=1, le=MAX_MICS)
    max_live: int | None = Field(None, ge=1, le=MAX_LIVE)
    speak_seconds: int | None = Field(None, ge=MIN_SECONDS, le=MAX_SECONDS)
    answer_seconds: int | None = Field(None, ge=MIN_SECONDS, le=MAX_SECONDS)


class McMessage(Args):
    text: Text = Field(min_length=1, max_length=500, title="Tin nhắn")


def questions(ctx: Ctx, *statuses: str) -> list[Question]:
    query = select(Question).where(Question.conference_id == ctx.conf.id)
    if statuses:
        query = query.where(Question.status.in_(statuses))  # type: ignore[attr-defined]
    return list(ctx.session.exec(query.order_by(Question.queue_rank, Question.number)))  # type: ignore[arg-type]


def get_question(ctx: Ctx, qid: int, *allowed: str) -> Question:
    """Question `qid` of this conference, refused unless its status is one of `allowed`."""
    q = own_row(ctx, Question, qid, "câu hỏi")
    if allowed and q.status not in allowed:
        raise CommandError(
            "wrong_state",
            f"Câu {q.number} đang ở trạng thái «{status_name(q)}», không làm được việc này.",
            409,
        )
    return q


def status_name(q: Question) -> str:
    return QUESTION_STATUSES.get(q.status, q.status)


def listed_fields(ctx: Ctx, fields: dict[str, str]) -> dict[str, str]:
    """`fields` with the field and the agency spelled as the conference's lists (refused when
    not on them) and the asker's unit as the unit list spells it, when it is on it."""
    out = dict(fields)
    if out.get("field"):
        out["field"] = on_list(ctx, "field", "field", out["field"], "Lĩnh vực")
    if out.get("agency"):
        out["agency"] = on_list(ctx, "agency", "agency", out["agency"], "Cơ quan trả lời")
    if out.get("asker_unit"):
        spelling, _ = listed(out["asker_unit"], list_names(ctx, "unit"))
        out["asker_unit"] = spelling or out["asker_unit"]
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


def new_question(ctx: Ctx, fields: dict[str, str], source: str, status: str) -> Question:
    """A question of `fields` (checked: a model's dump), numbered next."""
    assert ctx.conf.id is not None
    q = Question(
        conference_id=ctx.conf.id,
        number=next_number(ctx),
        source=source,
        created_at=ctx.now,
        text="",
    )
    for key, value in listed_fields(ctx, fields).items():
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


@command("question.add", "Thêm câu hỏi (mặc định từ hội trường) vào cuối hàng đợi.", QuestionAdd)
def question_add(ctx: Ctx, args: QuestionAdd) -> dict[str, Any]:
    """a question straight into the end of the queue"""
    fields = args.model_dump(include=set(QuestionFields.model_fields))
    return summary(new_question(ctx, fields, args.source, "queued"))


@command(
    "question.submit",
    "Đại biểu gửi câu hỏi qua điện thoại: chờ người điều phối duyệt.",
    QuestionSubmit,
)
def question_submit(ctx: Ctx, args: QuestionSubmit) -> dict[str, Any]:
    """what the public page `/e/{slug}/ask` sends; lands as `pending`"""
    return summary(new_question(ctx, args.model_dump(), "phone", "pending"))


@command(
    "question.edit",
    "Sửa câu hỏi `id` (người hỏi, đơn vị, lĩnh vực, nội dung, cơ quan trả lời).",
    QuestionEdit,
)
def question_edit(ctx: Ctx, args: QuestionId) -> dict[str, Any]:
    """correct a question that is not closed"""
    q = get_question(ctx, args.id, "pending", "queued", *AT_MIC)
    stored = fields_of(q, QuestionFields)
    edited, sent = over_kept(QuestionFields, stored, ctx.args)
    whole = edited.model_dump()
    # Only what changes is checked against the lists: a field since taken off its list
    # stays on the question when the editor sends it back unchanged.
    changes = listed_fields(ctx, {k: whole[k] for k in sent if whole[k] != stored[k]})
    new_text = changes.get("text", q.text) != q.text
    for key, value in changes.items():
        setattr(q, key, value)
    ctx.session.add(q)
    if new_text:  # the editor sends every field: hints are worked out again only for a new text
        note_look_alikes(ctx, q, OpenQuestions.of(ctx), edited=True)
    return {**summary(q), "changed": sorted(changes)}


@command("question.approve", "Duyệt câu hỏi gửi qua điện thoại: đưa vào cuối hàng đợi.", QuestionId)
def question_approve(ctx: Ctx, args: QuestionId) -> dict[str, Any]:
    """a pending phone question joins the end of the queue"""
    q = get_question(ctx, args.id, "pending")
    enqueue(ctx, q)
    ctx.session.add(q)
    return summary(q)


@command(
    "question.reject", "Không duyệt câu hỏi `id` (đang chờ duyệt hoặc trong hàng đợi).", QuestionId
)
def question_reject(ctx: Ctx, args: QuestionId) -> dict[str, Any]:
    """a pending or queued question is not taken"""
    q = get_question(ctx, args.id, "pending", "queued")
    close(ctx, q, "rejected")
    return summary(q)


@command(
    "question.merge",
    "Gộp câu hỏi `id` vào câu `into` (hoặc câu số `into_number`): giữ mọi người hỏi.",
    QuestionMerge,
)
def question_merge(ctx: Ctx, args: QuestionMerge) -> dict[str, Any]:
    """`id` (pending or queued) is merged into the other: all its askers (and their wording)
    are kept on it"""
    q = get_question(ctx, args.id, "pending", "queued")
    into_id = args.into
    if into_id is None:
        if args.into_number is None:
            message = "Thiếu «into» (hoặc «into_number»)."
            raise CommandError(
                "missing", message, 400, [{"field": "into", "code": "missing", "message": message}]
            )
        found = ctx.session.exec(
            select(Question.id).where(
                Question.conference_id == ctx.conf.id, Question.number == args.into_number
            )
        ).first()
        if found is None:
            raise CommandError("not_found", f"Không có câu số {args.into_number}.", 404)
        into_id = found
    into = get_question(ctx, into_id, "pending", "queued", *AT_MIC)
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
    QuestionInternal,
)
def question_internal(ctx: Ctx, args: QuestionInternal) -> dict[str, Any]:
    """internal questions never show on the projector"""
    q = get_question(ctx, args.id)
    q.internal = args.internal
    ctx.session.add(q)
    return {**summary(q), "internal": args.internal}


# --- the queue -------------------------------------------------------------------------


@command("question.move", "Đổi thứ tự trong hàng đợi: `to` = up, down hoặc top.", QuestionMove)
def question_move(ctx: Ctx, args: QuestionMove) -> dict[str, Any]:
    """reorder the queue"""
    q = get_question(ctx, args.id, "queued")
    to = args.to
    queue = questions(ctx, "queued")
    i = next(i for i, x in enumerate(queue) if x.id == q.id)
    if to == "top":
        if i > 0:
            q.queue_rank = queue[0].queue_rank - 1.0
    else:
        j = i - 1 if to == "up" else i + 1
        if 0 <= j < len(queue):
            other = queue[j]
            q.queue_rank, other.queue_rank = other.queue_rank, q.queue_rank
            ctx.session.add(other)
    ctx.session.add(q)
    return {**summary(q), "to": to}


@command("question.requeue", "Đưa câu hỏi đang ở micro về đầu hàng đợi.", QuestionId)
def question_requeue(ctx: Ctx, args: QuestionId) -> dict[str, Any]:
    """a question at a microphone goes back to the top of the queue"""
    q = get_question(ctx, args.id, *AT_MIC)
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
    QuestionAssign,
)
def question_assign(ctx: Ctx, args: QuestionAssign) -> dict[str, Any]:
    """a queued question goes on deck at that microphone. 409 `mic_busy` if the microphone has
    one"""
    q = get_question(ctx, args.id, "queued")
    go_on_deck(ctx, q, within("mic", args.mic, 1, ctx.conf.mic_count))
    return summary(q)


@command("question.live", "Câu hỏi `id` đang chờ ở micro: đại biểu bắt đầu phát biểu.", QuestionId)
def question_live(ctx: Ctx, args: QuestionId) -> dict[str, Any]:
    """the on-deck delegate starts speaking (speaking timer starts). 409 `someone_live` if
    `max_live` delegates already speak"""
    q = get_question(ctx, args.id, "on_deck")
    go_live(ctx, q)
    return summary(q)


@command(
    "question.answer", "Chuyển sang phần trả lời của câu `id` (tuỳ chọn `agency`).", QuestionAnswer
)
def question_answer(ctx: Ctx, args: QuestionAnswer) -> dict[str, Any]:
    """the answer starts (answer timer starts)"""
    q = get_question(ctx, args.id, "live", "on_deck")
    if args.agency is not None and args.agency != q.agency:
        q.agency = on_list(ctx, "agency", "agency", args.agency, "Cơ quan trả lời")
    q.status = "answering"
    q.answering_at = ctx.now
    q.timer = Timer.fresh(ctx.conf.answer_seconds, ctx.now)
    ctx.session.add(q)
    return summary(q)


@command(
    "question.close",
    "Kết thúc câu `id`: `outcome` = answered, in_writing hoặc withdrawn.",
    QuestionClose,
)
def question_close(ctx: Ctx, args: QuestionClose) -> dict[str, Any]:
    """close it; its microphone is free. `in_writing` is the answer's outcome too, unless a
    secretary chose another"""
    q = get_question(ctx, args.id, "pending", "queued", *AT_MIC)
    mic = q.mic
    close(ctx, q, args.outcome)
    if args.outcome == "in_writing":
        # The secretaries' module owns the answer and its versions (imported here, where
        # it is used: this file keeps to the floor's rows otherwise).
        from live.commands.answers import close_in_writing

        close_in_writing(ctx, q)
    return {**summary(q), "from_mic": mic}


class QuestionPage(QuestionId):
    page: int = Field(ge=0, le=99)  # the projector shows page `page` modulo its pages


@command(
    "question.page",
    "Lật trang câu hỏi dài trên màn chiếu: `page` (0 = trang đầu; quá trang cuối thì quay lại).",
    QuestionPage,
)
def question_page(ctx: Ctx, args: QuestionPage) -> dict[str, Any]:
    """the page of a long question the hall sees (the projector fits the text to its space
    down to 3 % of the screen's height, then shows it in pages «1/2»; past the last page it
    starts again)"""
    q = get_question(ctx, args.id, *AT_MIC)
    q.page = args.page
    ctx.session.add(q)
    return {**summary(q), "page": args.page}


REOPENABLE = ("answered", "in_writing", "withdrawn", "rejected")  # not merged: its askers moved


@command(
    "question.reopen",
    "Mở lại câu `id` đã đóng nhầm (đã trả lời, trả lời bằng văn bản, rút, không duyệt): "
    "về đầu hàng đợi.",
    QuestionId,
)
def question_reopen(ctx: Ctx, args: QuestionId) -> dict[str, Any]:
    """a question closed by mistake (answered, in writing, withdrawn or rejected, not merged)
    goes back to the top of the queue; the event log keeps both the close and the reopening"""
    q = get_question(ctx, args.id, *REOPENABLE)
    closed_as = q.status
    q.closed_at = None
    enqueue(ctx, q, at_top=True)
    ctx.session.add(q)
    others = OpenQuestions.of(ctx)
    others.put_final(q)
    return {**summary(q), "was": closed_as}


@command(
    "question.timer",
    "Đồng hồ của câu `id`: `action` = pause, resume hoặc adjust (`seconds`).",
    QuestionTimer,
)
def question_timer(ctx: Ctx, args: QuestionTimer) -> dict[str, Any]:
    """the live/answering question's timer (the console's ±30 s buttons)"""
    action = args.action
    if action == "adjust" and args.seconds is None:
        message = "Thiếu «seconds»."
        raise CommandError(
            "missing", message, 400, [{"field": "seconds", "code": "missing", "message": message}]
        )
    q = get_question(ctx, args.id, "live", "answering")
    if action == "pause":
        q.timer = q.timer.pause(ctx.now)
    elif action == "resume":
        q.timer = q.timer.resume(ctx.now)
    else:
        q.timer = q.timer.adjust(args.seconds or 0)
    ctx.session.add(q)
    return {**summary(q), "action": action, "remaining": round(q.timer.remaining(ctx.now), 1)}


@command(
    "floor.next",
    "Việc thường làm: câu đang chờ ở micro được phát biểu; câu đầu hàng đợi tới micro trống.",
    FloorNext,
)
def floor_next(ctx: Ctx, args: FloorNext) -> dict[str, Any]:
    """the one key (N on the console): the first on-deck question goes live (if nobody is
    speaking), and the first queued question goes on deck at the lowest free microphone.
    409 `nothing_next`, `no_free_mic`, `someone_live` when neither can happen; `moved_on`
    when the console's `queue_head`/`deck_head` are no longer the floor's (two presses at
    once advance the floor once)"""
    done: dict[str, Any] = {}
    live_now = questions(ctx, "live")
    waiting = sorted(questions(ctx, "on_deck"), key=lambda q: q.on_deck_at or 0)
    queue = questions(ctx, "queued")
    for shown, actual in ((args.queue_head, queue), (args.deck_head, waiting)):
        if shown is not None and shown != (actual[0].id if actual else 0):
            raise CommandError(
                "moved_on",
                "Hàng đợi vừa thay đổi (có thể người khác vừa nhấn «Tiếp»): xem lại rồi nhấn lại.",
                409,
            )
    if waiting and len(live_now) < ctx.conf.max_live:
        go_live(ctx, waiting[0])
        done["live"] = summary(waiting[0])
    taken = occupied(ctx)
    free = [m for m in range(1, ctx.conf.mic_count + 1) if m not in taken]
    queue = questions(ctx, "queued")  # again: one of them may have gone live above
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
    FloorSettings,
)
def floor_settings(ctx: Ctx, args: FloorSettings) -> dict[str, Any]:
    """the floor's rules (defaults 4, 1, 180, 300)"""
    conf = ctx.conf
    if args.mic_count is not None:
        busy = [m for m in occupied(ctx) if m > args.mic_count]
        if busy:
            raise CommandError("mic_busy", f"Micro {busy[0]} đang có câu hỏi.", 409)
        conf.mic_count = args.mic_count
    if args.max_live is not None:
        speaking = len(questions(ctx, "live"))
        if args.max_live < speaking:
            raise CommandError("someone_live", f"Đang có {speaking} đại biểu cùng phát biểu.", 409)
        conf.max_live = args.max_live
    if args.speak_seconds is not None:
        conf.speak_seconds = args.speak_seconds
    if args.answer_seconds is not None:
        conf.answer_seconds = args.answer_seconds
    return {
        "mic_count": conf.mic_count,
        "max_live": conf.max_live,
        "speak_seconds": conf.speak_seconds,
        "answer_seconds": conf.answer_seconds,
    }


# --- private messages to the MC --------------------------------------------------------


@command(
    "mc.message", "Gửi tin riêng cho MC (`text`); mỗi lần một tin, MC xoá sau khi đọc.", McMessage
)
def mc_message(ctx: Ctx, args: McMessage) -> dict[str, Any]:
    """a private note on the MC screen, never on the projector; one at a time (409
    `message_waiting`)"""
    text = args.text
    if ctx.conf.mc_message:
        raise CommandError("message_waiting", "MC chưa xoá tin nhắn trước.", 409)
    ctx.conf.mc_message = text
    ctx.conf.mc_message_from = ctx.role
    return {"text": text}


@command("mc.message_clear", "MC xoá tin nhắn đã đọc.", NoArgs)
def mc_message_clear(ctx: Ctx, _: NoArgs) -> dict[str, Any]:
    """the MC has read it (or the moderator withdraws it)"""
    text, ctx.conf.mc_message = ctx.conf.mc_message, ""
    return {"text": text}


# --- written questions imported from the units' lists -----------------------------------


@command(
    "question.import",
    "Nhập danh sách câu hỏi gửi trước (`rows`: tối đa 2000), tất cả hoặc không gì.",
    rows_of(QuestionFields, MAX_IMPORT),
)
def question_import(ctx: Ctx, args: Any) -> dict[str, Any]:  # args.rows: list[QuestionFields]
    """the written questions of a unit's list, all queued, all or none (see the import endpoint
    below)"""

    def add(row: QuestionFields) -> Question:
        return new_question(ctx, row.model_dump(), "written", "queued")

    numbers = [q.number for q in import_rows(args.rows, MAX_IMPORT, QuestionFields.noun, add)]
    return {"count": len(numbers), "first": numbers[0], "last": numbers[-1]}
