"""`aiport secrets rotate`: the summary, and every secret readable with only the new key."""

from __future__ import annotations

import base64
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import Credential, Provider, Workspace
from aiport.vault import KeyRing, aad, fingerprint, mask
from tests.cli.support import Cli, one_line_error

KEY_A = KeyRing.generate_key()
KEY_B = KeyRing.generate_key()


def _ring(*keys: str) -> KeyRing:
    return KeyRing([base64.b64decode(k) for k in keys])


def _store(cli: Cli, ring: KeyRing, secrets: list[str]) -> None:
    async def arrange(session: AsyncSession) -> None:
        workspace = Workspace(name="W")
        session.add(workspace)
        await session.flush()
        provider = Provider(workspace_id=workspace.id, name="p", type="openai", base_url="")
        session.add(provider)
        await session.flush()
        for secret in secrets:
            credential_id = uuid.uuid4()
            session.add(
                Credential(
                    id=credential_id,
                    provider_id=provider.id,
                    ciphertext=ring.encrypt(secret, aad("credentials", credential_id, "secret")),
                    key_id=ring.primary_key_id,
                    mask=mask(secret),
                    fingerprint=fingerprint(secret),
                )
            )

    cli.db(arrange)


def _credentials(cli: Cli) -> list[Credential]:
    async def inspect(session: AsyncSession) -> list[Credential]:
        return list((await session.scalars(select(Credential))).all())

    return cli.db(inspect)


def test_rotate_moves_every_secret_to_the_first_key(cli: Cli) -> None:
    _store(cli, _ring(KEY_A), ["sk-one-1234567890", "sk-two-1234567890"])

    result = cli("secrets", "rotate", AIPORT_SECRET_KEYS=f"{KEY_B},{KEY_A}")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("rotated 2, already current 0, undecryptable 0 (key ")
    only_b = _ring(KEY_B)
    plain = sorted(
        only_b.decrypt(c.ciphertext, aad("credentials", c.id, "secret")) for c in _credentials(cli)
    )
    assert plain == ["sk-one-1234567890", "sk-two-1234567890"]
    again = cli("secrets", "rotate", AIPORT_SECRET_KEYS=f"{KEY_B},{KEY_A}")
    assert again.stdout.startswith("rotated 0, already current 2, undecryptable 0")


def test_rotate_counts_and_marks_what_no_key_opens(cli: Cli) -> None:
    _store(cli, _ring(KEY_A), ["sk-lost-1234567890"])

    result = cli("secrets", "rotate", AIPORT_SECRET_KEYS=KEY_B)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("rotated 0, already current 0, undecryptable 1")
    assert "replace them" in result.stderr
    assert [c.status for c in _credentials(cli)] == ["undecryptable"]
    assert "sk-lost" not in result.output


def test_rotate_with_malformed_keys_fails_in_one_line(cli: Cli) -> None:
    result = cli("secrets", "rotate", AIPORT_SECRET_KEYS="not base64!")
    assert one_line_error(result) == (
        "aiport: bad setting: AIPORT_SECRET_KEYS entry 1 is not valid base64"
    )
