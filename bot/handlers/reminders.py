"""Reminder commands: /nhacviec, /tatnhac and /lich.

/nhacviec and /tatnhac are for a plan's coordinator or an admin, in a group; /lich sends the
chat's deadlines as an .ics calendar file.

Handlers are thin: one ``db.run`` to a function of :mod:`features.reminder_requests` (a typed
:class:`~features.reminder_requests.Outcome`; a refusal is ``PermissionDenied``), then one
reply. A group's migration is :mod:`bot.handlers.chat_status`'s.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import Application, CommandHandler

from bot import asking
from bot.context import BotContext
from bot.reminders import format_date, render_reminder
from bot.render import echo, escape, plain_text
from core.texts import format as F, reminders as t
from features import reminder_delivery as rd, reminder_requests as req, reminders as rem
from features.reminder_requests import UPCOMING_DAYS, Outcome, Status
from knowledge.base import KnowledgeBase
from knowledge.calendar import build_calendar
from knowledge.workdays import WEEKDAYS

__all__ = ["Outcome", "register", "render_subscribed", "render_upcoming"]

COMMANDS = t.COMMANDS
UPCOMING_MAX = 20


def render_upcoming(planned: list[rd.Planned]) -> str:
    """The reply of /nhacviec xem: one line per reminder, at the time it will go out."""
    if not planned:
        return escape(t.UPCOMING_NONE.format(days=UPCOMING_DAYS))
    lines = [escape(t.UPCOMING_HEAD.format(days=UPCOMING_DAYS))]
    for p in planned[:UPCOMING_MAX]:
        first = plain_text(render_reminder(p.reminder)).split("\n")[0]
        when = f"{WEEKDAYS[p.fire_at.weekday()]} {p.fire_at:%d/%m/%Y %H:%M}"
        lines.append(escape(t.UPCOMING_ITEM.format(when=when, text=first)))
    if len(planned) > UPCOMING_MAX:
        lines.append(escape(t.UPCOMING_MORE.format(n=len(planned) - UPCOMING_MAX)))
    return "\n".join(lines)


def _leads_text(leads: Iterable[int]) -> str:
    parts = [t.LEAD_BEFORE.format(days=n) if n else t.LEAD_SAME_DAY for n in leads]
    return ", ".join(parts[:-1]) + t.LEADS_JOIN + parts[-1] if len(parts) > 1 else parts[0]


def render_subscribed(outcome: Outcome, kb: KnowledgeBase, schedule: rem.Schedule) -> str:
    """The confirmation of /nhacviec: plan, deadlines, units, lead days, next deadline."""
    sub = outcome.subscription
    assert sub is not None
    plan = kb.get(sub.plan_id)
    assert plan is not None
    text = t.SUBSCRIBED_HTML.format(plan=escape(f"{plan.locality} {plan.year}"))
    if sub.deadline_ids:
        titles = [d.title for d in plan.deadlines if d.id in sub.deadline_ids]
        text += t.DEADLINES_SOME_HTML.format(titles=escape("; ".join(titles)))
    else:
        text += t.DEADLINES_ALL
    if sub.unit_ids:
        names = [u.name for u in plan.units if u.id in sub.unit_ids]
        text += t.UNITS_SOME_HTML.format(units=escape(", ".join(names)))
    text += t.LEADS_HTML.format(leads=_leads_text(schedule.leads_of(sub)), hour=schedule.hour)
    if outcome.next is not None and outcome.next.date is not None:
        text += t.NEXT_HTML.format(title=escape(outcome.next.deadline.title),
                                   date=format_date(outcome.next.date))
    else:
        text += t.NO_NEXT
    if sub.message_thread_id is not None:
        text += t.TOPIC_NOTE
    return text + t.OVERDUE_NOTE + escape(t.SUBSCRIBE_USAGE)


ECHO_ITEMS = 5  # items of the user's request repeated in a refusal


def _refusal(outcome: Outcome) -> str:
    shown = [F.quote(echo(i)) for i in outcome.items[:ECHO_ITEMS]]
    items = ", ".join(shown + (["…"] if len(outcome.items) > ECHO_ITEMS else []))
    choices = "".join(t.CHOICE_LINE.format(title=c) for c in outcome.choices)
    return {
        Status.NO_PLAN: t.NO_PLAN, Status.NONE: t.NOT_SUBSCRIBED,
        Status.UNKNOWN: t.UNKNOWN_TARGETS.format(items=items) + t.CHOICES.format(lines=choices),
        Status.DATELESS: t.DATELESS.format(items=items) + t.CHOICES.format(lines=choices),
        Status.BAD_LEADS: t.BAD_LEADS.format(max=rem.MAX_LEAD_DAYS),
    }.get(outcome.status, t.NOT_ALLOWED)


def _is_group(update: Update) -> bool:
    return update.effective_chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def _reply(update: Update, html: str) -> None:
    await update.effective_message.reply_text(html, parse_mode=ParseMode.HTML,
                                              disable_web_page_preview=True)


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/nhacviec [hạn; đơn vị | trước 7 3 1 0 | xem]: subscribe the group to reminders.

    In a forum topic, reminders go to that topic; ``xem`` shows what it will be sent.
    """
    if not _is_group(update):
        await _reply(update, escape(t.GROUP_ONLY))
        return
    chat = update.effective_chat
    schedule = rem.Schedule.from_settings(context.settings)
    if [a.lower() for a in context.args or []] == ["xem"]:
        planned = await context.db.run(req.upcoming, context.kb, chat.id,
                                       context.clock.now().date(), schedule)
        await _reply(update, render_upcoming(planned))
        return
    message = update.effective_message
    topic = message.message_thread_id if message.is_topic_message else None
    outcome = await context.db.run(  # a refusal: its reply comes from bot.refusals
        req.subscribe, context.kb, context.settings.admin_ids, chat.id, chat.title,
        update.effective_user.id, " ".join(context.args or []), context.clock.now(), topic,
    )
    if outcome.status is not Status.OK:
        await _reply(update, escape(_refusal(outcome)))
        return
    await _reply(update, render_subscribed(outcome, context.kb, schedule))


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/tatnhac: stop the group's deadline reminders."""
    if not _is_group(update):
        await _reply(update, escape(t.GROUP_ONLY))
        return
    outcome = await context.db.run(req.unsubscribe, context.settings.admin_ids,  # bot.refusals
                                   update.effective_chat.id, update.effective_user.id,
                                   context.clock.now())
    ok = outcome.status is Status.OK
    await _reply(update, escape(t.UNSUBSCRIBED if ok else _refusal(outcome)))


