"""Appraisals through HTTP: one rating a year, corrections as revisions, the quota warning, and
AppraisalRecorded in the outbox with what grading needs."""

from __future__ import annotations

from datetime import date

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.service import outbox_events
from union_shared.auth import Role

from .conftest import onboard, resident_id, worker_row

pytestmark = pytest.mark.db


@pytest.fixture
async def staff(client, tree):
    ids = await onboard(
        client, [worker_row(tree["street"], hire_date="2022-03-01") for _ in range(5)]
    )
    return ids


def hr(tree):
    return bearer(Role.UNIT_HR, unit_id=tree["street"], sub="hr-street")


async def test_record_then_correct_with_a_revision(client, tree, staff):
    worker = staff[0]
    first = await client.post(
        f"/workers/{worker}/appraisals",
        json={"year": 2025, "rating": "competent", "score": "86.50", "comments": "steady"},
        headers=hr(tree),
    )
    assert first.status_code == 201, first.text
    assert first.json()["appraisal"]["revision"] == 1
    assert first.json()["warnings"] == []

    again = await client.post(
        f"/workers/{worker}/appraisals",
        json={"year": 2025, "rating": "excellent"},
        headers=hr(tree),
    )
    assert again.status_code == 409
    assert "revisions" in again.json()["detail"]

    corrected = await client.post(
        f"/workers/{worker}/appraisals/2025/revisions",
        json={"rating": "excellent", "reason": "survey results arrived late"},
        headers=hr(tree),
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["appraisal"]["revision"] == 2

    listed = (await client.get(f"/workers/{worker}/appraisals", headers=hr(tree))).json()
    assert [(a["year"], a["revision"], a["rating"]) for a in listed] == [
        (2025, 1, "competent"),
        (2025, 2, "excellent"),
    ]
    events = await outbox_events(client, "AppraisalRecorded")
    assert [(e["subject"], e["data"]["revision"], e["data"]["rating"]) for e in events] == [
        (worker, 1, "competent"),
        (worker, 2, "excellent"),
    ]
    data = events[1]["data"]
    assert {"appraisal_id", "worker_id", "unit_id", "year", "rating", "revision"} <= set(data)
    assert data["unit_id"] == tree["street"] and data["year"] == 2025


async def test_correcting_a_year_never_rated_is_404(client, tree, staff):
    reply = await client.post(
        f"/workers/{staff[0]}/appraisals/2024/revisions",
        json={"rating": "excellent", "reason": "x"},
        headers=hr(tree),
    )
    assert reply.status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"year": 2025, "rating": "outstanding"}, "body.rating", "Input should be"),
        ({"year": 2021, "rating": "competent"}, "body.year", "hired in 2022"),
        ({"year": 2099, "rating": "competent"}, "body.year", "has not begun"),
        (
            {"year": 2025, "rating": "competent", "score": "101"},
            "body.score",
            "less than or equal to 100",
        ),
        ({"rating": "competent"}, "body.year", "Field required"),
    ],
)
async def test_bad_appraisals_are_refused_and_nothing_is_written(
    client, tree, staff, body, field, reason
):
    reply = await client.post(f"/workers/{staff[0]}/appraisals", json=body, headers=hr(tree))
    assert reply.status_code == 422
    assert reason in problem_fields(reply)[field]
    assert (await client.get(f"/workers/{staff[0]}/appraisals", headers=hr(tree))).json() == []
    assert await outbox_events(client, "AppraisalRecorded") == []


async def test_excellent_share_above_a_quarter_warns_but_records(client, tree, staff):
    # 5 workers in the unit: one excellent is 20% (fine), a second is 40% (warn).
    one = await client.post(
        f"/workers/{staff[0]}/appraisals",
        json={"year": 2025, "rating": "excellent"},
        headers=hr(tree),
    )
    assert one.json()["warnings"] == []
    two = await client.post(
        f"/workers/{staff[1]}/appraisals",
        json={"year": 2025, "rating": "excellent"},
        headers=hr(tree),
    )
    assert two.status_code == 201
    assert two.json()["warnings"] == [
        f"2 of 5 workers in unit {tree['street']} are rated excellent for 2025 (40%), above the 25% share"
    ]
    # A correction down to competent brings the share back under the line.
    fixed = await client.post(
        f"/workers/{staff[1]}/appraisals/2025/revisions",
        json={"rating": "competent", "reason": "quota review"},
        headers=hr(tree),
    )
    assert fixed.json()["warnings"] == []


async def test_scope_and_roles(client, tree, staff):
    other = bearer(Role.UNIT_HR, unit_id=tree["nankai"])
    reply = await client.post(
        f"/workers/{staff[0]}/appraisals", json={"year": 2025, "rating": "competent"}, headers=other
    )
    assert reply.status_code == 403
    auditor = bearer(Role.AUDITOR, unit_id=tree["city"])
    reply = await client.post(
        f"/workers/{staff[0]}/appraisals",
        json={"year": 2025, "rating": "competent"},
        headers=auditor,
    )
    assert reply.status_code == 403
    assert (await client.get(f"/workers/{staff[0]}/appraisals", headers=auditor)).status_code == 200
    me = bearer(Role.WORKER, worker_id=staff[0])
    assert (await client.get(f"/workers/{staff[0]}/appraisals", headers=me)).status_code == 200
    assert (await client.get(f"/workers/{staff[1]}/appraisals", headers=me)).status_code == 403


async def test_a_worker_hired_in_1990_has_every_year_from_1990_recorded(client, tree):
    born_1968 = resident_id(date(1968, 4, 2))
    (veteran,) = await onboard(
        client, [worker_row(tree["street"], hire_date="1990-07-01", resident_id=born_1968)]
    )
    for year in (1990, 1999, 2000, 2025):
        reply = await client.post(
            f"/workers/{veteran}/appraisals",
            json={"year": year, "rating": "competent"},
            headers=hr(tree),
        )
        assert reply.status_code == 201, (year, reply.text)
    revised = await client.post(
        f"/workers/{veteran}/appraisals/1990/revisions",
        json={"rating": "excellent", "reason": "the 1990 file was found"},
        headers=hr(tree),
    )
    assert revised.status_code == 201, revised.text
    before_hire = await client.post(
        f"/workers/{veteran}/appraisals",
        json={"year": 1989, "rating": "competent"},
        headers=hr(tree),
    )
    assert "hired in 1990" in problem_fields(before_hire)["body.year"]
    years = [e["data"]["year"] for e in await outbox_events(client, "AppraisalRecorded")]
    assert years == [1990, 1999, 2000, 2025, 1990]
