"""Go-live through HTTP and events: a unit's go-live set by its payroll officer, pay declared for
the months before it, and a grade change reaching back past go-live: arrears for the declared
months (corrected gross less declared) and the run months (new grade less old), none for an
undeclared month, which PayrollAdjusted names instead; the arrears paid by the next run."""

from __future__ import annotations

from datetime import date

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.events import onboarded_event
from union_shared.auth import Role

from .conftest import OFFICER, close, deliver, draft, sent, set_up_pay
from .test_payroll import hired, regraded, span

pytestmark = pytest.mark.db

HIRED = date(2025, 1, 1)
ENTRY = regraded(HIRED, span("junior", 1, HIRED), cause="onboarding")
SYSTEM = bearer(Role.SYSTEM)
WORKER = bearer(Role.WORKER, worker_id="w-1")


async def _go_live(client, unit_id: str, period: str, headers=OFFICER):
    return await client.put(f"/units/{unit_id}/go-live", json={"period": period}, headers=headers)


async def _declare(client, *lines: tuple[str, str, str], headers=OFFICER):
    body = {
        "source": "hexi-2025.xlsx",
        "lines": [{"worker_id": w, "period": p, "gross": g} for w, p, g in lines],
    }
    return await client.post("/declared-pay", json=body, headers=headers)


async def test_a_change_before_go_live_owes_only_declared_and_run_months(client):
    await deliver(client, hired(hire=HIRED), ENTRY)
    await set_up_pay(client)
    reply = await _go_live(client, "hexi", "2025-04")
    assert reply.status_code == 201, reply.text
    assert (await _go_live(client, "hexi", "2025-04")).status_code == 200  # the same: unchanged
    governing = (await client.get("/units/street/go-live", headers=OFFICER)).json()["governing"]
    assert (governing["unit_id"], governing["period"]) == ("hexi", "2025-04")
    # March 2025 was paid by the old spreadsheet at 3,900.00; February is not declared.
    assert (await _declare(client, ("w-1", "2025-03", "3900.00"))).status_code == 201
    early = await client.post(
        "/runs", json={"period": "2025-03", "unit_id": "hexi"}, headers=OFFICER
    )
    assert early.status_code == 422 and "body.period" in problem_fields(early)
    await close(client, "2025-04", "hexi")

    # Junior 2 from 15 February, told after April locked.
    change = regraded(
        date(2025, 2, 15),
        span("junior", 1, HIRED, date(2025, 2, 14)),
        span("junior", 2, date(2025, 2, 15)),
    )
    await deliver(client, change)
    adjusted = (await sent(client))[-1]["data"]
    body = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    months = {a["for_period"]: a["amount"] for a in body["arrears"]}
    # March: junior 2, 4,000 × 1.05 = 4,200.00, against 3,900.00 declared; April: 4,200.00
    # against the 4,000.00 its locked run paid at junior 1. February: nothing said it was paid.
    assert months == {"2025-03": "300.00", "2025-04": "200.00"}
    assert (adjusted["arrears"], adjusted["arrears_period"]) == ("500.00", "2025-05")
    assert [m["period"] for m in adjusted["months_not_owed"]] == ["2025-02"]
    assert "before go-live (2025-04)" in adjusted["months_not_owed"][0]["reason"]
    assert "2025-02" in adjusted["arrears_note"]
    march = next(a for a in body["arrears"] if a["for_period"] == "2025-03")
    assert "paid before go-live: 3,900.00 declared paid" in march["explanation"]

    may = await close(client, "2025-05", "hexi")
    slip = (await client.get("/workers/w-1/payslips/2025-05", headers=WORKER)).json()
    arrears = next(line for line in slip["lines"] if line["code"] == "arrears")
    assert arrears["amount"] == "500.00" and may["gross_total"] == "4700.00"  # 4,200 + 500


async def test_a_late_declaration_serves_the_next_change_less_what_is_owed_already(client):
    await deliver(client, hired(hire=HIRED), ENTRY)
    await set_up_pay(client)
    await _go_live(client, "street", "2025-04")
    await _declare(client, ("w-1", "2025-03", "3900.00"))
    first = regraded(date(2025, 3, 1), span("junior", 2, date(2025, 3, 1)))
    await deliver(client, first)  # nothing locked yet: March is closed by go-live alone
    assert (await sent(client))[-1]["data"]["arrears"] == "300.00"  # 4,200.00 − 3,900.00
    second = regraded(date(2025, 3, 1), span("junior", 3, date(2025, 3, 1)))
    await deliver(client, second)
    # Junior 3 is 4,400.00: less the 3,900.00 declared and the 300.00 owed since, 200.00,
    # paid in the current month (the handlers' today), no run having locked yet.
    adjusted = (await sent(client))[-1]["data"]
    assert (adjusted["arrears"], adjusted["arrears_period"]) == ("200.00", "2026-11")
    assert adjusted["months_not_owed"] == []


