"""What a person is told privately when their registration or role changes, and how it is sent.

By the running bot in chat, or by the command line with the bot's token.

The chat and the command line give the same message: texts come from
:mod:`core.texts.registration`; sending never fails the action that was already committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram import Bot
from telegram.error import TelegramError
from telegram.request import BaseRequest

from bot import render
from core.settings import Settings
from core.texts import registration as t
from knowledge.base import KnowledgeBase
from storage.models import ROLE_COORDINATOR

logger = logging.getLogger(__name__)


def unit_name(kb: KnowledgeBase, plan_id: str, unit_id: str | None) -> str:
    """A unit's full name (its id when the plan no longer has it)."""
    plan = kb.get(plan_id)
    if plan is None or unit_id is None:
        return unit_id or ""
    try:
        return plan.unit(unit_id).name
    except KeyError:
        return unit_id


def decided(kb: KnowledgeBase, plan_id: str, unit_id: str | None, *, approve: bool,
            reason: str | None = None) -> str:
    """The officer's message when their request is approved or refused (with the reason)."""
    names = {"unit": unit_name(kb, plan_id, unit_id), "plan": render.plan_label(kb, plan_id)}
    if approve:
        return t.NOTIFY_APPROVED.format(**names)
    text = t.NOTIFY_REFUSED.format(**names)
    return text + t.NOTIFY_REASON.format(reason=reason.strip()) if reason else text


def granted(kb: KnowledgeBase, plan_id: str) -> str:
    """The new coordinator's message."""
    return t.NOTIFY_GRANTED.format(plan=render.plan_label(kb, plan_id))


def revoked(kb: KnowledgeBase, plan_id: str, roles: Sequence[str]) -> str:
    """The message of someone whose roles in a plan were revoked."""
    names = [t.ROLE_NAMES.get(r, r) for r in dict.fromkeys(roles)]
    what = t.ROLE_JOIN.join(names) if names else t.ROLE_NAMES[ROLE_COORDINATOR]
    return t.NOTIFY_REVOKED.format(roles=what, plan=render.plan_label(kb, plan_id))


async def tell(bot: Bot, chat_id: int, text: str) -> bool:
    """Send ``text`` to ``chat_id``; False (logged, no content) when Telegram refuses."""
    try:
        await bot.send_message(chat_id, text)
    except TelegramError as exc:  # never started the bot, or blocked it
        logger.warning("%s not told: %s", chat_id, type(exc).__name__)
        return False
    return True


def tell_from_cli(settings: Settings, chat_id: int, text: str,
                  request: BaseRequest | None = None) -> str:
    """Send ``text`` from the command line with the bot's token.

    Returns:
        ``sent``, ``failed`` (Telegram refused or is unreachable) or ``no_token``.
    """
    if settings.telegram_bot_token is None:
        return "no_token"

    async def send() -> bool:
        bot = Bot(settings.telegram_bot_token.get_secret_value(),
                  base_url=settings.telegram_base_url, request=request)
        try:
            async with bot:
                return await tell(bot, chat_id, text)
        except TelegramError as exc:  # unreachable, or a wrong token
            logger.warning("%s not told: %s", chat_id, type(exc).__name__)
            return False

    return "sent" if asyncio.run(send()) else "failed"
