"""The field rules of a provider request: pure functions that collect every problem, in order.

The order and texts are Coder's (`codersdk.CreateAIProviderRequest.Validate` and the PATCH
checks of coderd), because a Coder client shows them field by field; aiport's own rules (text a
database can store, sane sizes) come after them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from urllib.parse import urlsplit

from pydantic import SecretStr

from aiport.adapters import PROVIDER_TYPES
from aiport.errors import FieldError
from aiport.providers.errors import NAME_RULE
from aiport.providers.schemas import (
    BEDROCK_CAPABLE_TYPES,
    BEDROCK_PROTOCOLS,
    BedrockSettings,
    ProviderCreate,
    ProviderKeyChange,
    ProviderUpdate,
)

NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Coder sets no limit, but PostgreSQL cannot index a name much past 2,700 bytes; a clear 400
# beats a database error, and no route segment needs more.
MAX_NAME_LENGTH = 1000
# Coder documents 5; the cap only stops a body from turning into thousands of encryptions.
MAX_API_KEYS = 100
ARN_EXAMPLE = "arn:aws:iam::123456789012:role/BedrockRole"

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# ASCII characters Go's url.Parse accepts in a host; non-ASCII is accepted as is.
_HOST_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&'()*+,;=:[]<>\"%"
)
_GO_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def go_quote(value: str) -> str:
    """Go's %q, which Coder's messages use to quote what the client sent."""
    out = []
    for char in value:
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def go_trim_space(value: str) -> str:
    """Go's strings.TrimSpace: Unicode white space, but not the ASCII separators \\x1c-\\x1f."""
    start, end = 0, len(value)
    while start < end and _is_go_space(value[start]):
        start += 1
    while end > start and _is_go_space(value[end - 1]):
        end -= 1
    return value[start:end]


def _is_go_space(char: str) -> bool:
    return char.isspace() and char not in "\x1c\x1d\x1e\x1f"


def is_name(value: str) -> bool:
    return NAME_PATTERN.fullmatch(value) is not None


def name_problems(name: str) -> list[FieldError]:
    if name == "":
        return [FieldError("name", "name is required", "required")]
    if not is_name(name):
        return [
            FieldError(
                "name",
                f"name must match {NAME_RULE} (lowercase alphanumeric, hyphens between words)",
            )
        ]
    if len(name) > MAX_NAME_LENGTH:
        return [FieldError("name", f"name must be at most {MAX_NAME_LENGTH} characters")]
    return []


def base_url_problems(raw: str) -> list[FieldError]:
    if raw == "":
        return [FieldError("base_url", "base_url is required", "required")]
    if not _is_absolute_url(raw):
        return [
            FieldError(
                "base_url",
                "base_url must be an absolute URL (e.g. https://api.example.com/)",
                "not_absolute_url",
            )
        ]
    scheme = raw.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        return [
            FieldError(
                "base_url",
                f"base_url scheme must be http or https, got {go_quote(scheme)}",
                "bad_scheme",
                scheme,
            )
        ]
    return text_problems("base_url", raw)


def _is_absolute_url(raw: str) -> bool:
    """What Go's url.Parse accepts with a scheme and a host (it is stricter than urlsplit)."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw) or not _SCHEME.match(raw):
        return False
    try:
        parts = urlsplit(raw)
    except ValueError:
        return False
    host = parts.netloc.rpartition("@")[2]
    if not host or _BAD_ESCAPE.search(parts.netloc + parts.path + parts.fragment):
        return False
    if host.startswith("["):
        bracket = host.find("]")
        port = host[bracket + 1 :] if bracket != -1 else "x"
        if port and not ((port.startswith(":") and port[1:].isdigit()) or port == ":"):
            return False
    elif ":" in host and not host.rpartition(":")[2].isdigit() and not host.endswith(":"):
        return False
    return all(c in _HOST_CHARS or ord(c) >= 0x80 for c in host)


def display_name_problems(display_name: str) -> list[FieldError]:
    """Where the display name is the provider's only name (Flashback), it must be given."""
    if display_name.strip() == "":
        return [FieldError("display_name", "display_name is required", "required")]
    return []


