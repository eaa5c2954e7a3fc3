"""One rendering path: the Jinja2 templates in screens/ draw both the first page load and
every live update. A screen is a set of named regions; a push carries the regions whose
HTML changed, rendered once per screen kind."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from live.models import (
    PROJECTOR_MODE_NAMES,
    ROLE_NAMES,
    STEP_KIND_NAMES,
    AgendaStep,
    Conference,
)
from live.settings import SCREENS_DIR, STATIC_DIR
from live.timer import WARNING_SECONDS, format_clock, phase

# Screen kind -> its regions, in page order. Each region is screens/regions/<name>.html,
# drawn inside <div id="<name>"> on the page; the browser swaps that element's content.
SCREENS: dict[str, tuple[str, ...]] = {
    "mc": ("mc-bar", "mc-current", "mc-timer", "mc-next", "mc-projector", "mc-agenda"),
    "projector": ("projector-stage", "projector-timer", "projector-media"),
}
SCREEN_NAMES = {"mc": "MC", "projector": "Màn chiếu"}
UPLOAD_PREFIX = "uploads/"


@dataclass
class View:
    """What every screen of one conference shows, read in one transaction."""

    conference: Conference
    steps: list[AgendaStep]
    media_dir: Path
    now: float = field(default_factory=time.time)

    @property
    def seq(self) -> int:
        return self.conference.seq

    @property
    def epoch(self) -> str:
        return self.conference.epoch

    @property
    def current(self) -> AgendaStep | None:
        pos = self.conference.current_position
        return self.steps[pos - 1] if 0 < pos <= len(self.steps) else None

    @property
    def next_step(self) -> AgendaStep | None:
        pos = self.conference.current_position
        return self.steps[pos] if pos < len(self.steps) else None

    def media_url(self, step: AgendaStep | None) -> str | None:
        """The URL of a step's video, or None when the file is not there."""
        if step is None or not step.media:
            return None
        if step.media.startswith(UPLOAD_PREFIX):
            name = step.media[len(UPLOAD_PREFIX) :]
            path, url = self.media_dir / name, f"/uploads/{name}"
        else:
            path, url = STATIC_DIR / step.media, f"/static/{step.media}"
        try:
            inside = path.resolve().is_relative_to(path.parent.resolve())
        except OSError:
            return None
        return url if inside and path.is_file() else None

    def timer(self) -> dict[str, Any]:
        """The step timer as the templates need it (data-* for the browser to tick).

        The text is the time left when the current run began, not "now": a render must
        depend on the state alone, or every push would differ. The browser ticks it.
        """
        t = self.conference.timer
        remaining = t.duration - t.elapsed
        return {
            "duration": t.duration,
            "elapsed": round(t.elapsed, 3),
            "started_at": t.started_at if t.started_at is not None else "",
            "warning": WARNING_SECONDS,
            "text": format_clock(remaining),
            "phase": phase(remaining),
            "running": t.running,
        }


def load_view(engine: Engine, slug: str, media_dir: Path) -> View | None:
    with Session(engine) as s:
        conf = s.exec(select(Conference).where(Conference.slug == slug)).first()
        if conf is None:
            return None
        steps = list(
            s.exec(
                select(AgendaStep)
                .where(AgendaStep.conference_id == conf.id)
                .order_by(AgendaStep.position)  # type: ignore[arg-type]
            )
        )
        s.expunge_all()
        return View(conf, steps, media_dir)


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(SCREENS_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        ROLE_NAMES=ROLE_NAMES,
        STEP_KIND_NAMES=STEP_KIND_NAMES,
        PROJECTOR_MODE_NAMES=PROJECTOR_MODE_NAMES,
        SCREEN_NAMES=SCREEN_NAMES,
    )
    env.filters.update(clock=format_clock, vn_date=vn_date)
    return env


def vn_date(iso: str) -> str:
    """ "2024-07-05" -> "ngày 05 tháng 7 năm 2024", the way an official text writes it."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    # Nghị định 30/2020: a leading zero on days below 10 and on months 1 and 2.
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


class Renderer:
    def __init__(self, env: Environment) -> None:
        self.env = env

    def context(self, kind: str, view: View, presence: dict[str, int]) -> dict[str, Any]:
        return {
            "kind": kind,
            "view": view,
            "c": view.conference,
            "steps": view.steps,
            "current": view.current,
            "next_step": view.next_step,
            "timer": view.timer(),
            "presence": presence,
            "screens_connected": sum(presence.values()),
        }

    def regions(self, kind: str, view: View, presence: dict[str, int]) -> dict[str, str]:
        ctx = self.context(kind, view, presence)
        return {
            name: self.env.get_template(f"regions/{name}.html").render(ctx)
            for name in SCREENS[kind]
        }

    def page(self, kind: str, view: View, presence: dict[str, int], **extra: Any) -> str:
        ctx = self.context(kind, view, presence)
        ctx["regions"] = self.regions(kind, view, presence)
        ctx.update(extra)
        return self.env.get_template(f"{kind}.html").render(ctx)

    def message_page(self, title: str, message: str, status: int = 400) -> str:
        return self.env.get_template("message.html").render(
            title=title, message=message, status=status
        )
