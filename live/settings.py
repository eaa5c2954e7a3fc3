"""Settings: defaults, overridden by LIVE_* environment variables, overridden by CLI flags."""

from __future__ import annotations

import os
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
        return s
