"""Coder checklist item 24 and the canary: a key written through the API is never seen in clear.

Keys go in through create and PATCH flows (including failing ones); then every response body,
every log line (SQLAlchemy's included), every audit event and every stored row — and on SQLite
the raw bytes of the database file and its WAL — are searched for them.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.base import Base
from aiport.db.tables import Action, AuditEvent, Credential
from aiport.providers import events
from aiport.vault import KeyRing, aad
from tests.factories import create_provider
from tests.surfaces.coder.support import API, bedrock_body, openai_body

CANARY_KEY = "sk-CANARY-live-7f3a9c1e5b2d4a6f8e0c"
CANARY_ROTATED = "sk-CANARY-rotated-91b2c3d4e5f60718"
CANARY_ACCESS_KEY = "AKIACANARY0123456789"
CANARY_AWS_SECRET = "CANARYsecret/K7MDENG+bPxRfiCYEXAMPLEKEY"
CANARIES = [CANARY_KEY, CANARY_ROTATED, CANARY_ACCESS_KEY, CANARY_AWS_SECRET]


async def _provider_flows(client: httpx.AsyncClient, owner: dict[str, str]) -> list[httpx.Response]:
    responses = [
        await client.post(API, headers=owner, json=openai_body(api_keys=[CANARY_KEY])),
        await client.post(
            API,
            headers=owner,
            json=bedrock_body(access_key=CANARY_ACCESS_KEY, access_key_secret=CANARY_AWS_SECRET),
        ),
    ]
    key_id = responses[0].json()["api_keys"][0]["id"]
    path = f"{API}/openai-main"
    responses += [
        await client.patch(
            path, headers=owner, json={"api_keys": [{"id": key_id}, {"api_key": CANARY_ROTATED}]}
        ),
        await client.patch(path, headers=owner, json={"api_keys": [{"api_key": f" {CANARY_KEY}"}]}),
        await client.patch(
            path, headers=owner, json={"api_keys": [{"api_key": CANARY_KEY, "id": key_id}]}
        ),
        await client.post(
            API, headers=owner, json=openai_body("dup", api_keys=[f"{CANARY_KEY}\n"])
        ),
        await client.post(
            API, headers=owner, json=openai_body("openai-main", api_keys=[CANARY_KEY])
        ),
        await client.post(API, headers=owner, content=f'{{"api_keys":["{CANARY_KEY}"'.encode()),
        await client.post(
            API,
            headers=owner,
            json=openai_body("copilot", api_keys=[CANARY_KEY]) | {"type": "copilot"},
        ),
        await client.patch(
            f"{API}/bedrock-prod",
            headers=owner,
            json={
                "settings": {
                    "_type": "bedrock",
                    "_version": 1,
                    "region": "x",
                    "access_key_secret": CANARY_ROTATED,
                }
            },
        ),
        await client.patch(
            f"{API}/bedrock-prod", headers=owner, json={"api_keys": [{"api_key": CANARY_KEY}]}
        ),
        await client.get(API, headers=owner),
        await client.get(f"{API}/bedrock-prod", headers=owner),
        await client.get("/api/v1/workspaces/1/providers", headers=owner),
        await client.delete(path, headers=owner),
    ]
    return responses


async def _stored_rows(session: AsyncSession) -> str:
    dumps = []
    for table in Base.metadata.sorted_tables:
        rows = (await session.execute(select(table))).all()
        dumps.append(repr([tuple(row) for row in rows]))
    return "\n".join(dumps)


async def test_item24_canary_keys_never_appear_in_clear_anywhere(
    client: httpx.AsyncClient,
    owner: dict[str, str],
    session: AsyncSession,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    # With a client session every change is also recorded as an undoable Action.
    responses = await _provider_flows(client, owner | {"ClientSessionId": str(uuid.uuid4())})
    assert [r.status_code for r in responses] == [
        201,
        201,
        200,
        400,
        400,
        400,
        409,
        400,
        400,
        200,
        400,
        200,
        200,
        200,
        204,
    ]
    assert any("sqlalchemy.engine" in r.name for r in caplog.records)
    logs = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    events_text = json.dumps(
        [e.diff for e in (await session.execute(select(AuditEvent))).scalars()]
    )
    stored = await _stored_rows(session)
    assert len((await session.execute(select(Action))).scalars().all()) >= 5
    for canary in CANARIES:
        for response in responses:
            assert canary.encode() not in response.content
        assert canary not in logs
        assert canary not in events_text
        assert canary not in stored
    if make_url(database_url).get_backend_name() == "sqlite":
        path = Path(make_url(database_url).database or "")
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        # The stored masks are found in these bytes, so the keys would be too if they were there.
        assert b"sk-C...8e0c" in raw
        for canary in CANARIES:
            assert canary.encode() not in raw


async def test_item24_keys_are_encrypted_at_rest_bound_to_their_row(
    client: httpx.AsyncClient,
    owner: dict[str, str],
    session: AsyncSession,
    secret_key: str,
) -> None:
    await create_provider(client, owner, openai_body(api_keys=[CANARY_KEY, CANARY_ROTATED]))
    rows = (await session.execute(select(Credential).order_by(Credential.position))).scalars().all()
    ring = KeyRing.from_base64(secret_key)
    assert [ring.decrypt(r.ciphertext, aad("credentials", r.id, "secret")) for r in rows] == [
        CANARY_KEY,
        CANARY_ROTATED,
    ]
    assert {r.key_id for r in rows} == {ring.primary_key_id}
    assert [r.mask for r in rows] == ["sk-C...8e0c", "sk-C...0718"]
    assert rows[0].fingerprint != rows[1].fingerprint
    with pytest.raises(Exception, match="authenticate"):
        ring.decrypt(rows[0].ciphertext, aad("credentials", rows[1].id, "secret"))


async def _events(session: AsyncSession) -> list[tuple[str, str, dict[str, Any]]]:
    result = await session.execute(select(AuditEvent).order_by(AuditEvent.id))
    return [(e.action, e.target_id, e.diff) for e in result.scalars()]


async def test_item24_create_update_delete_are_audited_with_masked_key_operations(
    client: httpx.AsyncClient, owner: dict[str, str], session: AsyncSession
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=[CANARY_KEY]))
    first = created["api_keys"][0]
    patched = await client.patch(
        f"{API}/openai-main",
        headers=owner,
        json={"display_name": "Main", "api_keys": [{"api_key": CANARY_ROTATED}]},
    )
    second = patched.json()["api_keys"][0]
    await client.delete(f"{API}/openai-main", headers=owner)
    recorded = [
        (action, target, diff)
        for action, target, diff in await _events(session)
        if action.startswith(("provider.", "credential."))
    ]
    assert [(a, t) for a, t, _ in recorded] == [
        ("provider.create", created["id"]),
        ("credential.create", first["id"]),
        ("provider.update", created["id"]),
        ("credential.delete", first["id"]),
        ("credential.create", second["id"]),
        ("provider.delete", created["id"]),
    ]
    update = recorded[2][2]
    assert update["changes"] == {"display_name": {"old": None, "new": "Main"}}
    assert update["settings_changed"] is False
    assert update["credentials"] == {
        "added": [{"id": second["id"], "kind": "api_key", "masked": "sk-C...0718"}],
        "removed": [{"id": first["id"], "kind": "api_key", "masked": "sk-C...8e0c"}],
        "kept": 0,
    }
    assert recorded[1][2]["masked"] == "sk-C...8e0c"


async def test_item24_failed_requests_leave_no_audit_event(
    client: httpx.AsyncClient, owner: dict[str, str], session: AsyncSession
) -> None:
    await client.post(API, headers=owner, json=openai_body("Bad Name"))
    await client.patch(f"{API}/missing", headers=owner, json={"enabled": True})
    assert [a for a, _, _ in await _events(session) if a.startswith("provider")] == []


async def test_item24_changes_are_announced_after_commit(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    heard: list[events.ProvidersChanged] = []
    unsubscribe = events.subscribe(heard.append)
    try:
        created = await create_provider(client, owner, openai_body())
        await client.patch(f"{API}/openai-main", headers=owner, json={"enabled": True})
        await client.post(API, headers=owner, json=openai_body())
        await client.patch(f"{API}/openai-main", headers=owner, json={"base_url": "bad"})
        await client.delete(f"{API}/openai-main", headers=owner)
    finally:
        unsubscribe()
    assert [(c.workspace_id, str(c.provider_id), c.action) for c in heard] == [
        (1, created["id"], "create"),
        (1, created["id"], "update"),
        (1, created["id"], "delete"),
    ]
