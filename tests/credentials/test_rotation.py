"""`rotate_secrets`: every secret moves to the primary key, in resumable committed batches."""

from __future__ import annotations

import base64
import uuid

import pytest
from fastapi import FastAPI
from sqlalchemy import Column, MetaData, String, Table, Text, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aiport.credentials.rotation import RotationReport, SecretColumn, rotate_secrets
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Action, Credential, Provider, User, Workspace
from aiport.vault import KeyRing, aad, fingerprint, mask

KEY_A = base64.b64decode(KeyRing.generate_key())
KEY_B = base64.b64decode(KeyRing.generate_key())
KEY_LOST = base64.b64decode(KeyRing.generate_key())
ONLY_B = KeyRing([KEY_B])


def _engine(app: FastAPI) -> AsyncEngine:
    engine: AsyncEngine = app.state.runtime.engine
    return engine


async def _insert_credentials(
    app: FastAPI, ring: KeyRing, secrets: list[str], *, aad_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """Credentials of one provider, encrypted under `ring` (with another row's AAD if given)."""
    async with make_sessionmaker(_engine(app))() as session, session.begin():
        workspace = Workspace(name="W")
        session.add(workspace)
        await session.flush()
        provider = Provider(
            workspace_id=workspace.id, name=f"p-{uuid.uuid4().hex[:6]}", type="openai", base_url=""
        )
        session.add(provider)
        await session.flush()
        ids = []
        for position, secret in enumerate(secrets):
            credential_id = uuid.uuid4()
            session.add(
                Credential(
                    id=credential_id,
                    provider_id=provider.id,
                    ciphertext=ring.encrypt(
                        secret, aad("credentials", aad_id or credential_id, "secret")
                    ),
                    key_id=ring.primary_key_id,
                    mask=mask(secret),
                    fingerprint=fingerprint(secret),
                    position=position,
                )
            )
            ids.append(credential_id)
    return ids


async def _credentials(app: FastAPI) -> dict[uuid.UUID, Credential]:
    async with make_sessionmaker(_engine(app))() as session:
        rows = (await session.scalars(select(Credential))).all()
        return {row.id: row for row in rows}


def _decrypt(ring: KeyRing, row: Credential) -> str:
    return ring.decrypt(row.ciphertext, aad("credentials", row.id, "secret"))


async def test_rotation_moves_every_secret_to_the_new_key(app: FastAPI) -> None:
    secrets = [f"sk-secret-{n}" for n in range(5)]
    ids = await _insert_credentials(app, KeyRing([KEY_A]), secrets)

    report = await rotate_secrets(_engine(app), KeyRing([KEY_B, KEY_A]), batch_size=2)

    assert report == RotationReport(rotated=5)
    rows = await _credentials(app)
    assert [_decrypt(ONLY_B, rows[i]) for i in ids] == secrets
    assert {row.key_id for row in rows.values()} == {ONLY_B.primary_key_id}


async def test_rotation_skips_secrets_already_on_the_primary_key(app: FastAPI) -> None:
    await _insert_credentials(app, KeyRing([KEY_A]), ["sk-old-1", "sk-old-2"])
    current = await _insert_credentials(app, ONLY_B, ["sk-new-1", "sk-new-2"])
    before = await _credentials(app)

    report = await rotate_secrets(_engine(app), KeyRing([KEY_B, KEY_A]))

    assert report == RotationReport(rotated=2, already_current=2)
    after = await _credentials(app)
    assert all(after[i].ciphertext == before[i].ciphertext for i in current)


async def test_an_interrupted_rotation_keeps_its_finished_batches_and_resumes(app: FastAPI) -> None:
    secrets = [f"sk-secret-{n}" for n in range(5)]
    ids = await _insert_credentials(app, KeyRing([KEY_A]), secrets)
    ring = KeyRing([KEY_B, KEY_A])

    def interrupt(_report: RotationReport) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await rotate_secrets(_engine(app), ring, batch_size=2, on_batch=interrupt)
    halfway = await _credentials(app)
    assert sum(row.key_id == ONLY_B.primary_key_id for row in halfway.values()) == 2

    report = await rotate_secrets(_engine(app), ring, batch_size=2)

    assert report == RotationReport(rotated=3, already_current=2)
    rows = await _credentials(app)
    assert [_decrypt(ONLY_B, rows[i]) for i in ids] == secrets
    assert await rotate_secrets(_engine(app), ring) == RotationReport(already_current=5)


async def test_an_undecryptable_secret_is_marked_and_counted_and_the_run_goes_on(
    app: FastAPI,
) -> None:
    lost = await _insert_credentials(app, KeyRing([KEY_LOST]), ["sk-lost"])
    good = await _insert_credentials(app, KeyRing([KEY_A]), ["sk-good-1", "sk-good-2"])
    moved = await _insert_credentials(app, KeyRing([KEY_A]), ["sk-moved"], aad_id=good[0])

    report = await rotate_secrets(_engine(app), KeyRing([KEY_B, KEY_A]), batch_size=1)

    assert report == RotationReport(rotated=2, undecryptable=2)
    rows = await _credentials(app)
    for credential_id in lost + moved:
        assert rows[credential_id].status == "undecryptable"
        assert rows[credential_id].status_message.startswith("cannot be decrypted")
        assert "sk-" not in rows[credential_id].status_message
    assert [_decrypt(ONLY_B, rows[i]) for i in good] == ["sk-good-1", "sk-good-2"]
    assert {rows[i].status for i in good} == {"unchecked"}


async def test_a_secret_whose_key_comes_back_is_rotated_and_unmarked(app: FastAPI) -> None:
    lost = await _insert_credentials(app, KeyRing([KEY_LOST]), ["sk-lost"])
    await rotate_secrets(_engine(app), KeyRing([KEY_B, KEY_A]))

    report = await rotate_secrets(_engine(app), KeyRing([KEY_B, KEY_LOST]))

    assert report == RotationReport(rotated=1)
    row = (await _credentials(app))[lost[0]]
    assert (row.status, row.status_message) == ("unchecked", "")
    assert _decrypt(ONLY_B, row) == "sk-lost"


async def test_a_registered_table_without_a_status_column_is_rotated_too(app: FastAPI) -> None:
    metadata = MetaData()
    notes = Table(
        "rotation_test_notes",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("sealed", Text, nullable=True),
        Column("sealed_key_id", String(16), nullable=True),
    )
    engine = _engine(app)
    old = KeyRing([KEY_A])
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(
            insert(notes),
            [
                {
                    "id": "n1",
                    "sealed": old.encrypt("kept", aad("rotation_test_notes", "n1", "body")),
                    "sealed_key_id": old.primary_key_id,
                },
                {"id": "n2", "sealed": None, "sealed_key_id": None},
                {
                    "id": "n3",
                    "sealed": KeyRing([KEY_LOST]).encrypt(
                        "x", aad("rotation_test_notes", "n3", "body")
                    ),
                    "sealed_key_id": "lost",
                },
            ],
        )
    column = SecretColumn(
        notes,
        "id",
        "sealed",
        "sealed_key_id",
        lambda row_id: aad("rotation_test_notes", row_id, "body"),
    )
    try:
        report = await rotate_secrets(engine, KeyRing([KEY_B, KEY_A]), columns=[column])
        async with engine.connect() as connection:
            sealed = (
                await connection.execute(select(notes.c.sealed).where(notes.c.id == "n1"))
            ).scalar_one()
    finally:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.drop_all)

    assert report == RotationReport(rotated=1, undecryptable=1)
    assert ONLY_B.decrypt(sealed, aad("rotation_test_notes", "n1", "body")) == "kept"


async def test_undo_snapshots_are_rotated_with_the_credentials(app: FastAPI) -> None:
    old = KeyRing([KEY_A])
    action_id = uuid.uuid4()
    async with make_sessionmaker(_engine(app))() as session, session.begin():
        user = User(email="undo@example.com", name="U")
        session.add(user)
        await session.flush()
        session.add(
            Action(
                id=action_id,
                user_id=user.id,
                client_session="s",
                type="provider.update",
                scope="workspace1",
                before_state=old.encrypt('{"before": 1}', aad("actions", action_id, "before")),
                before_key_id=old.primary_key_id,
            )
        )

    report = await rotate_secrets(_engine(app), KeyRing([KEY_B, KEY_A]))

    assert report == RotationReport(rotated=1)
    async with make_sessionmaker(_engine(app))() as session:
        action = await session.get(Action, action_id)
    assert action is not None
    assert action.before_key_id == ONLY_B.primary_key_id
    assert action.before_state is not None
    assert ONLY_B.decrypt(action.before_state, aad("actions", action_id, "before")) == (
        '{"before": 1}'
    )
    assert action.after_state is None
