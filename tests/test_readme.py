"""The README's "Trying it by hand" block, run as a new user would run it: the platform started
as `make run` starts it (embedded broker, SQLite, all five apps), then the block in a shell whose
PATH has no `uv`, so that `make token` must find its own. Every `curl -sf` in it fails the block
on any non-2xx answer."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from union_dev.platform import SERVICES

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def by_hand_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Trying it by hand", 1)[1].split("\n#", 1)[0]
    (block,) = re.findall(r"```bash\n(.*?)```", section, re.S)
    return block


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def path_without_uv() -> str:
    """PATH minus every directory holding a `uv`, with the interpreter's own bin dropped too."""
    keep = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if (
            entry
            and not (Path(entry) / "uv").exists()
            and Path(entry) != Path(sys.executable).parent
        ):
            keep.append(entry)
    return os.pathsep.join(keep)


@pytest.fixture
def platform(tmp_path):
    busy = [s.port for s in SERVICES if listening(s.port)]
    if busy:
        pytest.fail(f"ports {busy} are taken: the README's block talks to the platform's ports")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    env["DATA_DIR"] = str(tmp_path / "data")
    log = (tmp_path / "platform.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "union_dev.platform", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not all(listening(s.port) for s in SERVICES):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "the platform did not come up:\n"
                    + (tmp_path / "platform.log").read_text()[-4000:]
                )
            time.sleep(0.5)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("make") is None, reason="needs curl and make"
)
def test_the_readme_block_runs_on_a_fresh_shell(platform, tmp_path):
    block = by_hand_block()
    assert "make token" in block and "uv run" not in block
    script = tmp_path / "by_hand.sh"
    # Each command's output on a line of its own, so every reply can be read back as JSON.
    script.write_text(
        "set -euo pipefail\n" + block.replace("\ncurl ", "\necho\ncurl "), encoding="utf-8"
    )
    # A second terminal: no virtualenv, no uv, and not inside `make test` (a make started by
    # another make prints "Entering directory" on stdout, which a fresh shell never sees).
    inherited = ("VIRTUAL_ENV", "UV", "MAKELEVEL", "MAKEFLAGS", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env["PATH"] = path_without_uv()
    done = subprocess.run(
        ["bash", str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    units, worker, compliance = replies
    assert [u["name"] for u in units] == ["天津市总工会"]
    assert (worker["name"], worker["unit_id"], worker["hire_date"]) == (
        "张伟",
        units[0]["id"],
        "2024-03-01",
    )
    # Registered without a written contract: the compliance view names the worker.
    assert worker["id"] in json.dumps(compliance)
