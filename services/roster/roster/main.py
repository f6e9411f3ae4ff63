"""The roster service's FastAPI app: `uvicorn roster.main:create_app --factory`."""

from fastapi import FastAPI

from roster.appraisals.endpoints import router as appraisals
from roster.bootstrap import consumers
from roster.compliance.endpoints import router as compliance
from roster.config import Settings
from roster.contracts.endpoints import router as contracts
from roster.honours.endpoints import router as honours
from roster.imports.endpoints import router as imports
from roster.lifecycle.endpoints import router as lifecycle
from roster.rules.retirement import retirement_book
from roster.training.endpoints import router as training
from roster.units.endpoints import router as units
from roster.workers.endpoints import router as workers
from union_shared.app import ServiceSpec, create_service_app
from union_shared.clock import Clock

DESCRIPTION = """\
The worker register of the union social worker platform: the unit tree, workers (created from
recruitment's ApplicantHired events or by bulk import of existing staff), labour contracts,
annual appraisals, training and mentoring, awards and elected posts, transfers, suspensions and
departures, and the compliance view of what is overdue.

Every call needs `Authorization: Bearer <JWT>`; reads and writes are limited to the caller's
part of the unit tree, and identifiers are masked for roles that do not need them. Every POST
accepts an `Idempotency-Key` header: a retry with the same key returns the first reply and
changes nothing. Errors are RFC 9457 `application/problem+json` naming each bad field.

Events sent (through the transactional outbox, topic `roster.events`, keyed by worker id):
WorkerOnboarded, WorkerTransferred, WorkerLeft, AppraisalRecorded.
"""

TAGS = [
    {"name": "units", "description": "The unit tree: federations and grassroots unions."},
    {"name": "workers", "description": "The register: list, read (with full history), update."},
    {"name": "import", "description": "Bulk import of existing staff from .xlsx or .csv."},
    {"name": "contracts", "description": "Labour contracts and their legal limits."},
    {"name": "appraisals", "description": "Annual ratings; corrections are new revisions."},
    {"name": "training", "description": "Training records and mentoring pairs."},
    {"name": "honours", "description": "Awards and elected union posts."},
    {"name": "lifecycle", "description": "Transfers, suspensions, resumptions, departures."},
    {"name": "compliance", "description": "Open alerts for a subtree as of a date."},
]


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """`clock` is the app's one clock (endpoint defaults, stored timestamps); unset, the real
    one in the settings' time zone."""
    settings = settings or Settings()
    retirement_book()  # a shipped table that does not pass its checks stops the service here
    clock = clock or Clock(settings.time_zone)
    spec = ServiceSpec(
        name="roster",
        title="Union social worker platform: roster",
        description=DESCRIPTION,
        settings=settings,
        routers=[
            units,
            workers,
            imports,
            contracts,
            appraisals,
            training,
            honours,
            lifecycle,
            compliance,
        ],
        consumers=consumers(clock, settings),
        openapi_tags=TAGS,
        clock=clock,
    )
    return create_service_app(spec)
