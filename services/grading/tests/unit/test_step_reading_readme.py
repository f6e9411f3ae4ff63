"""The README's worked example of the two readings of steps after a post change states the
grades the engine gives: the career it describes, replayed under each reading."""

import re
from datetime import date
from pathlib import Path

from grading.ladder.engine import evaluate
from grading.ladder.evaluation import WorkerFacts
from grading.ladder.policy import StepReading, parse_policy, shipped_policies
from union_shared.vocabulary import Rating

README = Path(__file__).resolve().parents[4] / "README.md"
TIANJIN = shipped_policies()["tianjin-3p18l"].versions[0]
# A row of the example's table: | `reading` | ... | **post level** |
ROW = re.compile(r"^\| `(level_carried|level_from_service)` \|.*\| \*\*(\w+) (\d+)\*\* \|$", re.M)


def grading_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Grading: the post-and-level ladder")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_readme_states_the_grades_the_engine_gives_under_each_reading():
    section = grading_section()
    example = section[section.index("**The worked example under both readings.**") :]
    assert "Hired 2022-03-01, appraised excellent in 2022, 2023\nand 2024" in example
    assert "as of 2025-03-01" in example
    stated = {reading: (post, int(level)) for reading, post, level in ROW.findall(example)}
    assert stated == {"level_carried": ("middle", 5), "level_from_service": ("middle", 4)}
    facts = WorkerFacts(
        hire_date=date(2022, 3, 1),
        seniority_start=date(2022, 3, 1),
        appraisals={year: Rating.EXCELLENT for year in (2022, 2023, 2024)},
    )
    for reading in StepReading:
        policy = parse_policy(
            {**TIANJIN.model_dump(mode="json"), "steps_after_post_change": reading.value}
        )
        result = evaluate(facts, policy, date(2025, 3, 1))
        assert (result.post, result.level) == stated[reading.value], reading
