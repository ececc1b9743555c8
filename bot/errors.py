"""The one error handler: a short apology to the user, the update id and error in the log.

The user's text is never logged: the log gets the exception's type and a traceback of types
and code frames only (:func:`safe_traceback`) — never an exception's message, which for a
failed database write carries the SQL and, from the driver, values (``Key (x)=(…)``), and
never its arguments. Two errors are part of a chat's life rather than bugs and are
handled here: ``Forbidden`` (the bot was removed from a group or blocked) deactivates the chat;
``ChatMigrated`` (a group became a supergroup) moves the chat's settings to the new id.
"""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, TelegramError

from bot.context import BotContext
from bot.render import escape
from core.texts import common as t
from storage import chats

logger = logging.getLogger(__name__)
# Exceptions of a chain shown at most (cause → context), against a pathological loop.
MAX_CHAIN = 8


def safe_traceback(error: BaseException) -> str:
    """The traceback of ``error`` and its causes, without any exception message.

    Each exception of the chain (oldest first) is given by its frames (file, line, function,
    source line of the code) and its qualified type name; messages and arguments — where
    user data would be — are left out.

    Args:
        error: the exception.

    Returns:
        The text, several lines.
    """
    chain: list[BaseException] = []
    exc: BaseException | None = error
    while exc is not None and exc not in chain and len(chain) < MAX_CHAIN:
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    parts = []
    for item in reversed(chain):
        frames = "".join(traceback.format_list(traceback.extract_tb(item.__traceback__)))
        kind = type(item)
        parts.append(f"{frames}{kind.__module__}.{kind.__qualname__} (message hidden)")
    return "Traceback (most recent call last):\n" + "\n".join(parts)


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
    logger.error("update %s failed: %s\n%s", update_id, type(error).__name__,
                 safe_traceback(error) if error is not None else "")
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, escape(t.ERROR_APOLOGY), parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        logger.warning("update %s: apology not sent: %s", update_id, type(exc).__name__)
