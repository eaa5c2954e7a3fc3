"""Every state change of a conference is a command: `agenda` (the programme, timer,
projector, video) and `floor` (questions and microphones) register theirs here.

A command is validated and applied in one transaction that also appends its event (with
the conference's next seq); nothing is pushed to a screen before that commit. The same
commands serve the screens' buttons (over the websocket) and the HTTP API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from live import access
from live.bus import Commit, notify
from live.commands.args import Args, parse
from live.commands.refusal import CommandError
from live.effects import Effects, collecting
from live.imports import listed
from live.models import AgendaStep, Conference, Event, ListItem


@dataclass
class Ctx:
    """What a command handler works with: the open transaction and the locked conference."""

    session: Session
    conf: Conference
    args: dict[str, Any]
    now: float
    role: str
    # What commands keep between them (CommandMemo.values): read, never trusted after a
    # failure; see CommandMemo.
    memo: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def steps(self) -> list[AgendaStep]:
        return list(
            self.session.exec(
                select(AgendaStep)
                .where(AgendaStep.conference_id == self.conf.id)
                .order_by(AgendaStep.position)  # type: ignore[arg-type]
            )
        )


@dataclass(frozen=True)
class Result:
    """What a command returns when its caller is told more than the event log keeps: the
    `answer` (to the screen or API client that sent it) and the `audit` (the event's
    payload, which more people may read). A command that returns a plain dict gives both
    the same."""

    answer: dict[str, Any]
    audit: dict[str, Any]


Handler = Callable[..., "dict[str, Any] | Result"]  # (ctx, the args)


@dataclass(frozen=True)
class Command:
    name: str
    roles: frozenset[str]
    summary: str  # one line, Vietnamese, shown in docs and refusals
    handler: Handler
    args: type[Args] | None = None  # what it accepts (live.commands.args)

    def parse(self, raw: dict[str, Any]) -> Args | None:
        """The arguments as the command's model, or the refusal naming each wrong field."""
        return None if self.args is None else parse(self.args, raw)


COMMANDS: dict[str, Command] = {}


def command(
    name: str, summary: str, args: type[Args] | None = None
) -> Callable[[Handler], Handler]:
    """Register a command; who may send it is live.access.COMMANDS[name]. With `args` (a
    live.commands.args model) the arguments are checked before it runs and it is called
    with them: handler(ctx, args)."""

    def register(handler: Handler) -> Handler:
        if name not in access.COMMANDS:
            raise LookupError(f"command {name!r} has no line in live.access.COMMANDS")
        roles = frozenset(access.COMMANDS[name])
        COMMANDS[name] = Command(name, roles, summary, handler, args)
        return handler

    return register


@dataclass(frozen=True)
class Outcome:
    """A committed command: its seq, its answer to the caller, what the event log kept of it
    (`audit`, the event's payload) and what it changed (`effects`, for the screens)."""

    seq: int
    answer: dict[str, Any]
    audit: dict[str, Any]
    effects: Effects = field(default_factory=Effects)


class Kept(Protocol):
    """A value worked out from many rows, kept between commands: told of each command that
    succeeded, it catches up from what that command changed, or says it cannot (False)."""

    def catch_up(self, session: Session, effects: Effects) -> bool: ...


@dataclass
class CommandMemo:
    """What the commands of one conference keep between them in this process (the open
    questions' words, for look-alike hints): read once, then caught up after each command
    from its effects, instead of read again by every command. Valid at `seq`: when another
    process has written since (its seq moved on), when a command failed midway (what it
    kept may hold rows it rolled back) or when a commit failed, it is forgotten and read
    again."""

    seq: int | None = None
    values: dict[str, Kept] = field(default_factory=dict)

    def forget(self) -> None:
        self.seq = None
        self.values.clear()


@dataclass(frozen=True)
class Request:
    """One command as a screen, a phone or the API sends it."""

    role: str
    name: Any
    args: Any = None


def execute(
    engine: Engine,
    slug: str,
    role: str,
    name: str,
    args: Any = None,
    now: float | None = None,
) -> Outcome:
    """Check, apply and log one command in one transaction; return the new seq."""
    (result,) = execute_batch(engine, slug, [Request(role, name, args)], now)
    if isinstance(result, Exception):
        raise result
    return result


