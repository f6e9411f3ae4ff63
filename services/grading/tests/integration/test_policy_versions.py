"""A policy version published for a future date, through the HTTP API: once it is in force it
decides the grade from its effective date on, and the history it did not decide stays as the
earlier version left it, interval by interval, each recording the version that produced it."""

from __future__ import annotations

from datetime import date

import pytest

from union_dev.testing.api import bearer
from union_shared.auth import Role

from .conftest import deliver, sent
from .test_grading import appraisal, hired

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)
# Far enough ahead that publishing it is allowed whatever the real date is.
EFFECTIVE = "2099-01-01"


def spans(history: list[dict]) -> list[tuple]:
    return [(i["start"], i["end"], i["post"], i["level"], i["policy_version"]) for i in history]


async def test_a_future_version_decides_only_from_its_effective_date(client):
    await deliver(client, hired("w-1", date(2023, 11, 21)))
    await deliver(client, appraisal("w-1", 2024, "excellent"))  # one excellent: still junior
    client.clock.day = date(2098, 12, 31)
    run = await client.post("/seniority-runs", json={"as_of": "2098-12-31"}, headers=SYSTEM)
    assert run.status_code == 201, run.text
    history = "/workers/w-1/grade-history"
    before = spans((await client.get(history, headers=SYSTEM)).json())
    assert before[-1] == ("2056-11-21", None, "junior", 12, 1)  # the top of the junior post

    (current,) = (await client.get("/policies/tianjin-3p18l", headers=SYSTEM)).json()
    # Version 2: one excellent rating is enough for the middle post.
    published = await client.post(
        "/policies/tianjin-3p18l/versions",
        json={
            **current["document"],
            "version": 2,
            "effective_from": EFFECTIVE,
            "post_thresholds": {"middle": 1, "senior": 4},
        },
        headers=SYSTEM,
    )
    assert published.status_code == 201, published.text

    client.clock.day = date.fromisoformat(EFFECTIVE)
    run = await client.post("/seniority-runs", json={"as_of": EFFECTIVE}, headers=SYSTEM)
    assert (run.json()["evaluated"], run.json()["changed"]) == (1, 1)
    after = (await client.get(history, headers=SYSTEM)).json()
    # The past is what version 1 decided; only the open interval closes the day before.
    assert spans(after)[:-2] == before[:-1]
    assert spans(after)[-2:] == [
        ("2056-11-21", "2098-12-31", "junior", 12, 1),
        # Version 2 replays the career: middle since 2025, level 15 (its top) by 2056.
        ("2099-01-01", None, "middle", 15, 2),
    ]
    assert after[-1]["reasons"][0] == {
        "rule": "policy.version",
        "detail": "Version 2 of policy tianjin-3p18l took effect on 2099-01-01: from that day "
        "the grade follows its rules (junior level 12 -> middle level 15).",
    }

    event = (await sent(client))[-1]["data"]
    assert (event["policy_version"], event["effective_date"]) == (2, EFFECTIVE)
    assert (event["old_post"], event["old_level"], event["new_post"], event["new_level"]) == (
        "junior",
        12,
        "middle",
        15,
    )
    grade = await client.get("/workers/w-1/grade", params={"as_of": "2099-06-01"}, headers=SYSTEM)
    assert (grade.json()["policy_version"], grade.json()["post"], grade.json()["level"]) == (
        2,
        "middle",
        15,
    )
    earlier = await client.get("/workers/w-1/grade", params={"as_of": "2098-06-01"}, headers=SYSTEM)
    assert (earlier.json()["policy_version"], earlier.json()["post"]) == (1, "junior")
