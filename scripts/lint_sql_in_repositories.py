"""Keep every SQL statement in a `repository.py` module (STYLE.md, habit 4).

Parses (never imports) every module of `shared/src` and of each service's package, tests and
migrations aside, and flags, outside repository.py and the few infrastructure modules below:

- a method of an AsyncSession or connection called on something named like one (`session`,
  `self._session`, `conn`, ...): `session.get(...)`, `session.flush()`, `conn.execute(...)`;
- a statement executed on anything at all (`.execute(`, `.scalars(`, `.stream(` ...), such as
  `(await session.connection()).execute(query)`;
- a SQLAlchemy statement built there: `select(...)`, `insert(...)`, `update(...)`,
  `delete(...)`, `text(...)` imported from sqlalchemy, under whatever name it was imported.

Exit 1 with file:line and what for each offence. `python scripts/lint_sql_in_repositories.py
[ROOT]` lints another tree laid out like this one (the tests do).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Modules that own a session or a connection by design, so may use it directly. Paths relative
# to the workspace root; the reason says why each is not, or is in effect, a repository.
ALLOWED = {
    "shared/src/union_shared/db.py": "builds the engines: per-connection pragmas and BEGIN",
    "shared/src/union_shared/deps.py": "the request's session dependency, the transaction owner",
    "shared/src/union_shared/migrations.py": "runs Alembic on a connection it opens and commits",
    "shared/src/union_shared/app.py": "the readiness probe's SELECT 1 on a fresh connection",
    "shared/src/union_shared/bulk.py": "the COPY/executemany primitive repositories call",
    "shared/src/union_shared/audit.py": "the repository of the shared audit_log table in effect",
    "shared/src/union_shared/idempotency.py": "the repository of the Idempotency-Key store",
    "shared/src/union_shared/scope.py": "UnitTree: the repository of the unit_tree copy",
    "shared/src/union_shared/messaging/relay.py": "the relay: its own sessions on the outbox",
    "shared/src/union_shared/messaging/consumer.py": "the inbox: a handler's unit of work",
    "shared/src/union_shared/messaging/admin.py": "the dead-letter store and its replay",
}
SKIPPED_DIRS = {"tests", "migrations", "__pycache__"}

# Names a session or a connection goes by, as a variable or an attribute (`self._session`).
SESSION_NAMES = {"session", "_session", "db_session", "conn", "connection"}
# AsyncSession and AsyncConnection methods that read, write or end the transaction.
SESSION_METHODS = {
    "add", "add_all", "commit", "connection", "delete", "exec_driver_sql", "execute", "expunge",
    "flush", "get", "get_one", "merge", "refresh", "rollback", "run_sync", "scalar", "scalars",
    "stream", "stream_scalars",
}  # fmt: skip
# Methods that only ever run a statement: flagged whatever they are called on.
EXECUTING = {"execute", "exec_driver_sql", "scalar", "scalars", "stream", "stream_scalars"}
BUILDERS = {"select", "insert", "update", "delete", "text"}


def modules(root: Path) -> Iterator[Path]:
    """shared/src and every service's package (services/<name>/<package>/, or src/ layout)."""
    packages = [root / "shared" / "src"]
    for service in sorted((root / "services").glob("*/")):
        packages += [
            p
            for p in sorted(service.iterdir())
            if p.is_dir() and p.name not in SKIPPED_DIRS and not p.name.startswith(".")
        ]
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            if not SKIPPED_DIRS.intersection(path.relative_to(package).parts):
                yield path


def _builders(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """Local names of sqlalchemy's statement builders (`update as sql_update` too), and local
    names of the sqlalchemy module itself (`import sqlalchemy as sa`)."""
    functions: dict[str, str] = {}
    packages: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            functions.update({a.asname or a.name: a.name for a in node.names if a.name in BUILDERS})
        elif isinstance(node, ast.Import):
            # `import sqlalchemy.sql` binds `sqlalchemy`; `import sqlalchemy as sa` binds `sa`.
            packages.update(
                a.asname or "sqlalchemy" for a in node.names if a.name.split(".")[0] == "sqlalchemy"
            )
    return functions, packages


def _receiver(node: ast.expr) -> str | None:
    """The name a method is called on: `session` for `session.x`, `self.session.x`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _offence(call: ast.Call, functions: dict[str, str], packages: set[str]) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in functions:
        return f"SQL statement built: {functions[func.id]}(...)"
    if not isinstance(func, ast.Attribute):
        return None
    receiver = _receiver(func.value)
    if func.attr in BUILDERS and isinstance(func.value, ast.Name) and receiver in packages:
        return f"SQL statement built: {receiver}.{func.attr}(...)"
    if func.attr in SESSION_METHODS and receiver in SESSION_NAMES:
        return f"session used: {ast.unparse(func)}(...)"
    if func.attr in EXECUTING:
        return f"SQL executed: {ast.unparse(func)}(...)"
    return None


def check(path: Path, shown: str) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    functions, packages = _builders(tree)
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call)),
        key=lambda node: (node.lineno, node.col_offset),
    )
    return [
        f"{shown}:{call.lineno}: {what} outside repository.py"
        for call in calls
        if (what := _offence(call, functions, packages))
    ]


def offences(root: Path = ROOT) -> list[str]:
    found = []
    for path in modules(root):
        shown = path.relative_to(root).as_posix()
        if path.name != "repository.py" and shown not in ALLOWED:
            found += check(path, shown)
    return found


if __name__ == "__main__":
    problems = offences(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
    print("\n".join(problems) or "SQL lives in repository.py files only")
    sys.exit(1 if problems else 0)
