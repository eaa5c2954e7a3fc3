"""Fixtures: a migrated SQLite file per test, and a real uvicorn process serving it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from live import db
from live.app import prepare_database
from live.auth import role_keys
from live.settings import Settings
from tests.pg import Postgres

# Every test that touches the database runs on both (the browser tests: SQLite, see
# tests/browser/conftest.py). LIVE_TEST_BACKENDS=sqlite narrows it while working.
BACKENDS = os.environ.get("LIVE_TEST_BACKENDS", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One real PostgreSQL server for the session, started when a test first needs it."""
    server = Postgres()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def seeded_postgres(postgres: Postgres) -> Callable[[], str]:
    """Fresh copies of a database migrated and seeded with the demo once (made ahead by a
    thread: see Postgres.copies)."""
    url = postgres.create()
    engine = prepare_database(replace(Settings(), database_url=url))
    engine.dispose()
    return postgres.copies(url.rsplit("/", 1)[1])


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test: a SQLite file, then (the same test again) a database
    of its own on the real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.db'}"
        return
    postgres: Postgres = request.getfixturevalue("postgres")
    url = request.getfixturevalue("seeded_postgres")()
    # Every engine the test opens is closed before its database is dropped (a pooled
    # connection left to the garbage collector is a ResourceWarning, an error here).
    engines: list[Engine] = []
    make_engine = db.make_engine

    def tracked(url: str) -> Engine:
        engines.append(make_engine(url))
        return engines[-1]

    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(db, "make_engine", tracked)
    try:
        yield url
    finally:
        for engine in engines:
            engine.dispose()
        postgres.drop(url)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return replace(
        Settings(),
        host="127.0.0.1",
        public_url="http://192.0.2.10:8000",  # a LAN address of the documentation range
        database_url=database_url,
        media_dir=tmp_path / "media",
        secret_key="test-secret",
    )


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return prepare_database(settings)


@pytest.fixture
def keys(engine: Engine) -> dict[str, str]:
    return role_keys(engine, "demo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_serving(
    process: subprocess.Popen[bytes], port: int, log_path: Path, seconds: float = 20
) -> None:
    """Until a server process answers on 127.0.0.1:`port` (its log in the error if not)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not start in {seconds:.0f} s: {log_path.read_text()}")


@dataclass
class Server:
    """A real `live serve` process on a real SQLite file (or, given `database`, that
    database's URL: PostgreSQL); restartable on the same port."""

    db_path: Path
    media_dir: Path
    port: int = field(default_factory=free_port)
    database: str = ""
    workers: int = 1
    # Printed links and QR codes carry an address of the documentation range (RFC 5737), as
    # a hall's LAN address would be: nothing is ever sent there; the tests use 127.0.0.1.
    # "" leaves the server to say that phones cannot reach it.
    public_host: str = "192.0.2.10"
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    _keys: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{self.db_path}"

    def start(self) -> None:
        env = {**os.environ, **self.env()}
        self.log_path = self.db_path.with_suffix(".log")
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the fd
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "live.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--db",
                    self.database_url,
                    "--workers",
                    str(self.workers),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        wait_serving(self.process, self.port, self.log_path)

    def env(self) -> dict[str, str]:
        """The server process's LIVE_* settings."""
        return {
            "LIVE_MEDIA_DIR": str(self.media_dir),
            "LIVE_SECRET_KEY": "test-secret",
            "LIVE_PUBLIC_URL": f"http://{self.public_host}:{self.port}" if self.public_host else "",
        }

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def keys(self) -> dict[str, str]:
        engine = prepare_database(replace(Settings(), database_url=self.database_url))
        try:
            return role_keys(engine, "demo")
        finally:
            engine.dispose()

    def command(
        self, name: str, args: dict | None = None, role: str = "mc", timeout: float = 5.0
    ) -> httpx.Response:
        return httpx.post(
            f"{self.url}/api/e/demo/commands",
            json={"command": name, "args": args or {}},
            headers={"Authorization": f"Bearer {self.keys()[role]}"},
            timeout=timeout,
        )


@contextmanager
def running_server(root: Path, database: str = "", workers: int = 1) -> Iterator[Server]:
    """A real server on a fresh demo database (in `root`, or `database`), stopped on the
    way out."""
    srv = Server(
        db_path=root / "live.db", media_dir=root / "media", database=database, workers=workers
    )
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[Server]:
    database = "" if database_url.startswith("sqlite") else database_url
    with running_server(tmp_path, database) as srv:
        yield srv


@pytest.fixture
def live(settings: Settings) -> Iterator[Any]:
    """The server's long-lived objects (live.runtime.Live), its lifespan running."""
    from starlette.testclient import TestClient

    from live.app import create_app

    with TestClient(create_app(settings)) as client:
        yield client.app.state.live
