"""Sealing credentials: encrypt with an AAD naming the row, keep the mask in clear.

The id is made before the encryption because the AAD names it: a ciphertext copied to another
row does not decrypt. The mask and fingerprint are stored beside it, so listings never decrypt.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import SecretStr

from aiport.db.tables import Credential
from aiport.providers.errors import AwsKeyPairUndecryptable, UnknownCredential
from aiport.providers.schemas import CredentialRead, ProviderKeyChange
from aiport.vault import KeyRing, UndecryptableSecret, aad, fingerprint, mask


def credential_aad(credential_id: uuid.UUID) -> str:
    return aad("credentials", credential_id, "secret")


def aws_secret(access_key: str, access_key_secret: str) -> str:
    return json.dumps({"access_key": access_key, "access_key_secret": access_key_secret})


def open_aws_pair(secret: str) -> tuple[str, str]:
    """(access key id, secret access key) from a decrypted `aws` credential."""
    pair = json.loads(secret)
    return str(pair.get("access_key", "")), str(pair.get("access_key_secret", ""))


class CredentialSealer:
    def __init__(self, keyring: KeyRing):
        self.keyring = keyring

    def _seal(
        self, kind: str, secret: str, shown: str, *, position: int, now: datetime
    ) -> Credential:
        credential_id = uuid.uuid4()
        return Credential(
            id=credential_id,
            kind=kind,
            ciphertext=self.keyring.encrypt(secret, credential_aad(credential_id)),
            key_id=self.keyring.primary_key_id,
            mask=mask(shown),
            fingerprint=fingerprint(secret),
            position=position,
            status="unchecked",
            status_message="",
            created_at=now,
            updated_at=now,
        )

    def seal_api_key(self, secret: str, *, position: int, now: datetime) -> Credential:
        return self._seal("api_key", secret, secret, position=position, now=now)

    def seal_aws(self, access_key: str, access_key_secret: str, *, now: datetime) -> Credential:
        """One credential for the pair; its mask shows the access key id (the public half)."""
        return self._seal(
            "aws", aws_secret(access_key, access_key_secret), access_key, position=0, now=now
        )

    def open(self, credential: Credential) -> str | None:
        """The plaintext, or None when no key in the ring opens it."""
        try:
            return self.keyring.decrypt(credential.ciphertext, credential_aad(credential.id))
        except UndecryptableSecret:
            return None

    @staticmethod
    def read(credential: Credential) -> CredentialRead:
        return CredentialRead(
            id=credential.id,
            kind=credential.kind,
            mask=credential.mask,
            position=credential.position,
            status=credential.status,
            status_message=credential.status_message,
            checked_at=credential.checked_at,
            last_used_at=credential.last_used_at,
            created_at=credential.created_at,
            updated_at=credential.updated_at,
        )


def ordered(credentials: Sequence[Credential]) -> list[Credential]:
    """API keys in the gateway's order, then the AWS pair."""
    return sorted(credentials, key=lambda c: (c.kind != "api_key", c.position, c.created_at))


def plan_api_keys(
    sealer: CredentialSealer,
    credentials: list[Credential],
    changes: Sequence[ProviderKeyChange],
    now: datetime,
) -> list[Credential]:
    """The desired key set: listed ids stay (in their order), new keys follow in request order.

    An `api_key` equal to a stored key's mask keeps that key. An unknown id refuses the whole
    set before anything is touched.
    """
    api_keys = [c for c in ordered(credentials) if c.kind == "api_key"]
    by_id = {c.id: c for c in api_keys}
    keep: set[uuid.UUID] = set()
    added: list[str] = []
    for change in changes:
        if change.id is not None:
            if change.id not in by_id:
                raise UnknownCredential(change.id)
            keep.add(change.id)
            continue
        assert change.api_key is not None
        secret = change.api_key.get_secret_value()
        echoed = next(
            (c for c in api_keys if "..." in secret and c.mask == secret and c.id not in keep),
            None,
        )
        if echoed is not None:
            keep.add(echoed.id)
        else:
            added.append(secret)
    kept = [c for c in api_keys if c.id in keep]
    for position, credential in enumerate(kept):
        credential.position = position
    fresh = [
        sealer.seal_api_key(secret, position=len(kept) + i, now=now)
        for i, secret in enumerate(added)
    ]
    return kept + fresh + [c for c in credentials if c.kind != "api_key"]


def plan_aws_pair(
    sealer: CredentialSealer,
    credentials: list[Credential],
    access_key: SecretStr | None,
    access_key_secret: SecretStr | None,
    now: datetime,
) -> list[Credential]:
    """Three states per half: None keeps, "" clears, a value (or the stored mask) replaces.

    The stored pair is decrypted only when a half is kept; if it cannot be, the change is refused
    rather than guessed.
    """
    current = next((c for c in credentials if c.kind == "aws"), None)
    given = (access_key, access_key_secret)
    old: tuple[str, str] | None = None
    if current is not None and any(g is None or "..." in g.get_secret_value() for g in given):
        secret = sealer.open(current)
        if secret is None:
            raise AwsKeyPairUndecryptable()
        old = open_aws_pair(secret)
    stored = old or ("", "")
    new = (_merge_half(given[0], stored[0]), _merge_half(given[1], stored[1]))
    if old is not None and new == old:
        return credentials
    rest = [c for c in credentials if c.kind != "aws"]
    if not any(new):
        return rest
    return [*rest, sealer.seal_aws(new[0], new[1], now=now)]


def _merge_half(given: SecretStr | None, stored: str) -> str:
    if given is None:
        return stored
    value = given.get_secret_value()
    if "..." in value and stored and value == mask(stored):
        return stored
    return value
