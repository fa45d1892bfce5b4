"""Envelope encryption with AES-256-GCM.

Each secret is sealed with its own random data key; the data key is wrapped by a master key
from the ring. Stored form: `v1.<key id>.<wrapped data key>.<sealed secret>` (base64url parts).
Both layers authenticate the AAD, which names the row and field, so a ciphertext copied into
another row or column does not decrypt. Rotation re-wraps the data key only.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
NONCE_BYTES = 12


class UndecryptableSecret(Exception):
    """The ciphertext is malformed, was made by a key not in the ring, or was moved."""


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"aiport-master-key" + key).hexdigest()[:8]


@dataclass(frozen=True)
class _MasterKey:
    key_id: str
    aead: AESGCM


class KeyRing:
    """The master keys: the first encrypts, every one decrypts."""

    def __init__(self, keys: list[bytes]):
        if not keys:
            raise ValueError("a key ring needs at least one key")
        for key in keys:
            if len(key) != 32:
                raise ValueError("master keys are 32 bytes")
        self._keys = [_MasterKey(key_id_of(k), AESGCM(k)) for k in keys]
        self._by_id = {k.key_id: k for k in self._keys}

    @classmethod
    def from_base64(cls, value: str) -> KeyRing:
        return cls([base64.b64decode(k.strip()) for k in value.split(",") if k.strip()])

    @staticmethod
    def generate_key() -> str:
        return base64.b64encode(os.urandom(32)).decode()

    @property
    def primary_key_id(self) -> str:
        return self._keys[0].key_id

    def encrypt(self, plaintext: str, aad: str) -> str:
        master = self._keys[0]
        data_key = AESGCM.generate_key(bit_length=256)
        aad_bytes = aad.encode()
        body_nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(data_key).encrypt(body_nonce, plaintext.encode(), aad_bytes)
        return self._assemble(master, data_key, body_nonce + sealed, aad_bytes)

    def decrypt(self, token: str, aad: str) -> str:
        data_key, body = self._open_data_key(token, aad.encode())
        try:
            plaintext = AESGCM(data_key).decrypt(
                body[:NONCE_BYTES], body[NONCE_BYTES:], aad.encode()
            )
        except InvalidTag:
            raise UndecryptableSecret("ciphertext does not authenticate") from None
        return plaintext.decode()

    def key_id_of_ciphertext(self, token: str) -> str:
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != VERSION:
            raise UndecryptableSecret("not an aiport ciphertext")
        return parts[1]

    def rewrap(self, token: str, aad: str) -> str:
        """The same secret under the primary key; the sealed body is untouched."""
        data_key, body = self._open_data_key(token, aad.encode())
        return self._assemble(self._keys[0], data_key, body, aad.encode())

    def _assemble(self, master: _MasterKey, data_key: bytes, body: bytes, aad: bytes) -> str:
        wrap_nonce = os.urandom(NONCE_BYTES)
        wrapped = master.aead.encrypt(wrap_nonce, data_key, aad)
        return f"{VERSION}.{master.key_id}.{_b64e(wrap_nonce + wrapped)}.{_b64e(body)}"

    def _open_data_key(self, token: str, aad: bytes) -> tuple[bytes, bytes]:
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != VERSION:
            raise UndecryptableSecret("not an aiport ciphertext")
        master = self._by_id.get(parts[1])
        if master is None:
            raise UndecryptableSecret(f"made by key {parts[1]}, which is not in the key ring")
        try:
            wrapped, body = _b64d(parts[2]), _b64d(parts[3])
            data_key = master.aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
        except (InvalidTag, ValueError):
            raise UndecryptableSecret("ciphertext does not authenticate") from None
        return data_key, body


def aad(table: str, row_id: object, field: str) -> str:
    """The additional authenticated data that binds a ciphertext to one row and field."""
    return f"{table}:{row_id}:{field}"
