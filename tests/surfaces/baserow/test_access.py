"""Who may call the settings endpoints, and how Baserow answers everyone else (spec §5, §6, §10)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from aiport.db.engine import make_sessionmaker
from tests.factories import Identities, add_membership, add_workspace
from tests.surfaces.baserow.support import jwt, settings_url

NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
SESSION_ID_ERROR = [
    "An invalid ClientSessionId header was provided. It must be between 1 and 256 characters "
    "long and must only contain alphanumeric or the - characters."
]
GROUP_ID_ERROR = [
    "An invalid ClientUndoRedoActionGroupId header was provided. It must be a valid Version 4 UUID."
]


@pytest.mark.parametrize("method", ["GET", "PATCH"])
async def test_item02_no_credentials_is_401_with_a_jwt_challenge(
    client: httpx.AsyncClient, method: str
) -> None:
    response = await client.request(method, settings_url(1), json={})
    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED
    assert response.headers["www-authenticate"] == 'JWT realm="api"'


async def test_item02_an_unknown_scheme_is_not_credentials(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get(
        settings_url(1), headers={"Authorization": f"Basic {ids.admin.token}"}
    )
    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED


async def test_item02_an_invalid_token_is_error_invalid_access_token(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(settings_url(1), headers={"Authorization": "JWT not-a-token"})
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Access token is expired or invalid.",
        "error": "ERROR_INVALID_ACCESS_TOKEN",
    }


@pytest.mark.parametrize("scheme", ["JWT", "Bearer", "Token"])
async def test_aiport_tokens_are_accepted_in_every_scheme(
    client: httpx.AsyncClient, ids: Identities, scheme: str
) -> None:
    """A deliberate deviation (DESIGN.md §3): Baserow takes only `JWT` here."""
    response = await client.get(
        settings_url(1), headers={"Authorization": f"{scheme} {ids.admin.token}"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["has space", "a/b", "a.b", "x" * 257, "", "abc_def"])
async def test_item03_a_malformed_client_session_id_is_a_one_element_list(
    client: httpx.AsyncClient, ids: Identities, value: str
) -> None:
    response = await client.get(settings_url(1), headers=jwt(ids.admin, value))
    assert response.status_code == 400
    assert response.json() == SESSION_ID_ERROR


async def test_item03_a_client_session_id_of_256_allowed_characters_is_accepted(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get(settings_url(1), headers=jwt(ids.admin, "aZ9-" * 64))
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["nope", "1234", "g" * 32])
async def test_item03_a_malformed_action_group_id_is_a_one_element_list(
    client: httpx.AsyncClient, ids: Identities, value: str
) -> None:
    headers = jwt(ids.admin, ClientUndoRedoActionGroupId=value)
    response = await client.patch(settings_url(1), headers=headers, json={})
    assert response.status_code == 400
    assert response.json() == GROUP_ID_ERROR


async def test_the_token_is_checked_before_the_client_session_id(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Authorization": "JWT not-a-token", "ClientSessionId": "bad value"}
    response = await client.get(settings_url(1), headers=headers)
    assert response.status_code == 401


async def test_the_client_session_id_is_checked_before_the_body(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.patch(
        settings_url(1), headers=jwt(ids.admin, "bad value"), json={"openai": None}
    )
    assert response.json() == SESSION_ID_ERROR


@pytest.mark.parametrize("workspace_id", [999_999, 2_147_483_648, 10**30])
@pytest.mark.parametrize("method", ["GET", "PATCH"])
async def test_item04_a_missing_workspace_is_error_group_does_not_exist(
    client: httpx.AsyncClient, ids: Identities, method: str, workspace_id: int
) -> None:
    response = await client.request(
        method, settings_url(workspace_id), headers=jwt(ids.admin), json={}
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": "ERROR_GROUP_DOES_NOT_EXIST",
        "detail": "The requested group does not exist.",
    }


@pytest.mark.parametrize("method", ["GET", "PATCH"])
async def test_item05_a_non_member_is_error_user_not_in_group(
    client: httpx.AsyncClient, ids: Identities, method: str
) -> None:
    response = await client.request(method, settings_url(1), headers=jwt(ids.outsider), json={})
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}


@pytest.mark.parametrize("method", ["GET", "PATCH"])
async def test_item05_a_member_who_is_not_admin_is_error_user_invalid_group_permissions(
    client: httpx.AsyncClient, ids: Identities, method: str
) -> None:
    response = await client.request(method, settings_url(1), headers=jwt(ids.member), json={})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_USER_INVALID_GROUP_PERMISSIONS",
        "detail": "You need workspace.update permissions.",
    }


async def test_item05_an_instance_admin_outside_the_workspace_is_not_in_the_group(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    """Being instance staff gives no extra access (spec §6)."""
    response = await client.get(settings_url(ids.other_workspace_id), headers=jwt(ids.admin))
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"


async def test_a_token_bound_to_another_workspace_is_not_in_the_group(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        second = await add_workspace(session, "Second")
        await add_membership(session, second.id, ids.admin.user_id, "admin")
    issued = await client.post(
        "/api/v1/tokens", headers=ids.admin.headers, json={"name": "bound", "workspace_id": 1}
    )
    bound = {"Authorization": f"JWT {issued.json()['token']}"}
    assert (await client.get(settings_url(1), headers=bound)).status_code == 200
    response = await client.get(settings_url(second.id), headers=bound)
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
async def test_item01_other_methods_are_405_in_drfs_shape(
    client: httpx.AsyncClient, ids: Identities, method: str
) -> None:
    response = await client.request(method, settings_url(1), headers=jwt(ids.admin))
    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method}" not allowed.'}


@pytest.mark.parametrize(
    "path",
    [
        "/api/workspaces/abc/settings/generative-ai/",
        "/api/workspaces/-1/settings/generative-ai/",
        "/api/workspaces/1/settings/",
    ],
)
async def test_item01_the_workspace_id_must_be_digits(
    client: httpx.AsyncClient, ids: Identities, path: str
) -> None:
    response = await client.get(path, headers=jwt(ids.admin))
    assert response.status_code == 404
    assert response.json()["error"] == "URL_NOT_FOUND"


async def test_item01_a_path_without_its_trailing_slash_is_redirected_to_it(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    """Baserow's paths end with a slash; like Django's APPEND_SLASH, aiport points there (307
    keeps the method and body, where Django's 301 would turn a PATCH into a GET)."""
    response = await client.patch(
        "/api/workspaces/1/settings/generative-ai", headers=jwt(ids.admin), json={}
    )
    assert response.status_code == 307
    assert response.headers["location"].endswith("/api/workspaces/1/settings/generative-ai/")
