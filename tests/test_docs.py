import importlib.util
import re
from dataclasses import fields
from pathlib import Path
from types import ModuleType

import pytest

from live import access, cli
from live.commands import COMMANDS
from live.openapi import openapi
from live.settings import Settings, settings_table

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_documented():
    api = (ROOT / "docs" / "api.md").read_text()
    missing = [name for name in COMMANDS if f"`{name}`" not in api]
    assert missing == []


def test_the_api_document_holds_the_access_table_as_generated():
    """docs/api.md shows who may do what as live.access generates it (paste it anew)."""
    assert access.markdown() in (ROOT / "docs" / "api.md").read_text()


def test_readme_names_the_two_commands_and_has_the_table_of_every_setting():
    readme = (ROOT / "README.md").read_text()
    assert "make serve" in readme and "make test" in readme
    assert settings_table() in readme  # generated from live/settings.py: paste it anew
    settings = (ROOT / "live" / "settings.py").read_text()
    for var in sorted(set(re.findall(r'"(LIVE_[A-Z_]+)"', settings))):
        assert var in readme, var


def test_live_serve_help_lists_every_setting_with_its_variable(capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for f in fields(Settings):
        assert f.metadata["env"] in text, f.name
        if f.metadata["flag"]:
            assert f.metadata["flag"] in text, f.name


def test_ci_is_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [
        line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert commands[0].startswith("make test")  # the README's command does all the set-up
    assert not any(c.startswith(("apt", "pip", "sudo")) for c in commands)  # nothing beside it
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^SYSTEM_PACKAGES := chromium\b", makefile, re.M)
    assert re.search(r"^test: system\b", makefile, re.M)
    assert "LIVE_ALLOW_NO_BROWSER" not in (ROOT / "tests" / "browser" / "conftest.py").read_text()


def api_docs() -> ModuleType:
    """tools/api_docs.py, the script that writes docs/api.md's command tables."""
    spec = importlib.util.spec_from_file_location("api_docs", ROOT / "tools" / "api_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_command_tables_are_as_generated_from_the_openapi_document():
    """docs/api.md's command tables are what tools/api_docs.py writes (run it anew)."""
    text = (ROOT / "docs" / "api.md").read_text()
    assert api_docs().written(text, openapi()) == text, "run .venv/bin/python tools/api_docs.py"
    assert api_docs().main(["--check"]) == 0


def test_every_command_is_in_exactly_one_command_table():
    tool = api_docs()
    text = (ROOT / "docs" / "api.md").read_text()
    names = [
        row[1]
        for region in tool.REGION.finditer(text)
        for line in region[3].splitlines()
        if (row := tool.ROW.match(line))
    ]
    assert sorted(names) == sorted(COMMANDS)