def execute_batch(
    engine: Engine,
    slug: str,
    requests: Sequence[Request],
    now: float | None = None,
    memo: CommandMemo | None = None,
) -> list[Outcome | Exception]:
    """Apply commands one after another in one transaction: each command in a savepoint of
    its own (a refused one leaves no trace and the others stand), each with its own seq and
    event, and one commit (one wait for the disk) for all of them. A result per request:
    its outcome, or the CommandError (or unexpected exception) that refused it. `memo`:
    what the conference's commands keep between batches (CommandMemo)."""
    memo = CommandMemo() if memo is None else memo
    results: list[Outcome | Exception | None] = [None] * len(requests)
    checked: list[tuple[int, Checked]] = []
    for i, request in enumerate(requests):
        try:
            checked.append((i, _check(request)))
        except CommandError as e:  # refused before any transaction
            results[i] = e
    if checked:
        _write(engine, slug, checked, results, now, memo)
    done = [r for r in results if r is not None]
    assert len(done) == len(requests)  # each has its result by now
    return done


def _write(
    engine: Engine,
    slug: str,
    checked: list[tuple[int, Checked]],
    results: list[Outcome | Exception | None],
    now: float | None,
    memo: CommandMemo,
) -> None:
    with Session(engine) as s:
        # Take the conference's write lock first (SQLite's write lock, a row lock on
        # PostgreSQL): the commands of one conference run strictly one after another,
        # whichever process or thread sends them. This first statement is also what opens
        # the transaction on SQLite (pysqlite begins one before its first write), so the
        # savepoints below are inside it.
        taken = s.exec(  # type: ignore[call-overload]
            sa.update(Conference).where(Conference.slug == slug).values(seq=Conference.seq)  # type: ignore[arg-type]
        )
        if taken.rowcount != 1:
            for i, _ in checked:
                results[i] = CommandError("not_found", "Không tìm thấy hội nghị.", 404)
            return
        conf = s.exec(select(Conference).where(Conference.slug == slug)).one()
        for i, request in checked:
            try:
                with s.begin_nested():
                    outcome = _apply(s, conf, request, now, memo)
            except Exception as e:  # rolled back to the savepoint: as if it never came
                results[i] = e
                memo.forget()
                continue
            results[i] = outcome
            memo.values = {
                key: kept for key, kept in memo.values.items() if kept.catch_up(s, outcome.effects)
            }
            memo.seq = outcome.seq
        # Every worker hears of the commits when (and only if) this transaction commits.
        for i, _ in checked:
            result = results[i]
            if isinstance(result, Outcome):
                notify(s, Commit(slug, result.seq, result.effects))
        try:
            s.commit()
        except BaseException:
            memo.forget()
            raise


@dataclass(frozen=True)
class Checked:
    """A request that passed what can be checked without reading: its command, role and
    arguments (also as the command's model, when it has one)."""

    cmd: Command
    role: str
    args: dict[str, Any]
    parsed: Args | None


def _check(request: Request) -> Checked:
    """What can be refused without reading anything: the command, the role, the arguments."""
    name, role, args = request.name, request.role, request.args
    cmd = COMMANDS.get(name) if isinstance(name, str) else None
    if cmd is None:
        raise CommandError("unknown_command", f"Không có lệnh «{str(name)[:60]}».", 404)
    if role not in cmd.roles:
        raise CommandError("forbidden", f"Vai trò này không được dùng lệnh «{name}».", 403)
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise CommandError("bad_args", "Tham số của lệnh phải là một đối tượng JSON.")
    return Checked(cmd, role, args, cmd.parse(args))


