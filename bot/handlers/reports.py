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
from dataclasses import dataclass

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.handlers import conversation, switching
from bot.handlers.registration import (
    is_private,
    unit_name,
)
from core.clock import VN_TZ
from core.texts import reports as t
from features import reports
from features.permissions import PermissionDenied, load_actor
from features.reports import Period, Receipt
from knowledge.base import KnowledgeBase
from knowledge.textnorm import fold
from storage import conversations, files
from storage.models import ConversationState, FinishedStep

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
NAME = "baocao"
STATE_CHOOSE = "choose"  # waiting for a period button
STATE_CONTENT = "content"  # waiting for text or a file
STATE_PREVIEW = "preview"  # content received: more content, or the confirm button
CB = "bc:"  # bc:<token>:p:<index> · bc:<token>:ok · bc:<token>:x
CB_EXPORT = "xu:"  # xu:<plan>:<deadline>:<yyyymmdd> · xu:<plan>:*
PREVIEW_CHARS = 1500


def label(period: Period) -> str:
    if period.due_date is None:
        named = any(w in fold(period.title) for w in ("dot xuat", "khi co yeu cau"))
        return (t.ADHOC_PERIOD_NAMED if named else t.ADHOC_PERIOD).format(title=period.title)
    return t.PERIOD_LABEL.format(title=period.title, due=f"{period.due_date:%d/%m/%Y}")


def received_at(moment: dt.datetime) -> str:
    """``HH:MM ngày dd/mm/yyyy`` in Asia/Ho_Chi_Minh (a receipt's time)."""
    return t.RECEIVED_AT.format(time=f"{moment.astimezone(VN_TZ):%H:%M}",
                                date=f"{moment.astimezone(VN_TZ):%d/%m/%Y}")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} KB"


def _max_bytes(context: BotContext) -> int:
    return context.settings.max_file_mb * 2**20


# --- /baocao: choosing the period ------------------------------------------------------------


@dataclass(frozen=True)
class _Started:
    plan_id: str
    unit_id: str
    periods: list[tuple[Period, str | None]]  # with the number already sent, if any


def _start(session: Session, user_id: int, chat_id: int, admin_ids: list[int],
           kb: KnowledgeBase, token: str, now: dt.datetime) -> _Started | None:
    actor = load_actor(session, user_id, admin_ids)
    if actor.officer_of is None:
        return None
    plan_id, unit_id = actor.officer_of
    today = now.astimezone(VN_TZ).date()
    sent = {(r.deadline_id, r.due_date): r.number
            for r in reports.list_reports(session, plan_id=plan_id, unit_id=unit_id)
            if r.due_date is not None}
    periods = [(p, sent.get((p.deadline_id, p.due_date)))
               for p in reports.open_periods(kb, plan_id, unit_id, today)]
    periods.append((reports.adhoc_period(kb, plan_id, unit_id), None))
    conversations.save(
        session, chat_id, user_id, NAME, STATE_CHOOSE,
        {"token": token, "plan_id": plan_id, "unit_id": unit_id,
         "periods": [p.to_json() for p, _ in periods], "sent": [n for _, n in periods]},
        now=now,
    )
    return _Started(plan_id, unit_id, periods)


def _periods_keyboard(token: str, periods: list[tuple[Period, str | None]]
                      ) -> InlineKeyboardMarkup:
    rows = []
    for i, (period, number) in enumerate(periods):
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
        _start, update.effective_user.id, message.chat.id, list(context.settings.admin_ids),
        context.kb, token, context.clock.now(),
    )
    if started is None:
        await message.reply_text(t.NOT_OFFICER)
        return
    names = {"unit": unit_name(context.kb, started.plan_id, started.unit_id),
             "plan": render.plan_label(context.kb, started.plan_id)}
    text = t.CHOOSE_PERIOD if len(started.periods) > 1 else t.NO_OPEN_PERIOD
    await message.reply_text(text.format(**names),
                             reply_markup=_periods_keyboard(token, started.periods))


# --- /baocao: the content --------------------------------------------------------------------


