"""Roles: /toi, /choduyet, /capquyen, /thuhoi — thin handlers over :mod:`features.roles`.

Each parses the update, makes one unit of work's call and renders the typed result; a
permission refusal becomes its reply in :mod:`bot.refusals`.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    filters,
)

from bot import notices, render
from bot.chat import is_private
from bot.context import BotContext
from bot.handlers.registration import DEEP_LINK_GROUP, approval_keyboard, approval_text
from bot.render_roles import me_lines, plan_problem_text
from core.texts import registration as t
from core.texts.roles import PLAN_AMBIGUOUS, ROLE_WORDS
from features import roles
from features.roles import RoleOutcome
from knowledge.textnorm import fold

logger = logging.getLogger(__name__)

ME_PAYLOAD = "toi"  # /start toi: the group's link to /toi in private


# --- /toi, /choduyet -------------------------------------------------------------------------


async def toi(update: Update, context: BotContext) -> None:
    """/toi: my roles (current first, then history) in private; a link to it in a group."""
    user = update.effective_user
    message = update.effective_message
    if not is_private(message):
        link = f"https://t.me/{context.bot.username}?start={ME_PAYLOAD}"
        await message.reply_text(t.ME_IN_PRIVATE, reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(t.ME_BUTTON, url=link)]]))
        return
    mine = await context.db.run(roles.my_roles, user.id, list(context.settings.admin_ids))
    lines = [t.ME_HEADER.format(user_id=user.id), *me_lines(context.kb, mine)]
    await message.reply_text("\n".join(lines))


async def toi_deep_link(update: Update, context: BotContext) -> None:
    """``/start toi`` (the group's button): /toi in private."""
    await toi(update, context)
    raise ApplicationHandlerStop


async def choduyet(update: Update, context: BotContext) -> None:
    """/choduyet [kế hoạch].

    Pending registrations, each with its buttons (without a plan: those of every plan the user
    decides).
    """
    message = update.effective_message
    pending = await context.db.run(
        roles.pending_requests, context.kb, update.effective_user.id, message.chat.id,
        list(context.settings.admin_ids), " ".join(context.args or []) or None,
    )
    if pending.resolution is not None and pending.plan_id is None:
        await message.reply_text(plan_problem_text(context.kb, pending.resolution))
        return
    if not pending.by_plan:
        plan = (t.PENDING_ALL_PLANS if pending.all_plans or pending.plan_id is None
                else render.plan_label(context.kb, pending.plan_id))
        await message.reply_text(t.PENDING_NONE.format(plan=plan))
        return
    for plan_id, regs in pending.by_plan.items():
        await message.reply_text(t.PENDING_HEADER.format(
            plan=render.plan_label(context.kb, plan_id)))
        for reg in regs:
            await message.reply_text(approval_text(context.kb, reg),
                                     reply_markup=approval_keyboard(reg.id))


# --- /capquyen, /thuhoi (admins) -------------------------------------------------------------


def _role_arg(args: list[str]) -> tuple[list[str], str | None]:
    """The arguments without a trailing role word (``cán bộ``, ``điều phối``), and the role."""
    for size in (3, 2, 1):
        if len(args) > size:
            word = fold(" ".join(args[-size:]))
            if word in ROLE_WORDS:
                return args[:-size], ROLE_WORDS[word]
    return args, None


def _target(update: Update, args: list[str]) -> tuple[int | None, str | None, str | None]:
    """(user id, name, plan typed) from ``/cmd <user id> <plan>`` or a reply ``/cmd <plan>``."""
    replied = update.effective_message.reply_to_message
    if replied is not None and replied.from_user is not None and args and not (
            len(args) > 1 and args[0].lstrip("-").isdigit()):
        return replied.from_user.id, replied.from_user.full_name, " ".join(args)
    if len(args) >= 2 and args[0].lstrip("-").isdigit():
        return int(args[0]), None, " ".join(args[1:])
    return None, None, None


def _unknown_plan(context: BotContext, change: roles.RoleChange) -> str:
    if change.candidates:
        return PLAN_AMBIGUOUS.format(plan=render.echo(change.plan_id or ""),
                                     plans=", ".join(change.candidates))
    return t.UNKNOWN_PLAN.format(plan=render.echo(change.plan_id or ""),
                                 plans=", ".join(context.kb.plans))


async def capquyen(update: Update, context: BotContext) -> None:
    """/capquyen <mã người dùng> <kế hoạch>: make someone a coordinator (admins)."""
    message = update.effective_message
    target, name, plan = _target(update, context.args or [])
    change = await context.db.run(
        roles.grant, context.kb, update.effective_user.id, list(context.settings.admin_ids),
        target, name, plan, context.clock.now(),
    )
    if change.outcome is RoleOutcome.USAGE:
        await message.reply_text(t.GRANT_USAGE)
        return
    if change.outcome is RoleOutcome.UNKNOWN_PLAN:
        await message.reply_text(_unknown_plan(context, change))
        return
    assert change.plan_id is not None
    assert change.target is not None
    reg = change.registration
    await message.reply_text(t.GRANTED.format(
        plan=render.plan_label(context.kb, change.plan_id),
        name=(reg.full_name if reg else None) or change.target, user_id=change.target))
    await notices.tell(context.bot, change.target, notices.granted(context.kb, change.plan_id))


async def thuhoi(update: Update, context: BotContext) -> None:
    """/thuhoi <mã người dùng> <kế hoạch> [vai trò]: revoke someone's roles (admins)."""
    message = update.effective_message
    args, role = _role_arg(context.args or [])
    target, _, plan = _target(update, args)
    change = await context.db.run(
        roles.revoke, context.kb, update.effective_user.id, list(context.settings.admin_ids),
        target, plan, context.clock.now(), role,
    )
    if change.outcome is RoleOutcome.USAGE:
        await message.reply_text(t.REVOKE_USAGE)
        return
    assert change.plan_id is not None
    assert change.target is not None
    text = t.REVOKED if change.roles else t.REVOKED_NONE
    await message.reply_text(text.format(count=len(change.roles), user_id=change.target,
                                         plan=render.echo(change.plan_id)))
    if change.roles:
        await notices.tell(context.bot, change.target,
                           notices.revoked(context.kb, change.plan_id, list(change.roles)))


def register(application: Application) -> None:
    """Add /toi, /choduyet, /capquyen, /thuhoi and the ``/start toi`` deep link."""
    application.add_handlers([
        CommandHandler("toi", toi),
        CommandHandler("choduyet", choduyet),
        CommandHandler("capquyen", capquyen),
        CommandHandler("thuhoi", thuhoi),
    ])
    application.add_handler(CommandHandler(
        "start", toi_deep_link,
        filters=filters.ChatType.PRIVATE & filters.Regex(rf"^/start(?:@\w+)?\s+{ME_PAYLOAD}\s*$"),
    ), group=DEEP_LINK_GROUP)
