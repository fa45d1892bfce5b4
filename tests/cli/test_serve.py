"""`aiport serve` as a real process: bootstrap on first start only, bad settings in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.polling import eventually_sync

AIPORT = str(Path(sys.executable).parent / "aiport")
BOOTSTRAP_TOKEN = "operator-chosen-bootstrap-token-0123456789"


def _env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIPORT_")}
    return env | overrides


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _serving(env: dict[str, str], output: list[str]) -> Iterator[str]:
    """Run the server until the block ends; its stdout lands in `output`."""
    port = _free_port()
    process = subprocess.Popen(
        [AIPORT, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        assert process.poll() is None, "aiport serve exited"
        try:
            return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        eventually_sync(ready, within=30, what="aiport serve became ready")
        yield base
    finally:
        process.terminate()
        stdout, _ = process.communicate(timeout=30)
        output.append(stdout)


@pytest.fixture
def serve_env(database_url: str, tmp_path: Path, secret_key: str) -> dict[str, str]:
    return _env(
        AIPORT_DATA_DIR=str(tmp_path / "data"),
        AIPORT_DATABASE_URL=database_url,
        AIPORT_SECRET_KEYS=secret_key,
        AIPORT_LOG_LEVEL="WARNING",
    )


def _whoami(base: str, token: str) -> httpx.Response:
    return httpx.get(f"{base}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})


def test_first_start_creates_the_admin_and_default_workspace_once(
    serve_env: dict[str, str],
) -> None:
    first: list[str] = []
    with _serving(serve_env, first):
        pass
    assert "shown once" in first[0]
    token = first[0].strip().splitlines()[-1].strip()

    second: list[str] = []
    with _serving(serve_env, second) as base:
        me = _whoami(base, token)
        workspaces = httpx.get(
            f"{base}/api/v1/workspaces", headers={"Authorization": f"Bearer {token}"}
        )
        users = httpx.get(f"{base}/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert (me.json()["email"], me.json()["is_admin"]) == ("admin@localhost", True)
    assert [(w["id"], w["name"], w["role"]) for w in workspaces.json()] == [(1, "Default", "admin")]
    assert len(users.json()) == 1
    assert second[0] == ""


def test_the_bootstrap_token_is_taken_as_given(serve_env: dict[str, str]) -> None:
    output: list[str] = []
    with _serving(serve_env | {"AIPORT_BOOTSTRAP_TOKEN": BOOTSTRAP_TOKEN}, output) as base:
        me = _whoami(base, BOOTSTRAP_TOKEN)
    assert me.json()["email"] == "admin@localhost"
    assert output[0] == ""


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            {"AIPORT_SECRET_KEYS": "not-base64!"},
            "aiport: bad setting: AIPORT_SECRET_KEYS entry 1 is not valid base64",
        ),
        (
            {"AIPORT_SECRET_KEYS": "c2hvcnQ="},
            "aiport: bad setting: AIPORT_SECRET_KEYS entry 1 decodes to 5 bytes, expected 32",
        ),
        (
            {"AIPORT_BOOTSTRAP_TOKEN": "too-short"},
            "aiport: bad setting: AIPORT_BOOTSTRAP_TOKEN must be at least 32 characters",
        ),
        (
            {"AIPORT_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:1/x"},
            "aiport: cannot reach the database: ",
        ),
        (
            {"AIPORT_DATABASE_URL": "not a url"},
            "aiport: bad setting: AIPORT_DATABASE_URL: ",
        ),
        (
            {"AIPORT_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/x"},
            "aiport: bad setting: AIPORT_DATABASE_URL needs an async driver",
        ),
        (
            {"AIPORT_MAX_BODY_BYTES": "lots"},
            "aiport: bad setting: AIPORT_MAX_BODY_BYTES: ",
        ),
    ],
    ids=[
        "keys-not-base64",
        "key-too-short",
        "bootstrap-token-too-short",
        "database-unreachable",
        "database-url-malformed",
        "database-driver-not-async",
        "number-not-a-number",
    ],
)
def test_a_bad_setting_stops_serve_with_one_clear_line(
    tmp_path: Path, setting: dict[str, str], expected: str
) -> None:
    result = subprocess.run(
        [AIPORT, "serve", "--port", str(_free_port())],
        env=_env(AIPORT_DATA_DIR=str(tmp_path)) | setting,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected)
    assert result.stdout == ""
