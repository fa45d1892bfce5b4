"""`aiport user create` and `aiport token create`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.passwords import verify_password
from aiport.auth.principal import authenticate
from aiport.db.tables import AuditEvent, Token, User
from aiport.db.types import utcnow
from aiport.users.service import UserService
from tests.cli.support import Cli, one_line_error


def test_user_create_with_a_password_from_stdin(cli: Cli) -> None:
    result = cli(
        "user",
        "create",
        "--email",
        "Dana@Example.com",
        "--name",
        "Dana",
        "--password-stdin",
        input="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("created user ")

    async def inspect(session: AsyncSession) -> tuple[User, list[AuditEvent]]:
        user = (await session.scalars(select(User).where(User.email == "dana@example.com"))).one()
        events = (await session.scalars(select(AuditEvent))).all()
        return user, list(events)

    user, events = cli.db(inspect)
    assert user.name == "Dana"
    assert user.is_admin is False
    assert verify_password(user.password_hash, "a-long-password")
    assert [(e.action, e.actor_user_id) for e in events] == [("user.create", None)]
    assert "a-long-password" not in str(events[0].diff)


def test_user_create_admin_without_a_password(cli: Cli) -> None:
    result = cli("user", "create", "--email", "ops@example.com", "--name", "Ops", "--admin")
    assert result.exit_code == 0, result.output

    async def inspect(session: AsyncSession) -> User:
        return (await session.scalars(select(User).where(User.email == "ops@example.com"))).one()

    user = cli.db(inspect)
    assert user.is_admin is True
    assert user.password_hash is None


def test_user_create_with_a_taken_email_fails_in_one_line(cli: Cli) -> None:
    cli("user", "create", "--email", "eve@example.com", "--name", "Eve")
    result = cli("user", "create", "--email", "EVE@example.com", "--name", "Eve")
    assert "already exists" in one_line_error(result)


def test_user_create_with_a_bad_email_fails_in_one_line(cli: Cli) -> None:
    result = cli("user", "create", "--email", "eve", "--name", "Eve")
    assert one_line_error(result).startswith("aiport: --email:")


def test_user_create_with_a_short_password_fails_in_one_line(cli: Cli) -> None:
    result = cli(
        "user",
        "create",
        "--email",
        "eve@example.com",
        "--name",
        "Eve",
        "--password-stdin",
        input="short\n",
    )
    assert one_line_error(result).startswith("aiport: --password:")


def test_commands_on_an_unmigrated_database_ask_for_an_upgrade(cli: Cli, tmp_path: Path) -> None:
    empty = f"sqlite+aiosqlite:///{tmp_path}/empty.db"
    result = cli(
        "user", "create", "--email", "a@example.com", "--name", "A", AIPORT_DATABASE_URL=empty
    )
    assert "run `aiport db upgrade` first" in one_line_error(result)


def _bootstrapped(cli: Cli) -> None:
    async def arrange(session: AsyncSession) -> None:
        await UserService(session).bootstrap("")

    cli.db(arrange)


def test_token_create_prints_a_working_token_once(cli: Cli) -> None:
    _bootstrapped(cli)
    result = cli(
        "token",
        "create",
        "--email",
        "admin@localhost",
        "--name",
        "ci",
        "--workspace",
        "1",
        "--expires-in-days",
        "7",
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert "shown once" in result.stderr
    assert token not in result.stderr

    async def inspect(session: AsyncSession) -> tuple[int, int | None, Token]:
        principal = await authenticate(session, token)
        row = await session.get(Token, principal.token_id)
        assert row is not None
        return principal.user_id, principal.token_workspace_id, row

    user_id, workspace_id, row = cli.db(inspect)
    assert (user_id, workspace_id, row.name) == (1, 1, "ci")
    assert row.expires_at is not None
    assert timedelta(days=6, hours=23) < row.expires_at - utcnow() <= timedelta(days=7)


def test_token_create_for_a_workspace_the_user_is_not_in_fails(cli: Cli) -> None:
    _bootstrapped(cli)
    result = cli("token", "create", "--email", "admin@localhost", "--name", "x", "--workspace", "7")
    assert one_line_error(result) == "aiport: workspace 7 not found"
    assert result.stdout == ""


def test_token_create_for_an_unknown_email_fails(cli: Cli) -> None:
    result = cli("token", "create", "--email", "ghost@example.com", "--name", "x")
    assert one_line_error(result) == "aiport: user ghost@example.com not found"


def test_token_create_with_a_blank_name_fails(cli: Cli) -> None:
    result = cli("token", "create", "--email", "admin@localhost", "--name", "  ")
    assert one_line_error(result) == "aiport: --name: must be 1 to 200 characters"
