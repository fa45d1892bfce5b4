"""Planning a provider's key set from a change: which credentials stay, which are sealed anew.

Sealing itself is `credentials.sealing`'s; here are only the providers' rules: API keys keep
their order, a stored key's mask sent back keeps that key, the AWS pair is one credential.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import SecretStr

from aiport.credentials.sealing import (
    LOST_KEY_MESSAGE,
    UNCHECKED,
    UNDECRYPTABLE,
    aws_pair,
    aws_secret,
    new_credential,
    open_secret,
)
from aiport.db.tables import Credential
from aiport.providers.errors import AwsKeyPairUndecryptable, UnknownCredential
from aiport.providers.schemas import ProviderCreate, ProviderKeyChange, RevealedCredential
from aiport.vault import KeyRing, mask


def ordered(credentials: Sequence[Credential]) -> list[Credential]:
    """API keys in the gateway's order, then the AWS pair."""
    return sorted(credentials, key=lambda c: (c.kind != "api_key", c.position, c.created_at))


def seal_api_key(keyring: KeyRing, secret: str, *, position: int, now: datetime) -> Credential:
    return new_credential(keyring, "api_key", secret, position=position, now=now)


def seal_aws(
    keyring: KeyRing, access_key: str, access_key_secret: str, *, now: datetime
) -> Credential:
    """One credential for the pair; its mask shows the access key id (the public half)."""
    return new_credential(
        keyring,
        "aws",
        aws_secret(access_key, access_key_secret),
        shown=access_key,
        position=0,
        now=now,
    )


def seal_new(keyring: KeyRing, data: ProviderCreate, now: datetime) -> list[Credential]:
    """A new provider's key set: its API keys in request order, then the AWS pair if given."""
    credentials = [
        seal_api_key(keyring, key.get_secret_value(), position=i, now=now)
        for i, key in enumerate(data.api_keys)
    ]
    pair = (_plain(data.aws_access_key), _plain(data.aws_access_key_secret))
    if any(pair):
        credentials.append(seal_aws(keyring, *pair, now=now))
    return credentials


def reveal(keyring: KeyRing, credential: Credential) -> RevealedCredential:
    """The opened secret, for code that calls the provider. One no key opens comes back without
    its value and is marked `undecryptable`, so listings show it and an admin can replace it;
    one that opens again (its key is back) is `unchecked` again."""
    secret = open_secret(keyring, credential)
    if secret is None and credential.status != UNDECRYPTABLE:
        credential.status, credential.status_message = UNDECRYPTABLE, LOST_KEY_MESSAGE
    elif secret is not None and credential.status == UNDECRYPTABLE:
        credential.status, credential.status_message = UNCHECKED, ""
    return RevealedCredential(
        id=credential.id,
        kind=credential.kind,
        position=credential.position,
        secret=SecretStr(secret) if secret is not None else None,
    )


def plan_api_keys(
    keyring: KeyRing,
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
        seal_api_key(keyring, secret, position=len(kept) + i, now=now)
        for i, secret in enumerate(added)
    ]
    return kept + fresh + [c for c in credentials if c.kind != "api_key"]


def plan_aws_pair(
    keyring: KeyRing,
    credentials: list[Credential],
    access_key: SecretStr | None,
    access_key_secret: SecretStr | None,
    now: datetime,
) -> list[Credential]:
    """Three states per half: None keeps, "" clears, a value (or the stored mask) replaces.

    The stored pair is decrypted only when a half is kept; if it cannot be (a lost key), the
    change is refused rather than guessed.
    """
    current = next((c for c in credentials if c.kind == "aws"), None)
    given = (access_key, access_key_secret)
    old: tuple[str, str] | None = None
    if current is not None and any(g is None or "..." in g.get_secret_value() for g in given):
        secret = open_secret(keyring, current)
        if secret is None:
            raise AwsKeyPairUndecryptable()
        old = aws_pair(secret)
    stored = old or ("", "")
    new = (_merge_half(given[0], stored[0]), _merge_half(given[1], stored[1]))
    if old is not None and new == old:
        return credentials
    rest = [c for c in credentials if c.kind != "aws"]
    if not any(new):
        return rest
    return [*rest, seal_aws(keyring, new[0], new[1], now=now)]


def _merge_half(given: SecretStr | None, stored: str) -> str:
    if given is None:
        return stored
    value = given.get_secret_value()
    if "..." in value and stored and value == mask(stored):
        return stored
    return value


def _plain(secret: SecretStr | None) -> str:
    return secret.get_secret_value() if secret is not None else ""
