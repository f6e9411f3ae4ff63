"""Workers through HTTP: masking by role, filtered cursor pagination, the full file, updates."""

from __future__ import annotations

import random

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import onboard, worker_row

pytestmark = pytest.mark.db


async def test_identifiers_are_masked_for_roles_that_do_not_need_them(client, tree):
    row = worker_row(tree["street"], resident_id="440304199003071811", phone="13812345678")
    (worker,) = await onboard(client, [row])
    hr = (
        await client.get(f"/workers/{worker}", headers=bearer(Role.UNIT_HR, unit_id=tree["street"]))
    ).json()
    assert (hr["worker"]["resident_id"], hr["worker"]["phone"]) == (
        "440304199003071811",
        "13812345678",
    )
    auditor = (
        await client.get(f"/workers/{worker}", headers=bearer(Role.AUDITOR, unit_id=tree["city"]))
    ).json()
    assert (auditor["worker"]["resident_id"], auditor["worker"]["phone"]) == (
        "440304**********11",
        "138****5678",
    )
    # The birth date would complete the masked number: only the year is shown with it.
    assert (auditor["worker"]["birth_date"], auditor["worker"]["birth_year"]) == (None, 1990)
    assert (hr["worker"]["birth_date"], hr["worker"]["birth_year"]) == ("1990-03-07", 1990)
    assert "19900307" not in str(auditor) and "1990-03-07" not in str(auditor)
    own = (
        await client.get(f"/workers/{worker}", headers=bearer(Role.WORKER, worker_id=worker))
    ).json()
    assert own["worker"]["resident_id"] == "440304199003071811"
    payroll = await client.get(
        "/workers", headers=bearer(Role.PAYROLL_OFFICER, unit_id=tree["city"])
    )
    assert payroll.json()["items"][0]["resident_id"] == "440304**********11"


async def test_cursor_pages_cover_the_subtree_once_in_order(client, tree):
    rng = random.Random(7)
    street = await onboard(client, [worker_row(tree["street"], rng=rng) for _ in range(7)])
    building = await onboard(client, [worker_row(tree["building"], rng=rng) for _ in range(4)])
    await onboard(client, [worker_row(tree["nankai"], rng=rng) for _ in range(3)])
    admin = bearer(Role.DISTRICT_ADMIN, unit_id=tree["hexi"])
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/workers", params=params, headers=admin)).json()
        seen += [w["id"] for w in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == street + building  # Nankai's workers are outside the Hexi district
    only_building = (
        await client.get("/workers", params={"unit_id": tree["building"]}, headers=admin)
    ).json()
    assert [w["id"] for w in only_building["items"]] == building


async def test_filters(client, tree):
    await onboard(
        client,
        [
            worker_row(tree["street"], name="王芳", education="master", hire_date="2020-05-01"),
            worker_row(tree["street"], name="王伟", education="bachelor", hire_date="2023-05-01"),
            worker_row(tree["street"], name="李娜", education="master", hire_date="2024-05-01"),
        ],
    )
    admin = bearer(Role.CITY_ADMIN, unit_id=tree["city"])

    async def names(**params):
        page = (await client.get("/workers", params=params, headers=admin)).json()
        return sorted(w["name"] for w in page["items"])

    assert await names(name="王") == ["王伟", "王芳"]
    assert await names(education="master") == ["李娜", "王芳"]
    assert await names(hired_from="2021-01-01", hired_to="2023-12-31") == ["王伟"]
    assert await names(status="left") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"status": "retired"}, "query.status"),
        ({"cursor": "%%%"}, "query.cursor"),
    ],
)
async def test_bad_list_parameters_are_422_naming_the_field(client, tree, params, field):
    reply = await client.get(
        "/workers", params=params, headers=bearer(Role.CITY_ADMIN, unit_id=tree["city"])
    )
    assert reply.status_code == 422
    assert field in problem_fields(reply)


async def test_workers_may_not_list_the_register(client, tree):
    (worker,) = await onboard(client, [worker_row(tree["street"])])
    assert (
        await client.get("/workers", headers=bearer(Role.WORKER, worker_id=worker))
    ).status_code == 403


