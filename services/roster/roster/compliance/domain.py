"""Compliance alerts: what is overdue for a worker on a date, from plain facts.

Each rule is a pure function of dates (no session, no clock); the service loads the facts for a
whole subtree in a few queries and runs these over every worker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from roster.contracts.domain import (
    ContractKind,
    ContractTerms,
    in_force_on,
    open_ended_due_on,
    social_insurance_due_on,
    written_contract_status,
)
from roster.rules.policy import RosterRules
from roster.rules.retirement import StatutoryRetirement
from roster.training.domain import TrainingDone, training_alerts


class AlertKind(StrEnum):
    WRITTEN_CONTRACT_MISSING = "written_contract_missing"
    OPEN_ENDED_CONTRACT_DUE = "open_ended_contract_due"
    SOCIAL_INSURANCE_REGISTRATION_OVERDUE = "social_insurance_registration_overdue"
    PRE_JOB_TRAINING_MISSING = "pre_job_training_missing"
    ROTATION_TRAINING_OVERDUE = "rotation_training_overdue"
    APPRAISAL_MISSING = "appraisal_missing"
    RETIREMENT_DUE = "retirement_due"


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    due_on: date
    detail: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SignedContract:
    terms: ContractTerms
    signed_on: date


@dataclass(frozen=True)
class WorkerFacts:
    """What the alerts need to know about one worker on the register."""

    hire_date: date
    social_insurance_registered_on: date | None = None
    contracts: tuple[SignedContract, ...] = ()
    trainings: tuple[TrainingDone, ...] = ()
    appraised_years: frozenset[int] = frozenset()
    retirement: StatutoryRetirement | None = None


def written_contract_alert(
    hire_date: date, signed: Iterable[date], as_of: date, rules: RosterRules
) -> Alert | None:
    """Arts. 10, 14, 82: open once the signing month has passed without a written contract. A
    contract signed late keeps its alert, with the double-wage months frozen at the signing."""
    first_signed = min(signed, default=None)
    # A signature after the as-of date did not exist yet on that date.
    signed_on = first_signed if first_signed is not None and first_signed <= as_of else None
    status = written_contract_status(hire_date, signed_on, as_of, rules)
    if not status.overdue:
        return None
    if signed_on is None:
        detail = f"no written contract; it was due by {status.deadline}"
    else:
        detail = f"written contract signed late on {signed_on}; it was due by {status.deadline}"
    detail += f" ({status.double_wage_months} month(s) of double wages, art. 82)"
    if status.deemed_open_ended:
        detail += "; a full year without one: deemed open-ended (art. 14)"
    return Alert(
        AlertKind.WRITTEN_CONTRACT_MISSING,
        status.deadline,
        detail,
        {
            "deadline": status.deadline,
            "double_wage_months": status.double_wage_months,
            "deemed_open_ended": status.deemed_open_ended,
        },
    )


def contract_in_force(contracts: Iterable[SignedContract], day: date) -> SignedContract | None:
    current = [c for c in contracts if in_force_on(c.terms, day)]
    # Contracts of one worker never overlap; should old data disagree, open-ended wins.
    current.sort(key=lambda c: (c.terms.kind is ContractKind.OPEN_ENDED, c.terms.start))
    return current[-1] if current else None


def open_ended_alert(
    hire_date: date, contracts: Iterable[SignedContract], as_of: date, rules: RosterRules
) -> Alert | None:
    """Art. 14(1): from ten years' service the contract in force should be open-ended."""
    due = open_ended_due_on(hire_date, rules)
    if as_of < due:
        return None
    current = contract_in_force(contracts, as_of)
    if current is not None and current.terms.kind is ContractKind.OPEN_ENDED:
        return None
    now = f"a fixed-term contract to {current.terms.end}" if current else "no contract"
    return Alert(
        AlertKind.OPEN_ENDED_CONTRACT_DUE,
        due,
        f"{rules.open_ended_due_service_years} years' service on {due}, but {now} is in force",
        {"contract_in_force": current.terms.kind if current else None},
    )


def social_insurance_alert(
    hire_date: date, registered_on: date | None, as_of: date, rules: RosterRules
) -> Alert | None:
    """Social Insurance Law art. 58: register within 30 days; open until registered."""
    due = social_insurance_due_on(hire_date, rules)
    if as_of <= due or (registered_on is not None and registered_on <= as_of):
        return None
    return Alert(
        AlertKind.SOCIAL_INSURANCE_REGISTRATION_OVERDUE,
        due,
        f"not registered for social insurance; it was due by {due}",
    )


def appraisal_alert(
    hire_date: date, appraised_years: Collection[int], as_of: date, rules: RosterRules
) -> Alert | None:
    """Last year's rating, for anyone on the register by its last day, is due some days after."""
    year = as_of.year - 1
    year_end = date(year, 12, 31)
    due = year_end + timedelta(days=rules.appraisal_due_days_after_year_end)
    if hire_date > year_end or as_of <= due or year in appraised_years:
        return None
    return Alert(
        AlertKind.APPRAISAL_MISSING, due, f"no appraisal for {year}; due by {due}", {"year": year}
    )


def retirement_alert(
    retirement: StatutoryRetirement | None, as_of: date, *, by_month: bool = False
) -> Alert | None:
    """From the day the statutory retirement age is reached the labour contract ends
    (Labour Contract Law Implementing Regulations art. 21): open while the worker is on the
    register.

    `by_month` for callers who see identifiers masked: the day the age is reached is the
    birthday, which with the age and the masked number's visible digits would rebuild the
    number, so they see the alert from the first of the retirement month, dated that day."""
    if retirement is None:
        return None
    due, when = retirement.on, f"on {retirement.on}"
    if by_month:
        due, when = retirement.on.replace(day=1), f"in {retirement.on:%Y-%m}"
    if as_of < due:
        return None
    return Alert(
        AlertKind.RETIREMENT_DUE,
        due,
        f"statutory retirement age {retirement.age} (original age {retirement.original_age}) "
        f"reached {when}",
        {
            "age_years": retirement.age_years,
            "age_months": retirement.age_months,
            "original_age": retirement.original_age,
        },
    )


def worker_alerts(
    facts: WorkerFacts, as_of: date, rules: RosterRules, *, masked: bool = False
) -> list[Alert]:
    """Every open alert of one worker on the register on `as_of` (`masked`: as a caller who
    sees identifiers masked may see them, see `retirement_alert`)."""
    found = [
        written_contract_alert(
            facts.hire_date, (c.signed_on for c in facts.contracts), as_of, rules
        ),
        open_ended_alert(facts.hire_date, facts.contracts, as_of, rules),
        social_insurance_alert(facts.hire_date, facts.social_insurance_registered_on, as_of, rules),
        appraisal_alert(facts.hire_date, facts.appraised_years, as_of, rules),
        retirement_alert(facts.retirement, as_of, by_month=masked),
    ]
    alerts = [a for a in found if a is not None]
    for t in training_alerts(facts.hire_date, facts.trainings, as_of, rules):
        alerts.append(Alert(AlertKind(t.kind), t.due_on, t.detail))
    return alerts


def counts_by_kind(kinds: Iterable[AlertKind]) -> dict[AlertKind, int]:
    """Every kind, zero included, in a fixed order."""
    counted = Counter(kinds)
    return {kind: counted[kind] for kind in AlertKind}
