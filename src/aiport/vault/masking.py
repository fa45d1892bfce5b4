"""How a secret is shown: Coder's masking algorithm, the same on every surface."""

from __future__ import annotations

import hashlib


def mask(secret: str) -> str:
    """First and last few characters around `...`; how many grows with the length.

    Counted in code points like Go runes, so `"hélloworld🌍!"` becomes `"hé...🌍!"`.
    """
    n = len(secret)
    if n == 0:
        return ""
    if n >= 20:
        reveal = 4
    elif n >= 10:
        reveal = 2
    elif n >= 5:
        reveal = 1
    else:
        reveal = 0
    if n <= 2 * reveal or reveal == 0:
        return "..."
    return f"{secret[:reveal]}...{secret[-reveal:]}"


def fingerprint(secret: str) -> str:
    """A stable short id of a secret, to spot duplicates without decrypting."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]
