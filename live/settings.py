"""Settings: defaults, overridden by LIVE_* environment variables, overridden by CLI flags."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SCREENS_DIR = PACKAGE_ROOT / "screens"
STATIC_DIR = PACKAGE_ROOT / "static"


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///live.db"
    host: str = "127.0.0.1"
    port: int = 8000
    # Printed links and QR codes use this when set (e.g. "http://192.168.1.10:8000").
    public_url: str = ""
    # Where uploaded media (the report video…) is stored; served under /media/.
    media_dir: Path = field(default_factory=lambda: Path("media"))
    # Signs the role cookie. When empty, a random secret is created once and kept in the
    # database, so a restart does not log every screen out.
    secret_key: str = ""
    seed_demo: bool = True
    # Largest uploaded media file, in megabytes.
    max_upload_mb: int = 2048
    # Websocket keep-alive: a ping this often (seconds); a peer silent as long again after
    # it (a phone that left the hall, a laptop asleep) is dropped.
    ws_ping_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        s = cls()
        if v := env.get("LIVE_DATABASE_URL"):
            s = replace(s, database_url=v)
        if v := env.get("LIVE_HOST"):
            s = replace(s, host=v)
        if v := env.get("LIVE_PORT"):
            s = replace(s, port=int(v))
        if v := env.get("LIVE_PUBLIC_URL"):
            s = replace(s, public_url=v.rstrip("/"))
        if v := env.get("LIVE_MEDIA_DIR"):
            s = replace(s, media_dir=Path(v))
        if v := env.get("LIVE_SECRET_KEY"):
            s = replace(s, secret_key=v)
        if v := env.get("LIVE_SEED_DEMO"):
            s = replace(s, seed_demo=v.lower() not in ("0", "false", "no"))
        if v := env.get("LIVE_MAX_UPLOAD_MB"):
            s = replace(s, max_upload_mb=int(v))
        if v := env.get("LIVE_WS_PING_SECONDS"):
            s = replace(s, ws_ping_seconds=float(v))
        return s


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
