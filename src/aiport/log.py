"""Logging set-up: one line per event, dotted event names, tokens in URLs redacted."""

from __future__ import annotations

import logging
import re

# Coder clients may put tokens in the query string; access logs must not keep them.
_TOKEN_IN_QUERY = re.compile(
    r"((?:coder_session_token|access_token|api_key|key|token)=)[^&\s\"]+", re.I
)


def redact_query_tokens(text: str) -> str:
    return _TOKEN_IN_QUERY.sub(r"\1<redacted>", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact_query_tokens(a) if isinstance(a, str) else a for a in args)
        record.msg = redact_query_tokens(str(record.msg))
        return True


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("uvicorn.access").addFilter(RedactTokensFilter())