async def test_an_applicant_reads_nothing_of_the_register(client, tree):
    """An applicant's token is valid (401 would be a bad token) but admits them to no route of
    the roster: not the tree, not the register, not a record."""
    (worker,) = await onboard(client, [worker_row(tree["street"])])
    applicant = bearer(Role.APPLICANT, sub="app-account-8841")
    for path in ("/units", "/workers", f"/workers/{worker}", "/compliance"):
        reply = await client.get(path, headers=applicant)
        assert reply.status_code == 403, (path, reply.text)
        assert "role applicant may not do this" in reply.json()["detail"]


async def test_update_is_audited_with_the_reason(client, tree):
    (worker,) = await onboard(client, [worker_row(tree["street"], qualification="none")])
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"], sub="hr-li")
    reply = await client.patch(
        f"/workers/{worker}",
        json={
            "qualification": "social_worker",
            "social_insurance_registered_on": "2024-03-10",
            "reason": "certificate shown",
        },
        headers=hr,
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["qualification"] == "social_worker"
    detail = (await client.get(f"/workers/{worker}", headers=hr)).json()
    last = detail["audit"][-1]
    assert (last["action"], last["actor"], last["reason"]) == (
        "worker.updated",
        "hr-li",
        "certificate shown",
    )
    assert last["changes"]["qualification"] == {"from": "none", "to": "social_worker"}
    missing_reason = await client.patch(
        f"/workers/{worker}", json={"phone": "13900000000"}, headers=hr
    )
    assert "body.reason" in problem_fields(missing_reason)


async def test_the_detail_view_gathers_the_whole_file(client, tree):
    (worker,) = await onboard(client, [worker_row(tree["street"], hire_date="2024-03-01")])
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    await client.post(
        f"/workers/{worker}/contracts",
        json={
            "kind": "fixed_term",
            "start_date": "2024-03-01",
            "end_date": "2027-02-28",
            "probation_end": "2024-08-31",
            "signed_on": "2024-03-01",
        },
        headers=hr,
    )
    await client.post(
        f"/workers/{worker}/appraisals", json={"year": 2024, "rating": "competent"}, headers=hr
    )
    await client.post(
        f"/workers/{worker}/trainings",
        json={
            "kind": "pre_job",
            "title": "岗前培训",
            "start_date": "2024-03-04",
            "end_date": "2024-03-08",
            "hours": "40",
        },
        headers=hr,
    )
    detail = (
        await client.get(f"/workers/{worker}", params={"as_of": "2024-06-01"}, headers=hr)
    ).json()
    assert detail["on_probation"] is True
    assert [len(detail[k]) for k in ("contracts", "appraisals", "trainings")] == [1, 1, 1]
    later = (
        await client.get(f"/workers/{worker}", params={"as_of": "2024-09-01"}, headers=hr)
    ).json()
    assert later["on_probation"] is False
    assert (await client.get("/workers/nope", headers=hr)).status_code == 404


async def test_the_audit_trail_masks_phones_for_roles_that_see_them_masked(client, tree):
    row = worker_row(tree["street"], phone="13999877105")
    (worker,) = await onboard(client, [row])
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    reply = await client.patch(
        f"/workers/{worker}", json={"phone": "139 1234 5678", "reason": "new number"}, headers=hr
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["phone"] == "13912345678"  # stored in one form
    whole = (await client.get(f"/workers/{worker}", headers=hr)).json()["audit"][-1]
    assert whole["changes"]["phone"] == {"from": "13999877105", "to": "13912345678"}
    auditor = bearer(Role.AUDITOR, unit_id=tree["city"])
    masked = (await client.get(f"/workers/{worker}", headers=auditor)).json()
    assert masked["audit"][-1]["changes"]["phone"] == {"from": "139****7105", "to": "139****5678"}
    assert "13999877105" not in str(masked) and "13912345678" not in str(masked)


@pytest.mark.parametrize(
    "phone", ["not-a-phone!", "=1+2", "+1 555 0100", "12345678901", "@SUM(A1)"]
)
async def test_a_phone_that_is_no_phone_number_is_refused(client, tree, phone):
    (worker,) = await onboard(client, [worker_row(tree["street"])])
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    reply = await client.patch(
        f"/workers/{worker}", json={"phone": phone, "reason": "typo"}, headers=hr
    )
    assert reply.status_code == 422
    assert "not a mainland phone number" in problem_fields(reply)["body.phone"]
