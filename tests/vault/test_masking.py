"""Coder's masking algorithm, with the test vectors of spec/coder-ai-providers.md §4.3."""

from __future__ import annotations

import pytest

from aiport.vault import fingerprint, mask


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
def test_mask_matches_coders_vectors(secret: str, masked: str) -> None:
    assert mask(secret) == masked


def test_fingerprint_is_stable_and_tells_secrets_apart() -> None:
    assert fingerprint("sk-one") == fingerprint("sk-one")
    assert fingerprint("sk-one") != fingerprint("sk-two")
    assert "sk-one" not in fingerprint("sk-one")
