"""`aiport provider check NAME [--workspace ID]`, run as the real command."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from aiport.config import Settings
from tests.checks.arrange import StoreProvider, store_fake
from tests.factories import Identities
from tests.fakes.fixtures import StartFake

AIPORT = str(Path(sys.executable).parent / "aiport")


async def _aiport(settings: Settings, *args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIPORT_")}
    env |= {
        "AIPORT_DATABASE_URL": settings.database_url,
        "AIPORT_SECRET_KEYS": settings.secret_keys,
        "AIPORT_DATA_DIR": str(settings.data_dir),
        "AIPORT_CHECK_TIMEOUT": "5",
    }
    process = await asyncio.create_subprocess_exec(
        AIPORT, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_the_check_prints_a_table_and_fails_when_a_key_is_refused(
    ids: Identities, settings: Settings, fake_provider: StartFake, store_provider: StoreProvider
) -> None:
    del ids  # workspace 1 exists once the first admin does
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai", bad=True)
    code, out, err = await _aiport(settings, "provider", "check", "openai", "--workspace", "1")
    lines = out.splitlines()
    assert code == 1, err
    assert lines[0] == "provider openai (openai) in workspace 1: degraded"
    assert lines[3].split() == ["KEY", "KIND", "STATUS", "MESSAGE"]
    assert lines[4].split()[1:4] == ["api_key", "invalid", "the"]
    assert lines[5].split()[1:3] == ["api_key", "ok"]
    assert fake.bad_plaintext not in out + err
    assert fake.good_plaintext not in out + err


async def test_the_check_succeeds_when_every_key_works(
    ids: Identities, settings: Settings, fake_provider: StartFake, store_provider: StoreProvider
) -> None:
    del ids  # workspace 1 exists once the first admin does
    fake = await fake_provider("bedrock")
    await store_fake(store_provider, fake, "bedrock")
    code, out, _ = await _aiport(settings, "provider", "check", "bedrock")
    assert code == 0, out
    assert out.splitlines()[0] == "provider bedrock (bedrock) in workspace 1: ok"


async def test_an_unknown_provider_is_one_clear_line(ids: Identities, settings: Settings) -> None:
    del ids
    code, out, err = await _aiport(settings, "provider", "check", "nope", "--workspace", "1")
    assert code == 2
    assert out == ""
    assert err.strip() == "aiport: AI provider not found"
