"""Settings: defaults, overridden by LIVE_* environment variables, overridden by CLI flags.

Each setting is declared once, below, with its variable, its flag and its help text;
`live serve --help`, `Settings.from_env` and the README's table all come from there.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """`screens` or `static`: inside the package when installed from a wheel, beside it at
    the top of the source tree otherwise (see pyproject.toml)."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


SCREENS_DIR = resource_dir("screens")
STATIC_DIR = resource_dir("static")


def setting(default: Any, env: str, flag: str | None, help: str, doc: str, **kw: Any) -> Any:
    """A settings field: its LIVE_* variable, its command-line flag (None: variable only,
    e.g. a secret that must not show in `ps`), and what it means: in Vietnamese for
    `--help`, in English for the README's table (tests/test_docs.py keeps that in step)."""
    meta = {"env": env, "flag": flag, "help": help, "doc": doc}
    return field(default=default, metadata=meta, **kw)


@dataclass(frozen=True)
class Settings:
    database_url: str = setting(
        "sqlite:///live.db",
        "LIVE_DATABASE_URL",
        "--db",
        "cơ sở dữ liệu: tệp SQLite (chế độ WAL), hoặc postgresql+psycopg://người@máy/tên "
        "cho nhiều tiến trình",
        "the database: an SQLite file (WAL mode), or `postgresql+psycopg://user@host/name` "
        "for several workers (docs/deploy.md)",
    )
    # Every interface by default: the projector PC, the consoles and the delegates' phones
    # are other devices on the hall's network. Every screen still needs its role key.
    host: str = setting(
        "0.0.0.0",
        "LIVE_HOST",
        "--host",
        "địa chỉ lắng nghe (mặc định: mọi giao diện mạng); 127.0.0.1 để chỉ máy này mở được",
        "address to listen on (default: every interface, so the hall's devices reach it); "
        "`127.0.0.1` keeps it to this machine",
    )
    port: int = setting(8000, "LIVE_PORT", "--port", "cổng", "port")
    public_url: str = setting(
        "",
        "LIVE_PUBLIC_URL",
        "--public-url",
        "địa chỉ gốc in trong liên kết và mã QR, ví dụ http://192.168.1.10:8000 "
        "(mặc định: địa chỉ LAN tự tìm)",
        "base of the printed links and QR codes, e.g. `http://192.168.1.10:8000` "
        "(default: this machine's LAN address, found by itself)",
    )
    media_dir: Path = setting(
        Path("media"),
        "LIVE_MEDIA_DIR",
        "--media-dir",
        "thư mục lưu video tải lên (phục vụ tại /uploads/)",
        "where uploaded videos are kept (served at `/uploads/`)",
    )
    # Signs the role cookie. When empty, a random secret is created once and kept in the
    # database, so a restart does not log every screen out.
    secret_key: str = setting(
        "",
        "LIVE_SECRET_KEY",
        None,
        "khoá ký cookie vai trò (mặc định: tạo ở lần chạy đầu, lưu trong cơ sở dữ liệu)",
        "signs the role cookie (default: made on the first start, kept in the database); "
        "a variable only, so it never shows in `ps`",
    )
    seed_demo: bool = setting(
        True,
        "LIVE_SEED_DEMO",
        "--seed-demo",
        "tạo hội nghị mẫu ở lần chạy đầu của cơ sở dữ liệu mới (1/0)",
        "create the demo conference on the first start of a new database (`1`/`0`)",
    )
    max_upload_mb: int = setting(
        2048,
        "LIVE_MAX_UPLOAD_MB",
        "--max-upload-mb",
        "video tải lên lớn nhất, MB",
        "largest video upload, in MB",
    )
    # Processes serving the same database. Several need PostgreSQL, whose LISTEN/NOTIFY
    # tells each worker of the others' commits (live.bus); SQLite is one process.
    workers: int = setting(
        1,
        "LIVE_WORKERS",
        "--workers",
        "số tiến trình phục vụ (nhiều hơn 1 cần PostgreSQL)",
        "worker processes serving (more than 1 needs PostgreSQL)",
    )
    # Websocket keep-alive: a ping this often (seconds); a peer silent as long again after
    # it (a phone that left the hall, a laptop asleep) is dropped.
    ws_ping_seconds: float = setting(
        10.0,
        "LIVE_WS_PING_SECONDS",
        "--ws-ping-seconds",
        "chu kỳ ping websocket, giây; màn hình im lặng thêm chừng ấy sau ping thì bị ngắt",
        "websocket ping interval, seconds; a screen silent as long again after a ping is dropped",
    )

    def __post_init__(self) -> None:
        # "http://10.0.0.5:8000/" and "http://10.0.0.5:8000" are the same base for links.
        object.__setattr__(self, "public_url", self.public_url.rstrip("/"))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        values = {
            f.name: parse_value(f.type, raw)
            for f in fields(cls)
            if (raw := env.get(f.metadata["env"]))
        }
        return replace(cls(), **values)

    def as_env(self) -> dict[str, str]:
        """These settings as LIVE_* variables (what `live serve` hands its workers)."""
        return {f.metadata["env"]: shown_value(getattr(self, f.name)) for f in fields(self)}

    def with_arguments(self, args: argparse.Namespace) -> Settings:
        """These settings with the flags given on the command line."""
        given = {
            f.name: getattr(args, f.name)
            for f in fields(self)
            if getattr(args, f.name, None) is not None
        }
        return replace(self, **given)


