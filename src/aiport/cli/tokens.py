"""`aiport token …`: API tokens, from the command line (no API token needed)."""

from __future__ import annotations

from datetime import timedelta

import typer

from aiport.cli.context import (
    fail,
    load_settings,
    open_engine,
    require_current_schema,
    run,
    unit_of_work,
)
from aiport.db.types import MAX_ID, utcnow
from aiport.users import service

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
    settings = load_settings()

    async def go() -> tuple[int, str]:
        async with open_engine(settings) as engine:
            await require_current_schema(engine)
            async with unit_of_work(engine) as session:
                user = await service.get_user_by_email(session, email)
                issued = await service.create_token_for(
                    session, user, name=name, workspace_id=workspace, expires_at=expires_at
                )
                return issued.row.id, issued.plaintext

    token_id, token = run(go)
    typer.echo(f"aiport: created token {token_id} {name!r} for {email} (shown once)", err=True)
    typer.echo(token)
