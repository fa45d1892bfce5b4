"""No token or password in logs or audit rows, whatever the identity routes did."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import AuditEvent
from tests.factories import Identities


async def test_identity_routes_log_and_audit_no_secret(
    client: httpx.AsyncClient,
    ids: Identities,
    session: AsyncSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    password = "pw-that-must-not-leak-123"
    created = await client.post(
        "/api/v1/users",
        json={"email": "carol@example.com", "name": "Carol", "password": password},
        headers=ids.admin.headers,
    )
    user_id = created.json()["id"]
    await client.put(
        f"/api/v1/workspaces/1/members/{user_id}",
        json={"role": "member"},
        headers=ids.admin.headers,
    )
    login = await client.post(
        "/api/v1/auth/login", json={"email": "carol@example.com", "password": password}
    )
    session_token = login.json()["token"]
    await client.post("/api/v1/auth/login", json={"email": "carol@example.com", "password": "nope"})
    issued = await client.post(
        "/api/v1/tokens",
        json={"name": "ci", "workspace_id": 1},
        headers={"Authorization": f"Bearer {session_token}"},
    )
    api_token = issued.json()["token"]
    await client.delete(
        f"/api/v1/tokens/{issued.json()['id']}", headers={"X-Api-Key": session_token}
    )
    await client.get("/api/v1/users/me", headers={"Authorization": "Bearer wrong-token-value-xyz"})

    secrets = [password, session_token, api_token, ids.admin.token, "wrong-token-value-xyz"]
    assert all(secret not in caplog.text for secret in secrets)
    events = (await session.scalars(select(AuditEvent))).all()
    assert {e.action for e in events} >= {
        "user.create",
        "member.put",
        "user.login",
        "token.create",
        "token.delete",
    }
    stored = " ".join(f"{e.action} {e.target_id} {e.diff} {e.client_address}" for e in events)
    assert all(secret not in stored for secret in secrets)
    assert "pw-that" not in stored
