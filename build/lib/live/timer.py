"""Stage-timer arithmetic, shared by the commands and the renderers.

A timer is (duration, elapsed, started_at): `elapsed` seconds were counted before the
current run, which began at `started_at` (epoch seconds) or is paused (None). The browser
does the same sum with its clock-offset estimate (static/js/live.js, `timerRemaining`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

WARNING_SECONDS = 60  # the step timer turns yellow in its last minute


@dataclass(frozen=True)
class Timer:
    duration: float = 0.0
    elapsed: float = 0.0
    started_at: float | None = None

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed_at(self, now: float) -> float:
        if self.started_at is None:
            return self.elapsed
        return self.elapsed + max(0.0, now - self.started_at)

    def remaining(self, now: float) -> float:
        """Seconds left; negative in overtime."""
        return self.duration - self.elapsed_at(now)

    def pause(self, now: float) -> Timer:
        return replace(self, elapsed=self.elapsed_at(now), started_at=None)

    def resume(self, now: float) -> Timer:
        return self if self.running else replace(self, started_at=now)

    def adjust(self, seconds: float) -> Timer:
        """Add (or take away) time; the duration never goes below zero."""
        return replace(self, duration=max(0.0, self.duration + seconds))

    @classmethod
    def fresh(cls, duration: float, now: float) -> Timer:
        """A timer that starts counting down now."""
        return cls(duration=duration, elapsed=0.0, started_at=now)


def phase(remaining: float, warning: float = WARNING_SECONDS) -> str:
    """ "ok", "warning" (last `warning` seconds) or "overtime" — the CSS class of a timer."""
    if remaining < 0:
        return "overtime"
    if remaining <= warning:
        return "warning"
    return "ok"


def format_clock(remaining: float) -> str:
    """m:ss, with a minus sign in overtime; whole seconds rounded up while counting down."""
    if remaining >= 0:
        total = math.ceil(remaining - 1e-9)
        sign = ""
    else:
        total = math.floor(-remaining)
        sign = "−" if total > 0 else ""
    minutes, seconds = divmod(total, 60)
    return f"{sign}{minutes}:{seconds:02d}"
