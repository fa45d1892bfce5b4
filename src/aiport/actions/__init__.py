"""Undo/redo. Importing the package registers the undo-state walker with key rotation, so a
rotation never re-seals a state and leaves the credential ciphertexts inside under an old key."""

from aiport.actions import rotation

__all__ = ["rotation"]
