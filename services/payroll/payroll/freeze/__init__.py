"""Pay facts and the runs that price them take turns, and every change of facts is numbered by
the pay-fact sequence (see `repository` for how)."""

from payroll.freeze.repository import (
    facts_changing,
    facts_frozen,
    next_fact_seq,
    record_change,
)

__all__ = ["facts_changing", "facts_frozen", "next_fact_seq", "record_change"]
