"""Two appraisal years' bonuses reach payroll as grading sends them and are paid in one run, a
line each; the choice of separate taxation is explained on the payslip; neither is paid again,
and a revised rating corrects only its own year's bonus."""

from __future__ import annotations

from datetime import date

import pytest

from union_dev.testing.api import bearer
from union_shared.auth import Role
from union_shared.events.catalogue import AppraisalRef

from .conftest import close, deliver, draft, sent, set_up_pay
from .test_payroll import hired, regraded, span

pytestmark = pytest.mark.db

WORKER = bearer(Role.WORKER, worker_id="w-1")
HIRED = date(2023, 1, 1)


def rated(year: int, rating: str, revision: int = 1):
    """Grading's re-evaluation after an appraisal: the grade unchanged, the rating carried."""
    appraisal = AppraisalRef(year=year, rating=rating, revision=revision)
    return regraded(HIRED, span("junior", 1, HIRED), appraisal=appraisal)


async def test_two_years_bonuses_are_paid_in_one_run_and_corrected_year_by_year(client):
    entry = regraded(HIRED, span("junior", 1, HIRED), cause="onboarding")
    await deliver(
        client, hired(hire=HIRED), entry, rated(2023, "excellent"), rated(2024, "competent")
    )
    await set_up_pay(client, effective_from="2025-01-01")
    await close(client, "2025-03", "hexi")
    slip = (await client.get("/workers/w-1/payslips/2025-03", headers=WORKER)).json()
    bonuses = [line for line in slip["lines"] if line["code"] == "annual_bonus"]
    # Served all of 2023 and 2024: the excellent band 10,000 and the competent band 4,000.
    assert [(b["label"], b["amount"], b["start"], b["end"]) for b in bonuses] == [
        ("Annual appraisal bonus 2023 (2023年度考核奖金)", "10000.00", "2023-01-01", "2023-12-31"),
        ("Annual appraisal bonus 2024 (2024年度考核奖金)", "4000.00", "2024-01-01", "2024-12-31"),
    ]
    # March 2025, the first month of the tax year paid here: wages 4,000 (junior 1), employee
    # contributions 6,000 × 20.5% = 1,230, so wages leave 4,000 − 5,000 − 1,230 = −2,230.
    #   both merged: (14,000 − 2,230) × 3% = 353.10
    #   2023 separate: (4,000 − 2,230) × 3% + 10,000 × 3% = 53.10 + 300 = 353.10
    #   2024 separate: (10,000 − 2,230) × 3% + 4,000 × 3% = 233.10 + 120 = 353.10
    # A tie: merging both wins it and keeps separate taxation for a later bonus this year.
    (tax,) = [line for line in slip["lines"] if line["kind"] == "tax"]
    assert (tax["code"], tax["amount"]) == ("income_tax", "353.10")
    assert "no bonus is taxed separately" in tax["explanation"]
    assert "the 2023 bonus taxed separately, the rest merged: 353.10" in tax["explanation"]
    assert "the 2024 bonus taxed separately, the rest merged: 353.10" in tax["explanation"]
    assert (slip["gross"], slip["net"]) == ("18000.00", "16416.90")  # 18,000 − 1,230 − 353.10
    # Both years are paid: the next month pays wages only.
    april = await draft(client, "2025-04", "hexi")
    assert april["gross_total"] == "4000.00"
    # 2023 revised to competent: its own bonus is corrected, 4,000 − 10,000; the 2024 bonus
    # on the same payslip is left alone (summing both lines would owe −10,000).
    await deliver(client, rated(2023, "competent", revision=2))
    adjusted = (await sent(client))[-1]["data"]
    assert (adjusted["arrears"], adjusted["annual_bonus"]) == ("-6000.00", "4000.00")
