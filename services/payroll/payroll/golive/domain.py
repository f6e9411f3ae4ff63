"""Go-live: the first month a unit's pay runs on the platform. Pure rules, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def governing(chain: Sequence[str], go_lives: Mapping[str, str]) -> tuple[str, str] | None:
    """The go-live that governs a unit (unit, period): its own, else the nearest ancestor's.
    `chain` is the unit's path from the root down, ending with the unit itself."""
    for unit_id in reversed(chain):
        if unit_id in go_lives:
            return unit_id, go_lives[unit_id]
    return None


def chain_of(path: str | None, unit_id: str) -> list[str]:
    """The units from the root down to `unit_id`, from its stored path."""
    return [u for u in (path or "").split("/") if u] or [unit_id]
