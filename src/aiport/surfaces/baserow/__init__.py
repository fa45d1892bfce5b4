"""Baserow's workspace generative-AI settings and its undo/redo, over aiport's store."""

from aiport.surfaces.baserow.errors import SURFACE_ERRORS
from aiport.surfaces.baserow.routes import router

__all__ = ["SURFACE_ERRORS", "router"]
