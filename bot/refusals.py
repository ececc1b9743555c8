"""Permission refusals: one exception type, one table of texts, one reply.

A feature refuses by raising :class:`features.permissions.PermissionDenied`; handlers let it
through. Every handler's callback is wrapped once, when the handlers are registered
(:func:`install`, from :func:`bot.handlers.register_all`), so a refusal is answered with
:func:`refuse` — an alert on a button, else a message in the chat (its forum topic included) —
without reaching the error handler: a refusal is not an error. A refusal from elsewhere (a job,
a handler added later) still gets the same reply from :mod:`bot.errors`. What the user reads
comes from :func:`refusal_text`: by what was refused (``subject``), else by the action.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application

from core.texts import (
    common as tc,
    office as to,
    registration as tg,
    reminders as tm,
    reports as tr,
)
from features.permissions import Action, PermissionDenied

_BY_SUBJECT = {
    "chat_plan": tc.PLAN_CHANGE_DENIED,
    "notices": to.NOTICE_NOT_COORDINATOR,
}
_BY_ACTION = {
    Action.GRANT_ROLE: tg.NOT_ALLOWED,
    Action.LIST_REGISTRATIONS: tg.NOT_ALLOWED,
    Action.DECIDE_REGISTRATION: tg.NOT_ALLOWED,
    Action.MANAGE_REMINDERS: tm.NOT_ALLOWED,
    Action.VIEW_STATUS: tr.NOT_ALLOWED,
    Action.EXPORT: tr.NOT_ALLOWED,
    Action.READ_REPORT: tr.NOT_ALLOWED,
}


def refusal_text(err: PermissionDenied) -> str:
    """What the user is told when ``err`` refused them (plain text)."""
    if err.subject in _BY_SUBJECT:
        return _BY_SUBJECT[err.subject]
    return _BY_ACTION.get(err.action, tc.PERMISSION_DENIED)


async def refuse(update: Update, err: PermissionDenied) -> bool:
    """Answer the update ``err`` refused; False when there was nowhere to answer.

    Raises:
        TelegramError: the answer could not be sent.
    """
    text = refusal_text(err)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
        return True
    message = update.effective_message
    if isinstance(message, Message):
        await message.reply_text(text)
        return True
    if update.effective_chat is not None:
        await update.get_bot().send_message(update.effective_chat.id, text)
        return True
    return False


Callback = Callable[[Update, Any], Awaitable[Any]]
logger = logging.getLogger(__name__)


def answering(callback: Callback) -> Callback:
    """``callback`` with its refusals answered (:func:`refuse`) instead of raised."""
    if getattr(callback, "_answers_refusals", False):
        return callback

    @functools.wraps(callback)
    async def wrapped(update: Update, context: Any) -> Any:
        try:
            return await callback(update, context)
        except PermissionDenied as err:
            logger.info("update %s: %s refused", update.update_id, err.action)
            try:
                await refuse(update, err)
            except TelegramError as exc:
                logger.warning("update %s: refusal not sent: %s", update.update_id,
                               type(exc).__name__)
            return None

    wrapped._answers_refusals = True  # type: ignore[attr-defined]
    return wrapped


def install(application: Application) -> None:
    """Wrap the callback of every handler of ``application`` with :func:`answering` (once)."""
    for handlers in application.handlers.values():
        for handler in handlers:
            handler.callback = answering(handler.callback)
