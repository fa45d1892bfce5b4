"""Change notifications between workers of one machine (SQLite) and the Redis wire format."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import create_async_engine

from aiport.gateway.notify import Change, ChangeBus
from aiport.gateway.subscriber import parse_reply


async def test_a_change_in_one_worker_reaches_another_through_the_shared_counter(
    tmp_path: Path,
) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    seen: list[Change] = []
    first = ChangeBus(
        lambda _c: None, redis_url="", redis_client=None, engine=engine, signal_file=tmp_path / "c"
    )
    second = ChangeBus(
        seen.append, redis_url="", redis_client=None, engine=engine, signal_file=tmp_path / "c"
    )
    await first.start()
    await second.start()

    second.check_counter()
    quiet = list(seen)
    first.committed(Change("workspace", 1))
    second.check_counter()
    second.check_counter()

    assert quiet == []
    assert seen == [Change("all")]
    await first.stop()
    await second.stop()
    await engine.dispose()


def test_redis_push_messages_are_parsed_even_when_split() -> None:
    message = b"*3\r\n$7\r\nmessage\r\n$14\r\naiport_changes\r\n$5\r\nhello\r\n"

    assert parse_reply(message[:20]) is None
    assert parse_reply(message) == ([b"message", b"aiport_changes", b"hello"], len(message))
    assert parse_reply(b":1\r\n") == (1, 4)