def _period_chosen(session: Session, state: ConversationState, index: int,
                   now: dt.datetime) -> tuple[Period, str | None] | None:
    """Move to the content step with period ``index``; None if the index is not offered."""
    periods = state.data.get("periods", [])
    if state.state != STATE_CHOOSE or not 0 <= index < len(periods):
        return None
    period, number = Period.from_json(periods[index]), state.data["sent"][index]
    data = {**state.data, "period": period.to_json(), "number": number, "text": None,
            "file": None}
    conversations.save(session, state.chat_id, state.user_id, NAME, STATE_CONTENT, data, now=now)
    return period, number


def _ask_content_text(context: BotContext, period: Period, number: str | None) -> str:
    text = t.ASK_CONTENT.format(period=label(period), max_chars=reports.MAX_TEXT_CHARS,
                                max_mb=context.settings.max_file_mb)
    if number:
        text += "\n" + t.ASK_CONTENT_REPLACE.format(number=number)
    return text


async def _received_file(message: Message, context: BotContext) -> dict | str | None:
    """The stored attachment of ``message`` (as JSON), a refusal text, or None if none."""
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
    return {"sha256": stored.sha256, "name": stored.name, "mime": stored.mime,
            "size": stored.size}


def _preview_text(context: BotContext, data: dict) -> str:
    lines = []
    text = data.get("text")
    if text:
        shown = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"
        lines.append(t.PREVIEW_TEXT.format(text=shown))
    else:
        lines.append(t.PREVIEW_NO_TEXT)
    if data.get("file"):
        lines.append(t.PREVIEW_FILE.format(name=data["file"]["name"],
                                           size=_size(data["file"]["size"])))
    return t.PREVIEW.format(
        unit=unit_name(context.kb, data["plan_id"], data["unit_id"]),
        period=label(Period.from_json(data["period"])), content="\n".join(lines),
    )


async def _on_message(update: Update, context: BotContext, state: ConversationState) -> None:
    """A message during /baocao: the report's text and/or file, then the preview."""
    message = update.effective_message
    if state.state == STATE_CHOOSE:
        await message.reply_text(t.CHOOSE_FIRST)
        return
    data = dict(state.data)
    raw = message.text if message.text is not None else message.caption
    if message.text is not None and not message.text.strip():
        await message.reply_text(t.EMPTY_TEXT)
        return
    if raw is not None and raw.strip():
        try:
            data["text"] = reports.check_text(raw)
        except reports.ReportInvalid:
            await message.reply_text(t.TOO_LONG.format(length=len(raw.strip()),
                                                       limit=reports.MAX_TEXT_CHARS))
            return
    attachment = await _received_file(message, context)
    if isinstance(attachment, str):
        await message.reply_text(attachment)
        return
    if attachment is not None:
        data["file"] = attachment
    if not data.get("text") and not data.get("file"):
        await message.reply_text(t.NOT_CONTENT)
        return
    await context.db.run(conversations.save, state.chat_id, state.user_id, NAME, STATE_PREVIEW,
                         data, now=context.clock.now())
    await message.reply_text(_preview_text(context, data),
                             reply_markup=_preview_keyboard(data["token"]))


def _preview_keyboard(token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t.CONFIRM_BUTTON, callback_data=f"{CB}{token}:ok"),
        InlineKeyboardButton(t.CANCEL_BUTTON, callback_data=f"{CB}{token}:x"),
    ]])


# --- /baocao: confirm and cancel -------------------------------------------------------------


DENIED = "denied"  # _confirm: the officer lost the role since the preview


def _confirm(session: Session, state: ConversationState, name: str, admin_ids: list[int],
             now: dt.datetime) -> Receipt | str | None:
    """Submit the previewed report and end the conversation, in one unit of work.

    Returns:
        The receipt; :data:`DENIED` when the officer's role was revoked since the preview (the
        conversation ends, nothing is stored); None when not at the preview.
    """
    if state.state != STATE_PREVIEW:
        return None
    data = state.data
    stored = data.get("file")
    try:
        receipt = reports.submit(
            session, load_actor(session, state.user_id, admin_ids), plan_id=data["plan_id"],
            unit_id=data["unit_id"], period=Period.from_json(data["period"]),
            text=data.get("text"), file=files.StoredFile(**stored) if stored else None,
            submitter_name=name, now=now,
        )
    except PermissionDenied:
        conversations.clear(session, state.chat_id, state.user_id, NAME)
        return DENIED
    conversation.finish(session, state, _receipt_json(receipt), now=now)
    return receipt


