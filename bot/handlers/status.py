"""Report status and files.

/tinhhinh, /xuat, /xembaocao — thin handlers over :mod:`features.status` (a permission refusal
becomes its reply in :mod:`bot.refusals`).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import notices, render
from bot.chat import is_private, local_time, unit_name
from bot.context import BotContext
from bot.render_office import (
    board_text,
    missing_reminder_text,
    period_buttons,
    period_label,
)
from bot.render_roles import for_plan
from core.clock import VN_TZ
from core.texts import format as F, office as to, reports as t
from features import exports, reports, status
from features.reports import Period
from storage import files

logger = logging.getLogger(__name__)

CB_EXPORT = "xu:"  # xu:<plan>:<deadline>:<yyyymmdd> · xu:<plan>:*
CB_REMIND = "nn:"  # nn:<plan>:<deadline>:<yyyymmdd>: remind the units missing now


def _plan_arg(context: BotContext) -> str | None:
    return " ".join(context.args or []) or None


# --- /tinhhinh -------------------------------------------------------------------------------


async def tinhhinh(update: Update, context: BotContext) -> None:
    """/tinhhinh [kế hoạch]: who reported, who is late, who is missing — text and chart."""
    message = update.effective_message
    found = await for_plan(update, context, status.status_boards, _plan_arg(context),
                           context.clock.now().astimezone(VN_TZ).date())
    if found is None:
        return
    plan_id = found.resolution.plan_id
    plan = render.plan_label(context.kb, plan_id)
    if not found.boards:
        await message.reply_text(t.BOARD_NONE.format(plan=plan))
        return
    # in a group: names and dates only (no receipt numbers, no rates, never content)
    private = is_private(message)
    boards = list(found.boards)
    parts = render.split_text(board_text(context.kb, plan_id, boards, numbers=private,
                                         figures=found.figures if private else None))
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await message.reply_text(part, reply_markup=_remind_keyboard(boards) if last else None)
    png = await asyncio.to_thread(exports.chart_png, boards)
    await message.reply_photo(png, caption=t.BOARD_CHART_CAPTION.format(plan=plan))


def _remind_keyboard(boards: list[reports.Board]) -> InlineKeyboardMarkup | None:
    """One "Nhắc các đơn vị chưa nộp" button per dated occurrence with units missing."""
    missing = [b.period for b in boards if b.period.due_date and b.missing_unit_ids]
    rows = []
    for period in missing:
        data = f"{CB_REMIND}{period.plan_id}:{period.deadline_id}:{period.due_date:%Y%m%d}"
        text = (to.REMIND_BUTTON if len(missing) == 1
                else to.REMIND_BUTTON_OF.format(title=period.title))
        if len(data.encode()) <= 64:
            rows.append([InlineKeyboardButton(text[:100], callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


async def on_remind(update: Update, context: BotContext) -> None:
    """A ``nn:`` button: remind now, privately, the officers of the units still missing."""
    query = update.callback_query
    plan_id, _, rest = query.data.removeprefix(CB_REMIND).partition(":")
    deadline_id, _, day = rest.partition(":")
    try:
        done = await context.db.run(
            status.remind_missing, context.kb, update.effective_user.id,
            list(context.settings.admin_ids), plan_id, deadline_id, day, context.clock.now(),
        )
    except status.UnknownPeriod:
        await query.answer(to.REMIND_STALE, show_alert=True)
        return
    title = done.period.title
    if done.limited:
        assert done.next_at is not None
        await query.answer(to.REMIND_LIMITED.format(when=local_time(done.next_at)),
                           show_alert=True)
        return
    reached = 0
    for officer, unit_id in done.officers:
        text = missing_reminder_text(context.kb, done.period, unit_id)
        reached += await notices.tell(context.bot, officer, text)
    if not done.units:
        answer = to.REMIND_NONE.format(title=title)
    elif not reached:
        answer = to.REMIND_DONE_NOBODY.format(units=done.units, title=title)
    else:
        answer = to.REMIND_DONE.format(officers=reached, units=done.units, title=title)
    await query.answer(answer, show_alert=True)


# --- /xuat -----------------------------------------------------------------------------------


async def xuat(update: Update, context: BotContext) -> None:
    """/xuat [kế hoạch]: choose a period, then get the .xlsx (private chats only)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    found = await for_plan(update, context, status.export_choices, _plan_arg(context),
                           context.clock.now().astimezone(VN_TZ).date())
    if found is None:
        return
    plan_id = found.resolution.plan_id
    rows = period_buttons(CB_EXPORT, plan_id, found.periods, t.PERIOD_BUTTON)
    rows.append([InlineKeyboardButton(t.EXPORT_ALL_BUTTON,
                                      callback_data=f"{CB_EXPORT}{plan_id}:*")])
    await message.reply_text(
        t.EXPORT_CHOOSE.format(plan=render.plan_label(context.kb, plan_id)),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def on_export(update: Update, context: BotContext) -> None:
    """An ``xu:`` button: send the .xlsx of the chosen period (or of every report)."""
    query = update.callback_query
    plan_id, _, rest = query.data.removeprefix(CB_EXPORT).partition(":")
    deadline_id, _, day = rest.partition(":")
    if not isinstance(query.message, Message):
        await query.answer(t.STALE, show_alert=True)
        return
    try:
        done = await context.db.run(
            status.export_file, context.kb, update.effective_user.id,
            list(context.settings.admin_ids), plan_id, None if rest == "*" else deadline_id,
            day, context.clock.now(),
        )
    except status.UnknownPeriod:
        await query.answer(t.STALE, show_alert=True)
        return
    await query.answer()
    period = done.period
    what = period_label(period) if period else t.EXPORT_ALL
    stem = f"{plan_id}-{period.deadline_id}-{period.due_date}" if period else f"{plan_id}-tat-ca"
    await query.message.reply_document(
        InputFile(done.data, filename=f"bao-cao-{stem}.xlsx"),
        caption=F.title(t.EXPORT_CAPTION.format(  # "Báo cáo Báo cáo năm…" said once
            what=what, plan=render.plan_label(context.kb, plan_id), rows=done.rows)),
    )


# --- /xembaocao ------------------------------------------------------------------------------


async def xembaocao(update: Update, context: BotContext) -> None:
    """/xembaocao <số biên nhận>: read one report (its unit, coordinators, admins)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    if not context.args:
        await message.reply_text(t.READ_USAGE)
        return
    number = context.args[0]
    try:
        view = await context.db.run(status.read_report, update.effective_user.id,
                                    list(context.settings.admin_ids), number,
                                    context.clock.now())
    except reports.UnknownReport:
        await message.reply_text(t.READ_UNKNOWN.format(number=render.echo(number, 40)))
        return
    period = Period(view.plan_id, view.deadline_id, view.due_date, view.title)
    text = t.READ_HEADER.format(
        number=view.number, unit=unit_name(context.kb, view.plan_id, view.unit_id),
        plan=render.plan_label(context.kb, view.plan_id), period=period_label(period),
        name=view.submitter_name, when=local_time(view.submitted_at),
        replaced="" if view.current else t.READ_REPLACED,
    )
    if view.text:
        text += t.READ_TEXT.format(text=view.text)
    for part in render.split_text(text):
        await message.reply_text(part)
    if view.file_sha256:
        path = files.path_for(context.settings.files_dir, view.file_sha256)
        content = await asyncio.to_thread(_read_bytes, path)
        if content is None:
            await message.reply_text(t.READ_FILE_MISSING.format(name=view.file_name))
        else:
            await message.reply_document(InputFile(content, filename=view.file_name or "tep"))


def _read_bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def register(application: Application) -> None:
    """Add /tinhhinh, /xuat, /xembaocao, the export and the reminder buttons."""
    application.add_handlers([
        CommandHandler("tinhhinh", tinhhinh),
        CommandHandler("xuat", xuat),
        CommandHandler("xembaocao", xembaocao),
        CallbackQueryHandler(on_export, pattern=f"^{CB_EXPORT}"),
        CallbackQueryHandler(on_remind, pattern=f"^{CB_REMIND}"),
    ])
