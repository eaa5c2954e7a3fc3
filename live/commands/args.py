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
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, TypeVar, get_args

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

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


# Every text argument: `name: Text = Field("", max_length=200)`; a required one with
# `min_length=1` (an empty or blank text then counts as missing).
Text = Annotated[str, BeforeValidator(clean_text)]


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


def one_of(allowed: Sequence[str]) -> AfterValidator:
    """A text that must be one of `allowed` (a kind, a status…), declared where the values
    are: `status: Annotated[str, one_of(COMMITMENT_STATUSES)]`."""

    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError("one_of", "not one of", {"allowed": list(allowed)})
        return value

    return AfterValidator(check)


def matching(pattern: str, message: str) -> AfterValidator:
    """A text that is "" or matches `pattern`; else refused with `message` (Vietnamese)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if value and not compiled.fullmatch(value):
            raise PydanticCustomError("vi", message)
        return value

    return AfterValidator(check)


def iso_date(value: str) -> str:
    """ "" or a date as 2024-12-31."""
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("iso_date", "not a date") from None
    return value


Day = Annotated[Text, Field(max_length=10), AfterValidator(iso_date)]  # "" or 2024-12-31


class Args(BaseModel):
    """A command's arguments. Strict: 3 is a number, "3" and true are not. Arguments a
    command does not know are ignored (a form may send its own hidden fields)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


A = TypeVar("A", bound=BaseModel)


class NoArgs(Args):
    """A command that takes nothing."""


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
}


def either(values: Sequence[Any]) -> str:
    """ "live, hold hoặc blackout"."""
    shown = [str(v) or '""' for v in values]
    return f"{', '.join(shown[:-1])} hoặc {shown[-1]}" if len(shown) > 1 else "".join(shown)


def field_refusal(model: type[BaseModel], error: Any) -> dict[str, str]:
    """One pydantic error as {field, code, message}, the message in Vietnamese."""
    loc: tuple[Any, ...] = tuple(error.get("loc") or ("",))
    name = str(loc[0])
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    text = isinstance(error.get("input"), str)
    if kind in ("missing", "string_too_short") or (kind == "too_short" and text):
        return {"field": name, "code": "missing", "message": f"Thiếu «{name}»."}
    if kind == "string_too_long" or (kind == "too_long" and text):
        item = f" (mục {int(loc[1]) + 1})" if len(loc) > 1 and isinstance(loc[1], int) else ""
        message = f"«{name}»{item} dài quá {ctx.get('max_length')} ký tự."
        return {"field": name, "code": "too_long", "message": message}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return out_of_range(name, *bounds(model, name)).fields[0]
    if kind == "vi":  # a rule of the domain, its message already in Vietnamese
        message = str(error.get("msg", ""))
    elif kind == "one_of":
        message = f"«{name}» phải là {either(ctx.get('allowed', []))}."
    elif kind == "literal_error":
        info = model.model_fields.get(name)
        message = f"«{name}» phải là {either(get_args(info.annotation) if info else [])}."
    elif kind in MESSAGES:
        message = MESSAGES[kind].format(name=name, max_length=ctx.get("max_length"))
    else:
        message = f"«{name}» không hợp lệ."
    return {"field": name, "code": "bad_args", "message": message}


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
