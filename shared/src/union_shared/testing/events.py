"""Small event factories for tests of any service."""

from __future__ import annotations

from datetime import date
from typing import Any

from union_shared.events import Envelope, WorkerOnboarded, build_event


def worker_onboarded(worker_id: str = "w-1", **overrides: Any) -> WorkerOnboarded:
    fields: dict[str, Any] = {
        "worker_id": worker_id,
        "unit_id": "u-1",
        "hire_date": date(2026, 3, 1),
        "seniority_start": date(2026, 3, 1),
        "education": "bachelor",
        "origin": "import",
    }
    return WorkerOnboarded(**{**fields, **overrides})


def onboarded_event(worker_id: str = "w-1", **overrides: Any) -> Envelope:
    return build_event(worker_onboarded(worker_id, **overrides), subject=worker_id, source="roster")
