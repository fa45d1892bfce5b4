"""`aiport secrets …`: the stored secrets as a whole."""

from __future__ import annotations

import typer

from aiport.cli.context import fail, load_settings, open_engine, require_current_schema, run
from aiport.credentials.rotation import RotationReport, rotate_secrets
from aiport.vault.keyfile import load_keyring

app = typer.Typer(help="Stored secrets.", no_args_is_help=True)


@app.command("rotate")
def rotate(
    batch_size: int = typer.Option(200, min=1, max=10_000, help="Rows per committed batch."),
) -> None:
    """Re-encrypt every secret with the first key of AIPORT_SECRET_KEYS.

    Add the new key first in AIPORT_SECRET_KEYS everywhere, run this, then remove the old key.
    Safe to interrupt and run again.
    """
    settings = load_settings()
    try:
        keyring = load_keyring(settings)
    except (ValueError, OSError) as error:
        raise fail(f"cannot load the secret keys: {error}") from None

    def progress(report: RotationReport) -> None:
        typer.echo(f"aiport: … {report.rotated} rotated so far", err=True)

    async def go() -> RotationReport:
        async with open_engine(settings) as engine:
            await require_current_schema(engine)
            return await rotate_secrets(engine, keyring, batch_size=batch_size, on_batch=progress)

    report = run(go)
    typer.echo(
        f"rotated {report.rotated}, already current {report.already_current}, "
        f"undecryptable {report.undecryptable} (key {keyring.primary_key_id})"
    )
    if report.nested_rotated or report.nested_undecryptable:
        typer.echo(
            f"inside undo states: rotated {report.nested_rotated}, "
            f"undecryptable {report.nested_undecryptable}"
        )
    if report.changed_meanwhile:
        typer.echo(
            f"aiport: {report.changed_meanwhile} secrets changed during the run: run it again",
            err=True,
        )
    if report.undecryptable:
        typer.echo(
            "aiport: undecryptable secrets are marked on their credentials; replace them "
            "(or add their key back to AIPORT_SECRET_KEYS and run this again)",
            err=True,
        )
