"""`live serve` and `live links`."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from dataclasses import replace

from sqlmodel import Session, select

from live.auth import SCREEN_ROLES, role_keys
from live.models import ROLE_NAMES, Conference
from live.settings import Settings

# What each role's link opens. Roles whose screens come with later issues open "/".
ROLE_SCREENS = {"mc": "mc", "projector": "projector", "admin": "mc"}


def lan_address() -> str | None:
    """This machine's address on the hall network, found without sending anything."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        addr = str(info[4][0])
        if not ipaddress.ip_address(addr).is_loopback:
            return addr
    # The source address the kernel would use for the default route. connect() on a UDP
    # socket only picks a route; no packet leaves (192.0.2.1 is a documentation address).
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            addr = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(addr).is_loopback or addr == "0.0.0.0" else addr


def base_url(settings: Settings) -> str:
    """The address printed in links: one the other devices in the hall can reach."""
    if settings.public_url:
        return settings.public_url
    host = settings.host
    if host in ("0.0.0.0", "::", ""):
        found = lan_address()
        if found is None:
            print(
                "Không tìm thấy địa chỉ mạng LAN của máy này: liên kết dưới đây chỉ mở được trên "
                "chính máy này. Đặt LIVE_PUBLIC_URL=http://<địa chỉ>:<cổng> để in đúng liên kết.",
                file=sys.stderr,
            )
        host = found or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def role_links(settings: Settings, slug: str, keys: dict[str, str]) -> list[tuple[str, str]]:
    base = base_url(settings)
    links = []
    for role, screen in ROLE_SCREENS.items():
        if role in keys:
            links.append((role, f"{base}/e/{slug}/{screen}?key={keys[role]}"))
    return links


def print_links(settings: Settings, slug: str, keys: dict[str, str]) -> None:
    print(f"Hội nghị «{slug}» — liên kết theo vai trò (giữ kín, mỗi liên kết là một chìa khoá):")
    for role, url in role_links(settings, slug, keys):
        print(f"  {ROLE_NAMES[role]:<30} {url}")
    others = [r for r in keys if r not in ROLE_SCREENS]
    if others:
        print("  Khoá của các vai trò khác (màn hình sẽ có ở các bản sau, dùng được với API):")
        for role in others:
            print(f"  {ROLE_NAMES[role]:<30} {keys[role]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="live", description="Điều hành hội nghị trực tiếp.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    serve = sub.add_parser("serve", help="chạy máy chủ (tạo hội nghị mẫu ở lần chạy đầu)")
    serve.add_argument("--host", help="địa chỉ lắng nghe; 0.0.0.0 để phục vụ cả hội trường")
    serve.add_argument("--port", type=int)
    serve.add_argument("--db", help="URL cơ sở dữ liệu, mặc định sqlite:///live.db")
    links = sub.add_parser("links", help="in lại các liên kết vai trò của một hội nghị")
    links.add_argument("slug")
    links.add_argument("--db")
    links.add_argument("--host")
    links.add_argument("--port", type=int)
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    if args.db:
        settings = replace(settings, database_url=args.db)
    if args.host:
        settings = replace(settings, host=args.host)
    if args.port:
        settings = replace(settings, port=args.port)

    if args.cmd == "links":
        from live.app import prepare_database

        keys = role_keys(prepare_database(replace(settings, seed_demo=False)), args.slug)
        if not keys:
            print(f"Không có hội nghị «{args.slug}».", file=sys.stderr)
            return 1
        print_links(settings, args.slug, keys)
        return 0

    import uvicorn

    from live.app import create_app

    app = create_app(settings)
    engine = app.state.live.engine
    with Session(engine) as s:
        slugs = list(s.exec(select(Conference.slug)))
    for slug in slugs:
        print_links(settings, slug, role_keys(engine, slug))
    print(f"Máy chủ: {base_url(settings)}  (Ctrl+C để dừng)", flush=True)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        ws_max_size=64 * 1024,
        ws_ping_interval=10,
        ws_ping_timeout=10,
        log_level="warning",
    )
    return 0


assert set(ROLE_SCREENS.values()) <= set(SCREEN_ROLES)

if __name__ == "__main__":  # python -m live.cli (what the tests start)
    sys.exit(main())
