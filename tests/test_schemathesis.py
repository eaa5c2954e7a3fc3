"""The HTTP API against its own OpenAPI document (live/openapi.py), on one real server.

Two runs, each with the key of every role that has one:
- every command, one by one: bodies Schemathesis generates from that command's variant of
  the document, each sent with the key of every role that may send the command, and once
  with the key of every role that may not (403 `forbidden`); every command ends up sent by
  every role;
- Schemathesis itself on the whole document: every operation, positive and negative data,
  bounded and deterministic.

Schemathesis checks every answer: never a 5xx, a documented status and content type, a
body valid against the documented schema. Keys are read again before each request:
`role.rotate` changes them as the run goes (a stale key would be refused, and 30 refused
keys lock the client's address out for a minute). The conference is always `demo`, the
one the keys open (a key sent to another conference counts as a wrong key too).

One server serves the module; the tests run in file order and the last one checks that
the server's log holds no traceback.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import Engine

from live import access
from live.app import prepare_database
from live.auth import role_keys
from live.commands import COMMANDS
from live.openapi import COMMAND_PATH, openapi
from live.settings import Settings
from tests.conftest import Server, running_server

SLUG = "demo"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BODIES_PER_COMMAND = 3  # generated bodies per command, each sent by every role that may
EXAMPLES_PER_OPERATION = 8  # Schemathesis' fuzzing phase, per operation and role
# Commands whose answers break the document (a 5xx, an answer off the schema), with why:
# each is marked xfail (strict), never skipped. None found so far.
KNOWN_BUGS: dict[str, str] = {}
SENT: dict[str, set[str]] = defaultdict(set)  # command -> the roles that sent it
REFUSED: set[tuple[str, str]] = set()  # (operation, role) that sent a case
SESSION = requests.Session()  # one connection for the run, not one per request


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("schemathesis")) as server:
        yield server


class Keys:
    """Each role's key as the server holds it now (`role.rotate` changes them)."""

    def __init__(self, server: Server) -> None:
        self.engine: Engine = prepare_database(
            replace(Settings(), database_url=server.database_url)
        )

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {role_keys(self.engine, SLUG)[role]}"}


@pytest.fixture(scope="module")
def keys(api_server: Server) -> Keys:
    return Keys(api_server)


def sent_by(case: schemathesis.Case, role: str, keys: Keys, server: Server) -> Any:
    """Send `case` to the demo conference with the key of `role`; Schemathesis checks the
    answer."""
    if "{slug}" in case.path:
        case.path_parameters = {**(case.path_parameters or {}), "slug": SLUG}
    response = case.call(base_url=server.url, headers=keys.auth(role), session=SESSION)
    assert response.status_code != 429, "the run locked itself out with wrong keys"
    case.validate_response(response, checks=CHECKS)
    return response


def test_the_server_serves_this_document(api_server: Server) -> None:
    """What the runs below test is what the server serves."""
    served = SESSION.get(f"{api_server.url}/api/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(json.dumps(openapi()))


@pytest.fixture(scope="module")
def variants() -> dict[str, Any]:
    """The command operation once per command, its body that command's variant alone."""
    document = openapi()
    found = {}
    for name in COMMANDS:
        operation = copy.deepcopy(document["paths"][COMMAND_PATH])
        content = operation["post"]["requestBody"]["content"]["application/json"]
        content["schema"] = {"$ref": f"#/components/schemas/{name}"}
        one = schemathesis.openapi.from_dict({**document, "paths": {COMMAND_PATH: operation}})
        found[name] = one[COMMAND_PATH]["POST"]
    return found


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True))
        if name in KNOWN_BUGS
        else name
        for name in COMMANDS
    ],
)
def test_every_role_sends_the_command(
    name: str, variants: dict[str, Any], keys: Keys, api_server: Server
) -> None:
    allowed = [r for r in access.ROLES if r in access.COMMANDS[name]]
    others = [r for r in access.ROLES if r not in allowed]
    strategy = variants[name].as_strategy()

    @given(st.data())
    @settings(
        max_examples=BODIES_PER_COMMAND,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(data: st.DataObject) -> None:
        case = data.draw(strategy)
        assert case.body["command"] == name
        for role in allowed + others:
            response = sent_by(case, role, keys, api_server)
            SENT[name].add(role)
            if role in others:
                assert response.status_code == 403, (role, response.text)
                assert response.json()["code"] == "forbidden"
        others.clear()  # a role that may not: refused before its arguments are read, once

    send()
    assert SENT[name] == set(access.ROLES)


def test_every_command_was_sent_by_every_role(request: pytest.FixtureRequest) -> None:
    ran: set[str] = {
        str(item.callspec.params["name"])
        for item in request.session.items
        if isinstance(item, pytest.Function)
        and item.originalname == "test_every_role_sends_the_command"
    }
    every = set(access.ROLES)
    assert all(SENT[name] == every for name in ran)
    if ran == set(COMMANDS):  # the whole run, not a selection of it
        assert {name: SENT[name] for name in COMMANDS} == {name: every for name in COMMANDS}


# Schemathesis proper, on the document the server serves (above). It is built here rather
# than fetched: pytest collects these tests before any server runs, and Schemathesis'
# loader from a fixture (`schemathesis.pytest.from_fixture`) fails on pytest 9. The command
# union's coverage phase (2,200 cases a role) is left to the command-by-command run above;
# every other operation has it.
schema = schemathesis.openapi.from_dict(
    openapi(),
    config=schemathesis.Config.from_dict(
        {
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"enabled": False}},
            "operations": [
                {"include-path": COMMAND_PATH, "phases": {"coverage": {"enabled": False}}}
            ],
            "parameters": {"slug": SLUG},
        }
    ),
)


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck))
def test_schemathesis(case: schemathesis.Case, keys: Keys, api_server: Server) -> None:
    """Each case with the key of every role the operation is for (`x-roles`: a download's;
    any key for the state and the commands); a role it is not for, whose answer is a 403
    before anything else is read, sends the first case only."""
    raw = case.operation.definition.raw
    if raw.get("security") == []:  # needs no key
        response = case.call(base_url=api_server.url, session=SESSION)
        case.validate_response(response, checks=CHECKS)
        return
    meant = raw.get("x-roles", access.ROLES)
    for role in access.ROLES:
        if role in meant or (case.operation.label, role) not in REFUSED:
            REFUSED.add((case.operation.label, role))
            sent_by(case, role, keys, api_server)


def test_the_server_logged_no_error(api_server: Server) -> None:
    assert api_server.log_path is not None
    log = Path(api_server.log_path).read_text(errors="replace")
    for bad in ("Traceback", "Exception in ASGI application", "unhandled error", "ERROR"):
        assert bad not in log, log[-3000:]
