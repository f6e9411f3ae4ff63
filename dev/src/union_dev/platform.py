"""The platform's services and how to run them all on one machine (`make run`, `make migrate`).

Each service keeps its own database URL variable (`ROSTER_DATABASE_URL` ...) and reads the one
`KAFKA_BOOTSTRAP_SERVERS`; unset, they fall back to SQLite files under DATA_DIR and the embedded
broker, started here.

`make run` supervises the services: one that dies is started again after a pause that doubles
from 1 s up to 30 s (and starts over at 1 s once it has stayed up for a minute), while the others
and the broker keep running. Ctrl-C or SIGTERM stops the services, then the broker.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from union_dev.broker import EmbeddedBroker
from union_shared.migrations import upgrade

ROOT = Path(__file__).resolve().parents[3]

log = structlog.get_logger(__name__)


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

    def child(self, host: str, env: Mapping[str, str]) -> Child:
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            f"{self.name}.main:create_app",
            "--factory",
            "--host",
            host,
            "--port",
            str(self.port),
            "--timeout-graceful-shutdown",
            "20",
            "--no-access-log",
        ]
        return Child(self.name, argv, {**env, self.database_env: self.database_url()}, self.port)


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


# -- supervision ---------------------------------------------------------------------------------
# A dozen lines of bookkeeping, not a retry library: stamina and friends retry a call that raises,
# while this watches long-lived processes and must keep every other one running meanwhile.


@dataclass(frozen=True)
class Backoff:
    """The pause before restarting a process that died: `initial_s` doubling per death up to
    `max_s`; a process that had stayed up for `stable_s` starts over at `initial_s`."""

    initial_s: float = 1.0
    max_s: float = 30.0
    stable_s: float = 60.0

    def delay(self, deaths_in_a_row: int) -> float:
        return min(self.initial_s * 2 ** max(deaths_in_a_row - 1, 0), self.max_s)


@dataclass(frozen=True)
class Child:
    """One supervised process: its command line, its environment and the port it serves."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    port: int | None = None


@dataclass
class _Running:
    child: Child
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    deaths_in_a_row: int = 0
    restarts: int = 0
    restart_at: float | None = None  # set while it waits out its backoff


@dataclass
class Supervisor:
    """Starts the children, restarts any that exits, and stops them all on `stop()`.

    Not thread-safe beyond this: one thread runs `run()`, another may set its stop event and
    read `pid()`. Signals are `supervise()`'s business, so tests can drive this directly.
    """

    children: Sequence[Child]
    backoff: Backoff = field(default_factory=Backoff)
    stop_timeout_s: float = 25.0  # > uvicorn's --timeout-graceful-shutdown
    host: str = "127.0.0.1"  # where the children's ports are probed
    _running: dict[str, _Running] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for child in self.children:
            self._running[child.name] = _Running(child)

    def pid(self, name: str) -> int | None:
        process = self._running[name].process
        return None if process is None or process.poll() is not None else process.pid

    def restarts(self, name: str) -> int:
        return self._running[name].restarts

    def started_at(self, name: str) -> float:
        """When (time.monotonic) the child's current process was started."""
        return self._running[name].started_at

    def start(self) -> None:
        for running in self._running.values():
            self._spawn(running)

    def _spawn(self, running: _Running) -> None:
        child = running.child
        running.process = subprocess.Popen(
            list(child.argv),
            env=dict(child.env),
            start_new_session=True,  # Ctrl-C is ours to pass on, in order
        )
        running.started_at = time.monotonic()
        running.restart_at = None

    def check(self) -> None:
        """One round: notice children that exited, restart those whose pause is over."""
        now = time.monotonic()
        for running in self._running.values():
            process = running.process
            if running.restart_at is None and process is not None and process.poll() is not None:
                uptime = now - running.started_at
                if uptime >= self.backoff.stable_s:
                    running.deaths_in_a_row = 0
                running.deaths_in_a_row += 1
                delay = self.backoff.delay(running.deaths_in_a_row)
                running.restart_at = now + delay
                log.warning(
                    "service.exited",
                    service=running.child.name,
                    pid=process.pid,
                    returncode=process.returncode,
                    uptime_s=round(uptime, 1),
                    restart_in_s=delay,
                )
            if running.restart_at is not None and now >= running.restart_at:
                previous_pid = process.pid if process is not None else None
                self._spawn(running)
                running.restarts += 1
                log.warning(
                    "service.restarted",
                    service=running.child.name,
                    pid=self.pid(running.child.name),
                    previous_pid=previous_pid,
                    restarts=running.restarts,
                    deaths_in_a_row=running.deaths_in_a_row,
                )

    def all_listening(self) -> bool:
        return all(
            _listening(self.host, r.child.port) for r in self._running.values() if r.child.port
        )

    def run(
        self,
        stop: threading.Event,
        *,
        poll_s: float = 0.2,
        on_up: Callable[[], None] | None = None,
    ) -> None:
        """Supervise until `stop` is set; `on_up` runs once, when every child's port answers."""
        announced = on_up is None
        while not stop.is_set():
            self.check()
            if not announced and self.all_listening():
                announced = True
                on_up()
            stop.wait(poll_s)

    def stop(self) -> None:
        """SIGTERM every child, wait for them all (killing any still up at the deadline)."""
        alive = []
        for running in self._running.values():
            running.restart_at = None
            process = running.process
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                alive.append(running)
        deadline = time.monotonic() + self.stop_timeout_s
        for running in alive:
            assert running.process is not None
            try:
                running.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                running.process.kill()
                running.process.wait()
            log.info(
                "service.stopped",
                service=running.child.name,
                pid=running.process.pid,
                returncode=running.process.returncode,
            )


