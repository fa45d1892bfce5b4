"""Provider errors. Messages are Coder's exact texts (the strictest reference); other surfaces
may render them in their own words by `code`."""

from __future__ import annotations

import uuid

from aiport.errors import BadRequest, Conflict, FieldError, Forbidden, NotFound, ValidationFailed

NAME_RULE = "^[a-z0-9]+(-[a-z0-9]+)*$"


class ProviderNotFound(NotFound):
    """Also what a soft-deleted provider is."""

    code = "provider_not_found"
    default_message = "AI provider not found"


class ProviderNameTaken(Conflict):
    code = "provider_name_taken"

    def __init__(self, name: str):
        super().__init__(
            f'AI provider "{name}" already exists.',
            detail='duplicate key value violates unique constraint "uq_providers_workspace_id_name_live"',
        )
        self.name = name


class ProviderInvalid(ValidationFailed):
    """Every field problem of one request, in the order the rules run."""

    code = "provider_invalid"

    def __init__(self, fields: list[FieldError]):
        super().__init__("Invalid AI provider request.", fields=fields)


class InvalidProviderReference(BadRequest):
    """Neither an id nor a possible name: refused before any database call."""

    code = "invalid_provider_reference"
    default_message = f"Invalid provider id or name: must be a UUID or match {NAME_RULE}."


class EmptyProviderUpdate(BadRequest):
    code = "empty_update"
    default_message = "At least one field must be provided."


class BedrockRejectsApiKeys(BadRequest):
    code = "bedrock_rejects_api_keys"
    default_message = (
        "Bedrock providers do not accept api_keys; configure access credentials via settings."
    )


class CopilotRejectsApiKeys(BadRequest):
    code = "copilot_rejects_api_keys"
    default_message = "Copilot providers do not accept api_keys; they authenticate via request-time GitHub OAuth tokens."


class BedrockTypeMismatch(BadRequest):
    code = "bedrock_type_mismatch"
    default_message = "Bedrock settings are only valid for type=anthropic or type=bedrock."


class ExternalIdReadOnly(BadRequest):
    code = "external_id_read_only"
    default_message = "The Bedrock external ID is server-generated and cannot be changed."


class UnknownCredential(BadRequest):
    """A key id that is not one of this provider's keys; nothing is changed."""

    code = "unknown_credential"

    def __init__(self, credential_id: uuid.UUID):
        super().__init__(
            "api_keys references an unknown id for this provider",
            detail=f"execute transaction: api_keys references an unknown id for this provider: {credential_id}",
        )
        self.credential_id = credential_id


class AwsKeyPairUndecryptable(BadRequest):
    """Half of the stored pair is being kept, but the stored pair cannot be read any more."""

    code = "aws_key_pair_undecryptable"
    default_message = (
        "The stored AWS key pair cannot be decrypted; send both access_key and access_key_secret."
    )


class ProviderDisplayNameTaken(Conflict):
    """Flashback names configurations by their display name, unique among live providers."""

    code = "provider_display_name_taken"

    def __init__(self, display_name: str):
        super().__init__(f'An AI provider named "{display_name}" already exists in this workspace.')
        self.display_name = display_name


class ProviderTypeChangeRefused(BadRequest):
    """Bedrock and Copilot keep other credentials than API keys: a change to or from them would
    leave the provider with credentials its new type cannot use."""

    code = "provider_type_change_refused"

    def __init__(self, old: str, new: str):
        super().__init__(
            f"A {old} provider cannot become a {new} provider; create a new provider instead."
        )


class SettingsWorkspaceNotFound(NotFound):
    """Settings by type tell a workspace that does not exist from one the caller is not in
    (Baserow answers them differently); everywhere else both are `WorkspaceNotFound`."""

    code = "settings_workspace_not_found"

    def __init__(self, workspace_id: int):
        super().__init__(f"workspace {workspace_id} not found")
        self.workspace_id = workspace_id


class SettingsNotMember(NotFound):
    """The workspace exists, but the caller (an instance admin too) is not a member of it."""

    code = "settings_not_member"

    def __init__(self, workspace_id: int):
        super().__init__(f"workspace {workspace_id} not found")
        self.workspace_id = workspace_id


class SettingsNotAdmin(Forbidden):
    """Only a workspace's admins read or replace its settings."""

    code = "settings_not_admin"

    def __init__(self) -> None:
        super().__init__("this needs the admin role in the workspace")
