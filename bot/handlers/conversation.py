"""Multi-step conversations kept in the database (/dangky, /baocao): survive a restart.

A feature declares its conversation with :func:`define` and registers its buttons itself. This
module adds, once, what every such conversation shares (group :data:`CONVERSATION_GROUP`,
before the others):

- the user's next text, document or photo in a private chat goes to the conversation waiting
  for it (then no other handler sees it); without one, the update goes on to the questions;
- ``/huy`` ends the conversation under way;
- an idle conversation ends politely: at the user's next message, or by the
  :data:`EXPIRE_JOB` job that says goodbye.

Its buttons go through :func:`in_conversation`: one unit of work with the state row locked.

Redone updates and repeated taps (a crash before the reply, a double tap) are answered, not
refused: a step that ends a conversation records its outcome with
:func:`features.conversations.finish` (in its unit of work), so a later tap on one of its
buttons gets :attr:`Conversation.on_finished` — "already sent", with the receipt again — and
a message whose effect is already committed gets the conversation's current question again
(:attr:`Conversation.reprompt`, via :func:`resume`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.context import PREFETCHED, BotContext, services_of
from core.texts.reports import CONVERSATION_STALE as STALE, NOTHING_TO_CANCEL
from features import conversations as flow
from features.conversations import Expired, Stale, new_token as new_token
from storage import conversations
from storage.models import ConversationState, FinishedStep

logger = logging.getLogger(__name__)

CONVERSATION_GROUP = -10
IDLE_TIMEOUT = flow.IDLE_TIMEOUT
EXPIRE_EVERY_S = 60
EXPIRE_JOB = "conversations:expire-idle"

T = TypeVar("T")
Step = Callable[[Update, BotContext, ConversationState], Awaitable[None]]
Finished = Callable[[Update, BotContext, FinishedStep], Awaitable[None]]


@dataclass(frozen=True)
class Conversation:
    """A conversation kind: what to do with a message, what to say when it ends."""

    name: str
    on_message: Step
    cancelled_text: str
    timed_out_text: str
    stale_text: str = STALE
    # re-sends the question the conversation now waits for (a redone update, a passed step)
    reprompt: Step | None = None
    # tells a tap on a button of an ended conversation what happened (re-sends its receipt)
    on_finished: Finished | None = None
    # how long an idle conversation is kept (the incident form: a day, offered again)
    idle_timeout: dt.timedelta = IDLE_TIMEOUT


_CONVERSATIONS: dict[str, Conversation] = {}


def timeout_of(name: str) -> dt.timedelta:
    """How long the conversation ``name`` is kept while idle."""
    known = _CONVERSATIONS.get(name)
    return known.idle_timeout if known else IDLE_TIMEOUT


def timeouts() -> dict[str, dt.timedelta]:
    """The idle timeout of every conversation kind, by name."""
    return {name: c.idle_timeout for name, c in _CONVERSATIONS.items()}


class ExpiredTap(Exception):  # noqa: N818
    """A button of a conversation that was idle too long (it has just been ended)."""


STOPPED = (Stale, ExpiredTap)  # what :func:`in_conversation` raises after answering the tap


def define(conversation: Conversation) -> None:
    """Declare a conversation kind (at import time of its feature module)."""
    _CONVERSATIONS[conversation.name] = conversation


def _ids(update: Update) -> tuple[int, int] | None:
    chat, user = update.effective_chat, update.effective_user
    return (chat.id, user.id) if chat is not None and user is not None else None


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def in_conversation(
    update: Update, context: BotContext, name: str, token: str,
    fn: Callable[..., T], /, *args: object,
) -> T:
    """Run ``fn(session, state, *args)`` for a button of conversation ``name`` — one unit of work.

    The state row is locked, so a double tap acts once. When the button is stale the tap is
    answered with the conversation's stale text; when the conversation was idle too long it
    ends and the user is told. In both cases one of :data:`STOPPED` is raised for the caller
    to stop.

    Returns:
        What ``fn`` returns.
    """
    query = update.callback_query
    known = _CONVERSATIONS[name]
    ids = _ids(update)
    try:
        if ids is None:
            raise Stale(name)
        result = await context.db.run(flow.guarded, *ids, name, token, context.clock.now(),
                                      known.idle_timeout, fn, args)
    except flow.Finished as done:
        if known.on_finished is None:
            await query.answer(known.stale_text, show_alert=True)
        else:
            await known.on_finished(update, context, done.step)
        raise Stale(name) from None
    except Stale:
        await query.answer(known.stale_text, show_alert=True)
        raise
    if isinstance(result, Expired):
        await query.answer()
        await _reply(update, known.timed_out_text)
        raise ExpiredTap(name)
    return result


async def reprompt(update: Update, context: BotContext, state: ConversationState) -> bool:
    """Re-send the question ``state``'s conversation waits for. Returns False if it cannot."""
    known = _CONVERSATIONS.get(state.name)
    if known is None or known.reprompt is None:
        return False
    await known.reprompt(update, context, state)
    return True


