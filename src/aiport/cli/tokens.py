"""`aiport token …`: API tokens, from the command line (no API token needed)."""

from __future__ import annotations

from datetime import timedelta

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.cli.context import fail, load_settings, run_in_unit_of_work
from aiport.db.types import MAX_ID, utcnow
from aiport.users.schemas import TokenIssued
from aiport.users.service import UserService

app = typer.Typer(help="API tokens.", no_args_is_help=True)


@app.command("create")
def create(
    email: str = typer.Option(..., help="Whose token it is."),
    name: str = typer.Option(..., help="What the token is for, shown in listings."),
    workspace: int | None = typer.Option(
        None, min=1, max=MAX_ID, help="Bind the token to this workspace (the user must be in it)."
    ),
    expires_in_days: int | None = typer.Option(
        None, min=1, max=36500, help="Expire the token after this many days."
    ),
) -> None:
    """Create a token and print it once on standard output: store it now."""
    name = name.strip()
    if not name or len(name) > 200:
        raise fail("--name: must be 1 to 200 characters")
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None

    async def issue(session: AsyncSession) -> TokenIssued:
        # As the operator: for any user, bound only to a workspace they are a member of.
        users = UserService(session)
        owner = await users.get_user_by_email(email)
        return await users.create_token(
            name, workspace_id=workspace, expires_at=expires_at, user_id=owner.id
        )

    issued = run_in_unit_of_work(load_settings(), issue)
    typer.echo(f"aiport: created token {issued.id} {name!r} for {email} (shown once)", err=True)
    typer.echo(issued.token)
