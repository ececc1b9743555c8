"""Registration: /dangky and the approval buttons (roles: :mod:`bot.handlers.roles`).

Thin handlers over :mod:`features.registry` and :mod:`features.permissions`: one ``db.run`` per
step. /dangky is a persisted conversation (:mod:`bot.handlers.conversation`): plan → unit by
buttons, or the unit typed ("phong y te q3") and matched fuzzily.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
)

from bot import notices, render
from bot.context import BotContext
from bot.handlers import conversation
from core.clock import VN_TZ
from core.texts import registration as t
from features import registry
from features.permissions import Actor, PermissionDenied, load_actor
from knowledge.base import KnowledgeBase
from knowledge.place_plans import plans_for_place
from storage import chats, conversations
from storage.models import (
    ROLE_COORDINATOR,
    ROLE_OFFICER,
    STATUS_APPROVED,
    STATUS_PENDING,
    ConversationState,
)

logger = logging.getLogger(__name__)

COMMANDS = t.COMMANDS
NAME = "dangky"
STATE_PLAN = "plan"  # waiting for a plan button (or a typed unit name)
STATE_UNIT = "unit"  # waiting for a unit button or a typed unit name
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


# --- shared by the features with roles (also used by bot.handlers.reports) -------------------


def is_private(message: Message) -> bool:
    """Whether ``message`` is in a private chat."""
    return message.chat.type == ChatType.PRIVATE


def full_name(update: Update) -> str:
    """The Telegram name of the user of ``update``."""
    user = update.effective_user
    return user.full_name if user else ""


def who(session: Session, user_id: int, chat_id: int, admin_ids: list[int]
        ) -> tuple[Actor, str | None]:
    """The actor and the plan the chat selected, in one unit of work."""
    return load_actor(session, user_id, admin_ids), chats.get_chat_plan(session, chat_id)


@dataclass(frozen=True)
class PlanChoice:
    """The plan a coordinator command is about, or why there is none."""

    plan_id: str | None
    problem: str | None = None


def choose_plan(kb: KnowledgeBase, arg: str | None, chat_plan: str | None, actor: Actor,
                *, command: str) -> PlanChoice:
    """The plan of a command: its argument (a plan id, or a place only one plan covers: "Hải
    Phòng" is the plan of Hải Dương), else the chat's plan, else the actor's own plan."""
    plans = ", ".join(kb.plans)
    if arg:
        if kb.get(arg) is None:
            named = plans_for_place(kb, arg)  # a place, of before or after 2025
            if len(named) == 1:
                return PlanChoice(named[0].plan_id)
            return PlanChoice(None, t.UNKNOWN_PLAN.format(plan=render.echo(arg), plans=plans))
        return PlanChoice(arg)
    if chat_plan and kb.get(chat_plan) is not None:
        return PlanChoice(chat_plan)
    own = [p for p in actor.plan_ids if kb.get(p) is not None]
    if own:
        return PlanChoice(own[0])
    return PlanChoice(None, t.NEED_PLAN.format(command=command, plans=plans))


unit_name = notices.unit_name  # a unit's full name (its id when the plan no longer has it)


def local_time(moment: dt.datetime) -> str:
    """``HH:MM dd/mm/yyyy`` in Asia/Ho_Chi_Minh."""
    return f"{moment.astimezone(VN_TZ):%H:%M %d/%m/%Y}"


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
                      matches: list[registry.UnitMatch]) -> InlineKeyboardMarkup:
    return _keyboard([
        (t.UNIT_BUTTON.format(unit=m.name, plan=render.plan_label(kb, m.plan_id)),
         f"{CB}u:{token}:{m.plan_id}:{m.unit_id}")
        for m in matches
    ])


async def dangky(update: Update, context: BotContext) -> None:
    """/dangky [tên đơn vị]: ask to be an officer of a unit (plan → unit, or typed)."""
    message = update.effective_message
    if not is_private(message):
        await message.reply_text(t.PRIVATE_ONLY.format(bot=context.bot.username))
        return
    typed = " ".join(context.args or []).strip()
    if typed and await _typed_unit(update, context, typed, None, conversation.new_token()):
        return
    token = conversation.new_token()
    await context.db.run(
        conversations.save, message.chat.id, update.effective_user.id, NAME, STATE_PLAN,
        {"token": token}, now=context.clock.now(),
    )
    await message.reply_text(t.CHOOSE_PLAN, reply_markup=_plans_keyboard(context.kb, token))


async def _typed_unit(update: Update, context: BotContext, typed: str, plan_id: str | None,
                      token: str) -> bool:
    """Match a typed unit name: register when sure, offer buttons when not. True if handled."""
    message = update.effective_message
    matches = registry.find_units(
        context.kb, typed, plan_ids=[plan_id] if plan_id else None
    )
    sure = registry.sure_match(matches)
    if sure is not None:
        await _request(update, context, sure.plan_id, sure.unit_id)
        return True
    if not matches:
        await message.reply_text(t.NO_MATCH.format(text=render.echo(typed)))
        return False
    await context.db.run(
        conversations.save, message.chat.id, update.effective_user.id, NAME, STATE_UNIT,
        {"token": token, "plan_id": plan_id}, now=context.clock.now(),
    )
    await message.reply_text(
        t.PICK_MATCH, reply_markup=_matches_keyboard(context.kb, token, matches)
    )
    return True


