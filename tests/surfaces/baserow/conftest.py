"""Baserow fixtures: the workspace admin's JWT headers."""

from __future__ import annotations

import pytest

from tests.factories import Identities
from tests.surfaces.baserow.support import jwt


@pytest.fixture
def admin(ids: Identities) -> dict[str, str]:
    return jwt(ids.admin)
