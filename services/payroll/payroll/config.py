"""Payroll settings: `PAYROLL_DATABASE_URL` and friends, plus the platform-wide Kafka variables."""

from pydantic_settings import SettingsConfigDict

from union_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYROLL_", extra="ignore")

    service_name: str = "payroll"
    # The pay policy (payroll/pay/policies) that prices every grade; one per deployment for now.
    pay_policy: str = "tianjin-pay"
