"""`live serve` and `live links`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from sqlmodel import Session, select

from live.auth import link_label, role_keys, role_links
from live.models import Conference
from live.settings import Settings, base_url


def print_links(settings: Settings, slug: str, keys: dict[str, str]) -> None:
    print(f"Hội nghị «{slug}» — liên kết theo vai trò (giữ kín, mỗi liên kết là một chìa khoá):")
    for role, url in role_links(base_url(settings), slug, keys):
        print(f"  {link_label(role, url):<38} {url}")
    print(f"  {'Gửi câu hỏi (công khai, mã QR)':<38} {base_url(settings)}/e/{slug}/ask")


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
        # Screens sit on a LAN: compression would cost CPU per socket per push and ~40 KiB
        # of memory per connection for bandwidth nobody is short of.
        ws_per_message_deflate=False,
        ws_ping_interval=settings.ws_ping_seconds,
        ws_ping_timeout=settings.ws_ping_seconds,
        log_level="warning",
    )
    return 0


if __name__ == "__main__":  # python -m live.cli (what the tests start)
    sys.exit(main())
