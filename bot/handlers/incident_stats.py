"""/suvu_tk: counts of incidents by type and by month, in a private chat, for the plans the user
coordinates (every plan, for an admin) — no identifying field, small counts hidden as in
``kehoach incidents stats --min-count``. Audited like the command line's counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from core.texts import incidents as t
from features import incident_exports
from features.incident_fields import IncidentDenied
from features.permissions import load_actor
from storage.crypto import FieldCipher, cipher_from_settings

COMMANDS = [("suvu_tk", t.STATS_COMMAND)]
MIN_COUNT = 3  # counts below this are shown as "< 3": a count of one may point at a child


def _stats(session: Session, cipher: FieldCipher, user_id: int, admin_ids: Sequence[int],
           now: dt.datetime) -> incident_exports.Stats | None:
    actor = load_actor(session, user_id, admin_ids)
    try:
        return incident_exports.stats(session, actor, cipher, now=now, min_count=MIN_COUNT)
    except IncidentDenied:
        return None


async def stats_command(update: Update, context: BotContext) -> None:
    """/suvu_tk: incident counts by type and month (coordinators and admins, private only)."""
    message = update.effective_message
    if not context.settings.incidents_enabled:
        await message.reply_text(t.DISABLED)
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(t.STATS_PRIVATE_ONLY)
        return
    found = await context.db.run(_stats, cipher_from_settings(context.settings),
                                 update.effective_user.id, context.settings.admin_ids,
                                 context.clock.now())
    if found is None:
        await message.reply_text(t.NOT_READER)
        return
    hidden = f"< {MIN_COUNT}"
    lines = [t.STATS_HEAD.format(total=found.total)]
    for title, rows in ((t.STATS_BY_KIND, found.by_kind), (t.STATS_BY_MONTH, found.by_month)):
        lines.append(title)
        lines += [t.STATS_LINE.format(label=label, count=hidden if n is None else n)
                  for label, n in rows] or [t.STATS_NONE]
    lines.append(t.STATS_NOTE.format(min=MIN_COUNT))
    await message.reply_text("\n".join(lines))


def register(application: Application) -> None:
    """Add /suvu_tk."""
    application.add_handler(CommandHandler("suvu_tk", stats_command))