def _receipt_json(receipt: Receipt) -> dict:
    return {"number": receipt.number, "plan_id": receipt.plan_id, "unit_id": receipt.unit_id,
            "period": receipt.period.to_json(), "submitted_at": receipt.submitted_at.isoformat(),
            "version": receipt.version, "late": receipt.late}


def _receipt_from_json(data: dict) -> Receipt:
    return Receipt(number=data["number"], plan_id=data["plan_id"], unit_id=data["unit_id"],
                   period=Period.from_json(data["period"]),
                   submitted_at=dt.datetime.fromisoformat(data["submitted_at"]),
                   version=int(data["version"]), late=bool(data["late"]))


async def _on_finished(update: Update, context: BotContext, step: FinishedStep) -> None:
    """A tap on a button of a report already sent: say so, and send its receipt again."""
    query = update.callback_query
    await query.answer(t.ALREADY_SENT, show_alert=True)
    if "number" in step.outcome:
        await context.bot.send_message(
            step.chat_id, _receipt_text(context, _receipt_from_json(step.outcome)))


async def _reprompt(update: Update, context: BotContext, state: ConversationState) -> None:
    """Send again the question /baocao waits for: the periods, the content, the preview."""
    data, chat_id = state.data, state.chat_id
    if state.state == STATE_CHOOSE:
        periods = [(Period.from_json(p), n) for p, n in zip(data["periods"], data["sent"],
                                                             strict=True)]
        names = {"unit": unit_name(context.kb, data["plan_id"], data["unit_id"]),
                 "plan": render.plan_label(context.kb, data["plan_id"])}
        text = t.CHOOSE_PERIOD if len(periods) > 1 else t.NO_OPEN_PERIOD
        await context.bot.send_message(chat_id, text.format(**names),
                                       reply_markup=_periods_keyboard(data["token"], periods))
    elif state.state == STATE_CONTENT:
        await context.bot.send_message(chat_id, _ask_content_text(
            context, Period.from_json(data["period"]), data.get("number")))
    else:
        await context.bot.send_message(chat_id, _preview_text(context, data),
                                       reply_markup=_preview_keyboard(data["token"]))


def _cancel(session: Session, state: ConversationState) -> None:
    conversations.clear(session, state.chat_id, state.user_id, NAME)


def _receipt_text(context: BotContext, receipt: Receipt) -> str:
    text = t.RECEIPT.format(
        number=receipt.number, unit=unit_name(context.kb, receipt.plan_id, receipt.unit_id),
        period=label(receipt.period), when=received_at(receipt.submitted_at),
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
            await conversation.in_conversation(update, context, NAME, token, _cancel)
            await query.answer()
            await message.edit_text(t.CANCELLED)
            return
        elif action.startswith("p:") and action[2:].isdigit():
            chosen = await conversation.in_conversation(update, context, NAME, token,
                                                        _period_chosen, int(action[2:]), now)
            if chosen is not None:
                await query.answer()
                await message.edit_text(_ask_content_text(context, *chosen))
                return
            state = await context.db.run(conversations.get, message.chat.id,
                                         update.effective_user.id, NAME)
            if state is not None:  # a period was chosen already: the question of now again
                await query.answer(t.STEP_PASSED)
                await _reprompt(update, context, state)
                return
        elif action == "ok":
            user = update.effective_user
            receipt = await conversation.in_conversation(
                update, context, NAME, token, _confirm, user.full_name,
                list(context.settings.admin_ids), now,
            )
            if receipt == DENIED:
                await query.answer()
                await message.edit_reply_markup(None)
                await message.reply_text(t.NO_LONGER_OFFICER)
                return
            if isinstance(receipt, Receipt):  # committed: now the receipt
                await query.answer(t.SENT_MARK)
                await message.edit_reply_markup(None)
                await message.reply_text(_receipt_text(context, receipt))
                return
            state = await context.db.run(conversations.get, message.chat.id, user.id, NAME)
            if state is not None:  # not at the preview yet: the question of now again
                await query.answer(t.STEP_PASSED)
                await _reprompt(update, context, state)
                return
    except (conversation.Stale, conversation.Expired):
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

