"""Baserow's generative-AI settings and undo/redo bodies: their fields, and reading them.

The settings body is validated completely before anything else happens (Baserow checks the body
before the workspace and the caller's permission). Unknown provider types and keys are dropped
silently, as Baserow 1.35 does.
"""

from __future__ import annotations

from typing import Any

from aiport.providers.service.type_settings import SETTINGS_FIELDS, SETTINGS_TYPES, TypeSettings
from aiport.providers.validation import base_url_problems
from aiport.surfaces.baserow.decoding import (
    Problems,
    boolean_field,
    char_field,
    char_list,
    expect_object,
    integer_field,
    nested_object,
    parse_json,
    problem,
)
from aiport.surfaces.baserow.errors import BodyInvalid

# The scope keys Baserow's undo/redo accepts (`workflow` exists only behind a feature flag).
_ID_SCOPES = ("workspace", "application", "table", "view", "teams_in_workspace")


def _type_settings(provider_type: str, value: Any) -> tuple[TypeSettings | None, Problems | None]:
    given, problems = nested_object(value)
    if given is None:
        return None, problems
    values: dict[str, Any] = {}
    found: dict[str, Problems] = {}
    for key in SETTINGS_FIELDS[provider_type]:
        if key not in given:
            continue
        if key == "models":
            values[key], field_problems = char_list(given[key])
        else:
            values[key], field_problems = char_field(given[key])
        if key == "host" and field_problems is None and values[key]:
            field_problems = _host_problems(values[key])
        if field_problems is not None:
            found[key] = field_problems
    if found:
        return None, found
    if "models" in values:
        values["models"] = tuple(values["models"])
    return TypeSettings(**values), None


def _host_problems(host: str) -> Problems | None:
    """aiport calls the host, so it must be an http(s) URL (Baserow 2.4's rule and text)."""
    if base_url_problems(host):
        return problem("Enter a valid URL starting with http:// or https://.", "invalid")
    return None


def parse_settings(raw: bytes) -> dict[str, TypeSettings]:
    """The PATCH body, validated: the settings that replace the stored ones."""
    body = expect_object(parse_json(raw))
    settings: dict[str, TypeSettings] = {}
    problems: dict[str, Problems] = {}
    for provider_type in SETTINGS_TYPES:
        if provider_type not in body:
            continue
        parsed, found = _type_settings(provider_type, body[provider_type])
        if found is not None:
            problems[provider_type] = found
        elif parsed is not None:
            settings[provider_type] = parsed
    if problems:
        raise BodyInvalid(problems)
    return settings


def parse_scopes(raw: bytes) -> frozenset[str]:
    """The undo/redo body: `{"scopes": {...}}` as scope strings; none given means all."""
    body = expect_object(parse_json(raw))
    if "scopes" not in body:
        raise BodyInvalid({"scopes": problem("This field is required.", "required")})
    scopes, found = nested_object(body["scopes"])
    if scopes is None:
        raise BodyInvalid({"scopes": found})
    chosen: set[str] = set()
    problems: dict[str, Problems] = {}
    if "root" in scopes:
        root, root_problems = boolean_field(scopes["root"])
        if root_problems is not None:
            problems["root"] = root_problems
        elif root:
            chosen.add("root")
    for key in _ID_SCOPES:
        if key not in scopes:
            continue
        value, id_problems = integer_field(scopes[key], min_value=0)
        if id_problems is not None:
            problems[key] = id_problems
        elif value:
            chosen.add(_scope_string(key, value))
    if problems:
        raise BodyInvalid({"scopes": problems})
    unknown = sorted(set(scopes) - {"root", *_ID_SCOPES})
    if unknown:
        message = (
            f"Your request body had the following unknown attributes: {', '.join(unknown)}. "
            "Please check the api documentation and only provide valid fields."
        )
        raise BodyInvalid({"scopes": {"non_field_errors": problem(message, "invalid")}})
    return frozenset(chosen)


def _scope_string(key: str, value: int) -> str:
    if key == "teams_in_workspace":
        return f"workspace{value}teams_in_workspace"
    return f"{key}{value}"
