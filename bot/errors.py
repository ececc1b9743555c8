"""The one error handler: a short apology to the user, the update id and error in the log.

The user's text is never logged: the log gets the exception's type and a traceback of types
and code frames only (:func:`safe_traceback`) — never an exception's message, which for a
failed database write carries the SQL and, from the driver, values (``Key (x)=(…)``), and
never its arguments. Two errors are part of a chat's life rather than bugs and go to its one
owner (:mod:`bot.chat_life`, :mod:`features.chats`): ``Forbidden`` (the bot was removed from a
group or blocked) deactivates the chat and its reminders; ``ChatMigrated`` (a group became a
supergroup) moves everything kept under the chat to the new id. A refusal (``PermissionDenied``,
which handlers let through) gets its one reply from :mod:`bot.refusals`.
"""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, TelegramError

from bot import chat_life, refusals
from bot.context import BotContext
from bot.render import escape
from core.texts import common as t
from features import chats
from features.permissions import PermissionDenied

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
            await chat_life.removed(context.services, context.bot, chat.id,
                                    reason=chats.FORBIDDEN)
        logger.warning("update %s: forbidden in chat %s (%s): chat deactivated",
                       update_id, chat.id if chat else None, error)
        return
    if isinstance(error, ChatMigrated):
        if chat is not None:
            await chat_life.migrated(context.services, chat.id, error.new_chat_id)
        logger.warning("update %s: chat %s migrated to %s", update_id,
                       chat.id if chat else None, error.new_chat_id)
        return
    if isinstance(error, PermissionDenied):
        logger.info("update %s: %s refused", update_id, error.action)
        await _refuse(update, error)
        return
    logger.error("update %s failed: %s\n%s", update_id, type(error).__name__,
                 safe_traceback(error) if error is not None else "")
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, escape(t.ERROR_APOLOGY), parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        logger.warning("update %s: apology not sent: %s", update_id, type(exc).__name__)


async def _refuse(update: object, error: PermissionDenied) -> None:
    """The one reply to a refusal (:mod:`bot.refusals`)."""
    if not isinstance(update, Update):
        return
    try:
        await refusals.refuse(update, error)
    except TelegramError as exc:
        logger.warning("update %s: refusal not sent: %s", update.update_id, type(exc).__name__)
