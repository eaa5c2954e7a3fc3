"""`live serve` and `live links`."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from sqlmodel import Session, select

from live import db
from live.auth import link_label, role_keys, role_links
from live.models import Conference
from live.settings import (
    Settings,
    add_setting_flags,
    base_url,
    reachable_from_hall,
    variables_only,
)

# Said at start-up when the QR code would carry an address no phone can open.
NOT_REACHABLE = (
    "Chú ý: {url} chỉ mở được trên chính máy này, nên màn chiếu KHÔNG hiện mã QR gửi câu "
    "hỏi. Để điện thoại trong hội trường mở được: chạy với --host 0.0.0.0 (mặc định), hoặc "
    "đặt --public-url / LIVE_PUBLIC_URL=http://<địa chỉ LAN>:<cổng>."
)


SEVERAL_WORKERS = (
    "Nhiều tiến trình (--workers) cần cơ sở dữ liệu PostgreSQL "
    "(LIVE_DATABASE_URL=postgresql+psycopg://…): SQLite chỉ phục vụ một tiến trình."
)


def print_links(settings: Settings, slug: str, keys: dict[str, str]) -> None:
    base = base_url(settings)
    print(f"Hội nghị «{slug}» — liên kết theo vai trò (giữ kín, mỗi liên kết là một chìa khoá):")
    for role, url in role_links(base, slug, keys):
        print(f"  {link_label(role, url):<44} {url}")
    print(f"  {'Gửi câu hỏi (công khai, mã QR)':<44} {base}/e/{slug}/ask")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="live", description="Điều hành hội nghị trực tiếp.")
    sub = top.add_subparsers(dest="cmd", required=True)
    serve = sub.add_parser(
        "serve",
        help="chạy máy chủ (tạo hội nghị mẫu ở lần chạy đầu)",
        description="Chạy máy chủ. Cờ dòng lệnh thắng biến môi trường LIVE_*, biến môi "
        "trường thắng giá trị mặc định.",
        epilog=variables_only(),
    )
    add_setting_flags(serve)
    migrate = sub.add_parser(
        "migrate",
        help="nâng cấp cơ sở dữ liệu rồi dừng (live serve cũng tự làm việc này)",
        description="Nâng cấp cấu trúc cơ sở dữ liệu lên phiên bản mới nhất (và tạo hội nghị "
        "mẫu ở lần chạy đầu), cho cách triển khai chạy bước này riêng trước khi mở máy chủ.",
    )
    add_setting_flags(migrate)
    links = sub.add_parser("links", help="in lại các liên kết vai trò của một hội nghị")
    links.add_argument("slug")
    add_setting_flags(links)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env().with_arguments(args)

    if args.cmd == "links":
        from live.app import prepare_database

        keys = role_keys(prepare_database(replace(settings, seed_demo=False)), args.slug)
        if not keys:
            print(f"Không có hội nghị «{args.slug}».", file=sys.stderr)
            return 1
        print_links(settings, args.slug, keys)
        return 0

    from live.app import prepare_database

    if args.cmd == "migrate":
        engine = prepare_database(settings)
        db.cookie_secret(engine, settings.secret_key)
        print(f"Cơ sở dữ liệu đã sẵn sàng: {db.revision(engine)}.")
        engine.dispose()
        return 0

    if settings.workers > 1 and not settings.database_url.startswith("postgresql"):
        print(SEVERAL_WORKERS, file=sys.stderr)
        return 2
    # This process migrates and seeds, once, before any worker starts: workers never do.
    engine = prepare_database(settings)
    db.cookie_secret(engine, settings.secret_key)  # made once, not raced by the workers
    with Session(engine) as s:
        slugs = list(s.exec(select(Conference.slug)))
    for slug in slugs:
        print_links(settings, slug, role_keys(engine, slug))
    engine.dispose()
    base = base_url(settings)
    if not reachable_from_hall(base):
        print(NOT_REACHABLE.format(url=base), file=sys.stderr)
    print(f"Máy chủ: {base}  (lắng nghe {settings.host}:{settings.port}; Ctrl+C để dừng)")
    sys.stdout.flush()
    import uvicorn

    # The workers read their settings from the LIVE_* variables (uvicorn starts each one
    # fresh; with one worker, in this process).
    os.environ.update(settings.as_env())
    uvicorn.run(
        "live.app:worker_app",
        factory=True,
        workers=settings.workers,
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
