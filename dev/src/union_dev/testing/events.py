"""Small event factories for tests of any service."""

from __future__ import annotations

from datetime import date
from typing import Any

from union_shared.events import Envelope, UnitCreated, UnitMoved, WorkerOnboarded, build_event
from union_shared.events.catalogue import UNIT_TREE_SUBJECT


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


def unit_tree_events(*paths: str) -> list[Envelope]:
    """UnitCreated for every unit on these paths, parents first, as the roster sends them."""
    events, seen = [], set()
    for path in paths:
        ids = [u for u in path.split("/") if u]
        for depth, unit_id in enumerate(ids):
            if unit_id in seen:
                continue
            seen.add(unit_id)
            created = UnitCreated(
                unit_id=unit_id,
                parent_id=ids[depth - 1] if depth else None,
                path="/" + "/".join(ids[: depth + 1]) + "/",
                name=unit_id,
                kind="city_federation" if depth == 0 else "district_federation",
            )
            events.append(build_event(created, subject=UNIT_TREE_SUBJECT, source="roster"))
    return events


def unit_moved_event(unit_id: str, from_path: str, to_path: str) -> Envelope:
    parents = [u for u in to_path.split("/") if u]
    moved = UnitMoved(
        unit_id=unit_id,
        from_parent_id=([u for u in from_path.split("/") if u][-2:] or [None])[0],
        to_parent_id=parents[-2],
        from_path=from_path,
        to_path=to_path,
    )
    return build_event(moved, subject=UNIT_TREE_SUBJECT, source="roster")
