"""Providers and their credentials: the shared core every surface and the gateway call.

Start at `service.ProviderService` (one workspace, one caller): `list_providers`, `get`,
`get_by_display_name`, `create`, `update`, `delete`, `replace_credentials`,
`reveal_credentials`. Shapes are in `schemas.py`, the field rules (Coder's texts, in Coder's
order) in `validation.py`, errors in `errors.py`, key-set planning in `service/keys.py` (sealing
itself is `aiport.credentials`'), audit events in `auditing.py`, and the "providers of
workspace W changed" hook in `events.py`.
"""
