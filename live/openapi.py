"""The OpenAPI 3.1 document of the HTTP API (`GET /api/openapi.json`), built from what the
server itself checks: the command registry (each command's argument model, its Vietnamese
summary, its handler's docstring) and the access table (who may send it). Nothing in it is
written twice: a new command shows up here, in docs/api.md's command tables
(tools/api_docs.py) and in the Schemathesis run (tests/test_schemathesis.py) as soon as it
is registered.

The body of `POST /api/e/{slug}/commands` is a discriminated union on `command`: one
variant per command, `{"command": <its name>, "args": <its model's JSON schema>}`.

The argument models' JSON schemas are pydantic's. The checks of live.commands.args say
themselves what they add to it (`Rule`: a `Text` refuses control characters, `one_of` is an
enum, `matching` a pattern, `Day` a date); only "a required text holds a character that is
not blank" is added here, where the text's minLength and its pattern meet. So a value
generated from the document is one the server takes as well-formed (docs/decisions.md,
"OpenAPI and Schemathesis").
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from live import access
from live.commands import COMMANDS, Command
from live.commands.args import FILLED, PRINTABLE

REF = "#/components/schemas/{model}"
COMMAND_PATH = "/api/e/{slug}/commands"


def _filled(node: Any) -> None:
    """A Text of at least one character must hold one that is not blank (its minLength may
    be declared around it, out of the validator's sight)."""
    if isinstance(node, dict):
        if node.get("pattern") == PRINTABLE and node.get("minLength", 0) >= 1:
            node["pattern"] = FILLED
        for value in node.values():
            _filled(value)
    elif isinstance(node, list):
        for value in node:
            _filled(value)


def describe(handler: Callable[..., Any]) -> str:
    """A handler's docstring as one line: what the command does (in English)."""
    return " ".join((inspect.getdoc(handler) or "").split())


def group(cmd: Command) -> str:
    """The group of commands a command belongs to: its module (agenda, floor, …)."""
    return cmd.handler.__module__.rsplit(".", 1)[-1]


def _required(schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    """Whether an argument schema requires anything (then `args` may not be left out)."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return bool(schema.get("required"))


def command_schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """(the variant of each command, by name; the argument models' schemas, by name)."""
    models: list[type[BaseModel]] = []
    for cmd in COMMANDS.values():
        if cmd.args is not None and cmd.args not in models:
            models.append(cmd.args)
    refs, found = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    defs: dict[str, Any] = found.get("$defs", {})
    _filled(defs)
    variants: dict[str, Any] = {}
    for name, cmd in COMMANDS.items():
        args = (
            {"type": "object", "description": "Checked by the command as it runs."}
            if cmd.args is None
            else refs[(cmd.args, "validation")]
        )
        variants[name] = {
            "type": "object",
            "title": name,
            "description": describe(cmd.handler),
            "x-summary-vi": cmd.summary,
            "x-roles": list(access.COMMANDS[name]),
            "x-group": group(cmd),
            "properties": {"command": {"const": name}, "args": args},
            "required": ["command", "args"] if _required(args, defs) else ["command"],
        }
    return variants, defs


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _refusal(description: str, codes: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = _ref("Refusal")
    if codes:
        schema = {"allOf": [schema, {"properties": {"code": {"enum": list(codes)}}}]}
    return {"description": description, **_json(schema)}


# The refusals every call with a key may get, by status.
UNAUTHORIZED = _refusal("No key, a wrong key, or a key of another conference.", ("unauthorized",))
FORBIDDEN = _refusal("The role may not do this.", ("forbidden",))
NOT_FOUND = _refusal("No such conference, file or row.", ("not_found", "unknown_command"))
RATE_LIMITED = _refusal(
    "30 wrong keys within a minute from this address: every key is refused until the minute "
    "has passed.",
    ("rate_limited",),
)
PARAMETERS = [
    {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": "The conference's code in its URL (`demo`).",
        "schema": {"type": "string"},
    }
]


def _download(summary: str, media_type: str, roles: tuple[str, ...]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "x-roles": list(roles),
            "parameters": PARAMETERS,
            "responses": {
                "200": {"description": "The file.", "content": {media_type: {}}},
                "401": UNAUTHORIZED,
                "403": FORBIDDEN,
                "404": NOT_FOUND,
                "429": RATE_LIMITED,
            },
        }
    }


STATE = {
    "type": "object",
    "required": [
        "slug",
        "title",
        "seq",
        "epoch",
        "server_time",
        "position",
        "steps",
        "step",
        "timer",
        "projector_mode",
        "video",
    ],
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "seq": {"type": "integer", "description": "The last event's number."},
        "epoch": {"type": "string"},
        "server_time": {"type": "number"},
        "position": {"type": "integer", "description": "The current step; 0: before the start."},
        "steps": {"type": "integer", "description": "How many steps the programme has."},
        "step": {"type": ["object", "null"], "description": "The current step, null before."},
        "timer": {
            "type": "object",
            "required": ["duration", "elapsed", "started_at", "running", "remaining"],
            "properties": {
                "duration": {"type": "number"},
                "elapsed": {"type": "number"},
                "started_at": {"type": ["number", "null"]},
                "running": {"type": "boolean"},
                "remaining": {"type": "number", "description": "Negative in overtime."},
            },
        },
        "projector_mode": {"type": "string"},
        "video": {
            "type": "object",
            "required": ["playing", "offset", "started_at"],
            "properties": {
                "playing": {"type": "boolean"},
                "offset": {"type": "number"},
                "started_at": {"type": ["number", "null"]},
            },
        },
    },
}


@cache
def openapi() -> dict[str, Any]:
    """The document, built once per process."""
    from live import api  # it serves this document

    variants, defs = command_schemas()
    schemas: dict[str, Any] = {**defs}
    for name, variant in variants.items():
        assert name not in schemas, f"command {name!r} has the name of a model"
        schemas[name] = variant
    schemas["Refusal"] = {
        "type": "object",
        "description": "A refused request: a machine-readable `code` and a Vietnamese "
        "`message` for the person at the screen; for a refused argument, each wrong field.",
        "required": ["ok", "code", "message"],
        "properties": {
            "ok": {"const": False},
            "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
            "message": {"type": "string"},
            "fields": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "code", "message"],
                    "properties": {
                        "field": {"type": "string"},
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    }
    schemas["Done"] = {
        "type": "object",
        "required": ["ok", "seq", "result"],
        "properties": {
            "ok": {"const": True},
            "seq": {"type": "integer", "description": "The new event's number."},
            "result": {
                "type": "object",
                "description": "The command's answer (what the event log keeps, but for "
                "what only the caller may see, such as role.rotate's new key).",
            },
        },
    }
    schemas["State"] = STATE
    documents, audit_roles = access.DOWNLOADS["documents"], access.DOWNLOADS["audit"]
    paths: dict[str, Any] = {
        "/api/openapi.json": {
            "get": {
                "summary": "This document.",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1", **_json({"type": "object"})}},
            }
        },
        "/api/e/{slug}/state": {
            "get": {
                "summary": "The current state (any role's key).",
                "parameters": PARAMETERS,
                "responses": {
                    "200": {"description": "The state.", **_json(_ref("State"))},
                    "401": UNAUTHORIZED,
                    "404": NOT_FOUND,
                    "429": RATE_LIMITED,
                },
            }
        },
        COMMAND_PATH: {
            "post": {
                "summary": "Send a command (any role's key; what each allows: `x-roles`).",
                "parameters": PARAMETERS,
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "oneOf": [_ref(name) for name in variants],
                            "discriminator": {
                                "propertyName": "command",
                                "mapping": {name: REF.format(model=name) for name in variants},
                            },
                        }
                    ),
                },
                "responses": {
                    "200": {"description": "Done and logged.", **_json(_ref("Done"))},
                    "400": _refusal(
                        "Not JSON (`bad_json`), or a wrong argument (`bad_args`, `missing`, "
                        "`too_long`, `out_of_range`: each named in `fields`)."
                    ),
                    "401": UNAUTHORIZED,
                    "403": FORBIDDEN,
                    "404": NOT_FOUND,
                    "409": _refusal(
                        "The command does not fit the current state (`at_end`, `conflict`, "
                        "`exists`, …)."
                    ),
                    "413": _refusal("Over 16 MB.", ("too_large",)),
                    "429": RATE_LIMITED,
                },
            }
        },
        "/api/e/{slug}/frames": {
            "get": {
                "summary": "The projector's frames for the replay, oldest first.",
                "x-roles": list(access.DOWNLOADS["frames"]),
                "parameters": PARAMETERS,
                "responses": {
                    "200": {
                        "description": "The frames.",
                        **_json(
                            {
                                "type": "object",
                                "required": ["slug", "frames"],
                                "properties": {
                                    "slug": {"type": "string"},
                                    "frames": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        ),
                    },
                    "401": UNAUTHORIZED,
                    "403": FORBIDDEN,
                    "404": NOT_FOUND,
                    "429": RATE_LIMITED,
                },
            }
        },
    }
    for fmt, table in (("xlsx", "minutes.xlsx"), ("csv", "minutes.csv")):
        media_type = api.DOWNLOADS[table][1].split(";")[0]
        path = _download(f"The audit log ({fmt}), newest first.", media_type, audit_roles)
        path["get"]["parameters"] = [
            *PARAMETERS,
            *(
                {"name": name, "in": "query", "description": text, "schema": {"type": "string"}}
                for name, text in (
                    ("role", "Only this role's commands."),
                    ("command", 'A command, or a family ending in "." (`delegate.`).'),
                    ("q", "Words in what changed."),
                )
            ),
        ]
        paths[f"/api/e/{{slug}}/audit.{fmt}"] = path
    for name, (_, media_type, _prefix) in api.DOWNLOADS.items():
        paths[f"/api/e/{{slug}}/{name}"] = _download(
            f"Download {name}.", media_type.split(";")[0], documents
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "live: conference-day facilitation",
            "version": "1",
            "description": "Every state change is a command (`POST /api/e/{slug}/commands`). "
            "Send a role's key as `Authorization: Bearer <key>`; docs/api.md says more.",
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
