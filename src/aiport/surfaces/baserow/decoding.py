"""Reading request bodies the way Baserow's Django REST Framework serializers do.

Baserow validates bodies field by field and reports every problem at once, nested like the
body: `{"openai": {"models": {"0": [{"error": …, "code": …}]}}}`. The rules and texts here are
DRF 3.15's (CharField, ListField, IntegerField, BooleanField, nested Serializer), plus what
aiport needs on top to store and call what it is given (see `settings_problems`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aiport.surfaces.baserow.errors import BodyInvalid, JsonParseError

# A field's problems: a list of {"error", "code"}; a nested object's: a dict of those.
Problems = list[dict[str, str]] | dict[str, Any]

_MAX_STRING_LENGTH = 1000
_DECIMAL_ZEROS = re.compile(r"\.0*\s*$")
_TYPE_NAMES = {dict: "dict", list: "list", str: "str", int: "int", float: "float", bool: "bool"}


def problem(message: str, code: str) -> list[dict[str, str]]:
    return [{"error": message, "code": code}]


def type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _strict_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")


def parse_json(raw: bytes) -> Any:
    """The body as DRF's JSONParser reads it; an empty body is `{}` (no data)."""
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_strict_constant)
    except (ValueError, RecursionError) as error:
        raise JsonParseError(f"JSON parse error - {error}") from None


def expect_object(value: Any) -> Mapping[str, Any]:
    """The top level must be an object (DRF's Serializer.to_internal_value)."""
    if value is None:
        raise BodyInvalid({"non_field_errors": problem("No data provided", "null")})
    if not isinstance(value, dict):
        message = f"Invalid data. Expected a dictionary, but got {type_name(value)}."
        raise BodyInvalid({"non_field_errors": problem(message, "invalid")})
    return value


def nested_object(value: Any) -> tuple[Mapping[str, Any] | None, Problems | None]:
    """A nested serializer's value: an object, never null."""
    if value is None:
        return None, problem("This field may not be null.", "null")
    if not isinstance(value, dict):
        message = f"Invalid data. Expected a dictionary, but got {type_name(value)}."
        return None, {"non_field_errors": problem(message, "invalid")}
    return value, None


def char_field(value: Any, *, allow_blank: bool = True) -> tuple[str | None, Problems | None]:
    """DRF's CharField: numbers become text, whitespace is trimmed, NUL is refused.

    Text that is not valid Unicode (a lone surrogate escape) is refused too: no database
    stores it (aiport's rule; Baserow would fail later).
    """
    if value is None:
        return None, problem("This field may not be null.", "null")
    if not allow_blank and isinstance(value, str) and value.strip() == "":
        return None, problem("This field may not be blank.", "blank")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, problem("Not a valid string.", "invalid")
    text = str(value).strip()
    if "\x00" in text:
        return None, problem("Null characters are not allowed.", "null_characters_not_allowed")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None, problem("Not a valid string.", "invalid")
    return text, None


def char_list(value: Any) -> tuple[list[str] | None, Problems | None]:
    """DRF's ListField of non-blank CharFields; an entry's problems are keyed by its index."""
    if value is None:
        return None, problem("This field may not be null.", "null")
    if not isinstance(value, list):
        message = f'Expected a list of items but got type "{type_name(value)}".'
        return None, problem(message, "not_a_list")
    items: list[str] = []
    problems: dict[str, Any] = {}
    for index, entry in enumerate(value):
        text, entry_problems = char_field(entry, allow_blank=False)
        if entry_problems is not None:
            problems[str(index)] = entry_problems
        elif text is not None:
            items.append(text)
    return (None, problems) if problems else (items, None)


def integer_field(value: Any, *, min_value: int) -> tuple[int | None, Problems | None]:
    """DRF's IntegerField(allow_null=True): `5`, `5.0` and `"5"` are 5; `true` is not."""
    if value is None:
        return None, None
    if isinstance(value, str) and len(value) > _MAX_STRING_LENGTH:
        return None, problem("String value too large.", "max_string_length")
    try:
        number = int(_DECIMAL_ZEROS.sub("", str(value)))
    except ValueError:
        return None, problem("A valid integer is required.", "invalid")
    if number < min_value:
        message = f"Ensure this value is greater than or equal to {min_value}."
        return None, problem(message, "min_value")
    return number, None


# DRF's spellings; 1/True and 0/0.0/False are one set member each (equal in Python).
_TRUE = frozenset(
    {"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"} | {"on", "On", "ON", "1", 1}
)
_FALSE = frozenset(
    {"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE"}
    | {"off", "Off", "OFF", "0", 0}
)


def boolean_field(value: Any) -> tuple[bool | None, Problems | None]:
    """DRF's BooleanField(allow_null=True), with its list of accepted spellings."""
    if value is None or value in ("", "null", "Null", "NULL"):
        return None, None
    if isinstance(value, list | dict):
        return None, problem("Must be a valid boolean.", "invalid")
    if value in _TRUE:
        return True, None
    if value in _FALSE:
        return False, None
    return None, problem("Must be a valid boolean.", "invalid")
