"""JSON written the way coderd writes it (Go's json.Encoder with HTML escaping)."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

CONTENT_TYPE = "application/json; charset=utf-8"
_HTML_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def go_json(value: Any) -> bytes:
    """Compact, UTF-8, `<>&` and U+2028/9 escaped, one trailing newline.

    Those characters can only occur inside JSON strings, so replacing them in the encoded text
    is exact.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _HTML_ESCAPES:
        text = text.replace(char, escaped)
    return (text + "\n").encode()


class GoJSONResponse(Response):
    media_type = CONTENT_TYPE

    def render(self, content: Any) -> bytes:
        return go_json(content)