async def resume(update: Update, context: BotContext) -> None:
    """An update whose effect is already committed, again: re-send the current question.

    Used for a message redone after a crash (its reply may never have left): it is not taken
    as the answer to the next step; the user gets the question the conversation waits for.
    """
    ids = _ids(update)
    if ids is None or update.effective_chat.type != "private":
        return
    row = await context.db.run(conversations.load, *ids)
    if row is not None and not conversations.is_expired(row, context.clock.now(),
                                                        timeout_of(row.name)):
        await reprompt(update, context, row)


async def _on_message(update: Update, context: BotContext) -> None:
    """A private text, document or photo: to the conversation waiting for it, if any."""
    ids = _ids(update)
    if ids is None:
        return
    pre = PREFETCHED.get()
    known, row = pre.take_conversation(*ids) if pre is not None else (False, None)
    if not known:
        if not conversations.might_be_open(context.db.engine, *ids):
            return  # certainly no conversation: no database read for an ordinary question
        row = await context.db.run(conversations.load_for_message, *ids)
    if row is None or row.name not in _CONVERSATIONS:
        return  # not in a conversation: the update goes on to the other handlers
    conversation = _CONVERSATIONS[row.name]
    if conversations.is_expired(row, context.clock.now(), conversation.idle_timeout):
        await context.db.run(conversations.clear, *ids, row.name)
        await _reply(update, conversation.timed_out_text)
    else:
        try:
            await conversation.on_message(update, context, row)
        except ApplicationHandlerStop:
            raise
        except Exception as exc:  # noqa: BLE001 - reported, then the update stops here
            # Without this, python-telegram-bot would carry on to the next handler group and
            # answer the user's text (a report, an incident description) as a question.
            await context.application.process_error(update, exc)
    raise ApplicationHandlerStop


async def _on_cancel(update: Update, context: BotContext) -> None:
    """/huy: end the conversation under way."""
    ids = _ids(update)
    if ids is None:
        return
    name = await context.db.run(flow.end, *ids)
    known = _CONVERSATIONS.get(name) if name else None
    await _reply(update, known.cancelled_text if known else NOTHING_TO_CANCEL)
    raise ApplicationHandlerStop


async def expire_idle(application: Application) -> int:
    """End every conversation idle longer than :data:`IDLE_TIMEOUT`, saying goodbye.

    Returns:
        How many ended.
    """
    services = services_of(application)
    ended = await services.db.run(flow.expire_idle, services.clock.now(), timeouts())
    for row in ended:
        known = _CONVERSATIONS.get(row.name)
        if known is None:
            continue
        try:
            await application.bot.send_message(row.chat_id, known.timed_out_text)
        except TelegramError as exc:
            logger.warning("goodbye to chat %s not sent: %s", row.chat_id, type(exc).__name__)
    return len(ended)


async def _expire_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await expire_idle(context.application)


_MESSAGE = MessageHandler(
    filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.COMMAND
    & (filters.TEXT | filters.Document.ALL | filters.PHOTO),
    _on_message,
)
_CANCEL = CommandHandler("huy", _on_cancel)


def install(application: Application) -> None:
    """Add the shared handlers (once per application; the idle-expiry job is in bot/jobs.py)."""
    group = application.handlers.get(CONVERSATION_GROUP, [])
    if _MESSAGE in group:
        return
    application.add_handlers([_CANCEL, _MESSAGE], group=CONVERSATION_GROUP)
