"""Who may do what, declared once: the roles, and for each screen, page, command, upload and
download the roles that may use it. The checks on HTTP and the websocket, the printed role
links, the home page and the roles in docs/api.md all read this table; adding a role or a
command is a line here. tests/test_access.py states the same thing again, by hand and on
purpose, against a real server, and checks that the two agree entry by entry.
"""

from __future__ import annotations

# The roles that have a key (a link each), strongest first: a caller holding several keys
# acts as the first of them.
ROLE_NAMES: dict[str, str] = {
    "admin": "Quản trị",
    "mc": "Người dẫn chương trình (MC)",
    "moderator": "Điều phối câu hỏi",
    "secretary": "Thư ký",
    "checkin": "Bàn đón tiếp",
    "mic": "Chạy micro",
    "projector": "Màn chiếu hội trường",
}
ROLES = tuple(ROLE_NAMES)
AUDIENCE = "audience"  # the public question form: no key, anyone in the hall
ROLE_LABELS = {**ROLE_NAMES, AUDIENCE: "Công khai (điện thoại)"}

ADMIN = ("admin",)
STAGE = ("mc", "admin")  # the programme, the timer, the projector
FLOOR = ("moderator", "admin")  # the questions and the microphones
STAGE_AND_FLOOR = ("mc", "moderator", "admin")
SECRETARIES = ("secretary", "admin")  # answers, commitments, the notice
DESK = ("checkin", "admin")  # reception: delegates, check-in, printing
GIFT_HELPERS = ("checkin", "mc", "admin")  # the reception staff hand the gifts to the leaders
PUBLIC = (AUDIENCE,)

