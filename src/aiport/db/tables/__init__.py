"""Every ORM table, imported here so `Base.metadata` is complete for Alembic and tests."""

from aiport.db.tables.actions import Action
from aiport.db.tables.audit import AuditEvent
from aiport.db.tables.discovery import ProviderModelCache
from aiport.db.tables.identity import Membership, Token, User, Workspace
from aiport.db.tables.models import Model, ModelDefault
from aiport.db.tables.providers import Credential, Provider
from aiport.db.tables.usage import UsageRecord

__all__ = [
    "Action",
    "AuditEvent",
    "Credential",
    "Membership",
    "Model",
    "ModelDefault",
    "Provider",
    "ProviderModelCache",
    "Token",
    "UsageRecord",
    "User",
    "Workspace",
]
