"""The coordinating office: ``/tinhhinh xuhuong`` (the trend) and ``/tonghop`` (the Word draft).

Thin handlers over :mod:`features.rates`, :mod:`features.compiled` and their renderers. Both
are for a plan's coordinators and the admins, in a private chat only (in a group the bot only
says to write privately); both are audited by the service functions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import render
from bot.context import BotContext
from bot.handlers.registration import choose_plan, is_private, who
from bot.render_office import rate_line, trend_text
from core.clock import VN_TZ
from core.texts import office as t
from features import compiled, compiled_docx, rate_exports, rates, reports
from features.permissions import Action, PermissionDenied, allowed
from features.reports import Period
from knowledge.base import KnowledgeBase
from knowledge.textnorm import fold
from storage.crypto import cipher_from_settings

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
CB_COMPILE = "th:"  # th:<plan>:<deadline>:<yyyymmdd>
TREND_WORDS = {"xuhuong", "xu huong", "xu-huong", "trend"}
# /tonghop offers the current occurrences and at most this many past ones.
PAST_CHOICES = 6


class _TrendFilter(filters.MessageFilter):
    """``/tinhhinh xuhuong …`` (with or without diacritics), so /tinhhinh itself is untouched."""

    def filter(self, message: Message) -> bool:
        parts = (message.text or "").split(maxsplit=2)
        if len(parts) < 2:
            return False
        word = fold(parts[1])
        if word == "xu" and len(parts) > 2:
            word = "xu " + fold(parts[2].split()[0])
        return word in TREND_WORDS


def _trend_args(args: list[str]) -> str | None:
    """The plan id after the trend word(s), if any."""
    rest = args[1:]
    if rest and fold(rest[0]) in {"huong"}:
        rest = rest[1:]
    return rest[0] if rest else None


# --- /tinhhinh xuhuong -----------------------------------------------------------------------


def _trend(session: Session, user_id: int, chat_id: int, admin_ids: list[int],
           arg: str | None, kb: KnowledgeBase, now: dt.datetime
           ) -> tuple[str | None, str | None, rates.Trend | None]:
    """(plan id, problem text, trend): the problem is the text to answer instead."""
    actor, chat_plan = who(session, user_id, chat_id, admin_ids)
    choice = choose_plan(kb, arg, chat_plan, actor, command="tinhhinh xuhuong")
    if choice.plan_id is None:
        return None, choice.problem, None
    if not allowed(actor, Action.VIEW_STATUS, plan_id=choice.plan_id):
        return choice.plan_id, t.NOT_ALLOWED, None
    try:
        found = rates.export_trend(session, actor, kb, choice.plan_id, now=now, fmt="chat",
                                   last=rates.DEFAULT_LAST)
    except rates.NoDatedDeadline:
        label = render.plan_label(kb, choice.plan_id)
        return choice.plan_id, t.NO_DATED_DEADLINE.format(plan=label), None
    return choice.plan_id, None, found


async def xuhuong(update: Update, context: BotContext) -> None:
    """/tinhhinh xuhuong [mã kế hoạch]: the rates of the last occurrences, text and chart."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    plan_id, problem, found = await context.db.run(
        _trend, update.effective_user.id, message.chat.id, list(context.settings.admin_ids),
        _trend_args(list(context.args or [])), context.kb, context.clock.now(),
    )
    if problem is not None or found is None or plan_id is None:
        await message.reply_text(problem or t.NOT_ALLOWED)
        return
    label = render.plan_label(context.kb, plan_id)
    for part in render.split_text(trend_text(found, label)):
        await message.reply_text(part)
    if found.occurrences:
        png = await asyncio.to_thread(rate_exports.trend_png, found, heading=label)
        await message.reply_photo(png, caption=t.TREND_CAPTION.format(plan=label))


# --- /tonghop --------------------------------------------------------------------------------


