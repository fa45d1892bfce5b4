"""The models domain's services: registry (CRUD and sharing), defaults, tests, call targets."""

from aiport.models.service.checking import ModelCheckService
from aiport.models.service.defaults import ModelDefaultService
from aiport.models.service.discovery import ModelDiscoveryService
from aiport.models.service.registry import ModelService
from aiport.models.service.targets import resolve_for_gateway, target_for

__all__ = [
    "ModelCheckService",
    "ModelDefaultService",
    "ModelDiscoveryService",
    "ModelService",
    "resolve_for_gateway",
    "target_for",
]
