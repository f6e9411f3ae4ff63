"""Who may call each route, read from the routes themselves: every operation takes its caller
through `union_shared.auth.allow(...)`, whose dependency carries the roles it admits. The README's
role table is this module's output (`python -m union_dev.roles --write`; tests/test_role_table.py
fails when they differ), so the table cannot drift from the code.
"""

from __future__ import annotations

import argparse
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from union_dev.platform import SERVICES
from union_shared.auth import Role

OPEN_BY_DESIGN = frozenset({"/healthz", "/readyz", "/metrics"})
README = Path(__file__).resolve().parents[3] / "README.md"
START, END = "<!-- role-table:start -->", "<!-- role-table:end -->"
# Columns in this order; a cell is ✓ when the route admits the role.
COLUMNS = [
    Role.CITY_ADMIN,
    Role.DISTRICT_ADMIN,
    Role.UNIT_HR,
    Role.PAYROLL_OFFICER,
    Role.AUDITOR,
    Role.WORKER,
    Role.SYSTEM,
    Role.OPERATOR,
    Role.APPLICANT,
]


@dataclass(frozen=True)
class RouteRoles:
    service: str
    method: str
    path: str
    roles: frozenset[Role] | None  # None: the route declares no roles


def declared_roles(dependant: Dependant) -> frozenset[Role] | None:
    """The roles the route's `allow(...)` dependencies admit (all of them must), or None."""
    found = [frozenset(dependant.call.roles)] if hasattr(dependant.call, "roles") else []
    for sub in dependant.dependencies:
        inner = declared_roles(sub)
        if inner is not None:
            found.append(inner)
    if not found:
        return None
    return frozenset.intersection(*found)


def routes_of(service: str) -> Iterator[RouteRoles]:
    app = importlib.import_module(f"{service}.main").create_app()
    for ctx in iter_route_contexts(app.routes):
        if not isinstance(ctx.original_route, APIRoute) or ctx.path in OPEN_BY_DESIGN:
            continue
        for method in sorted(ctx.methods):
            yield RouteRoles(service, method, ctx.path, declared_roles(ctx.dependant))


def all_routes() -> list[RouteRoles]:
    return [route for service in SERVICES for route in routes_of(service.name)]


def undeclared() -> list[str]:
    return [f"{r.service}: {r.method} {r.path}" for r in all_routes() if r.roles is None]


def table(routes: list[RouteRoles] | None = None) -> str:
    routes = all_routes() if routes is None else routes
    header = ["Service", "Route", *(f"`{role}`" for role in COLUMNS)]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for r in routes:
        cells = ["✓" if r.roles and role in r.roles else "" for role in COLUMNS]
        lines.append(f"| {r.service} | `{r.method} {r.path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def with_table(readme: str, rendered: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {START} … {END} block")
    return pattern.sub(lambda _: f"{START}\n{rendered}\n{END}", readme)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the README's table")
    args = parser.parse_args(argv)
    rendered = table()
    if args.write:
        README.write_text(with_table(README.read_text(encoding="utf-8"), rendered), "utf-8")
    else:
        print(rendered)


if __name__ == "__main__":
    main()
