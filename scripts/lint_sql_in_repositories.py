"""Keep every SQL statement of a service in its `repository.py` files (STYLE.md, habit 4).

Flags SQLAlchemy statement builders and raw execution in service code outside repository.py,
migrations and tests. Exit 1 with file:line for each offence.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A bare statement builder call (not a method like `service.update(`, not a `def update(`), or
# executing anything on a session or connection.
PATTERN = re.compile(
    r"(?<![\w.])(?<!def )(select|insert|update|delete|text)\(|\.execute\(|\.scalars?\("
)
ALLOWED = {"repository.py"}


def offences() -> list[str]:
    found = []
    for path in sorted((ROOT / "services").glob("*/*/**/*.py")):
        rel = path.relative_to(ROOT)
        if path.name in ALLOWED or "migrations" in rel.parts or "tests" in rel.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if PATTERN.search(code):
                found.append(f"{rel}:{number}: SQL outside repository.py: {line.strip()}")
    return found


if __name__ == "__main__":
    problems = offences()
    print("\n".join(problems) or "SQL lives in repository.py files only")
    sys.exit(1 if problems else 0)
