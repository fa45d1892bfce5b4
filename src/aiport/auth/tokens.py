"""API tokens: random, shown once, stored as a SHA-256 hash.

Generated tokens use Coder's shape, `<10-char id>-<22-char secret>`, so Coder clients accept them.
"""

from __future__ import annotations

import hashlib
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def generate_token() -> str:
    token_id = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    secret = "".join(secrets.choice(_ALPHABET) for _ in range(22))
    return f"{token_id}-{secret}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_prefix(token: str) -> str:
    return token[:10]
