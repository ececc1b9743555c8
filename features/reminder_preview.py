"""Looking ahead: what the active subscriptions will send, when, and to whom.

For ``kehoach reminders preview`` and ``/nhacviec xem``; re-exported by
:mod:`features.reminder_delivery`. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from features.reminders import (
    KIND_GROUP,
    KIND_OVERDUE,
    KIND_PRIVATE,
    OVERDUE,
    MissingUnit,
    Reminder,
    Schedule,
    list_subscriptions,
    make_reminder,
    missing_units,
    watched_deadlines,
)
from knowledge.base import KnowledgeBase
from knowledge.deadlines import Occurrence, dates_between
from storage.models import ReminderDelivery


def find_record(session: Session, chat_id: int, occurrence_key: str, lead_days: int
                ) -> ReminderDelivery | None:
    """The record of one reminder, or None."""
    return session.exec(select(ReminderDelivery).where(
        ReminderDelivery.chat_id == chat_id, ReminderDelivery.occurrence_key == occurrence_key,
        ReminderDelivery.lead_days == lead_days,
    )).first()


@dataclass(frozen=True)
class Planned:
    """A reminder the schedule will fire on ``fire_at`` (for ``kehoach reminders preview``)."""

    fire_at: dt.datetime
    reminder: Reminder
    chat_title: str | None
    status: str | None  # already recorded: claimed, sent, skipped, failed


def preview(session: Session, kb: KnowledgeBase, today: dt.date, days: int,
            schedule: Schedule) -> list[Planned]:
    """What the active subscriptions will send from ``today`` for ``days`` days, and to whom.

    Missing units are as of now; private reminders go to the officers of each missing unit.

    Returns:
        The reminders by firing time (group first, then private).
    """
    end = today + dt.timedelta(days=max(days, 1) - 1)
    out: dict[tuple[int, str, int], Planned] = {}
    missing: dict[tuple[str, tuple[str, ...]], tuple[MissingUnit, ...]] = {}
    for sub in list_subscriptions(session, active=True):
        plan = kb.get(sub.plan_id)
        if plan is None:
            continue
        leads = (*schedule.leads_of(sub), OVERDUE)
        for d in watched_deadlines(plan, sub):
            first = today - dt.timedelta(days=1)
            horizon = end + dt.timedelta(days=max(leads) + schedule.shift_days)
            for day in dates_between(d.rule, first, horizon):
                occ = Occurrence(plan, d, day)
                for lead in leads:
                    fire = schedule.fire_at(day, lead)
                    if not today <= fire.date() <= end:
                        continue
                    key = (occ.key, tuple(sub.unit_ids))
                    if key not in missing:
                        missing[key] = missing_units(session, kb, occ, today, sub.unit_ids)
                    kind = KIND_OVERDUE if lead == OVERDUE else KIND_GROUP
                    items: list[tuple[str, int, str | None, tuple[MissingUnit, ...],
                                      str | None]] = [
                        (kind, sub.chat_id, None, missing[key], sub.title)]
                    items += [(KIND_PRIVATE, o.telegram_id, u.name, (u,), o.full_name)
                              for u in missing[key] for o in u.officers]
                    for kind_, chat_id, unit_name, units, title in items:
                        if (d.submitters and not units) or (chat_id, occ.key, lead) in out:
                            continue
                        record = find_record(session, chat_id, occ.key, lead)
                        reminder = make_reminder(occ, kind_, chat_id, lead, fire.date(), units,
                                                 unit_name, schedule.date_note(day))
                        # two leads moved to the same working day: only the later one is sent
                        # (plan_due records the other "superseded")
                        for other in [k for k, p in out.items() if k[:2] == (chat_id, occ.key)
                                      and p.fire_at == fire]:
                            del out[other]
                        out[(chat_id, occ.key, lead)] = Planned(
                            fire, reminder, title, record.status if record else None)
    return sorted(out.values(), key=lambda p: (
        p.fire_at, p.reminder.kind == KIND_PRIVATE, p.reminder.chat_id))


