"""Coder checklist items 2 and 3, and the authorization matrix of every endpoint.

Coder's "site owner" is the admin of the workspace the request acts in; a member gets Coder's
403; a user who is not in the workspace named by AIPort-Workspace gets Coder's 404 (workspaces
cannot be probed); no or a bad token gets Coder's 401.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import Identities, create_provider
from tests.surfaces.coder.support import API, openai_body

SIGNED_OUT = "You are signed out or your session has expired. Please sign in again to continue."
FORBIDDEN = {
    "message": "Forbidden.",
    "detail": "You don't have permission to view this content. If you believe this is a mistake, please contact your administrator or try signing in with different credentials.",
}
NOT_FOUND = {"message": "Resource not found or you do not have access to this resource"}

ENDPOINTS: list[tuple[str, str, Any, int]] = [
    ("GET", API, None, 200),
    ("POST", API, openai_body("created-here"), 201),
    ("GET", f"{API}/existing", None, 200),
    ("PATCH", f"{API}/existing", {"enabled": True}, 200),
    ("DELETE", f"{API}/existing", None, 204),
]
ENDPOINT_IDS = ["list", "create", "get", "patch", "delete"]


def _headers(ids: Identities, caller: str) -> dict[str, str]:
    if caller == "admin":
        return {"Coder-Session-Token": ids.admin.token}
    if caller == "member":
        return {"Coder-Session-Token": ids.member.token}
    if caller == "non_member":
        return {"Coder-Session-Token": ids.outsider.token, "AIPort-Workspace": "1"}
    if caller == "bad_token":
        return {"Coder-Session-Token": "abcdefghij-abcdefghijklmnopqrstuv"}
    return {}


@pytest.fixture
async def existing(client: httpx.AsyncClient, owner: dict[str, str]) -> dict[str, Any]:
    return await create_provider(client, owner, openai_body("existing"))


@pytest.mark.usefixtures("existing")
@pytest.mark.parametrize(("method", "path", "body", "success"), ENDPOINTS, ids=ENDPOINT_IDS)
@pytest.mark.parametrize("caller", ["admin", "member", "non_member", "no_token", "bad_token"])
async def test_authorization_matrix(
    client: httpx.AsyncClient,
    ids: Identities,
    caller: str,
    method: str,
    path: str,
    body: Any,
    success: int,
) -> None:
    response = await client.request(method, path, headers=_headers(ids, caller), json=body)
    expected_status, expected_body = {
        "admin": (success, None),
        "member": (403, FORBIDDEN),
        "non_member": (404, NOT_FOUND),
        "no_token": (401, None),
        "bad_token": (401, None),
    }[caller]
    assert response.status_code == expected_status, response.text
    if expected_body is not None:
        assert response.json() == expected_body
    if caller in ("no_token", "bad_token"):
        assert response.json()["message"] == SIGNED_OUT
        assert response.json()["detail"]
    listed = await client.get(API, headers=_headers(ids, "admin"))
    still_there = any(p["name"] == "existing" for p in listed.json())
    assert still_there is not (caller == "admin" and method == "DELETE")


async def test_item02_missing_token_is_401_with_coders_detail(client: httpx.AsyncClient) -> None:
    response = await client.get(API)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "message": SIGNED_OUT,
        "detail": 'Cookie "coder_session_token" or query parameter must be provided.',
    }


@pytest.mark.parametrize(
    "source", ["session_header", "bearer", "bearer_any_case", "cookie", "query", "access_token"]
)
async def test_item02_token_is_accepted_from_each_coder_source(
    app: Any, ids: Identities, source: str
) -> None:
    token = ids.admin.token
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    params: dict[str, str] = {}
    if source == "session_header":
        headers["Coder-Session-Token"] = token
    elif source == "bearer":
        headers["Authorization"] = f"Bearer {token}"
    elif source == "bearer_any_case":
        headers["Authorization"] = f"bEaReR   {token}  "
    elif source == "cookie":
        cookies["coder_session_token"] = token
    elif source == "query":
        params["coder_session_token"] = token
    else:
        params["access_token"] = token
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://aiport.test", cookies=cookies
    ) as http:
        response = await http.get(API, headers=headers, params=params)
    assert response.status_code == 200, response.text


async def test_item02_cookie_wins_over_a_bad_header(app: Any, ids: Identities) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://aiport.test",
        cookies={"coder_session_token": ids.admin.token},
    ) as http:
        response = await http.get(API, headers={"Coder-Session-Token": "not-a-token"})
    assert response.status_code == 200


async def test_item03_member_gets_403_even_for_a_missing_provider(
    client: httpx.AsyncClient, member: dict[str, str]
) -> None:
    for method in ("GET", "DELETE"):
        response = await client.request(method, f"{API}/no-such-provider", headers=member)
        assert response.status_code == 403
        assert response.json() == FORBIDDEN


async def test_item03_member_with_a_malformed_body_gets_400_not_403(
    client: httpx.AsyncClient, member: dict[str, str]
) -> None:
    created = await client.post(API, headers=member, content=b"{not json")
    assert created.status_code == 400
    assert created.json()["message"] == "Request body must be valid JSON."
    invalid = await client.post(API, headers=member, json={"type": "nope"})
    assert invalid.status_code == 400
    assert invalid.json()["message"] == "Invalid AI provider request."
    empty_patch = await client.patch(f"{API}/whatever", headers=member, json={})
    assert empty_patch.status_code == 400


async def test_item03_member_with_a_bad_id_or_name_gets_400_not_403(
    client: httpx.AsyncClient, member: dict[str, str]
) -> None:
    response = await client.get(f"{API}/Bad_Name", headers=member)
    assert response.status_code == 400


async def test_non_member_workspace_and_unknown_workspace_look_the_same(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    outsider = {"Coder-Session-Token": ids.outsider.token}
    for workspace in ("1", "999999", "not-a-number"):
        response = await client.get(API, headers=outsider | {"AIPort-Workspace": workspace})
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


async def test_outsider_acts_in_its_own_workspace_and_sees_nothing_of_workspace_1(
    client: httpx.AsyncClient, ids: Identities, existing: dict[str, Any]
) -> None:
    outsider = {"Coder-Session-Token": ids.outsider.token}
    assert (await client.get(API, headers=outsider)).json() == []
    response = await client.get(f"{API}/{existing['id']}", headers=outsider)
    assert response.status_code == 404
    same_name = await client.post(API, headers=outsider, json=openai_body("existing"))
    assert same_name.status_code == 201
    assert same_name.json()["id"] != existing["id"]
