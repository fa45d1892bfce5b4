"""`aiport user …`: people, from the command line (no API token needed)."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from aiport.cli.context import fail, load_settings, run_in_unit_of_work
from aiport.users.schemas import UserCreate
from aiport.users.service import UserService

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
        new = UserCreate(email=email, name=name, password=password, is_admin=admin)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise fail(
            f"--{field.replace('_', '-')}: {first['msg'].removeprefix('Value error, ')}"
        ) from None
    user = run_in_unit_of_work(
        load_settings(), lambda session: UserService(session).create_user(new)
    )
    typer.echo(f"created user {user.id} {user.email}")
