"""`apply` under a book of policy versions: each history row records the version that decided
it, a version taking effect supersedes only the open interval, and applying again changes
nothing."""

from datetime import UTC, date, datetime

from grading.grades.repository import StoredInterval, WorkerRow
from grading.grades.service import apply
from grading.ladder.policy import PolicyBook, parse_policy, shipped_policies
from grading.policies.service import Catalogue
from union_shared.events.catalogue import GradeChangeCause

V1 = shipped_policies()["tianjin-3p18l"].versions[0]
V2 = parse_policy(
    {
        **V1.model_dump(mode="json"),
        "version": 2,
        "effective_from": "2027-01-01",
        "seniority": {"years_per_level": 2, "takes_effect": "anniversary"},
    }
)
ONLY_V1 = Catalogue({V1.id: PolicyBook(versions=[V1])}, {}, V1.id)
BOTH = Catalogue({V1.id: PolicyBook(versions=[V1, V2])}, {}, V1.id)
WORKER = WorkerRow("w-1", "street", date(2018, 3, 1), date(2018, 3, 1), "bachelor", "active", None)
D = date.fromisoformat
NOW = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)


def as_stored(rows: list[dict]) -> list[StoredInterval]:
    return [
        StoredInterval(
            r["id"],
            r["worker_id"],
            r["policy_id"],
            r["policy_version"],
            r["post"],
            r["level"],
            r["start"],
            r["end"],
        )
        for r in rows
    ]


def settle(catalogue, old, as_of):
    outcome, superseded, inserts = apply(
        WORKER, {}, old, catalogue, D(as_of), GradeChangeCause.SENIORITY, now=NOW
    )
    kept = [r for r in old if r.id not in superseded]
    return outcome, superseded, inserts, kept + as_stored(inserts)


def test_a_new_version_supersedes_only_the_open_interval_and_records_itself():
    _, _, _, history = settle(ONLY_V1, [], "2026-12-31")
    assert [(str(r.start), r.level, r.policy_version) for r in history] == [
        ("2018-03-01", 1, 1),
        ("2021-03-01", 2, 1),
        ("2024-03-01", 3, 1),
    ]
    outcome, superseded, inserts, after = settle(BOTH, history, "2027-01-01")
    assert superseded == [history[-1].id]
    assert [(str(r["start"]), str(r["end"]), r["level"], r["policy_version"]) for r in inserts] == [
        ("2024-03-01", "2026-12-31", 3, 1),
        ("2027-01-01", "None", 5, 2),
    ]
    assert inserts[-1]["reasons"][0]["rule"] == "policy.version"
    assert (outcome.changed, outcome.effective, outcome.policy.version) == (
        True,
        D("2027-01-01"),
        2,
    )
    assert outcome.standing["level"] == 5
    data = outcome.data
    assert (data["policy_version"], data["old_level"], data["new_level"]) == (2, 3, 5)
    again, superseded, inserts, _ = settle(BOTH, after, "2027-01-01")
    assert (again.changed, superseded, inserts) == (False, [], [])


def test_the_same_grades_recorded_under_another_version_are_recorded_again():
    # Stored as if version 1 had decided 2027 as well (a run dated ahead, before version 2).
    _, _, _, ahead = settle(ONLY_V1, [], "2027-06-01")
    both = Catalogue(
        {V1.id: PolicyBook(versions=[V1, V2.model_copy(update={"seniority": V1.seniority})])},
        {},
        V1.id,
    )
    outcome, superseded, inserts, _ = settle(both, ahead, "2027-06-01")
    assert [r.policy_version for r in ahead] == [1, 1, 1, 1]
    assert len(superseded) == 2  # from 2024-03-01 on: the last two intervals
    assert [(str(r["start"]), r["level"], r["policy_version"]) for r in inserts] == [
        ("2024-03-01", 3, 1),
        ("2027-01-01", 3, 2),
        ("2027-03-01", 4, 2),
    ]
    assert outcome.effective == D("2027-01-01")
