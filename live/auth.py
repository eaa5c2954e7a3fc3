"""Role keys: one secret per role per conference.

A role link (`/e/demo/mc?key=…`) is exchanged once for a signed, HttpOnly cookie holding
that key, then redirected to the clean URL. Every request and socket re-checks the key
against the database, so a rotated key locks its old links out at once.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from starlette.requests import HTTPConnection

from live.access import LINKS, PAGES, ROLE_NAMES, ROLES, SCREENS
from live.models import Conference, RoleKey

MAX_MICS = 8
COOKIE_FIELD = "keys"  # session[COOKIE_FIELD][slug] = {role: key}


def new_key() -> str:
    return secrets.token_urlsafe(18)


def ensure_role_keys(session: Session, conference_id: int) -> dict[str, str]:
    """Create any missing role key of a conference; return them all by role."""
    have = {
        rk.role: rk.key
        for rk in session.exec(select(RoleKey).where(RoleKey.conference_id == conference_id))
    }
    for role in ROLES:
        if role not in have:
            have[role] = new_key()
            session.add(RoleKey(conference_id=conference_id, role=role, key=have[role]))
    return have


def role_keys(engine: Engine, slug: str) -> dict[str, str]:
    with Session(engine) as s:
        rows = s.exec(
            select(RoleKey).join(Conference).where(Conference.slug == slug)  # type: ignore[arg-type]
        )
        return {rk.role: rk.key for rk in rows}


def role_for_key(engine: Engine, slug: str, key: Any) -> str | None:
    if not isinstance(key, str) or not key or len(key) > 200 or not key.isascii():
        return None  # keys are URL-safe ASCII; compare_digest refuses other text
    keys = role_keys(engine, slug)
    for role, k in keys.items():
        if secrets.compare_digest(k, key):
            return role
    return None


def cookie_roles(engine: Engine, session: MutableMapping[str, Any], slug: str) -> set[str]:
    """The roles the signed cookie holds for this conference whose keys are still valid."""
    stored = session.get(COOKIE_FIELD, {}).get(slug, {})
    if not isinstance(stored, dict) or not stored:
        return set()
    keys = role_keys(engine, slug)
    return {
        role
        for role, key in stored.items()
        if isinstance(key, str)
        and role in keys
        and key.isascii()  # compare_digest takes ASCII text only
        and secrets.compare_digest(keys[role], key)
    }


def remember(session: MutableMapping[str, Any], slug: str, role: str, key: str) -> None:
    all_keys = dict(session.get(COOKIE_FIELD, {}))
    all_keys[slug] = {**all_keys.get(slug, {}), role: key}
    session[COOKIE_FIELD] = all_keys


def valid_screen(screen: str) -> bool:
    base, colon, param = screen.partition(":")
    if base == "mic":
        return colon == ":" and param.isdigit() and 1 <= int(param) <= MAX_MICS
    if base == "secretary" and colon:
        return param.isdigit() and len(param) < 10
    return base in SCREENS and not colon


def screen_role(screen: str, roles: set[str]) -> str | None:
    """The role under which a holder of `roles` opens `screen`, or None."""
    if not valid_screen(screen):
        return None
    allowed = SCREENS[screen.partition(":")[0]]
    return next((r for r in allowed if r in roles), None)


def role_links(
    base: str, slug: str, keys: dict[str, str], mic_count: int = 4
) -> list[tuple[str, str]]:
    """(role, link with its key) for every screen a role opens."""
    links = []
    for role, screens in LINKS.items():
        for screen in screens if role in keys else ():
            for n in range(1, mic_count + 1) if "{n}" in screen else (0,):
                links.append((role, f"{base}/e/{slug}/{screen.format(n=n)}?key={keys[role]}"))
    return links


# A role's second screens, named after the role: "Thư ký — theo dõi nhiệm vụ".
SECOND_SCREEN_NAMES = {
    "mc": "màn hình MC",
    "followup": "theo dõi nhiệm vụ",
    "gifts": "trao quà",
    "notice": "thông báo kết luận (bản in)",
    "audit": "nhật ký",
    "replay": "xem lại màn chiếu",
    "print/badges": "in thẻ đại biểu",
    "print/placards": "in biển tên",
    "print/seats": "in sơ đồ chỗ ngồi",
    "print/gifts": "in danh sách nhận quà",
}


def link_path(url: str) -> str:
    """ "http://…/e/demo/print/badges?key=…" -> "print/badges"."""
    return url.split("/e/", 1)[-1].split("?", 1)[0].split("/", 1)[-1]


def opens_live_screen(url: str) -> bool:
    """True for a link to a live screen (MC, projector, a runner's phone…), False for a page
    such as the audit log or a print sheet: only the former get a QR code on the admin."""
    return link_path(url).split("/", 1)[0] not in PAGES


def link_label(role: str, url: str) -> str:
    """The role's name, with the screen when a role has several ("Chạy micro — micro 2")."""
    screen = link_path(url)
    if screen.startswith("mic/"):
        return f"{ROLE_NAMES[role]} — micro {screen[4:]}"
    if screen in SECOND_SCREEN_NAMES and screen != role:
        return f"{ROLE_NAMES[role]} — {SECOND_SCREEN_NAMES[screen]}"
    return ROLE_NAMES[role]


CSRF_FIELD = "csrf"


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The token an HTML form of this browser carries (kept in its signed session cookie,
    which a page of another site cannot read, and SameSite=Lax does not send cross-site)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = session[CSRF_FIELD] = secrets.token_urlsafe(16)
    return token


def csrf_ok(session: MutableMapping[str, Any], sent: Any) -> bool:
    token = session.get(CSRF_FIELD)
    return (
        isinstance(token, str)
        and isinstance(sent, str)
        and sent.isascii()
        and secrets.compare_digest(token, sent)
    )


def origin_ok(conn: HTTPConnection) -> bool:
    """Browsers send Origin; a page of another site must not drive our screens."""
    origin = conn.headers.get("origin")
    if origin is None:  # not a browser (Companion, scripts, tests)
        return True
    return urlsplit(origin).netloc == conn.headers.get("host")
