"""create_app(): lifespan, middleware, error handlers, routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from redis.asyncio import Redis
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from aiport.actions.cleanup import ActionCleanup
from aiport.adapters import AdapterRegistry, OutboundPolicy, make_client_session
from aiport.cache import Cache
from aiport.changes import hub
from aiport.changes.bus import ChangeBus
from aiport.changes.kinds import AnythingChanged, Change, IdentityChanged, ProviderChanged
from aiport.config import Settings, get_settings
from aiport.db.engine import make_engine, make_sessionmaker
from aiport.errors import AppError, FieldError
from aiport.gateway.service import Gateway
from aiport.log import configure_logging
from aiport.middleware import BodyLimitMiddleware, MetricsMiddleware
from aiport.providers.cache import ProviderViews
from aiport.runtime import Runtime
from aiport.surfaces import baserow, flashback, xagent
from aiport.surfaces.coder import errors as coder_errors
from aiport.surfaces.coder import providers as coder_providers
from aiport.surfaces.coder.cache import CoderRenderings
from aiport.surfaces.errors import (
    ErrorRouter,
    InternalError,
    MethodNotAllowed,
    RouteNotFound,
    SurfaceErrors,
)
from aiport.surfaces.gateway.errors import surface_errors as gateway_errors
from aiport.surfaces.gateway.routes import GatewayFirst
from aiport.surfaces.native import audit as native_audit
from aiport.surfaces.native import checks as native_checks
from aiport.surfaces.native import providers as native_providers
from aiport.surfaces.native import tokens as native_tokens
from aiport.surfaces.native import users as native_users
from aiport.surfaces.native import workspaces as native_workspaces
from aiport.surfaces.native.errors import render_problem
from aiport.surfaces.native.ops import router as ops_router
from aiport.vault.keyfile import load_keyring

logger = logging.getLogger("aiport")


class RequestInvalid(AppError):
    """FastAPI could not parse the request; `errors` keeps pydantic's list for surfaces that show it."""

    code = "request_invalid"
    status = 422

    def __init__(self, errors: list[dict[str, Any]]):
        fields = [
            FieldError(
                ".".join(str(p) for p in e.get("loc", ()) if p != "body"), str(e.get("msg", ""))
            )
            for e in errors
        ]
        super().__init__("the request is not valid", fields=fields)
        self.errors = errors


def _surface_errors() -> list[SurfaceErrors]:
    """Every surface's error shape; extended as surfaces are added."""
    return [
        xagent.errors,
        coder_errors.SURFACE_ERRORS,
        flashback.errors,
        baserow.SURFACE_ERRORS,
        *gateway_errors(),
    ]


def _routers() -> list[APIRouter]:
    """Every surface's routes; extended as surfaces are added."""
    return [
        native_users.router,
        native_tokens.router,
        native_workspaces.router,
        native_audit.router,
        native_providers.router,
        native_checks.router,
        coder_providers.router,
        xagent.router,
        flashback.router,
        baserow.router,
    ]


def forget_changed_views(runtime: Runtime, change: Change) -> None:
    """What a change makes stale outside the gateway: provider lists and cached identities."""
    match change:
        case ProviderChanged(workspace_id=workspace_id):
            runtime.provider_views.invalidate(workspace_id)
        case IdentityChanged():
            runtime.principals.invalidate()
            runtime.workspace_roles.invalidate()
        case AnythingChanged():
            runtime.provider_views.invalidate()
            runtime.principals.invalidate()
            runtime.workspace_roles.invalidate()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level)
        engine = make_engine(settings.resolved_database_url)
        http = make_client_session(
            OutboundPolicy(allow_private=settings.allow_private_upstreams),
            connect_timeout=settings.upstream_connect_timeout,
            read_timeout=settings.upstream_read_timeout,
        )
        redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        changes = ChangeBus(
            redis=redis, engine=engine, signal_file=settings.data_dir / "gateway.changes"
        )
        runtime = Runtime(
            settings=settings,
            engine=engine,
            sessionmaker=make_sessionmaker(engine),
            keyring=load_keyring(settings),
            http=http,
            adapters=AdapterRegistry(),
            redis=redis,
            changes=changes,
            principals=Cache(ttl=settings.auth_cache_ttl, max_entries=50_000, refresh=True),
            provider_views=ProviderViews(),
            workspace_roles=Cache(ttl=settings.auth_cache_ttl, max_entries=50_000, refresh=True),
        )
        app.state.runtime = runtime
        # Every change this process learns of (its own, other workers', other instances') also
        # drops the management views: provider lists per workspace, cached identities.
        stop_views = hub.subscribe(lambda change: forget_changed_views(runtime, change))
        await changes.start()
        app.state.coder_renderings = CoderRenderings()
        app.state.gateway = Gateway.from_runtime(runtime)
        await app.state.gateway.start()
        action_cleanup = ActionCleanup(runtime.sessionmaker)
        action_cleanup.start()
        try:
            yield
        finally:
            stop_views()
            await runtime.principals.close()
            await runtime.workspace_roles.close()
            await action_cleanup.stop()
            await app.state.gateway.stop()
            await changes.stop()
            if redis is not None:
                await redis.aclose()
            await http.close()
            await engine.dispose()

    # GatewayFirst: gateway paths skip FastAPI's layers and middleware (the hot path).
    app = GatewayFirst(
        title="aiport",
        version="0.1.0",
        summary="AI providers, their keys and models in one place, behind one gateway.",
        lifespan=lifespan,
    )
    errors = ErrorRouter(_surface_errors(), default=render_problem)
    app.state.errors = errors

    @app.exception_handler(AppError)
    async def on_app_error(request: Request, error: AppError) -> Response:
        return errors.render(request, error)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, error: RequestValidationError) -> Response:
        return errors.render(request, RequestInvalid(list(error.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> Response:
        # FastAPI turns an error raised while reading the body (BodyLimitMiddleware's 413) into
        # a 400 "error parsing the body"; the AppError it came from says what really happened.
        if isinstance(error.__cause__, AppError):
            return errors.render(request, error.__cause__)
        if error.status_code == 405:
            return errors.render(request, MethodNotAllowed("method not allowed"))
        if error.status_code == 404:
            return errors.render(request, RouteNotFound("route not found"))
        generic = AppError(str(error.detail))
        generic.status = error.status_code
        return errors.render(request, generic)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> Response:
        logger.error("http.unhandled path=%s", request.url.path, exc_info=error)
        return errors.render(request, InternalError("internal error"))

    app.include_router(ops_router)
    for router in _routers():
        app.include_router(router)
    app.add_middleware(BodyLimitMiddleware, limit_for=lambda _path: settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware)
    return app
