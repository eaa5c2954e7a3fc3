"""What a command accepts, as one pydantic model per command, checked before it runs.

A model declares each argument once: its type, its limits, whether it is required. The
checks the commands used to write out by hand (`int_arg`, `text_arg`…) follow from it, and
a refusal names every field that is wrong, in Vietnamese (pydantic's English messages are
not for the people at the screens): `{"code", "message", "fields": [{"field", "code",
"message"}]}`, the first field's code and message being the refusal's own, with the codes
docs/api.md documents (`missing`, `too_long`, `out_of_range`, `bad_args`).

Every text argument is `Text`: trimmed, NFC, without the control characters XML cannot hold
(they would break the Word and Excel exports) and without bidirectional controls (which
can make a name on the projector read backwards).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    create_model,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError, core_schema

from live.commands.refusal import CommandError

# XML 1.0 cannot hold these (C0 controls but tab and line breaks, U+FFFE, U+FFFF).
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Embeddings, overrides, isolates and marks that reorder text when it is shown.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def clean_text(value: Any) -> Any:
    """Text as it is kept: trimmed, NFC, bidirectional controls removed; refuses control
    characters. Anything not a string is left for the type check to refuse."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if UNPRINTABLE.search(value):
        raise PydanticCustomError("unprintable", "control characters")
    return BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", value)).strip()


def _escaped(chars: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in chars)


def _inside(pattern: re.Pattern[str]) -> str:
    """The inside of a one-class pattern such as UNPRINTABLE: "[abc]" -> "abc"."""
    return pattern.pattern[1:-1]


# What clean_text takes, as JSON Schema patterns (the OpenAPI document): no character it
# refuses; and, for a required text (min_length 1), one that is neither blank (str.strip
# takes it away; all such characters are below U+3001) nor removed.
WHITESPACE = _escaped("".join(c for c in map(chr, range(0x3001)) if c.isspace()))
PRINTABLE = f"^[^{_inside(UNPRINTABLE)}]*$"
FILLED = (
    f"^[^{_inside(UNPRINTABLE)}]*"
    f"[^{_inside(UNPRINTABLE)}{WHITESPACE}{_inside(BIDI_CONTROLS)}]"
    f"[^{_inside(UNPRINTABLE)}]*$"
)


@dataclass(frozen=True)
class Rule:
    """A check pydantic runs on an argument (after its type; `before`: in its place) and
    the words it adds to the argument's JSON schema, so that the OpenAPI document says what
    the server takes (a pattern, an enum) without anyone writing it twice."""

    check: Callable[[Any], Any]
    schema: tuple[tuple[str, Any], ...] = ()
    before: bool = False

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        wrap = (
            core_schema.no_info_before_validator_function
            if self.before
            else core_schema.no_info_after_validator_function
        )
        return wrap(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        found = dict(handler(schema))
        words = dict(self.schema)
        if "enum" in words:
            found.pop("pattern", None)
        return {**found, **words}


def rule(check: Callable[[Any], Any], **schema: Any) -> Rule:
    """`Annotated[Text, rule(seat_of, pattern=…)]`: `check` (raising PydanticCustomError)
    after the type, and what the JSON schema says of it."""
    return Rule(check, tuple(schema.items()))


# Every text argument: `name: Text = Field("", max_length=200)`; a required one with
# `min_length=1` (an empty or blank text then counts as missing).
Text = Annotated[str, Rule(clean_text, (("pattern", PRINTABLE),), before=True)]


Id = Annotated[int, Field(ge=1, le=2**31)]  # a row's id


def as_flag(value: Any) -> Any:
    """What a form's checkbox sends ("1", "on", "", "0"…) as true/false."""
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "on", 1):
        return True
    if value in ("0", "false", "", 0, None):
        return False
    return value


Flag = Annotated[bool, BeforeValidator(as_flag)]  # true/false, also as a form sends it
Version = Annotated[int, Field(ge=0, le=2**31)]  # the version a save started from (0: new)


def one_of(allowed: Sequence[str]) -> Rule:
    """A text that must be one of `allowed` (a kind, a status…), declared where the values
    are: `status: Annotated[str, one_of(COMMITMENT_STATUSES)]`."""
    values = list(allowed)

    def check(value: str) -> str:
        if value not in values:
            raise PydanticCustomError("one_of", "not one of", {"allowed": values})
        return value

    return rule(check, enum=values)


