"""The post-and-level ladder: versioned grading policies and the pure engine that applies them."""

from grading.ladder.engine import evaluate, explain
from grading.ladder.evaluation import Evaluation, GradeInterval, Reason, WorkerFacts
from grading.ladder.policy import (
    Policy,
    PolicyBook,
    PolicyRefused,
    PostLevelPolicy,
    RankPolicy,
    add_version,
    can_publish,
    level_range,
    load_policy_book,
    parse_policy,
    parse_policy_book,
    publish,
    shipped_policies,
)
from grading.ladder.versions import BookEvaluation, evaluate_book

__all__ = [
    "BookEvaluation",
    "Evaluation",
    "GradeInterval",
    "Policy",
    "PolicyBook",
    "PolicyRefused",
    "PostLevelPolicy",
    "RankPolicy",
    "Reason",
    "WorkerFacts",
    "add_version",
    "can_publish",
    "evaluate",
    "evaluate_book",
    "explain",
    "level_range",
    "load_policy_book",
    "parse_policy",
    "parse_policy_book",
    "publish",
    "shipped_policies",
]
