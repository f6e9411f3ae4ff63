"""The grading service's FastAPI app: `uvicorn grading.main:create_app --factory`."""

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError

from grading.config import Settings
from grading.grades.endpoints import router as grades
from grading.handlers import consumers, utc_today
from grading.policies.endpoints import router as policies
from grading.policies.service import seed_shipped
from grading.seniority.endpoints import router as seniority
from union_shared.app import ServiceSpec, create_service_app

DESCRIPTION = """\
The post-and-level ladder of the union social worker platform. Ladder policies are versioned
data (Tianjin's three posts and eighteen levels, Qingdao's officer ranks ship with it); the
grade engine replays a worker's career on the facts (seniority, credited service, education,
every appraisal in force) and explains every decision: which rule, which appraisals, which years.

Consumes the roster's WorkerOnboarded, AppraisalRecorded (corrections too), WorkerTransferred
and WorkerLeft; sends GradeReevaluated on every evaluation (topic `grading.events`, keyed by
worker id). A seniority run steps every worker whose time has come; simulations try a draft
policy on today's workers without writing anything.
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


def create_app(settings: Settings | None = None, today: Callable[[], date] = utc_today) -> FastAPI:
    """`today` is the handlers' clock; tests pass a fixed day so results never drift."""
    settings = settings or Settings()
    spec = ServiceSpec(
        name="grading",
        title="Union social worker platform: grading",
        description=DESCRIPTION,
        settings=settings,
        routers=[grades, policies, seniority],
        consumers=consumers(settings.default_policy, today),
        openapi_tags=TAGS,
        on_startup=[_seed],
    )
    app = create_service_app(spec)
    app.state.today = today  # the seniority run refuses days after it
    return app
