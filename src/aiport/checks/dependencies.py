"""`Annotated` aliases for the check routes (their caller: `auth.dependencies.CurrentPrincipal`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.checks.service import CheckService
from aiport.runtime import get_runtime


def get_check_service(request: Request) -> CheckService:
    runtime = get_runtime(request)
    return CheckService(
        runtime.sessionmaker, runtime.keyring, runtime.adapters, runtime.http, runtime.settings
    )


Checks = Annotated[CheckService, Depends(get_check_service)]
