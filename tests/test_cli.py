from dataclasses import replace

from live import cli
from live import settings as settings_module
from live.settings import Settings, base_url


def test_links_prints_one_link_per_screen_with_its_key(engine, settings, keys, capsys):
    base = "http://192.0.2.10:9000"
    assert cli.main(["links", "demo", "--db", settings.database_url, "--public-url", base]) == 0
    out = capsys.readouterr().out
    assert f"{base}/e/demo/mc?key={keys['mc']}" in out
    assert f"{base}/e/demo/projector?key={keys['projector']}" in out
    for page in ("audit", "replay", "print/badges", "print/seats"):
        assert f"{base}/e/demo/{page}?key={keys['admin']}" in out
    assert f"{base}/e/demo/notice?key={keys['secretary']}" in out
    assert f"{base}/e/demo/print/gifts?key={keys['checkin']}" in out
    assert keys["moderator"] in out  # roles without a screen yet still get their key


def test_links_of_an_unknown_conference(engine, settings, capsys):
    assert cli.main(["links", "nope", "--db", settings.database_url]) == 1
    assert "Không có hội nghị «nope»" in capsys.readouterr().err


def test_links_carry_an_address_the_hall_can_reach(monkeypatch):
    monkeypatch.setattr(settings_module, "lan_address", lambda: "192.168.1.23")
    assert base_url(replace(Settings(), host="0.0.0.0", port=8000)) == "http://192.168.1.23:8000"
    assert base_url(replace(Settings(), host="127.0.0.1")) == "http://127.0.0.1:8000"
    public = replace(Settings(), host="0.0.0.0", public_url="http://hoinghi.local")
    assert base_url(public) == "http://hoinghi.local"


def test_settings_from_environment():
    s = Settings.from_env(
        {
            "LIVE_DATABASE_URL": "sqlite:///x.db",
            "LIVE_PORT": "8080",
            "LIVE_PUBLIC_URL": "http://10.0.0.5:8080/",
            "LIVE_SEED_DEMO": "0",
        }
    )
    assert (s.database_url, s.port, s.public_url, s.seed_demo) == (
        "sqlite:///x.db",
        8080,
        "http://10.0.0.5:8080",
        False,
    )


def test_every_printed_link_opens_its_page(settings, keys):
    """Each role link, opened in a fresh browser (cookie jar), lands on its page."""
    from starlette.testclient import TestClient

    from live.app import create_app
    from live.auth import role_links

    app = create_app(settings)
    links = role_links("http://testserver", "demo", keys)
    assert len(links) == 24  # mic: one per microphone (4)
    for role, url in links:
        with TestClient(app, follow_redirects=False) as client:
            r = client.get(url)
            assert r.status_code == 303, (role, url, r.status_code)
            page = client.get(r.headers["location"])
            assert page.status_code == 200, (role, url, page.status_code)
