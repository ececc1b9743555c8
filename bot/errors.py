"""The one error handler: a short apology to the user, the update id and error in the log.

The user's text is never logged. Two errors are part of a chat's life rather than bugs and are
handled here: ``Forbidden`` (the bot was removed from a group or blocked) deactivates the chat;
``ChatMigrated`` (a group became a supergroup) moves the chat's settings to the new id.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, TelegramError

from bot.context import BotContext
from bot.render import escape
from bot.texts import common as t
from storage import chats

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Handle any exception raised by a handler or a job."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        if chat is not None:
            await context.db.run(chats.deactivate_chat, chat.id, now=context.clock.now())
            context.services.chat_plans.forget(chat.id)
        logger.warning("update %s: forbidden in chat %s (%s): chat deactivated",
                       update_id, chat.id if chat else None, error)
        return
    if isinstance(error, ChatMigrated):
        if chat is not None:
            await context.db.run(chats.migrate_chat, chat.id, error.new_chat_id,
                                 now=context.clock.now())
            context.services.chat_plans.forget(chat.id, error.new_chat_id)
        logger.warning("update %s: chat %s migrated to %s", update_id,
                       chat.id if chat else None, error.new_chat_id)
        return
    logger.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, escape(t.ERROR_APOLOGY), parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        logger.warning("update %s: apology not sent: %s", update_id, type(exc).__name__)
