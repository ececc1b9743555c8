"""Registration: /dangky and the approval buttons (roles: :mod:`bot.handlers.roles`).

Thin handlers over :mod:`features.registry` and :mod:`features.permissions`: one ``db.run`` per
step. /dangky is a persisted conversation (:mod:`bot.handlers.conversation`): plan → unit by
buttons, or the unit typed ("phong y te q3") and matched fuzzily.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
)

from bot import notices, render
from bot.chat import full_name, is_private, unit_name
from bot.context import BotContext
from bot.handlers import conversation
from core.texts import registration as t
from features import registration, registry
from features.registration import Applicant, Registering, Requested
from knowledge.base import KnowledgeBase
from storage.models import (
    ROLE_COORDINATOR,
    ROLE_OFFICER,
    STATUS_APPROVED,
    STATUS_PENDING,
    ConversationState,
)

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
NAME = registration.NAME
STATE_PLAN = registration.STATE_PLAN
STATE_UNIT = registration.STATE_UNIT
CB = "dk:"  # dk:p:<token>:<plan> · dk:u:<token>:<plan>:<unit> · dk:ok:<id> · dk:no:<id>
MAX_CALLBACK = 64
PENDING_SHOWN = 10
ALL_PLANS = "*"  # /choduyet without a plan: every plan the user decides
ME_SHOWN = 20  # registrations shown by /toi
CURRENT_STATUSES = (STATUS_APPROVED, STATUS_PENDING)
ME_PAYLOAD = "toi"  # /start toi: the group's link to /toi in private
DEEP_LINK_GROUP = -3  # before the conversations, like the incident form's deep links
# /thuhoi <mã> <kế hoạch> [vai trò]: the role words typed (folded) → the role.
ROLE_WORDS = {"can bo": ROLE_OFFICER, "canbo": ROLE_OFFICER, "officer": ROLE_OFFICER,
              "dieu phoi": ROLE_COORDINATOR, "nguoi dieu phoi": ROLE_COORDINATOR,
              "dieuphoi": ROLE_COORDINATOR, "coordinator": ROLE_COORDINATOR}


# --- /dangky ---------------------------------------------------------------------------------


def _keyboard(rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    for _, data in rows:
        assert len(data.encode()) <= MAX_CALLBACK, data
    return InlineKeyboardMarkup([[InlineKeyboardButton(text[:100], callback_data=data)]
                                 for text, data in rows])


def _plans_keyboard(kb: KnowledgeBase, token: str) -> InlineKeyboardMarkup:
    return _keyboard([(render.plan_label(kb, p.id), f"{CB}p:{token}:{p.id}") for p in kb])


def _units_keyboard(kb: KnowledgeBase, token: str, plan_id: str) -> InlineKeyboardMarkup:
    plan = kb.get(plan_id)
    units = plan.units if plan else []
    return _keyboard([(u.name, f"{CB}u:{token}:{plan_id}:{u.id}") for u in units])


def _matches_keyboard(kb: KnowledgeBase, token: str,
                      matches: tuple[registry.UnitMatch, ...]) -> InlineKeyboardMarkup:
    return _keyboard([
        (t.UNIT_BUTTON.format(unit=m.name, plan=render.plan_label(kb, m.plan_id)),
         f"{CB}u:{token}:{m.plan_id}:{m.unit_id}")
        for m in matches
    ])


def _applicant(update: Update) -> Applicant:
    user = update.effective_user
    return Applicant(user.id, update.effective_chat.id, full_name(update), user.username)


async def dangky(update: Update, context: BotContext) -> None:
    """/dangky [tên đơn vị]: ask to be an officer of a unit (plan → unit, or typed)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    typed = " ".join(context.args or []).strip()
    if typed and await _typed_unit(update, context, typed, Registering(conversation.new_token()),
                                   keep_waiting=False):
        return
    state = Registering(conversation.new_token())
    await context.db.run(registration.save, message.chat.id, update.effective_user.id, state,
                         context.clock.now())
    await message.reply_text(t.CHOOSE_PLAN, reply_markup=_plans_keyboard(context.kb, state.token))


async def _typed_unit(update: Update, context: BotContext, typed: str, state: Registering, *,
                      keep_waiting: bool = True) -> bool:
    """Match a typed unit name: register when sure, offer buttons when not. True if handled."""
    message = update.effective_message
    asked = await context.db.run(
        registration.answer_typed, context.kb, _applicant(update), typed, state,
        list(context.settings.admin_ids), context.clock.now(), keep_waiting=keep_waiting,
    )
    outcome = asked.outcome
    if asked.requested is not None:
        await _requested(update, context, asked.requested)
        return True
    if isinstance(outcome, registration.Offer):
        await message.reply_text(
            t.PICK_MATCH,
            reply_markup=_matches_keyboard(context.kb, outcome.state.token, outcome.matches),
        )
        return True
    await message.reply_text(t.NO_MATCH.format(text=render.echo(typed)))
    return False


async def _on_message(update: Update, context: BotContext, row: ConversationState) -> None:
    """A message during /dangky: a typed unit name."""
    message = update.effective_message
    typed = (message.text or "").strip()
    if not typed:
        await message.reply_text(t.EMPTY_UNIT_TEXT)
        return
    await _typed_unit(update, context, typed, Registering.of(row))


