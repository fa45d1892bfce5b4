"""Xagent's models API at `/api/models`, served on aiport's store.

Fixed paths are included before the `/{model_id}` catch-all (Xagent's April release had them
the other way round, and its fixed paths answered "Model not found").
"""

from fastapi import APIRouter

from aiport.surfaces.errors import SurfaceErrors
from aiport.surfaces.xagent import defaults, meta, models, testing
from aiport.surfaces.xagent.errors import render_xagent

PREFIX = "/api/models"

router = APIRouter(prefix=PREFIX, tags=["xagent models"])
router.include_router(meta.router)
router.include_router(defaults.router)
router.include_router(testing.router)
router.include_router(models.router)

errors = SurfaceErrors(prefixes=(PREFIX,), render=render_xagent)

__all__ = ["PREFIX", "errors", "router"]
