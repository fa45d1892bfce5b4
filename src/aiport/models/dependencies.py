"""`Annotated` aliases for the models services, for routes to declare."""

from __future__ import annotations

from typing import Annotated

import aiohttp
from fastapi import Depends

from aiport.adapters import Upstream
from aiport.db.session import DbSession
from aiport.models.service import (
    ModelCheckService,
    ModelDefaultService,
    ModelDiscoveryService,
    ModelService,
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


def get_model_check_service(runtime: RuntimeDep) -> ModelCheckService:
    """No request session: the tests wait on providers, and hold no transaction meanwhile."""
    return ModelCheckService(
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
ModelCheckServiceDep = Annotated[ModelCheckService, Depends(get_model_check_service)]
ModelDiscoveryServiceDep = Annotated[ModelDiscoveryService, Depends(get_model_discovery_service)]
