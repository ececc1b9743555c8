"""The one typed settings object, read from the environment and ``.env`` (see ``.env.example``).

Nothing else in the project reads ``os.environ``. :func:`get_settings` reads the ``.env`` of the
*home folder* and resolves relative paths (``DATABASE_URL``'s SQLite file, ``FILES_DIR``,
``PLANS_DIR``) against it, whatever the current directory is (:func:`home_dir`): the folder
named by ``KEHOACH_HOME``, else the checkout the package runs from, else
``~/.local/share/kehoach``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """All settings of the assistant."""

    # no .env by default: get_settings() names the home folder's (never the current directory's)
    model_config = SettingsConfigDict(env_file=None, env_file_encoding="utf-8", extra="ignore")

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


    def at_home(self, home: Path) -> Settings:
        """These settings with their relative paths made absolute under ``home``.

        A SQLite ``DATABASE_URL`` with a relative file (``sqlite:///data/kehoach.db``),
        ``FILES_DIR`` and ``PLANS_DIR`` are relative to the home folder, not to the current
        directory; absolute paths, ``~`` paths and in-memory databases are kept as they are.
        """
        update: dict[str, object] = {"database_url": _sqlite_at(self.database_url, home)}
        if not self.files_dir.expanduser().is_absolute():
            update["files_dir"] = home / self.files_dir
        if self.plans_dir is not None and not self.plans_dir.expanduser().is_absolute():
            update["plans_dir"] = home / self.plans_dir
        return self.model_copy(update=update)


HOME_VARIABLE = "KEHOACH_HOME"
_SQLITE_FILE = re.compile(r"^(sqlite(?:\+\w+)?:///)([^?]*)(\?.*)?$")


def _sqlite_at(url: str, home: Path) -> str:
    """``url`` with a relative SQLite file made absolute under ``home``."""
    match = _SQLITE_FILE.match(url)
    if match is None:
        return url
    prefix, path, query = match.group(1), match.group(2), match.group(3) or ""
    if path in ("", ":memory:") or path.startswith("~") or Path(path).is_absolute():
        return url
    return f"{prefix}{home / path}{query}"


def installation_dir() -> Path:
    """The folder the assistant is installed in: the checkout holding ``core/``.

    An installation that is not a checkout (a wheel in site-packages, no ``pyproject.toml``
    beside the package) keeps its data in ``$XDG_DATA_HOME/kehoach`` (default
    ``~/.local/share/kehoach``).
    """
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file():
        return checkout
    data_home = os.environ.get("XDG_DATA_HOME") or "~/.local/share"
    return Path(data_home).expanduser().resolve() / "kehoach"


def home_dir() -> Path:
    """The folder of ``.env`` and of the relative data paths: ``KEHOACH_HOME`` when set."""
    named = os.environ.get(HOME_VARIABLE, "").strip()
    if named:
        return Path(named).expanduser().resolve()
    return installation_dir()


def load_settings(home: Path | None = None) -> Settings:
    """Read the settings of ``home`` (default :func:`home_dir`).

    Its ``.env`` is read, then the environment (which wins); relative paths are resolved
    under ``home``.
    """
    folder = home or home_dir()
    return Settings(_env_file=folder / ".env").at_home(folder)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Load the settings once (:func:`load_settings` of the home folder)."""
    return load_settings()
