import re
from pathlib import Path

from live.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_documented():
    api = (ROOT / "docs" / "api.md").read_text()
    missing = [name for name in COMMANDS if f"`{name}`" not in api]
    assert missing == []


def test_readme_names_the_two_commands_and_every_setting():
    readme = (ROOT / "README.md").read_text()
    assert "make serve" in readme and "make test" in readme
    settings = (ROOT / "live" / "settings.py").read_text()
    for var in sorted(set(re.findall(r'"(LIVE_[A-Z_]+)"', settings))):
        assert var in readme, var
