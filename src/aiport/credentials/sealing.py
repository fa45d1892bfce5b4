"""Sealing and opening stored secrets: credentials (providers' and models' alike) and undo states.

Every ciphertext is bound by its AAD to its row and field (`credential_aad`, `state_aad`), so a
ciphertext copied to another row does not open. The mask and fingerprint are stored beside a
credential's ciphertext, so listings never decrypt.

The lost-key rule, the same for every caller: opening never raises when the ring cannot open a
value (its key left the ring, or it was moved to another row); it returns None, and the caller
says what that means for it — reading marks the credential `undecryptable` (an admin replaces
it), the gateway and call targets skip the key, a check reports it, a change that needs the old
secret is refused, an undo whose state is lost fails.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from aiport.adapters import Secret, secret_from
from aiport.db.tables import Action, Credential
from aiport.vault import KeyRing, UndecryptableSecret, aad, fingerprint, mask

# A credential's status when no key in the ring opens it, and once it opens again.
UNDECRYPTABLE = "undecryptable"
UNCHECKED = "unchecked"
LOST_KEY_MESSAGE = "its encryption key is not in the key ring; replace the credential"


def credential_aad(credential_id: object) -> str:
    """The AAD of a credential's secret: the `credentials` row `credential_id`, field `secret`."""
    return aad("credentials", credential_id, "secret")


def state_aad(action_id: object, side: str) -> str:
    """The AAD of an Action's `before` or `after` state."""
    return aad("actions", action_id, side)


def aws_secret(access_key: str, access_key_secret: str) -> str:
    """The plaintext of an `aws` credential: one JSON pair, sealed as one secret."""
    return json.dumps({"access_key": access_key, "access_key_secret": access_key_secret})


def aws_pair(secret: str) -> tuple[str, str]:
    """(access key id, secret access key) from an opened `aws` credential."""
    pair = json.loads(secret)
    return str(pair.get("access_key", "")), str(pair.get("access_key_secret", ""))


def seal(keyring: KeyRing, credential: Credential, secret: str, *, shown: str = "") -> None:
    """Encrypt `secret` into the row, bound to its id (which must be set), under the primary key.

    The mask shows `shown` (`secret` when empty: the AWS pair shows its public half). A new
    secret has not been checked, so the status starts over.
    """
    credential.ciphertext = keyring.encrypt(secret, credential_aad(credential.id))
    credential.key_id = keyring.primary_key_id
    credential.mask = mask(shown or secret)
    credential.fingerprint = fingerprint(secret)
    credential.status, credential.status_message, credential.checked_at = UNCHECKED, "", None


def new_credential(
    keyring: KeyRing, kind: str, secret: str, *, shown: str = "", position: int, now: datetime
) -> Credential:
    """A new sealed credential row; the id is made first because the AAD names it."""
    credential = Credential(
        id=uuid.uuid4(), kind=kind, position=position, created_at=now, updated_at=now
    )
    seal(keyring, credential, secret, shown=shown)
    return credential


def open_sealed(keyring: KeyRing, ciphertext: str, aad_text: str) -> str | None:
    """The plaintext, or None when no key in the ring opens it (the lost-key rule above)."""
    try:
        return keyring.decrypt(ciphertext, aad_text)
    except UndecryptableSecret:
        return None


def open_secret(keyring: KeyRing, credential: Credential) -> str | None:
    """A credential's plaintext, or None when it is undecryptable."""
    return open_sealed(keyring, credential.ciphertext, credential_aad(credential.id))


def open_call_secret(keyring: KeyRing, credential: Credential) -> Secret | None:
    """A credential as the adapters take it, or None when it is undecryptable; raises
    `MalformedSecret` when it opens but does not have the shape its kind promises."""
    plaintext = open_secret(keyring, credential)
    return None if plaintext is None else secret_from(credential.kind, plaintext)


def seal_state(keyring: KeyRing, action: Action, side: str, plaintext: str) -> None:
    """Seal an Action's `before`/`after` state whole, bound to the action's id (set first)."""
    setattr(action, f"{side}_state", keyring.encrypt(plaintext, state_aad(action.id, side)))
    setattr(action, f"{side}_key_id", keyring.primary_key_id)


def open_state(keyring: KeyRing, action: Action, side: str, sealed: str) -> str | None:
    """An Action's sealed `before`/`after` state opened, or None when it is undecryptable."""
    return open_sealed(keyring, sealed, state_aad(action.id, side))


def rewrap_sealed(keyring: KeyRing, ciphertext: str, aad_text: str) -> tuple[str | None, str]:
    """The same secret under the primary key, or (None, why) when it is undecryptable: rotation's
    form of the lost-key rule, which marks the row with `why` and goes on."""
    try:
        return keyring.rewrap(ciphertext, aad_text), ""
    except UndecryptableSecret as error:
        return None, f"cannot be decrypted with the configured keys: {error}"


def is_current(keyring: KeyRing, ciphertext: str) -> bool:
    """Whether the ring's primary key made this ciphertext (False for one that is not ours)."""
    try:
        return keyring.key_id_of_ciphertext(ciphertext) == keyring.primary_key_id
    except UndecryptableSecret:
        return False
