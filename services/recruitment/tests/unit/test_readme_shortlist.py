"""The README's worked shortlist: quota 2 at 1:3 is 6 places, two tie at the 6th, 7 go through.
The table below is the README's; keep the two the same."""

from decimal import Decimal

from recruitment.rules.schema import CampaignRules
from recruitment.rules.scoring import WrittenResult, shortlist

# (application number, written score, shortlisted), as the README's table has them.
README_TABLE = [
    ("R001", "74.00", True),
    ("R002", "88.50", True),
    ("R003", "70.50", False),
    ("R004", "81.00", True),
    ("R005", "74.00", True),
    ("R006", "79.50", True),
    ("R007", "84.00", True),
    ("R008", "76.50", True),
]
README_QUOTA = 2
README_PLACES = 6
README_CUT_LINE = Decimal("74.00")


def test_the_readme_shortlist():
    pool = [WrittenResult(number, Decimal(score)) for number, score, _ in README_TABLE]
    result = shortlist(pool, README_QUOTA, CampaignRules())
    kept = {c.application_no for c in result.kept}
    assert result.places == README_PLACES
    assert result.cut_line == README_CUT_LINE
    assert len(kept) == 7
    assert {number: number in kept for number, _, _ in README_TABLE} == {
        number: shortlisted for number, _, shortlisted in README_TABLE
    }