def text_problems(field: str, value: str) -> list[FieldError]:
    """Text every database stores: no NUL (PostgreSQL refuses it), no lone surrogates."""
    if "\x00" in value:
        return [FieldError(field, f"{field} {_SECRET_TEXTS['nul']}", "nul")]
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return [FieldError(field, f"{field} {_SECRET_TEXTS['not_unicode']}", "not_unicode")]
    return []


_SECRET_TEXTS = {
    "not_unicode": "must be valid Unicode text",
    "nul": "must not contain NUL characters",
}


def _secret_problem(secret: str) -> str | None:
    """A secret every database stores (PostgreSQL refuses NUL, even in its mask): the reason
    it cannot be stored, a key of `_SECRET_TEXTS`."""
    try:
        secret.encode("utf-8")
    except UnicodeEncodeError:
        return "not_unicode"
    if "\x00" in secret:
        return "nul"
    return None


def api_key_problems(keys: Sequence[SecretStr]) -> list[FieldError]:
    problems = []
    for index, key in enumerate(keys):
        value = key.get_secret_value()
        field = f"api_keys[{index}]"
        if value == "":
            problems.append(FieldError(field, "api_keys entries must not be empty", "empty"))
        elif go_trim_space(value) != value:
            problems.append(
                FieldError(
                    field,
                    "api_keys entries must not contain leading or trailing whitespace",
                    "padded",
                )
            )
        elif problem := _secret_problem(value):
            problems.append(
                FieldError(field, f"api_keys entries {_SECRET_TEXTS[problem]}", problem)
            )
    return problems


def key_change_problems(changes: Sequence[ProviderKeyChange]) -> list[FieldError]:
    problems = []
    seen: dict[object, int] = {}
    for index, change in enumerate(changes):
        has_id, has_key = change.id is not None, change.api_key is not None
        value = change.api_key.get_secret_value() if change.api_key is not None else ""
        if has_id == has_key:
            problems.append(
                FieldError(f"api_keys[{index}]", "exactly one of id or api_key must be set")
            )
        elif has_key and value == "":
            problems.append(
                FieldError(f"api_keys[{index}].api_key", "api_key must not be empty", "empty")
            )
        elif has_key and go_trim_space(value) != value:
            problems.append(
                FieldError(
                    f"api_keys[{index}].api_key",
                    "api_key must not contain leading or trailing whitespace",
                    "padded",
                )
            )
        elif has_key and (problem := _secret_problem(value)):
            problems.append(
                FieldError(
                    f"api_keys[{index}].api_key", f"api_key {_SECRET_TEXTS[problem]}", problem
                )
            )
        if has_id and not has_key:
            if change.id in seen:
                problems.append(
                    FieldError(
                        f"api_keys[{index}].id",
                        f"id {change.id} already referenced at api_keys[{seen[change.id]}]",
                    )
                )
            else:
                seen[change.id] = index
    return problems


def role_arn_problems(role_arn: str) -> list[FieldError]:
    """An IAM role ARN, parsed as aws-sdk-go-v2's arn.Parse does."""
    if role_arn == "":
        return []
    sections = role_arn.split(":", 5)
    if not role_arn.startswith("arn:") or len(sections) != 6:
        detail = f"role_arn {go_quote(role_arn)} is not a valid ARN, e.g. {ARN_EXAMPLE}"
    elif sections[2] != "iam":
        detail = f"role_arn must be an IAM ARN, but resolved to service {go_quote(sections[2])}, e.g. {ARN_EXAMPLE}"
    elif not sections[5].startswith("role/"):
        detail = f"role_arn must reference an IAM role, but resolved to resource {go_quote(sections[5])}, e.g. {ARN_EXAMPLE}"
    else:
        return []
    return [FieldError("settings.role_arn", detail)]


def bedrock_problems(bedrock: BedrockSettings, *, on_create: bool) -> list[FieldError]:
    problems = role_arn_problems(bedrock.role_arn)
    if bedrock.protocol not in BEDROCK_PROTOCOLS:
        problems.append(
            FieldError(
                "settings.protocol",
                f'unsupported bedrock protocol {go_quote(bedrock.protocol)}, must be one of "invoke-model" or "mantle"',
            )
        )
    if on_create and bedrock.external_id:
        problems.append(
            FieldError("settings.external_id", "external_id is server-generated and cannot be set")
        )
    if bedrock.protocol == "mantle" and bedrock.region == "":
        problems.append(FieldError("settings.region", "region is required for the mantle protocol"))
    return problems


