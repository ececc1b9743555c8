"""The working calendar of Viet Nam for reminders: weekends, public holidays, make-up days.

Public holidays (Tết Nguyên đán included) and the make-up Saturdays the package knows come from
the maintained ``holidays`` package (country ``VN``); the government's yearly decisions on
make-up days and extended breaks that the package lacks are a small reviewed list,
``knowledge/workdays.yaml``. A malformed list is logged and the package's days are used alone
(reminders must keep going out).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import holidays
import yaml

from core.texts import answers as P
from core.texts.answers import WEEKDAYS

__all__ = ["WEEKDAYS"]

logger = logging.getLogger(__name__)

WORKDAYS_FILE = Path(__file__).with_name("workdays.yaml")
MAX_SHIFT_DAYS = 20  # the longest run of days off (Tết and a weekend) is far shorter


@lru_cache(maxsize=32)
def _package_year(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """The package's holidays (Vietnamese names) and make-up working days of ``year``."""
    vn = holidays.country_holidays("VN", years=year, language="vi")
    days = {d: str(name) for d, name in vn.items()}
    return days, frozenset(d for d in vn.weekend_workdays if d.year == year)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days; reviewed extras on top of the package."""

    skip_weekends: bool = True
    make_up: frozenset[dt.date] = field(default_factory=frozenset)  # working Saturdays/Sundays
    days_off: dict[dt.date, str] = field(default_factory=dict)  # extended breaks, by reason

    def day_off_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day ("Chủ nhật", "Tết Nguyên Đán"), or None."""
        holidays_, package_make_up = _package_year(day.year)
        if day in self.days_off:
            return self.days_off[day]
        if day in holidays_:
            return holidays_[day]
        if day in self.make_up or day in package_make_up:
            return None
        if self.skip_weekends and day.weekday() >= 5:
            return WEEKDAYS[day.weekday()]
        return None

    def is_working_day(self, day: dt.date) -> bool:
        """Whether officers work on ``day``."""
        return self.day_off_reason(day) is None

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if a working day, else the last working day before it."""
        for back in range(MAX_SHIFT_DAYS + 1):
            candidate = day - dt.timedelta(days=back)
            if self.is_working_day(candidate):
                return candidate
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if a working day, else the first working day after it."""
        for ahead in range(MAX_SHIFT_DAYS + 1):
            candidate = day + dt.timedelta(days=ahead)
            if self.is_working_day(candidate):
                return candidate
        return day


def load_working_calendar(*, skip_weekends: bool = True,
                          path: Path = WORKDAYS_FILE) -> WorkingCalendar:
    """The calendar with the reviewed list of ``path`` (logged and left out when malformed).

    Args:
        skip_weekends: Saturdays and Sundays are days off (REMINDER_SKIP_WEEKENDS).
        path: the reviewed list (see the file for its format).

    Returns:
        The calendar; the package's holidays alone when the list cannot be used.
    """
    try:
        make_up, days_off = _read_list(path)
    except (OSError, yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        logger.error("%s: lịch làm việc không dùng được (%s); chỉ dùng ngày lễ của gói holidays",
                     path, exc)
        return WorkingCalendar(skip_weekends=skip_weekends)
    return WorkingCalendar(skip_weekends, frozenset(make_up), days_off)


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ValueError(f"{where}: {value!r} is not a date YYYY-MM-DD")


def _read_list(path: Path) -> tuple[set[dt.date], dict[dt.date, str]]:
    if not path.exists():
        return set(), {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError("expected a mapping of years")
    make_up: set[dt.date] = set()
    days_off: dict[dt.date, str] = {}
    for year, entry in raw.items():
        entry = entry or {}
        source = str(entry.get("source") or "")
        if not source:
            raise ValueError(f"{year}: every year needs its source (the government's decision)")
        for value in entry.get("make_up") or []:
            make_up.add(_date(value, f"{year}.make_up"))
        for item in entry.get("days_off") or []:
            days_off[_date(item.get("date"), f"{year}.days_off")] = str(
                item.get("reason") or P.DAY_OFF)
    return make_up, days_off
