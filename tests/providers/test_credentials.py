"""Masking (Coder's algorithm, spec §4.3) and sealing of credentials."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aiport.credentials.sealing import aws_pair, aws_secret, open_secret
from aiport.providers.service.keys import seal_api_key, seal_aws
from aiport.vault import KeyRing, mask

NOW = datetime(2026, 7, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("secret", "masked"),
    [
        ("", ""),
        ("x", "..."),
        ("abcd", "..."),
        ("short", "s...t"),
        ("veryshort", "v...t"),
        ("thisisquitelong", "th...ng"),
        ("sk-ant-api03-abcdefgh", "sk-a...efgh"),
        ("hélloworld🌍!", "hé...🌍!"),
        ("ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh", "ghp_...efgh"),
    ],
)
def test_masking_vectors_of_the_coder_spec(secret: str, masked: str) -> None:
    assert mask(secret) == masked


def test_a_sealed_key_opens_with_the_ring_and_shows_only_its_mask() -> None:
    keyring = KeyRing([b"k" * 32])
    credential = seal_api_key(keyring, "sk-ant-api03-abcdefgh", position=3, now=NOW)
    assert "sk-ant-api03-abcdefgh" not in credential.ciphertext
    assert (credential.kind, credential.mask, credential.position) == ("api_key", "sk-a...efgh", 3)
    assert credential.key_id == keyring.primary_key_id
    assert open_secret(keyring, credential) == "sk-ant-api03-abcdefgh"


def test_a_key_sealed_by_a_key_no_longer_in_the_ring_does_not_open() -> None:
    credential = seal_api_key(KeyRing([b"k" * 32]), "secret", position=0, now=NOW)
    assert open_secret(KeyRing([b"z" * 32]), credential) is None


def test_the_aws_pair_is_one_credential_masked_by_its_access_key() -> None:
    keyring = KeyRing([b"k" * 32])
    credential = seal_aws(keyring, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", now=NOW)
    assert (credential.kind, credential.mask) == ("aws", "AKIA...MPLE")
    opened = open_secret(keyring, credential)
    assert opened is not None
    assert aws_pair(opened) == ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG")
    assert aws_pair(aws_secret("", "s")) == ("", "s")
