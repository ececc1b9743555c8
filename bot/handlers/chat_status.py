"""A chat's status changes: a group migrated to a supergroup, the bot removed or added back.

The handlers see every update (group :data:`STATUS_GROUP`, before and independently of the
conversations of group 0) and hand the change to the chat's one owner, :mod:`bot.chat_life`
(:mod:`features.chats`): when the bot is removed, the chat and its reminders are off at once.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.ext import Application, ChatMemberHandler, MessageHandler, filters

from bot import chat_life, render
from bot.context import BotContext
from bot.handlers.common import is_group
from core.texts import common as t

logger = logging.getLogger(__name__)

# Handler group of the status handlers (see bot.handlers.HANDLER_GROUPS).
STATUS_GROUP = -1
_GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


async def chat_migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: everything kept under its id moves to the new one."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    else:
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    await chat_life.migrated(context.services, old_id, new_id)
    logger.info("chat %s migrated to %s", old_id, new_id)


async def membership_changed(update: Update, context: BotContext) -> None:
    """The bot was added to or removed from a chat: greet, or deactivate the chat at once."""
    change = update.my_chat_member
    chat = change.chat
    if change.new_chat_member.status in _GONE:
        result = await chat_life.removed(context.services, context.bot, chat.id)
        logger.info("bot removed from chat %s: deactivated, %d reminder plan(s) off", chat.id,
                    len(result.ended))
    elif is_group(chat) and change.old_chat_member.status in _GONE:
        await chat_life.back(context.services, chat.id, title=chat.title, chat_type=chat.type)
        await context.bot.send_message(chat.id, render.escape(t.GROUP_WELCOME),
                                       parse_mode=ParseMode.HTML)


def register(application: Application) -> None:
    """Add the migration and membership handlers, in their own group."""
    application.add_handlers([
        MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
        ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
    ], group=STATUS_GROUP)
