"""Where a request carries its token (DESIGN §3), for every surface and the gateway."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from aiport.auth.tokens import token_from_coder_request, token_from_headers

TOKEN = "abcdefghij-abcdefghijklmnopqrstuv"


@pytest.mark.parametrize(
    "headers",
    [
        {"authorization": f"Bearer {TOKEN}"},
        {"authorization": f"bearer  {TOKEN} "},
        {"authorization": f"JWT {TOKEN}"},
        {"authorization": f"Token {TOKEN}"},
        {"coder-session-token": TOKEN},
        {"x-api-key": TOKEN},
    ],
)
def test_each_header_carries_the_token(headers: dict[str, str]) -> None:
    assert token_from_headers(headers) == TOKEN


def test_authorization_wins_then_coder_session_token_then_x_api_key() -> None:
    assert token_from_headers({"authorization": "Bearer a", "coder-session-token": "b"}) == "a"
    assert token_from_headers({"coder-session-token": "b", "x-api-key": "c"}) == "b"


def test_an_unknown_authorization_scheme_falls_through_to_the_other_headers() -> None:
    assert token_from_headers({"authorization": "Basic dXNlcjpwdw==", "x-api-key": "c"}) == "c"
    assert token_from_headers({"authorization": "Bearer "}) is None


def test_the_governance_header_wins_only_when_asked_for() -> None:
    headers = {"authorization": "Bearer provider-key", "x-coder-ai-governance-token": TOKEN}
    assert token_from_headers(headers, governance=True) == TOKEN
    assert token_from_headers(headers) == "provider-key"


def _request(headers: dict[str, str], query: str = "") -> Request:
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    scope = {"type": "http", "method": "GET", "path": "/", "headers": raw}
    return Request({**scope, "query_string": query.encode()})


def test_coder_takes_the_cookie_then_its_query_then_headers_then_access_token() -> None:
    cookie = {"cookie": "coder_session_token=a", "coder-session-token": "c"}
    assert token_from_coder_request(_request(cookie, "coder_session_token=b")) == "a"
    assert token_from_coder_request(_request({"x-api-key": "c"}, "coder_session_token=b")) == "b"
    assert token_from_coder_request(_request({"x-api-key": "c"}, "access_token=d")) == "c"
    assert token_from_coder_request(_request({}, "access_token=d")) == "d"
    assert token_from_coder_request(_request({})) is None
