"""The README's campaign walk states what the rules give: its shortlist table (quota 2 at 1:3 is
6 places, two tie at the 6th, 7 go through) and its ranking table, read from the README and
computed again here."""

import re
from decimal import Decimal
from pathlib import Path

from recruitment.rules.schema import CampaignRules
from recruitment.rules.scoring import Candidate, WrittenResult, composite, rank, shortlist

README = Path(__file__).resolve().parents[4] / "README.md"
SHORTLIST_ROW = re.compile(r"^\| (R\d{3}) +\| +([\d.]+) \| (yes|no) +\|$", re.M)
RANKING_ROW = re.compile(r"^\| (\d+) \| (R\d{3}) \| ([\d.]+) \| (\d+) \| ([\d.]+) \|$", re.M)


def walk() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### One campaign walked from a posting to a hire")
    return text[start : text.index("\n## ", start)]


def test_the_readme_shortlist_is_what_shortlist_gives():
    rows = SHORTLIST_ROW.findall(walk())
    assert len(rows) == 8
    pool = [WrittenResult(number, Decimal(score)) for number, score, _ in rows]
    result = shortlist(pool, 2, CampaignRules())
    assert (result.places, result.cut_line) == (6, Decimal("74.00"))
    kept = {c.application_no for c in result.kept}
    assert {number: number in kept for number, _, _ in rows} == {
        number: shown == "yes" for number, _, shown in rows
    }


def test_the_readme_ranking_is_what_composite_and_rank_give():
    rules = CampaignRules()
    rows = RANKING_ROW.findall(walk())
    assert len(rows) == 7
    candidates = [
        Candidate(number, composite(Decimal(w), Decimal(i), rules), Decimal(w), Decimal(i))
        for _, number, w, i, _ in rows
    ]
    ranked = rank(candidates, rules)
    assert [
        (str(r.rank), r.candidate.application_no, str(r.candidate.composite)) for r in ranked
    ] == [(position, number, total) for position, number, _, _, total in rows]