async def _on_message(update: Update, context: BotContext, state: ConversationState) -> None:
    """A message during /dangky: a typed unit name."""
    message = update.effective_message
    typed = (message.text or "").strip()
    if not typed:
        await message.reply_text(t.EMPTY_UNIT_TEXT)
        return
    plan_id = state.data.get("plan_id")
    if not await _typed_unit(update, context, typed, plan_id, state.data["token"]):
        # still waiting: the idle timeout counts from now
        await context.db.run(
            conversations.save, state.chat_id, state.user_id, NAME, state.state, state.data,
            now=context.clock.now(),
        )


@dataclass(frozen=True)
class _Requested:
    registration: registry.RegistrationView | None
    approvers: list[int]
    to_admins: bool = False  # the plan has no coordinator: the admins decide
    replaces: registry.RegistrationView | None = None  # the officer's current unit, if another


def _do_request(session: Session, user_id: int, chat_id: int, name: str, username: str | None,
                plan_id: str, unit_id: str, admin_ids: list[int], now: dt.datetime
                ) -> _Requested:
    conversations.clear(session, chat_id, user_id, NAME)
    current = [r for r in registry.list_registrations(session, telegram_id=user_id,
                                                      status=STATUS_APPROVED, role=ROLE_OFFICER)
               if (r.plan_id, r.unit_id) != (plan_id, unit_id)]
    try:
        reg = registry.request_officer(
            session, telegram_id=user_id, plan_id=plan_id, unit_id=unit_id, now=now,
            full_name=name, username=username,
        )
    except registry.AlreadyRegistered:
        return _Requested(None, [])
    assert reg.id is not None
    view = registry.registration_view(session, reg.id)
    asked = registry.approvers(session, plan_id, admin_ids)
    coordinators = registry.approvers(session, plan_id, [])
    return _Requested(view, asked, to_admins=bool(asked) and not coordinators,
                      replaces=current[0] if current else None)


def approval_keyboard(registration_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t.APPROVE_BUTTON, callback_data=f"{CB}ok:{registration_id}"),
        InlineKeyboardButton(t.REFUSE_BUTTON, callback_data=f"{CB}no:{registration_id}"),
    ]])


def approval_text(kb: KnowledgeBase, reg: registry.RegistrationView) -> str:
    return t.APPROVAL_REQUEST.format(
        id=reg.id, name=reg.full_name or reg.telegram_id, user_id=reg.telegram_id,
        unit=unit_name(kb, reg.plan_id, reg.unit_id), plan=render.plan_label(kb, reg.plan_id),
    )


async def _request(update: Update, context: BotContext, plan_id: str, unit_id: str) -> None:
    """Record the request (typed unit), then :func:`_requested`."""
    user = update.effective_user
    done = await context.db.run(
        _do_request, user.id, update.effective_chat.id, full_name(update), user.username,
        plan_id, unit_id, list(context.settings.admin_ids), context.clock.now(),
    )
    await _requested(update, context, plan_id, unit_id, done)


async def _requested(update: Update, context: BotContext, plan_id: str, unit_id: str,
                     done: _Requested) -> None:
    """Tell the officer, and ask the approvers with buttons."""
    message = update.effective_message
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


def _plan_chosen(session: Session, state: ConversationState, plan_id: str,
                 now: dt.datetime) -> None:
    conversations.save(session, state.chat_id, state.user_id, NAME, STATE_UNIT,
                       {**state.data, "plan_id": plan_id}, now=now)


def _unit_chosen(session: Session, state: ConversationState, *args: object) -> _Requested:
    return _do_request(session, state.user_id, state.chat_id, *args)


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
            await conversation.in_conversation(update, context, NAME, token, _plan_chosen,
                                               plan_id, now)
            await query.answer()
            await query.edit_message_text(
                t.CHOOSE_UNIT.format(plan=render.plan_label(context.kb, plan_id)),
                reply_markup=_units_keyboard(context.kb, token, plan_id),
            )
            return
        if kind == "u" and unit_name(context.kb, plan_id, unit_id) != unit_id:
            user = update.effective_user
            done = await conversation.in_conversation(
                update, context, NAME, token, _unit_chosen, full_name(update), user.username,
                plan_id, unit_id, list(context.settings.admin_ids), now,
            )
            await query.answer()
            await query.edit_message_reply_markup(None)
            await _requested(update, context, plan_id, unit_id, done)
            return
    except (conversation.Stale, conversation.Expired):
        return
    await _stale(update)


def _do_decide(session: Session, user_id: int, registration_id: int, approve: bool,
               admin_ids: list[int], now: dt.datetime) -> registry.RegistrationView:
    actor = load_actor(session, user_id, admin_ids)
    registry.decide(session, actor, registration_id, approve=approve, now=now)
    view = registry.registration_view(session, registration_id)
    assert view is not None
    return view


async def _decide(update: Update, context: BotContext, raw_id: str, *, approve: bool) -> None:
    """Approve or refuse a registration (coordinators of its plan, admins)."""
    query = update.callback_query
    if not raw_id.isdigit():
        await _stale(update)
        return
    try:
        reg = await context.db.run(
            _do_decide, update.effective_user.id, int(raw_id), approve,
            list(context.settings.admin_ids), context.clock.now(),
        )
    except PermissionDenied:
        await query.answer(t.NOT_ALLOWED, show_alert=True)
        return
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
