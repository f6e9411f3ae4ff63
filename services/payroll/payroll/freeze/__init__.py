"""Pay facts and the runs that price them take turns (see `repository` for how)."""

from payroll.freeze.repository import facts_changing, facts_frozen

__all__ = ["facts_changing", "facts_frozen"]
