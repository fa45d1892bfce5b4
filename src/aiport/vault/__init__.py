from aiport.vault.keyring import KeyRing, UndecryptableSecret, aad
from aiport.vault.masking import fingerprint, mask

__all__ = ["KeyRing", "UndecryptableSecret", "aad", "fingerprint", "mask"]
