"""The OpenAPI document (live/openapi.py): built from the registry and the access table, and
truthful: what a generator draws from a command's argument schema is what its model takes.
The run against a real server is tests/test_schemathesis.py."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError
from starlette.testclient import TestClient

from live import access
from live.app import create_app
from live.commands import COMMANDS, CommandError
from live.commands.args import DAY, FILLED, PRINTABLE, clean_text
from live.openapi import COMMAND_PATH, openapi
from live.settings import Settings

# Fields whose check the document does not describe (a drawn value may be refused there, as
# bad_args): none since every check says its schema (live.commands.args.Rule).
UNDESCRIBED: set[str] = set()


def schemas() -> dict[str, Any]:
    return openapi()["components"]["schemas"]


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = schemas()[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_the_document_is_openapi_3_1_and_schemathesis_reads_every_operation() -> None:
    document = openapi()
    assert document["openapi"] == "3.1.0"
    assert openapi() is document  # built once per process
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(document))
    loaded.validate()  # against the OpenAPI 3.1 schema
    for path, methods in document["paths"].items():
        for method in methods:
            assert loaded[path][method.upper()].label == f"{method.upper()} {path}"
    assert {"/api/e/{slug}/state", COMMAND_PATH, "/api/e/{slug}/notice.docx"} <= set(
        document["paths"]
    )


def test_the_server_serves_it_without_a_key(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["paths"].keys() == openapi()["paths"].keys()


def test_the_commands_body_is_a_union_of_every_command_discriminated_by_its_name() -> None:
    body = openapi()["paths"][COMMAND_PATH]["post"]["requestBody"]
    union = body["content"]["application/json"]["schema"]
    names = [resolve(ref)["properties"]["command"]["const"] for ref in union["oneOf"]]
    assert names == list(COMMANDS)
    assert union["discriminator"]["propertyName"] == "command"
    mapping = union["discriminator"]["mapping"]
    assert list(mapping) == names
    for name, cmd in COMMANDS.items():
        variant = resolve({"$ref": mapping[name]})
        assert variant["required"][0] == "command"
        assert variant["x-roles"] == list(access.COMMANDS[name])
        assert variant["x-summary-vi"] == cmd.summary
        assert variant["description"], f"{name}: its handler has no docstring"
        args = resolve(variant["properties"]["args"])
        assert args["type"] == "object"
        if cmd.args is not None:
            assert set(args.get("properties", {})) == {
                info.alias or field for field, info in cmd.args.model_fields.items()
            }
            assert ("args" in variant["required"]) == bool(args.get("required"))


def test_every_refusal_status_is_documented_with_the_refusal_schema() -> None:
    responses = openapi()["paths"][COMMAND_PATH]["post"]["responses"]
    assert set(responses) == {"200", "400", "401", "403", "404", "409", "413", "429"}
    for status, response in responses.items():
        if status != "200":
            text = str(response["content"]["application/json"]["schema"])
            assert "#/components/schemas/Refusal" in text
    refusal = schemas()["Refusal"]
    assert refusal["required"] == ["ok", "code", "message"]
    refused = CommandError("x", "y", 409, [{"field": "a", "code": "b", "message": "c"}])
    assert refused.as_json().keys() == set(refusal["properties"])


def text_fields() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for name, cmd in COMMANDS.items():
        if cmd.args is None:
            continue
        model = resolve(resolve(schemas()[name])["properties"]["args"])
        for field, schema in model.get("properties", {}).items():
            for branch in [schema, *schema.get("anyOf", []), schema.get("items", {})]:
                if branch.get("type") == "string":
                    found.append((name, field, branch))
    return found


def test_every_text_argument_says_which_characters_it_takes() -> None:
    fields = text_fields()
    assert fields
    for name, field, schema in fields:
        assert "pattern" in schema or "enum" in schema, (name, field)
        if schema.get("pattern") in (PRINTABLE, FILLED):
            assert (schema["pattern"] == FILLED) == (schema.get("minLength", 0) >= 1), (name, field)


def refused(value: str) -> bool:
    try:
        clean_text(value)
    except PydanticCustomError:
        return True
    return False


@given(st.text(alphabet=st.characters(codec="utf-8")))
@settings(max_examples=300, derandomize=True, database=None)
def test_the_text_patterns_are_what_clean_text_does(value: str) -> None:
    assert (re.fullmatch(PRINTABLE, value) is None) == refused(value)
    filled = not refused(value) and clean_text(value) != ""
    assert (re.fullmatch(FILLED, value) is not None) == filled


@pytest.mark.parametrize("value", ["", " ", "\t\n", "\u202e\u200f", "\u3000", "\x00a", "a\uffff"])
def test_blank_or_unprintable_texts_do_not_fill_a_required_field(value: str) -> None:
    assert re.fullmatch(FILLED, value) is None


def test_whitespace_is_all_below_u3001() -> None:
    """live.openapi lists what str.strip() removes from the characters below U+3001."""
    assert max(c for c in range(0x110000) if chr(c).isspace()) < 0x3001


@given(st.dates())
@settings(max_examples=200, derandomize=True, database=None)
def test_the_day_pattern_takes_every_date(day: date) -> None:
    assert re.fullmatch(DAY, day.isoformat())


@given(st.from_regex(r"[0-9]{4}-[01][0-9]-[0-3][0-9]", fullmatch=True))
@settings(max_examples=300, derandomize=True, database=None)
def test_the_day_pattern_takes_only_dates(text: str) -> None:
    if re.fullmatch(DAY, text):
        date.fromisoformat(text)


def whole(value: Any) -> Any:
    """JSON's 3.0 as 3: JSON Schema's integer admits it, the strict models do not (and
    Schemathesis sends both; see docs/decisions.md)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole(v) for v in value]
    return value


@pytest.mark.parametrize("name", [n for n, c in COMMANDS.items() if c.args is not None])
def test_what_the_schema_generates_the_model_takes(name: str) -> None:
    document = openapi()
    operation = copy.deepcopy(document["paths"][COMMAND_PATH])
    content = operation["post"]["requestBody"]["content"]["application/json"]
    content["schema"] = {"$ref": f"#/components/schemas/{name}"}
    loaded = schemathesis.openapi.from_dict({**document, "paths": {COMMAND_PATH: operation}})
    strategy = loaded[COMMAND_PATH]["POST"].as_strategy()
    cmd = COMMANDS[name]

    @given(strategy)
    @settings(
        max_examples=6,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def parsed(case: Any) -> None:
        args = whole(case.body.get("args", {}))
        try:
            cmd.parse(args)
        except CommandError as e:
            wrong = {f["field"].rsplit(".", 1)[-1] for f in e.fields}  # rows[2].seat: seat
            assert wrong and wrong <= UNDESCRIBED, (args, e.as_json())

    parsed()
