"""The hall's network: the server listens on every interface by default, and the links and
the QR code carry an address the phones in the hall can open — or nobody is shown a code
that opens nothing.

The LAN address is faked (`lan_address()`), never used: every request here goes to this
machine's loopback addresses, the phones from 127.x source addresses as
bench/ask_burst.py sends them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import psutil
import pytest
import segno
from markupsafe import Markup
from starlette.testclient import TestClient

from live import cli
from live import settings as settings_module
from live.app import create_app
from live.auth import role_keys
from live.settings import Settings, base_url, reachable_from_hall
from tests.conftest import Server, free_port, wait_serving

HALL = "192.0.2.44"  # a documentation address (RFC 5737) standing in for the LAN's


def qr_of(url: str) -> str:
    """The inline SVG the screens draw for `url` (segno is deterministic)."""
    return str(Markup(segno.make(url, error="m").svg_inline(border=2, omitsize=True)))


def hold_banner(client: TestClient, keys: dict[str, str]) -> str:
    """The projector's page while the hall sees the banner with the question QR code."""
    mc = {"Authorization": f"Bearer {keys['mc']}"}
    for command in (
        {"command": "step.goto", "args": {"position": 2}},
        {"command": "projector.mode", "args": {"mode": "hold"}},
    ):
        assert client.post("/api/e/demo/commands", json=command, headers=mc).status_code == 200
    assert client.get(f"/e/demo/projector?key={keys['projector']}").status_code == 303
    # The page draws what the hub last pushed; the push of the commands above may still be
    # on its way (a loaded machine), and the page's socket would then bring it.
    deadline = time.monotonic() + 5
    while 'data-mode="hold"' not in (page := client.get("/e/demo/projector").text):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return page


def test_by_default_the_server_listens_on_every_interface():
    assert Settings().host == "0.0.0.0"
    assert Settings.from_env({"LIVE_HOST": "127.0.0.1"}).host == "127.0.0.1"


