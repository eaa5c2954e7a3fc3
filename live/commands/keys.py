"""Access: rotating a role's key locks out every link and open screen that used it."""

from __future__ import annotations

from typing import Annotated

from sqlmodel import select

from live.access import ROLES
from live.auth import new_key
from live.commands import Ctx, Result, command
from live.commands.args import Args, one_of
from live.models import RoleKey


class RoleRotate(Args):
    role: Annotated[str, one_of(ROLES)]


@command("role.rotate", "Đổi khoá của vai trò `role`: liên kết cũ hết hiệu lực ngay.", RoleRotate)
def role_rotate(ctx: Ctx, args: RoleRotate) -> Result:
    """a new key for that role. Its old links stop working at once and its open screens are
    closed (websocket code 4403, the screen says so); other roles' screens keep running.
    The new key is in the answer (`key`), on the admin screen and in `live links`, never
    in the event log"""
    role = args.role
    rk = ctx.session.exec(
        select(RoleKey).where(RoleKey.conference_id == ctx.conf.id, RoleKey.role == role)
    ).one()
    rk.key = new_key()
    ctx.session.add(rk)
    # The admin who rotated it is answered the new key (to hand it on); the event log,
    # which more people may read, keeps only which role. Its effect (a changed role key)
    # closes that role's open screens.
    return Result(answer={"role": role, "key": rk.key}, audit={"role": role})
