"""`Annotated` aliases for the models services, for routes to declare."""

from __future__ import annotations

from typing import Annotated

import aiohttp
from fastapi import Depends

from aiport.adapters import Upstream
from aiport.db.session import DbSession
from aiport.models.service import (
    ModelDefaultService,
    ModelDiscoveryService,
    ModelService,
    ModelTestService,
)
from aiport.runtime import Runtime, get_runtime

RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_model_service(session: DbSession, runtime: RuntimeDep) -> ModelService:
    return ModelService(session, runtime.keyring)


def get_model_default_service(session: DbSession, runtime: RuntimeDep) -> ModelDefaultService:
    return ModelDefaultService(session, runtime.keyring)


def _check_upstream(runtime: Runtime) -> Upstream:
    """The process's HTTP session, bounded by the check timeout (10 s, as in Xagent)."""
    settings = runtime.settings
    return Upstream(
        runtime.http,
        aiohttp.ClientTimeout(
            total=settings.check_timeout, sock_connect=settings.upstream_connect_timeout
        ),
    )


def get_model_test_service(runtime: RuntimeDep) -> ModelTestService:
    """No request session: the tests wait on providers, and hold no transaction meanwhile."""
    return ModelTestService(
        runtime.sessionmaker,
        runtime.keyring,
        runtime.adapters,
        _check_upstream(runtime),
        runtime.settings.check_timeout,
    )


def get_model_discovery_service(runtime: RuntimeDep) -> ModelDiscoveryService:
    return ModelDiscoveryService(
        runtime.sessionmaker,
        runtime.keyring,
        runtime.adapters,
        _check_upstream(runtime),
        runtime.settings.check_timeout,
    )


ModelServiceDep = Annotated[ModelService, Depends(get_model_service)]
ModelDefaultServiceDep = Annotated[ModelDefaultService, Depends(get_model_default_service)]
ModelTestServiceDep = Annotated[ModelTestService, Depends(get_model_test_service)]
ModelDiscoveryServiceDep = Annotated[ModelDiscoveryService, Depends(get_model_discovery_service)]
