"""Errors of the registered-models domain.

Messages are Xagent's own `detail` strings, since Xagent's API is where these rules come from.
"""

from __future__ import annotations

from aiport.errors import (
    AppError,
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    UpstreamFailed,
)


class ModelNotFound(NotFound):
    """No model by the name given: a registered model, or (in the gateway) one it can route to."""

    code = "model_not_found"
    default_message = "Model not found"


class ModelNotVisible(NotFound):
    """The identifier names a model of the workspace the caller may not see."""

    code = "model_not_visible"
    default_message = "Model not found or access denied"


class ModelIdTaken(BadRequest):
    code = "model_id_taken"
    default_message = "Model ID already exists"


class InvalidCategory(BadRequest):
    code = "invalid_model_category"
    default_message = "Invalid model category"


class InvalidAbilities(AppError):
    """Abilities that do not fit the category: a validation error (422), as in Xagent."""

    code = "invalid_abilities"
    status = 422

    def __init__(self, message: str):
        super().__init__(message, fields=[FieldError("abilities", message)])


class UnsupportedModelName(BadRequest):
    code = "unsupported_model_name"


class SharingNotAllowed(Forbidden):
    """Only workspace admins may share a model with the whole workspace."""

    code = "sharing_not_allowed"


class NotModelOwner(Forbidden):
    code = "not_model_owner"


class SharedModelLocked(Conflict):
    """Category and abilities are frozen while shared: others may hold it as a default."""

    code = "shared_model_locked"

    def __init__(self, fields: list[str]):
        super().__init__(f"Cannot change {' and '.join(fields)} of a shared model. Un-share first.")


class ModelIsDefault(Conflict):
    code = "model_is_default"


class ConfigTypeIncompatible(BadRequest):
    code = "config_type_incompatible"


class DefaultNotFound(NotFound):
    code = "model_default_not_found"
    default_message = "Default configuration not found"


class KeyProviderNotFound(BadRequest):
    code = "key_provider_not_found"

    def __init__(self, name: str):
        super().__init__(f"Provider '{name}' not found in this workspace")


class KeySourceConflict(BadRequest):
    code = "key_source_conflict"
    default_message = "A model uses either its own api_key or a workspace provider's keys, not both"


class UnsupportedProvider(BadRequest):
    code = "unsupported_model_provider"

    def __init__(self, model_provider: str):
        super().__init__(f"Unsupported provider: {model_provider}")


class ProviderModelsUnavailable(UpstreamFailed):
    """The provider could not list its models; the reason holds no secret."""

    code = "provider_models_unavailable"

    def __init__(self, model_provider: str, reason: str):
        super().__init__(f"Failed to fetch models from {model_provider}: {reason}")


class ModelRestoreConflict(Conflict):
    """Undo or redo would bring a model back, but its ID (or its row) now belongs to another."""

    code = "model_restore_conflict"

    def __init__(self, model_id: str):
        super().__init__(f"Another model now uses the ID '{model_id}'")
