"""Access: rotating a role's key locks out every link and open screen that used it."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from live.access import ROLES
from live.auth import new_key
from live.commands import CommandError, Ctx, command
from live.models import RoleKey


@command("role.rotate", "Đổi khoá của vai trò `role`: liên kết cũ hết hiệu lực ngay.")
def role_rotate(ctx: Ctx) -> dict[str, Any]:
    role = ctx.args.get("role")
    if not isinstance(role, str) or role not in ROLES:
        raise CommandError("bad_args", "«role» phải là một trong: " + ", ".join(ROLES) + ".")
    rk = ctx.session.exec(
        select(RoleKey).where(RoleKey.conference_id == ctx.conf.id, RoleKey.role == role)
    ).one()
    rk.key = new_key()
    ctx.session.add(rk)
    # The new key is not logged (the event log is readable by more people than the key).
    # Its effect (a changed role key) closes that role's open screens.
    return {"role": role}
