"""The coordinating office's figures as chat text: the rate line and the trend.

Only renders :mod:`features.rates` objects (unit names and counts, never report content).
"""

from __future__ import annotations

from core.texts import office as t
from features.rate_exports import short_label
from features.rates import OccurrenceRate, Trend

# The trend text names at most this many regularly late units (the chart and the .xlsx, all).
MAX_LATE_UNITS = 15


def _pct(value: int | None) -> str:
    return t.RATE_NONE if value is None else f"{value}%"


def rate_line(rate: OccurrenceRate) -> str:
    """``7/9 đơn vị đã nộp (78%), 6 đúng hạn (67%)`` (with grace days and exemptions if any)."""
    line = t.RATE_LINE.format(received=rate.received, expected=rate.expected,
                              rate=_pct(rate.rate), on_time=rate.on_time,
                              on_time_rate=_pct(rate.on_time_rate))
    if rate.grace_days:
        line += t.RATE_GRACE.format(days=rate.grace_days)
    if rate.exempt:
        line += t.RATE_EXEMPT.format(count=rate.exempt)
    return line


def trend_text(trend: Trend, plan_label: str) -> str:
    """The trend: one line per occurrence, then the units that are regularly late."""
    if not trend.occurrences:
        return t.TREND_NONE.format(plan=plan_label)
    lines = [t.TREND_HEADER.format(plan=plan_label, count=len(trend.occurrences))]
    lines += [t.TREND_LINE.format(label=short_label(o, 60), line=rate_line(o))
              for o in trend.occurrences]
    late = trend.regularly_late
    if not late:
        lines.append(t.TREND_NO_LATE)
        return "\n".join(lines)
    lines.append(t.TREND_LATE_HEADER)
    for u in late[:MAX_LATE_UNITS]:
        lines.append(t.TREND_LATE_LINE.format(unit=u.unit_name, on_time=u.on_time,
                                              expected=u.expected, late=u.late,
                                              missing=u.missing))
    if len(late) > MAX_LATE_UNITS:
        lines.append(t.TREND_LATE_MORE.format(count=len(late) - MAX_LATE_UNITS))
    return "\n".join(lines)
