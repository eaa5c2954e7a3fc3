"""The audit log (every command with its role, time and what it changed, filterable and
exportable) and the projector's frames, from which the day is replayed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from live.access import ROLE_LABELS
from live.commands import COMMANDS
from live.minutes import save, table_csv, table_workbook
from live.models import Conference, Event, ProjectorFrame

PAGE_SIZE = 200
COLUMNS = [("Số", 8), ("Thời gian", 20), ("Vai trò", 24), ("Lệnh", 22), ("Nội dung", 90)]


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show: by role, by command (a name, or a family such as "delegate."),
    and by words in what changed."""

    role: str = ""
    command: str = ""
    text: str = ""

    @classmethod
    def of(cls, params: Any) -> AuditFilter:
        return cls(
            str(params.get("role", ""))[:20],
            str(params.get("command", ""))[:40],
            str(params.get("q", ""))[:100].strip(),
        )

    def query(self, conference_id: int) -> Any:
        query = select(Event).where(Event.conference_id == conference_id)
        if self.role:
            query = query.where(Event.actor_role == self.role)
        if self.command.endswith("."):
            query = query.where(col(Event.type).startswith(self.command))
        elif self.command:
            query = query.where(Event.type == self.command)
        if self.text:
            query = query.where(col(Event.payload).contains(self.text))
        return query


@dataclass(frozen=True)
class AuditPage:
    conference: Conference
    events: list[Event]
    total: int  # matching the filter
    families: list[str]  # "delegate.", "question.", … for the filter menu


def load_events(
    engine: Engine, slug: str, f: AuditFilter, offset: int = 0, limit: int | None = PAGE_SIZE
) -> AuditPage | None:
    """Matching events, the newest first."""
    with Session(engine) as s:
        conf = s.exec(select(Conference).where(Conference.slug == slug)).first()
        if conf is None or conf.id is None:
            return None
        query = f.query(conf.id)
        total = s.exec(select(func.count()).select_from(query.subquery())).one()
        page = query.order_by(col(Event.seq).desc()).offset(offset)
        events = list(s.exec(page.limit(limit) if limit else page))
        types = s.exec(select(Event.type).where(Event.conference_id == conf.id).distinct())
        families = sorted({t.split(".")[0] + "." for t in types})
        s.expunge_all()
        return AuditPage(conf, events, total, families)


def change_text(event: Event) -> str:
    """What a command changed, as its logged result reads: "from: 2, to: 3"."""
    try:
        payload = json.loads(event.payload)
    except ValueError:
        return event.payload
    if not isinstance(payload, dict):
        return str(payload)
    return ", ".join(
        f"{k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v}"
        for k, v in payload.items()
    )


def command_summary(name: str) -> str:
    cmd = COMMANDS.get(name)
    return cmd.summary if cmd else ""


def local_time(event: Event) -> str:
    return event.created_at.astimezone().strftime("%d/%m/%Y %H:%M:%S")


def rows(events: list[Event]) -> list[list[Any]]:
    return [
        [
            e.seq,
            local_time(e),
            ROLE_LABELS.get(e.actor_role, e.actor_role),
            e.type,
            change_text(e),
        ]
        for e in events
    ]


def audit_xlsx(page: AuditPage) -> bytes:
    return save(table_workbook("Nhật ký", COLUMNS, rows(page.events)))


def audit_csv(page: AuditPage) -> bytes:
    return table_csv(COLUMNS, rows(page.events))


# --- the projector's frames -------------------------------------------------------------


def record_frame(engine: Engine, slug: str, seq: int, regions: dict[str, str]) -> bool:
    """Keep what the projector shows from `seq` on, if it differs from the last frame kept."""
    kept = json.dumps(regions, ensure_ascii=False, sort_keys=True)
    with Session(engine) as s:
        conference_id = s.exec(select(Conference.id).where(Conference.slug == slug)).first()
        if conference_id is None:
            return False
        last = s.exec(
            select(ProjectorFrame)
            .where(ProjectorFrame.conference_id == conference_id)
            .order_by(col(ProjectorFrame.seq).desc())
            .limit(1)
        ).first()
        if last is not None and (last.regions == kept or last.seq >= seq):
            return False
        s.add(ProjectorFrame(conference_id=conference_id, seq=seq, at=time.time(), regions=kept))
        s.commit()
        return True


def frames(engine: Engine, conference_id: int) -> list[dict[str, Any]]:
    """Every frame with the command that led to it, oldest first."""
    with Session(engine) as s:
        kept = s.exec(
            select(ProjectorFrame)
            .where(ProjectorFrame.conference_id == conference_id)
            .order_by(col(ProjectorFrame.seq))
        ).all()
        seqs = [f.seq for f in kept]
        types = dict(
            s.exec(
                select(Event.seq, Event.type).where(
                    Event.conference_id == conference_id, col(Event.seq).in_(seqs)
                )
            ).all()
        )
    return [
        {"seq": f.seq, "at": f.at, "type": types.get(f.seq, ""), "regions": json.loads(f.regions)}
        for f in kept
    ]