# Screen kind -> the roles that may open it; the first of them the caller holds names the
# socket's role.
SCREENS: dict[str, tuple[str, ...]] = {
    "mc": STAGE,
    "projector": ("projector", *STAGE),
    "moderator": FLOOR,
    "mic": ("mic", *FLOOR),  # "mic:1" … "mic:8"
    "admin": ADMIN,
    "secretary": SECRETARIES,  # "secretary" follows the floor; "secretary:<id>" a question
    "followup": SECRETARIES,
    "checkin": DESK,
    "gifts": GIFT_HELPERS,
}
# Pages that are not live screens.
PAGES: dict[str, tuple[str, ...]] = {
    "notice": SECRETARIES,  # the conclusion notice, printable
    "audit": ADMIN,
    "replay": ADMIN,
    "print": DESK,  # /print/<name>: badges, placards, seats, gifts
    "links": ADMIN,  # /qr/<role>/<screen>: a role link's QR code
}
PRINTS = ("badges", "placards", "seats", "gifts")  # the sheets under /print/
# What each role's printed links open (paths under /e/<slug>/), its main screen first: a
# choice among what the role may open (above), not a permission; the runners share one key
# and get one link per microphone.
LINKS: dict[str, tuple[str, ...]] = {
    "mc": ("mc",),
    "projector": ("projector",),
    "moderator": ("moderator",),
    "mic": ("mic/{n}",),
    "secretary": ("secretary", "followup", "notice"),
    "checkin": ("checkin", "gifts", *(f"print/{name}" for name in PRINTS)),
    "admin": ("admin", "mc", "audit", "replay", *(f"print/{name}" for name in PRINTS)),
}
# Files sent to the server: the step's media, and the lists imported from a spreadsheet.
UPLOADS: dict[str, tuple[str, ...]] = {
    "media": STAGE,
    "questions": FLOOR,
    "delegates": ADMIN,
    "gifts": ADMIN,
}
# Files taken away: the secretaries' documents (notice, minutes, follow-up), the audit log,
# the replay's frames.
DOWNLOADS: dict[str, tuple[str, ...]] = {
    "documents": SECRETARIES,
    "audit": ADMIN,
    "frames": ADMIN,
}
# `delegate.add` without a `desk` (a delegate on the list, not a walk-in at the entrance):
# the other roles that may send it add walk-ins only.
ADD_PLANNED_DELEGATE = ADMIN
# Command -> the roles that may send it.
COMMANDS: dict[str, tuple[str, ...]] = {
    # access
    "role.rotate": ADMIN,
    # agenda
    "step.next": STAGE,
    "step.previous": STAGE,
    "step.goto": STAGE,
    "step.media": STAGE,
    "timer.pause": STAGE,
    "timer.resume": STAGE,
    "timer.adjust": STAGE,
    "timer.reset": STAGE,
    "projector.mode": STAGE,
    "video.play": STAGE,
    "video.pause": STAGE,
    "video.restart": STAGE,
    # The projector tells when the video it plays has ended (its only command).
    "video.ended": (*ADMIN, "projector"),
    # answers
    "answer.save": SECRETARIES,
    "commitment.add": SECRETARIES,
    "commitment.edit": SECRETARIES,
    "commitment.remove": SECRETARIES,
    "commitment.status": SECRETARIES,
    "notice.edit": SECRETARIES,
    "notice.issuer": ADMIN,
    # floor
    "question.add": FLOOR,
    "question.submit": PUBLIC,
    "question.edit": FLOOR,
    "question.approve": FLOOR,
    "question.reject": FLOOR,
    "question.merge": FLOOR,
    "question.internal": FLOOR,
    "question.move": FLOOR,
    "question.requeue": FLOOR,
    "question.assign": FLOOR,
    "question.live": FLOOR,
    "question.answer": FLOOR,
    "question.close": FLOOR,
    "question.reopen": FLOOR,
    "question.page": FLOOR,
    "question.timer": FLOOR,
    "floor.next": FLOOR,
    "floor.settings": FLOOR,
    "mc.message": FLOOR,
    "mc.message_clear": STAGE_AND_FLOOR,
    "question.import": FLOOR,
    # gifts
    "gift.add": ADMIN,
    "gift.import": ADMIN,
    "gift.edit": ADMIN,
    "gift.remove": ADMIN,
    "gift.move": ADMIN,
    "gift.batch_size": STAGE,
    "gift.presenters": STAGE,
    "gift.show": STAGE,
    "gift.handed": GIFT_HELPERS,
    # people
    "delegate.add": DESK,
    "delegate.import": ADMIN,
    "delegate.edit": DESK,
    "delegate.remove": ADMIN,
    "delegate.checkin": DESK,
    "delegate.checkin_undo": DESK,
    "delegate.documents": DESK,
    "seats.assign": ADMIN,
    # setup
    "conference.edit": ADMIN,
    "step.add": ADMIN,
    "step.edit": ADMIN,
    "step.remove": ADMIN,
    "step.move": ADMIN,
    "list.add": ADMIN,
    "list.edit": ADMIN,
    "list.remove": ADMIN,
    "list.move": ADMIN,
    "conference.new": ADMIN,
}


def markdown() -> str:
    """This table as docs/api.md shows it (a test checks the document holds it as generated:
    paste it anew after a change here)."""
    roles = (*ROLES, AUDIENCE)
    lines = [
        "| may open or use | " + " | ".join(f"`{r}`" for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for heading, table in (
        ("screen", SCREENS),
        ("page", PAGES),
        ("upload", UPLOADS),
        ("download", DOWNLOADS),
    ):
        for name, allowed in table.items():
            marks = " | ".join("✓" if r in allowed else "" for r in roles)
            lines.append(f"| {heading} `{name}` | {marks} |")
    lines.append("")
    by_roles: dict[tuple[str, ...], list[str]] = {}
    for name, allowed in COMMANDS.items():
        by_roles.setdefault(tuple(r for r in roles if r in allowed), []).append(name)
    lines.append("| commands | roles |")
    lines.append("|---|---|")
    for allowed, names in by_roles.items():
        lines.append(
            f"| {', '.join(f'`{n}`' for n in names)} | {', '.join(f'`{r}`' for r in allowed)} |"
        )
    return "\n".join(lines)
