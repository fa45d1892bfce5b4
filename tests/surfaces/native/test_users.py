"""`/api/v1/auth/login` and `/api/v1/users`."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import AuditEvent, User
from aiport.db.types import utcnow
from tests.factories import Identities


async def test_login_returns_a_token_that_authenticates(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": ids.member.email, "password": "correct horse"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["id"] == ids.member.user_id
    assert "password" not in body["user"]
    assert "password_hash" not in body["user"]
    me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["email"] == ids.member.email


async def test_login_token_expires_after_thirty_days(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": ids.member.email, "password": "correct horse"}
    )
    expires_at = datetime.fromisoformat(response.json()["expires_at"])
    assert timedelta(days=29) < expires_at - utcnow() <= timedelta(days=30)


async def test_login_ignores_the_case_of_the_email(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": ids.member.email.upper(), "password": "correct horse"}
    )
    assert response.status_code == 200


async def test_login_with_a_wrong_password_is_401(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": ids.member.email, "password": "wrong horse"}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "wrong_credentials"


@pytest.mark.usefixtures("ids")
async def test_login_with_an_unknown_email_is_the_same_401(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "correct horse"}
    )
    assert response.status_code == 401
    assert response.json()["title"] == "wrong email or password"


async def test_login_of_a_user_without_a_password_is_401(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    # The bootstrap admin has a token but no password.
    response = await client.post(
        "/api/v1/auth/login", json={"email": ids.admin.email, "password": "anything at all"}
    )
    assert response.status_code == 401


async def test_login_is_audited(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    await client.post(
        "/api/v1/auth/login", json={"email": ids.member.email, "password": "correct horse"}
    )
    actions = (
        await session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor_user_id == ids.member.user_id)
        )
    ).all()
    assert actions == ["user.login", "token.create"]


async def test_users_me_is_the_caller(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.get("/api/v1/users/me", headers=ids.member.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == ids.member.user_id
    assert body["email"] == ids.member.email
    assert body["is_admin"] is False
    assert set(body) == {"id", "email", "name", "is_admin", "created_at", "updated_at"}


async def test_instance_admin_creates_a_user(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        "/api/v1/users",
        json={"email": "  Ann@Example.com ", "name": " Ann ", "password": "s3cret-pass"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "ann@example.com"
    assert body["name"] == "Ann"
    assert body["is_admin"] is False
    assert "password" not in response.text
    login = await client.post(
        "/api/v1/auth/login", json={"email": "ann@example.com", "password": "s3cret-pass"}
    )
    assert login.status_code == 200


async def test_instance_admin_creates_another_instance_admin(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/users",
        json={"email": "root2@example.com", "name": "Root", "is_admin": True},
        headers=ids.admin.headers,
    )
    assert response.json()["is_admin"] is True


async def test_a_duplicate_email_is_409(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        "/api/v1/users",
        json={"email": ids.member.email.upper(), "name": "Again"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


async def test_user_creation_is_audited_without_the_password(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    await client.post(
        "/api/v1/users",
        json={"email": "bob@example.com", "name": "Bob", "password": "hunter2-hunter2"},
        headers=ids.admin.headers,
    )
    event = (
        await session.scalars(select(AuditEvent).where(AuditEvent.action == "user.create"))
    ).all()[-1]
    assert event.actor_user_id == ids.admin.user_id
    assert event.diff["email"] == "bob@example.com"
    assert event.diff["has_password"] is True
    assert "hunter2" not in str(event.diff)
    assert event.client_address == "203.0.113.7"


async def test_instance_admin_lists_users(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    response = await client.get("/api/v1/users", headers=ids.admin.headers)
    assert response.status_code == 200
    emails = [u["email"] for u in response.json()]
    stored = (await session.scalars(select(User.email).order_by(User.id))).all()
    assert emails == list(stored)
    assert ids.member.email in emails


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "x@example.com"}, "name"),
        ({"email": "x@example.com", "name": "   "}, "name"),
        ({"email": "x@example.com", "name": "n" * 201}, "name"),
        ({"email": "x@example.com", "name": "a\x00b"}, "name"),
        ({"email": "not-an-email", "name": "X"}, "email"),
        ({"email": "a b@example.com", "name": "X"}, "email"),
        ({"email": "a@" + "e" * 320, "name": "X"}, "email"),
        ({"email": "x@example.com", "name": "X", "password": "short"}, "password"),
        ({"email": "x@example.com", "name": "X", "is_admin": "yes"}, "is_admin"),
        ({"email": "x@example.com", "name": "X", "is_admin": 1}, "is_admin"),
        ({"email": "x@example.com", "name": "X", "role": "admin"}, "role"),
        ({"email": 42, "name": "X"}, "email"),
    ],
    ids=[
        "missing-name",
        "blank-name",
        "long-name",
        "nul-in-name",
        "not-an-email",
        "space-in-email",
        "long-email",
        "short-password",
        "string-bool",
        "int-bool",
        "unknown-field",
        "number-email",
    ],
)
async def test_an_invalid_user_is_a_422_naming_the_field(
    client: httpx.AsyncClient, ids: Identities, body: dict[str, object], field: str
) -> None:
    response = await client.post("/api/v1/users", json=body, headers=ids.admin.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "request_invalid"
    assert field in [e["field"] for e in problem["errors"]]
