"""The recruitment service's FastAPI app: `uvicorn recruitment.main:create_app --factory`."""

from fastapi import FastAPI

from recruitment.applications.endpoints import router as applications
from recruitment.bootstrap import consumers
from recruitment.campaigns.endpoints import router as campaigns
from recruitment.config import Settings
from recruitment.hiring.endpoints import router as hiring
from recruitment.postings.endpoints import router as postings
from recruitment.reading.endpoints import router as reading
from recruitment.retention.endpoints import router as retention
from recruitment.scores.endpoints import router as scores
from recruitment.stages.endpoints import router as stages
from union_shared.app import ServiceSpec, create_service_app
from union_shared.clock import Clock

DESCRIPTION = """\
Public recruitment of union social workers: campaigns, postings, applications, screening,
scores, ranking, offers and hires. Sends ApplicantHired.

A campaign is a federation's call for postings in units of its subtree. Its rules (composite
weights, shortlist ratios, pass marks, tie-breaks, bonus points, notice length) are versioned
data: frozen once the application window opens, after which a change is a new version with a
reason. An application is one per person per campaign (a keyed hash of the resident ID number
holds the unique index), screened at once against the posting's requirements; applicants see
their own, with each recorded step. Consumes the roster's unit tree events, so scope follows a
unit when it moves, and WorkerOnboarded, to learn the worker a hire became.

Then the stages, each a recorded step: qualification review (with bonus points granted or
refused), written scores imported from .xlsx or .csv (all or nothing, a dry run first, scorers
with a declared relation refused), the interview shortlist by ratio with everyone tied at the
cut, interview scores, the composite and rank by the tie-break chain, the medical check and
background review 1:1 by rank, and replacement from the next ranked when a place is given up.

The proposed hires go on a public notice (公示), masked, for the rules' number of Chinese working
days; an upheld objection gives the place to the next ranked. After the notice an offer, which
the applicant accepts or declines; on the start date ApplicantHired goes to the roster, and the
roster's WorkerOnboarded marks the application hired with its worker.
"""

TAGS = [
    {"name": "campaigns", "description": "Recruitment calls, their windows and versioned rules."},
    {"name": "postings", "description": "Places per unit with quotas and requirements."},
    {
        "name": "applications",
        "description": "One per person per campaign, screened at once, with a timeline.",
    },
    {
        "name": "stages",
        "description": "Review, shortlist, ranking, checks and replacement, each step recorded.",
    },
    {
        "name": "scores",
        "description": "Score imports, all or nothing with a dry run, and scorers' recusal.",
    },
    {"name": "reading", "description": "The campaign dashboard and each stage's list as .xlsx."},
    {"name": "retention", "description": "Purging applicant data once retention is over."},
    {
        "name": "hiring",
        "description": "The public notice, objections, offers, and the hire into the roster.",
    },
]


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """`clock` is the app's one clock (application windows turn on it); unset, the real one in
    the settings' time zone. Tests pass their own."""
    settings = settings or Settings()
    spec = ServiceSpec(
        name="recruitment",
        title="Union social worker platform: recruitment",
        description=DESCRIPTION,
        settings=settings,
        routers=[campaigns, postings, applications, stages, scores, reading, retention, hiring],
        consumers=consumers(),
        openapi_tags=TAGS,
        clock=clock or Clock(settings.time_zone),
    )
    return create_service_app(spec)
