"""Report status and files: /tinhhinh, /xuat, /xembaocao (cut out of :mod:`bot.handlers.reports`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.handlers.registration import (
    PlanChoice,
    choose_plan,
    is_private,
    local_time,
    unit_name,
    who,
)
from bot.handlers.reports import CB_EXPORT, label
from bot.render_office import rate_line
from core.clock import VN_TZ
from core.texts import reports as t
from features import exports, rates, reports
from features.permissions import Action, PermissionDenied, allowed, load_actor
from features.rates import OccurrenceRate
from features.reports import Board, Period
from knowledge.base import KnowledgeBase
from storage import files

logger = logging.getLogger(__name__)


# --- /tinhhinh -------------------------------------------------------------------------------


def _boards(session: Session, user_id: int, chat_id: int, admin_ids: list[int],
            arg: str | None, kb: KnowledgeBase, today: dt.date
            ) -> tuple[PlanChoice, list[Board] | None, dict[str, OccurrenceRate]]:
    actor, chat_plan = who(session, user_id, chat_id, admin_ids)
    choice = choose_plan(kb, arg, chat_plan, actor, command="tinhhinh")
    if choice.plan_id is None:
        return choice, [], {}
    try:
        boards = reports.view_status(session, actor, kb, choice.plan_id, today=today)
    except PermissionDenied:
        return choice, None, {}
    figures = rates.occurrence_rates(session, kb, [b.period for b in boards], today)
    return choice, boards, {r.key: r for r in figures}


def board_text(kb: KnowledgeBase, plan_id: str, boards: list[Board], *, numbers: bool,
               figures: dict[str, OccurrenceRate] | None = None) -> str:
    """The status board as text: names, statuses and dates (receipt numbers if ``numbers``);
    with ``figures``, each period's rate line (``7/9 đơn vị đã nộp (78%), 6 đúng hạn (67%)``)."""
    lines = [t.BOARD_HEADER.format(plan=render.plan_label(kb, plan_id))]
    for board in boards:
        period = board.period
        lines.append(t.BOARD_PERIOD.format(
            title=period.title, due=f"{period.due_date:%d/%m/%Y}" if period.due_date else "—",
            done=board.count(reports.STATUS_ON_TIME, reports.STATUS_LATE),
            total=len(board.rows),
        ))
        figure = (figures or {}).get(period.key or "")
        if figure is not None:
            lines.append(rate_line(figure))
        for row in board.rows:
            status = t.STATUS_LABELS[row.status]
            if row.last_submitted_at is None:
                lines.append(t.BOARD_LINE_MISSING.format(unit=row.unit_name, status=status))
                continue
            line = t.BOARD_LINE_DONE.format(unit=row.unit_name, status=status,
                                            when=local_time(row.last_submitted_at))
            if numbers and row.number:
                line += t.BOARD_LINE_NUMBER.format(number=row.number)
            lines.append(line)
    return "\n".join(lines)


async def tinhhinh(update: Update, context: BotContext) -> None:
    """/tinhhinh [mã kế hoạch]: who reported, who is late, who is missing — text and chart."""
    message = update.effective_message
    choice, boards, figures = await context.db.run(
        _boards, update.effective_user.id, message.chat.id, list(context.settings.admin_ids),
        (context.args or [None])[0], context.kb, context.clock.now().astimezone(VN_TZ).date(),
    )
    if boards is None:
        await message.reply_text(t.NOT_ALLOWED)
        return
    if choice.plan_id is None:
        await message.reply_text(choice.problem)
        return
    plan = render.plan_label(context.kb, choice.plan_id)
    if not boards:
        await message.reply_text(t.BOARD_NONE.format(plan=plan))
        return
    # in a group: names and dates only (no receipt numbers, no rates, never content)
    private = is_private(message)
    for part in render.split_text(board_text(context.kb, choice.plan_id, boards,
                                             numbers=private,
                                             figures=figures if private else None)):
        await message.reply_text(part)
    png = await asyncio.to_thread(exports.chart_png, boards)
    await message.reply_photo(png, caption=t.BOARD_CHART_CAPTION.format(plan=plan))


# --- /xuat -----------------------------------------------------------------------------------


