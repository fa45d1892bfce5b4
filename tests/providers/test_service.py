"""The providers service as the other surfaces and the gateway will call it."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.principal import Principal
from aiport.changes import hub
from aiport.changes.kinds import Change, ProviderChanged
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Credential, Provider
from aiport.db.types import utcnow
from aiport.errors import Forbidden
from aiport.providers.errors import (
    AwsKeyPairUndecryptable,
    EmptyProviderUpdate,
    InvalidProviderReference,
    ProviderInvalid,
    ProviderNameTaken,
    ProviderNotFound,
)
from aiport.providers.repository import ProviderRepository
from aiport.providers.schemas import (
    BedrockSettings,
    ProviderCreate,
    ProviderKeyChange,
    ProviderUpdate,
)
from aiport.providers.service import ProviderService
from aiport.vault import KeyRing
from aiport.workspaces.access import WorkspaceAccess
from tests.factories import Identities
from tests.polling import eventually


@asynccontextmanager
async def unit_of_work(
    app: FastAPI, ids: Identities, *, role: str = "admin", keyring: KeyRing | None = None
) -> AsyncIterator[ProviderService]:
    """One committed transaction, as a request or a CLI command has."""
    caller = ids.admin if role == "admin" else ids.member
    principal = Principal(
        user_id=caller.user_id,
        email=caller.email,
        is_admin=role == "admin",
        token_id=0,
        token_workspace_id=None,
    )
    access = WorkspaceAccess(workspace_id=ids.workspace_id, role=role, principal=principal)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        yield ProviderService(session, keyring or app.state.runtime.keyring, access)


def _openai(name: str = "openai-main", **extra: object) -> ProviderCreate:
    fields: dict[str, object] = {
        "type": "openai",
        "name": name,
        "base_url": "https://api.openai.com/v1",
    }
    return ProviderCreate.model_validate(fields | extra)


async def test_other_surfaces_may_create_types_coder_lacks(app: FastAPI, ids: Identities) -> None:
    async with unit_of_work(app, ids) as service:
        ollama = await service.create(
            ProviderCreate(
                type="ollama", name="ollama", base_url="http://127.0.0.1:11434", enabled=True
            )
        )
        refused = ProviderCreate(type="ollama", name="o2", base_url="http://127.0.0.1:11434")
        with pytest.raises(ProviderInvalid) as error:
            await service.create(refused, allowed_types=("openai",))
    assert ollama.enabled is True
    assert [f.detail for f in error.value.fields] == ['unsupported provider type "ollama"']


async def test_models_and_organization_are_stored_and_updated(
    app: FastAPI, ids: Identities
) -> None:
    async with unit_of_work(app, ids) as service:
        created = await service.create(
            _openai(models=["gpt-4o", "gpt-4o", "gpt-4o-mini"], organization="org-1")
        )
        updated = await service.update(created.id, ProviderUpdate(models=["o3"], organization=""))
    assert (created.models, created.settings.organization) == (["gpt-4o", "gpt-4o-mini"], "org-1")
    assert (updated.models, updated.settings.organization) == (["o3"], "")


async def test_padded_model_names_are_refused(app: FastAPI, ids: Identities) -> None:
    async with unit_of_work(app, ids) as service:
        with pytest.raises(ProviderInvalid) as error:
            await service.create(_openai(models=[" gpt-4o"]))
    assert [f.field for f in error.value.fields] == ["models[0]"]


async def test_an_aws_pair_alone_implies_bedrock_settings(app: FastAPI, ids: Identities) -> None:
    async with unit_of_work(app, ids) as service:
        created = await service.create(
            ProviderCreate(
                type="bedrock",
                name="aws",
                base_url="https://bedrock-runtime.us-east-1.amazonaws.com",
                aws_access_key=SecretStr("AKIAIMPLIED00000"),
                aws_access_key_secret=SecretStr("secret"),
            )
        )
        with pytest.raises(ProviderInvalid) as error:
            await service.create(_openai("wrong", aws_access_key=SecretStr("AKIA")))
    assert created.settings.bedrock == BedrockSettings()
    assert created.aws_credential is not None
    assert created.aws_credential.mask == "AK...00"
    assert error.value.fields[0].field == "settings"


async def test_get_by_id_name_and_display_name(app: FastAPI, ids: Identities) -> None:
    async with unit_of_work(app, ids) as service:
        created = await service.create(_openai(display_name="Team OpenAI"))
        by_id = await service.get(created.id)
        by_name = await service.get("openai-main")
        by_label = await service.get_by_display_name("Team OpenAI")
        with pytest.raises(ProviderNotFound):
            await service.get_by_display_name("Nobody")
        with pytest.raises(InvalidProviderReference):
            await service.get("Not A Name")
    assert by_id == by_name == by_label == created


async def test_members_read_but_do_not_write(app: FastAPI, ids: Identities) -> None:
    async with unit_of_work(app, ids) as service:
        await service.create(_openai())
    async with unit_of_work(app, ids, role="member") as service:
        assert [p.name for p in await service.list_providers()] == ["openai-main"]
        with pytest.raises(Forbidden):
            await service.list_providers(require_admin=True)
        with pytest.raises(Forbidden):
            await service.create(_openai("mine"))
        with pytest.raises(Forbidden):
            await service.delete("openai-main")


async def test_replace_credentials_keeps_echoed_masks_and_appends_new_keys(
    app: FastAPI, ids: Identities
) -> None:
    async with unit_of_work(app, ids) as service:
        created = await service.create(
            _openai(
                api_keys=[SecretStr("sk-first-aaaaaaaaaaaa"), SecretStr("sk-second-bbbbbbbbbb")]
            )
        )
        first, second = created.api_keys
        replaced = await service.replace_credentials(
            "openai-main", [SecretStr("sk-new-cccccccccccccc"), SecretStr(second.mask)]
        )
    assert replaced.api_keys[0].id == second.id
    assert [k.position for k in replaced.api_keys] == [0, 1]
    assert first.id not in {k.id for k in replaced.api_keys}
    assert replaced.api_keys[1].mask == "sk-n...cccc"
    async with unit_of_work(app, ids) as service:
        stored = await service.get("openai-main")
    assert [(k.id, k.mask) for k in stored.api_keys] == [
        (second.id, second.mask),
        (replaced.api_keys[1].id, "sk-n...cccc"),
    ]


async def test_reveal_returns_keys_in_gateway_order(app: FastAPI, ids: Identities) -> None:
    async with unit_of_work(app, ids) as service:
        created = await service.create(_openai(api_keys=[SecretStr("sk-b"), SecretStr("sk-a")]))
        await service.update(
            created.id,
            ProviderUpdate(
                api_keys=[
                    ProviderKeyChange(id=created.api_keys[1].id),
                    ProviderKeyChange(api_key=SecretStr("sk-c")),
                ]
            ),
        )
    async with unit_of_work(app, ids, role="member") as service:
        revealed = await service.reveal_credentials("openai-main")
    assert [r.secret.get_secret_value() for r in revealed if r.secret] == ["sk-a", "sk-c"]


async def test_a_key_lost_from_the_ring_is_marked_undecryptable_and_still_listed(
    app: FastAPI, ids: Identities
) -> None:
    async with unit_of_work(app, ids) as service:
        await service.create(_openai(api_keys=[SecretStr("sk-lost-key-0000000")]))
    async with unit_of_work(app, ids, keyring=KeyRing([b"n" * 32])) as service:
        [revealed] = await service.reveal_credentials("openai-main")
    async with unit_of_work(app, ids) as service:
        [provider] = await service.list_providers()
        replaced = await service.replace_credentials(
            "openai-main", [SecretStr("sk-fresh-000000000")]
        )
    assert revealed.secret is None
    assert provider.api_keys[0].status == "undecryptable"
    assert replaced.api_keys[0].status == "unchecked"


async def test_keeping_half_of_an_undecryptable_aws_pair_is_refused(
    app: FastAPI, ids: Identities
) -> None:
    async with unit_of_work(app, ids) as service:
        await service.create(
            ProviderCreate(
                type="bedrock",
                name="aws",
                base_url="https://bedrock.test",
                bedrock=BedrockSettings(region="us-east-1"),
                aws_access_key=SecretStr("AKIAOLD000000000"),
                aws_access_key_secret=SecretStr("old"),
            )
        )
    async with unit_of_work(app, ids, keyring=KeyRing([b"n" * 32])) as service:
        with pytest.raises(AwsKeyPairUndecryptable):
            await service.update("aws", ProviderUpdate(aws_access_key=SecretStr("AKIANEW")))
        both = await service.update(
            "aws",
            ProviderUpdate(
                aws_access_key=SecretStr("AKIANEW00000"), aws_access_key_secret=SecretStr("new")
            ),
        )
    assert both.aws_credential is not None
    assert both.aws_credential.mask == "AK...00"


async def test_empty_update_and_deleted_provider(app: FastAPI, ids: Identities) -> None:
    async with unit_of_work(app, ids) as service:
        created = await service.create(_openai())
        with pytest.raises(EmptyProviderUpdate):
            await service.update(created.id, ProviderUpdate())
        await service.delete(created.id)
        with pytest.raises(ProviderNotFound):
            await service.update(created.id, ProviderUpdate(enabled=True))
        again = await service.create(_openai())
    assert again.id != created.id


async def test_changes_are_told_after_commit_and_never_after_rollback(
    app: FastAPI, ids: Identities
) -> None:
    heard: list[Change] = []
    unsubscribe = hub.subscribe(heard.append)
    try:

        async def failing_request() -> None:
            async with unit_of_work(app, ids) as service:
                await service.create(_openai("rolled-back"))
                raise RuntimeError("the request failed after the change")

        with pytest.raises(RuntimeError):
            await failing_request()
        assert heard == []
        async with unit_of_work(app, ids) as service:
            created = await service.create(_openai())
            assert heard == []
        assert heard == [ProviderChanged(1, created.id, "create")]
    finally:
        unsubscribe()


async def test_a_failing_listener_does_not_fail_the_change(app: FastAPI, ids: Identities) -> None:
    def broken(_change: Change) -> None:
        raise ValueError("listener bug")

    unsubscribe = hub.subscribe(broken)
    try:
        async with unit_of_work(app, ids) as service:
            await service.create(_openai())
    finally:
        unsubscribe()
    async with unit_of_work(app, ids) as service:
        assert [p.name for p in await service.list_providers()] == ["openai-main"]


@pytest.mark.usefixtures("ids")
async def test_the_live_name_index_refuses_a_duplicate_inside_a_savepoint(
    session: AsyncSession,
) -> None:
    repository = ProviderRepository(session)

    def row(name: str) -> Provider:
        now = utcnow()
        return Provider(
            id=uuid.uuid4(),
            workspace_id=1,
            name=name,
            type="openai",
            base_url="https://x.test",
            created_at=now,
            updated_at=now,
        )

    await repository.insert(row("same"))
    with pytest.raises(IntegrityError):
        await repository.insert(row("same"))
    await repository.insert(row("other"))
    assert [p.name for p in await repository.list_live(1)] == ["other", "same"]


@contextmanager
def _statements(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements the app's engine sends while the block runs, in order."""
    sent: list[str] = []

    def record(*args: Any) -> None:
        # before_cursor_execute(connection, cursor, statement, parameters, context, executemany)
        sent.append(args[2])

    engine = app.state.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_a_create_racing_an_uncommitted_one_gets_the_conflict(
    app: FastAPI, ids: Identities, caplog: pytest.LogCaptureFixture
) -> None:
    """B starts while A's row is not committed. On PostgreSQL B passes the duplicate check and
    the live-name index refuses its insert; SQLite serialises writers, so B's check sees A's row."""
    caplog.set_level(logging.INFO, logger="aiport.providers")
    async with unit_of_work(app, ids) as first:
        winner = await first.create(_openai("raced"))

        async def second() -> None:
            async with unit_of_work(app, ids) as service:
                await service.create(_openai("raced"))

        with _statements(app) as sent:
            loser = asyncio.create_task(second())
            # B waits on A: on SQLite for the write lock, on PostgreSQL at the index on insert.
            await eventually(
                lambda: any(
                    s.startswith(("BEGIN IMMEDIATE", "INSERT INTO providers")) for s in sent
                ),
                what="the second create waiting on the first",
            )
    with pytest.raises(ProviderNameTaken):
        await loser
    raced_on_the_index = "providers.create.name_race" in caplog.text
    assert raced_on_the_index is (app.state.runtime.engine.dialect.name == "postgresql")
    async with unit_of_work(app, ids) as service:
        assert [p.id for p in await service.list_providers()] == [winner.id]
        count = await service.session.execute(select(Credential))
        assert count.scalars().all() == []
