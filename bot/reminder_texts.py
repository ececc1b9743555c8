"""What a reminder says, as Telegram HTML.

The deadline, the units that have not reported and their officers' mentions (texts from
:mod:`core.texts.reminders`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.render import escape
from core.texts import reminders as t
from features import reminders as rem

MAX_MENTIONS_PER_UNIT = 3
MAX_REMINDER_CHARS = 3500  # below Telegram's 4,096, with room for the mentions' markup


def format_date(day: dt.date) -> str:
    """``10/6/2027``: day/month/year, as officers write it."""
    return f"{day.day}/{day.month}/{day.year}"


def mention(officer: rem.Officer) -> str:
    """An officer as Telegram HTML: ``@username``, else a link on the name."""
    if officer.username:
        return "@" + escape(officer.username)
    name = escape(officer.full_name or str(officer.telegram_id))
    return f'<a href="tg://user?id={officer.telegram_id}">{name}</a>'


def _unit(unit: rem.MissingUnit) -> str:
    shown = [mention(o) for o in unit.officers[:MAX_MENTIONS_PER_UNIT]]
    return escape(unit.name) + (f" ({', '.join(shown)})" if shown else "")


def _units(units: Sequence[rem.MissingUnit], budget: int) -> str:
    parts: list[str] = []
    for i, unit in enumerate(units):
        part = _unit(unit)
        if sum(len(p) + 2 for p in parts) + len(part) > budget:
            parts.append(escape(t.MORE_UNITS.format(count=len(units) - i)))
            break
        parts.append(part)
    return ", ".join(parts)


def render_reminder(reminder: rem.Reminder) -> str:
    """The Telegram HTML of a reminder (group or private)."""
    title = escape(reminder.title)
    if reminder.kind == rem.KIND_OVERDUE or reminder.days_left < 0:
        text = t.OVERDUE_HTML.format(days=-reminder.days_left, title=title)
    elif reminder.days_left == 0:
        text = t.TODAY_HTML.format(title=title)
    elif reminder.days_left == 1:
        text = t.TOMORROW_HTML.format(title=title)
    else:
        text = t.AHEAD_HTML.format(days=reminder.days_left, title=title)
    via = t.VIA.format(via=escape(reminder.via)) if reminder.via else ""
    date = format_date(reminder.date)
    if reminder.date_note:
        date += " " + t.DATE_NOTE.format(note=escape(reminder.date_note))
    text += t.DUE_HTML.format(date=date,
                              recipient=escape(reminder.recipient), via=via)
    text += t.PLAN_HTML.format(plan=escape(reminder.plan_label))
    late = reminder.days_left < 0
    if reminder.kind == rem.KIND_PRIVATE:
        template = t.PRIVATE_LATE_HTML if late else t.PRIVATE_MISSING_HTML
        return text + template.format(unit=escape(reminder.unit_name or "")) + t.PRIVATE_HINT
    if reminder.missing:
        template = t.LATE_HTML if late else t.MISSING_HTML
        text += template.format(units=_units(reminder.missing, MAX_REMINDER_CHARS - len(text)))
        text += t.SUBMIT_HINT
    return text
