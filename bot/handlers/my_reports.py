"""/baocaocuatoi: my unit's submissions with their receipts, on time or late (private chat)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot import render
from bot.chat import is_private, unit_name
from bot.context import BotContext
from core.clock import VN_TZ
from core.texts import format as F, reports as t
from features import my_reports

COMMANDS = [("baocaocuatoi", t.MINE_COMMAND)]


async def baocaocuatoi(update: Update, context: BotContext) -> None:
    """/baocaocuatoi: the unit's latest submissions (private only: report titles and dates)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    try:
        found = await context.db.run(my_reports.my_submissions, update.effective_user.id,
                                     list(context.settings.admin_ids))
    except my_reports.NotOfficer:
        await message.reply_text(t.NOT_OFFICER)
        return
    plan_id, unit_id, subs = found.plan_id, found.unit_id, found.submissions
    names = {"unit": unit_name(context.kb, plan_id, unit_id),
             "plan": render.plan_label(context.kb, plan_id)}
    if not subs:
        await message.reply_text(t.MINE_NONE.format(**names))
        return
    lines = [t.MINE_HEADER.format(**names)]
    for s in subs:
        due = t.MINE_DUE.format(due=f"{s.due_date:%d/%m/%Y}") if s.due_date else ""
        status = t.MINE_STATUS.get(s.status, "")
        again = t.MINE_VERSIONS.format(count=s.versions) if s.versions > 1 else ""
        lines.append(t.MINE_LINE.format(
            number=s.number, title=s.title, due=due, status=status, again=again,
            when=F.date_time(s.last_submitted_at.astimezone(VN_TZ)),
        ))
    lines.append(t.MINE_FOOTER)
    await message.reply_text("\n".join(lines))


def register(application: Application) -> None:
    """Add /baocaocuatoi."""
    application.add_handler(CommandHandler("baocaocuatoi", baocaocuatoi))
