"""The grading service's FastAPI app: `uvicorn grading.main:create_app --factory`."""

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError

from grading.bootstrap import consumers
from grading.config import Settings
from grading.grades.endpoints import router as grades
from grading.policies.endpoints import router as policies
from grading.policies.service import seed_shipped
from grading.seniority.endpoints import router as seniority
from union_shared.app import ServiceSpec, create_service_app
from union_shared.clock import Clock

DESCRIPTION = """\
The post-and-level ladder of the union social worker platform. Ladder policies are versioned
data (Tianjin's three posts and eighteen levels, Qingdao's officer ranks ship with it); the
grade engine replays a worker's career on the facts (seniority, credited service, education,
every appraisal in force) and explains every decision: which rule, which appraisals, which years.

Consumes the roster's WorkerOnboarded, AppraisalRecorded (corrections too), WorkerTransferred,
WorkerLeft and WorkerRehired (a new employment: its grade resumes or restarts by the policy's
on_rehire, and nothing is graded between employments); sends GradeReevaluated on every
evaluation (topic `grading.events`, keyed by worker id). A seniority run steps every worker
whose time has come; simulations try a draft policy on today's workers without writing anything.
"""

TAGS = [
    {
        "name": "grades",
        "description": "A worker's grade with reasons, history, distribution, what-if.",
    },
    {"name": "policies", "description": "Ladder policies as versioned data; unit assignments."},
    {"name": "seniority runs", "description": "Dated runs that apply seniority steps."},
]


async def _seed(app: FastAPI) -> None:
    try:
        async with app.state.sessions() as session, session.begin():
            await seed_shipped(session)
    except IntegrityError:
        pass  # another replica seeded them at the same moment


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """`clock` is the app's one clock (handlers, endpoints, the seniority run's "today");
    unset, the real one in the settings' time zone. Tests pass a pinned one."""
    settings = settings or Settings()
    clock = clock or Clock(settings.time_zone)
    spec = ServiceSpec(
        name="grading",
        title="Union social worker platform: grading",
        description=DESCRIPTION,
        settings=settings,
        routers=[grades, policies, seniority],
        consumers=consumers(clock, settings),
        openapi_tags=TAGS,
        on_startup=[_seed],
        clock=clock,
    )
    return create_service_app(spec)
