"""Updating and deleting models (spec checklist 15–19) and the 409 conflicts of Xagent's latest."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Credential, ModelDefault
from aiport.vault import mask
from tests.factories import Identities, register_model, set_default_model
from tests.surfaces.xagent.support import BASE


async def _credential(app: FastAPI, model_pk: int) -> Credential | None:
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        result = await session.execute(select(Credential).where(Credential.model_id == model_pk))
        return result.scalar_one_or_none()


async def test_an_update_applies_only_the_keys_sent(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(
        client, ids.member.headers, description="before", temperature=0.5
    )
    response = await client.put(
        f"{BASE}/{created['model_id']}",
        json={"description": "after", "model_id": "renamed-by-body"},
        headers=ids.member.headers,
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["description"] == "after"
    assert updated["temperature"] == 0.5
    assert updated["model_id"] == created["model_id"]
    assert updated["updated_at"] is not None
    assert updated["created_at"] == created["created_at"]
    gone = await client.get(f"{BASE}/renamed-by-body", headers=ids.member.headers)
    assert gone.status_code == 404


async def test_null_on_a_required_field_changes_nothing_and_clears_a_nullable_one(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers, description="text", temperature=0.4)
    response = await client.put(
        f"{BASE}/{created['model_id']}",
        json={
            "category": None,
            "model_provider": None,
            "model_name": None,
            "description": None,
            "temperature": None,
            "base_url": None,
        },
        headers=ids.member.headers,
    )
    updated = response.json()
    assert (updated["category"], updated["model_provider"], updated["model_name"]) == (
        "llm",
        "openai",
        "gpt-4o",
    )
    assert (updated["description"], updated["temperature"], updated["base_url"]) == (
        None,
        None,
        None,
    )
    stored = (await client.get(f"{BASE}/{created['model_id']}", headers=ids.member.headers)).json()
    assert (stored["category"], stored["model_provider"], stored["model_name"]) == (
        "llm",
        "openai",
        "gpt-4o",
    )
    assert (stored["description"], stored["temperature"], stored["base_url"]) == (None, None, None)


async def test_an_empty_api_key_keeps_the_stored_key(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await register_model(client, ids.member.headers)
    before = await _credential(app, created["id"])
    assert before is not None
    for api_key in ("", None, "   "):
        response = await client.put(
            f"{BASE}/{created['model_id']}", json={"api_key": api_key}, headers=ids.member.headers
        )
        assert response.status_code == 200
    after = await _credential(app, created["id"])
    assert after is not None
    assert after.ciphertext == before.ciphertext


async def test_the_masked_key_sent_back_keeps_the_stored_key(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    key = "sk-test-registered-key-0123456789"
    created = await register_model(client, ids.member.headers, api_key=key)
    before = await _credential(app, created["id"])
    assert before is not None
    assert before.mask == mask(key)
    await client.put(
        f"{BASE}/{created['model_id']}", json={"api_key": mask(key)}, headers=ids.member.headers
    )
    after = await _credential(app, created["id"])
    assert after is not None
    assert after.ciphertext == before.ciphertext


async def test_a_new_api_key_replaces_the_stored_one(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await register_model(client, ids.member.headers)
    before = await _credential(app, created["id"])
    assert before is not None
    fingerprint = before.fingerprint
    response = await client.put(
        f"{BASE}/{created['model_id']}",
        json={"api_key": "sk-brand-new-key-9876543210"},
        headers=ids.member.headers,
    )
    assert "sk-brand-new-key-9876543210" not in response.text
    after = await _credential(app, created["id"])
    assert after is not None
    assert after.id == before.id
    assert after.fingerprint != fingerprint
    assert after.mask == mask("sk-brand-new-key-9876543210")


async def test_abilities_sent_alone_are_checked_against_the_stored_category(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(
        client, ids.member.headers, category="embedding", abilities=["embedding"]
    )
    response = await client.put(
        f"{BASE}/{created['model_id']}", json={"abilities": ["chat"]}, headers=ids.member.headers
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "abilities"]
    assert "Invalid abilities for embedding model" in detail[0]["msg"]


async def test_abilities_and_category_sent_together_are_checked_by_the_schema(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers)
    response = await client.put(
        f"{BASE}/{created['model_id']}",
        json={"category": "image", "abilities": ["chat"]},
        headers=ids.member.headers,
    )
    assert response.status_code == 422


async def test_an_unknown_category_on_update_is_400(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers)
    response = await client.put(
        f"{BASE}/{created['model_id']}", json={"category": "foo"}, headers=ids.member.headers
    )
    assert (response.status_code, response.json()) == (400, {"detail": "Invalid model category"})


async def test_a_non_owner_who_sees_the_model_may_not_edit_it(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    response = await client.put(
        f"{BASE}/{shared['model_id']}", json={"description": "x"}, headers=ids.member.headers
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "No permission to edit this model"}


async def test_a_member_may_not_turn_sharing_on(client: httpx.AsyncClient, ids: Identities) -> None:
    created = await register_model(client, ids.member.headers)
    response = await client.put(
        f"{BASE}/{created['model_id']}",
        json={"share_with_users": True},
        headers=ids.member.headers,
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Only administrators can enable global sharing"}


async def test_an_admin_turns_sharing_on_by_update(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(client, ids.admin.headers)
    response = await client.put(
        f"{BASE}/{created['model_id']}", json={"share_with_users": True}, headers=ids.admin.headers
    )
    assert response.json()["is_shared"] is True
    seen = await client.get(f"{BASE}/{created['model_id']}", headers=ids.member.headers)
    assert seen.status_code == 200


async def test_unsharing_takes_the_model_away_from_other_users(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    await set_default_model(client, ids.member.headers, shared["id"])
    response = await client.put(
        f"{BASE}/{shared['model_id']}", json={"share_with_users": False}, headers=ids.admin.headers
    )
    assert response.status_code == 200
    assert response.json()["is_shared"] is False
    lost = await client.get(f"{BASE}/{shared['model_id']}", headers=ids.member.headers)
    assert lost.status_code == 404
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        defaults = await session.execute(
            select(ModelDefault).where(ModelDefault.model_id == shared["id"])
        )
        assert defaults.scalars().all() == []


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"category": "embedding", "abilities": ["embedding"]}, "category and abilities"),
        ({"abilities": ["chat", "vision"]}, "abilities"),
        ({"category": "image"}, "category"),
    ],
)
async def test_a_shared_models_category_and_abilities_are_locked(
    client: httpx.AsyncClient, ids: Identities, change: dict[str, object], fields: str
) -> None:
    shared = await register_model(
        client, ids.admin.headers, share_with_users=True, abilities=["chat"]
    )
    response = await client.put(
        f"{BASE}/{shared['model_id']}", json=change, headers=ids.admin.headers
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Cannot change {fields} of a shared model. Un-share first."
    }


async def test_the_same_abilities_in_another_order_are_no_change(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    shared = await register_model(
        client, ids.admin.headers, share_with_users=True, abilities=["chat", "vision"]
    )
    response = await client.put(
        f"{BASE}/{shared['model_id']}",
        json={"abilities": ["vision", "chat"], "category": "llm"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 200
    stored = (await client.get(f"{BASE}/{shared['model_id']}", headers=ids.admin.headers)).json()
    assert (stored["category"], sorted(stored["abilities"]), stored["is_shared"]) == (
        "llm",
        ["chat", "vision"],
        True,
    )


async def test_unsharing_a_model_the_owner_uses_as_default_is_409(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    await set_default_model(client, ids.admin.headers, shared["id"])
    response = await client.put(
        f"{BASE}/{shared['model_id']}", json={"share_with_users": False}, headers=ids.admin.headers
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Cannot un-share: you have this model as your default. Change default first."
    }


async def test_the_owner_deletes_and_the_model_is_gone_for_everyone(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    await set_default_model(client, ids.member.headers, shared["id"])
    response = await client.delete(f"{BASE}/{shared['model_id']}", headers=ids.admin.headers)
    assert response.status_code == 200
    assert response.json() == {"message": "Model deleted successfully"}
    for caller in (ids.admin, ids.member):
        gone = await client.get(f"{BASE}/{shared['model_id']}", headers=caller.headers)
        assert gone.json() == {"detail": "Model not found"}
    assert (await client.get(f"{BASE}/user-default", headers=ids.member.headers)).json() == []
    assert await _credential(app, shared["id"]) is None


async def test_a_non_owner_may_not_delete(client: httpx.AsyncClient, ids: Identities) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    response = await client.delete(f"{BASE}/{shared['model_id']}", headers=ids.member.headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "No permission to delete this model"}


async def test_deleting_a_model_the_owner_uses_as_default_is_409(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers)
    await set_default_model(client, ids.member.headers, created["id"])
    response = await client.delete(f"{BASE}/{created['model_id']}", headers=ids.member.headers)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Cannot delete: you have this model as your default. Change default first."
    }


async def test_changes_are_audited_with_the_key_masked(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    key = "sk-audited-key-0123456789abcdef"
    created = await register_model(client, ids.admin.headers, api_key=key)
    await client.put(
        f"{BASE}/{created['model_id']}",
        json={"api_key": key + "-rotated", "description": "d"},
        headers=ids.admin.headers,
    )
    await client.delete(f"{BASE}/{created['model_id']}", headers=ids.admin.headers)
    response = await client.get("/api/v1/workspaces/1/audit", headers=ids.admin.headers)
    assert response.status_code == 200
    assert key not in response.text
    actions = [e["action"] for e in response.json() if e.get("target_id") == created["model_id"]]
    assert actions == ["model.delete", "model.update", "model.create"]
    assert mask(key) in response.text
