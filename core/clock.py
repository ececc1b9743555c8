"""An injectable clock: everything that needs "now" or "today" takes a :class:`Clock`."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    """Something that tells the time, timezone-aware."""

    def now(self) -> dt.datetime:
        """Return the current time, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in a given zone (default Asia/Ho_Chi_Minh)."""

    def __init__(self, tz: dt.tzinfo = VN_TZ) -> None:
        """A clock in zone ``tz``."""
        self.tz = tz

    def now(self) -> dt.datetime:
        """Return the current time in the clock's zone."""
        return dt.datetime.now(self.tz)


class FixedClock:
    """A clock that says what it is told; tests move it with :meth:`advance` or :meth:`set`."""

    def __init__(self, now: dt.datetime, tz: dt.tzinfo = VN_TZ) -> None:
        """A clock stopped at ``now`` (a naive time is taken in ``tz``)."""
        self.tz = tz
        self._now = now if now.tzinfo else now.replace(tzinfo=tz)

    def now(self) -> dt.datetime:
        """Return the fixed time."""
        return self._now

    def set(self, now: dt.datetime) -> None:
        """Jump to ``now`` (naive times are taken in the clock's zone)."""
        self._now = now if now.tzinfo else now.replace(tzinfo=self.tz)

    def advance(self, **delta: float) -> None:
        """Move forward by ``datetime.timedelta(**delta)``."""
        self._now += dt.timedelta(**delta)

