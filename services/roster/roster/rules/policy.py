"""Load and pick the roster rules in force on a date."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, model_validator

from union_shared.versioned import check_ordered, in_force

RULES_FILE = Path(__file__).with_name("roster_rules.yaml")


class RosterRules(BaseModel):
    version: int = Field(ge=1)
    effective_from: date
    source: str
    written_contract_deadline_months: int = Field(ge=1)
    double_wage_max_months: int = Field(ge=0)
    deemed_open_ended_after_months: int = Field(ge=1)
    open_ended_due_service_years: int = Field(ge=1)
    social_insurance_registration_days: int = Field(ge=1)
    pre_job_training_grace_days: int = Field(ge=0)
    rotation_training_interval_years: int = Field(ge=1)
    excellent_share_warning: Decimal = Field(gt=0, le=1)
    appraisal_due_days_after_year_end: int = Field(ge=0)
    # A re-hired worker's earlier service counts towards seniority (工龄) unless a city says not.
    rehire_counts_earlier_service: bool = True


class RulesBook(BaseModel):
    versions: list[RosterRules] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> RulesBook:
        check_ordered(self.versions, "rule")
        return self

    def in_force(self, on: date) -> RosterRules:
        return in_force(self.versions, on, "roster rules")


@functools.cache
def rules_book() -> RulesBook:
    return RulesBook.model_validate(yaml.safe_load(RULES_FILE.read_text()))


def rules_on(day: date) -> RosterRules:
    return rules_book().in_force(day)
