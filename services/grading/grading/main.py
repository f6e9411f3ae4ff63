"""The grading service's FastAPI app: `uvicorn grading.main:create_app --factory`."""

from fastapi import FastAPI

from grading.config import Settings
from union_shared.app import ServiceSpec, create_service_app

DESCRIPTION = """\
The post-and-level ladder: policies as versioned data, explainable grade evaluation, grade
history, seniority runs and simulations. Consumes roster events; sends GradeReevaluated.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="grading",
        title="Union social worker platform: grading",
        description=DESCRIPTION,
        settings=settings or Settings(),
    )
    return create_service_app(spec)
