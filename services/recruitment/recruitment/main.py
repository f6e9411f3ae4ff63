"""The recruitment service's FastAPI app: `uvicorn recruitment.main:create_app --factory`."""

from fastapi import FastAPI

from recruitment.config import Settings
from union_shared.app import ServiceSpec, create_service_app

DESCRIPTION = """\
Public recruitment of union social workers: campaigns, postings, applications, screening,
scores, ranking, offers and hires. Sends ApplicantHired.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="recruitment",
        title="Union social worker platform: recruitment",
        description=DESCRIPTION,
        settings=settings or Settings(),
    )
    return create_service_app(spec)
