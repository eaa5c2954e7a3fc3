"""The bus seam: how the hub hears of commits.

A commit is (conference, seq, effects). The command path publishes it after the
transaction has committed; the hub of every process that holds screens subscribes. Today
there is one process and `LocalBus` delivers at once; a bus over PostgreSQL's
LISTEN/NOTIFY (issue 16) sends the same three things, and nothing in the hub changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from live.effects import Effects


@dataclass(frozen=True)
class Commit:
    slug: str
    seq: int
    effects: Effects


Listener = Callable[[Commit], None]


class Bus(Protocol):
    def subscribe(self, listener: Listener) -> None: ...

    def publish(self, commit: Commit) -> None: ...


class LocalBus:
    """The bus of one process: a published commit reaches its listeners at once, on the
    event loop that published it."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def publish(self, commit: Commit) -> None:
        for listener in self._listeners:
            listener(commit)
