"""Request bodies read the way Go's encoding/json reads them into Coder's structs.

Coder clients rely on its leniency and its errors: keys match fields case-insensitively (a later
duplicate wins), unknown keys are ignored, only the first JSON value is read, `null` leaves a
field unset, and a wrong type is a 400 whose detail is Go's own sentence. Type errors are
remembered and reported once the whole object is read (the first one wins); errors from custom
decoders (settings, UUIDs) stop at once, as in Go.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiport.errors import BadRequest
from aiport.providers.validation import go_quote

T = TypeVar("T")
_HEX = frozenset("0123456789abcdefABCDEF")
_SURROGATE = re.compile("[\ud800-\udfff]")
_INT64 = 2**63


class InvalidJSON(BadRequest):
    code = "invalid_json"

    def __init__(self, detail: str):
        super().__init__("Request body must be valid JSON.", detail=detail)


class JsonObject(list[tuple[str, Any]]):
    """An object as its key/value pairs in document order (Go sees every duplicate)."""


@dataclass(frozen=True)
class JsonNumber:
    """A number kept as text: Go decides per field whether it fits (1.0 is not an int)."""

    text: str


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


_DECODER = json.JSONDecoder(
    object_pairs_hook=JsonObject,
    parse_float=JsonNumber,
    parse_int=JsonNumber,
    parse_constant=_reject_constant,
)
_CONTEXT = {
    "Expecting value": "looking for beginning of value",
    "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
    "Expecting ':' delimiter": "after object key",
    "Expecting ',' delimiter": "after object key:value pair",
    "Invalid control character at": "in string literal",
    "Invalid \\escape": "in string escape code",
    "Invalid \\uXXXX escape": "in \\u hexadecimal character escape",
}


def read_json(body: bytes) -> Any:
    """The first JSON value of the body; invalid UTF-8 becomes U+FFFD, as in Go."""
    text = body.decode("utf-8", errors="replace")
    start = len(text) - len(text.lstrip(" \t\r\n"))
    if start == len(text):
        raise InvalidJSON("EOF")
    try:
        value, _end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as error:
        raise InvalidJSON(_syntax_detail(error, text)) from None
    except _BadConstant as error:
        raise InvalidJSON(
            f"invalid character {_quote_char(str(error)[0])} looking for beginning of value"
        ) from None
    except RecursionError:
        raise InvalidJSON("exceeded max depth") from None
    except ValueError as error:
        raise InvalidJSON(str(error)) from None
    return value


def _syntax_detail(error: json.JSONDecodeError, text: str) -> str:
    if error.pos >= len(text) or error.msg.startswith("Unterminated string"):
        return "unexpected EOF"
    context = next((c for m, c in _CONTEXT.items() if error.msg.startswith(m)), "in JSON input")
    return f"invalid character {_quote_char(text[error.pos])} {context}"


def _quote_char(char: str) -> str:
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    return "'" + go_quote(char)[1:-1] + "'"


def kind_of(value: Any) -> str:
    if isinstance(value, JsonObject):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, JsonNumber):
        return "number"
    return "string"


def parse_go_uuid(text: str) -> uuid.UUID:
    """Go's uuid.Parse: canonical, {braced}, urn:uuid: and 32-hex forms only (Python is laxer)."""
    size = len(text.encode())
    if size == 45:
        if text[:9].lower() != "urn:uuid:":
            raise ValueError(f"invalid urn prefix: {go_quote(text[:9])}")
        text = text[9:]
    elif size == 38:
        if not (text.startswith("{") and text.endswith("}")):
            raise ValueError("invalid prefix: braces expected")
        text = text[1:-1]
    elif size == 32:
        if not set(text) <= _HEX:
            raise ValueError("invalid UUID format")
        return uuid.UUID(hex=text)
    elif size != 36:
        raise ValueError(f"invalid UUID length: {size}")
    if len(text) != 36 or any(text[i] != "-" for i in (8, 13, 18, 23)):
        raise ValueError("invalid UUID format")
    if not set(text.replace("-", "")) <= _HEX or len(text.replace("-", "")) != 32:
        raise ValueError("invalid UUID format")
    return uuid.UUID(text)


def _fold(key: str) -> str:
    """Go's case folding for field names: ASCII case, plus the two letters that fold to ASCII."""
    return key.lower().replace("\u017f", "s").replace("\u212a", "k")


@dataclass
class GoStruct:
    """Decodes one JSON object into named fields, collecting Go's deferred type errors."""

    go_name: str
    path: str = ""
    errors: list[str] = field(default_factory=list)

    def pairs(self, value: Any, fields: Iterable[str]) -> list[tuple[str, Any]]:
        """(field, value) for every key that names a field, in document order."""
        by_fold = {_fold(f): f for f in fields}
        assert isinstance(value, JsonObject)
        return [(by_fold[_fold(k)], v) for k, v in value if _fold(k) in by_fold]

    def _where(self, name: str) -> str:
        return f"{self.go_name.rsplit('.', 1)[-1]}.{self.path}{name}"

    def mismatch(self, value: Any, name: str, go_type: str, *, shown: str = "") -> None:
        if not self.errors:
            self.errors.append(
                f"json: cannot unmarshal {shown or kind_of(value)} into Go struct field "
                f"{self._where(name)} of type {go_type}"
            )

    def string(self, value: Any, name: str, go_type: str = "string") -> str | None:
        """None for null (and for a type error, which is remembered)."""
        if value is None:
            return None
        if isinstance(value, str):
            return _SURROGATE.sub("\ufffd", value)
        self.mismatch(value, name, go_type)
        return None

    def boolean(self, value: Any, name: str) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.mismatch(value, name, "bool")
        return None

    def integer(self, value: Any, name: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, JsonNumber):
            if re.fullmatch(r"-?\d+", value.text) and -_INT64 <= int(value.text) < _INT64:
                return int(value.text)
            self.mismatch(value, name, "int", shown=f"number {value.text}")
            return None
        self.mismatch(value, name, "int")
        return None

    def uuid(self, value: Any, name: str) -> uuid.UUID | None:
        """Go calls UUID.UnmarshalText, whose error ends the decoding at once."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.mismatch(value, name, "uuid.UUID")
            return None
        try:
            return parse_go_uuid(value)
        except ValueError as error:
            raise InvalidJSON(str(error)) from None

    def array(
        self, value: Any, name: str, go_type: str, item: Callable[[Any], T]
    ) -> list[T] | None:
        if value is None:
            return None
        if not isinstance(value, list) or isinstance(value, JsonObject):
            self.mismatch(value, name, go_type)
            return None
        return [item(element) for element in value]

    def finish(self) -> None:
        if self.errors:
            raise InvalidJSON(self.errors[0])


def top_level(value: Any, go_type: str) -> JsonObject:
    """The body must be an object; `null` decodes to the zero value, as Go does."""
    if value is None:
        return JsonObject()
    if not isinstance(value, JsonObject):
        raise InvalidJSON(
            f"json: cannot unmarshal {kind_of(value)} into Go value of type {go_type}"
        )
    return value
