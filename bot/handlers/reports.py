"""Reporting: /baocao, a persisted conversation (status and exports: :mod:`bot.handlers.status`).

Thin handlers over :mod:`features.reports`, :mod:`features.exports` and :mod:`storage.files`.
/baocao: choose the period (open occurrences of my unit, or ad hoc) → send text and/or a file
→ preview → confirm; the report is committed (and the conversation ended, in the same unit
of work) before the receipt is sent. /huy and the idle timeout come from
:mod:`bot.handlers.conversation`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import render
from bot.chat import is_private, unit_name
from bot.context import BotContext
from bot.handlers import conversation, switching
from bot.render_office import period_label
from core.clock import VN_TZ
from core.texts import format as F, reports as t
from features import reporting, reports
from features.reporting import NotAtPreview, Offered, Problem, Reporting
from features.reports import Period, Receipt
from storage import files
from storage.models import ConversationState, FinishedStep

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
NAME = reporting.NAME
CB = "bc:"  # bc:<token>:p:<index> · bc:<token>:ok · bc:<token>:x
PREVIEW_CHARS = 1500


def received_at(moment: dt.datetime) -> str:
    """``HH:MM ngày dd/mm/yyyy`` in Asia/Ho_Chi_Minh (a receipt's time)."""
    return t.RECEIVED_AT.format(time=f"{moment.astimezone(VN_TZ):%H:%M}",
                                date=f"{moment.astimezone(VN_TZ):%d/%m/%Y}")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} KB"


def _max_bytes(context: BotContext) -> int:
    return context.settings.max_file_mb * 2**20


# --- /baocao: choosing the period ------------------------------------------------------------


def _periods_keyboard(token: str, periods: Sequence[Offered]) -> InlineKeyboardMarkup:
    rows = []
    for i, offered in enumerate(periods):
        period, number = offered.period, offered.number
        if period.due_date is None:
            text = t.ADHOC_BUTTON
        else:
            template = t.PERIOD_BUTTON_SENT if number else t.PERIOD_BUTTON
            text = template.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}")
        rows.append([InlineKeyboardButton(text[:100], callback_data=f"{CB}{token}:p:{i}")])
    rows.append([InlineKeyboardButton(t.CANCEL_BUTTON, callback_data=f"{CB}{token}:x")])
    return InlineKeyboardMarkup(rows)


