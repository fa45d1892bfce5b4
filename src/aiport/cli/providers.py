"""`aiport provider …`: check a provider's credentials from the command line."""

from __future__ import annotations

import typer

from aiport.adapters import AdapterRegistry, OutboundPolicy, make_client_session
from aiport.checks.schemas import ProviderCheckRead
from aiport.checks.service import CheckService
from aiport.cli.context import fail, load_settings, open_engine, require_current_schema, run
from aiport.db.engine import make_sessionmaker
from aiport.db.types import MAX_ID
from aiport.vault.keyfile import load_keyring

app = typer.Typer(help="AI providers.", no_args_is_help=True)


def render_check(result: ProviderCheckRead, workspace: int) -> str:
    """A readable table: one line per credential with its status and message."""
    lines = [
        f"provider {result.name} ({result.type}) in workspace {workspace}: {result.status}",
        f"  {result.message}",
    ]
    if result.credentials:
        rows = [("KEY", "KIND", "STATUS", "MESSAGE")] + [
            (c.mask, c.kind, c.status, c.message) for c in result.credentials
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines.append("")
        lines.extend(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
            for row in rows
        )
    return "\n".join(lines)


@app.command("check")
def check(
    name: str = typer.Argument(..., help="The provider's name (its slug)."),
    workspace: int = typer.Option(1, min=1, max=MAX_ID, help="The workspace the provider is in."),
) -> None:
    """Check every credential of a provider against it and record the results.

    Exits 0 when every credential works, 1 otherwise.
    """
    settings = load_settings()
    try:
        keyring = load_keyring(settings)
    except (ValueError, OSError) as error:
        raise fail(f"cannot load the secret keys: {error}") from None

    async def go() -> ProviderCheckRead:
        async with open_engine(settings) as engine:
            await require_current_schema(engine)
            http = make_client_session(
                OutboundPolicy(allow_private=settings.allow_private_upstreams),
                connect_timeout=settings.upstream_connect_timeout,
                read_timeout=settings.upstream_read_timeout,
            )
            try:
                service = CheckService(
                    make_sessionmaker(engine),
                    keyring,
                    AdapterRegistry(),
                    http,
                    settings,
                )
                return await service.check_provider(None, workspace, name)
            finally:
                await http.close()

    result = run(go)
    typer.echo(render_check(result, workspace))
    raise typer.Exit(0 if result.status == "ok" else 1)
