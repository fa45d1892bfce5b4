"""`PATCH /api/user/undo/` and `/redo/` (spec §9): the request, the answer, and what they replay."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Action
from aiport.db.types import utcnow
from tests.factories import Identities, make_user
from tests.surfaces.baserow.support import SESSION, get_settings, jwt, patch_settings, redo, undo

KEY_A = "sk-first-0123456789abcdefAAAA"
KEY_B = "sk-second-0123456789abcdefBBBB"
OTHER_SESSION = "other-session-2"
CODER = "/api/v2/ai/providers"
NOTHING = {"actions": [], "result_code": "NOTHING_TO_DO"}
SETTINGS_UNDONE = {
    "actions": [{"action_type": "baserow.settings.update", "action_scope": "workspace1"}],
    "result_code": "SUCCESS",
}


def _leaf(message: str, code: str) -> list[dict[str, str]]:
    return [{"error": message, "code": code}]


@pytest.mark.parametrize("path", ["/api/user/undo/", "/api/user/redo/"])
@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, {"scopes": _leaf("This field is required.", "required")}),
        ({"scopes": None}, {"scopes": _leaf("This field may not be null.", "null")}),
        (
            {"scopes": []},
            {
                "scopes": {
                    "non_field_errors": _leaf(
                        "Invalid data. Expected a dictionary, but got list.", "invalid"
                    )
                }
            },
        ),
        (
            {"scopes": {"foo": 1}},
            {
                "scopes": {
                    "non_field_errors": _leaf(
                        "Your request body had the following unknown attributes: foo. Please "
                        "check the api documentation and only provide valid fields.",
                        "invalid",
                    )
                }
            },
        ),
        (
            {"scopes": {"workspace": -1, "root": "maybe", "table": "x"}},
            {
                "scopes": {
                    "workspace": _leaf(
                        "Ensure this value is greater than or equal to 0.", "min_value"
                    ),
                    "root": _leaf("Must be a valid boolean.", "invalid"),
                    "table": _leaf("A valid integer is required.", "invalid"),
                }
            },
        ),
    ],
)
async def test_item17_bad_bodies_are_validated_before_the_session_header(
    client: httpx.AsyncClient, ids: Identities, path: str, body: Any, detail: Any
) -> None:
    response = await client.patch(path, headers=jwt(ids.admin), json=body)
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_REQUEST_BODY_VALIDATION", "detail": detail}


@pytest.mark.parametrize("path", ["/api/user/undo/", "/api/user/redo/"])
async def test_item17_without_a_client_session_id_it_is_header_not_set(
    client: httpx.AsyncClient, ids: Identities, path: str
) -> None:
    response = await client.patch(path, headers=jwt(ids.admin), json={"scopes": {}})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_CLIENT_SESSION_ID_HEADER_NOT_SET",
        "detail": "The ClientSessionId must be set when using this endpoint.",
    }


async def test_undo_and_redo_need_credentials(client: httpx.AsyncClient) -> None:
    response = await client.patch("/api/user/undo/", json={"scopes": {}})
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


async def test_item17_nothing_to_undo_or_redo(client: httpx.AsyncClient, ids: Identities) -> None:
    assert await undo(client, jwt(ids.admin, SESSION)) == NOTHING
    assert await redo(client, jwt(ids.admin, SESSION)) == NOTHING


async def test_item16_the_settings_patch_is_undoable_and_redoable(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    """A deliberate deviation (DESIGN.md §1): Baserow records no action for this PATCH."""
    headers = jwt(ids.admin, SESSION)
    first = {"openai": {"api_key": KEY_A, "organization": "org", "models": ["gpt-4o"]}}
    await patch_settings(client, headers, first)
    saved = await get_settings(client, headers)
    await patch_settings(
        client,
        headers,
        {
            "openai": {"api_key": KEY_B, "models": ["gpt-5"]},
            "mistral": {"api_key": KEY_B, "models": ["m"]},
        },
    )
    changed = await get_settings(client, headers)

    assert await undo(client, headers) == SETTINGS_UNDONE
    assert await get_settings(client, headers) == saved
    assert await redo(client, headers) == SETTINGS_UNDONE
    assert await get_settings(client, headers) == changed
    assert await undo(client, headers) == SETTINGS_UNDONE
    assert await undo(client, headers) == SETTINGS_UNDONE
    assert await get_settings(client, headers) == {}
    assert await undo(client, headers) == NOTHING


async def test_item17_a_new_action_voids_the_redo_stack(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    headers = jwt(ids.admin, SESSION)
    await patch_settings(client, headers, {"openai": {"api_key": KEY_A, "models": ["a"]}})
    await patch_settings(client, headers, {"openai": {"api_key": KEY_A, "models": ["b"]}})
    await undo(client, headers)
    await patch_settings(client, headers, {"openai": {"api_key": KEY_A, "models": ["c"]}})
    assert await redo(client, headers) == NOTHING
    assert (await get_settings(client, headers))["openai"]["models"] == ["c"]


async def test_two_client_sessions_do_not_see_each_others_actions(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    """Two tabs of one user, each making a change through Coder's API."""
    mine, theirs = jwt(ids.admin, SESSION), jwt(ids.admin, OTHER_SESSION)
    for headers, name in ((mine, "openai"), (theirs, "anthropic")):
        created = await client.post(
            CODER,
            headers={**headers, "Coder-Session-Token": ids.admin.token},
            json={"type": name, "name": name, "base_url": "https://x.test/v1", "api_keys": [KEY_A]},
        )
        assert created.status_code == 201
    created_undone = {
        "actions": [{"action_type": "provider.create", "action_scope": "workspace1"}],
        "result_code": "SUCCESS",
    }

    # Undo in my session undoes my change, however recent theirs is.
    assert await undo(client, mine) == created_undone
    assert await _names(client, ids) == ["anthropic"]
    assert await undo(client, mine) == NOTHING
    assert await redo(client, theirs) == NOTHING
    assert await undo(client, theirs) == created_undone
    assert await _names(client, ids) == []
    assert await redo(client, mine) == created_undone
    assert await _names(client, ids) == ["openai"]