def test_links_and_the_qr_code_carry_the_lan_address(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(settings_module, "lan_address", lambda: HALL)
    settings = replace(
        Settings(),  # host 0.0.0.0, no public URL: the address is found
        database_url=f"sqlite:///{tmp_path / 'live.db'}",
        media_dir=tmp_path / "media",
        secret_key="test",
    )
    assert base_url(settings) == f"http://{HALL}:8000"
    with TestClient(create_app(settings), follow_redirects=False) as client:
        keys = role_keys(client.app.state.live.engine, "demo")
        page = hold_banner(client, keys)
        assert qr_of(f"http://{HALL}:8000/e/demo/ask") in page
        assert "127.0.0.1" not in page

        cli.print_links(settings, "demo", keys)
        printed = capsys.readouterr().out
        urls = re.findall(r"http://\S+", printed)
        assert len(urls) > 20 and all(u.startswith(f"http://{HALL}:8000/e/demo/") for u in urls)
        assert not any(u.startswith("http://127.") for u in urls)


def test_a_loopback_address_shows_no_qr_code_and_says_what_to_set(monkeypatch, tmp_path):
    monkeypatch.setattr(settings_module, "lan_address", lambda: None)  # no network card
    settings = replace(
        Settings(),
        database_url=f"sqlite:///{tmp_path / 'live.db'}",
        media_dir=tmp_path / "media",
        secret_key="test",
    )
    assert base_url(settings) == "http://127.0.0.1:8000"
    assert not reachable_from_hall(base_url(settings))
    with TestClient(create_app(settings), follow_redirects=False) as client:
        keys = role_keys(client.app.state.live.engine, "demo")
        projector = hold_banner(client, keys)
        assert "banner-qr" not in projector and "<svg" not in projector
        for screen, role in (("mc", "mc"), ("admin", "admin")):
            client.get(f"/e/demo/{screen}?key={keys[role]}")
            page = client.get(f"/e/demo/{screen}").text
            assert "Điện thoại trong hội trường chưa mở được trang gửi câu hỏi" in page
            assert "--public-url" in page and "LIVE_PUBLIC_URL" in page


@pytest.mark.parametrize(
    ("url", "reachable"),
    [
        ("http://127.0.0.1:8000", False),
        ("http://127.5.6.7:8000", False),
        ("http://localhost:8000", False),
        ("http://[::1]:8000", False),
        ("http://192.168.1.10:8000", True),
        ("http://10.0.0.5", True),
        ("http://hoinghi.local:8000", True),
    ],
)
def test_which_addresses_a_phone_can_open(url, reachable):
    assert reachable_from_hall(url) is reachable


def test_live_serve_listens_on_all_interfaces_and_prints_where(tmp_path):
    """A real `live serve` with no --host: bound to 0.0.0.0 (checked on the socket, no
    traffic but to 127.0.0.1), and the address it prints is the one phones get."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "LIVE_PUBLIC_URL": "", "LIVE_SECRET_KEY": "test"}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "live.cli", "serve", "--port", str(port)],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_serving(process, port, log)
        listening = {
            c.laddr
            for c in psutil.Process(process.pid).net_connections()
            if c.status == psutil.CONN_LISTEN
        }
        assert ("0.0.0.0", port) in listening
        printed = log.read_text()
        expected = base_url(Settings(port=port))  # the same machine's own finding
        assert f"Máy chủ: {expected}" in printed
        assert f"{expected}/e/demo/ask" in printed
        if not reachable_from_hall(expected):  # a machine with no LAN: said so, loudly
            assert "màn chiếu KHÔNG hiện mã QR" in printed
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert (tmp_path / "live.db").exists()  # the default database, in the working directory


def test_the_admin_counts_the_phones_that_opened_the_form_today(server: Server):
    """Three phones (source addresses 127.3.0.1–3) open the form, one of them twice; a
    fourth visit comes with no cookie, as a new phone would."""
    admin = httpx.Client(base_url=server.url, follow_redirects=True)
    admin.get(f"/e/demo/admin?key={server.keys()['admin']}")

    def count(expected: int) -> int:
        """The admin's figure, once it reaches `expected` (visits are written in batches,
        half a second apart) or after 5 s."""
        deadline = time.monotonic() + 5
        while True:
            page = admin.get("/e/demo/admin").text
            found = re.search(r"<strong>(\d+)</strong> điện thoại đã mở", page)
            assert found is not None
            if int(found.group(1)) == expected or time.monotonic() > deadline:
                return int(found.group(1))
            time.sleep(0.1)

    assert count(0) == 0
    phones = [
        httpx.Client(
            base_url=server.url,
            transport=httpx.HTTPTransport(local_address=f"127.3.0.{n}"),
        )
        for n in (1, 2, 3)
    ]
    for phone in phones:
        assert phone.get("/e/demo/ask").status_code == 200
    assert phones[0].get("/e/demo/ask").status_code == 200  # the same phone again
    assert count(3) == 3
    stranger = httpx.Client(
        base_url=server.url, transport=httpx.HTTPTransport(local_address="127.3.0.1")
    )
    assert stranger.get("/e/demo/ask").status_code == 200  # no cookie: another session
    assert count(4) == 4
    for client in (admin, stranger, *phones):
        client.close()


def test_make_serve_passes_host_and_port_on():
    root = Path(__file__).resolve().parent.parent
    dry = subprocess.run(
        ["make", "-n", "serve", "HOST=127.0.0.1", "PORT=8123"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".venv/bin/live serve --host 127.0.0.1 --port 8123" in dry
    plain = subprocess.run(
        ["make", "-n", "serve"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^\.venv/bin/live serve\s*$", plain, re.M), plain
    # the runtime only: the test tools come with `make test`
    assert "[test]" not in plain


def test_make_test_installs_its_debian_packages_or_says_the_one_command(tmp_path):
    """tools/system-packages.sh: nothing to do when the packages are there; as a user who
    cannot install (no root, no password-less sudo), it stops at once with the command."""
    script = Path(__file__).resolve().parent.parent / "tools" / "system-packages.sh"
    assert subprocess.run(["sh", str(script)], capture_output=True).returncode == 0
    # As a user without rights (CI runs as root, so it can act as one).
    as_user = (
        ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else ["env", "PATH=/usr/bin:/bin"]
    )
    refused = subprocess.run(
        [*as_user, "sh", str(script), "no-such-package-xyz"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert refused.returncode == 1
    assert "sudo apt-get install -y no-such-package-xyz" in refused.stderr
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert re.search(r"^test: system\b", makefile, re.M)  # `make test` runs it first
