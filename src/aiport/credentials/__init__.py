"""Every stored secret's one home: sealing, opening, the AAD and the lost-key rule
(`sealing.py`), and key rotation (`rotation.py`, with `undo_states.py` for the credentials
captured inside undo states). Providers, models, checks, actions and the gateway all seal and
open through `sealing.py`; nothing else calls the key ring on a stored secret.
"""
