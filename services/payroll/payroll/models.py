"""The payroll service's own tables (its database is its own: no other service reads it)."""

from union_shared.db import Base as _Base
from union_shared.db import new_metadata


class Base(_Base):
    __abstract__ = True
    metadata = new_metadata()
