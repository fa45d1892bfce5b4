"""`aiport user …`: people, from the command line (no API token needed)."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from aiport.cli.context import (
    fail,
    load_settings,
    open_engine,
    require_current_schema,
    run,
    unit_of_work,
)
from aiport.users import service
from aiport.users.schemas import UserCreate

app = typer.Typer(help="Users.", no_args_is_help=True)


@app.command("create")
def create(
    email: str = typer.Option(..., help="The user's email, used to log in."),
    name: str = typer.Option(..., help="The user's display name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read a password (8+ characters) from standard input."
    ),
    admin: bool = typer.Option(False, "--admin", help="Make the user an instance administrator."),
) -> None:
    """Create a user; the same checks as `POST /api/v1/users`."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        body = UserCreate(email=email, name=name, password=password, is_admin=admin)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise fail(
            f"--{field.replace('_', '-')}: {first['msg'].removeprefix('Value error, ')}"
        ) from None
    settings = load_settings()

    async def go() -> int:
        async with open_engine(settings) as engine:
            await require_current_schema(engine)
            async with unit_of_work(engine) as session:
                user = await service.create_user(
                    session,
                    email=body.email,
                    name=body.name,
                    password=body.password,
                    is_admin=body.is_admin,
                )
                return user.id

    user_id = run(go)
    typer.echo(f"created user {user_id} {service.normalize_email(body.email)}")
