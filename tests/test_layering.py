"""Domain code stays pure: importing any feature's domain module, the ladder, the pay core or
the shared errors and vocabulary loads no web framework and no database toolkit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEATURES = sorted(
    ".".join(path.relative_to(path.parents[2]).with_suffix("").parts)
    for path in ROOT.glob("services/*/*/*/domain.py")
)
PURE = [
    *FEATURES,
    "grading.ladder.engine",
    "grading.ladder.policy",
    "payroll.pay.compute",
    "payroll.pay.tax",
    "union_shared.errors",
    "union_shared.vocabulary",
    "union_shared.money",
]
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy", "aiokafka", "httpx")

PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
print(",".join(m for m in {frameworks!r} if m in sys.modules))
"""


def test_every_domain_module_is_found():
    assert len(PURE) > 10 and "roster.identity.domain" in PURE


@pytest.mark.parametrize("module", PURE)
def test_a_domain_module_imports_no_framework(module: str):
    probe = PROBE.format(frameworks=FRAMEWORKS)
    done = subprocess.run(
        [sys.executable, "-c", probe, module], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "", f"{module} loads {done.stdout.strip()}"
