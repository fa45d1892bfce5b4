"""Key rotation inside undo states: the credential ciphertexts they hold move to the new key too.

An Action's states are sealed whole, and inside them every entry's `credentials` list holds
captured credential rows (provider and model snapshots alike) whose ciphertexts are bound to
their credential id. `aiport secrets rotate` re-seals the states; `rewrap_states`, named by the
state columns in `rotation.SECRET_COLUMNS`, re-wraps the ciphertexts inside, so an undo after the
old key is gone still restores a key that decrypts. One that no key opens is marked
`undecryptable` in the state (as its row would be) and counted; the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from aiport.credentials.sealing import (
    UNCHECKED,
    UNDECRYPTABLE,
    credential_aad,
    is_current,
    rewrap_sealed,
)
from aiport.vault import KeyRing


@dataclass(frozen=True)
class Rewrapped:
    """A sealed value's contents after a walker re-wrapped the secrets inside them."""

    plaintext: str
    # Whether the contents differ from what was read (a re-wrap, or a secret newly marked).
    changed: bool
    rotated: int = 0
    undecryptable: int = 0


def _credentials_in(states: Any) -> Iterator[dict[str, Any]]:
    """Every captured credential row: `{section: {entry id: {"credentials": [row, …]}}}`."""
    if not isinstance(states, dict):
        return
    for entries in states.values():
        if not isinstance(entries, dict):
            continue
        for entry in entries.values():
            if not isinstance(entry, dict):
                continue
            for credential in entry.get("credentials") or ():
                if isinstance(credential, dict) and isinstance(credential.get("ciphertext"), str):
                    yield credential


def _rewrap(credential: dict[str, Any], keyring: KeyRing) -> str:
    """Re-wrap one captured credential in place: `current`, `rotated`, `undecryptable` or
    `marked` (undecryptable, and newly marked so)."""
    ciphertext = credential["ciphertext"]
    if is_current(keyring, ciphertext):
        return "current"
    rewrapped, why = rewrap_sealed(keyring, ciphertext, credential_aad(credential.get("id")))
    if rewrapped is None:
        mark = {"status": UNDECRYPTABLE, "status_message": why}
        if all(credential.get(k) == v for k, v in mark.items()):
            return UNDECRYPTABLE
        credential.update(mark)
        return "marked"
    credential["ciphertext"] = rewrapped
    credential["key_id"] = keyring.primary_key_id
    if credential.get("status") == UNDECRYPTABLE:
        # The missing key is back in the ring: the secret is usable again.
        credential["status"], credential["status_message"] = UNCHECKED, ""
    return "rotated"


def rewrap_states(plaintext: str, keyring: KeyRing) -> Rewrapped:
    """An opened undo state with every credential ciphertext inside under the primary key."""
    states = orjson.loads(plaintext)
    outcomes = [_rewrap(credential, keyring) for credential in _credentials_in(states)]
    rotated = outcomes.count("rotated")
    changed = rotated + outcomes.count("marked") > 0
    return Rewrapped(
        plaintext=orjson.dumps(states).decode() if changed else plaintext,
        changed=changed,
        rotated=rotated,
        undecryptable=outcomes.count(UNDECRYPTABLE) + outcomes.count("marked"),
    )
