"""Fake upstream providers: real HTTP servers on 127.0.0.1 that speak each vendor's protocol.

They are the only "providers" tests ever reach. Each records the requests it received, knows
which keys it accepts, and can be told to rate limit, fail, answer slowly or answer garbage.
"""
