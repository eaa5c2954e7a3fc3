"""Static files: content-hashed names cached for good, compression, the two fonts, and the
wheel that carries templates and static files inside the package."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import httpx
import pytest
from fontTools.ttLib import TTFont
from starlette.testclient import TestClient

from live.app import create_app
from live.assets import IMMUTABLE, Assets
from live.settings import SCREENS_DIR, STATIC_DIR
from tests.conftest import free_port, wait_serving

ROOT = Path(__file__).resolve().parent.parent
FONTS = STATIC_DIR / "vendor" / "be-vietnam-pro"


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as c:
        yield c


def test_pages_name_static_files_by_their_content_and_they_are_cached_for_good(client):
    page = client.get("/e/demo/ask").text
    css = re.search(r'href="(/static/css/live\.[0-9a-f]{10}\.css)"', page)
    font_css = re.search(r'href="(/static/vendor/be-vietnam-pro/fonts\.[0-9a-f]{10}\.css)"', page)
    assert css and font_css, page[:800]
    r = client.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["cache-control"] == IMMUTABLE
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["content-type"].startswith("text/css")
    assert int(r.headers["content-length"]) < len(r.content)  # httpx has unpacked it
    # The font stylesheet names the fonts by their hashed names, which are cached too.
    fonts = client.get(font_css.group(1)).text
    woff2 = re.findall(r"url\('(/static/vendor/be-vietnam-pro/[^']+\.woff2)'\)", fonts)
    assert len(woff2) == 2 and all(re.search(r"\.[0-9a-f]{10}\.woff2$", u) for u in woff2)
    for url in woff2:
        font = client.get(url)
        assert font.headers["cache-control"] == IMMUTABLE
        assert "content-encoding" not in font.headers  # WOFF2 is compressed already
    # A name with another hash is not that file: nothing stale is served as immutable.
    stale = re.sub(r"\.[0-9a-f]{10}\.css$", ".0000000000.css", css.group(1))
    assert client.get(stale).status_code == 404
    # Plain names still work (an old page, the videos), revalidated rather than immutable.
    plain = client.get("/static/css/live.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers.get("cache-control", "")


def test_a_changed_file_gets_a_new_name_and_so_does_the_stylesheet_naming_it(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"one")
    (tmp_path / "fonts" / "a.css").write_text("@font-face { src: url('./a.woff2'); }")
    before = Assets(tmp_path)
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"two")
    after = Assets(tmp_path)
    assert before.url("fonts/a.woff2") != after.url("fonts/a.woff2")
    assert before.url("fonts/a.css") != after.url("fonts/a.css")
    css = after.hashed[after.url("fonts/a.css").removeprefix("/static/")].body.decode()
    assert f"url('{after.url('fonts/a.woff2')}')" in css


def test_pages_and_json_are_compressed(client, keys):
    client.get(f"/e/demo/checkin?key={keys['checkin']}")
    page = client.get("/e/demo/checkin", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert page.headers["cache-control"] == "no-store"
    state = client.get(
        "/api/e/demo/state",
        headers={"Authorization": f"Bearer {keys['mc']}", "Accept-Encoding": "gzip"},
    )
    assert state.json()["slug"] == "demo"
    video = client.get("/static/media/phong-su-demo.webm", headers={"Range": "bytes=0-99"})
    assert video.status_code == 206 and "content-encoding" not in video.headers


def test_the_check_in_page_carries_each_delegate_once(client, keys):
    """No per-row editor, no per-row search attributes: the name is on the page once."""
    client.get(f"/e/demo/checkin?key={keys['checkin']}")
    page = client.get("/e/demo/checkin").text
    names = re.findall(r'<strong class="dg-name" data-field="name">([^<]+)</strong>', page)
    assert len(names) == 250
    for name in names[:20]:
        assert page.count(f">{name}<") == 1, name
    assert page.count('data-command="delegate.edit"') == 1  # the one editor
    assert len(gzip.compress(page.encode())) < 18_000


def used_letters() -> set[str]:
    """Every letter and punctuation mark the screens and the demo day show."""
    texts = [p.read_text() for p in SCREENS_DIR.rglob("*.html")]
    texts += [p.read_text() for p in (ROOT / "live").glob("demo*.py")]
    texts += [(STATIC_DIR / "js" / "live.js").read_text()]
    return {c for text in texts for c in text if c.isalpha() or c in "–—…“”‘’₫"}


def test_both_fonts_hold_every_letter_the_day_uses():
    needed = used_letters()
    files = sorted(FONTS.glob("*.woff2"))
    assert [f.name for f in files] == ["be-vietnam-pro-400.woff2", "be-vietnam-pro-700.woff2"]
    for path in files:
        cmap = TTFont(path).getBestCmap()
        missing = sorted(c for c in needed if ord(c) not in cmap)
        assert not missing, f"{path.name} lacks {''.join(missing)}"
        assert path.stat().st_size < 20_000


def test_stylesheets_ask_for_no_weight_the_fonts_do_not_have():
    for css in (STATIC_DIR / "css").glob("*.css"):
        weights = set(re.findall(r"font-weight:\s*(\d+)", css.read_text()))
        assert weights <= {"400", "700"}, (css.name, weights)


def test_the_wheel_carries_the_screens_and_runs_from_any_directory(tmp_path):
    """Build the wheel, install it in a fresh virtualenv (its dependencies are this one's,
    through a .pth file: the test does not download them again), start `live serve` in an
    empty directory, and load a page with its styles."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), "."],
        cwd=ROOT,
        check=True,
    )
    (wheel,) = wheels.glob("live-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--no-deps", str(wheel)], check=True)
    site = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import live.settings as s; print(s.STATIC_DIR)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where == str(Path(site) / "live" / "static")
    shipped = {
        p.relative_to(Path(site) / "live").as_posix()
        for p in (Path(site) / "live").rglob("*")
        if p.is_file()
    }
    for folder in (SCREENS_DIR, STATIC_DIR):
        for path in folder.rglob("*"):
            if path.is_file():
                assert f"{folder.name}/{path.relative_to(folder).as_posix()}" in shipped, path

    port = free_port()
    env = {**os.environ, "LIVE_SECRET_KEY": "test", "LIVE_PUBLIC_URL": ""}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(venv / "bin" / "live"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=elsewhere,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_serving(process, port, log, seconds=30)
        page = httpx.get(f"http://127.0.0.1:{port}/e/demo/ask")
        assert page.status_code == 200 and "Gửi câu hỏi" in page.text
        css = re.search(r'href="(/static/css/live\.[0-9a-f]{10}\.css)"', page.text)
        assert css and httpx.get(f"http://127.0.0.1:{port}{css.group(1)}").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert (elsewhere / "live.db").exists()
