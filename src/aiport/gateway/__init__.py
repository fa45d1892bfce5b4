"""The gateway: applications call providers through aiport with an aiport token.

Routing, key selection and failover, translation between wire protocols, streaming, usage,
rate limits, and the in-memory caches that keep the database off the hot path.
"""
