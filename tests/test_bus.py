"""The commits' notifications between workers (live.bus): what a payload carries."""

from __future__ import annotations

from live.bus import MOST_PAYLOAD, Commit, notification, read_notification
from live.effects import ALL, Effects


def test_a_commit_travels_whole() -> None:
    commit = Commit("hoi-nghi", 42, Effects(frozenset({("question", "17"), ("stage", "1")})))
    origin, back = read_notification(notification(commit, origin="w1"))
    assert (origin, back) == ("w1", commit)


def test_an_import_of_thousands_is_sent_by_kind_and_a_rotated_key_stays_named() -> None:
    touched = {("question", str(i)) for i in range(3000)} | {("rolekey", "mc"), ("list", "5")}
    payload = notification(Commit("demo", 7, Effects(frozenset(touched))))
    assert len(payload.encode()) <= MOST_PAYLOAD  # PostgreSQL refuses 8,000 bytes
    _, back = read_notification(payload)
    assert back.effects.kinds == {"question", "rolekey", "list"}
    assert back.effects.keys("question") == {ALL}
    assert back.effects.locked_out == {"mc"}
