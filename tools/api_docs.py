"""Write docs/api.md's command tables from the OpenAPI document (live/openapi.py).

    .venv/bin/python tools/api_docs.py           # rewrites docs/api.md's tables
    .venv/bin/python tools/api_docs.py --check   # exits 1 when docs/api.md is not as written

Each group of commands (the module that registers them: agenda, keys, floor, …) has its
table in docs/api.md between `<!-- commands:GROUP -->` and `<!-- /commands:GROUP -->`;
only what is between the markers is rewritten, the prose around it is kept. A row is
`| \\`name\\` | args | what it does |`: the args from the command's argument schema (each
field, whether it is required, its values, range or length, default and description), what
it does from the schema's description (the handler's docstring). A command without an
argument model yet keeps the args cell the document has for it. tests/test_docs.py fails
when the file differs from what this writes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from live import access
from live.commands.args import FILLED, PRINTABLE
from live.openapi import COMMAND_PATH, openapi

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"
HEADER = "| command | args | what it does |\n|---|---|---|"
ACCESS = re.compile(r"(<!-- access -->\n)(.*?)(<!-- /access -->)", re.S)
REGION = re.compile(r"(<!-- commands:([\w.-]+) -->\n)(.*?)(<!-- /commands:\2 -->)", re.S)
ROW = re.compile(r"^\| `([^`]+)` \| (.*) \| (.*) \|$")
UNBOUNDED = 2**31  # an id's or a version's upper limit: not worth saying
NO_MODEL = "any (checked as it runs)"


def resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def number(value: Any) -> str:
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return text.replace("-", "−")


def literal(value: Any) -> str:
    if value == "":
        return '`""`'
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def limits(schema: dict[str, Any], schemas: dict[str, Any]) -> list[str]:
    """What a field's schema allows, in a few words: `a`, `b`; 1…8; ≤ 500; true/false."""
    if "enum" in schema:
        return [", ".join(literal(v) for v in schema["enum"])]
    if "const" in schema:
        return [literal(schema["const"])]
    kind = schema.get("type")
    if kind in ("integer", "number"):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        hi = None if hi is not None and hi >= UNBOUNDED else hi
        if lo is not None and hi is not None:
            return [f"{number(lo)}…{number(hi)}"]
        if lo is not None:
            return [f"≥ {number(lo)}"]
        return [f"≤ {number(hi)}"] if hi is not None else ["a number"]
    if kind == "boolean":
        return ["true/false"]
    if kind == "string":
        if schema.get("pattern", PRINTABLE) not in (PRINTABLE, FILLED):  # a format of its own
            return [f"e.g. {literal(v)}" for v in schema.get("examples", [])[:1]]
        return [f"≤ {number(schema['maxLength'])}"] if "maxLength" in schema else []
    if kind == "array":
        items = resolve(schema.get("items", {}), schemas)
        size = (
            f"{number(schema.get('minItems', 0))}…{number(schema['maxItems'])}"
            if "maxItems" in schema
            else None
        )
        what = f"`{items['title']}` objects" if "title" in items and "properties" in items else ""
        each = "; ".join(limits(items, schemas)) if not what else ""
        head = "list" + (f" of {size}" if size else "") + (f" {what}" if what else "")
        return [head + (f", each {each}" if each else "")]
    if "properties" in schema and "title" in schema:
        return [f"a `{schema['title']}` object"]
    return []


def field(name: str, schema: dict[str, Any], required: bool, schemas: dict[str, Any]) -> str:
    """One argument: `name` (required; its limits; default x; description)."""
    schema = resolve(schema, schemas)
    branches = [resolve(b, schemas) for b in schema.get("anyOf", [])]
    real = [b for b in branches if b.get("type") != "null"]
    shape = real[0] if len(real) == 1 else schema
    parts = ["required"] if required else []
    parts += limits(shape, schemas)
    if len(real) < len(branches):
        parts.append("or null")
    default = schema.get("default")
    if default not in (None, "", False, [], {}, 0):
        shown = number(default) if type(default) in (int, float) else literal(default)
        parts.append(f"default {shown}")
    if "description" in schema:
        parts.append(schema["description"])
    return f"`{name}`" + (f" ({'; '.join(parts)})" if parts else "")


def args_cell(args: dict[str, Any], schemas: dict[str, Any], kept: str | None) -> str:
    """The args column: every field of the command's argument schema, "—" for none."""
    model = resolve(args, schemas)
    if "properties" not in model:  # no argument model yet: what the document says
        return kept or NO_MODEL
    required = model.get("required", [])
    names = [*required, *(n for n in model["properties"] if n not in required)]
    fields = [field(n, model["properties"][n], n in required, schemas) for n in names]
    return cell(", ".join(fields)) or "—"


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def tables(document: dict[str, Any], kept: dict[str, str]) -> dict[str, str]:
    """Each group's table, its commands in the order they are registered."""
    schemas = document["components"]["schemas"]
    body = document["paths"][COMMAND_PATH]["post"]["requestBody"]
    variants = body["content"]["application/json"]["schema"]["oneOf"]
    rows: dict[str, list[str]] = {}
    for ref in variants:
        variant = resolve(ref, schemas)
        name = variant["properties"]["command"]["const"]
        args = args_cell(variant["properties"]["args"], schemas, kept.get(name))
        rows.setdefault(variant["x-group"], []).append(
            f"| `{name}` | {args} | {cell(variant['description'])} |"
        )
    return {group: "\n".join([HEADER, *lines]) for group, lines in rows.items()}


def written(text: str, document: dict[str, Any]) -> str:
    """`text` (docs/api.md) with its command tables as the document says."""
    kept = {}
    for match in REGION.finditer(text):
        for line in match[3].splitlines():
            if row := ROW.match(line):
                kept[row[1]] = row[2]
    found = tables(document, kept)
    marked = [m[2] for m in REGION.finditer(text)]
    missing = sorted(set(found) - set(marked))
    if missing:
        raise SystemExit(
            f"docs/api.md has no table for the commands of {', '.join(missing)}: add "
            + " ".join(f"<!-- commands:{g} --> <!-- /commands:{g} -->" for g in missing)
            + " where it goes"
        )
    stale = sorted(
        {g for g in marked if g not in found} | {g for g in marked if marked.count(g) > 1}
    )
    if stale:
        raise SystemExit(f"docs/api.md: no such group of commands, or twice: {', '.join(stale)}")
    text = REGION.sub(lambda m: f"{m[1]}{found[m[2]]}\n{m[4]}", text)
    # "Who may do what": the access table, as live.access writes it
    return ACCESS.sub(lambda m: f"{m[1]}{access.markdown()}\n{m[3]}", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api.md differs")
    options = parser.parse_args(argv)
    text = DOCS.read_text(encoding="utf-8")
    new = written(text, openapi())
    if options.check:
        if new != text:
            print("docs/api.md's tables are not as generated: run tools/api_docs.py")
            return 1
        return 0
    if new != text:
        DOCS.write_text(new, encoding="utf-8")
        print("docs/api.md: tables written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
