from alembic import context

from recruitment.config import Settings
from recruitment.models import Base
from union_shared.migrations import run_env

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option(
        "sqlalchemy.url", Settings().resolved_database_url().replace("%", "%%")
    )
run_env(Base.metadata, "recruitment")
