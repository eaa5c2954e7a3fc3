"""Headers every response carries, no inline script or style in any template (so the
Content-Security-Policy can forbid them), and the limit on wrong keys."""

import re

import pytest
from starlette.testclient import TestClient

from live.app import create_app
from live.settings import SCREENS_DIR


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as c:
        yield c


def test_every_response_forbids_inline_script_and_foreign_origins(client, keys):
    for path in ("/", "/e/demo/ask", f"/e/demo/mc?key={keys['mc']}", "/static/js/live.js", "/nope"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"  # role links carry keys


def test_no_template_has_inline_script_style_or_handlers():
    found = []
    for path in SCREENS_DIR.rglob("*.html"):
        html = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)",
            r"<style",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"javascript:",
        ):
            if re.search(pattern, html, re.IGNORECASE):
                found.append(f"{path.name}: {pattern}")
    assert found == []


def test_wrong_keys_are_limited_per_client(client, keys):
    for _ in range(30):
        assert client.get("/e/demo/mc?key=wrong").status_code == 403
    # The 31st try is refused whatever the key, the right one included, for a minute.
    r = client.get(f"/e/demo/mc?key={keys['mc']}")
    assert r.status_code == 429 and "Quá nhiều lần thử" in r.text
    r = client.get("/api/e/demo/state", headers={"Authorization": f"Bearer {keys['mc']}"})
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"
