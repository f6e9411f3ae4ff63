"""Bad input to payroll is a 422 naming the field and the reason, never a 500 and never rounded
into something else: money past two places or past what storage holds, unbounded integers,
periods outside the years a period can hold."""

from __future__ import annotations

import pytest

from union_dev.testing.api import problem_fields

from .conftest import OFFICER, deliver
from .test_payroll import hired

pytestmark = pytest.mark.db

PROFILE = {"effective_from": "2025-01-01", "bank_account": "6222020200112341234"}


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ("8300.005", "at most 2 decimal places"),
        ("1e30", "too large"),
        ("12345678901234567890123", "too large"),
        ("1000000000000", "must be less than 1,000,000,000,000 in magnitude"),
        ("NaN", "must be a finite number"),
        (8300.5, "floats are never exact"),
    ],
)
async def test_money_is_refused_rather_than_rounded_or_overflowed(client, base, reason):
    await deliver(client, hired())
    reply = await client.post(
        "/workers/w-1/pay-profile", json={**PROFILE, "contribution_base": base}, headers=OFFICER
    )
    assert reply.status_code == 422, reply.text
    assert reason in problem_fields(reply)["body.contribution_base"]


async def test_unbounded_integers_and_rates_are_refused(client):
    await deliver(client, hired())
    body = {
        **PROFILE,
        "contribution_base": "8300.00",
        "special_deductions": {"children_in_education": 10**23},
        "housing_fund_rate": "0.123456",
    }
    reply = await client.post("/workers/w-1/pay-profile", json=body, headers=OFFICER)
    assert reply.status_code == 422, reply.text
    fields = problem_fields(reply)
    assert "less than or equal to 20" in fields["body.special_deductions.children_in_education"]
    assert "at most 4 decimal places" in fields["body.housing_fund_rate"]


@pytest.mark.parametrize("period", ["1999-12", "2101-01", "0000-01", "9999-12"])
async def test_a_period_outside_2000_to_2100_is_refused(client, period):
    reply = await client.post("/runs", json={"period": period, "unit_id": "hexi"}, headers=OFFICER)
    assert reply.status_code == 422, reply.text
    assert "body.period" in problem_fields(reply)
    listed = await client.get("/runs", params={"period": period}, headers=OFFICER)
    assert listed.status_code == 422 and "query.period" in problem_fields(listed)


async def test_the_openapi_states_limits_as_json_schema(client):
    schema = (await client.get("/openapi.json")).json()
    text = str(schema)
    for raw in ("'decimal_places'", "'ge':", "'le':", "'gt':", "'max_digits'"):
        assert raw not in text, raw
    rate = schema["components"]["schemas"]["ProfileCreate"]["properties"]["housing_fund_rate"]
    (string,) = [s for s in rate["anyOf"] if s.get("type") == "string"]
    assert (string["minimum"], string["maximum"]) == (0, 1)
