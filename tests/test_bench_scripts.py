"""Every benchmark still runs against the code it measures: each script, at a size that takes
seconds, on SQLite, must finish without crashing. The figures are not looked at (benchmarks
print, they never assert); a script that no longer matches a service's signature is caught here
rather than the next time someone runs `make bench`. The payroll run's bench once crashed for a
whole issue because `draft` had gained an argument."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"

SMALL = {
    "payroll_run.py": ["--db", "sqlite", "--workers", "300"],
    "grading_seniority.py": ["--db", "sqlite", "--workers", "300"],
    "roster_import_and_list.py": ["--db", "sqlite", "--rows", "200", "--requests", "40"],
    "recruitment_applications.py": ["--db", "sqlite", "--applications", "60", "--warm-up", "20"],
    "recruitment_scoring.py": ["--db", "sqlite", "--applications", "300", "--postings", "8"],
    "grading_ladder_speed.py": [],
    "payroll_pay_speed.py": [],
}


@pytest.mark.parametrize("script", SMALL, ids=SMALL)
def test_a_benchmark_runs_at_a_small_size(script: str):
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *SMALL[script]],
        cwd=BENCH,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "CRASHED" not in done.stdout and "ERROR" not in done.stdout, done.stdout[-3000:]


def test_the_bench_runner_lists_only_scripts_that_exist():
    sys.path.insert(0, str(BENCH))
    try:
        import run_all
    finally:
        sys.path.remove(str(BENCH))
    assert run_all.BENCHMARKS and all((BENCH / name).is_file() for name in run_all.BENCHMARKS)
    assert set(SMALL) >= set(run_all.BENCHMARKS) - {"event_path.py"}
