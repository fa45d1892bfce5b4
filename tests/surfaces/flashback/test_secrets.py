"""No key written through `/ai/llm` appears in clear in a response, a log line, an audit event
or the database (checklist items 10 and 11)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aiport.db.base import Base
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import AuditEvent
from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.surfaces.flashback.support import API, llm_body


async def _database_text(app: FastAPI) -> bytes:
    """Every row of every table as text, and on SQLite the database files' bytes as well."""
    parts: list[bytes] = []
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            parts.append(repr(rows).encode())
    url = app.state.runtime.settings.resolved_database_url
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        files = sorted(path.parent.glob(path.name + "*"))
        assert files
        parts += [f.read_bytes() for f in files]
    return b"\n".join(parts)


async def test_no_key_written_here_is_ever_shown_logged_audited_or_stored_in_clear(
    client: httpx.AsyncClient,
    ids: Identities,
    app: FastAPI,
    fake_provider: StartFake,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake = await fake_provider("openai")
    openai_secret = fake.bad_plaintext
    openai_key = "flashback-extra-key-0001"
    aws_key, aws_secret = "AKIAFLASHBACKSECRET9", "aws-secret-flashback-never-shown-1234"
    new_secret = "sk-proj-replacement-never-shown-5678"
    odd_secret = "sk-odd-shape-never-shown-9999"
    secrets = [openai_secret, openai_key, aws_key, aws_secret, new_secret, odd_secret]
    responses: list[httpx.Response] = []

    async def send(method: str, path: str, body: object = None) -> httpx.Response:
        response = await client.request(method, path, headers=ids.admin.headers, json=body)
        responses.append(response)
        return response

    made = await send(
        "POST",
        API,
        llm_body(endpoint=fake.target.base_url, key=openai_key, secret=openai_secret),
    )
    openai_id = made.json()["aiLlmId"]
    aws = await send(
        "POST",
        API,
        llm_body("AWS", aiType="AWS", endpoint="https://bedrock-runtime.us-east-1.amazonaws.com")
        | {"key": aws_key, "secret": aws_secret},
    )
    assert aws.status_code == 200
    # Refused requests that carry secrets: duplicate name, bad endpoint, odd shapes.
    await send("POST", API, llm_body(secret=odd_secret))
    await send("POST", API, llm_body("Other", endpoint="nope", secret=odd_secret))
    await send("POST", API, llm_body("Odd", secret={"value": odd_secret}))
    await send("POST", API, llm_body("Odd", key=[odd_secret], secret=odd_secret, aiType="BAD"))
    await send("POST", API, llm_body("Odd", secret=f" {odd_secret} "))
    # The upstream echoes the refused key in its error; the validation message must not.
    validated = await send("POST", f"{API}/{openai_id}/validate")
    assert validated.json()["success"] is False
    await send("PUT", f"{API}/{openai_id}", {"secret": new_secret, "key": openai_key})
    await send("PUT", f"{API}/{openai_id}", {"secret": {"x": odd_secret}})
    await send("POST", f"{API}/{openai_id}/validate")
    for path in (API, f"{API}/available", f"{API}/stats"):
        await send("GET", path)
    await send("GET", "/api/v2/ai/providers")
    await send("GET", "/api/v1/workspaces/1/providers")
    await send("DELETE", f"{API}/{aws.json()['aiLlmId']}")
    assert {r.status_code for r in responses} <= {200, 400}

    async with make_sessionmaker(app.state.runtime.engine)() as session:
        events = (await session.execute(select(AuditEvent))).scalars().all()
    audit = json.dumps([[e.action, e.target_id, e.diff] for e in events])
    assert {"provider.create", "provider.update", "provider.check", "provider.delete"} <= {
        e.action for e in events
    }
    logs = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    stored = await _database_text(app)
    for secret in secrets:
        for response in responses:
            assert secret not in response.text, (secret, response.request.url, response.text)
        assert secret not in logs
        assert secret not in audit
        assert secret.encode() not in stored
