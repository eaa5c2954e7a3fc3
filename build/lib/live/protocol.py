"""Protocol order (thứ tự lễ tân): who the MC introduces by name, and in which order.

Groups (thành phần) are listed in the order their delegates are introduced; a group's
`introduce` says how many of its highest-ranked delegates are named one by one. The same
people sit in the front row and get a table placard.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence

from live.collation import name_sort_key
from live.models import Delegate, ListItem


def introduced(delegates: Iterable[Delegate], groups: Iterable[ListItem]) -> list[Delegate]:
    """The delegates named one by one, in protocol order: groups in list order, then rank
    (lower first), then name in Vietnamese order."""
    members: dict[str, list[Delegate]] = {}
    for d in delegates:
        members.setdefault(d.group_name, []).append(d)
    named: list[Delegate] = []
    for group in groups:
        ranked = sorted(members.get(group.name, []), key=lambda d: (d.rank, name_sort_key(d.name)))
        named += ranked[: group.introduce]
    return named


ROW_LETTERS = string.ascii_uppercase
MAX_ROWS = len(ROW_LETTERS)


class HallTooSmall(ValueError):
    pass


def assign_seats(
    delegates: Sequence[Delegate],
    groups: Sequence[ListItem],
    units: Sequence[ListItem],
    rows: int,
    per_row: int,
) -> dict[int | None, str]:
    """Delegate id -> seat ("A05"), filling row A first. The delegates introduced by name
    take the first seats in protocol order; then each unit's delegates sit side by side
    (units in list order, guests after), by group order, rank and name within a unit."""
    front = introduced(delegates, groups)
    group_order = {g.name: i for i, g in enumerate(groups)}
    unit_order = {u.name: i for i, u in enumerate(units)}
    named = {id(d) for d in front}
    others = sorted(
        (d for d in delegates if id(d) not in named),
        key=lambda d: (
            unit_order.get(d.unit, len(unit_order)),
            d.unit,
            group_order.get(d.group_name, len(group_order)),
            d.rank,
            name_sort_key(d.name),
        ),
    )
    if len(delegates) > rows * per_row:
        raise HallTooSmall(
            f"Hội trường {rows} hàng × {per_row} ghế = {rows * per_row} ghế, "
            f"không đủ cho {len(delegates)} đại biểu."
        )
    seated = front + others
    return {d.id: f"{ROW_LETTERS[n // per_row]}{n % per_row + 1:02d}" for n, d in enumerate(seated)}
