"""The platform's services and how to run them all on one machine (`make run`, `make migrate`).

Each service keeps its own database URL variable (`ROSTER_DATABASE_URL` ...) and reads the one
`KAFKA_BOOTSTRAP_SERVERS`; unset, they fall back to SQLite files under DATA_DIR and the embedded
broker, started here.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from union_shared.broker import EmbeddedBroker, wait_for_port
from union_shared.migrations import upgrade

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Service:
    name: str
    port: int

    @property
    def directory(self) -> Path:
        return ROOT / "services" / self.name

    @property
    def database_env(self) -> str:
        return f"{self.name.upper()}_DATABASE_URL"

    def database_url(self) -> str:
        from union_shared.settings import data_dir

        url = os.environ.get(self.database_env)
        if url:
            return url
        data_dir().mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{data_dir() / (self.name + '.db')}"


SERVICES = (
    Service("gateway", 8000),
    Service("recruitment", 8001),
    Service("roster", 8002),
    Service("grading", 8003),
    Service("payroll", 8004),
)


def migrate_all() -> None:
    for service in SERVICES:
        url = service.database_url()
        print(f"migrating {service.name:<12} {_redact(url)}", flush=True)
        upgrade(service.directory, url)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run(host: str) -> int:
    migrate_all()
    broker: EmbeddedBroker | None = None
    env = dict(os.environ)
    if not env.get("KAFKA_BOOTSTRAP_SERVERS"):
        from union_shared.settings import data_dir

        broker = EmbeddedBroker(port=9092, log_file=data_dir() / "tansu.log").start()
        env["KAFKA_BOOTSTRAP_SERVERS"] = broker.bootstrap_servers
        print(f"broker       embedded Tansu on {broker.bootstrap_servers}", flush=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for service in SERVICES:
            processes[service.name] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    f"{service.name}.main:create_app",
                    "--factory",
                    "--host",
                    host,
                    "--port",
                    str(service.port),
                    "--timeout-graceful-shutdown",
                    "20",
                    "--no-access-log",
                ],
                env={**env, service.database_env: service.database_url()},
                start_new_session=True,  # Ctrl-C is ours to pass on, in order
            )
        for service in SERVICES:
            wait_for_port(host if host != "0.0.0.0" else "127.0.0.1", service.port, 60)
        print("\nThe platform is up. API docs:", flush=True)
        for service in SERVICES:
            print(f"  {service.name:<12} http://127.0.0.1:{service.port}/docs", flush=True)
        print("Ctrl-C stops everything.\n", flush=True)
        while not stopping:
            for name, proc in processes.items():
                if proc.poll() is not None:
                    print(f"{name} exited with {proc.returncode}; stopping", flush=True)
                    stopping = True
            time.sleep(0.2)
    finally:
        _stop_all(processes)
        if broker is not None:
            broker.stop()
        print("stopped", flush=True)
    return 0


def _stop_all(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in processes.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 25
    for proc in processes.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_cmd = sub.add_parser("run", help="migrate, start the broker and every service")
    run_cmd.add_argument("--host", default="127.0.0.1")
    sub.add_parser("migrate", help="apply every service's migrations")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate_all()
        return 0
    return run(args.host)


if __name__ == "__main__":
    raise SystemExit(main())
