"""The SQL lint (`make lint`) names each use of a session or statement outside a repository, and
passes on this workspace."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "lint_sql_in_repositories.py"
_spec = importlib.util.spec_from_file_location("lint_sql_in_repositories", SCRIPT)
lint_sql = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lint_sql)

SERVICE = """\
from sqlalchemy import update as sql_update

from demo.models import Thing


async def rename(session, thing_id: str, name: str) -> Thing:
    thing = await session.get(Thing, thing_id)
    thing.name = name
    return thing


class Things:
    async def stamp(self) -> None:
        await self._session.execute(sql_update(Thing).values(stamped=True))
"""
SHARED = """\
async def touch(session) -> None:
    await session.flush()
"""
# The same calls where they belong, or where the lint does not look.
REPOSITORY = """\
from sqlalchemy import select


async def thing(session, thing_id):
    return await session.scalar(select(Thing).where(Thing.id == thing_id))
"""


def _tree(root: Path) -> Path:
    files = {
        "services/demo/demo/things/service.py": SERVICE,
        "services/demo/demo/things/repository.py": REPOSITORY,
        "services/demo/tests/test_things.py": SHARED,
        "services/demo/migrations/versions/0001_things.py": SHARED,
        "shared/src/union_shared/touch.py": SHARED,
        "shared/src/union_shared/deps.py": SHARED,  # allowed: the transaction owner
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_sessions_and_statements_outside_repositories_are_named(tmp_path):
    assert lint_sql.offences(_tree(tmp_path)) == [
        "shared/src/union_shared/touch.py:2: session used: session.flush(...) outside repository.py",
        "services/demo/demo/things/service.py:7: session used: session.get(...) "
        "outside repository.py",
        "services/demo/demo/things/service.py:14: session used: self._session.execute(...) "
        "outside repository.py",
        "services/demo/demo/things/service.py:14: SQL statement built: update(...) "
        "outside repository.py",
    ]


def test_the_script_exits_1_naming_the_line(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(_tree(tmp_path))], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "services/demo/demo/things/service.py:7: session used: session.get" in done.stdout
    assert "shared/src/union_shared/touch.py:2: session used: session.flush" in done.stdout


def test_every_statement_of_this_workspace_is_in_a_repository():
    assert lint_sql.offences() == []