def is_bedrock_configured(
    bedrock: BedrockSettings | None, access_key: SecretStr | None, secret: SecretStr | None
) -> bool:
    """Coder's IsConfigured: a region, a role or a non-empty key; models do not count."""
    return bool(
        (bedrock is not None and (bedrock.region or bedrock.role_arn))
        or (access_key is not None and access_key.get_secret_value())
        or (secret is not None and secret.get_secret_value())
    )


def has_bedrock(data: ProviderCreate | ProviderUpdate) -> bool:
    """Bedrock settings are present, or implied by an AWS key pair."""
    return (
        data.bedrock is not None
        or data.aws_access_key is not None
        or data.aws_access_key_secret is not None
    )


def validate_create(data: ProviderCreate, allowed_types: Collection[str]) -> list[FieldError]:
    problems: list[FieldError] = []
    if data.type == "":
        problems.append(FieldError("type", "type is required"))
    elif data.type not in allowed_types:
        problems.append(FieldError("type", f"unsupported provider type {go_quote(data.type)}"))
    problems += name_problems(data.name)
    problems += base_url_problems(data.base_url)
    problems += api_key_problems(data.api_keys)
    bedrock = has_bedrock(data)
    if bedrock and data.type not in BEDROCK_CAPABLE_TYPES:
        problems.append(
            FieldError(
                "settings", "bedrock settings are only valid for type=anthropic or type=bedrock"
            )
        )
    if data.type == "bedrock" and not is_bedrock_configured(
        data.bedrock, data.aws_access_key, data.aws_access_key_secret
    ):
        problems.append(FieldError("settings", "type=bedrock requires bedrock settings"))
    if data.type == "bedrock" and data.api_keys:
        problems.append(FieldError("api_keys", "type=bedrock does not accept api_keys"))
    if bedrock:
        problems += bedrock_problems(data.bedrock or BedrockSettings(), on_create=True)
    if data.type == "copilot" and data.api_keys:
        problems.append(FieldError("api_keys", "type=copilot does not accept api_keys"))
    problems += _own_rules(data)
    if len(data.api_keys) > MAX_API_KEYS:
        problems.append(FieldError("api_keys", f"at most {MAX_API_KEYS} api_keys are allowed"))
    return problems


def validate_update(patch: ProviderUpdate) -> list[FieldError]:
    """PATCH re-checks neither "bedrock requires settings" nor external_id (that needs the row)."""
    problems: list[FieldError] = []
    if patch.type is not None and patch.type not in PROVIDER_TYPES:
        problems.append(FieldError("type", f"unsupported provider type {go_quote(patch.type)}"))
    if patch.base_url is not None:
        problems += base_url_problems(patch.base_url)
    if patch.api_keys is not None:
        problems += key_change_problems(patch.api_keys)
        if len(patch.api_keys) > MAX_API_KEYS:
            problems.append(FieldError("api_keys", f"at most {MAX_API_KEYS} api_keys are allowed"))
    if patch.bedrock is not None:
        problems += bedrock_problems(patch.bedrock, on_create=False)
    return problems + _own_rules(patch)


def _own_rules(data: ProviderCreate | ProviderUpdate) -> list[FieldError]:
    problems: list[FieldError] = []
    for field in ("display_name", "icon", "organization"):
        value = getattr(data, field)
        if value:
            problems += text_problems(field, value)
    for index, model in enumerate(data.models or []):
        if model == "" or go_trim_space(model) != model:
            problems.append(
                FieldError(f"models[{index}]", "model names must not be empty or padded")
            )
        else:
            problems += text_problems(f"models[{index}]", model)
    if data.bedrock is not None:
        for field in ("region", "model", "small_fast_model", "role_arn", "external_id"):
            problems += text_problems(f"settings.{field}", getattr(data.bedrock, field))
    for field, secret in (
        ("settings.access_key", data.aws_access_key),
        ("settings.access_key_secret", data.aws_access_key_secret),
    ):
        problem = _secret_problem(secret.get_secret_value()) if secret is not None else None
        if problem:
            problems.append(
                FieldError(field, f"{field.split('.')[1]} {_SECRET_TEXTS[problem]}", problem)
            )
    return problems
