"""Monthly runs through HTTP and events: draft, review, approval by another officer, lock;
payslips explained for the app; exports; arrears and bonuses reaching the next run."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.events import onboarded_event
from union_shared.auth import Role
from union_shared.events import WorkerTransferred, build_event
from union_shared.events.catalogue import AppraisalRef

from .conftest import OFFICER, SECOND_OFFICER, close, deliver, draft, sent, set_up_pay
from .test_payroll import ENTRY, HIRED, hired, regraded, span

pytestmark = pytest.mark.db

AUDITOR = bearer(Role.AUDITOR, unit_id="city")
WORKER = bearer(Role.WORKER, worker_id="w-1")


async def _ready(client, *events) -> None:
    await deliver(client, hired(), ENTRY, *events)
    await set_up_pay(client)


async def test_a_run_is_drafted_reviewed_approved_by_another_officer_and_locked(client):
    await _ready(client)
    run = await draft(client, "2025-04", "hexi")
    assert (run["status"], run["payslip_count"], run["problems"]) == ("draft", 1, [])
    # Junior level 1: 4,000.00 gross; contributions on 6,000 (1,230.00); no tax.
    assert (run["gross_total"], run["net_total"], run["tax_total"]) == (
        "4000.00",
        "2770.00",
        "0.00",
    )
    url = f"/runs/{run['id']}"
    early = await client.post(f"{url}/approve", headers=SECOND_OFFICER)
    assert early.status_code == 409 and "review it" in early.json()["detail"]
    review = (await client.get(f"{url}/review", headers=AUDITOR)).json()
    assert [(a["kind"], a["worker_id"]) for a in review["anomalies"]] == [("new", "w-1")]
    assert review["differences"][0]["previous_gross"] is None
    assert (await client.post(f"{url}/review", headers=OFFICER)).json()["status"] == "reviewed"
    own = await client.post(f"{url}/approve", headers=OFFICER)
    assert own.status_code == 403 and "another payroll officer" in own.json()["detail"]
    assert (await client.post(f"{url}/approve", headers=AUDITOR)).status_code == 403
    locked = await client.post(f"{url}/approve", headers=SECOND_OFFICER)
    assert locked.status_code == 200, locked.text
    assert locked.json()["status"] == "locked"
    (closed,) = [e["data"] for e in await sent(client, "PayrollRunClosed")]
    assert (closed["run_id"], closed["period"], closed["payslip_count"]) == (
        run["id"],
        "2025-04",
        1,
    )
    assert (closed["gross_total"], closed["net_total"], closed["employer_cost_total"]) == (
        "4000.00",
        "2770.00",
        "6184.00",
    )
    # A locked run never changes.
    for attempt in (
        client.post(f"{url}/recompute", headers=OFFICER),
        client.post(f"{url}/review", headers=OFFICER),
        client.delete(url, headers=OFFICER),
    ):
        assert (await attempt).status_code == 409
    again = await client.post(
        "/runs", json={"period": "2025-04", "unit_id": "street"}, headers=OFFICER
    )
    assert again.status_code == 409 and "already covers" in again.json()["detail"]


async def test_the_worker_reads_the_payslip_with_every_line_explained(client):
    await _ready(client)
    await close(client, "2025-04", "hexi")
    slips = (await client.get("/workers/w-1/payslips", headers=WORKER)).json()
    assert [(s["period"], s["net"], s["bank_account"]) for s in slips] == [
        ("2025-04", "2770.00", "****1234")
    ]
    slip = (await client.get("/workers/w-1/payslips/2025-04", headers=WORKER)).json()
    assert slip["policy"] == "tianjin-pay v1" and slip["status"] == "locked"
    codes = [(line["code"], line["amount"]) for line in slip["lines"]]
    assert codes[:2] == [("base", "2800.00"), ("performance", "1200.00")]
    assert all(line["explanation"] for line in slip["lines"])
    base = slip["lines"][0]["explanation"]
    assert "4,000.00" in base and "coefficient" in base
    assert Decimal(slip["gross"]) - Decimal(slip["employee_deductions"]) - Decimal(
        slip["tax"]
    ) == Decimal(slip["net"])
    other = bearer(Role.WORKER, worker_id="w-2")
    assert (await client.get("/workers/w-1/payslips/2025-04", headers=other)).status_code == 403
    missing = await client.get("/workers/w-1/payslips/2025-05", headers=WORKER)
    assert missing.status_code == 404
    bad = await client.get("/workers/w-1/payslips/2025-13", headers=WORKER)
    assert bad.status_code == 422


async def test_a_mid_month_move_and_grade_change_split_the_month_and_the_funders(client):
    moved = WorkerTransferred(
        worker_id="w-1", from_unit_id="street", to_unit_id="park", to_unit_path="/city/hexi/park/",
        effective_date=date(2025, 4, 11), reason="rotation",
    )  # fmt: skip
    promoted = regraded(
        HIRED, span("junior", 1, HIRED, date(2025, 4, 20)), span("junior", 2, date(2025, 4, 21))
    )
    await _ready(client, build_event(moved, subject="w-1", source="roster"), promoted)
    await set_up_pay(client, unit_id="park", shares={"township": "100"})
    run = await draft(client, "2025-04", "hexi")
    await client.post(f"/runs/{run['id']}/review", headers=OFFICER)
    await client.post(f"/runs/{run['id']}/approve", headers=SECOND_OFFICER)
    slip = (await client.get("/workers/w-1/payslips/2025-04", headers=OFFICER)).json()
    earnings = [(x["code"], x["start"], x["end"]) for x in slip["lines"] if x["kind"] == "earning"]
    assert earnings == [
        ("base", "2025-04-01", "2025-04-10"), ("performance", "2025-04-01", "2025-04-10"),
        ("base", "2025-04-11", "2025-04-20"), ("performance", "2025-04-11", "2025-04-20"),
        ("base", "2025-04-21", "2025-04-30"), ("performance", "2025-04-21", "2025-04-30"),
    ]  # fmt: skip
    # 20 days of junior 1 (4,000 × 20/30) and 10 of junior 2 (4,200 × 10/30).
    # Each interval is prorated and rounded on its own (DOMAIN.md): 1,333.33 + 1,333.33 + 1,400.
    assert slip["gross"] == "4066.66" and slip["unit_id"] == "park"
    parts = {p["funder"]: Decimal(p["amount"]) for p in slip["funder_parts"]}
    assert set(parts) == {"city", "district", "township"}
    assert sum(parts.values()) == Decimal(slip["employer_cost"])
    costs = (await client.get(f"/runs/{run['id']}/costs", headers=AUDITOR)).json()
    assert sum(Decimal(v) for v in costs["by_funder"].values()) == Decimal(
        costs["employer_cost_total"]
    )
    assert [(u["unit_id"], u["payslips"]) for u in costs["by_unit"]] == [("park", 1)]


async def test_workers_who_cannot_be_paid_hold_the_approval_until_fixed(client):
    await _ready(client)
    newcomer = onboarded_event(
        "w-2", unit_id="street", unit_path="/city/hexi/street/", hire_date=HIRED,
        seniority_start=HIRED,
    )  # fmt: skip
    await deliver(client, newcomer)  # no grade yet, no pay profile
    run = await draft(client, "2025-04", "hexi")
    assert run["payslip_count"] == 1
    assert [p["worker_id"] for p in run["problems"]] == ["w-2"]
    assert "no pay profile" in run["problems"][0]["reason"]
    url = f"/runs/{run['id']}"
    await client.post(f"{url}/review", headers=OFFICER)
    held = await client.post(f"{url}/approve", headers=SECOND_OFFICER)
    assert held.status_code == 409 and "cannot be paid" in held.json()["detail"]
    await set_up_pay(client, "w-2")
    recomputed = (await client.post(f"{url}/recompute", headers=OFFICER)).json()
    assert "no grade" in recomputed["problems"][0]["reason"]
    await deliver(
        client, regraded(HIRED, span("junior", 1, HIRED), worker_id="w-2", cause="onboarding")
    )
    recomputed = (await client.post(f"{url}/recompute", headers=OFFICER)).json()
    assert (recomputed["status"], recomputed["payslip_count"], recomputed["problems"]) == (
        "draft",
        2,
        [],
    )


async def test_a_change_after_computing_makes_the_run_stale_until_recomputed(client):
    await _ready(client)
    run = await draft(client, "2025-04", "hexi")
    url = f"/runs/{run['id']}"
    await client.post(f"{url}/review", headers=OFFICER)
    await deliver(client, regraded(date(2025, 4, 1), span("junior", 3, date(2025, 4, 1))))
    stale = await client.post(f"{url}/approve", headers=SECOND_OFFICER)
    assert stale.status_code == 409 and "recompute" in stale.json()["detail"]
    again = (await client.post(f"{url}/recompute", headers=OFFICER)).json()
    assert again["gross_total"] == "4400.00"  # junior 3: 4,000 × 1.10
    await client.post(f"{url}/review", headers=OFFICER)
    assert (await client.post(f"{url}/approve", headers=SECOND_OFFICER)).status_code == 200


async def test_an_appraisal_after_the_lock_is_paid_as_arrears_and_bonus_in_the_next_run(client):
    await _ready(client)
    await close(client, "2025-04", "hexi")
    rated = regraded(
        date(2025, 4, 1),
        span("junior", 1, HIRED, date(2025, 3, 31)),
        span("junior", 2, date(2025, 4, 1)),
        appraisal=AppraisalRef(year=2024, rating="excellent", revision=1),
    )
    await deliver(client, rated)
    adjusted = (await sent(client))[-1]["data"]
    assert (adjusted["arrears"], adjusted["arrears_period"]) == ("200.00", "2025-05")
    may = await close(client, "2025-05", "hexi")
    slip = (await client.get("/workers/w-1/payslips/2025-05", headers=WORKER)).json()
    lines = {line["code"]: line for line in slip["lines"]}
    assert lines["arrears"]["amount"] == "200.00" and "2025-04" in lines["arrears"]["explanation"]
    # Hired March 2025: no months served in the appraised year 2024, so the band pays nothing.
    assert lines["annual_bonus"]["amount"] == "0.00"
    assert slip["gross"] == "4400.00"  # junior 2 (4,200) plus the April arrears (200)
    review = (await client.get(f"/runs/{may['id']}/review", headers=AUDITOR)).json()
    assert review["differences"][0]["previous_gross"] == "4000.00"
    # Paid once: the next run owes nothing more.
    june = await draft(client, "2025-06", "hexi")
    assert june["gross_total"] == "4200.00"


async def test_a_revised_rating_after_the_bonus_was_paid_becomes_a_correction(client):
    await _ready(client)
    first = AppraisalRef(year=2025, rating="excellent", revision=1)
    await deliver(client, regraded(HIRED, span("junior", 1, HIRED), appraisal=first))
    await close(client, "2026-01", "hexi")
    paid = (await client.get("/workers/w-1/payslips/2026-01", headers=WORKER)).json()
    bonus = next(x for x in paid["lines"] if x["code"] == "annual_bonus")
    revised = AppraisalRef(year=2025, rating="competent", revision=2)
    await deliver(client, regraded(HIRED, span("junior", 1, HIRED), appraisal=revised))
    adjusted = (await sent(client))[-1]["data"]
    owed = Decimal(adjusted["arrears"])
    assert owed < 0 and adjusted["arrears_period"] == "2026-02"
    # Excellent and competent bands × 10/12 months served in 2025 (from 1 March).
    assert Decimal(bonus["amount"]) + owed == Decimal(adjusted["annual_bonus"])
    await close(client, "2026-02", "hexi")
    feb = (await client.get("/workers/w-1/payslips/2026-02", headers=WORKER)).json()
    line = next(x for x in feb["lines"] if x["code"] == "arrears")
    assert Decimal(line["amount"]) == owed and f"2026-01: {owed:,.2f}" in line["explanation"]
    assert not any(x["code"] == "annual_bonus" for x in feb["lines"])


async def test_exports_of_a_locked_run(client):
    await _ready(client)
    run = await close(client, "2025-04", "hexi")
    url = f"/runs/{run['id']}"
    bank = await client.get(f"{url}/bank-transfer.csv", headers=OFFICER)
    assert bank.status_code == 200 and bank.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(bank.content.decode("utf-8-sig"))))
    assert rows == [
        ["worker_id", "bank_account", "amount", "currency", "reference"],
        ["w-1", "6222020200112341234", "2770.00", "CNY", f"工资 2025-04 {run['id']}"],
    ]
    assert (await client.get(f"{url}/bank-transfer.csv", headers=AUDITOR)).status_code == 403
    book = await client.get(f"{url}/export.xlsx", headers=AUDITOR)
    assert book.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(book.content), read_only=True)
    payslips = list(sheets["Payslips"].iter_rows(values_only=True))
    header, row = payslips
    line = dict(zip(header, row, strict=True))
    assert (line["Worker"], line["base"], line["Net 实发"]) == ("w-1", 2800, 2770)
    funders = dict(list(sheets["Cost by funder"].iter_rows(values_only=True))[1:])
    assert sum(Decimal(str(v)) for v in funders.values()) == Decimal("6184.00")


async def test_bad_run_requests_get_clear_answers(client):
    await _ready(client)
    reply = await client.post(
        "/runs", json={"period": "2025-13", "unit_id": "hexi"}, headers=OFFICER
    )
    assert reply.status_code == 422 and "body.period" in problem_fields(reply)
    reply = await client.post(
        "/runs", json={"period": "2024-06", "unit_id": "hexi"}, headers=OFFICER
    )
    assert (
        reply.status_code == 422 and "starts on 2025-01-01" in problem_fields(reply)["body.period"]
    )
    for caller in (OFFICER, bearer(Role.SYSTEM)):
        reply = await client.post(
            "/runs", json={"period": "2025-04", "unit_id": "nowhere"}, headers=caller
        )
        assert problem_fields(reply) == {"body.unit_id": "no unit nowhere in the unit tree"}
    ghost = bearer(Role.PAYROLL_OFFICER, unit_id="atlantis")  # a unit claim the tree lacks
    for path in ("/runs", "/workers/w-1/payslips", "/workers/w-1/pay-profile"):
        assert (await client.get(path, headers=ghost)).status_code == 403, path
    assert (await client.get("/runs/no-such-run", headers=OFFICER)).status_code == 404
    reply = await client.get("/runs", params={"status": "paid"}, headers=OFFICER)
    assert reply.status_code == 422 and "query.status.0" in problem_fields(reply)
    hedong = bearer(Role.PAYROLL_OFFICER, unit_id="hedong")
    reply = await client.post(
        "/runs", json={"period": "2025-04", "unit_id": "hexi"}, headers=hedong
    )
    assert reply.status_code == 403
    run = await draft(client, "2025-04", "hexi")
    assert (await client.get(f"/runs/{run['id']}", headers=hedong)).status_code == 403
    listed = (await client.get("/runs", params={"period": "2025-04"}, headers=AUDITOR)).json()
    assert [r["id"] for r in listed] == [run["id"]]
    assert (await client.get("/runs", headers=hedong)).json() == []
    assert (await client.delete(f"/runs/{run['id']}", headers=OFFICER)).status_code == 204
    assert (await draft(client, "2025-04", "street"))["payslip_count"] == 1  # discarded: free again


async def test_a_worker_who_chose_merged_taxation_has_the_bonus_taxed_with_the_wages(client):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    merged = {
        "effective_from": "2026-01-01",
        "contribution_base": "6000.00",
        "bonus_taxation": "merged",
        "bank_account": "6222020200112341234",
    }
    reply = await client.post("/workers/w-1/pay-profile", json=merged, headers=OFFICER)
    assert reply.status_code == 201 and reply.json()["bonus_taxation"] == "merged"
    rated = AppraisalRef(year=2025, rating="excellent", revision=1)
    await deliver(client, regraded(HIRED, span("junior", 1, HIRED), appraisal=rated))
    await close(client, "2026-01", "hexi")
    slip = (await client.get("/workers/w-1/payslips/2026-01", headers=WORKER)).json()
    codes = [line["code"] for line in slip["lines"]]
    assert "annual_bonus" in codes and "bonus_tax" not in codes
    (tax,) = [line for line in slip["lines"] if line["code"] == "income_tax"]
    assert Decimal(tax["amount"]) > 0  # the bonus raised this month's cumulative wages