def matching(pattern: str, message: str) -> Rule:
    """A text that is "" or matches `pattern`; else refused with `message` (Vietnamese)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if value and not compiled.fullmatch(value):
            raise PydanticCustomError("vi", message)
        return value

    return rule(check, pattern=f"^(?:{pattern})?$")


def iso_date(value: str) -> str:
    """ "" or a date as 2024-12-31."""
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("iso_date", "not a date") from None
    return value


# iso_date's days as a pattern: year 0001…9999, February 29 of leap years only.
_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
DAY = (
    rf"^(?:{_YEAR}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    rf"|(?:0[13578]|1[02])-31)|{_LEAP}-02-29)?$"
)
# "" or 2024-12-31
Day = Annotated[Text, Field(max_length=10), rule(iso_date, pattern=DAY, examples=["2025-07-05"])]


class Args(BaseModel):
    """A command's arguments. Strict: 3 is a number, "3" and true are not. Arguments a
    command does not know are ignored (a form may send its own hidden fields)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


A = TypeVar("A", bound=BaseModel)


class NoArgs(Args):
    """A command that takes nothing."""


def partial(whole: type[Args], key: type[Args], name: str) -> type[Args]:
    """The arguments of an edit command: `key`'s fields (which row), then any of `whole`'s
    fields, each with its type and limits but optional. The command then checks what was
    sent over what is kept as a `whole` (`over_kept`), so a field is declared once, in `whole`."""
    fields: dict[str, Any] = {}
    for field_name, info in whole.model_fields.items():
        if field_name not in key.model_fields:
            optional = copy(info)
            optional.default, optional.default_factory = None, None
            # The type stays as it is (a sent null is refused as it would be on a new row);
            # None is only the default, which pydantic does not validate: "not sent".
            fields[field_name] = (info.annotation, optional)
    return create_model(name, __base__=key, __module__=whole.__module__, **fields)


def fields_of(row: Any, whole: type[Args]) -> dict[str, Any]:
    """`row`'s values of `whole`'s fields (where the row stores them under the same names)."""
    return {name: getattr(row, name) for name in whole.model_fields}


def over_kept(
    whole: type[A], stored: Mapping[str, Any], raw: Mapping[str, Any]
) -> tuple[A, set[str]]:
    """An edit (see `partial`): the fields of `whole` sent in `raw`, over what is `stored`,
    checked whole as a new `whole` would be — an edit cannot leave a row that a new one could
    not be. Returns the whole and the names of the fields that were sent."""
    sent = {name: raw[name] for name in whole.model_fields if name in raw}
    return parse(whole, {**stored, **sent}), set(sent)


def bounds(model: type[BaseModel], field: str) -> tuple[Any, Any]:
    """The (lowest, highest) a field of `model` allows, as declared."""
    lo = hi = None
    info = model.model_fields.get(field)
    for m in info.metadata if info else ():
        if isinstance(m, Ge):
            lo = m.ge
        elif isinstance(m, Le):
            hi = m.le
    return lo, hi


def constraints(info: FieldInfo) -> list[Any]:
    """A field's constraints (Ge, MaxLen…), also those of an optional type's inner Annotated
    (`Id | None`)."""
    found = list(info.metadata)
    if get_origin(info.annotation) not in (Union, UnionType):
        return found  # a list's item constraints are not the field's
    for arg in get_args(info.annotation):
        for m in getattr(arg, "__metadata__", ()):
            found.extend(m.metadata if isinstance(m, FieldInfo) else [m])
    return found


def input_attributes(model: type[BaseModel], field: str) -> str:
    """The HTML attributes of a form's input for `field` of `model`, as the model declares
    them (maxlength, min, max, required), so a form and the server never disagree. A text
    with min_length=1 is required (blank counts as missing)."""
    info = model.model_fields[field]  # KeyError: a form names a field the command lacks
    attrs: dict[str, Any] = {}
    kinds = get_args(info.annotation) if get_origin(info.annotation) in (Union, UnionType) else ()
    if list in (get_origin(info.annotation), *map(get_origin, kinds)):
        return ""  # a list is typed as "a; b; c" (data-list): no limit to show
    for m in constraints(info):
        if isinstance(m, MaxLen):
            attrs["maxlength"] = m.max_length
        elif isinstance(m, MinLen) and m.min_length >= 1:
            attrs["required"] = True
        elif isinstance(m, Ge):
            attrs["min"] = m.ge
        elif isinstance(m, Le):
            attrs["max"] = m.le
    if info.is_required():
        attrs["required"] = True
    return " ".join(k if v is True else f'{k}="{v}"' for k, v in attrs.items())


# Pydantic's error types -> the Vietnamese message of a refused field ({name}: the field).
MESSAGES = {
    "unprintable": "«{name}» có ký tự điều khiển không hợp lệ.",
    "int_type": "Thiếu «{name}» hoặc «{name}» không phải số nguyên.",
    "int_parsing": "Thiếu «{name}» hoặc «{name}» không phải số nguyên.",
    "int_from_float": "Thiếu «{name}» hoặc «{name}» không phải số nguyên.",
    "string_type": "«{name}» phải là chữ.",
    "bool_type": "«{name}» phải là có/không (true/false).",
    "iso_date": "«{name}» phải là ngày dạng 2024-12-31.",
    "list_type": "«{name}» phải là một danh sách.",
    "too_long": "«{name}» có nhiều quá {max_length} mục.",  # a list (a text: below)
    "too_short": "«{name}» phải có ít nhất {min_length} mục.",  # a list
}