async def calendar_command(update: Update, context: BotContext) -> None:
    """/lich: the chat's deadlines of the next 12 months as an .ics file."""
    user = update.effective_user
    own = await asking.asker_plans(context, user.id if user else None)
    plan_id, occurrences = await context.db.run(
        rem.calendar_occurrences, context.kb, update.effective_chat.id,
        context.clock.now().date(), 365, own,
    )
    plan = context.kb.get(plan_id) if plan_id else None
    if plan is None:
        await _reply(update, escape(t.CALENDAR_NO_PLAN))
        return
    label = f"{plan.locality} {plan.year}"
    if not occurrences:
        await _reply(update, escape(t.CALENDAR_EMPTY.format(plan=label)))
        return
    await update.effective_message.reply_document(
        document=build_calendar(occurrences).to_ical(),
        filename=t.CALENDAR_FILE.format(plan=plan.id),
        caption=t.CALENDAR_CAPTION.format(plan=label, count=len(occurrences)),
    )


def register(application: Application) -> None:
    """Add /nhacviec, /tatnhac and /lich (a group's migration is handled in common)."""
    application.add_handlers([
        CommandHandler("nhacviec", subscribe_command),
        CommandHandler("tatnhac", unsubscribe_command),
        CommandHandler("lich", calendar_command),
    ])
