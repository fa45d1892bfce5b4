"""Every ORM table, imported here so `Base.metadata` is complete for Alembic and tests."""

from aiport.db.tables.audit import AuditEvent
from aiport.db.tables.identity import Membership, Token, User, Workspace
from aiport.db.tables.providers import Credential, Provider

__all__ = ["AuditEvent", "Credential", "Membership", "Provider", "Token", "User", "Workspace"]
