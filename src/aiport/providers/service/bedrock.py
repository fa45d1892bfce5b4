"""The Bedrock settings rules: Coder's merge of a patch, and the server-owned STS external id."""

from __future__ import annotations

import secrets

from aiport.providers.errors import ExternalIdReadOnly
from aiport.providers.schemas import BedrockSettings, ProviderUpdate
from aiport.providers.validation import has_bedrock

# Go's crypto/rand.Text(): 26 characters of base32, 128 bits.
_EXTERNAL_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_EXTERNAL_ID_LENGTH = 26


def with_external_id(bedrock: BedrockSettings) -> BedrockSettings:
    """A role to assume gets a server-owned STS external id (confused-deputy protection), once."""
    if bedrock.role_arn and not bedrock.external_id:
        external_id = "".join(
            secrets.choice(_EXTERNAL_ID_ALPHABET) for _ in range(_EXTERNAL_ID_LENGTH)
        )
        return bedrock.model_copy(update={"external_id": external_id})
    return bedrock


def merge_bedrock(stored: BedrockSettings | None, patch: ProviderUpdate) -> BedrockSettings | None:
    """Coder's merge: the patch replaces the non-secret fields; the external id is the server's."""
    if not has_bedrock(patch):
        return stored
    stored_external_id = stored.external_id if stored else ""
    given = patch.bedrock
    if given is not None and given.external_id and given.external_id != stored_external_id:
        raise ExternalIdReadOnly()
    if given is None:
        return stored or BedrockSettings()
    return given.model_copy(update={"external_id": stored_external_id})
