"""No key written through Baserow's surface or replayed by undo/redo appears in clear anywhere:
responses, logs, audit events, action rows, any table, or the database file itself."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aiport.db.base import Base
from aiport.db.engine import make_sessionmaker
from tests.factories import Identities
from tests.surfaces.baserow.support import SESSION, jwt, settings_url

KEYS = [
    "sk-canary-openai-5f0c7e1a9b2d4e6f",
    "sk-canary-replaced-8a1b2c3d4e5f6a7b",
    "sk-canary-coder-0a9b8c7d6e5f4a3b",
    "sk-canary-refused-1122334455667788",
]


async def _everything_stored(app: FastAPI) -> str:
    """Every row of every table, as text."""
    dumped = []
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                dumped.append(f"{table.name} {tuple(row)!r}")
    return "\n".join(dumped)


def _database_files(database_url: str) -> bytes:
    if not database_url.startswith("sqlite"):
        return b""
    path = Path(database_url.split("///", 1)[1])
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


async def test_keys_never_appear_in_clear(
    client: httpx.AsyncClient,
    ids: Identities,
    app: FastAPI,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    headers = jwt(ids.admin, SESSION)
    coder = {"Coder-Session-Token": ids.admin.token, "ClientSessionId": SESSION}
    answers: list[httpx.Response] = []

    async def call(method: str, url: str, headers: dict[str, str], json: object = None) -> None:
        answers.append(await client.request(method, url, headers=headers, json=json))

    settings = settings_url(1)
    await call(
        "PATCH",
        settings,
        headers=headers,
        json={"openai": {"api_key": KEYS[0], "models": ["gpt-4o"]}},
    )
    await call(
        "PATCH",
        settings,
        headers=headers,
        json={"openai": {"api_key": KEYS[1], "models": ["gpt-4o"]}},
    )
    await call(
        "POST",
        "/api/v2/ai/providers",
        headers=coder,
        json={
            "type": "anthropic",
            "name": "anthropic",
            "base_url": "https://api.anthropic.com",
            "api_keys": [KEYS[2]],
        },
    )
    await call(
        "PATCH", settings, headers=headers, json={"openai": {"api_key": KEYS[3], "models": "x"}}
    )
    await call(
        "PATCH",
        settings_url(ids.other_workspace_id),
        headers=headers,
        json={"openai": {"api_key": KEYS[3]}},
    )
    await call("DELETE", "/api/v2/ai/providers/anthropic", headers=coder)
    for path in ("/api/user/undo/", "/api/user/undo/", "/api/user/redo/", "/api/user/undo/"):
        await call("PATCH", path, headers=headers, json={"scopes": {}})
    await call("GET", settings, headers=headers)
    await call("GET", "/api/workspaces/", headers=headers)
    await call("GET", "/api/v2/ai/providers", headers=coder)
    await call("GET", "/api/v1/workspaces/1/providers", headers=ids.admin.headers)
    await call("GET", "/api/v1/workspaces/1/audit", headers=ids.admin.headers)

    assert [r.status_code for r in answers][:6] == [200, 200, 201, 400, 400, 204]
    assert all(r.status_code < 500 for r in answers)
    texts = {
        "responses": "\n".join(r.text for r in answers),
        "logs": caplog.text,
        "rows": await _everything_stored(app),
    }
    for where, text in texts.items():
        leaked = [k for k in KEYS if k in text]
        assert leaked == [], f"a key appears in clear in the {where}"
    stored = _database_files(database_url)
    assert stored or not database_url.startswith("sqlite")
    assert all(k.encode() not in stored for k in KEYS)
