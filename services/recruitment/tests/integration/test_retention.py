"""Purging applicant data after the retention period: refused before, a dry run changes
nothing, the purge removes those not hired with their steps and reports the counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from recruitment.models import Application, ApplicationEvent

from .conftest import NOW
from .test_campaigns import HEXI, NANKAI
from .test_reading import three_applicants

pytestmark = pytest.mark.db


async def count(client, model) -> int:
    async with client.app.state.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_applicant_data_is_purged_only_after_the_retention_period(client):
    cid, _ = await three_applicants(client)
    url = f"/campaigns/{cid}/purge"
    # The window closed on 2026-03-20 17:00 in Beijing; two years on is 2028-03-20 09:00 UTC.
    client.clock.at = NOW + timedelta(days=700)
    early = await client.post(url, headers=HEXI)
    assert early.status_code == 409 and early.json()["type"] == "/problems/retention-not-over"
    assert "2028-03-20T09:00:00+00:00" in early.json()["detail"]
    client.clock.at = NOW + timedelta(days=750)
    assert (await client.post(url, headers=NANKAI)).status_code == 403
    dry = await client.post(url, params={"dry_run": "true"}, headers=HEXI)
    assert dry.status_code == 200, dry.text
    assert (dry.json()["applications"], dry.json()["dry_run"]) == (3, True)
    assert await count(client, Application) == 3
    done = await client.post(url, headers=HEXI)
    assert done.json()["groups"] == [
        {"posting_code": "HX-01", "status": "eligible", "applications": 2},
        {"posting_code": "HX-01", "status": "ineligible", "applications": 1},
    ]
    assert (await count(client, Application), await count(client, ApplicationEvent)) == (0, 0)
    again = await client.post(url, headers=HEXI)
    assert again.json()["applications"] == 0