async def baocao(update: Update, context: BotContext) -> None:
    """/baocao: send my unit's report (private chats only)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    if not await switching.may_start(update, context, NAME):
        return
    token = conversation.new_token()
    started = await context.db.run(
        reporting.start, context.kb, update.effective_user.id, message.chat.id,
        list(context.settings.admin_ids), token, context.clock.now(),
    )
    if not isinstance(started, Reporting):
        await message.reply_text(t.NOT_OFFICER)
        return
    text, markup = _choose_question(context, started)
    await message.reply_text(text, reply_markup=markup)


def _choose_question(context: BotContext, state: Reporting) -> tuple[str, InlineKeyboardMarkup]:
    names = {"unit": unit_name(context.kb, state.plan_id, state.unit_id),
             "plan": render.plan_label(context.kb, state.plan_id)}
    text = t.CHOOSE_PERIOD if len(state.offered) > 1 else t.NO_OPEN_PERIOD
    return text.format(**names), _periods_keyboard(state.token, state.offered)


# --- /baocao: the content --------------------------------------------------------------------


def _ask_content_text(context: BotContext, period: Period, number: str | None) -> str:
    text = t.ASK_CONTENT.format(period=period_label(period),
                                max_chars=F.number(reports.MAX_TEXT_CHARS),
                                max_mb=context.settings.max_file_mb)
    if number:
        text += "\n" + t.ASK_CONTENT_REPLACE.format(number=number)
    return text


async def _received_file(message: Message, context: BotContext
                         ) -> files.StoredFile | str | None:
    """The stored attachment of ``message``, a refusal text, or None if none."""
    if message.document is not None:
        doc = message.document
        name, mime, size = doc.file_name or "tep", doc.mime_type, doc.file_size
        file_id = doc.file_id
    elif message.photo:
        photo = message.photo[-1]
        name, mime, size = f"anh-{photo.file_unique_id}.jpg", "image/jpeg", photo.file_size
        file_id = photo.file_id
    else:
        return None
    try:
        files.check_file(name, mime, size, _max_bytes(context))
    except files.FileRejected as exc:
        if exc.reason == "too_big":
            return t.FILE_TOO_BIG.format(name=name, size=f"{(size or 0) / 2**20:.1f}",
                                         max_mb=context.settings.max_file_mb)
        return t.FILE_FORBIDDEN.format(name=name)
    tg_file = await context.bot.get_file(file_id)
    data = bytes(await tg_file.download_as_bytearray())
    try:
        stored = await asyncio.to_thread(
            files.store, context.settings.files_dir, data, name=name,
            mime=mime or "application/octet-stream", max_bytes=_max_bytes(context),
        )
    except files.FileRejected:
        return t.FILE_TOO_BIG.format(name=name, size=f"{len(data) / 2**20:.1f}",
                                     max_mb=context.settings.max_file_mb)
    return stored


def _preview_text(context: BotContext, state: Reporting) -> str:
    lines = []
    text = state.text
    if text:
        shown = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"
        lines.append(t.PREVIEW_TEXT.format(text=shown))
    else:
        lines.append(t.PREVIEW_NO_TEXT)
    if state.file:
        lines.append(t.PREVIEW_FILE.format(name=state.file["name"],
                                           size=_size(state.file["size"])))
    assert state.period is not None
    return t.PREVIEW.format(
        unit=unit_name(context.kb, state.plan_id, state.unit_id),
        period=period_label(state.period), content="\n".join(lines),
    )


async def _on_message(update: Update, context: BotContext, row: ConversationState) -> None:
    """A message during /baocao: the report's text and/or file, then the preview."""
    message = update.effective_message
    taken = reporting.take_text(Reporting.of(row), message.text, message.caption)
    if isinstance(taken, Reporting):
        attachment = await _received_file(message, context)
        if isinstance(attachment, str):
            await message.reply_text(attachment)
            return
        taken = reporting.take_file(taken, attachment)
    if isinstance(taken, Problem):
        raw = message.text if message.text is not None else message.caption
        await message.reply_text(_PROBLEMS[taken].format(
            length=F.number(len((raw or "").strip())), limit=F.number(reports.MAX_TEXT_CHARS)))
        return
    await context.db.run(reporting.save, row.chat_id, row.user_id, taken, context.clock.now())
    await message.reply_text(_preview_text(context, taken),
                             reply_markup=_preview_keyboard(taken.token))


_PROBLEMS = {Problem.CHOOSE_FIRST: t.CHOOSE_FIRST, Problem.EMPTY_TEXT: t.EMPTY_TEXT,
             Problem.TOO_LONG: t.TOO_LONG, Problem.NOT_CONTENT: t.NOT_CONTENT}


def _preview_keyboard(token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t.CONFIRM_BUTTON, callback_data=f"{CB}{token}:ok"),
        InlineKeyboardButton(t.CANCEL_BUTTON, callback_data=f"{CB}{token}:x"),
    ]])


# --- /baocao: confirm and cancel -------------------------------------------------------------


async def _on_finished(update: Update, context: BotContext, step: FinishedStep) -> None:
    """A tap on a button of a report already sent: say so, and send its receipt again."""
    query = update.callback_query
    await query.answer(t.ALREADY_SENT, show_alert=True)
    if "number" in step.outcome:
        await context.bot.send_message(
            step.chat_id, _receipt_text(context, reporting.receipt_from_json(step.outcome)))


