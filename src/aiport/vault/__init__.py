from aiport.vault.keyring import KeyRing, UndecryptableSecret
from aiport.vault.masking import fingerprint, mask

__all__ = ["KeyRing", "UndecryptableSecret", "fingerprint", "mask"]
