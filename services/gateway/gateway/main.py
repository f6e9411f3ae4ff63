"""The gateway service's FastAPI app: `uvicorn gateway.main:create_app --factory`."""

from fastapi import FastAPI

from gateway.config import Settings
from union_shared.app import ServiceSpec, create_service_app

DESCRIPTION = """\
The one public entry to the platform: authentication, scoping to the caller's part of the
unit tree, composition and rate limits.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="gateway",
        title="Union social worker platform: gateway",
        description=DESCRIPTION,
        settings=settings or Settings(),
    )
    return create_service_app(spec)
