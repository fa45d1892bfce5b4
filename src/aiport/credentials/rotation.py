"""`aiport secrets rotate`: every stored secret re-wrapped under the ring's first key.

Each encrypted column is listed once in `SECRET_COLUMNS`; a new table with a secret adds one
line there. Rows are walked in id order, one committed batch at a time, so the job can be
interrupted and run again: rows already under the primary key are not selected twice. A row
that no key in the ring can open is marked `undecryptable` (where the table has a status)
and counted; it never stops the run.

Some sealed values hold secrets of their own (an undo state holds credential ciphertexts).
Such a column names a walker (`nested`) that re-wraps them; each of its rows is opened, its
inner secrets re-wrapped by the walker, and sealed again. These rows are all visited, not only
those whose outer seal is stale: an inner secret may be under an old key inside a value sealed
under the new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aiport.credentials.sealing import (
    UNCHECKED,
    UNDECRYPTABLE,
    credential_aad,
    is_current,
    open_sealed,
    rewrap_sealed,
    state_aad,
)
from aiport.credentials.undo_states import Rewrapped, rewrap_states
from aiport.db.tables import Action, Credential
from aiport.vault import KeyRing

# Re-wraps the secrets inside one opened value under the ring's primary key; never raises for
# a secret it cannot open (it marks and counts it).
NestedWalker = Callable[[str, KeyRing], Rewrapped]


@dataclass(frozen=True)
class SecretColumn:
    """Where one kind of encrypted secret lives, and the AAD of a row's value (by row id)."""

    table: Table
    id_column: str
    ciphertext_column: str
    key_id_column: str
    aad: Callable[[Any], str]
    status_column: str | None = None
    status_message_column: str | None = None
    # The walker for secrets inside the sealed value, if it holds any.
    nested: NestedWalker | None = None


SECRET_COLUMNS: tuple[SecretColumn, ...] = (
    SecretColumn(
        cast(Table, Credential.__table__),
        "id",
        "ciphertext",
        "key_id",
        credential_aad,
        "status",
        "status_message",
    ),
    # An undo state, before and after: sealed whole, credential ciphertexts inside.
    *(
        SecretColumn(
            cast(Table, Action.__table__),
            "id",
            f"{side}_state",
            f"{side}_key_id",
            partial(state_aad, side=side),
            nested=rewrap_states,
        )
        for side in ("before", "after")
    ),
)


@dataclass
class RotationReport:
    rotated: int = 0
    already_current: int = 0
    undecryptable: int = 0
    # Rewritten by someone else between our read and our write; a re-run picks them up.
    changed_meanwhile: int = 0
    # Secrets inside sealed values (undo states): re-wrapped, and those no key could open.
    nested_rotated: int = 0
    nested_undecryptable: int = 0


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
        walker = column.nested
        if walker is None:
            async with engine.connect() as connection:
                report.already_current += await _count_current(connection, column, keyring)
        after: Any = None
        while True:
            async with engine.begin() as connection:
                rows = await _next_batch(
                    connection, column, keyring, after, batch_size, every=walker is not None
                )
                for row in rows:
                    if walker is None:
                        await _rotate_row(connection, column, keyring, row, report)
                    else:
                        await _rotate_nested(connection, column, keyring, walker, row, report)
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
    *,
    every: bool = False,
) -> Sequence[Any]:
    """The next rows after `after` whose seal is stale (`every`: all sealed rows)."""
    c = column.table.c
    status = c[column.status_column] if column.status_column else None
    query = (
        select(c[column.id_column], c[column.ciphertext_column], status)
        if status is not None
        else select(c[column.id_column], c[column.ciphertext_column])
    )
    query = query.where(c[column.ciphertext_column].is_not(None))
    if not every:
        query = query.where(c[column.key_id_column] != keyring.primary_key_id)
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
    rewrapped, why = rewrap_sealed(keyring, ciphertext, column.aad(row_id))
    if rewrapped is not None:
        values = {column.ciphertext_column: rewrapped, column.key_id_column: keyring.primary_key_id}
        if column.status_column and previous_status == UNDECRYPTABLE:
            # The missing key is back in the ring: the secret is usable again.
            values[column.status_column] = UNCHECKED
            if column.status_message_column:
                values[column.status_message_column] = ""
        outcome = "rotated"
    else:
        outcome = UNDECRYPTABLE
        if not column.status_column:
            report.undecryptable += 1
            return
        values = {column.status_column: UNDECRYPTABLE}
        if column.status_message_column:
            values[column.status_message_column] = why
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


async def _rotate_nested(
    connection: AsyncConnection,
    column: SecretColumn,
    keyring: KeyRing,
    walker: NestedWalker,
    row: Sequence[Any],
    report: RotationReport,
) -> None:
    """Open the value, let the walker re-wrap what it holds, seal it again under the primary
    key; a value already current whose contents did not change is left as it is."""
    row_id, ciphertext = row[0], row[1]
    row_aad = column.aad(row_id)
    plaintext = open_sealed(keyring, ciphertext, row_aad)
    if plaintext is None:
        report.undecryptable += 1
        return
    contents = walker(plaintext, keyring)
    current = is_current(keyring, ciphertext)
    if current and not contents.changed:
        report.already_current += 1
        report.nested_undecryptable += contents.undecryptable
        return
    c = column.table.c
    result = await connection.execute(
        update(column.table)
        .where(c[column.id_column] == row_id, c[column.ciphertext_column] == ciphertext)
        .values(
            {
                column.ciphertext_column: keyring.encrypt(contents.plaintext, row_aad),
                column.key_id_column: keyring.primary_key_id,
            }
        )
    )
    if result.rowcount == 0:
        report.changed_meanwhile += 1
        return
    report.rotated += 1
    report.nested_rotated += contents.rotated
    report.nested_undecryptable += contents.undecryptable