def compile_choices(kb: KnowledgeBase, plan_id: str, today: dt.date) -> list[Period]:
    """The occurrences /tonghop offers: the ones followed now, then the latest past ones."""
    plan = kb.get(plan_id)
    if plan is None:
        return []
    current = reports.board_periods(kb, plan_id, today)
    past = rates.dated_periods(plan, dt.date(plan.year - 1, 1, 1), today)[-PAST_CHOICES:]
    seen = {p.key for p in current}
    return current + [p for p in reversed(past) if p.key not in seen]


async def tonghop(update: Update, context: BotContext) -> None:
    """/tonghop [mã kế hoạch]: choose an occurrence, then get the compiled report (.docx)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    actor, chat_plan = await context.db.run(
        who, update.effective_user.id, message.chat.id, list(context.settings.admin_ids))
    choice = choose_plan(context.kb, (context.args or [None])[0], chat_plan, actor,
                         command="tonghop")
    if choice.plan_id is None:
        await message.reply_text(choice.problem)
        return
    if not allowed(actor, Action.EXPORT, plan_id=choice.plan_id):
        await message.reply_text(t.NOT_ALLOWED)
        return
    label = render.plan_label(context.kb, choice.plan_id)
    today = context.clock.now().astimezone(VN_TZ).date()
    rows = []
    for period in compile_choices(context.kb, choice.plan_id, today):
        data = f"{CB_COMPILE}{choice.plan_id}:{period.deadline_id}:{period.due_date:%Y%m%d}"
        if len(data.encode()) <= 64:
            text = t.COMPILE_BUTTON.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}")
            rows.append([InlineKeyboardButton(text[:100], callback_data=data)])
    if not rows:
        await message.reply_text(t.COMPILE_NONE.format(plan=label))
        return
    await message.reply_text(t.COMPILE_CHOOSE.format(plan=label),
                             reply_markup=InlineKeyboardMarkup(rows))


def _compile(session: Session, user_id: int, admin_ids: list[int], kb: KnowledgeBase,
             period: Period, now: dt.datetime, cipher) -> compiled.Compiled:
    from features.permissions import load_actor

    actor = load_actor(session, user_id, admin_ids)
    return compiled.compile_report(session, actor, kb, period, now=now, cipher=cipher)


async def on_compile(update: Update, context: BotContext) -> None:
    """A ``th:`` button: compile the chosen occurrence and send the .docx."""
    query = update.callback_query
    plan_id, _, rest = query.data.removeprefix(CB_COMPILE).partition(":")
    deadline_id, _, day = rest.partition(":")
    try:
        due = dt.datetime.strptime(day, "%Y%m%d").date()  # noqa: DTZ007 - a date only
    except ValueError:
        due = None
    period = reports.find_period(context.kb, plan_id, deadline_id, due) if due else None
    if period is None or not isinstance(query.message, Message) or not is_private(query.message):
        await query.answer(t.STALE, show_alert=True)
        return
    settings = context.settings
    cipher = cipher_from_settings(settings) if settings.incidents_enabled else None
    try:
        content = await context.db.run(
            _compile, update.effective_user.id, list(settings.admin_ids), context.kb, period,
            context.clock.now(), cipher,
        )
    except PermissionDenied:
        await query.answer(t.NOT_ALLOWED, show_alert=True)
        return
    await query.answer()
    data = await asyncio.to_thread(compiled_docx.render_docx, content)
    assert period.due_date is not None
    await query.message.reply_document(
        InputFile(data, filename=f"tong-hop-{plan_id}-{deadline_id}-{period.due_date}.docx"),
        caption=t.COMPILE_CAPTION.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}",
                                         line=rate_line(content.rate)),
    )


def register(application: Application) -> None:
    """Add /tinhhinh xuhuong (before the reports' /tinhhinh), /tonghop and its buttons."""
    application.add_handlers([
        CommandHandler("tinhhinh", xuhuong, filters=_TrendFilter()),
        CommandHandler("tonghop", tonghop),
        CallbackQueryHandler(on_compile, pattern=f"^{CB_COMPILE}"),
    ])
