"""Flashback's AI LLM configurations API at `/ai/llm`, served on aiport's store."""

from aiport.surfaces.flashback.errors import SURFACE_ERRORS as errors
from aiport.surfaces.flashback.routes import router

__all__ = ["errors", "router"]
