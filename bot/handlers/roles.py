"""Roles: /toi, /choduyet, /capquyen, /thuhoi (cut out of :mod:`bot.handlers.registration`).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    filters,
)

from bot import notices, render
from bot.context import BotContext
from bot.handlers.registration import (
    ALL_PLANS,
    CURRENT_STATUSES,
    DEEP_LINK_GROUP,
    ME_PAYLOAD,
    ME_SHOWN,
    PENDING_SHOWN,
    ROLE_WORDS,
    PlanChoice,
    approval_keyboard,
    approval_text,
    choose_plan,
    unit_name,
    who,
)
from core.clock import VN_TZ
from core.texts import registration as t
from features import registry
from features.permissions import Action, Actor, PermissionDenied, allowed, load_actor
from knowledge.base import KnowledgeBase
from knowledge.textnorm import fold
from storage.models import (
    STATUS_APPROVED,
    STATUS_PENDING,
)

logger = logging.getLogger(__name__)


# --- /toi, /choduyet -------------------------------------------------------------------------


def _me(session: Session, user_id: int, admin_ids: list[int]
        ) -> tuple[Actor, list[registry.RegistrationView]]:
    regs = registry.list_registrations(session, telegram_id=user_id)
    return load_actor(session, user_id, admin_ids), regs[:ME_SHOWN]


def _day(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone(VN_TZ):%d/%m/%Y}" if moment else ""


def _me_lines(kb: KnowledgeBase, actor: Actor, regs: list[registry.RegistrationView]
              ) -> list[str]:
    """/toi in private: current roles first, then the earlier ones in order of time."""
    def role_of(r: registry.RegistrationView) -> str:
        unit = unit_name(kb, r.plan_id, r.unit_id)
        plan = render.plan_label(kb, r.plan_id)
        return t.ME_ROLE.format(role=t.ROLE_NAMES.get(r.role, r.role).capitalize(),
                                where=f"{unit}, {plan}" if unit else plan)

    current = [r for r in regs if r.status in CURRENT_STATUSES]
    past = sorted((r for r in regs if r.status not in CURRENT_STATUSES),
                  key=lambda r: r.requested_at)
    lines = [t.ME_ADMIN] if actor.is_admin else []
    for r in current:
        when = r.decided_at if r.status == STATUS_APPROVED else r.requested_at
        lines.append(t.ME_LINE[r.status].format(role=role_of(r), day=_day(when)))
    if past:
        lines.append(t.ME_HISTORY)
        for r in past:
            lines.append(t.ME_PAST_LINE.format(
                role=role_of(r), requested=_day(r.requested_at),
                status=t.STATUS_NAMES.get(r.status, r.status), day=_day(r.decided_at)))
    if not current and not actor.is_admin:
        lines.append(t.ME_NONE)
    return lines


async def toi(update: Update, context: BotContext) -> None:
    """/toi: my roles (current first, then history) in private; a link to it in a group."""
    user = update.effective_user
    message = update.effective_message
    if message.chat.type != ChatType.PRIVATE:
        link = f"https://t.me/{context.bot.username}?start={ME_PAYLOAD}"
        await message.reply_text(t.ME_IN_PRIVATE, reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(t.ME_BUTTON, url=link)]]))
        return
    actor, regs = await context.db.run(_me, user.id, list(context.settings.admin_ids))
    lines = [t.ME_HEADER.format(user_id=user.id), *_me_lines(context.kb, actor, regs)]
    await message.reply_text("\n".join(lines))


async def toi_deep_link(update: Update, context: BotContext) -> None:
    """``/start toi`` (the group's button): /toi in private."""
    await toi(update, context)
    raise ApplicationHandlerStop


def _pending(session: Session, user_id: int, chat_id: int, admin_ids: list[int], arg: str | None,
             kb: KnowledgeBase
             ) -> tuple[PlanChoice, dict[str, list[registry.RegistrationView]] | None]:
    """The pending requests of the plan named (or the chat's), else of every plan the user
    decides that has some (plan id → requests)."""
    actor, chat_plan = who(session, user_id, chat_id, admin_ids)
    if not arg and not (chat_plan and kb.get(chat_plan)):
        mine = [p for p in kb.plans if allowed(actor, Action.LIST_REGISTRATIONS, plan_id=p)]
        if mine:
            found = {p: registry.list_registrations(session, plan_id=p, status=STATUS_PENDING)
                     [:PENDING_SHOWN] for p in mine}
            busy = {p: regs for p, regs in found.items() if regs}
            return PlanChoice(mine[0] if len(mine) == 1 else ALL_PLANS), busy
    choice = choose_plan(kb, arg, chat_plan, actor, command="choduyet")
    if choice.plan_id is None:
        return choice, {}
    if not allowed(actor, Action.LIST_REGISTRATIONS, plan_id=choice.plan_id):
        return choice, None
    regs = registry.list_registrations(session, plan_id=choice.plan_id, status=STATUS_PENDING)
    return choice, {choice.plan_id: regs[:PENDING_SHOWN]} if regs else {}


async def choduyet(update: Update, context: BotContext) -> None:
    """/choduyet [mã kế hoạch]: pending registrations, each with its buttons (without a plan:
    those of every plan the user decides)."""
    message = update.effective_message
    choice, pending = await context.db.run(
        _pending, update.effective_user.id, message.chat.id, list(context.settings.admin_ids),
        " ".join(context.args or []) or None, context.kb,
    )
    if pending is None:
        await message.reply_text(t.NOT_ALLOWED)
        return
    if choice.plan_id is None:
        await message.reply_text(choice.problem)
        return
    if not pending:
        plan = (t.PENDING_ALL_PLANS if choice.plan_id == ALL_PLANS
                else render.plan_label(context.kb, choice.plan_id))
        await message.reply_text(t.PENDING_NONE.format(plan=plan))
        return
    for plan_id, regs in pending.items():
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
    """(user id, name, plan id) from ``/cmd <user id> <plan>`` or a reply with ``/cmd <plan>``."""
    replied = update.effective_message.reply_to_message
    if replied is not None and replied.from_user is not None and len(args) == 1:
        return replied.from_user.id, replied.from_user.full_name, args[0]
    if len(args) == 2 and args[0].lstrip("-").isdigit():
        return int(args[0]), None, args[1]
    return None, None, None


def _may_grant(update: Update, context: BotContext) -> bool:
    """Granting needs no database: admins are settings (checked before reading arguments)."""
    uid = update.effective_user.id
    return allowed(Actor(uid, is_admin=uid in context.settings.admin_ids), Action.GRANT_ROLE)


def _grant(session: Session, user_id: int, target: int, name: str | None, plan_id: str,
           admin_ids: list[int], now: dt.datetime) -> registry.RegistrationView:
    actor = load_actor(session, user_id, admin_ids)
    reg = registry.grant_coordinator(session, actor, target, plan_id, now=now, full_name=name)
    assert reg.id is not None
    view = registry.registration_view(session, reg.id)
    assert view is not None
    return view


async def capquyen(update: Update, context: BotContext) -> None:
    """/capquyen <mã người dùng> <mã kế hoạch>: make someone a coordinator (admins)."""
    message = update.effective_message
    target, name, plan_id = _target(update, context.args or [])
    if not _may_grant(update, context):
        await message.reply_text(t.NOT_ALLOWED)
        return
    if target is None or plan_id is None:
        await message.reply_text(t.GRANT_USAGE)
        return
    if context.kb.get(plan_id) is None:
        await message.reply_text(t.UNKNOWN_PLAN.format(plan=render.echo(plan_id),
                                                       plans=", ".join(context.kb.plans)))
        return
    try:
        reg = await context.db.run(
            _grant, update.effective_user.id, target, name, plan_id,
            list(context.settings.admin_ids), context.clock.now(),
        )
    except PermissionDenied:
        await message.reply_text(t.NOT_ALLOWED)
        return
    plan = render.plan_label(context.kb, plan_id)
    await message.reply_text(t.GRANTED.format(plan=plan, name=reg.full_name or target,
                                              user_id=target))
    await notices.tell(context.bot, target, notices.granted(context.kb, plan_id))


def _revoke(session: Session, user_id: int, target: int, plan_id: str, admin_ids: list[int],
            now: dt.datetime, role: str | None = None) -> list[str]:
    actor = load_actor(session, user_id, admin_ids)
    revoked = registry.revoke(session, actor, target, plan_id, now=now, role=role)
    return [r.role for r in revoked]


async def thuhoi(update: Update, context: BotContext) -> None:
    """/thuhoi <mã người dùng> <mã kế hoạch>: revoke someone's roles in a plan (admins)."""
    message = update.effective_message
    args, role = _role_arg(context.args or [])
    target, _, plan_id = _target(update, args)
    if not _may_grant(update, context):
        await message.reply_text(t.NOT_ALLOWED)
        return
    if target is None or plan_id is None:
        await message.reply_text(t.REVOKE_USAGE)
        return
    try:
        roles = await context.db.run(
            _revoke, update.effective_user.id, target, plan_id,
            list(context.settings.admin_ids), context.clock.now(), role,
        )
    except PermissionDenied:
        await message.reply_text(t.NOT_ALLOWED)
        return
    text = t.REVOKED if roles else t.REVOKED_NONE
    await message.reply_text(text.format(count=len(roles), user_id=target,
                                          plan=render.echo(plan_id)))
    if roles:
        await notices.tell(context.bot, target, notices.revoked(context.kb, plan_id, roles))


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
