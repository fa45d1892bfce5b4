"""Envelope encryption: AAD binding, unknown keys, rewrapping under a new primary key."""

from __future__ import annotations

import base64

import pytest

from aiport.vault import KeyRing, UndecryptableSecret, aad

KEY_A = base64.b64decode(KeyRing.generate_key())
KEY_B = base64.b64decode(KeyRing.generate_key())
ROW = aad("credentials", "row-1", "secret")


def test_a_secret_round_trips() -> None:
    ring = KeyRing([KEY_A])
    assert ring.decrypt(ring.encrypt("sk-live-123", ROW), ROW) == "sk-live-123"


def test_the_ciphertext_names_its_version_and_key_but_not_the_secret() -> None:
    ring = KeyRing([KEY_A])
    token = ring.encrypt("sk-live-123", ROW)
    version, key_id, _wrapped, _body = token.split(".")
    assert (version, key_id) == ("v1", ring.primary_key_id)
    assert ring.key_id_of_ciphertext(token) == ring.primary_key_id
    assert "sk-live-123" not in token


def test_two_encryptions_of_one_secret_differ() -> None:
    ring = KeyRing([KEY_A])
    assert ring.encrypt("same", ROW) != ring.encrypt("same", ROW)


def test_a_ciphertext_copied_to_another_row_does_not_decrypt() -> None:
    ring = KeyRing([KEY_A])
    token = ring.encrypt("sk-live-123", aad("credentials", "row-1", "secret"))
    with pytest.raises(UndecryptableSecret):
        ring.decrypt(token, aad("credentials", "row-2", "secret"))


def test_a_ciphertext_copied_to_another_field_does_not_decrypt() -> None:
    ring = KeyRing([KEY_A])
    token = ring.encrypt("sk-live-123", aad("credentials", "row-1", "secret"))
    with pytest.raises(UndecryptableSecret):
        ring.decrypt(token, aad("credentials", "row-1", "other"))


def test_a_ciphertext_from_a_key_not_in_the_ring_is_undecryptable() -> None:
    token = KeyRing([KEY_A]).encrypt("sk-live-123", ROW)
    with pytest.raises(UndecryptableSecret, match="not in the key ring"):
        KeyRing([KEY_B]).decrypt(token, ROW)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "v2.abc.def.ghi", "v1.only.three", "v1.{key}.!!!.???"],
    ids=["empty", "garbage", "future-version", "too-few-parts", "bad-base64"],
)
def test_a_malformed_ciphertext_is_undecryptable(token: str) -> None:
    ring = KeyRing([KEY_A])
    with pytest.raises(UndecryptableSecret):
        ring.decrypt(token.format(key=ring.primary_key_id), ROW)


def test_a_tampered_body_is_undecryptable() -> None:
    ring = KeyRing([KEY_A])
    version, key_id, wrapped, body = ring.encrypt("sk-live-123", ROW).split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(UndecryptableSecret):
        ring.decrypt(f"{version}.{key_id}.{wrapped}.{flipped}", ROW)


def test_every_key_of_the_ring_decrypts_and_the_first_encrypts() -> None:
    old = KeyRing([KEY_A]).encrypt("sk-old", ROW)
    ring = KeyRing([KEY_B, KEY_A])
    assert ring.decrypt(old, ROW) == "sk-old"
    assert ring.key_id_of_ciphertext(ring.encrypt("sk-new", ROW)) == KeyRing([KEY_B]).primary_key_id


def test_rewrap_moves_a_secret_to_the_primary_key_and_keeps_its_body() -> None:
    old = KeyRing([KEY_A]).encrypt("sk-live-123", ROW)
    rewrapped = KeyRing([KEY_B, KEY_A]).rewrap(old, ROW)
    only_b = KeyRing([KEY_B])
    assert only_b.key_id_of_ciphertext(rewrapped) == only_b.primary_key_id
    assert only_b.decrypt(rewrapped, ROW) == "sk-live-123"
    assert rewrapped.split(".")[3] == old.split(".")[3]
    with pytest.raises(UndecryptableSecret):
        KeyRing([KEY_A]).decrypt(rewrapped, ROW)


def test_rewrap_checks_the_aad() -> None:
    old = KeyRing([KEY_A]).encrypt("sk-live-123", ROW)
    with pytest.raises(UndecryptableSecret):
        KeyRing([KEY_B, KEY_A]).rewrap(old, aad("credentials", "elsewhere", "secret"))


@pytest.mark.parametrize("keys", [[], [b"short"]], ids=["no-key", "short-key"])
def test_a_ring_needs_32_byte_keys(keys: list[bytes]) -> None:
    with pytest.raises(ValueError, match="key"):
        KeyRing(keys)


def test_key_ring_from_comma_separated_base64() -> None:
    text = f"{base64.b64encode(KEY_B).decode()}, {base64.b64encode(KEY_A).decode()}"
    assert KeyRing.from_base64(text).primary_key_id == KeyRing([KEY_B]).primary_key_id