def either(values: Sequence[Any]) -> str:
    """ "live, hold hoặc blackout"."""
    shown = [str(v) or '""' for v in values]
    return f"{', '.join(shown[:-1])} hoặc {shown[-1]}" if len(shown) > 1 else "".join(shown)


def field_refusal(model: type[BaseModel], error: Any) -> dict[str, str]:
    """One pydantic error as {field, code, message}, the message in Vietnamese."""
    loc: tuple[Any, ...] = tuple(error.get("loc") or ("",))
    field = str(loc[0])
    info = model.model_fields.get(field)
    name = (info.title if info else None) or field  # what the message calls it
    row = row_model(info)
    if row is not None and len(loc) > 1 and isinstance(loc[1], int):  # rows[i]…
        return row_refusal(field, loc[1] + 1, row, {**error, "loc": loc[2:]})
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    text = isinstance(error.get("input"), str)
    if kind in ("missing", "string_too_short") or (kind == "too_short" and text):
        return {"field": field, "code": "missing", "message": f"Thiếu «{name}»."}
    if kind == "string_too_long" or (kind == "too_long" and text):
        item = f" (mục {int(loc[1]) + 1})" if len(loc) > 1 and isinstance(loc[1], int) else ""
        message = f"«{name}»{item} dài quá {ctx.get('max_length')} ký tự."
        return {"field": field, "code": "too_long", "message": message}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return {**out_of_range(name, *bounds(model, field)).fields[0], "field": field}
    if kind == "vi":  # a rule of the domain, its message already in Vietnamese
        message = str(error.get("msg", ""))
    elif kind == "one_of":
        message = f"«{name}» phải là {either(ctx.get('allowed', []))}."
    elif kind == "literal_error":
        message = f"«{name}» phải là {either(get_args(info.annotation) if info else [])}."
    elif kind in MESSAGES:
        message = MESSAGES[kind].format(name=name, **ctx)
    else:
        message = f"«{name}» không hợp lệ."
    return {"field": field, "code": "bad_args", "message": message}


def row_model(info: FieldInfo | None) -> type[BaseModel] | None:
    """The model of each item of a list field (the rows of an import), if it has one."""
    if info is None or get_origin(info.annotation) is not list:
        return None
    (item,) = get_args(info.annotation)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


def row_refusal(field: str, row: int, item: type[BaseModel], error: Any) -> dict[str, str]:
    """A refused field of row `row` (from 1) of a list: «rows[3].text», "Dòng 3 (câu hỏi): …"."""
    noun = getattr(item, "noun", "mục")
    if not error["loc"]:  # the row itself is not an object
        return {
            "field": f"{field}[{row}]",
            "code": "bad_args",
            "message": f"Dòng {row}: không phải một {noun}.",
        }
    inner = field_refusal(item, error)
    return {
        "field": f"{field}[{row}].{inner['field']}",
        "code": inner["code"],
        "message": f"Dòng {row} ({noun}): {inner['message']}",
    }


def rows_of(row: type[Args], most: int) -> type[Args]:
    """The arguments of an import: `rows`, 1…`most` objects, each checked as a `row` (whose
    class attribute `noun` names one in messages: "Dòng 3 (câu hỏi): …")."""
    return create_model(
        f"{row.__name__}Rows",
        __base__=Args,
        __module__=row.__module__,
        rows=(list[row], Field(min_length=1, max_length=most)),  # type: ignore[valid-type]
    )


def out_of_range(name: str, lo: Any, hi: Any) -> CommandError:
    """The refusal of a number outside lo…hi: also for a limit only the conference knows
    (the last step), checked when the command runs."""
    if hi is None:
        message = f"«{name}» phải từ {lo} trở lên."
    elif lo is None:
        message = f"«{name}» phải không quá {hi}."
    else:
        message = f"«{name}» phải trong khoảng {lo}…{hi}."
    field = {"field": name, "code": "out_of_range", "message": message}
    return CommandError("out_of_range", message, 400, [field])


def within(name: str, value: int, lo: int, hi: int) -> int:
    if not lo <= value <= hi:
        raise out_of_range(name, lo, hi)
    return value


def parse(model: type[A], raw: Any, prefix: str = "") -> A:
    """`raw` as `model`, or the refusal naming each wrong field (`prefix`: where the object
    sits, as "Dòng 3 (đại biểu): " for a row of an import)."""
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        fields = refusals(model, e)
        first = fields[0]
        raise CommandError(first["code"], prefix + first["message"], 400, fields) from None


def refusals(model: type[BaseModel], error: ValidationError) -> list[dict[str, str]]:
    return [field_refusal(model, e) for e in error.errors(include_url=False)]
