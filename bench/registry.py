"""Registry benchmark: the Coder provider list against /healthz, in one run, at concurrency 32.

Starts `aiport serve` on a fresh SQLite store, creates 50 providers with 2 keys each through the
Coder API, then drives both endpoints with wrk. Target: the provider list at >= 50% of /healthz
throughput, with p99 <= 25 ms.

    .venv/bin/python bench/registry.py [--duration 10] [--connections 32] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HERE, AiportServer, WrkResult, run_wrk

PROVIDERS = 50
KEYS_PER_PROVIDER = 2
TARGET_RATIO = 0.5
TARGET_P99_MS = 25.0


def create_providers(server: AiportServer) -> None:
    for index in range(PROVIDERS):
        body = {
            "type": "openai",
            "name": f"bench-provider-{index:02d}",
            "display_name": f"Bench provider {index}",
            "base_url": "https://api.openai.com/v1",
            "enabled": True,
            "api_keys": [
                f"sk-bench-{index:02d}-{k}-0123456789abcdef" for k in range(KEYS_PER_PROVIDER)
            ],
        }
        request = urllib.request.Request(
            f"{server.base_url}/api/v2/ai/providers",
            data=json.dumps(body).encode(),
            headers={"Coder-Session-Token": server.token, "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 201:
                sys.exit(f"creating a provider answered {response.status}")
    request = urllib.request.Request(
        f"{server.base_url}/api/v2/ai/providers", headers={"Coder-Session-Token": server.token}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        listed = json.load(response)
    if len(listed) != PROVIDERS or any(len(p["api_keys"]) != KEYS_PER_PROVIDER for p in listed):
        sys.exit("the provider list does not hold what was created")


def row(name: str, result: WrkResult) -> str:
    return (
        f"{name:<28} {result.rps:>10.0f} {result.p50_ms:>9.2f} {result.p99_ms:>9.2f}"
        f" {result.requests:>9} {result.errors:>7}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    script = HERE / "get.lua"
    with AiportServer(workers=args.workers) as server:
        create_providers(server)
        env = {"TOKEN": server.token}
        # Warm up both paths (connections, caches, JIT-less but imports and pools).
        run_wrk(
            f"{server.base_url}/healthz", script=script, connections=args.connections, duration_s=2
        )
        run_wrk(
            f"{server.base_url}/api/v2/ai/providers",
            script=script,
            connections=args.connections,
            duration_s=2,
            env=env,
        )
        health = run_wrk(
            f"{server.base_url}/healthz",
            script=script,
            connections=args.connections,
            duration_s=args.duration,
        )
        providers = run_wrk(
            f"{server.base_url}/api/v2/ai/providers",
            script=script,
            connections=args.connections,
            duration_s=args.duration,
            env=env,
        )

    ratio = providers.rps / health.rps if health.rps else 0.0
    print(
        f"aiport registry benchmark: {args.workers} worker(s), concurrency {args.connections}, {args.duration} s each, SQLite"
    )
    print(
        f"{'endpoint':<28} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'requests':>9} {'errors':>7}"
    )
    print(row("GET /healthz", health))
    print(row(f"GET /api/v2/ai/providers ({PROVIDERS}x{KEYS_PER_PROVIDER} keys)", providers))
    ratio_ok = ratio >= TARGET_RATIO
    p99_ok = providers.p99_ms <= TARGET_P99_MS
    errors_ok = providers.errors == 0 and health.errors == 0
    print(
        f"ratio list/healthz: {ratio:.2f}   target >= {TARGET_RATIO:.2f}   {'PASS' if ratio_ok else 'FAIL'}"
    )
    print(
        f"list p99: {providers.p99_ms:.2f} ms   target <= {TARGET_P99_MS:.0f} ms   {'PASS' if p99_ok else 'FAIL'}"
    )
    print(
        f"errors: {providers.errors + health.errors}   target 0   {'PASS' if errors_ok else 'FAIL'}"
    )
    return 0 if ratio_ok and p99_ok and errors_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
