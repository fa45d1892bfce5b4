"""The providers domain's services: the registry (reading, creating, changing, deleting, and
revealing keys to the code that calls the provider), with the lookup and read view in
`access.py`, the key-set planning in `keys.py` and the Bedrock settings rules in `bedrock.py`."""

from aiport.providers.service.registry import ProviderService

__all__ = ["ProviderService"]
