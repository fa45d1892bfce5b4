"""A 64-bit counter in a file mapped into memory: how the workers of one machine on SQLite
tell each other that something changed. Every worker mapping the file sees each bump, and
reading it is a memory read (no system call), cheap enough for every request."""

from __future__ import annotations

import mmap
import os
from pathlib import Path


class SharedCounter:
    SIZE = 8

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self._fd).st_size < self.SIZE:
            os.ftruncate(self._fd, self.SIZE)
        self._map = mmap.mmap(self._fd, self.SIZE)

    def value(self) -> int:
        return int.from_bytes(self._map[: self.SIZE], "little")

    def bump(self) -> int:
        value = (self.value() + 1) % (1 << 63)
        self._map[: self.SIZE] = value.to_bytes(self.SIZE, "little")
        return value

    def close(self) -> None:
        self._map.close()
        os.close(self._fd)
