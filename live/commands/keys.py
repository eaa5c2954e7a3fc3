"""Access: rotating a role's key locks out every link and open screen that used it."""

from __future__ import annotations

from typing import Annotated, Any

from sqlmodel import select

from live.access import ROLES
from live.auth import new_key
from live.commands import Ctx, command
from live.commands.args import Args, one_of
from live.models import RoleKey


class RoleRotate(Args):
    role: Annotated[str, one_of(ROLES)]


@command("role.rotate", "Đổi khoá của vai trò `role`: liên kết cũ hết hiệu lực ngay.", RoleRotate)
def role_rotate(ctx: Ctx, args: RoleRotate) -> dict[str, Any]:
    role = args.role
    rk = ctx.session.exec(
        select(RoleKey).where(RoleKey.conference_id == ctx.conf.id, RoleKey.role == role)
    ).one()
    rk.key = new_key()
    ctx.session.add(rk)
    # The new key is not logged (the event log is readable by more people than the key).
    # Its effect (a changed role key) closes that role's open screens.
    return {"role": role}