def yes(raw: str) -> bool:
    """ "1", "true", "yes" -> True; "0", "false", "no", "" -> False."""
    return raw.strip().lower() not in ("0", "false", "no", "")


# A field's type (a string: annotations are postponed) -> how its text is read.
PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": yes,
    "Path": Path,
}


def parse_value(kind: Any, raw: str) -> Any:
    """A setting's text (from a variable or a flag) as its field's type."""
    return PARSERS[kind if isinstance(kind, str) else kind.__name__](raw)


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per setting that has one, its help naming its variable and default."""
    for f in fields(Settings):
        if f.metadata["flag"] is None:
            continue
        default = shown_default(f.default)
        parser.add_argument(
            f.metadata["flag"],
            dest=f.name,
            metavar=f.name.upper(),
            type=PARSERS[str(f.type)],
            help=f"{f.metadata['help']} [{f.metadata['env']}; mặc định: {default}]",
        )


def shown_value(value: Any) -> str:
    """A setting's value as its variable would say it."""
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


def shown_default(value: Any) -> str:
    return shown_value(value) if value != "" else "—"


def variables_only() -> str:
    """The settings with no flag, for the end of --help."""
    return "Chỉ đặt qua biến môi trường: " + "; ".join(
        f"{f.metadata['env']}: {f.metadata['help']}"
        for f in fields(Settings)
        if f.metadata["flag"] is None
    )


def settings_table() -> str:
    """The README's table of every setting (Markdown)."""
    rows = ["| flag | variable | default | meaning |", "|---|---|---|---|"]
    for f in fields(Settings):
        flag = f"`{f.metadata['flag']}`" if f.metadata["flag"] else ""
        default = f"`{shown_default(f.default)}`"
        rows.append(f"| {flag} | `{f.metadata['env']}` | {default} | {f.metadata['doc']} |")
    return "\n".join(rows)


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
    """The address printed in links and QR codes: one the other devices in the hall can
    reach when this server listens on them (see `reachable_from_hall`)."""
    if settings.public_url:
        return settings.public_url
    host = settings.host
    if host in ("0.0.0.0", "::", ""):
        host = lan_address() or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def reachable_from_hall(url: str) -> bool:
    """False for an address only this machine can open (127.x, ::1, localhost): a QR code
    of it would open nothing on a delegate's phone."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name, such as hoinghi.local: the technician chose it
