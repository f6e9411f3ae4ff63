"""Labour contract rules (Labour Contract Law of the PRC), pure and dated.

Terms are measured on the calendar, the first day included: a term of N months from day D ends
the day before D's counterpart N months on (the month's last day where it has no such day), so
2026-03-01 to 2027-02-28 is one year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from roster.rules.policy import RosterRules
from union_shared.errors import RuleBroken


class ContractKind(StrEnum):
    FIXED_TERM = "fixed_term"
    OPEN_ENDED = "open_ended"


@dataclass(frozen=True)
class ContractTerms:
    kind: ContractKind
    start: date
    end: date | None  # inclusive last day; None for open-ended
    probation_end: date | None  # inclusive last day of probation


class ContractRuleBroken(RuleBroken):
    """A rule of this feature refused the input (see RuleBroken)."""


def _at_least(start: date, end_inclusive: date, months: int) -> bool:
    return end_inclusive + timedelta(days=1) >= start + relativedelta(months=months)


def max_probation_months(terms: ContractTerms) -> int:
    """Art. 19: none under 3 months; 1 under a year; 2 under 3 years; else 6."""
    if terms.kind is ContractKind.OPEN_ENDED or terms.end is None:
        return 6
    if _at_least(terms.start, terms.end, 36):
        return 6
    if _at_least(terms.start, terms.end, 12):
        return 2
    if _at_least(terms.start, terms.end, 3):
        return 1
    return 0


def check_contract(terms: ContractTerms, *, had_probation_before: bool) -> None:
    """Refuse terms the law does not allow; raises ContractRuleBroken naming the field."""
    if terms.kind is ContractKind.FIXED_TERM and terms.end is None:
        raise ContractRuleBroken("end_date", "a fixed-term contract needs an end date")
    if terms.kind is ContractKind.OPEN_ENDED and terms.end is not None:
        raise ContractRuleBroken("end_date", "an open-ended contract has no end date")
    if terms.end is not None and terms.end < terms.start:
        raise ContractRuleBroken("end_date", f"ends {terms.end}, before it starts {terms.start}")
    if terms.probation_end is None:
        return
    if terms.probation_end < terms.start:
        raise ContractRuleBroken("probation_end", "probation ends before the contract starts")
    if had_probation_before:
        # Art. 19: the same employer may set a probation period only once per worker.
        raise ContractRuleBroken("probation_end", "this worker already served a probation period")
    limit = max_probation_months(terms)
    if limit == 0:
        raise ContractRuleBroken(
            "probation_end", "a contract shorter than 3 months may have no probation (art. 19)"
        )
    latest = terms.start + relativedelta(months=limit) - timedelta(days=1)
    if terms.probation_end > latest:
        raise ContractRuleBroken(
            "probation_end",
            f"probation may last at most {limit} month(s) for this contract, so end by {latest} "
            "(art. 19)",
        )
    if terms.end is not None and terms.probation_end > terms.end:
        raise ContractRuleBroken("probation_end", "probation cannot outlast the contract")


def check_within_employment(terms: ContractTerms, hire_date: date) -> None:
    """A labour contract covers work for this employer, so it cannot start before the hire."""
    if terms.start < hire_date:
        raise ContractRuleBroken(
            "start_date", f"starts {terms.start}, before the worker was hired on {hire_date}"
        )


def overlaps(a: ContractTerms, b: ContractTerms) -> bool:
    """Whether two contracts share a day (ends are inclusive; open-ended runs for ever)."""
    return (b.end is None or a.start <= b.end) and (a.end is None or b.start <= a.end)


def in_force_on(terms: ContractTerms, day: date) -> bool:
    return terms.start <= day and (terms.end is None or day <= terms.end)


@dataclass(frozen=True)
class WrittenContractStatus:
    deadline: date  # last day to sign without penalty
    overdue: bool
    double_wage_months: int  # months of double-wage exposure as of the date
    deemed_open_ended: bool


def written_contract_status(
    first_day: date, signed_on: date | None, as_of: date, rules: RosterRules
) -> WrittenContractStatus:
    """Arts. 10, 14, 82: sign within a month; after that double wages for each started month
    without a contract (at most 11); a full year without one makes the contract open-ended."""
    months = rules.written_contract_deadline_months
    deadline = first_day + relativedelta(months=months) - timedelta(days=1)
    # Exposure runs from the day after the deadline to the day before the contract is signed.
    last_exposed = min(signed_on - timedelta(days=1), as_of) if signed_on else as_of
    if last_exposed <= deadline:
        return WrittenContractStatus(deadline, False, 0, False)
    started = _started_months(deadline + timedelta(days=1), last_exposed)
    one_year = first_day + relativedelta(months=rules.deemed_open_ended_after_months)
    return WrittenContractStatus(
        deadline=deadline,
        overdue=True,
        double_wage_months=min(started, rules.double_wage_max_months),
        # Art. 14 / Implementing Regulations art. 7: a full year without a written contract means
        # one deemed open-ended from that day, however late a contract is signed afterwards.
        deemed_open_ended=as_of >= one_year and (signed_on is None or signed_on >= one_year),
    )


def _started_months(first: date, last: date) -> int:
    """How many monthly periods, counted from `first`, have begun by `last` (inclusive)."""
    delta = relativedelta(last, first)
    return delta.years * 12 + delta.months + 1


def open_ended_due_on(service_start: date, rules: RosterRules) -> date:
    """Art. 14(1): after ten years' consecutive service an open-ended contract is due."""
    return service_start + relativedelta(years=rules.open_ended_due_service_years)


def social_insurance_due_on(first_day: date, rules: RosterRules) -> date:
    """Social Insurance Law art. 58: within 30 days of employment; as in Civil Code art. 201
    the first day is not counted, so the last day is first_day + 30."""
    return first_day + timedelta(days=rules.social_insurance_registration_days)
