"""Keyed lists: a list region is items with stable keys, and a push carries the items that
changed as operations addressed by key, not the whole list again.

A list as rendered is a tuple of (key, html) pairs in page order; each item's HTML is one
element carrying `data-key="<key>"`. `ops(old, new)` says how to turn the list a screen
holds into the new one, in the operations static/js/live.js applies in order:

    ["remove", key]
    ["insert", key, html, before]   before: the key of the item it goes before, or None (end)
    ["move", key, before]
    ["replace", key, html]

Like Phoenix LiveView's streams and Turbo Streams' actions, the browser keeps the items and
is told what to do to them by key. Unlike LiveView streams, the hub keeps what it last sent
each screen kind (one copy per kind, not per socket), so it can work out the operations
from two renders; the seq/prev rule of every push keeps a screen that missed one safe.
"""

from __future__ import annotations

import bisect
from typing import Any

Items = tuple[tuple[str, str], ...]  # (key, html) in page order
Op = list[Any]


def ops(old: Items, new: Items) -> list[Op]:
    """The operations that turn `old` into `new`: removals, then from the end of the new
    list backwards each item placed before its successor (inserted, moved, or replaced
    in place). Items that keep their relative order (the longest run of them) stay where
    they are, so moving one question in a queue of 400 is one "move", not 400 items."""
    old_html = dict(old)
    new_keys = {key for key, _ in new}
    result: list[Op] = [["remove", key] for key, _ in old if key not in new_keys]
    old_index = {key: i for i, (key, _) in enumerate(old)}
    staying = _longest_increasing([old_index[k] for k, _ in new if k in old_index])
    kept_in_place = {old[i][0] for i in staying}
    before: str | None = None
    for key, html in reversed(new):
        if key not in old_html:
            result.append(["insert", key, html, before])
        else:
            if key not in kept_in_place:
                result.append(["move", key, before])
            if old_html[key] != html:
                result.append(["replace", key, html])
        before = key
    return result


def _longest_increasing(values: list[int]) -> list[int]:
    """The longest strictly increasing subsequence of `values` (patience sorting)."""
    tails: list[int] = []  # tails[k]: index into values of the smallest tail of a run k+1 long
    tail_values: list[int] = []  # values[tails[k]], kept beside it for bisect
    links: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tail_values, v)
        if k > 0:
            links[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
            tail_values.append(v)
        else:
            tails[k] = i
            tail_values[k] = v
    run: list[int] = []
    i = tails[-1] if tails else -1
    while i >= 0:
        run.append(values[i])
        i = links[i]
    return run[::-1]


def join(items: Items) -> str:
    """The list as one piece of HTML (the first page load)."""
    return "".join(html for _, html in items)
