"""Schemathesis against every service over real HTTP: with a valid token, no generated request
may get a 5xx, and every reply must match the service's own OpenAPI (status, content type and
body schema). Each service runs as deployed (uvicorn, its migrated database, the real broker)
with a small unit tree it learned the way it would in production.

Bounded for a 2-core machine and CI: a fixed seed, deterministic generation, a few examples per
operation and a time budget per service. `make fuzz` runs it alone with more examples.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from union_dev.platform import SERVICES
from union_dev.testing.events import unit_tree_events
from union_shared.auth import Role, mint_token
from union_shared.events.catalogue import ROSTER_TOPIC
from union_shared.messaging.bus import ensure_topics
from union_shared.migrations import upgrade
from union_shared.settings import ServiceSettings

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[2]
TREE = ("/fuzz-city/fuzz-district/fuzz-street/", "/fuzz-city/fuzz-other/")
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "8")
BUDGET_S = os.environ.get("FUZZ_SECONDS", "45")
FUZZED = ("roster", "grading", "payroll", "recruitment", "gateway")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _announce_tree(kafka_bootstrap: str) -> None:
    settings = ServiceSettings(service_name="fuzz", kafka_bootstrap_servers=kafka_bootstrap)
    await ensure_topics(settings, [ROSTER_TOPIC])
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for event in unit_tree_events(*TREE):
            await producer.send_and_wait(ROSTER_TOPIC, event.to_bytes(), key=event.subject.encode())
    finally:
        await producer.stop()


def _wait_ready(base: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"service exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{base} not ready")


def _knows_tree(service: str, base: str, token: str) -> bool:
    probe = {"grading": "/distribution", "payroll": "/runs"}.get(service)
    if probe is None:
        return True
    admin = mint_token("fuzz-admin", Role.CITY_ADMIN, unit_id="fuzz-city")
    reply = httpx.get(f"{base}{probe}", headers={"Authorization": f"Bearer {admin}"}, timeout=5)
    return reply.status_code != 403


@pytest.mark.parametrize("service", FUZZED)
def test_no_server_error_and_every_reply_matches_the_schema(service, tmp_path, kafka_bootstrap):
    spec = next(s for s in SERVICES if s.name == service)
    url = f"sqlite+aiosqlite:///{tmp_path / f'{service}.db'}"
    upgrade(spec.directory, url)
    asyncio.run(_announce_tree(kafka_bootstrap))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        spec.database_env: url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "LOG_LEVEL": "warning",
    }
    log = tmp_path / "service.log"
    with log.open("w") as service_log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", f"{service}.main:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=service_log,
        )  # fmt: skip
    try:
        _wait_ready(base, process)
        token = mint_token("fuzz-system", Role.SYSTEM, ttl_s=3600)
        if service == "roster":
            httpx.post(
                f"{base}/units",
                json={"name": "fuzz city", "kind": "city_federation"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
        deadline = time.monotonic() + 30
        while not _knows_tree(service, base, token) and time.monotonic() < deadline:
            time.sleep(0.3)
        result = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "run", f"{base}/openapi.json",
             "--checks", "not_a_server_error,response_schema_conformance",
             "--header", f"Authorization: Bearer {token}",
             "--max-examples", EXAMPLES, "--seed", "20261202", "--generation-deterministic",
             "--workers", "1", "--max-time", BUDGET_S, "--request-timeout", "30",
             "--exclude-path-regex", "^/(healthz|readyz|metrics)$",
             "--warnings", "off", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=int(BUDGET_S) + 120,
        )  # fmt: skip
        print(result.stdout[-4000:])
        assert result.returncode == 0, (
            result.stdout[-20000:] + result.stderr[-3000:] + log.read_text()[-5000:]
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
