"""Key selection: smooth weighted round-robin over a provider's keys, skipping cooling ones.

Cooldowns are kept per credential id outside the pools, so rebuilding a provider's pool after a
change (a rename, another key added) does not forgive a key that just failed.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from aiport.adapters import Secret

# How long a key rests after each kind of failure, unless the provider says otherwise.
RATE_LIMIT_COOLDOWN = 10.0
AUTH_COOLDOWN = 300.0
ERROR_COOLDOWN = 5.0
MAX_COOLDOWN = 3600.0


@dataclass(slots=True, eq=False)
class Key:
    """One decrypted credential, as the gateway holds it in memory."""

    credential_id: uuid.UUID
    secret: Secret
    weight: int
    position: int
    current: int = field(default=0, repr=False)

    def __repr__(self) -> str:
        return f"Key({self.credential_id}, weight={self.weight})"


@dataclass(slots=True, frozen=True)
class Cooling:
    until: float
    rate_limited: bool
    reason: str


class Cooldowns:
    """Keys resting after a failure, by credential id; shared by every pool of the process."""

    def __init__(self) -> None:
        self._cooling: dict[uuid.UUID, Cooling] = {}

    def __bool__(self) -> bool:
        return bool(self._cooling)

    def cool(self, key: Key, seconds: float, *, rate_limited: bool, reason: str) -> None:
        seconds = max(0.0, min(seconds, MAX_COOLDOWN))
        self._cooling[key.credential_id] = Cooling(time.monotonic() + seconds, rate_limited, reason)

    def get(self, credential_id: uuid.UUID, now: float) -> Cooling | None:
        cooling = self._cooling.get(credential_id)
        if cooling is None:
            return None
        if cooling.until <= now:
            del self._cooling[credential_id]
            return None
        return cooling

    def forget(self, credential_id: uuid.UUID) -> None:
        self._cooling.pop(credential_id, None)


class KeyPool:
    """The keys of one provider, in `position` order."""

    def __init__(self, keys: list[Key]):
        self.keys = sorted(keys, key=lambda k: k.position)
        self._uniform = len({k.weight for k in self.keys}) <= 1
        self._next = 0

    def __len__(self) -> int:
        return len(self.keys)

    def attempt_order(self, cooldowns: Cooldowns) -> tuple[list[Key], list[Cooling]]:
        """The keys to try for one request: the weighted pick first, then the others in order.

        Returns the usable keys and the cooldowns of the skipped ones (to explain exhaustion).
        """
        keys = self.keys
        if not cooldowns:
            usable = keys
            skipped: list[Cooling] = []
        else:
            now = time.monotonic()
            usable = []
            skipped = []
            for key in keys:
                cooling = cooldowns.get(key.credential_id, now)
                if cooling is None:
                    usable.append(key)
                else:
                    skipped.append(cooling)
        if len(usable) <= 1:
            return list(usable), skipped
        first = self._pick(usable)
        return [first, *(k for k in usable if k is not first)], skipped

    def _pick(self, usable: list[Key]) -> Key:
        if self._uniform:
            self._next += 1
            return usable[self._next % len(usable)]
        # Smooth weighted round-robin (nginx): spreads heavy keys evenly instead of in bursts.
        total = 0
        best = usable[0]
        for key in usable:
            key.current += key.weight
            total += key.weight
            if key.current > best.current:
                best = key
        best.current -= total
        return best
