"""The `aiport` command."""

from __future__ import annotations

import typer
import uvicorn

from aiport.cli import providers, secrets, tokens, users
from aiport.cli.context import fail, load_settings, open_engine, run
from aiport.db import migrate
from aiport.db.engine import make_sessionmaker
from aiport.db.session import unit_of_work
from aiport.log import configure_logging
from aiport.users.service import UserService
from aiport.vault.keyfile import load_keyring

app = typer.Typer(help="aiport: AI providers, keys and models in one place.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(tokens.app, name="token")
app.add_typer(secrets.app, name="secrets")
app.add_typer(providers.app, name="provider")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8080, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Migrate, create the first admin if there is none, and serve."""
    settings = load_settings()
    configure_logging(settings.log_level)
    try:
        load_keyring(settings)
    except (ValueError, OSError) as error:
        raise fail(f"cannot load the secret keys: {error}") from None

    async def prepare() -> str | None:
        async with open_engine(settings) as engine:
            await migrate.upgrade(engine)
            async with unit_of_work(make_sessionmaker(engine)) as session:
                return await UserService(session).bootstrap(settings.bootstrap_token)

    generated = run(prepare)
    if generated:
        typer.echo(
            "aiport: created admin@localhost with this API token (shown once, store it now):\n"
            f"  {generated}"
        )
    uvicorn.run(
        "aiport.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_level=settings.log_level.lower(),
        log_config=None,
    )


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    settings = load_settings()

    async def go() -> None:
        async with open_engine(settings) as engine:
            await migrate.upgrade(engine, revision)

    run(go)
    typer.echo(f"database at {revision}")


@db_app.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    settings = load_settings()

    async def go() -> str | None:
        async with open_engine(settings) as engine:
            return await migrate.current_revision(engine)

    typer.echo(run(go) or "empty (no migrations applied)")


@db_app.command("check")
def db_check() -> None:
    """Exit non-zero if the database is not at the newest revision or differs from the tables."""
    settings = load_settings()

    async def go() -> tuple[str | None, list[object]]:
        async with open_engine(settings) as engine:
            return await migrate.current_revision(engine), await migrate.drift(engine)

    current, differences = run(go)
    heads = migrate.head_revisions()
    if current not in heads:
        raise fail(f"database is at {current or 'nothing'}, newest is {', '.join(heads)}")
    if differences:
        raise fail(f"database differs from the tables: {differences}")
    typer.echo(f"database is at {current}, in step with the tables")
