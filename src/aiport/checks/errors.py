from __future__ import annotations

from aiport.errors import Conflict, UpstreamFailed


class ModelsUnavailable(UpstreamFailed):
    """The provider could not list its models and nothing was cached to fall back on."""

    code = "models_unavailable"

    def __init__(self, name: str, reason: str):
        super().__init__(f"the models of provider {name!r} could not be listed: {reason}")
        self.reason = reason


class NoUsableCredential(Conflict):
    """Nothing to call the provider with: no credential, or none that can be decrypted."""

    code = "no_usable_credential"

    def __init__(self, name: str, why: str):
        super().__init__(f"provider {name!r} has {why}; add or replace a credential first")
