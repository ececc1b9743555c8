"""/suvu_tk.

Counts of incidents by type and by month, in a private chat, for the plans the user coordinates
(every plan, for an admin) — no identifying field, small counts hidden as in ``kehoach incidents
stats --min-count``. Audited like the command line's counts.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from core.texts import incidents as t
from features import incident_exports
from features.incident_fields import IncidentDenied
from storage.crypto import cipher_from_settings

COMMANDS = [("suvu_tk", t.STATS_COMMAND)]
MIN_COUNT = 3  # counts below this are shown as "< 3": a count of one may point at a child


async def stats_command(update: Update, context: BotContext) -> None:
    """/suvu_tk: incident counts by type and month (coordinators and admins, private only)."""
    message = update.effective_message
    if not context.settings.incidents_enabled:
        await message.reply_text(t.DISABLED)
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(t.STATS_PRIVATE_ONLY)
        return
    try:
        found = await context.db.run(
            incident_exports.stats_for, cipher_from_settings(context.settings),
            update.effective_user.id, context.settings.admin_ids, now=context.clock.now(),
            min_count=MIN_COUNT)
    except IncidentDenied:
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
