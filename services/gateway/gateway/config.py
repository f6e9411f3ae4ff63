"""Gateway settings: `GATEWAY_DATABASE_URL` and friends, plus the platform-wide Kafka variables."""

from pydantic_settings import SettingsConfigDict

from union_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
