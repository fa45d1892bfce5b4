"""Where the key ring comes from: `AIPORT_SECRET_KEYS`, else a key file made on first start."""

from __future__ import annotations

import os
from pathlib import Path

from aiport.config import Settings
from aiport.vault.keyring import KeyRing


def load_keyring(settings: Settings) -> KeyRing:
    if settings.secret_keys.strip():
        return KeyRing.from_base64(settings.secret_keys)
    return KeyRing.from_base64(_read_or_create_key_file(settings.key_file))


def _read_or_create_key_file(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = KeyRing.generate_key()
    # O_EXCL: two workers starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
