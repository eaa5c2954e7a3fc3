"""Static files under content-hashed names, cached for good.

At start-up every file of static/ but the videos is read once and named after its content:
`static_url("css/live.css")` is "/static/css/live.0123abcd89.css". Such a URL never
changes meaning, so it is served with `Cache-Control: immutable` for a year and a second
visit of any screen loads nothing but the page itself. A stylesheet's `url(…)`s to other
static files are rewritten to their hashed names first, so a new font gives its
stylesheet a new name too (the way Django's ManifestStaticFilesStorage does it).

Text files are kept gzipped as well and sent so to browsers that accept it. The plain
names keep working (StaticFiles, with ETag revalidation): the videos, which need range
requests, and anything an old page still asks for.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
NOT_HASHED = ("media/",)  # videos: large, and streamed with ranges under their own names
COMPRESSIBLE = (".css", ".js", ".svg", ".html", ".txt", ".md")
# url(x), url('x'), url("x") with a relative x (not data:, not an absolute URL or path)
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?![a-z]+:|/|#)([^'")\s]+)\1\s*\)""")


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str


class Assets(StaticFiles):
    """/static: hashed names from memory, immutable; plain names from disk."""

    def __init__(self, directory: Path, url_prefix: str = "/static") -> None:
        super().__init__(directory=directory)
        self.prefix = url_prefix
        self.urls: dict[str, str] = {}  # "css/live.css" -> "/static/css/live.<hash>.css"
        self.hashed: dict[str, Asset] = {}  # "css/live.<hash>.css" -> its bytes
        files = sorted(
            p.relative_to(directory).as_posix()
            for p in directory.rglob("*")
            if p.is_file() and not p.relative_to(directory).as_posix().startswith(NOT_HASHED)
        )
        # Stylesheets last: they refer to fonts and images by their hashed names.
        for name in sorted(files, key=lambda n: n.endswith(".css")):
            body = (directory / name).read_bytes()
            if name.endswith(".css"):
                body = self._rewrite_css(name, body)
            self._add(name, body)

    def url(self, name: str) -> str:
        """The hashed URL of a static file (KeyError for a file that is not there, so a
        template naming a missing file fails where it is rendered)."""
        return self.urls[name]

    def _add(self, name: str, body: bytes) -> None:
        digest = hashlib.sha256(body).hexdigest()[:10]
        stem, dot, suffix = name.rpartition(".")
        hashed = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or name.endswith((".js", ".svg")):
            media_type += "; charset=utf-8"
        packed = gzip.compress(body, 9, mtime=0) if name.endswith(COMPRESSIBLE) else None
        self.hashed[hashed] = Asset(body, packed, media_type)
        self.urls[name] = f"{self.prefix}/{hashed}"

    def _rewrite_css(self, name: str, body: bytes) -> bytes:
        folder = posixpath.dirname(name)

        def hashed_url(match: re.Match[str]) -> str:
            target = posixpath.normpath(posixpath.join(folder, match.group(2)))
            return f"url('{self.urls[target]}')" if target in self.urls else match.group(0)

        return CSS_URL.sub(hashed_url, body.decode("utf-8")).encode("utf-8")

    async def get_response(self, path: str, scope: Scope) -> Response:
        asset = self.hashed.get(path)
        if asset is None or scope["method"] not in ("GET", "HEAD"):
            return await super().get_response(path, scope)
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        accepts_gzip = "gzip" in Headers(scope=scope).get("accept-encoding", "")
        if asset.gzipped is not None and accepts_gzip:
            headers["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it as it is
            return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)