def _listening(host: str, port: int | None) -> bool:
    if port is None:
        return True
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
        return True
    return False


def supervise(
    children: Sequence[Child],
    broker: EmbeddedBroker | None = None,
    *,
    backoff: Backoff | None = None,
    host: str = "127.0.0.1",
    on_up: Callable[[], None] | None = None,
) -> int:
    """Run `children` under a Supervisor until SIGINT or SIGTERM, then stop them, then `broker`.

    Call from the main thread (it installs the signal handlers, restoring them afterwards).
    """
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("platform.stopping", signal=signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    supervisor = Supervisor(children, backoff=backoff or Backoff(), host=host)
    try:
        supervisor.start()
        supervisor.run(stop, on_up=on_up)
    finally:
        supervisor.stop()  # the services first: they commit offsets and flush on the broker
        if broker is not None:
            broker.stop()
            log.info("broker.stopped")
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def start_embedded_broker(env: dict[str, str], port: int = 9092) -> EmbeddedBroker | None:
    """Start Tansu unless `env` names a broker; point `env` at it (and at the consumer timings
    that suit it, where `env` has none of its own). Its log goes to DATA_DIR/tansu.log."""
    if env.get("KAFKA_BOOTSTRAP_SERVERS"):
        return None
    from union_shared.settings import data_dir

    folder = data_dir()
    # Made here whatever the databases are: with every service on PostgreSQL no SQLite file
    # creates it, and the broker log still needs it.
    folder.mkdir(parents=True, exist_ok=True)
    broker = EmbeddedBroker(port=port, log_file=folder / "tansu.log").start()
    for key, value in broker.client_env().items():
        env.setdefault(key, value)
    env["KAFKA_BOOTSTRAP_SERVERS"] = broker.bootstrap_servers
    return broker


def run(host: str) -> int:
    from union_shared.observability import configure_logging

    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    migrate_all()
    env = dict(os.environ)
    broker = start_embedded_broker(env)
    if broker is not None:
        print(f"broker       embedded Tansu on {broker.bootstrap_servers}", flush=True)

    def announce() -> None:
        print("\nThe platform is up. API docs:", flush=True)
        for service in SERVICES:
            print(f"  {service.name:<12} http://127.0.0.1:{service.port}/docs", flush=True)
        print("Ctrl-C stops everything.\n", flush=True)

    children = [service.child(host, env) for service in SERVICES]
    probe = host if host != "0.0.0.0" else "127.0.0.1"
    code = supervise(children, broker, host=probe, on_up=announce)
    print("stopped", flush=True)
    return code


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