async def test_declared_pay_is_checked_line_by_line_and_stored_all_or_nothing(client):
    elsewhere = onboarded_event(
        "w-2", unit_id="other", unit_path="/city/hedong/other/", hire_date=HIRED,
        seniority_start=HIRED,
    )  # fmt: skip
    await deliver(client, hired(hire=date(2025, 2, 1)), elsewhere)
    no_go_live = await _declare(client, ("w-1", "2025-02", "4000.00"))
    assert "no go-live" in problem_fields(no_go_live)["body.lines.0.period"]
    await _go_live(client, "city", "2025-06")
    reply = await _declare(
        client,
        ("w-1", "2025-03", "4000.00"),
        ("w-9", "2025-03", "4000.00"),
        ("w-1", "2025-06", "4000.00"),
        ("w-1", "2025-01", "4000.00"),
        ("w-1", "2025-03", "4100.00"),
    )
    assert reply.status_code == 422
    fields = problem_fields(reply)
    assert set(fields) == {
        "body.lines.1.worker_id", "body.lines.2.period", "body.lines.3.period",
        "body.lines.4.period",
    }  # fmt: skip
    assert "went live in 2025-06" in fields["body.lines.2.period"]
    assert "not employed" in fields["body.lines.3.period"]
    assert "twice" in fields["body.lines.4.period"]
    assert (await client.get("/workers/w-1/declared-pay", headers=OFFICER)).json() == []
    float_gross = {
        "source": "x",
        "lines": [{"worker_id": "w-1", "period": "2025-03", "gross": 1.5}],
    }
    assert (
        await client.post("/declared-pay", json=float_gross, headers=OFFICER)
    ).status_code == 422
    hexi = bearer(Role.PAYROLL_OFFICER, unit_id="hexi")
    assert (await _declare(client, ("w-2", "2025-03", "1.00"), headers=hexi)).status_code == 403
    auditor = bearer(Role.AUDITOR, unit_id="city")
    assert (await _declare(client, ("w-1", "2025-03", "1.00"), headers=auditor)).status_code == 403

    assert (await _declare(client, ("w-1", "2025-03", "4000.00"))).json() == {
        "declared": 1,
        "replaced": 0,
    }
    again = await _declare(client, ("w-1", "2025-03", "4100.00"), ("w-1", "2025-04", "4000.00"))
    assert again.json() == {"declared": 2, "replaced": 1}
    stored = (await client.get("/workers/w-1/declared-pay", headers=WORKER)).json()
    assert [(d["period"], d["gross"], d["source"]) for d in stored] == [
        ("2025-03", "4100.00", "hexi-2025.xlsx"),
        ("2025-04", "4000.00", "hexi-2025.xlsx"),
    ]


async def test_go_live_is_refused_after_a_month_the_platform_paid_or_before_a_declared_one(
    client,
):
    await deliver(client, hired(hire=HIRED), ENTRY)
    await set_up_pay(client)
    await close(client, "2025-04", "hexi")
    late = await _go_live(client, "street", "2025-06")
    assert late.status_code == 409 and "already paid" in late.json()["detail"]
    assert (await _go_live(client, "street", "2025-04")).status_code == 201  # April ran: fine
    assert (await _declare(client, ("w-1", "2025-02", "4000.00"))).status_code == 201
    early = await _go_live(client, "street", "2025-02")
    assert early.status_code == 409 and "declared paid for 2025-02" in early.json()["detail"]
    before_policy = await _go_live(client, "street", "2024-12")
    assert "body.period" in problem_fields(before_policy)
    auditor = bearer(Role.AUDITOR, unit_id="city")
    assert (await _go_live(client, "street", "2025-03", headers=auditor)).status_code == 403
    admin = bearer(Role.DISTRICT_ADMIN, unit_id="hedong")
    assert (await _go_live(client, "street", "2025-03", headers=admin)).status_code == 403
    assert (await draft(client, "2025-05", "street"))["payslip_count"] == 1
