"""ORM rows as JSON-ready dicts and back: what undo/redo states are made of.

Columns are read generically from the table, so a column added later is carried too. Times
become ISO text and UUIDs their text form; everything else is stored as the column holds it
(JSON columns stay JSON). Ciphertexts stay ciphertexts: rows are captured, never decrypted.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Column, Table, Uuid

from aiport.db.base import Base
from aiport.db.types import UTCDateTime

RowState = dict[str, Any]


def _columns(row: Base) -> list[Column[Any]]:
    return list(cast(Table, type(row).__table__).columns)


def _dump(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        assert isinstance(value, datetime)
        return value.isoformat()
    if isinstance(column.type, Uuid):
        return str(value)
    return value


def _load(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Uuid):
        return uuid.UUID(value)
    return value


def dump_row(row: Base, *, exclude: Collection[str] = ()) -> RowState:
    """Every column of `row` but `exclude`, as JSON-ready values; a copy, so later changes to the
    row (a JSON column changed in place) do not reach it."""
    return copy.deepcopy(
        {c.key: _dump(c, getattr(row, c.key)) for c in _columns(row) if c.key not in exclude}
    )


def load_row(row: Base, state: RowState, *, exclude: Collection[str] = ()) -> None:
    """Set every column `state` holds on `row`, but `exclude`; columns it lacks are left alone."""
    for column in _columns(row):
        if column.key in state and column.key not in exclude:
            setattr(row, column.key, _load(column, state[column.key]))
