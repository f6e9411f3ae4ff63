"""The domain's shared words: ratings, education, qualifications and why a grade changed.

Pure values, used by several services' domain code (the ladder reads ratings and education, pay
reads qualifications) and carried by their events: the event catalogue imports them from here,
never the other way round.
"""

from __future__ import annotations

from enum import StrEnum


class Rating(StrEnum):
    """Annual appraisal ratings (优秀 / 称职 / 基本称职 / 不称职)."""

    EXCELLENT = "excellent"
    COMPETENT = "competent"
    BASICALLY_COMPETENT = "basically_competent"
    INCOMPETENT = "incompetent"


class Education(StrEnum):
    BELOW_BACHELOR = "below_bachelor"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class Qualification(StrEnum):
    """National social work qualification (社会工作者职业资格)."""

    NONE = "none"
    ASSISTANT = "assistant_social_worker"
    SOCIAL_WORKER = "social_worker"
    SENIOR = "senior_social_worker"


class GradeChangeCause(StrEnum):
    ONBOARDING = "onboarding"
    APPRAISAL = "appraisal"
    SENIORITY = "seniority"
    TRANSFER = "transfer"
    POLICY = "policy"
    REHIRE = "rehire"
