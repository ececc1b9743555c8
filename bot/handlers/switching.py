"""Starting a conversation while another one is under way (/suvu during /baocao, or the reverse).

Ask before dropping the other one's answers, with buttons, instead of silently.

A feature names its starting command with :func:`starter`; its command calls
:func:`may_start` first. The buttons (``cs:go:<name>``, ``cs:stay``) are added once by
:func:`install`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.handlers.conversation import timeouts
from core.texts import common as t
from features import conversations as flow

CB = "cs:"
Start = Callable[[Update, BotContext], Awaitable[None]]
_STARTERS: dict[str, Start] = {}


def starter(name: str, command: Start) -> None:
    """Declare the command that starts the conversation ``name`` (for the "drop" button)."""
    _STARTERS[name] = command


async def may_start(update: Update, context: BotContext, name: str) -> bool:
    """Whether ``name`` may start now; if another conversation is under way, ask first."""
    message = update.effective_message
    user = update.effective_user
    other = await context.db.run(flow.open_other, message.chat.id, user.id, name,
                                 context.clock.now(), timeouts(), list(t.CONVERSATION_LABELS))
    if other is None:
        return True
    current, new = t.CONVERSATION_LABELS[other], t.CONVERSATION_LABELS[name]
    await message.reply_text(
        t.SWITCH_ASK.format(current=current, new=new),
        reply_markup=InlineKeyboardMarkup([
            [InlineKeyboardButton(t.SWITCH_GO.format(new=new), callback_data=f"{CB}go:{name}")],
            [InlineKeyboardButton(t.SWITCH_STAY.format(current=current),
                                  callback_data=f"{CB}stay:{other}")],
        ]),
    )
    return False


async def switch_tapped(update: Update, context: BotContext) -> None:
    """``cs:go:<name>`` drops the other conversation and starts ``name``; ``cs:stay`` keeps it."""
    query = update.callback_query
    message = query.message if isinstance(query.message, Message) else None
    action, _, name = query.data.removeprefix(CB).partition(":")
    await query.answer()
    if message is None:
        return
    if action == "go" and name in _STARTERS:
        await context.db.run(flow.drop_others, message.chat.id, update.effective_user.id, name,
                             list(t.CONVERSATION_LABELS))
        await query.edit_message_text(t.SWITCH_DROPPED)
        await _STARTERS[name](update, context)
        return
    label = t.CONVERSATION_LABELS.get(name, "")
    await query.edit_message_text(t.SWITCH_KEPT.format(current=label))


def install(application: Application) -> None:
    """Add the buttons' handler (once per application)."""
    for handler in application.handlers.get(0, []):
        if isinstance(handler, CallbackQueryHandler) and handler.callback is switch_tapped:
            return
    application.add_handler(CallbackQueryHandler(switch_tapped, pattern=f"^{CB}"))