async def xuat(update: Update, context: BotContext) -> None:
    """/xuat [mã kế hoạch]: choose a period, then get the .xlsx (private chats only)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    actor, chat_plan = await context.db.run(
        who, update.effective_user.id, message.chat.id, list(context.settings.admin_ids)
    )
    choice = choose_plan(context.kb, (context.args or [None])[0], chat_plan, actor,
                         command="xuat")
    if choice.plan_id is None:
        await message.reply_text(choice.problem)
        return
    if not allowed(actor, Action.EXPORT, plan_id=choice.plan_id):
        await message.reply_text(t.NOT_ALLOWED)
        return
    today = context.clock.now().astimezone(VN_TZ).date()
    rows = []
    for period in reports.board_periods(context.kb, choice.plan_id, today):
        data = f"{CB_EXPORT}{choice.plan_id}:{period.deadline_id}:{period.due_date:%Y%m%d}"
        if len(data.encode()) <= 64:
            text = t.PERIOD_BUTTON.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}")
            rows.append([InlineKeyboardButton(text[:100], callback_data=data)])
    rows.append([InlineKeyboardButton(t.EXPORT_ALL_BUTTON,
                                      callback_data=f"{CB_EXPORT}{choice.plan_id}:*")])
    await message.reply_text(
        t.EXPORT_CHOOSE.format(plan=render.plan_label(context.kb, choice.plan_id)),
        reply_markup=InlineKeyboardMarkup(rows),
    )


def _export(session: Session, user_id: int, admin_ids: list[int], kb: KnowledgeBase,
            plan_id: str, period: Period | None, now: dt.datetime) -> tuple[bytes, int]:
    actor = load_actor(session, user_id, admin_ids)
    data = exports.export(session, actor, kb, plan_id, period, fmt="xlsx", now=now)
    rows = len(exports.build_table(session, kb, plan_id, period,
                                   now.astimezone(VN_TZ).date()).rows)
    return data, rows


async def on_export(update: Update, context: BotContext) -> None:
    """An ``xu:`` button: send the .xlsx of the chosen period (or of every report)."""
    query = update.callback_query
    plan_id, _, rest = query.data.removeprefix(CB_EXPORT).partition(":")
    period: Period | None = None
    if rest != "*":
        deadline_id, _, day = rest.partition(":")
        try:
            due = dt.datetime.strptime(day, "%Y%m%d").date()  # noqa: DTZ007 - a date only
        except ValueError:
            due = None
        period = reports.find_period(context.kb, plan_id, deadline_id, due) if due else None
        if period is None:
            await query.answer(t.STALE, show_alert=True)
            return
    if context.kb.get(plan_id) is None or not isinstance(query.message, Message):
        await query.answer(t.STALE, show_alert=True)
        return
    try:
        data, rows = await context.db.run(
            _export, update.effective_user.id, list(context.settings.admin_ids), context.kb,
            plan_id, period, context.clock.now(),
        )
    except PermissionDenied:
        await query.answer(t.NOT_ALLOWED, show_alert=True)
        return
    await query.answer()
    what = label(period) if period else t.EXPORT_ALL
    stem = f"{plan_id}-{period.deadline_id}-{period.due_date}" if period else f"{plan_id}-tat-ca"
    await query.message.reply_document(
        InputFile(data, filename=f"bao-cao-{stem}.xlsx"),
        caption=t.EXPORT_CAPTION.format(what=what, plan=render.plan_label(context.kb, plan_id),
                                        rows=rows),
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

    def read(session: Session) -> reports.ReportView:
        actor = load_actor(session, update.effective_user.id, context.settings.admin_ids)
        return reports.read_report(session, actor, number, now=context.clock.now())

    try:
        view = await context.db.run(read)
    except reports.UnknownReport:
        await message.reply_text(t.READ_UNKNOWN.format(number=render.echo(number, 40)))
        return
    except PermissionDenied:
        await message.reply_text(t.NOT_ALLOWED)
        return
    period = Period(view.plan_id, view.deadline_id, view.due_date, view.title)
    text = t.READ_HEADER.format(
        number=view.number, unit=unit_name(context.kb, view.plan_id, view.unit_id),
        plan=render.plan_label(context.kb, view.plan_id), period=label(period),
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
    """Add /tinhhinh, /xuat, /xembaocao and the export buttons."""
    application.add_handlers([
        CommandHandler("tinhhinh", tinhhinh),
        CommandHandler("xuat", xuat),
        CommandHandler("xembaocao", xembaocao),
        CallbackQueryHandler(on_export, pattern=f"^{CB_EXPORT}"),
    ])
