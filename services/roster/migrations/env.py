from alembic import context

from roster.config import Settings
from roster.models import Base
from union_shared.migrations import run_env

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option(
        "sqlalchemy.url", Settings().resolved_database_url().replace("%", "%%")
    )
run_env(Base.metadata, "roster")
