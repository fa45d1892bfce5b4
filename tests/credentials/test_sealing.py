"""`credentials.sealing`: one AAD per row, and the lost-key rule (None, never an exception)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from aiport.adapters import ApiKey, AwsKeys, MalformedSecret
from aiport.credentials.sealing import (
    UNCHECKED,
    aws_secret,
    credential_aad,
    new_credential,
    open_call_secret,
    open_secret,
    open_state,
    seal,
    seal_state,
)
from aiport.db.tables import Action, Credential
from aiport.vault import KeyRing

NOW = datetime(2026, 7, 1, tzinfo=UTC)
RING = KeyRing([b"k" * 32])
OTHER_RING = KeyRing([b"z" * 32])


def test_a_ciphertext_copied_to_another_credentials_row_does_not_open() -> None:
    original = new_credential(RING, "api_key", "sk-original-secret", position=0, now=NOW)
    other = new_credential(RING, "api_key", "sk-other-secret", position=1, now=NOW)
    other.ciphertext = original.ciphertext
    assert open_secret(RING, original) == "sk-original-secret"
    assert open_secret(RING, other) is None


def test_a_lost_key_gives_none_rather_than_an_error() -> None:
    credential = new_credential(RING, "api_key", "sk-lost-secret", position=0, now=NOW)
    assert open_secret(OTHER_RING, credential) is None
    assert open_call_secret(OTHER_RING, credential) is None


def test_a_credential_opens_as_the_secret_its_kind_promises() -> None:
    api_key = new_credential(RING, "api_key", "sk-call-secret", position=0, now=NOW)
    pair = new_credential(RING, "aws", aws_secret("AKIAEXAMPLE", "s3cr3t"), position=0, now=NOW)
    assert open_call_secret(RING, api_key) == ApiKey("sk-call-secret")
    assert open_call_secret(RING, pair) == AwsKeys("AKIAEXAMPLE", "s3cr3t", "")


def test_an_aws_credential_that_is_not_a_pair_is_malformed() -> None:
    credential = new_credential(RING, "aws", "not json", position=0, now=NOW)
    with pytest.raises(MalformedSecret):
        open_call_secret(RING, credential)


def test_sealing_a_new_secret_into_a_row_starts_its_status_over() -> None:
    credential = Credential(id=uuid.uuid4(), kind="api_key", status="undecryptable")
    credential.status_message, credential.checked_at = "lost", NOW
    seal(RING, credential, "sk-replaced-secret")
    assert (credential.status, credential.status_message) == (UNCHECKED, "")
    assert credential.checked_at is None
    assert credential.mask == "sk...et"
    assert credential.key_id == RING.primary_key_id
    assert RING.decrypt(credential.ciphertext, credential_aad(credential.id)) == (
        "sk-replaced-secret"
    )


def test_an_undo_state_opens_only_on_its_own_action_and_side() -> None:
    action, other = Action(id=uuid.uuid4()), Action(id=uuid.uuid4())
    seal_state(RING, action, "before", '{"providers": {}}')
    assert action.before_state is not None
    assert action.before_key_id == RING.primary_key_id
    assert open_state(RING, action, "before", action.before_state) == '{"providers": {}}'
    assert open_state(RING, action, "after", action.before_state) is None
    assert open_state(RING, other, "before", action.before_state) is None
    assert open_state(OTHER_RING, action, "before", action.before_state) is None
