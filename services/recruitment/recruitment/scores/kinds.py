"""The kinds of result recorded per application (recruitment.models.Score)."""

from __future__ import annotations

from enum import StrEnum


class ScoreKind(StrEnum):
    WRITTEN = "written"  # a score, 0 to the rules' max_score, two decimals
    INTERVIEW = "interview"  # a score, for shortlisted applicants only
    RUN_OFF = "run_off"  # a score, for applicants tied after the composite and written score
    MEDICAL = "medical"  # pass or fail with a reason, for those in the checks
    BACKGROUND = "background"  # pass or fail (考察) with a reason, for those in the checks


SCORED = frozenset({ScoreKind.WRITTEN, ScoreKind.INTERVIEW, ScoreKind.RUN_OFF})
PASS_OR_FAIL = frozenset({ScoreKind.MEDICAL, ScoreKind.BACKGROUND})
