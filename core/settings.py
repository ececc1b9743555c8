"""The one typed settings object, read from the environment and ``.env`` (see ``.env.example``).

Nothing else in the project reads ``os.environ``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """All settings of the assistant."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = "sqlite:///data/kehoach.db"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    timezone: str = "Asia/Ho_Chi_Minh"
    plans_dir: Path | None = None
    files_dir: Path = Path("data/files")
    max_file_mb: int = 20
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    incidents_enabled: bool = True
    incident_key: SecretStr | None = None
    incident_retention_months: int = 24
    reminder_hour: int = 8
    reminder_skip_weekends: bool = True  # and holidays: reminders move to the working day before
    reminder_lead_days: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [7, 3, 1, 0]
    )
    follow_up_minutes: int = 10
    log_level: str = "INFO"

    @field_validator("admin_ids", "reminder_lead_days", mode="before")
    @classmethod
    def _split_ints(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(x) for x in value.replace(";", ",").split(",") if x.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("telegram_bot_token", "webhook_secret", "incident_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Load the settings once."""
    return Settings()