async def _names(client: httpx.AsyncClient, ids: Identities) -> list[str]:
    listed = await client.get(CODER, headers={"Coder-Session-Token": ids.admin.token})
    return [p["name"] for p in listed.json()]


async def test_another_user_with_the_same_session_id_does_not_see_my_actions(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    second_admin = await make_user(app, role="admin")
    await patch_settings(
        client, jwt(ids.admin, SESSION), {"openai": {"api_key": KEY_A, "models": ["a"]}}
    )
    assert await undo(client, jwt(second_admin, SESSION)) == NOTHING
    assert await undo(client, jwt(ids.admin, SESSION)) == SETTINGS_UNDONE


async def test_changes_made_without_a_session_cannot_be_undone(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await patch_settings(client, jwt(ids.admin), {"openai": {"api_key": KEY_A, "models": ["a"]}})
    assert await undo(client, jwt(ids.admin, SESSION)) == NOTHING


@pytest.mark.parametrize(
    ("scopes", "undone"),
    [
        ({"workspace": 1}, True),
        ({"workspace": 2}, False),
        ({"root": True}, False),
        ({"root": True, "workspace": 1}, True),
        ({"workspace": 0, "root": False}, True),
        ({"application": 1, "table": 1, "view": 1}, False),
    ],
)
async def test_scopes_choose_which_actions_undo_considers(
    client: httpx.AsyncClient, ids: Identities, scopes: dict[str, Any], undone: bool
) -> None:
    headers = jwt(ids.admin, SESSION)
    await patch_settings(client, headers, {"openai": {"api_key": KEY_A, "models": ["a"]}})
    assert await undo(client, headers, scopes) == (SETTINGS_UNDONE if undone else NOTHING)


async def _age_actions(app: FastAPI, minutes: int) -> None:
    """Make every action last updated `minutes` ago."""
    async with make_sessionmaker(app.state.runtime.engine)() as db, db.begin():
        await db.execute(update(Action).values(updated_at=utcnow() - timedelta(minutes=minutes)))


async def test_item17_actions_expire_120_minutes_after_their_last_update(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    headers = jwt(ids.admin, SESSION)
    await patch_settings(client, headers, {"openai": {"api_key": KEY_A, "models": ["a"]}})
    await patch_settings(client, headers, {"openai": {"api_key": KEY_A, "models": ["b"]}})
    await undo(client, headers)
    await _age_actions(app, 121)
    assert await redo(client, headers) == NOTHING
    assert await undo(client, headers) == NOTHING
    await _age_actions(app, 119)
    assert await redo(client, headers) == SETTINGS_UNDONE


async def test_a_deleted_provider_comes_back_with_its_keys_on_undo(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    coder = {"Coder-Session-Token": ids.admin.token, "ClientSessionId": SESSION}
    created = await client.post(
        "/api/v2/ai/providers",
        headers=coder,
        json={
            "type": "anthropic",
            "name": "anthropic",
            "base_url": "https://api.anthropic.com",
            "api_keys": [KEY_A, KEY_B],
        },
    )
    assert (await client.delete("/api/v2/ai/providers/anthropic", headers=coder)).status_code == 204
    answer = await undo(client, jwt(ids.admin, SESSION))
    assert answer == {
        "actions": [{"action_type": "provider.delete", "action_scope": "workspace1"}],
        "result_code": "SUCCESS",
    }
    restored = await client.get("/api/v2/ai/providers/anthropic", headers=coder)
    assert restored.json()["api_keys"] == created.json()["api_keys"]
    assert restored.json()["id"] == created.json()["id"]
