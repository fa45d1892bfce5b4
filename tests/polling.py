"""Waiting for something to happen by asking until it has, never by sleeping a guessed time."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

# How often a condition is asked again: often enough to add little to a test's time.
INTERVAL = 0.01


async def eventually(
    condition: Callable[[], bool | Awaitable[bool]], *, within: float = 5.0, what: str = ""
) -> None:
    """Return once `condition()` holds; fail the test if it does not within `within` s.

    `condition` may be a coroutine function. An exception it raises ends the wait at once."""
    deadline = time.monotonic() + within
    while True:
        held = condition()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        assert time.monotonic() < deadline, f"still not true after {within} s: {what or condition}"
        await asyncio.sleep(INTERVAL)


def eventually_sync(condition: Callable[[], bool], *, within: float = 5.0, what: str = "") -> None:
    """`eventually` for synchronous tests (a server run as a subprocess)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {within} s: {what or condition}"
        time.sleep(INTERVAL)
