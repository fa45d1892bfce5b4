"""Helpers for the actions tests: Coder calls in a client session, and reading rows back."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Action, Credential, Provider
from tests.factories import Caller, provider_body

SESSION = "tab-1"
KEY_A = "sk-alpha-0123456789abcdefAAAA"
KEY_B = "sk-bravo-0123456789abcdefBBBB"
KEY_C = "sk-charlie-0123456789abcdefCC"


def coder(caller: Caller, session: str | None = SESSION, **extra: str) -> dict[str, str]:
    headers = {"Coder-Session-Token": caller.token, **extra}
    if session is not None:
        headers["ClientSessionId"] = session
    return headers


def baserow(caller: Caller, session: str = SESSION) -> dict[str, str]:
    return {"Authorization": f"JWT {caller.token}", "ClientSessionId": session}


def openai_provider(name: str, keys: list[str]) -> dict[str, Any]:
    """An OpenAI provider in Coder's wire shape, with a display name to see restored."""
    return provider_body(name, keys=keys, display_name=f"{name} display")


async def undo(client: httpx.AsyncClient, caller: Caller, session: str = SESSION) -> dict[str, Any]:
    response = await client.patch(
        "/api/user/undo/", headers=baserow(caller, session), json={"scopes": {}}
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def redo(client: httpx.AsyncClient, caller: Caller, session: str = SESSION) -> dict[str, Any]:
    response = await client.patch(
        "/api/user/redo/", headers=baserow(caller, session), json={"scopes": {}}
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def actions(app: FastAPI) -> list[Action]:
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        return list((await session.scalars(select(Action).order_by(Action.created_at))).all())


async def provider_rows(app: FastAPI, name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The provider row (the newest of that name) and its credential rows, every column."""
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        provider = (
            (
                await session.execute(
                    select(Provider.__table__)
                    .where(Provider.__table__.c.name == name)
                    .order_by(Provider.__table__.c.created_at.desc())
                )
            )
            .mappings()
            .first()
        )
        assert provider is not None
        credentials = (
            (
                await session.execute(
                    select(Credential.__table__)
                    .where(Credential.__table__.c.provider_id == provider["id"])
                    .order_by(Credential.__table__.c.position)
                )
            )
            .mappings()
            .all()
        )
        return dict(provider), [dict(c) for c in credentials]