def approval_keyboard(registration_id: int) -> InlineKeyboardMarkup:
    """The approver's buttons: approve, refuse."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t.APPROVE_BUTTON, callback_data=f"{CB}ok:{registration_id}"),
        InlineKeyboardButton(t.REFUSE_BUTTON, callback_data=f"{CB}no:{registration_id}"),
    ]])


def approval_text(kb: KnowledgeBase, reg: registry.RegistrationView) -> str:
    """The approver's message about a request."""
    return t.APPROVAL_REQUEST.format(
        id=reg.id, name=reg.full_name or reg.telegram_id, user_id=reg.telegram_id,
        unit=unit_name(kb, reg.plan_id, reg.unit_id), plan=render.plan_label(kb, reg.plan_id),
    )


async def _requested(update: Update, context: BotContext, done: Requested) -> None:
    """Tell the officer, and ask the approvers with buttons."""
    message = update.effective_message
    plan_id, unit_id = done.plan_id, done.unit_id
    names = {"unit": unit_name(context.kb, plan_id, unit_id),
             "plan": render.plan_label(context.kb, plan_id)}
    reg = done.registration
    if reg is None:
        await message.reply_text(t.ALREADY_REGISTERED.format(**names))
        return
    text = (t.REQUEST_SENT_ADMINS if done.to_admins else t.REQUEST_SENT if done.approvers
            else t.REQUEST_SENT_NOBODY).format(**names)
    if done.replaces is not None:
        old = done.replaces
        text += t.REQUEST_REPLACES.format(unit=unit_name(context.kb, old.plan_id, old.unit_id),
                                          plan=render.plan_label(context.kb, old.plan_id))
    await message.reply_text(text)
    for approver in done.approvers:
        try:
            await context.bot.send_message(
                approver, approval_text(context.kb, reg), reply_markup=approval_keyboard(reg.id)
            )
        except TelegramError as exc:
            logger.warning("approver %s not reachable: %s", approver, type(exc).__name__)


# --- buttons ---------------------------------------------------------------------------------


async def _stale(update: Update) -> None:
    await update.callback_query.answer(t.STALE, show_alert=True)


async def on_button(update: Update, context: BotContext) -> None:
    """The ``dk:`` buttons: plan and unit choice, approve and refuse."""
    query = update.callback_query
    kind, _, rest = query.data.removeprefix(CB).partition(":")
    if kind in ("ok", "no"):
        await _decide(update, context, rest, approve=kind == "ok")
        return
    token, _, rest = rest.partition(":")
    plan_id, _, unit_id = rest.partition(":")
    now = context.clock.now()
    try:
        if kind == "p" and context.kb.get(plan_id) is not None:
            await conversation.in_conversation(update, context, NAME, token,
                                               registration.plan_chosen, plan_id, now)
            await query.answer()
            await query.edit_message_text(
                t.CHOOSE_UNIT.format(plan=render.plan_label(context.kb, plan_id)),
                reply_markup=_units_keyboard(context.kb, token, plan_id),
            )
            return
        if kind == "u" and unit_name(context.kb, plan_id, unit_id) != unit_id:
            done = await conversation.in_conversation(
                update, context, NAME, token, registration.unit_chosen, _applicant(update),
                plan_id, unit_id, list(context.settings.admin_ids), now,
            )
            await query.answer()
            await query.edit_message_reply_markup(None)
            await _requested(update, context, done)
            return
    except conversation.STOPPED:
        return
    await _stale(update)


async def _decide(update: Update, context: BotContext, raw_id: str, *, approve: bool) -> None:
    """Approve or refuse a registration (coordinators of its plan, admins)."""
    query = update.callback_query
    if not raw_id.isdigit():
        await _stale(update)
        return
    try:  # a refusal: its alert comes from bot.refusals
        reg = await context.db.run(
            registration.decide, update.effective_user.id, int(raw_id), approve,
            list(context.settings.admin_ids), context.clock.now(),
        )
    except registry.NotPending as exc:
        status = t.STATUS_NAMES.get(exc.status, exc.status)
        await query.answer(t.ALREADY_DECIDED.format(status=status), show_alert=True)
        if isinstance(query.message, Message):
            await query.edit_message_reply_markup(None)
        return
    except registry.UnknownRegistration:
        await _stale(update)
        return
    names = {"id": reg.id, "name": reg.full_name or reg.telegram_id,
             "unit": unit_name(context.kb, reg.plan_id, reg.unit_id),
             "plan": render.plan_label(context.kb, reg.plan_id)}
    await query.answer(t.TOAST_DONE)
    if isinstance(query.message, Message):
        await query.edit_message_text((t.DECIDED_APPROVED if approve else t.DECIDED_REFUSED)
                                      .format(**names))
    await notices.tell(context.bot, reg.telegram_id,
                       notices.decided(context.kb, reg.plan_id, reg.unit_id, approve=approve))


conversation.define(conversation.Conversation(
    name=NAME, on_message=_on_message, cancelled_text=t.CANCELLED, timed_out_text=t.TIMED_OUT,
    stale_text=t.STALE,
))


def register(application: Application) -> None:
    """Add the registration commands and buttons, and the shared conversation handlers."""
    conversation.install(application)
    application.add_handlers([
        CommandHandler("dangky", dangky),
        CallbackQueryHandler(on_button, pattern=f"^{CB}"),
    ])
