"""Grading settings: `GRADING_DATABASE_URL` and friends, plus the Kafka variables."""

from pydantic_settings import SettingsConfigDict

from union_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GRADING_", extra="ignore")

    service_name: str = "grading"
    # The ladder for units without an assignment of their own.
    default_policy: str = "tianjin-3p18l"
