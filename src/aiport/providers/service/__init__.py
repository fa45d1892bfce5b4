"""The providers domain's services: the registry (reading, creating, changing, deleting, and
revealing keys to the code that calls the provider), with the lookup and read view in
`access.py`, the key-set planning in `keys.py`, the Bedrock settings rules in `bedrock.py`, and
the reconciliation of per-type workspace settings (Baserow's) into providers in
`type_settings.py`."""

from aiport.providers.service.registry import ProviderService

__all__ = ["ProviderService"]
