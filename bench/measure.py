"""What the benchmarks share: peak memory, the child process that does a timed run, chunked
inserts for setup, profiles, the load average and the machine's busy time, quiet logs, valid
resident ID numbers, and the loop over databases.
Benchmarks run as scripts from this folder, so they import it as `measure`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import insert

from union_shared.resident_id import check_character

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 5_000


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def hwm_mib() -> float | None:
    """The kernel's own peak RSS of this process image (Linux), to cross-check getrusage."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def save_profile(profiler: Any, path: Path) -> None:
    path.write_text(profiler.output_text(unicode=True, show_all=False))
    path.with_suffix(".html").write_text(profiler.output_html())


async def insert_chunked(conn: Any, table: Any, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        await conn.execute(insert(table), rows[start : start + CHUNK])


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def quiet_logs() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )


class RunChild:
    """The process that does a benchmark's timed run: the benchmark script itself, re-run with
    `--child`, reading one JSON order on stdin and answering with one JSON line.

    Start it before the parent builds its population: Linux carries a parent's peak RSS into a
    forked child's getrusage figure, so a child started later would report the parent's peak
    instead of its own."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            self.script,
            "--child",
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )

    async def ask(self, order: dict[str, Any]) -> dict[str, Any]:
        process = self.process
        assert process is not None and process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(order).encode() + b"\n")
        await process.stdin.drain()
        line = await process.stdout.readline()
        await process.wait()
        if process.returncode != 0 or not line:
            raise RuntimeError(f"the bench's child process exited with {process.returncode}")
        return json.loads(line)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def each_database(
    dbs: list[str], run: Callable[[str, Path], Awaitable[Any]],
    failed: Callable[[str, str], Any], prefix: str,
) -> list[Any]:  # fmt: skip
    """`run(db, folder)` for each database in turn, in one temporary folder; a crash is printed
    and kept as `failed(db, "Type: message")`, and the next database still runs."""
    results = []
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        for db in dbs:
            print(f"[{db}] running ...", file=sys.stderr, flush=True)
            began = time.perf_counter()
            try:
                results.append(await run(db, Path(tmp)))
            except Exception as exc:
                traceback.print_exc()
                results.append(failed(db, f"{type(exc).__name__}: {exc}"))
            print(f"[{db}] done in {time.perf_counter() - began:.1f}s", file=sys.stderr, flush=True)
    return results


def machine_busy_s() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user + nice + system + irq + softirq (guest time is inside user; idle, iowait and steal
    # are not this machine's work)
    busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
    return busy / os.sysconf("SC_CLK_TCK")


def resident_ids(count: int, rng: random.Random, born: tuple[int, int] = (1970, 2004)) -> list[str]:
    """`count` distinct valid resident ID numbers (GB 11643) of Tianjin districts, of people
    born in the years `born` (first included, last not), in the rng's random order."""
    numbers: set[str] = set()
    while len(numbers) < count:
        birth = date(rng.randrange(*born), rng.randrange(1, 13), rng.randrange(1, 29))
        region = rng.choice(["120101", "120102", "120103", "120104", "120105", "120106"])
        first17 = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        numbers.add(first17 + check_character(first17))
    return sorted(numbers, key=lambda _: rng.random())
