"""The coordinating office: ``/tinhhinh xuhuong`` (the trend) and ``/tonghop`` (the Word draft).

Thin handlers over :mod:`features.rates`, :mod:`features.compiled` and their renderers. Both
are for a plan's coordinators and the admins, in a private chat only (in a group the bot only
says to write privately); both are audited by the service functions.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import render
from bot.chat import is_private
from bot.context import BotContext
from bot.render_office import notice_setting_text, period_buttons, rate_line, trend_text
from bot.render_roles import for_plan
from core.clock import VN_TZ
from core.texts import office as t
from features import compiled_docx, office, rate_exports, report_notices
from features.status import UnknownPeriod
from knowledge.textnorm import fold
from storage.crypto import cipher_from_settings

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
CB_COMPILE = "th:"  # th:<plan>:<deadline>:<yyyymmdd>
TREND_WORDS = {"xuhuong", "xu huong", "xu-huong", "trend"}


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
    """The plan typed after the trend word(s), if any."""
    rest = args[1:]
    if rest and fold(rest[0]) in {"huong"}:
        rest = rest[1:]
    return " ".join(rest) or None


# --- /tinhhinh xuhuong -----------------------------------------------------------------------


async def xuhuong(update: Update, context: BotContext) -> None:
    """/tinhhinh xuhuong [kế hoạch]: the rates of the last occurrences, text and chart."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    found = await for_plan(update, context, office.plan_trend,
                           _trend_args(list(context.args or [])), context.clock.now())
    if found is None:
        return
    plan_id = found.resolution.plan_id
    label = render.plan_label(context.kb, plan_id)
    trend = found.trend
    if not found.dated or trend is None:
        await message.reply_text(t.NO_DATED_DEADLINE.format(plan=label))
        return
    for part in render.split_text(trend_text(trend, label)):
        await message.reply_text(part)
    if trend.occurrences:
        png = await asyncio.to_thread(rate_exports.trend_png, trend, heading=label)
        await message.reply_photo(png, caption=t.TREND_CAPTION.format(plan=label))


# --- /tonghop --------------------------------------------------------------------------------


async def tonghop(update: Update, context: BotContext) -> None:
    """/tonghop [kế hoạch]: choose an occurrence, then get the compiled report (.docx)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    found = await for_plan(update, context, office.compile_choices,
                           " ".join(context.args or []) or None,
                           context.clock.now().astimezone(VN_TZ).date())
    if found is None:
        return
    plan_id = found.resolution.plan_id
    label = render.plan_label(context.kb, plan_id)
    rows = period_buttons(CB_COMPILE, plan_id, found.periods, t.COMPILE_BUTTON)
    if not rows:
        await message.reply_text(t.COMPILE_NONE.format(plan=label))
        return
    await message.reply_text(t.COMPILE_CHOOSE.format(plan=label),
                             reply_markup=InlineKeyboardMarkup(rows))


async def on_compile(update: Update, context: BotContext) -> None:
    """A ``th:`` button: compile the chosen occurrence and send the .docx."""
    query = update.callback_query
    plan_id, _, rest = query.data.removeprefix(CB_COMPILE).partition(":")
    deadline_id, _, day = rest.partition(":")
    if not isinstance(query.message, Message) or not is_private(query.message):
        await query.answer(t.STALE, show_alert=True)
        return
    settings = context.settings
    cipher = cipher_from_settings(settings) if settings.incidents_enabled else None
    try:
        content = await context.db.run(
            office.compile_period, context.kb, update.effective_user.id,
            list(settings.admin_ids), plan_id, deadline_id, day, context.clock.now(), cipher,
        )
    except UnknownPeriod:
        await query.answer(t.STALE, show_alert=True)
        return
    await query.answer()
    data = await asyncio.to_thread(compiled_docx.render_docx, content)
    period = content.period
    assert period.due_date is not None
    await query.message.reply_document(
        InputFile(data, filename=f"tong-hop-{plan_id}-{deadline_id}-{period.due_date}.docx"),
        caption=t.COMPILE_CAPTION.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}",
                                         line=rate_line(content.rate)),
    )


# --- /thongbao -------------------------------------------------------------------------------


async def thongbao(update: Update, context: BotContext) -> None:
    """/thongbao [ngay | 17:00 | tat]: how I am told of new reports (coordinators)."""
    message = update.effective_message
    try:
        answer = await context.db.run(
            report_notices.notice_command, update.effective_user.id,
            list(context.settings.admin_ids), " ".join(context.args or []) or None,
            context.clock.now(),
        )
    except report_notices.BadSetting:
        await message.reply_text(t.NOTICE_USAGE)
        return
    await message.reply_text(notice_setting_text(answer.setting, changed=answer.changed))


def register(application: Application) -> None:
    """Add /tinhhinh xuhuong (before the reports' /tinhhinh), /tonghop, /thongbao, buttons."""
    application.add_handlers([
        CommandHandler("tinhhinh", xuhuong, filters=_TrendFilter()),
        CommandHandler("tonghop", tonghop),
        CommandHandler("thongbao", thongbao),
        CallbackQueryHandler(on_compile, pattern=f"^{CB_COMPILE}"),
    ])
