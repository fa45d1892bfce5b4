"""Listing a provider's models for the registration form: with a key typed into the form, or
with the keys of the caller's own saved models (Xagent's `providers/…/models` and
`providers/fetch`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiport.adapters import (
    ApiKey,
    MalformedSecret,
    NoSecret,
    ProviderError,
    Secret,
    UpstreamTarget,
    UpstreamUnreachable,
    discover_models,
    secret_from,
)
from aiport.checks.schemas import ModelRead
from aiport.db.session import unit_of_work
from aiport.models import catalog
from aiport.models.errors import ProviderModelsUnavailable, UnsupportedProvider
from aiport.models.repository import ModelRepository
from aiport.models.service.checking import redact
from aiport.models.service.targets import CallingService, target_for
from aiport.workspaces.access import WorkspaceAccess

# Name fragments that suggest what a speech model does (Xinference's audio models).
_TTS_HINTS = ("tts", "cosyvoice", "chattts", "fishspeech", "kokoro", "melotts", "f5")
_ASR_HINTS = ("whisper", "sensevoice", "paraformer", "asr", "belle")


@dataclass(frozen=True)
class SpeechModel:
    id: str
    abilities: list[str]


@dataclass(frozen=True)
class FetchResult:
    models: list[ModelRead]
    error: str | None = None


class ModelDiscoveryService(CallingService):
    """Lists through the adapters; the stored keys are read in a short unit of work of their own,
    never inside a transaction held while a provider answers (`db.session.unit_of_work`)."""

    async def list_with_key(
        self, model_provider: str, api_key: str, base_url: str | None
    ) -> list[ModelRead]:
        """The models a key typed into the form unlocks; only Xagent's known providers."""
        known = catalog.known_provider(model_provider)
        if known is None:
            raise UnsupportedProvider(model_provider)
        provider_type = catalog.adapter_type(model_provider)
        url = (base_url or "").strip() or known.default_base_url
        url = url or self.adapters.get(provider_type).default_base_url({})
        secret: Secret = ApiKey(api_key) if api_key else NoSecret()
        try:
            return await self._list(
                UpstreamTarget(provider_type, catalog.call_base_url(model_provider, url)), secret
            )
        except ProviderError as error:
            raise ProviderModelsUnavailable(
                model_provider, redact(error.message, secret.values())
            ) from None

    async def list_with_stored_keys(
        self, access: WorkspaceAccess, model_providers: Sequence[str]
    ) -> dict[str, FetchResult]:
        """For each provider, the models the key of one of the caller's own models unlocks."""
        wanted = {p: catalog.normalize_provider(p) for p in model_providers}
        async with unit_of_work(self.sessionmaker) as session:
            models = ModelRepository(session)
            owned = [
                m
                for m in await models.list_active_visible(
                    access.workspace_id, access.principal.user_id
                )
                if m.owner_user_id == access.principal.user_id
                and m.model_provider in wanted.values()
            ]
            targets = {m.id: await target_for(models, self.keyring, m) for m in owned}
        results: dict[str, FetchResult] = {}
        for model_provider in model_providers:
            usable = [
                targets[m.id]
                for m in owned
                if m.model_provider == wanted[model_provider]
                and targets[m.id].keys
                and not targets[m.id].problem
            ]
            if not usable:
                results[model_provider] = FetchResult([], f"No stored API key for {model_provider}")
                continue
            target, key = usable[0], usable[0].keys[0]
            try:
                secret = secret_from(key.kind, key.plaintext)
                listed = await self._list(
                    UpstreamTarget(target.provider_type, target.base_url, target.settings), secret
                )
            except (ProviderError, MalformedSecret) as error:
                message = error.message if isinstance(error, ProviderError) else str(error)
                results[model_provider] = FetchResult([], redact(message, [key.plaintext]))
                continue
            results[model_provider] = FetchResult(listed)
        return results

    async def speech_models(self, base_url: str, api_key: str) -> list[SpeechModel]:
        """Xinference's speech models, each with the abilities its name suggests."""
        listed = await self.list_with_key("xinference", api_key, base_url)
        found = []
        for model in listed:
            name = model.id.lower()
            abilities = [
                ability
                for ability, hints in (("asr", _ASR_HINTS), ("tts", _TTS_HINTS))
                if any(h in name for h in hints)
            ]
            if abilities:
                found.append(SpeechModel(model.id, abilities))
        return found

    async def _list(self, target: UpstreamTarget, secret: Secret) -> list[ModelRead]:
        if not target.base_url.startswith(("http://", "https://")):
            raise UpstreamUnreachable("a base URL starting with http:// or https:// is needed")
        adapter = self.adapters.get(target.type)
        listed = await discover_models(adapter, self.upstream, target, secret, within=self.timeout)
        return [ModelRead.model_validate(m, from_attributes=True) for m in listed]
