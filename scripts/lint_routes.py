"""Every route says who may call it: each operation of each service's app must depend on the
caller (`CurrentCaller`, or `allow(...)` which builds on it), except the probes that
orchestrators and scrapers call without a token.

Walks the FastAPI dependency tree of every APIRoute, so a caller taken by a sub-dependency (the
idempotency dependency, a scoping helper) counts too. Exit 1 naming each open route.
"""

from __future__ import annotations

import importlib
import sys

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from union_shared.auth import current_caller
from union_shared.platform import SERVICES

OPEN_BY_DESIGN = frozenset({"/healthz", "/readyz", "/metrics"})


def takes_caller(dependant: Dependant) -> bool:
    return dependant.call is current_caller or any(
        takes_caller(sub) for sub in dependant.dependencies
    )


def open_routes(app) -> list[str]:
    return [
        f"{','.join(sorted(route.methods))} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.path not in OPEN_BY_DESIGN
        and not takes_caller(route.dependant)
    ]


def offences() -> list[str]:
    found = []
    for service in SERVICES:
        app = importlib.import_module(f"{service.name}.main").create_app()
        found += [f"{service.name}: {route} has no caller dependency" for route in open_routes(app)]
    return found


if __name__ == "__main__":
    problems = offences()
    print("\n".join(problems) or "every route declares who may call it")
    sys.exit(1 if problems else 0)
