"""What undo and redo hold of registered models and of users' default models.

A model's snapshot is its row, its own credential rows and, when the change removed defaults
pointing at the model (a delete, an un-share), those default rows under `defaults`. Credential
ciphertexts stay vault ciphertexts bound to their credential id (the AAD names it), so a
credential restored under the same id still decrypts; the actions domain seals the state whole.
Sections: `models` keyed by `<primary key>@<creation time>` (SQLite hands a freed primary key
to the next new row, so the pair is what names one model for good), `model_defaults` keyed by
`<user id>:<config type>`; None stands for "no such model" / "no default in that slot".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aiport.db.rows import dump_row
from aiport.db.tables import Credential, Model, ModelDefault

MODELS = "models"
DEFAULTS = "model_defaults"

ModelSnapshot = dict[str, Any]
DefaultSnapshot = dict[str, Any]

# Set from the model being restored, never from a snapshot.
CREDENTIAL_LINKS = frozenset({"provider_id", "model_id"})


def capture(
    model: Model,
    credential: Credential | None,
    defaults: Sequence[ModelDefault] | None = None,
) -> ModelSnapshot:
    """The model row and its own credential row (as a list, the shape every snapshot's
    credentials have); `defaults` only when the change touches them, so undoing an unrelated
    change never brings back a default its user has dropped since."""
    state = dump_row(model)
    state["credentials"] = [dump_row(credential, exclude=CREDENTIAL_LINKS)] if credential else []
    if defaults is not None:
        state["defaults"] = [dump_row(d, exclude={"model_id"}) for d in defaults]
    return state


def model_key(model: Model) -> str:
    return f"{model.id}@{model.created_at.isoformat()}"


def parse_model_key(key: str) -> tuple[int, datetime]:
    pk, _, created_at = key.partition("@")
    return int(pk), datetime.fromisoformat(created_at)


def default_key(user_id: int, config_type: str) -> str:
    return f"{user_id}:{config_type}"


def parse_default_key(key: str) -> tuple[int, str]:
    user_id, _, config_type = key.partition(":")
    return int(user_id), config_type


def capture_default(row: ModelDefault | None, model: Model | None) -> DefaultSnapshot | None:
    """The default row, with the creation time of the model it points at (see `model_key`)."""
    if row is None:
        return None
    state = dump_row(row)
    state["model_created_at"] = model.created_at.isoformat() if model else None
    return state
