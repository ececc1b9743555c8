"""Small helpers of the chat surface shared by the handlers: who wrote, where, and when."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError

from bot import notices
from bot.context import BotContext
from bot.render import Reply
from core.clock import VN_TZ

logger = logging.getLogger(__name__)

unit_name = notices.unit_name  # a unit's full name (its id when the plan no longer has it)


def is_private(message: Message) -> bool:
    """Whether ``message`` is in a private chat."""
    return message.chat.type == ChatType.PRIVATE


def full_name(update: Update) -> str:
    """The Telegram name of the user of ``update``."""
    user = update.effective_user
    return user.full_name if user else ""


def local_time(moment: dt.datetime) -> str:
    """``HH:MM dd/mm/yyyy`` in Asia/Ho_Chi_Minh."""
    return f"{moment.astimezone(VN_TZ):%H:%M %d/%m/%Y}"


async def send_replies(context: BotContext, chat_id: int, replies: Sequence[Reply]) -> None:
    """Send ``replies`` (HTML, with their buttons) to ``chat_id``, in order."""
    for reply in replies:
        await context.bot.send_message(chat_id, reply.html, parse_mode=ParseMode.HTML,
                                       reply_markup=reply.markup,
                                       disable_web_page_preview=True)


async def edit_html(message: Message, html: str,
                    markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace ``message`` with ``html`` (and ``markup``); a message too old to edit stays."""
    try:
        await message.edit_text(html, parse_mode=ParseMode.HTML, reply_markup=markup)
    except TelegramError as exc:  # too old to edit, or unchanged: the next message follows
        logger.info("message %s not edited (%s)", message.message_id,
                    type(exc).__name__)
