"""`make run`'s supervisor on real child processes: a child that dies is started again after its
backoff while the others keep running, and a stop ends the services before the broker."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from union_dev import platform
from union_dev.broker import EmbeddedBroker, free_port
from union_dev.platform import Backoff, Child, Supervisor, supervise

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]


def child(name: str, argv: list[str]) -> Child:
    return Child(name, argv, dict(os.environ))


def until(condition, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_backoff_doubles_up_to_its_cap():
    backoff = Backoff(initial_s=1, max_s=30)
    assert [backoff.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_killed_child_is_restarted_and_the_others_keep_running():
    supervisor = Supervisor(
        [child("a", SLEEPER), child("b", SLEEPER)], backoff=Backoff(initial_s=0.2)
    )
    supervisor.start()
    try:
        a, b = supervisor.pid("a"), supervisor.pid("b")
        assert a and b
        os.kill(a, 9)
        killed_at = time.monotonic()
        until(lambda: (supervisor.check(), supervisor.pid("a"))[1] not in (None, a))
        assert time.monotonic() - killed_at >= 0.2  # it waited out its backoff
        assert supervisor.restarts("a") == 1
        assert supervisor.pid("b") == b and supervisor.restarts("b") == 0
    finally:
        supervisor.stop()
    assert supervisor.pid("a") is None and supervisor.pid("b") is None


def test_a_child_that_keeps_dying_waits_longer_each_time():
    supervisor = Supervisor([child("crash", CRASHER)], backoff=Backoff(initial_s=0.1, max_s=0.4))
    stop = threading.Event()
    runner = threading.Thread(target=supervisor.run, args=(stop,), kwargs={"poll_s": 0.01})
    supervisor.start()
    runner.start()
    try:
        started = time.monotonic()
        until(lambda: supervisor.restarts("crash") >= 4)
        # Pauses of 0.1, 0.2, 0.4 and 0.4 s before the four restarts: at least 1.1 s.
        assert time.monotonic() - started >= 1.1
    finally:
        stop.set()
        runner.join()
        supervisor.stop()


class RecordingBroker(EmbeddedBroker):
    """The real embedded broker, noting which services still ran when it was told to stop."""

    def __init__(self, supervised: list[Supervisor]) -> None:
        super().__init__(port=free_port())
        self.supervised = supervised
        self.alive_at_stop: list[str] | None = None

    def stop(self) -> None:
        supervisor = self.supervised[0]
        self.alive_at_stop = [n for n in ("a", "b") if supervisor.pid(n) is not None]
        super().stop()


def test_a_stop_ends_every_service_before_the_broker(monkeypatch):
    made: list[Supervisor] = []
    real = platform.Supervisor

    def recording(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(platform, "Supervisor", recording)
    broker = RecordingBroker(made).start()

    def stop_once_up() -> None:
        # The supervisor's own SIGTERM handler is what a Ctrl-C or `kill` reaches.
        threading.Timer(0.2, os.kill, (os.getpid(), 15)).start()

    port = free_port()
    server = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    children = [Child("a", server, dict(os.environ), port), child("b", SLEEPER)]
    code = supervise(children, broker, on_up=stop_once_up)

    assert code == 0
    assert broker.alive_at_stop == []
    assert broker.process is not None and broker.process.poll() is not None


def test_the_embedded_broker_makes_its_data_folder(tmp_path: Path, monkeypatch):
    # Every service on PostgreSQL: no SQLite file makes DATA_DIR, yet the broker logs there.
    folder = tmp_path / "fresh" / "data"
    monkeypatch.setenv("DATA_DIR", str(folder))
    env: dict[str, str] = {}
    broker = platform.start_embedded_broker(env, port=free_port())
    assert broker is not None
    try:
        assert (folder / "tansu.log").exists()
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == broker.bootstrap_servers
        assert env["KAFKA_CONSUMER_SESSION_TIMEOUT_MS"] == "2000"
    finally:
        broker.stop()
