"""Checks of bench/loadlib.py apply_list_ops (the keyed-list operations a screen applies).

Run: `.venv/bin/python bench/test_list_ops.py` (or `.venv/bin/pytest bench/test_list_ops.py`).
Not under tests/: it checks the bench's client, not the app.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadlib import ListItems, apply_list_ops


def held(keys: str) -> ListItems:
    return {k: f"<li data-key={k}>{k}</li>" for k in keys}


def order(items: ListItems) -> str:
    return "".join(items)


def test_insert_at_end_and_before() -> None:
    items = held("abc")
    assert apply_list_ops(items, [["insert", "d", "D", None], ["insert", "x", "X", "a"]])
    assert order(items) == "xabcd"
    assert items["d"] == "D" and items["x"] == "X"
    assert apply_list_ops(items, [["insert", "y", "Y", "c"]])
    assert order(items) == "xabycd"


def test_remove_move_replace() -> None:
    items = held("abcde")
    ops: list[list[Any]] = [
        ["remove", "b"],
        ["move", "e", "a"],  # to the top
        ["move", "a", None],  # to the end
        ["replace", "c", "C"],
        ["move", "d", "c"],
    ]
    assert apply_list_ops(items, ops)
    assert order(items) == "edca"
    assert items["c"] == "C" and items["e"] == "<li data-key=e>e</li>"


def test_ops_in_order_build_a_list_from_empty() -> None:
    """As the server's keyed.ops writes them: from the end backwards, each before its
    successor."""
    items: ListItems = {}
    ops: list[list[Any]] = [
        ["insert", "c", "3", None],
        ["insert", "b", "2", "c"],
        ["insert", "a", "1", "b"],
    ]
    assert apply_list_ops(items, ops)
    assert list(items.items()) == [("a", "1"), ("b", "2"), ("c", "3")]


def test_ops_on_items_not_held_fail_as_the_page_does() -> None:
    """Each of these makes live.js ask for a snapshot: False, the ops before it applied."""
    bad: list[list[Any]] = [
        ["remove", "z"],
        ["replace", "z", "Z"],
        ["move", "z", None],
        ["move", "a", "z"],  # before a key not held
        ["insert", "c", "C", "z"],  # before a key not held
        ["insert", "a", "A", None],  # a key already held
    ]
    for op in bad:
        items = held("ab")
        assert not apply_list_ops(items, [["insert", "x", "X", None], op, ["remove", "b"]]), op
        assert order(items) == "abx", op  # x went in; nothing after the failure
        assert "b" in items
    items = held("ab")
    assert apply_list_ops(items, [["move", "a", "a"], ["frobnicate", "a"]])  # no-ops
    assert order(items) == "ab"


def test_random_reorders_match_a_list_model() -> None:
    """Random operations against a plain list of keys doing the same thing."""
    rng = random.Random(7)
    items: ListItems = {}
    model: list[str] = []
    html: dict[str, str] = {}
    for n in range(2000):
        choice = rng.random()
        key = str(rng.randrange(60))
        before = rng.choice([*model, None]) if model else None
        if before == key:
            before = None
        if key not in model and choice < 0.5:
            op: list[Any] = ["insert", key, f"h{n}", before]
            model.insert(model.index(before) if before else len(model), key)
            html[key] = f"h{n}"
        elif key in model and choice < 0.7:
            op = ["remove", key]
            model.remove(key)
        elif key in model and choice < 0.85:
            op = ["move", key, before]
            model.remove(key)
            model.insert(model.index(before) if before else len(model), key)
        elif key in model:
            op = ["replace", key, f"r{n}"]
            html[key] = f"r{n}"
        else:
            continue
        assert apply_list_ops(items, [op]), op
        assert list(items) == model
        assert all(items[k] == html[k] for k in model)


if __name__ == "__main__":
    tests = [f for name, f in sorted(globals().items()) if name.startswith("test_")]
    for test in tests:
        test()
    print(f"test_list_ops: {len(tests)} checks passed")
