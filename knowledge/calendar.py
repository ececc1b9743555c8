"""Deadlines as an iCalendar file officers import into their phone's calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from core.texts import answers as P
from knowledge.deadlines import Occurrence, submitter_names
from knowledge.wording import plan_label


def build_calendar(occurrences: Iterable[Occurrence]) -> Calendar:
    """An all-day event per occurrence, with a reminder 3 days before at 08:00."""
    cal = Calendar()
    cal.add("prodid", "-//kehoach//Lich han bao cao//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", P.CALENDAR_NAME)
    for occ in occurrences:
        if occ.date is None:
            continue
        d = occ.deadline
        ev = Event()
        ev.add("uid", f"{occ.key}@kehoach")
        ev.add("summary", P.CALENDAR_SUMMARY.format(title=d.title))
        ev.add("dtstart", occ.date)
        ev.add("dtend", occ.date + dt.timedelta(days=1))
        ev.add("dtstamp", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        via = P.VIA.format(via=d.via) if d.via else ""
        ev.add("description", P.CALENDAR_DESCRIPTION.format(
            who=", ".join(submitter_names(occ.plan, d)), recipient=d.recipient, via=via,
            plan=plan_label(occ.plan), section=d.section, text=d.text,
        ))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", P.CALENDAR_ALARM.format(title=d.title))
        alarm.add("trigger", dt.timedelta(days=-3, hours=8))
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal


def write_ics(occurrences: Iterable[Occurrence], path: Path) -> None:
    """Write the calendar of ``occurrences`` to ``path``."""
    path.write_bytes(build_calendar(occurrences).to_ical())
