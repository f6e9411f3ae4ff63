"""The payroll service's FastAPI app: `uvicorn payroll.main:create_app --factory`."""

from fastapi import FastAPI

from payroll.bootstrap import consumers
from payroll.config import Settings
from payroll.funders.endpoints import router as funders
from payroll.golive.endpoints import router as go_live
from payroll.parking import service as parking
from payroll.parking.endpoints import router as parked_events
from payroll.profiles.endpoints import router as profiles
from payroll.runs.endpoints import payslips_router as payslips
from payroll.runs.endpoints import router as runs
from union_shared.app import ServiceSpec, create_service_app
from union_shared.clock import Clock

DESCRIPTION = """\
Pay for union social workers: grade spans, pay profiles, funder shares and arrears. Money is
exact: two-place decimal strings in JSON, integer fen in storage.

Consumes the roster's WorkerOnboarded, WorkerTransferred, WorkerLeft and WorkerRehired (a
re-hire opens a new employment episode: no month between two episodes is paid), and grading's
GradeReevaluated: the grade spans from the effective date on are replaced (superseded, never
deleted), the monthly gross before and after is priced by the pay policy in force, each closed
month since the effective date owes arrears (补发) at the policy then in force, paid in the next
open period, and PayrollAdjusted says so (topic `payroll.events`, keyed by worker id), with the
annual appraisal bonus when the re-evaluation carries an appraisal. Arrears are owed only for
months that were paid: by a locked run, or before the unit's go-live as an officer declared
(the corrected gross less the declared); other months are listed as owing nothing.

Monthly runs: a payroll officer drafts a run for a period and a unit subtree (every payslip is
computed, mid-month changes prorated, arrears and bonuses paid, tax withheld cumulatively),
reviews the differences against last month and the anomalies, and another payroll officer
approves it, which locks it: a locked run never changes, and PayrollRunClosed says it closed.
Workers read their payslips, every line explained; the finance office gets the run as .xlsx, the
bank a transfer file, and each funder its exact share of the cost.
"""

TAGS = [
    {"name": "pay profiles", "description": "Grade spans, effective-dated pay profiles, arrears."},
    {"name": "funders", "description": "Effective-dated funder shares per unit (total 100%)."},
    {
        "name": "go-live",
        "description": "The first month the platform pays a unit; pay declared for earlier months.",
    },
    {"name": "runs", "description": "Monthly runs: draft, review, approve and lock; exports."},
    {"name": "payslips", "description": "A worker's payslips, every line explained."},
    {
        "name": "admin: parked events",
        "description": "Grade events waiting for their worker's onboarding, with their age.",
    },
]


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """`clock` is the app's one clock (handlers and endpoints); unset, the real one in the
    settings' time zone. Tests pass a pinned one."""
    settings = settings or Settings()
    clock = clock or Clock(settings.time_zone)
    spec = ServiceSpec(
        name="payroll",
        title="Union social worker platform: payroll",
        description=DESCRIPTION,
        settings=settings,
        routers=[profiles, funders, go_live, runs, payslips, parked_events],
        consumers=consumers(clock, settings),
        openapi_tags=TAGS,
        clock=clock,
        metrics=[parking.refresh_gauges],
    )
    return create_service_app(spec)
