"""Gateway benchmark: aiport against the bare upstream, a bare Python proxy and LiteLLM, one run.

The fake OpenAI upstream (bench/upstream/, a copy of ../shared/bench/) answers every chat completion at once; wrk (with
chat.lua) drives each target at concurrency 1, 32 and 128, plain and streaming:

- direct:  the fake upstream itself (what every other target adds to);
- floor:   bench/floor_proxy.py, a bare pass-through proxy, 2 workers (the Python floor);
- aiport:  `aiport serve --workers 2` on a fresh SQLite store, a provider made through the API;
- litellm: LiteLLM's proxy, 2 workers, no database, LITELLM_LOCAL_MODEL_COST_MAP=True.

It prints requests/s, p50/p99 latency, the latency added over direct, errors and the peak RSS per
worker, then the targets with PASS/FAIL. The measuring run happens in a fresh network namespace
(`unshare -n`, loopback only); prepare once, outside it (needs the package registries):

    BENCH_WORK=.bench-work bash bench/upstream/run_bench.sh --setup     # wrk, LiteLLM's venv
    .venv/bin/python bench/gateway.py [--duration 10] [--targets direct,floor,aiport,litellm]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import AiportServer, WrkResult, run_wrk, wait_ready

ROOT = Path(__file__).resolve().parent.parent
# The fake upstream, wrk script and process monitor: copies in bench/upstream/ of the shared ones.
SHARED = Path(os.environ.get("AIPORT_BENCH_SHARED", ROOT / "bench" / "upstream"))
WORK = Path(os.environ.get("BENCH_WORK", ROOT / ".bench-work"))
UPSTREAM_PORT = 18080  # LiteLLM's config from run_bench.sh --setup points here
PYTHON = sys.executable
MODES = ("plain", "stream")
CONCURRENCIES = (1, 32, 128)

TARGET_ADDED_P50_MS = 0.5
TARGET_ADDED_P99_MS = 2.0
TARGET_RPS_C32 = 3000.0
TARGET_VS_LITELLM = 15.0
TARGET_VS_FLOOR = 0.70
TARGET_RSS_MB = 150.0


@dataclass(frozen=True)
class Measured:
    result: WrkResult
    rss_worker_mb: float
    # CPU time the target's processes spent per request (robust when the machine is busy).
    cpu_ms_per_request: float


@dataclass
class Target:
    name: str
    url: str
    model: str
    api_key: str
    pid: int


def start_upstream() -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [PYTHON, str(SHARED / "fake_openai_upstream.py"), "--port", str(UPSTREAM_PORT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_ready(f"http://127.0.0.1:{UPSTREAM_PORT}/health", process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        subprocess.run(["pkill", "-KILL", "-P", str(process.pid)], check=False)
        process.kill()
        process.wait()


def start_floor(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            PYTHON, "-m", "uvicorn", "bench.floor_proxy:app", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "2", "--loop", "uvloop", "--http", "httptools",
            "--log-level", "warning", "--no-access-log",
        ],
        cwd=ROOT,
        env={**os.environ, "UPSTREAM": f"http://127.0.0.1:{UPSTREAM_PORT}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_ready(f"http://127.0.0.1:{port}/health", process)
    return process


def litellm_env() -> tuple[Path, dict[str, str]] | None:
    litellm = WORK / "venv-litellm" / "bin" / "litellm"
    env_file = WORK / "litellm" / "env.sh"
    if not litellm.exists() or not env_file.exists():
        return None
    exported = subprocess.run(
        ["bash", "-c", f"source {env_file} && env -0"], capture_output=True, check=True
    ).stdout
    env = dict(line.split("=", 1) for line in exported.decode().split("\0") if "=" in line)
    return litellm, env


def start_litellm(port: int) -> tuple[subprocess.Popen[bytes], str]:
    found = litellm_env()
    assert found is not None
    litellm, env = found
    log = (WORK / "litellm" / "bench.log").open("wb")
    process = subprocess.Popen(
        [
            str(litellm),
            "--config",
            "config.yaml",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--num_workers",
            "2",
        ],
        cwd=WORK / "litellm",
        env=env,
        stdout=log,
        stderr=log,
    )
    wait_ready(f"http://127.0.0.1:{port}/health/liveliness", process, timeout=300)
    return process, env["LITELLM_MASTER_KEY"]


def create_bench_provider(server: AiportServer) -> None:
    body = {
        "type": "openai",
        "name": "bench",
        "base_url": f"http://127.0.0.1:{UPSTREAM_PORT}/v1",
        "enabled": True,
        "api_keys": ["sk-bench-0123456789abcdef0123456789abcdef"],
    }
    request = urllib.request.Request(
        f"{server.base_url}/api/v2/ai/providers",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201, response.status


def measure(target: Target, mode: str, connections: int, duration: int) -> Measured:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        monitor = subprocess.Popen([PYTHON, str(SHARED / "procmon.py"), str(target.pid), out.name])
        try:
            result = run_wrk(
                target.url,
                script=SHARED / "chat.lua",
                connections=connections,
                duration_s=duration,
                env={
                    "MODEL": target.model,
                    "API_KEY": target.api_key,
                    "STREAM": "1" if mode == "stream" else "0",
                },
            )
        finally:
            monitor.send_signal(signal.SIGTERM)
            monitor.wait()
        stats = json.loads(Path(out.name).read_text())
    # VmHWM of the largest process in the tree: the peak RSS of the biggest worker.
    cpu_ms = stats["cpu_s"] * 1000 / max(result.requests, 1)
    return Measured(result, stats["hwm_max_mb"], cpu_ms)


def warm_up(target: Target) -> None:
    for mode, seconds in (("plain", 4), ("stream", 2)):
        run_wrk(
            target.url,
            script=SHARED / "chat.lua",
            connections=32,
            duration_s=seconds,
            env={
                "MODEL": target.model,
                "API_KEY": target.api_key,
                "STREAM": "1" if mode == "stream" else "0",
            },
        )


def run_target(
    target: Target,
    duration: int,
    results: dict[tuple[str, str, int], Measured],
    direct: Target | None = None,
) -> None:
    warm_up(target)
    for mode in MODES:
        for connections in CONCURRENCIES:
            if connections == 1 and direct is not None:
                # The added latency at c1 is a difference of small numbers: the baseline is
                # measured right before, so a busy moment of the machine hits both alike.
                baseline = measure(direct, mode, 1, duration)
                results[(f"direct@{target.name}", mode, 1)] = baseline
                b = baseline.result
                print(
                    f"  {'(direct)':8} {mode:6} c1    {b.rps:9.1f} req/s  p50 {b.p50_ms:7.3f} ms"
                    f"  p99 {b.p99_ms:7.3f} ms  (baseline for {target.name})",
                    flush=True,
                )
            measured = measure(target, mode, connections, duration)
            results[(target.name, mode, connections)] = measured
            r = measured.result
            print(
                f"  {target.name:8} {mode:6} c{connections:<4} {r.rps:9.1f} req/s  p50 {r.p50_ms:7.3f} ms"
                f"  p99 {r.p99_ms:7.3f} ms  errors {r.errors}  rss/worker {measured.rss_worker_mb:.0f} MB"
                f"  cpu/req {measured.cpu_ms_per_request:.3f} ms",
                flush=True,
            )


def report(results: dict[tuple[str, str, int], Measured], names: list[str]) -> bool:
    print(
        "\n| target | mode | conc | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | errors | peak RSS/worker MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in names:
        for mode in MODES:
            for conc in CONCURRENCIES:
                m = results.get((name, mode, conc))
                if m is None:
                    continue
                d = results.get((f"direct@{name}", mode, conc)) or results.get(
                    ("direct", mode, conc)
                )
                added = (
                    (
                        f"{m.result.p50_ms - d.result.p50_ms:.3f}",
                        f"{m.result.p99_ms - d.result.p99_ms:.3f}",
                    )
                    if d and name != "direct"
                    else ("–", "–")
                )
                print(
                    f"| {name} | {mode} | {conc} | {m.result.rps:.0f} | {m.result.p50_ms:.3f} | {m.result.p99_ms:.3f} "
                    f"| {added[0]} | {added[1]} | {m.result.errors} | {m.rss_worker_mb:.0f} "
                    f"| {m.cpu_ms_per_request:.3f} |"
                )
    checks: list[tuple[str, bool | None, str]] = []

    def get(name: str, mode: str, conc: int) -> Measured | None:
        return results.get((name, mode, conc))

    for mode in MODES:
        a, d = get("aiport", mode, 1), get("direct@aiport", mode, 1) or get("direct", mode, 1)
        if a and d:
            p50 = a.result.p50_ms - d.result.p50_ms
            p99 = a.result.p99_ms - d.result.p99_ms
            checks.append(
                (
                    f"{mode}: added latency at c1, p50 <= {TARGET_ADDED_P50_MS} ms",
                    p50 <= TARGET_ADDED_P50_MS,
                    f"{p50:.3f} ms",
                )
            )
            checks.append(
                (
                    f"{mode}: added latency at c1, p99 <= {TARGET_ADDED_P99_MS} ms",
                    p99 <= TARGET_ADDED_P99_MS,
                    f"{p99:.3f} ms",
                )
            )
        a32 = get("aiport", mode, 32)
        if a32:
            checks.append(
                (
                    f"{mode}: c32 >= {TARGET_RPS_C32:.0f} req/s",
                    a32.result.rps >= TARGET_RPS_C32,
                    f"{a32.result.rps:.0f} req/s",
                )
            )
            l32 = get("litellm", mode, 32)
            if l32:
                ratio = a32.result.rps / max(l32.result.rps, 0.1)
                checks.append(
                    (
                        f"{mode}: c32 >= {TARGET_VS_LITELLM:.0f}x LiteLLM",
                        ratio >= TARGET_VS_LITELLM,
                        f"{ratio:.1f}x ({l32.result.rps:.0f} req/s)",
                    )
                )
            else:
                checks.append(
                    (
                        f"{mode}: c32 >= {TARGET_VS_LITELLM:.0f}x LiteLLM",
                        None,
                        "LiteLLM not measured",
                    )
                )
            f32 = get("floor", mode, 32)
            if f32:
                ratio = a32.result.rps / max(f32.result.rps, 0.1)
                checks.append(
                    (
                        f"{mode}: c32 >= {TARGET_VS_FLOOR:.0%} of the bare-proxy floor",
                        ratio >= TARGET_VS_FLOOR,
                        f"{ratio:.0%} ({f32.result.rps:.0f} req/s)",
                    )
                )
        a128 = get("aiport", mode, 128)
        if a128:
            checks.append(
                (
                    f"{mode}: no errors at c128",
                    a128.result.errors == 0,
                    f"{a128.result.errors} errors",
                )
            )
    rss = [m.rss_worker_mb for (n, _mode, _c), m in results.items() if n == "aiport"]
    if rss:
        checks.append(
            (
                f"peak RSS per worker <= {TARGET_RSS_MB:.0f} MB",
                max(rss) <= TARGET_RSS_MB,
                f"{max(rss):.0f} MB",
            )
        )
    print("\n| target | result | measured |\n|---|---|---|")
    for label, passed, value in checks:
        verdict = "n/a" if passed is None else ("PASS" if passed else "FAIL")
        print(f"| {label} | {verdict} | {value} |")
    return all(p is not False for _l, p, _v in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DUR", "10")))
    parser.add_argument("--targets", default="direct,floor,aiport,litellm")
    parser.add_argument(
        "--no-unshare", action="store_true", help="measure in the current network namespace"
    )
    args = parser.parse_args()
    if not args.no_unshare and os.environ.get("AIPORT_BENCH_NETNS") != "1":
        if shutil.which("unshare") is None:
            sys.exit("unshare is missing: run with --no-unshare to measure in this namespace")
        os.environ["AIPORT_BENCH_NETNS"] = "1"
        os.execvp("unshare", ["unshare", "-n", PYTHON, __file__, *sys.argv[1:]])
    if os.environ.get("AIPORT_BENCH_NETNS") == "1":
        subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    if "litellm" in names and litellm_env() is None:
        print(
            f"LiteLLM is not set up in {WORK}: BENCH_WORK={WORK} bash {SHARED}/run_bench.sh --setup"
        )
        names.remove("litellm")
    results: dict[tuple[str, str, int], Measured] = {}
    upstream = start_upstream()
    print(f"fake upstream on 127.0.0.1:{UPSTREAM_PORT}; {args.duration} s per run", flush=True)
    direct = Target(
        "direct",
        f"http://127.0.0.1:{UPSTREAM_PORT}/v1/chat/completions",
        "gpt-4o-mini",
        "",
        upstream.pid,
    )
    try:
        for name in names:
            started = time.monotonic()
            if name == "direct":
                run_target(direct, args.duration, results)
            elif name == "floor":
                floor = start_floor(18081)
                try:
                    url = "http://127.0.0.1:18081/v1/chat/completions"
                    target = Target(name, url, "gpt-4o-mini", "", floor.pid)
                    run_target(target, args.duration, results, direct)
                finally:
                    stop(floor)
            elif name == "aiport":
                with AiportServer(workers=2) as server:
                    assert server.process is not None
                    create_bench_provider(server)
                    url = f"{server.base_url}/v1/chat/completions"
                    target = Target(
                        name, url, "bench/gpt-4o-mini", server.token, server.process.pid
                    )
                    run_target(target, args.duration, results, direct)
            elif name == "litellm":
                process, key = start_litellm(4000)
                try:
                    url = "http://127.0.0.1:4000/v1/chat/completions"
                    target = Target(name, url, "gpt-4o-mini", key, process.pid)
                    run_target(target, args.duration, results, direct)
                finally:
                    stop(process)
            print(f"  ({name}: {time.monotonic() - started:.0f} s)", flush=True)
    finally:
        stop(upstream)
    passed = report(results, names)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
