"""The roster service's FastAPI app: `uvicorn roster.main:create_app --factory`."""

from fastapi import FastAPI

from roster.config import Settings
from union_shared.app import ServiceSpec, create_service_app

DESCRIPTION = """\
The worker register: units, workers, contracts, appraisals, training, awards, posts held and
the lifecycle. Consumes ApplicantHired; sends WorkerOnboarded, WorkerTransferred, WorkerLeft
and AppraisalRecorded.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="roster",
        title="Union social worker platform: roster",
        description=DESCRIPTION,
        settings=settings or Settings(),
    )
    return create_service_app(spec)
