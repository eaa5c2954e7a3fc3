"""The forms take their limits (maxlength, min, max, required) from the commands' argument
models: a form and the server cannot disagree (the phone form once allowed 2,000 characters
where the server took 4,000)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from live.app import create_app
from live.commands import COMMANDS
from live.commands.floor import QuestionSubmit
from live.settings import SCREENS_DIR
from tests.test_floor_http import ask

FORM = re.compile(r'<form\b[^>]*data-command="([^"]+)"[^>]*>(.*?)</form>', re.S)
FIELD = re.compile(r"<(?:input|textarea)\b[^>]*>")
HARD_CODED = re.compile(r'\s(?:maxlength|min|max)="')


def command_form_fields():
    for path in sorted(SCREENS_DIR.rglob("*.html")):
        for form in FORM.finditer(path.read_text()):
            name, body = form.groups()
            for tag in FIELD.findall(body):
                field = re.search(r'\bname="([^"]+)"', tag)
                if field and 'type="hidden"' not in tag and 'type="file"' not in tag:
                    yield path.relative_to(SCREENS_DIR), name, field.group(1), tag


def test_every_command_form_field_takes_its_limits_from_the_model():
    seen = 0
    for path, name, field, tag in command_form_fields():
        model = COMMANDS[name].args
        assert model is not None, f"{path}: {name} declares no argument model"
        assert field in model.model_fields, f"{path}: {name} has no argument «{field}»"
        assert tag.count(f'limits("{name}", "{field}")') == 1, f"{path}: {tag}"
        assert not HARD_CODED.search(tag), f"{path}: a limit written by hand: {tag}"
        seen += 1
    assert seen > 50  # the forms were found


def test_the_phone_form_and_the_server_agree_on_the_length_of_a_question(settings):
    limit = QuestionSubmit.model_fields["text"].metadata
    longest = next(m.max_length for m in limit if hasattr(m, "max_length"))
    with TestClient(create_app(settings), follow_redirects=False) as client:
        page = client.get("/e/demo/ask").text
        textarea = re.search(r'<textarea name="text"[^>]*>', page)
        assert textarea and f'maxlength="{longest}"' in textarea.group(0)
        assert "required" in textarea.group(0)
        base = {"asker_name": "Lò Thị Hà", "asker_unit": "Sở Y tế"}
        r = ask(client, {**base, "text": "x" * longest})
        assert r.status_code == 200, r.text
        r = ask(client, {**base, "text": "x" * (longest + 1)})
        assert r.status_code == 400 and f"dài quá {longest} ký tự" in r.text
