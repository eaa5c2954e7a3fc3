from dataclasses import replace

from live import cli
from live import settings as settings_module
from live.settings import Settings, base_url


def test_links_prints_one_link_per_screen_with_its_key(engine, settings, keys, capsys):
    assert cli.main(["links", "demo", "--db", settings.database_url, "--port", "9000"]) == 0
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:9000/e/demo/mc?key={keys['mc']}" in out
    assert f"http://127.0.0.1:9000/e/demo/projector?key={keys['projector']}" in out
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


def test_every_role_link_opens_a_real_screen():
    from live.auth import ROLE_SCREENS, valid_screen

    paths = [p.format(n=8) for paths in ROLE_SCREENS.values() for p in paths]
    assert all(valid_screen(p.replace("/", ":")) for p in paths)
