""""Bổ sung thông tin": the reporter adds a note to a saved incident (``/suvu_bosung [số]``).

A conversation of :mod:`bot.handlers.conversation`: the command asks for the note, the next text
is stored (encrypted, audited, :mod:`features.incident_notes`) and the coordinators are told
that there is one — never what it says. Registered by :func:`bot.handlers.incidents.register`.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot import render_incidents as r
from bot.context import BotContext
from bot.handlers import conversation
from core.texts import incidents as t
from features import incident_notes as notes
from features.incident_fields import MAX_DESCRIPTION_CHARS
from storage.crypto import cipher_from_settings
from storage.models import ConversationState

logger = logging.getLogger(__name__)

_REFUSED = {
    notes.Refused.UNKNOWN: t.UNKNOWN_INCIDENT, notes.Refused.NOT_REPORTER: t.NOTE_NOT_REPORTER,
    notes.Refused.ANONYMISED: t.NOTE_ANONYMISED,
    notes.Refused.FULL: t.NOTE_FULL.format(count=notes.MAX_NOTES),
    notes.Refused.BUSY: t.NOTE_BUSY,
}


async def note_command(update: Update, context: BotContext) -> None:
    """/suvu_bosung [số sự vụ]: ask the reporter for the note (their latest incident if none)."""
    message = update.effective_message
    if not context.settings.incidents_enabled:
        await message.reply_text(t.DISABLED)
        return
    number = context.args[0] if context.args else None
    asked = await context.db.run(notes.begin, message.chat.id, update.effective_user.id, number,
                                 context.clock.now(), conversation.timeouts())
    if isinstance(asked, notes.Refused):
        await message.reply_text(_REFUSED[asked])
        return
    await message.reply_text(t.NOTE_ASK.format(number=asked.number,
                                               limit=MAX_DESCRIPTION_CHARS))


async def note_message(update: Update, context: BotContext, row: ConversationState) -> None:
    """The note, typed while the conversation waits for it."""
    message = update.effective_message
    added = await context.db.run(
        notes.add, cipher_from_settings(context.settings), row, message.text,
        context.settings.admin_ids, context.clock.now(),
    )
    if isinstance(added, notes.Refused):
        await message.reply_text(_REFUSED[added])
        return
    if isinstance(added, notes.Invalid):
        await message.reply_text(t.NOTE_TOO_LONG.format(limit=MAX_DESCRIPTION_CHARS)
                                 if added.reason == "too_long" else t.NOTE_EMPTY)
        return
    told = 0
    reply = r.note_notification(added.number)
    for person in added.recipients:
        try:
            await context.bot.send_message(person, reply.html, parse_mode=ParseMode.HTML,
                                           reply_markup=reply.markup)
            told += 1
        except TelegramError as exc:  # never started the bot, or blocked it
            logger.warning("incident %s note: %s not told (%s)", added.number, person,
                           type(exc).__name__)
    notified = t.NOTE_NOTIFIED.format(count=told) if told else ""
    await message.reply_text(t.NOTE_SAVED.format(number=added.number, notified=notified).strip())


conversation.define(conversation.Conversation(
    name=notes.NAME, on_message=note_message, cancelled_text=t.NOTE_CANCELLED,
    timed_out_text=t.NOTE_TIMED_OUT,
))

HANDLER = CommandHandler("suvu_bosung", note_command, filters=filters.ChatType.PRIVATE)
