"""The wire form of changes between processes."""

from __future__ import annotations

import uuid

from aiport.changes.kinds import (
    AnythingChanged,
    Change,
    IdentityChanged,
    ModelChanged,
    ProviderChanged,
    decode,
    encode,
)


def test_every_kind_of_change_survives_the_wire() -> None:
    changes: list[Change] = [
        ProviderChanged(3, uuid.uuid4(), "delete"),
        ModelChanged(4),
        IdentityChanged("membership"),
        AnythingChanged(),
    ]

    assert decode(encode(changes)) == changes


def test_an_unreadable_message_reads_as_anything_changed() -> None:
    assert decode(b"not json") == [AnythingChanged()]
    assert decode("{}") == [AnythingChanged()]
    assert decode('[{"kind": "provider", "ws": 1, "id": "x", "do": "create"}]') == [
        AnythingChanged()
    ]
    assert decode('[{"kind": "identity", "part": "hat"}]') == [AnythingChanged()]
