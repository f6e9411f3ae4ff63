"""The payroll service's FastAPI app: `uvicorn payroll.main:create_app --factory`."""

from fastapi import FastAPI

from payroll.config import Settings
from union_shared.app import ServiceSpec, create_service_app

DESCRIPTION = """\
Pay scales, pay profiles, monthly runs, payslips, arrears and funder cost split. Consumes
grading and roster events; sends PayrollAdjusted and PayrollRunClosed.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="payroll",
        title="Union social worker platform: payroll",
        description=DESCRIPTION,
        settings=settings or Settings(),
    )
    return create_service_app(spec)
