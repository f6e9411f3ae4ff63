"""The unit tree: city federation → district/county federation → township/street federation,
industrial-park union, building union, joint union."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    CITY_FEDERATION = "city_federation"
    DISTRICT_FEDERATION = "district_federation"
    TOWNSHIP_FEDERATION = "township_federation"
    STREET_FEDERATION = "street_federation"
    INDUSTRIAL_PARK_UNION = "industrial_park_union"
    BUILDING_UNION = "building_union"
    JOINT_UNION = "joint_union"


# Which kinds may sit directly under which: the tree's shape, checked on create and move.
ALLOWED_PARENTS: dict[UnitKind, frozenset[UnitKind | None]] = {
    UnitKind.CITY_FEDERATION: frozenset({None}),
    UnitKind.DISTRICT_FEDERATION: frozenset({UnitKind.CITY_FEDERATION}),
    UnitKind.TOWNSHIP_FEDERATION: frozenset({UnitKind.DISTRICT_FEDERATION}),
    UnitKind.STREET_FEDERATION: frozenset({UnitKind.DISTRICT_FEDERATION}),
    UnitKind.INDUSTRIAL_PARK_UNION: frozenset(
        {UnitKind.DISTRICT_FEDERATION, UnitKind.TOWNSHIP_FEDERATION, UnitKind.STREET_FEDERATION}
    ),
    UnitKind.BUILDING_UNION: frozenset(
        {UnitKind.DISTRICT_FEDERATION, UnitKind.TOWNSHIP_FEDERATION, UnitKind.STREET_FEDERATION}
    ),
    UnitKind.JOINT_UNION: frozenset(
        {UnitKind.DISTRICT_FEDERATION, UnitKind.TOWNSHIP_FEDERATION, UnitKind.STREET_FEDERATION}
    ),
}


def parent_allowed(kind: UnitKind, parent_kind: UnitKind | None) -> bool:
    return parent_kind in ALLOWED_PARENTS[kind]


def child_path(parent_path: str | None, unit_id: str) -> str:
    return f"{parent_path or '/'}{unit_id}/"


def is_within(path: str, root_path: str) -> bool:
    return path.startswith(root_path)
