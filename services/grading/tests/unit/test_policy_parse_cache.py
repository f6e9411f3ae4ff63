"""Stored policy versions are parsed once per stored identity, not on every event."""

from datetime import UTC, datetime

from grading.ladder.policy import shipped_policies
from grading.models import PolicyVersion
from grading.policies.service import _parsed


def stored(published_at: datetime) -> PolicyVersion:
    version = shipped_policies()["tianjin-3p18l"].versions[0]
    return PolicyVersion(
        policy_id=version.id,
        version=version.version,
        effective_from=version.effective_from,
        document=version.model_dump(mode="json"),
        published_by="test",
        published_at=published_at,
    )


def test_a_stored_version_is_parsed_once_and_another_row_again():
    first = stored(datetime(2026, 1, 1, tzinfo=UTC))
    assert _parsed(first) is _parsed(stored(datetime(2026, 1, 1, tzinfo=UTC)))
    other = _parsed(stored(datetime(2026, 1, 2, tzinfo=UTC)))
    assert other is not _parsed(first)
    assert other == _parsed(first)
