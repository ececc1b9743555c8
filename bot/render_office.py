"""The coordinating office's figures as chat text: the status board, the rate line, the trend.

Only renders feature objects (unit names, dates and counts, never report content).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton

from bot import render
from bot.chat import local_time, unit_name
from core.texts import office as t, reports as tp
from features import reports
from features.rate_exports import short_label
from features.rates import OccurrenceRate, Trend
from features.report_notices import Notice, NoticeBatch, NoticeSetting
from features.reports import Board, Period
from knowledge.base import KnowledgeBase
from knowledge.textnorm import fold

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


def period_label(period: Period) -> str:
    """``Báo cáo năm, hạn 10/12/2026``.

    An ad-hoc report says "(đột xuất)" unless its title already does.
    """
    if period.due_date is None:
        named = any(w in fold(period.title) for w in ("dot xuat", "khi co yeu cau"))
        return (tp.ADHOC_PERIOD_NAMED if named else tp.ADHOC_PERIOD).format(title=period.title)
    return tp.PERIOD_LABEL.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}")


def board_text(kb: KnowledgeBase, plan_id: str, boards: list[Board], *, numbers: bool,
               figures: dict[str, OccurrenceRate] | None = None) -> str:
    """The status board as text.

    Names, statuses and dates (receipt numbers if ``numbers``); with ``figures``, each period's
    rate line (``7/9 đơn vị đã nộp (78%), 6 đúng hạn (67%)``).
    """
    lines = [tp.BOARD_HEADER.format(plan=render.plan_label(kb, plan_id))]
    for board in boards:
        period = board.period
        lines.append(tp.BOARD_PERIOD.format(
            title=period.title, due=f"{period.due_date:%d/%m/%Y}" if period.due_date else "—",
            done=board.count(reports.STATUS_ON_TIME, reports.STATUS_LATE),
            total=len(board.rows),
        ))
        figure = (figures or {}).get(period.key or "")
        if figure is not None:
            lines.append(rate_line(figure))
        for row in board.rows:
            status = tp.STATUS_LABELS[row.status]
            if row.last_submitted_at is None:
                lines.append(tp.BOARD_LINE_MISSING.format(unit=row.unit_name, status=status))
                continue
            line = tp.BOARD_LINE_DONE.format(unit=row.unit_name, status=status,
                                             when=local_time(row.last_submitted_at))
            if numbers and row.number:
                line += tp.BOARD_LINE_NUMBER.format(number=row.number)
            lines.append(line)
    return "\n".join(lines)


# --- the coordinator's notices and the missing units' reminder -------------------------------

DIGEST_SHOWN = 30  # lines of a digest (the rest: "… và N báo cáo khác")


def _notice_period(notice: Notice) -> str:
    return period_label(Period(notice.plan_id, None, notice.due_date, notice.title))


def notice_text(kb: KnowledgeBase, batch: NoticeBatch) -> str:
    """A notice (one report) or a digest: unit, period, time, receipt number — no content."""
    if not batch.digest:
        n = batch.notices[0]
        return t.NOTICE_ONE.format(unit=unit_name(kb, n.plan_id, n.unit_id),
                                   period=_notice_period(n), when=local_time(n.submitted_at),
                                   number=n.number, plan=render.plan_label(kb, n.plan_id))
    lines = [t.NOTICE_DIGEST_HEADER.format(count=len(batch.notices))]
    lines += [t.NOTICE_DIGEST_LINE.format(unit=unit_name(kb, n.plan_id, n.unit_id),
                                          period=_notice_period(n),
                                          when=local_time(n.submitted_at), number=n.number)
              for n in batch.notices[:DIGEST_SHOWN]]
    if len(batch.notices) > DIGEST_SHOWN:
        lines.append(t.NOTICE_DIGEST_MORE.format(count=len(batch.notices) - DIGEST_SHOWN))
    lines.append(t.NOTICE_DIGEST_FOOTER)
    return "\n".join(lines)


def notice_setting_text(setting: NoticeSetting, *, changed: bool) -> str:
    """``/thongbao``'s answer: the setting shown, or confirmed."""
    texts = t.NOTICE_SET if changed else t.NOTICE_SHOW
    return texts[setting.mode].format(time=f"{setting.hour:02d}:{setting.minute:02d}")


def missing_reminder_text(kb: KnowledgeBase, period: Period, unit_id: str) -> str:
    """The private reminder an officer of a missing unit gets from the button."""
    due = t.REMIND_DUE.format(due=f"{period.due_date:%d/%m/%Y}") if period.due_date else ""
    return t.REMIND_TEXT.format(unit=unit_name(kb, period.plan_id, unit_id), title=period.title,
                                due=due, plan=render.plan_label(kb, period.plan_id))


def period_buttons(prefix: str, plan_id: str, periods: Sequence[Period], template: str
                   ) -> list[list[InlineKeyboardButton]]:
    """One button per dated period, ``<prefix><plan>:<deadline>:<yyyymmdd>`` (/xuat, /tonghop).

    A period whose data would pass Telegram's 64 bytes is left out; ``template`` words the
    button from ``title`` and ``due``.
    """
    rows = []
    for period in periods:
        data = f"{prefix}{plan_id}:{period.deadline_id}:{period.due_date:%Y%m%d}"
        if len(data.encode()) <= 64:
            text = template.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}")
            rows.append([InlineKeyboardButton(text[:100], callback_data=data)])
    return rows