async def _reprompt(update: Update, context: BotContext, row: ConversationState) -> None:
    """Send again the question /baocao waits for: the periods, the content, the preview."""
    await _ask_again(context, row.chat_id, Reporting.of(row))


async def _ask_again(context: BotContext, chat_id: int, state: Reporting) -> None:
    if state.step == reporting.STATE_CHOOSE:
        text, markup = _choose_question(context, state)
        await context.bot.send_message(chat_id, text, reply_markup=markup)
    elif state.step == reporting.STATE_CONTENT:
        assert state.period is not None
        await context.bot.send_message(chat_id, _ask_content_text(
            context, state.period, state.number))
    else:
        await context.bot.send_message(chat_id, _preview_text(context, state),
                                       reply_markup=_preview_keyboard(state.token))


def _receipt_text(context: BotContext, receipt: Receipt) -> str:
    text = t.RECEIPT.format(
        number=receipt.number, unit=unit_name(context.kb, receipt.plan_id, receipt.unit_id),
        period=period_label(receipt.period), when=received_at(receipt.submitted_at),
    )
    if receipt.replaced:
        text += t.RECEIPT_REPLACED.format(version=receipt.version)
    if receipt.late and receipt.period.due_date:
        text += t.RECEIPT_LATE.format(due=f"{receipt.period.due_date:%d/%m/%Y}")
    return text


async def on_button(update: Update, context: BotContext) -> None:
    """The ``bc:`` buttons: period, confirm, cancel (one unit of work each)."""
    query = update.callback_query
    token, _, action = query.data.removeprefix(CB).partition(":")
    message = query.message if isinstance(query.message, Message) else None
    now = context.clock.now()
    try:
        if message is None:
            pass
        elif action == "x":
            await conversation.in_conversation(update, context, NAME, token, reporting.cancel)
            await query.answer()
            await message.edit_text(t.CANCELLED)
            return
        elif action.startswith("p:") and action[2:].isdigit():
            chosen = await conversation.in_conversation(
                update, context, NAME, token, reporting.period_chosen, int(action[2:]), now)
            if isinstance(chosen, Reporting):
                assert chosen.period is not None
                await query.answer()
                await message.edit_text(_ask_content_text(context, chosen.period,
                                                          chosen.number))
                return
            if chosen.state is not None:  # a period was chosen already: the question of now
                await query.answer(t.STEP_PASSED)
                await _ask_again(context, message.chat.id, chosen.state)
                return
        elif action == "ok":
            receipt = await conversation.in_conversation(
                update, context, NAME, token, reporting.confirm, update.effective_user.full_name,
                list(context.settings.admin_ids), now,
            )
            if isinstance(receipt, reporting.Denied):
                await query.answer()
                await message.edit_reply_markup(None)
                await message.reply_text(t.NO_LONGER_OFFICER)
                return
            if isinstance(receipt, Receipt):  # committed: now the receipt
                await query.answer(t.SENT_MARK)
                await message.edit_reply_markup(None)
                await message.reply_text(_receipt_text(context, receipt))
                return
            if isinstance(receipt, NotAtPreview) and receipt.state is not None:
                await query.answer(t.STEP_PASSED)  # not at the preview yet: the question again
                await _ask_again(context, message.chat.id, receipt.state)
                return
    except conversation.STOPPED:
        return
    await query.answer(t.STALE, show_alert=True)


conversation.define(conversation.Conversation(
    name=NAME, on_message=_on_message, cancelled_text=t.CANCELLED, timed_out_text=t.TIMED_OUT,
    stale_text=t.STALE, reprompt=_reprompt, on_finished=_on_finished,
))


def register(application: Application) -> None:
    """Add the reporting commands and buttons, and the shared conversation handlers."""
    conversation.install(application)
    switching.install(application)
    switching.starter(NAME, baocao)
    application.add_handlers([
        CommandHandler("baocao", baocao),
        CallbackQueryHandler(on_button, pattern=f"^{CB}"),
    ])

