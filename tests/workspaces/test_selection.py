"""Which workspace a request acts in (DESIGN §3): path, else `AIPort-Workspace`, else the
token's workspace, else the user's first; outside the caller's reach it is "not found"."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.principal import Principal
from aiport.workspaces.access import resolve_workspace, workspace_header
from aiport.workspaces.errors import WorkspaceNotFound
from tests.factories import Identities


def _principal(user_id: int, *, bound_to: int | None = None) -> Principal:
    return Principal(
        user_id=user_id,
        email="x@example.com",
        is_admin=False,
        token_id=1,
        token_workspace_id=bound_to,
    )


async def test_without_any_choice_the_users_first_workspace(
    session: AsyncSession, ids: Identities
) -> None:
    access = await resolve_workspace(session, _principal(ids.outsider.user_id))
    assert access.workspace_id == ids.other_workspace_id
    assert access.role == "admin"


async def test_the_header_picks_the_workspace(session: AsyncSession, ids: Identities) -> None:
    access = await resolve_workspace(
        session, _principal(ids.member.user_id), header_id=workspace_header(" 1 ")
    )
    assert (access.workspace_id, access.role) == (1, "member")


async def test_the_path_wins_over_the_header(session: AsyncSession, ids: Identities) -> None:
    with pytest.raises(WorkspaceNotFound):
        await resolve_workspace(
            session,
            _principal(ids.member.user_id),
            requested_id=ids.other_workspace_id,
            header_id=1,
        )


async def test_the_header_wins_over_the_tokens_workspace(
    session: AsyncSession, ids: Identities
) -> None:
    # A bound token may not leave its workspace, even through the header.
    with pytest.raises(WorkspaceNotFound):
        await resolve_workspace(
            session, _principal(ids.member.user_id, bound_to=1), header_id=ids.other_workspace_id
        )


async def test_a_bound_token_acts_in_its_workspace(session: AsyncSession, ids: Identities) -> None:
    access = await resolve_workspace(session, _principal(ids.member.user_id, bound_to=1))
    assert access.workspace_id == 1


async def test_a_header_naming_a_workspace_the_user_is_not_in_is_not_found(
    session: AsyncSession, ids: Identities
) -> None:
    with pytest.raises(WorkspaceNotFound):
        await resolve_workspace(
            session, _principal(ids.member.user_id), header_id=ids.other_workspace_id
        )


@pytest.mark.usefixtures("ids")
async def test_a_user_in_no_workspace_has_none(session: AsyncSession) -> None:
    with pytest.raises(WorkspaceNotFound):
        await resolve_workspace(session, _principal(9999))


def test_no_header_is_no_choice() -> None:
    assert workspace_header(None) is None


@pytest.mark.parametrize("value", ["abc", "", "0", "-3", "99999999999999999999"])
def test_a_header_that_is_not_a_workspace_id_is_not_found(value: str) -> None:
    with pytest.raises(WorkspaceNotFound):
        workspace_header(value)
