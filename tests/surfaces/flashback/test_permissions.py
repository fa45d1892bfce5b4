"""Who may do what: workspace admin, member, non-member and no token, on every route (F9, §3)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from aiport.db.engine import make_sessionmaker
from tests.factories import Caller, Identities, add_membership, make_user
from tests.surfaces.flashback.support import API, assert_error, create_llm, list_llms, llm_body


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, object] | None = None
    params: dict[str, str] | None = None


def _calls(llm_id: str) -> dict[str, Call]:
    return {
        "create": Call("POST", API, llm_body("Another")),
        "list": Call("GET", API),
        "list workspace": Call("GET", API, params={"workspaceId": "1"}),
        "available": Call("GET", f"{API}/available"),
        "stats": Call("GET", f"{API}/stats"),
        "stats one": Call("GET", f"{API}/stats", params={"aiLlmId": llm_id}),
        "update": Call("PUT", f"{API}/{llm_id}", {"name": "Renamed"}),
        "validate": Call("POST", f"{API}/{llm_id}/validate"),
        "delete": Call("DELETE", f"{API}/{llm_id}"),
    }


async def _send(client: httpx.AsyncClient, call: Call, headers: dict[str, str]) -> httpx.Response:
    return await client.request(
        call.method, call.path, headers=headers, json=call.body, params=call.params
    )


# What each role gets from each route of workspace 1 (the configuration lives there).
MATRIX = {
    "admin": {
        "create": 200,
        "list": 200,
        "list workspace": 200,
        "available": 200,
        "stats": 200,
        "stats one": 200,
        "update": 200,
        "validate": 200,
        "delete": 200,
    },
    "member": {
        "create": 403,
        "list": 200,
        "list workspace": 200,
        "available": 200,
        "stats": 200,
        "stats one": 200,
        "update": 403,
        "validate": 403,
        "delete": 403,
    },
    "outsider": {
        "create": 403,
        "list": 200,
        "list workspace": 403,
        "available": 200,
        "stats": 200,
        "stats one": 404,
        "update": 404,
        "validate": 404,
        "delete": 404,
    },
}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("route", list(MATRIX["admin"]))
async def test_each_role_gets_its_status_on_each_route(
    client: httpx.AsyncClient, ids: Identities, role: str, route: str
) -> None:
    llm_id = await create_llm(client, ids.admin, endpoint="http://127.0.0.1:9/v1")
    caller: Caller = getattr(ids, role)
    response = await _send(client, _calls(llm_id)[route], caller.headers)
    expected = MATRIX[role][route]
    if expected == 200:
        assert response.status_code == 200, response.text
        assert response.json()["success"] is (route != "validate")
    else:
        message = {403: "Insufficient permissions", 404: "AI LLM configuration not found"}
        assert_error(response, expected, message[expected])
    # Reading never showed a non-member anything of workspace 1.
    if role == "outsider" and expected == 200:
        assert llm_id not in response.text
    survived = await list_llms(client, ids.admin)
    if not (role == "admin" and route == "delete"):
        assert llm_id in [c["id"] for c in survived]
    if role != "admin" or route != "update":
        assert "Renamed" not in [c["name"] for c in survived]


@pytest.mark.parametrize("route", list(MATRIX["admin"]))
@pytest.mark.parametrize("token", [None, "not-a-real-token", ""])
async def test_no_token_or_a_bad_one_is_401_on_every_route(
    client: httpx.AsyncClient, ids: Identities, route: str, token: str | None
) -> None:
    llm_id = await create_llm(client, ids.admin)
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = await _send(client, _calls(llm_id)[route], headers)
    assert_error(response, 401, "Unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
    assert llm_id in [c["id"] for c in await list_llms(client, ids.admin)]


@pytest.mark.parametrize(
    "scheme",
    [
        "Authorization: Bearer",
        "Authorization: JWT",
        "Authorization: Token",
        "Coder-Session-Token",
        "X-Api-Key",
    ],
)
async def test_every_token_scheme_is_accepted(
    client: httpx.AsyncClient, ids: Identities, scheme: str
) -> None:
    header, _, prefix = scheme.partition(": ")
    value = f"{prefix} {ids.member.token}" if prefix else ids.member.token
    response = await client.get(API, headers={header: value})
    assert response.status_code == 200, response.text


async def test_a_token_bound_to_a_workspace_sees_and_names_no_other(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    both = await make_user(app, role="admin")
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await add_membership(session, ids.other_workspace_id, both.user_id, "admin")
    mine = await create_llm(client, both, name="In Default")
    other = str(ids.other_workspace_id)
    await create_llm(client, both, name="In Other", workspace_id=other)
    issued = await client.post(
        "/api/v1/tokens", headers=both.headers, json={"name": "bound", "workspace_id": 1}
    )
    bound = Caller(both.user_id, both.email, issued.json()["token"])
    assert [c["id"] for c in await list_llms(client, bound)] == [mine]
    listed = await client.get(API, headers=bound.headers, params={"workspaceId": other})
    assert_error(listed, 403, "Insufficient permissions")
    created = await client.post(API, headers=bound.headers, json=llm_body("X", workspace_id=other))
    assert_error(created, 403, "Insufficient permissions")
