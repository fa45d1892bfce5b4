"""Prometheus metrics of the gateway, updated from the usage batches (off the request path)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "aiport_gateway_requests_total",
    "Gateway requests",
    ["endpoint", "provider", "status"],
)
LATENCY = Histogram(
    "aiport_gateway_request_duration_seconds",
    "Gateway request time, upstream included (to the end of the response)",
    ["endpoint"],
)
OVERHEAD = Histogram(
    "aiport_gateway_overhead_seconds",
    "Time aiport itself added to a gateway request (X-AIPort-Overhead-Ms)",
    ["endpoint"],
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5),
)
FAILOVERS = Counter(
    "aiport_gateway_failovers_total",
    "Keys given up on during a gateway request",
    ["provider"],
)
TOKENS = Counter(
    "aiport_gateway_tokens_total",
    "Tokens reported by providers",
    ["provider", "direction"],
)
