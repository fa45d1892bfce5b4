"""`aiport secrets rotate`: every stored secret re-wrapped under the ring's first key.

Each encrypted column is listed once in `SECRET_COLUMNS`; a new table with a secret adds one
line there. Rows are walked in id order, one committed batch at a time, so the job can be
interrupted and run again: rows already under the primary key are not selected twice. A row
that no key in the ring can open is marked `undecryptable` (where the table has a status)
and counted; it never stops the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aiport.db.tables import Action, Credential
from aiport.vault.keyring import KeyRing, UndecryptableSecret, aad

UNDECRYPTABLE = "undecryptable"
# What a recovered row's status becomes: its next check says whether the secret still works.
UNCHECKED = "unchecked"


@dataclass(frozen=True)
class SecretColumn:
    """Where one kind of encrypted secret lives, and the AAD field name it was sealed with."""

    table: Table
    id_column: str
    ciphertext_column: str
    key_id_column: str
    field: str
    status_column: str | None = None
    status_message_column: str | None = None


SECRET_COLUMNS: tuple[SecretColumn, ...] = (
    SecretColumn(
        cast(Table, Credential.__table__),
        "id",
        "ciphertext",
        "key_id",
        "secret",
        "status",
        "status_message",
    ),
    SecretColumn(cast(Table, Action.__table__), "id", "before_state", "before_key_id", "before"),
    SecretColumn(cast(Table, Action.__table__), "id", "after_state", "after_key_id", "after"),
)


@dataclass
class RotationReport:
    rotated: int = 0
    already_current: int = 0
    undecryptable: int = 0
    # Rewritten by someone else between our read and our write; a re-run picks them up.
    changed_meanwhile: int = 0


async def rotate_secrets(
    engine: AsyncEngine,
    keyring: KeyRing,
    *,
    columns: Sequence[SecretColumn] = SECRET_COLUMNS,
    batch_size: int = 200,
    on_batch: Callable[[RotationReport], None] | None = None,
) -> RotationReport:
    """Re-wrap every secret not yet under `keyring`'s primary key; `on_batch` runs after each commit."""
    report = RotationReport()
    for column in columns:
        async with engine.connect() as connection:
            report.already_current += await _count_current(connection, column, keyring)
        after: Any = None
        while True:
            async with engine.begin() as connection:
                rows = await _next_batch(connection, column, keyring, after, batch_size)
                for row in rows:
                    await _rotate_row(connection, column, keyring, row, report)
            if not rows:
                break
            after = rows[-1][0]
            if on_batch is not None:
                on_batch(report)
    return report


async def _count_current(
    connection: AsyncConnection, column: SecretColumn, keyring: KeyRing
) -> int:
    c = column.table.c
    result = await connection.execute(
        select(func.count()).where(
            c[column.key_id_column] == keyring.primary_key_id,
            c[column.ciphertext_column].is_not(None),
        )
    )
    return int(result.scalar_one())


async def _next_batch(
    connection: AsyncConnection,
    column: SecretColumn,
    keyring: KeyRing,
    after: Any,
    batch_size: int,
) -> Sequence[Any]:
    c = column.table.c
    status = c[column.status_column] if column.status_column else None
    query = (
        select(c[column.id_column], c[column.ciphertext_column], status)
        if status is not None
        else select(c[column.id_column], c[column.ciphertext_column])
    )
    query = query.where(
        c[column.key_id_column] != keyring.primary_key_id,
        c[column.ciphertext_column].is_not(None),
    )
    if after is not None:
        query = query.where(c[column.id_column] > after)
    result = await connection.execute(query.order_by(c[column.id_column]).limit(batch_size))
    return result.all()


async def _rotate_row(
    connection: AsyncConnection,
    column: SecretColumn,
    keyring: KeyRing,
    row: Sequence[Any],
    report: RotationReport,
) -> None:
    row_id, ciphertext = row[0], row[1]
    previous_status = row[2] if column.status_column else None
    values: dict[str, Any]
    try:
        values = {
            column.ciphertext_column: keyring.rewrap(
                ciphertext, aad(column.table.name, row_id, column.field)
            ),
            column.key_id_column: keyring.primary_key_id,
        }
        if column.status_column and previous_status == UNDECRYPTABLE:
            # The missing key is back in the ring: the secret is usable again.
            values[column.status_column] = UNCHECKED
            if column.status_message_column:
                values[column.status_message_column] = ""
        outcome = "rotated"
    except UndecryptableSecret as error:
        outcome = UNDECRYPTABLE
        if not column.status_column:
            report.undecryptable += 1
            return
        values = {column.status_column: UNDECRYPTABLE}
        if column.status_message_column:
            values[column.status_message_column] = (
                f"cannot be decrypted with the configured keys: {error}"
            )
    c = column.table.c
    # Only if nobody replaced the secret since we read it: never overwrite a newer one.
    result = await connection.execute(
        update(column.table)
        .where(c[column.id_column] == row_id, c[column.ciphertext_column] == ciphertext)
        .values(values)
    )
    if result.rowcount == 0:
        report.changed_meanwhile += 1
    elif outcome == UNDECRYPTABLE:
        report.undecryptable += 1
    else:
        report.rotated += 1
