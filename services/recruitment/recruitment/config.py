"""Recruitment settings: `RECRUITMENT_DATABASE_URL` and friends, plus the Kafka variables."""

from pydantic_settings import SettingsConfigDict

from union_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RECRUITMENT_", extra="ignore")

    service_name: str = "recruitment"
