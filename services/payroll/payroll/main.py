"""The payroll service's FastAPI app: `uvicorn payroll.main:create_app --factory`."""

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI

from payroll.config import Settings
from payroll.funders.endpoints import router as funders
from payroll.handlers import consumers, utc_today
from payroll.periods.endpoints import router as periods
from payroll.profiles.endpoints import router as profiles
from union_shared.app import ServiceSpec, create_service_app

DESCRIPTION = """\
Pay for union social workers: grade spans, pay profiles, funder shares and arrears. Money is
exact: two-place decimal strings in JSON, integer fen in storage.

Consumes the roster's WorkerOnboarded, WorkerTransferred and WorkerLeft, and grading's
GradeReevaluated: the grade spans from the effective date on are replaced (superseded, never
deleted), the monthly gross before and after is priced by the pay policy in force, each closed
month since the effective date owes arrears (补发) at the policy then in force, paid in the next
open period, and PayrollAdjusted says so (topic `payroll.events`, keyed by worker id), with the
annual appraisal bonus when the re-evaluation carries an appraisal.

Monthly runs, payslips and PayrollRunClosed come later; until then `POST /periods/{period}/lock`
closes periods by hand.
"""

TAGS = [
    {"name": "pay profiles", "description": "Grade spans, effective-dated pay profiles, arrears."},
    {"name": "funders", "description": "Effective-dated funder shares per unit (total 100%)."},
    {"name": "periods", "description": "Temporary period locking until monthly runs exist."},
]


def create_app(settings: Settings | None = None, today: Callable[[], date] = utc_today) -> FastAPI:
    """`today` is the handlers' clock; tests pass a fixed day so results never drift."""
    settings = settings or Settings()
    spec = ServiceSpec(
        name="payroll",
        title="Union social worker platform: payroll",
        description=DESCRIPTION,
        settings=settings,
        routers=[profiles, funders, periods],
        consumers=consumers(settings.pay_policy, today),
        openapi_tags=TAGS,
    )
    return create_service_app(spec)
