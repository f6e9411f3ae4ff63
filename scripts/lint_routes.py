"""Every route says who may call it: each operation of each service's app must depend on the
caller through `allow(...)`, which names the roles it admits (the README's role table is read
from them, union_dev.roles), except the probes that orchestrators and scrapers call without a
token.

Walks the FastAPI dependency tree of every APIRoute, so a caller taken by a sub-dependency (the
idempotency dependency, a scoping helper) counts too. Exit 1 naming each open route.
"""

from __future__ import annotations

import importlib
import sys

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from union_dev.platform import SERVICES
from union_shared.auth import current_caller
from union_shared.idempotency import idempotency_key

OPEN_BY_DESIGN = frozenset({"/healthz", "/readyz", "/metrics"})


def takes_caller(dependant: Dependant) -> bool:
    """The route itself asks who calls it. The Idempotency-Key dependency that every route gets
    from create_service_app authenticates too, but says nothing of who may call, so it does not
    count."""
    if dependant.call is idempotency_key:
        return False
    return dependant.call is current_caller or any(
        takes_caller(sub) for sub in dependant.dependencies
    )


def api_routes(app) -> list:
    """Every API operation as served, included routers' dependencies and prefixes applied
    (FastAPI resolves included routers lazily, so `app.routes` alone holds no APIRoute)."""
    return [
        ctx for ctx in iter_route_contexts(app.routes) if isinstance(ctx.original_route, APIRoute)
    ]


def open_routes(app) -> list[str]:
    return [
        f"{','.join(sorted(route.methods))} {route.path}"
        for route in api_routes(app)
        if route.path not in OPEN_BY_DESIGN and not takes_caller(route.dependant)
    ]


def offences() -> list[str]:
    from union_dev.roles import undeclared

    found = [f"{route} says no roles: take the caller through allow(...)" for route in undeclared()]
    for service in SERVICES:
        app = importlib.import_module(f"{service.name}.main").create_app()
        if not api_routes(app):
            found.append(f"{service.name}: no API route found (the lint cannot see them)")
        found += [f"{service.name}: {route} has no caller dependency" for route in open_routes(app)]
    return found


if __name__ == "__main__":
    problems = offences()
    print("\n".join(problems) or "every route declares who may call it")
    sys.exit(1 if problems else 0)
