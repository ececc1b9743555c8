"""Column types and constraints shared by the table models (:mod:`storage.models`).

Times are stored in UTC and read back timezone-aware (:class:`UTCDateTime`), the same on
SQLite and PostgreSQL; JSON columns are ``JSONB`` on PostgreSQL (:data:`JSONType`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

UTC = dt.UTC


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored as UTC; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """The value as written: in UTC, without its zone on SQLite (which keeps none).

        Raises:
            ValueError: ``value`` is naive (take "now" from the injected clock).
        """
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """The value as read: timezone-aware, in UTC (SQLite's naive values are UTC)."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


def in_values(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint keeping ``column`` to one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
