"""Keyed list patches (live.keyed): the operations turn what a screen holds into the new
list, and a one-item change sends one item, whatever the list's length."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from websockets.sync.client import connect

from live import keyed


def apply(items: keyed.Items, ops: list[keyed.Op]) -> keyed.Items:
    """The operations applied as static/js/live.js applies them (patchLists)."""
    held = [list(pair) for pair in items]

    def index(key: str | None) -> int:
        if key is None:
            return len(held)
        found = [i for i, (k, _) in enumerate(held) if k == key]
        assert len(found) == 1, (key, held)
        return found[0]

    for op in ops:
        action, key = op[0], op[1]
        if action == "remove":
            del held[index(key)]
        elif action == "insert":
            assert all(k != key for k, _ in held), key
            held.insert(index(op[3]), [key, op[2]])
        elif action == "move":
            pair = held.pop(index(key))
            held.insert(index(op[2]), pair)
        elif action == "replace":
            held[index(key)][1] = op[2]
        else:
            raise AssertionError(op)
    return tuple((k, h) for k, h in held)


def items(*keys: str, html: str = "x") -> keyed.Items:
    return tuple((k, f"<li data-key={k}>{html}</li>") for k in keys)


@st.composite
def two_lists(draw: Any) -> tuple[keyed.Items, keyed.Items]:
    keys = draw(st.lists(st.integers(0, 40), unique=True, max_size=30))
    old = [(str(k), f"v{draw(st.integers(0, 2))}") for k in keys]
    kept = [pair for pair in old if draw(st.booleans())]
    new_keys = draw(st.lists(st.integers(41, 60), unique=True, max_size=8))
    new = [(k, draw(st.sampled_from([h, h + "*"]))) for k, h in kept]
    new += [(str(k), "n") for k in new_keys]
    return tuple(old), tuple(draw(st.permutations(new)))


@given(two_lists())
def test_the_operations_turn_the_old_list_into_the_new(lists: tuple[keyed.Items, keyed.Items]):
    old, new = lists
    assert apply(old, keyed.ops(old, new)) == new


def test_one_change_is_one_operation_in_a_long_list():
    old = items(*[str(n) for n in range(400)])
    assert keyed.ops(old, old) == []
    added = (*old[:200], ("new", "<li>n</li>"), *old[200:])
    assert keyed.ops(old, added) == [["insert", "new", "<li>n</li>", "200"]]
    assert keyed.ops(old, (*old, ("new", "<li>n</li>"))) == [["insert", "new", "<li>n</li>", None]]
    assert keyed.ops(old, old[:7] + old[8:]) == [["remove", "7"]]
    changed = (*old[:9], ("9", "<li>edited</li>"), *old[10:])
    assert keyed.ops(old, changed) == [["replace", "9", "<li>edited</li>"]]
    to_top = (old[300], *old[:300], *old[301:])
    assert keyed.ops(old, to_top) == [["move", "300", "0"]]
    swapped = (*old[:5], old[6], old[5], *old[7:])
    assert len(keyed.ops(old, swapped)) == 1


# --- the pushes of a real server --------------------------------------------------------


@contextlib.contextmanager
def screen(server: Any, kind: str, role: str) -> Iterator[tuple[Any, dict[str, Any]]]:
    key = server.keys()[role]
    with connect(f"{server.ws_url}/ws/e/demo?screen={kind}&key={key}", max_size=None) as ws:
        snapshot = json.loads(ws.recv(timeout=10))
        assert snapshot["type"] == "snapshot"
        yield ws, snapshot


def patch_for(ws: Any, seq: int) -> tuple[dict[str, Any], int]:
    """The patch that brings the screen to `seq` (with its size in bytes)."""
    while True:
        raw = ws.recv(timeout=10)
        message = json.loads(raw)
        if message["type"] == "patch" and message["seq"] >= seq:
            return message, len(raw.encode())


def question_rows(count: int, tag: str) -> list[dict[str, str]]:
    return [
        {"text": f"Kiến nghị {tag} số {n} về nhà ở cho công nhân tổ {n}", "asker_name": f"{tag}{n}"}
        for n in range(count)
    ]


def test_a_new_question_is_one_inserted_item_at_40_and_at_400_queued(server):
    sizes = []
    for extra in (0, 360):
        if extra:
            r = server.command(
                "question.import",
                {"rows": question_rows(extra, "nhập")},
                role="moderator",
                timeout=120,
            )
            assert r.status_code == 200, r.text
        with screen(server, "moderator", "moderator") as (ws, snapshot):
            queued = len(snapshot["lists"]["mod-queue"])
            assert queued >= 40 + extra
            r = server.command(
                "question.add",
                {"text": f"Câu hỏi mới khi hàng đợi có {queued} câu", "asker_name": "Mới"},
                role="moderator",
            )
            patch, size = patch_for(ws, r.json()["seq"])
        inserted, *others = patch["lists"]["mod-queue"]
        number = r.json()["result"]["number"]
        # Besides the new item, only a question whose look-alike hints now name it changes.
        assert all(op[0] == "replace" and f"trùng câu {number}" in op[2] for op in others), others
        assert set(patch["lists"]) == {"mod-queue"}
        action, key, html, before = inserted
        assert (action, before) == ("insert", None)
        assert f'data-key="{key}"' in html and f"hàng đợi có {queued} câu" in html
        sizes.append(size - sum(len(json.dumps(op, ensure_ascii=False).encode()) for op in others))
    assert max(sizes) <= 4000, sizes  # issue 13's target, at both sizes


def test_a_check_in_is_one_replaced_row_at_250_and_at_2500_delegates(server):
    sizes = []
    for extra in (0, 2250):
        if extra:
            rows = [
                {"name": f"Người Thứ {n}", "unit": "Công đoàn Viên chức tỉnh"} for n in range(extra)
            ]
            r = server.command("delegate.import", {"rows": rows}, role="admin", timeout=120)
            assert r.status_code == 200, r.text
        with screen(server, "checkin", "checkin") as (ws, snapshot):
            rows_shown = snapshot["lists"]["checkin-list"]
            assert len(rows_shown) == 250 + extra
            key = rows_shown[len(rows_shown) // 2][0]
            r = server.command("delegate.checkin", {"id": int(key), "desk": 1}, role="checkin")
            assert r.status_code == 200, r.text
            patch, size = patch_for(ws, r.json()["seq"])
        assert [op[:2] for op in patch["lists"]["checkin-list"]] == [["replace", key]], patch
        # and the one chip of the delegate's group ("LĐLĐ tỉnh 12/22"), if any
        chips = patch["lists"].get("checkin-groups", [])
        assert [op[0] for op in chips] in ([], ["replace"]), patch
        assert set(patch["lists"]) <= {"checkin-list", "checkin-groups"}
        sizes.append(size)
    assert max(sizes) <= 2000, sizes  # issue 13's target, at both sizes
