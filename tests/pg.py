"""A real PostgreSQL server for the tests: Debian's `postgresql` package (installed by `make
test`, tools/system-packages.sh), a cluster made with `initdb` in a temporary directory and
started with `pg_ctl` on a free loopback port. No mock, no Docker.

PostgreSQL refuses to run as root; as root (CI) the cluster belongs to the `postgres` user
the package creates, and its commands run through `runuser`. Durability is switched off
(fsync, synchronous_commit): these databases live for one test run.
"""

from __future__ import annotations

import glob
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import psycopg

USER = "live"


def bin_dir() -> Path:
    """The newest PostgreSQL's programs in Debian's layout (/usr/lib/postgresql/N/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4])
    )
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed: `make test` installs Debian's postgresql package "
            "(tools/system-packages.sh); or run: apt-get install -y postgresql"
        )
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Postgres:
    """One cluster for the test session; `create()` gives each test a database of its own."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="live-pg-")))
    port: int = field(default_factory=free_port)
    _names: count = field(default_factory=count)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> None:
        command = [str(bin_dir() / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL will not run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=30)
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True
        )

    def create(self, template: str = "template0") -> str:
        """A new database, a copy of `template` (by default an empty one); its URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')  # type: ignore[arg-type]
        return self.url(name)

    def copies(self, template: str, ahead: int = 2) -> Callable[[], str]:
        """A function giving a fresh copy of `template` each call. Copying takes ~0.4 s (the
        checkpoint CREATE DATABASE makes), so a thread keeps `ahead` copies made in advance
        while the tests run."""
        ready: queue.Queue[str] = queue.Queue(maxsize=ahead)

        def make() -> None:
            while not self._stopping.is_set():
                url = self.create(template)
                while not self._stopping.is_set():
                    try:
                        ready.put(url, timeout=0.2)
                        break
                    except queue.Full:
                        continue

        thread = threading.Thread(target=make, daemon=True, name="pg-copies")
        thread.start()
        self._threads.append(thread)
        return lambda: ready.get(timeout=60)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
