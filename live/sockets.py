"""The websocket of every screen: subscribe, then commands, pings and snapshot requests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from live import auth
from live.commands import CommandError, parse_json
from live.hub import Channel, Subscriber
from live.runtime import Live, TooManyAttempts, live_of

log = logging.getLogger("live.sockets")

MAX_FRAME = 16 * 1024  # largest websocket message a screen may send


async def ws_endpoint(websocket: WebSocket) -> None:
    live = live_of(websocket)
    slug = websocket.path_params["slug"]
    screen = websocket.query_params.get("screen", "")
    key = websocket.query_params.get("key")

    def authorise() -> str | None:
        # A key only matches if the conference exists: no need to load it.
        if key is not None:
            try:
                roles = {r} if (r := live.role_for_key(websocket, slug, key)) else set()
            except TooManyAttempts:
                return None
        else:
            roles = auth.cookie_roles(live.engine, websocket.session, slug)
        return auth.screen_role(screen, roles)

    # Off the event loop: a reconnect storm must not hold up pushes to screens already in.
    role = await asyncio.to_thread(authorise) if auth.origin_ok(websocket) else None
    if role is None:
        await websocket.close(code=4403)  # before accept: the handshake gets HTTP 403
        return
    await websocket.accept()
    channel = live.hub.channel(slug)
    holds = websocket.query_params.get("drawing", "")[:40]
    sub = Subscriber(websocket, screen, role, holds)
    await channel.join(sub)
    try:
        while not sub.dropped:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            await handle_frame(live, channel, sub, slug, message)
    except Exception:  # a broken socket must not take the server with it
        log.debug("socket of %s ended", slug, exc_info=True)
    finally:
        channel.leave(sub)
        # A dropped screen is being closed by the hub with its own code (4001, 4403): wait
        # for that close to go out (returning first would cut the connection without it).
        if sub.closing is not None:
            with contextlib.suppress(Exception):
                await sub.closing
        elif websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await websocket.close()


def refused(request_id: Any, code: str, message: str) -> dict[str, Any]:
    return {"type": "result", "id": request_id, "ok": False, "code": code, "message": message}


def reply(sub: Subscriber, channel: Channel, message: dict[str, Any]) -> None:
    if not sub.offer(json.dumps(message, ensure_ascii=False)):
        channel.drop(sub)


async def handle_frame(
    live: Live, channel: Channel, sub: Subscriber, slug: str, message: Mapping[str, Any]
) -> None:
    text = message.get("text")
    if text is None or len(text) > MAX_FRAME:
        reply(
            sub,
            channel,
            {"type": "error", "code": "bad_frame", "message": "Khung tin không hợp lệ."},
        )
        return
    try:
        data = parse_json(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        reply(
            sub,
            channel,
            {"type": "error", "code": "bad_frame", "message": "Khung tin không hợp lệ."},
        )
        return
    kind = data.get("type")
    if kind == "ping":
        reply(sub, channel, {"type": "pong", "t": data.get("t"), "server": time.time()})
    elif kind == "snapshot":
        await channel.resnapshot(sub)
    elif kind == "command":
        request_id = data.get("id")
        try:
            outcome = await live.run_command(slug, sub.role, data.get("command"), data.get("args"))
            reply(
                sub,
                channel,
                {
                    "type": "result",
                    "id": request_id,
                    "ok": True,
                    "seq": outcome.seq,
                    "result": outcome.answer,
                },
            )
        except CommandError as e:
            reply(sub, channel, {"type": "result", "id": request_id, **e.as_json()})
        except Exception:
            # A bug in a command must not cost the screen its socket: the person gets an
            # answer, the log gets the traceback, the socket stays open.
            log.exception(
                "command %r of a %s screen of %s failed", data.get("command"), sub.kind, slug
            )
            reply(
                sub,
                channel,
                refused(request_id, "server_error", "Lỗi máy chủ. Thao tác chưa được ghi nhận."),
            )
    else:
        reply(sub, channel, {"type": "error", "code": "bad_frame", "message": "Loại tin không rõ."})
