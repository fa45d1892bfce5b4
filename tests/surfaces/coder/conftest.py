"""Coder fixtures: the owner's and a member's session-token headers."""

from __future__ import annotations

import pytest

from tests.factories import Identities


@pytest.fixture
def owner(ids: Identities) -> dict[str, str]:
    """Coder's site owner: here, the admin of the workspace the request acts in."""
    return {"Coder-Session-Token": ids.admin.token}


@pytest.fixture
def member(ids: Identities) -> dict[str, str]:
    return {"Coder-Session-Token": ids.member.token}
