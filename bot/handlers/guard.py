"""The first handler of every update: updates no handler can serve stop here, answered.

Telegram sends shapes a handler written for "a user wrote in a chat" does not expect; rather
than a check in every handler, this guard (group :data:`GUARD_GROUP`, before all others)
makes sure every later handler gets an update with a chat, a user and — for a button — the
message it was under:

- channel posts and edits of messages: not served (the bot answers new messages only);
- a message without ``from`` (an anonymous group admin posting as the group, a channel's
  automatic forward): a command gets one short reply saying the bot cannot know who asked;
  anything else is ignored;
- a message whose text is only blanks with an entity over it (a command entity over white
  space): ignored (plain blank text goes on, and is told to write something);
- a button of an inline message (``inline_message_id``, no message), of a message Telegram
  no longer gives (inaccessible: too old or deleted), or without data: the tap is answered as
  a stale button.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.render import escape
from core.texts import common as t

logger = logging.getLogger(__name__)

GUARD_GROUP = -1000


def servable(update: Update) -> bool:
    """Whether the handlers can serve ``update`` (see the module docstring)."""
    if update.callback_query is not None:
        query = update.callback_query
        # an inaccessible message (too old, deleted: date 0) cannot be edited or quoted
        message = query.message
        return (isinstance(message, Message) and message.date.timestamp() > 0
                and query.data is not None)
    if update.message is not None:
        message = update.message
        if message.from_user is None or message.chat is None:
            return False
        if message.text is not None and not message.text.strip() and message.entities:
            return False  # an entity over white space: nothing to parse (blank text is served)
        return True
    return update.my_chat_member is not None or update.chat_member is not None


async def guard(update: Update, context: BotContext) -> None:
    """Stop an update no handler can serve, answering it when someone waits for an answer."""
    if servable(update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(t.STALE_BUTTON, show_alert=True)
        elif _anonymous_command(update):
            await update.message.reply_text(escape(t.ANONYMOUS_COMMAND),
                                            parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        logger.info("update %s: guard's answer not sent (%s)", update.update_id,
                    type(exc).__name__)
    raise ApplicationHandlerStop


def _anonymous_command(update: Update) -> bool:
    message = update.message
    return (
        message is not None and message.from_user is None and message.sender_chat is not None
        and message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        and (message.text or "").startswith("/")
    )


def register(application: Application) -> None:
    """Add the guard before every other handler."""
    application.add_handler(TypeHandler(Update, guard), group=GUARD_GROUP)
