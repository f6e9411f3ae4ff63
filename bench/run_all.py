"""Run the event-path and roster benchmarks, one after the other: `make bench`, or

    uv run python bench/run_all.py [--db sqlite|postgresql|both]

Each benchmark runs as a subprocess with this interpreter, on both databases unless `--db` says
otherwise, and its output streams through as it comes. The figures are printed beside baselines
measured in the same run and never asserted: the exit code is non-zero only when a benchmark
crashed (for example, PostgreSQL was unreachable).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# The ones `make bench` runs. The seniority run's and the payroll run's targets are stated for
# PostgreSQL (100,000 workers), and so are recruitment's (the application burst, the scoring of
# 10,000 applications), so they run there only, unless --db asks for SQLite alone.
BENCHMARKS = [
    "event_path.py",
    "roster_import_and_list.py",
    "grading_seniority.py",
    "payroll_run.py",
    "recruitment_applications.py",
    "recruitment_scoring.py",
]
POSTGRESQL_ONLY = {
    "grading_seniority.py",
    "payroll_run.py",
    "recruitment_applications.py",
    "recruitment_scoring.py",
}


def git(*args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=BENCH, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the benchmarks listed in BENCHMARKS, in turn."
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    print(
        f"benchmarks at {commit}, {os.cpu_count()} CPUs, load average (1/5/15 min) "
        f"{load_average()}, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
        flush=True,
    )
    print("figures are printed beside same-run baselines, never asserted", flush=True)

    outcomes: list[tuple[str, int, float]] = []
    for name in BENCHMARKS:
        db = "postgresql" if name in POSTGRESQL_ONLY and args.db == "both" else args.db
        command = [sys.executable, str(BENCH / name), "--db", db]
        print(f"\n=== {name} (--db {db}) " + "=" * max(0, 70 - len(name)), flush=True)
        began = time.perf_counter()
        try:
            code = subprocess.run(command, check=False).returncode  # streams: same stdout/err
        except KeyboardInterrupt:
            print(f"\ninterrupted during {name}", file=sys.stderr)
            return 130
        outcomes.append((name, code, time.perf_counter() - began))

    print(f"\n=== done; load average now {load_average()}")
    for name, code, took in outcomes:
        status = "ok" if code == 0 else f"CRASHED (exit code {code})"
        print(f"  {name:<28} {took:6.0f} s  {status}")
    return 0 if all(code == 0 for _, code, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
