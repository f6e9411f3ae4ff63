from datetime import date

from grading.grades.service import first_difference
from grading.ladder.evaluation import GradeInterval


def iv(post, level, start, end):
    end_day = date.fromisoformat(end) if end else None
    return GradeInterval(post, level, date.fromisoformat(start), end_day, [])


def test_a_change_of_grade_dates_from_its_own_start_not_the_interval_before():
    old = [iv("junior", 1, "2022-03-01", "2025-02-28"), iv("junior", 2, "2025-03-01", None)]
    new = [iv("junior", 1, "2022-03-01", "2024-12-31"), iv("middle", 4, "2025-01-01", None)]
    assert first_difference(old, new) == date(2025, 1, 1)


def test_a_grade_that_ends_earlier_differs_from_the_next_day():
    old = [iv("junior", 1, "2022-03-01", None)]
    new = [iv("junior", 1, "2022-03-01", "2026-06-30")]
    assert first_difference(old, new) == date(2026, 7, 1)


def test_a_first_grade_differs_from_its_start():
    assert first_difference([], [iv("junior", 1, "2022-03-01", None)]) == date(2022, 3, 1)
