"""Reading incidents in a private chat: /suvu_ds (the list) and the buttons of the detail view.

Only the plan's coordinators and the admins read (:mod:`features.incident_chat` checks it and
audits every read). Registered by :func:`bot.handlers.incidents.register`.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType, ParseMode

from bot import render_incidents as r
from bot.chat import edit_html, send_replies
from bot.context import BotContext
from bot.render import Reply, escape, plan_label
from core.texts import incidents as t
from features import incident_chat as chat, incident_fields as fields
from features.incident_chat import Refused
from storage.crypto import cipher_from_settings

LIST_SIZE = 10


def _is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def tapped_message(update: Update, context: BotContext) -> Message | None:
    """The message of an incident button in a private chat; None (the tap answered) if none."""
    query = update.callback_query
    message = query.message if isinstance(query.message, Message) else None
    if message is None or not _is_private(update) or not context.settings.incidents_enabled:
        await query.answer(t.STALE)
        return None
    return message


async def list_command(update: Update, context: BotContext) -> None:
    """/suvu_ds: the latest incidents of the plans the user coordinates (all, for an admin)."""
    message = update.effective_message
    if not context.settings.incidents_enabled:
        await send_replies(context, message.chat.id, [Reply(escape(t.DISABLED))])
        return
    found = await context.db.run(chat.listing, cipher_from_settings(context.settings),
                                 update.effective_user.id, context.settings.admin_ids,
                                 context.clock.now(), LIST_SIZE)
    if isinstance(found, Refused):
        await send_replies(context, message.chat.id, [Reply(escape(t.NOT_READER))])
        return
    views, plans = found.views, found.plans
    scope = t.LIST_SCOPE_ALL if plans is None else ", ".join(
        plan_label(context.kb, p) for p in plans
    )
    await send_replies(context, message.chat.id, [r.list_reply(views, scope)])


async def reader_button(update: Update, context: BotContext) -> None:
    """``sv:open:<n>``, ``sv:st:<n>:<status>``, ``sv:hide:<n>``: read, mark, hide."""
    query = update.callback_query
    message = await tapped_message(update, context)
    if message is None:
        return
    data = query.data
    if data.startswith(r.CB_HIDE):
        await query.answer()
        await edit_html(message, escape(t.HIDDEN.format(number=data.removeprefix(r.CB_HIDE))))
        return
    status = None
    if data.startswith(r.CB_STATUS):
        number, _, status = data.removeprefix(r.CB_STATUS).rpartition(":")
    else:
        number = data.removeprefix(r.CB_OPEN)
    found = await context.db.run(chat.open_incident, cipher_from_settings(context.settings),
                                 update.effective_user.id, context.settings.admin_ids, number,
                                 status, context.clock.now())
    if isinstance(found, Refused):
        await query.answer(t.DENIED_TOAST if found is Refused.DENIED else t.UNKNOWN_INCIDENT,
                           show_alert=True)
        return
    reply = r.detail(found, context.kb)
    if status is None:
        await query.answer()
        await send_replies(context, message.chat.id, [reply])
        return
    await query.answer(t.STATUS_TOAST.format(
        number=found.number, status=fields.STATUS_LABELS.get(found.status, found.status)))
    await message.edit_text(reply.html, parse_mode=ParseMode.HTML, reply_markup=reply.markup)
