"""The bot's side of a chat's life: one call into :mod:`features.chats`.

Then the plan cache is forgotten and the coordinators are told.

The error handler (``Forbidden``, ``ChatMigrated`` on a reply), the chat-status handlers
(``my_chat_member``, migration service messages) and the reminder job (``Forbidden``,
``ChatMigrated`` on a reminder) all come here; what follows the chat is decided once, in
:mod:`features.chats`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.context import ChatPlanCache, Services
from bot.render import escape
from core.texts import reminders as t
from features import chats

logger = logging.getLogger(__name__)


async def tell_ended(bot: Bot, ended: Iterable[chats.EndedReminders]) -> None:
    """Tell each plan's coordinators privately that a group's reminders were switched off."""
    for item in ended:
        text = t.REMOVED_HTML.format(chat=escape(item.chat_title), plan=escape(item.plan_label))
        for user_id in item.notify:
            try:
                await bot.send_message(user_id, text, parse_mode=ParseMode.HTML)
            except TelegramError as error:
                logger.warning("coordinator %s not told: %s", user_id, type(error).__name__)


def forget(cache: ChatPlanCache | None, *chat_ids: int) -> None:
    """Drop the cached plans of ``chat_ids`` (the database just changed them)."""
    if cache is not None:
        cache.forget(*chat_ids)


async def removed(services: Services, bot: Bot, chat_id: int, *,
                  reason: str = chats.REMOVED) -> chats.Deactivated:
    """The bot was removed from or refused in ``chat_id``: deactivate it, tell coordinators.

    Args:
        services: the application's services.
        bot: the bot (to tell the coordinators).
        chat_id: the chat.
        reason: :data:`features.chats.REMOVED` or :data:`features.chats.FORBIDDEN`.

    Returns:
        What was switched off.
    """
    result = await services.db.run(chats.deactivate, services.kb, chat_id,
                                   now=services.clock.now(), reason=reason,
                                   admin_ids=services.settings.admin_ids)
    forget(services.chat_plans, chat_id)
    await tell_ended(bot, result.ended)
    return result


async def migrated(services: Services, old_id: int, new_id: int) -> chats.Migrated:
    """The group ``old_id`` became the supergroup ``new_id``: everything moves."""
    result = await services.db.run(chats.migrate, old_id, new_id, now=services.clock.now())
    forget(services.chat_plans, old_id, new_id)
    return result


async def back(services: Services, chat_id: int, *, title: str | None,
               chat_type: str | None) -> chats.Reactivated:
    """The bot was added back to ``chat_id``: active again, with the plan it had."""
    result = await services.db.run(chats.reactivate, chat_id, title=title, chat_type=chat_type,
                                   now=services.clock.now())
    forget(services.chat_plans, chat_id)
    return result