def _apply(
    s: Session, conf: Conference, request: Checked, now: float | None, memo: CommandMemo
) -> Outcome:
    cmd, role = request.cmd, request.role
    now = time.time() if now is None else now
    # Written with the command's own changes; a rollback to its savepoint expires `conf`,
    # so the next command reads the seq (and everything else) as it was.
    conf.seq += 1
    if memo.seq != conf.seq - 1:  # a command of another process came in between
        memo.forget()
    with collecting(s) as touched:
        ctx = Ctx(s, conf, request.args, now, role, memo.values)
        parsed = request.parsed
        returned = cmd.handler(ctx) if parsed is None else cmd.handler(ctx, parsed)
        result = returned if isinstance(returned, Result) else Result(returned, returned)
        assert conf.id is not None
        s.add(conf)
        s.flush()
    effects = Effects(frozenset(touched))
    s.add(
        Event(
            conference_id=conf.id,
            seq=conf.seq,
            type=cmd.name,
            payload=json.dumps(result.audit, ensure_ascii=False),
            actor_role=role,
            effects=json.dumps(effects.as_json(), ensure_ascii=False),
        )
    )
    s.flush()
    return Outcome(conf.seq, result.answer, result.audit, effects)


def parse_json(data: str | bytes) -> Any:
    """JSON sent by a client, or ValueError: also for nesting too deep for the parser, and
    for lone surrogates ("\\ud800"), which no reply, database or export can encode."""
    try:
        value = json.loads(data)
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (RecursionError, UnicodeEncodeError) as e:
        raise ValueError(str(e)) from None
    return value


T = TypeVar("T")


R = TypeVar("R", bound=Args)


def import_rows(rows: Sequence[R], room: int, noun: str, add: Callable[[R], T]) -> list[T]:
    """Apply `add` to each of `rows` (checked by the import's model: args.rows_of), all or
    none: a row refused as it is added refuses the whole list, naming which one, and the
    transaction rolls back. `room`: how many more the conference may hold."""
    if len(rows) > room:
        message = f"«rows» phải là danh sách 1…{max(room, 1)} {noun}."
        raise CommandError(
            "bad_args", message, 400, [{"field": "rows", "code": "bad_args", "message": message}]
        )
    added = []
    for i, row in enumerate(rows, start=1):
        try:
            added.append(add(row))
        except CommandError as e:
            fields = [{**f, "field": f"rows[{i}].{f['field']}"} for f in e.fields]
            raise CommandError(e.code, f"Dòng {i} ({noun}): {e.message}", e.status, fields) from e
    return added


M = TypeVar("M", bound=SQLModel)


def own_row(ctx: Ctx, model: type[M], row_id: int, what: str) -> M:
    """The row `row_id` of this conference, or 404 «Không có `what` mã …» (another
    conference's row is not found either)."""
    row = ctx.session.get(model, row_id)
    if row is None or getattr(row, "conference_id", None) != ctx.conf.id:
        raise CommandError("not_found", f"Không có {what} mã {row_id}.", 404)
    return row


def list_names(ctx: Ctx, kind: str) -> list[str]:
    """The names of one of the conference's lists (ListItem kinds: field, agency, unit, group)."""
    return list(
        ctx.session.exec(
            select(ListItem.name).where(
                ListItem.conference_id == ctx.conf.id, ListItem.kind == kind
            )
        )
    )


def on_list(ctx: Ctx, kind: str, field: str, value: str, what: str) -> str:
    """`value` as the conference's `kind` list spells it ("" stays ""), or the refusal naming
    `field`: «`what` «x» không có trong danh sách» with the closest item."""
    if not value:
        return value
    spelling, closest = listed(value, list_names(ctx, kind))
    if spelling is not None:
        return spelling
    hint = f" Có phải «{closest}»?" if closest else ""
    message = f"{what} «{value}» không có trong danh sách.{hint}"
    raise CommandError(
        "bad_args", message, 400, [{"field": field, "code": "bad_args", "message": message}]
    )


def update(ctx: Ctx, row: Any, fields: dict[str, Any]) -> None:
    """Set the checked `fields` on `row` (an edit command's partial change)."""
    for key, value in fields.items():
        setattr(row, key, value)
    ctx.session.add(row)


def store_order(ctx: Ctx, items: Sequence[Any]) -> None:
    """Number `items` 1, 2, … in this order (their `position`)."""
    for i, item in enumerate(items, start=1):
        item.position = i
        ctx.session.add(item)


# Registers the commands of each module (they import the decorator above).
from live.commands import agenda, answers, floor, gifts, keys, people, setup  # noqa: E402, F401
