"""Statutory retirement through HTTP: the worker's original age, the retirement_due alert on its
day, and the warning (never a refusal) for a hire at or past the age, by every way onto the
register.

Expected dates come from the reform's annexed tables: a man born 1965-05 retires at 60y2m; a
woman born 1975-03 at 50y2m if her post's original age is 50, at 56y4m if it is 55.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from structlog.testing import capture_logs

from roster.compliance.domain import AlertKind
from roster.workers import hiring
from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role
from union_shared.events import ApplicantHired

from .conftest import onboard, resident_id, worker_row

pytestmark = pytest.mark.db

MAN_1965 = date(1965, 5, 10)  # 60y2m: retires 2025-07-10
WOMAN_1975 = date(1975, 3, 10)  # at 50: 50y2m, 2025-05-10; at 55: 56y4m, 2031-07-10
WARNING_1965 = (
    "at or above the statutory retirement age on the hire date: 60y2m (original age 60), "
    "reached on 2025-07-10"
)


@pytest.fixture
def hr(tree) -> dict[str, str]:
    return bearer(Role.UNIT_HR, unit_id=tree["hexi"])


async def retiring(client, headers, as_of: str) -> dict[str, dict]:
    reply = await client.get("/compliance", params={"as_of": as_of}, headers=headers)
    assert reply.status_code == 200, reply.text
    found = [a for a in reply.json()["alerts"] if a["kind"] == AlertKind.RETIREMENT_DUE]
    return {a["worker_id"]: a for a in found}


async def test_retirement_due_opens_on_the_day_the_age_is_reached(client, tree, hr):
    row = worker_row(tree["street"], resident_id=resident_id(MAN_1965), hire_date="2020-03-01")
    [worker_id] = await onboard(client, [row])
    assert worker_id not in await retiring(client, hr, "2025-07-09")
    alert = (await retiring(client, hr, "2025-07-10"))[worker_id]
    assert alert["due_on"] == "2025-07-10"
    assert (alert["age_years"], alert["age_months"], alert["original_age"]) == (60, 2, 60)
    assert alert["unit_id"] == tree["street"]
    assert worker_id in await retiring(client, hr, "2026-01-01")  # open while on the register


async def test_callers_who_see_identifiers_masked_see_only_the_retirement_month(client, tree, hr):
    """The day the age is reached is the birthday: with the age and the masked number's visible
    digits it would rebuild the number, so an auditor sees the alert by month, from the first
    of the retirement month (asking day by day would otherwise find the birthday)."""
    row = worker_row(tree["street"], resident_id=resident_id(MAN_1965), hire_date="2020-03-01")
    [worker_id] = await onboard(client, [row])
    auditor = bearer(Role.AUDITOR, unit_id=tree["city"])
    assert worker_id not in await retiring(client, auditor, "2025-06-30")
    for as_of in ("2025-07-01", "2025-07-09", "2025-07-10"):
        alert = (await retiring(client, auditor, as_of))[worker_id]
        assert alert["due_on"] == "2025-07-01"
        assert alert["detail"].endswith("reached in 2025-07")
        assert "2025-07-10" not in str(alert)


async def test_a_womans_original_age_is_shown_and_edited_with_a_reason(client, tree, hr):
    number = resident_id(WOMAN_1975, male=False)
    body = worker_row(tree["street"], resident_id=number, hire_date="2020-03-01")
    reply = await client.post("/workers", json=body, headers=hr)
    assert reply.status_code == 201, reply.text
    worker = reply.json()
    assert worker["female_retirement_age"] == 55  # the default for these posts
    assert worker["statutory_retirement"] == {
        "age_years": 56,
        "age_months": 4,
        "original_age": 55,
        "on": "2031-07-10",
    }
    assert worker["id"] not in await retiring(client, hr, "2025-05-10")

    patch = {"female_retirement_age": 50, "reason": "worker post (原法定退休年龄五十周岁)"}
    reply = await client.patch(f"/workers/{worker['id']}", json=patch, headers=hr)
    assert reply.status_code == 200, reply.text
    assert reply.json()["statutory_retirement"]["on"] == "2025-05-10"
    assert worker["id"] not in await retiring(client, hr, "2025-05-09")
    alert = (await retiring(client, hr, "2025-05-10"))[worker["id"]]
    assert (alert["age_years"], alert["age_months"], alert["original_age"]) == (50, 2, 50)

    detail = (await client.get(f"/workers/{worker['id']}", headers=hr)).json()
    assert detail["worker"]["female_retirement_age"] == 50
    [update] = [a for a in detail["audit"] if a["action"] == "worker.updated"]
    assert update["changes"] == {"female_retirement_age": {"from": 55, "to": 50}}
    assert update["reason"] == "worker post (原法定退休年龄五十周岁)"

    # Someone who may not see identifiers sees the age but not the day (it gives the birth date).
    auditor = bearer(Role.AUDITOR, unit_id=tree["city"])
    masked = (await client.get(f"/workers/{worker['id']}", headers=auditor)).json()["worker"]
    assert masked["statutory_retirement"] == {
        "age_years": 50,
        "age_months": 2,
        "original_age": 50,
        "on": None,
    }


async def test_the_original_age_is_for_women_and_only_55_or_50(client, tree, hr):
    man = worker_row(tree["street"], resident_id=resident_id(MAN_1965), hire_date="2020-03-01")
    reply = await client.post("/workers", json={**man, "female_retirement_age": 55}, headers=hr)
    assert reply.status_code == 422
    assert "women only" in problem_fields(reply)["body.female_retirement_age"]

    reply = await client.post("/workers", json=man, headers=hr)
    assert reply.status_code == 201, reply.text
    assert reply.json()["female_retirement_age"] is None
    assert reply.json()["statutory_retirement"]["original_age"] == 60
    url = f"/workers/{reply.json()['id']}"
    refused = await client.patch(url, json={"female_retirement_age": 50, "reason": "x"}, headers=hr)
    assert refused.status_code == 422
    assert "women only" in problem_fields(refused)["body.female_retirement_age"]

    woman = worker_row(tree["street"], resident_id=resident_id(WOMAN_1975, male=False))
    reply = await client.post("/workers", json={**woman, "female_retirement_age": 45}, headers=hr)
    assert reply.status_code == 422
    assert "body.female_retirement_age" in problem_fields(reply)
    reply = await client.post("/workers", json={**woman, "female_retirement_age": 50}, headers=hr)
    assert reply.status_code == 201, reply.text
    url = f"/workers/{reply.json()['id']}"
    cleared = await client.patch(
        url, json={"female_retirement_age": None, "reason": "x"}, headers=hr
    )
    assert cleared.status_code == 422
    assert "55 or 50" in problem_fields(cleared)["body.female_retirement_age"]


async def test_registration_at_the_retirement_age_is_warned_not_refused(client, tree, hr):
    number = resident_id(MAN_1965)
    day_before = worker_row(tree["street"], resident_id=number, hire_date="2025-07-09")
    reply = await client.post("/workers", json=day_before, headers=hr)
    assert reply.status_code == 201, reply.text
    assert reply.json()["warnings"] == []

    other = resident_id(MAN_1965)
    while other == number:
        other = resident_id(MAN_1965)
    on_the_day = worker_row(tree["street"], resident_id=other, hire_date="2025-07-10")
    reply = await client.post("/workers", json=on_the_day, headers=hr)
    assert reply.status_code == 201, reply.text
    assert reply.json()["warnings"] == [WARNING_1965]
    detail = (await client.get(f"/workers/{reply.json()['id']}", headers=hr)).json()
    assert detail["history"][0]["details"]["warnings"] == [WARNING_1965]


def _csv(rows: list[dict]) -> bytes:
    columns = [
        "name",
        "resident_id",
        "phone",
        "education",
        "major",
        "qualification",
        "unit_id",
        "hire_date",
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([r[c] for c in columns] for r in rows)
    return out.getvalue().encode()


async def test_an_import_row_at_the_retirement_age_is_imported_with_a_warning(client, tree, hr):
    young = worker_row(tree["street"], resident_id=resident_id(date(1990, 1, 2)))
    old = worker_row(tree["street"], resident_id=resident_id(MAN_1965), hire_date="2026-01-05")
    content = _csv([young, old])
    files = {"file": ("staff.csv", content, "text/csv")}
    dry = await client.post("/workers/import", files=files, params={"dry_run": "true"}, headers=hr)
    assert dry.status_code == 200, dry.text
    expected = [{"field": "row 3.hire_date", "reason": WARNING_1965}]
    assert dry.json()["warnings"] == expected
    reply = await client.post("/workers/import", files=files, headers=hr)
    assert reply.status_code == 201, reply.text
    assert reply.json()["imported"] == 2
    assert reply.json()["warnings"] == expected


async def test_a_hire_from_recruitment_at_the_retirement_age_is_warned(client, tree, hr):
    hire = ApplicantHired(
        application_id="app-retired-1",
        campaign_id="tj-2026",
        posting_id="post-hexi-1",
        unit_id=tree["street"],
        name="王磊",
        resident_id=resident_id(MAN_1965),
        phone="13920001234",
        education="bachelor",
        major="社会工作",
        start_date=date(2026, 9, 1),
        credited_service_years=0,
    )
    with capture_logs() as logs:
        async with client.app.state.sessions() as session, session.begin():
            await hiring.hire(session, hire)
    [logged] = [e for e in logs if e["event"] == "worker.hired_at_retirement_age"]
    assert (logged["application_id"], logged["log_level"]) == ("app-retired-1", "warning")
    assert logged["reason"] == WARNING_1965
    page = (await client.get("/workers", params={"name": "王磊"}, headers=hr)).json()
    [worker] = page["items"]
    detail = (await client.get(f"/workers/{worker['id']}", headers=hr)).json()
    assert detail["history"][0]["kind"] == "hired"
    assert detail["history"][0]["details"]["warnings"] == [WARNING_1965]
