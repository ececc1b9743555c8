"""Rendering shared by the coordinator's commands.

The plan problem, times and /toi's lines (refusals are answered by :mod:`bot.refusals`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from telegram import Update

from bot import render
from bot.chat import unit_name
from bot.context import BotContext
from core.clock import VN_TZ
from core.texts import registration as tr, roles as t
from features import registry
from features.plans import PlanProblem, PlanResolution
from features.roles import MyRoles
from knowledge.base import KnowledgeBase
from storage.models import STATUS_APPROVED


def day(moment: dt.datetime | None) -> str:
    """``dd/mm/yyyy`` in Asia/Ho_Chi_Minh ("" without a moment)."""
    return f"{moment.astimezone(VN_TZ):%d/%m/%Y}" if moment else ""


async def for_plan(update: Update, context: BotContext, use_case: Callable[..., Any],
                   arg: str | None, *extra: object) -> Any | None:
    """Run a coordinator command's use case in one unit of work, replying why when it has no plan.

    The use case is called as ``use_case(session, kb, user id, chat id, admin ids, arg,
    *extra)``. When its plan resolution has no plan, the user is told why and None is returned;
    otherwise the result, whose ``resolution.plan_id`` is set.
    """
    message = update.effective_message
    found = await context.db.run(use_case, context.kb, update.effective_user.id,
                                 message.chat.id, list(context.settings.admin_ids), arg, *extra)
    if found.resolution.plan_id is None:
        await message.reply_text(plan_problem_text(context.kb, found.resolution))
        return None
    return found


def plan_problem_text(kb: KnowledgeBase, found: PlanResolution) -> str:
    """Why a command has no plan, as the reply (unknown, ambiguous or none chosen)."""
    plans = ", ".join(kb.plans)
    typed = render.echo(found.arg or "")
    if found.problem is PlanProblem.AMBIGUOUS:
        return t.PLAN_AMBIGUOUS.format(plan=typed, plans=", ".join(found.candidates))
    if found.problem is PlanProblem.UNKNOWN:
        return tr.UNKNOWN_PLAN.format(plan=typed, plans=plans)
    return tr.NEED_PLAN.format(command=found.command, plans=plans)


def me_lines(kb: KnowledgeBase, roles: MyRoles) -> list[str]:
    """/toi in private: current roles first, then the earlier ones in order of time."""
    def role_of(r: registry.RegistrationView) -> str:
        unit = unit_name(kb, r.plan_id, r.unit_id)
        plan = render.plan_label(kb, r.plan_id)
        return tr.ME_ROLE.format(role=tr.ROLE_NAMES.get(r.role, r.role).capitalize(),
                                 where=f"{unit}, {plan}" if unit else plan)

    lines = [tr.ME_ADMIN] if roles.is_admin else []
    for r in roles.current:
        when = r.decided_at if r.status == STATUS_APPROVED else r.requested_at
        lines.append(tr.ME_LINE[r.status].format(role=role_of(r), day=day(when)))
    if roles.past:
        lines.append(tr.ME_HISTORY)
        for r in roles.past:
            lines.append(tr.ME_PAST_LINE.format(
                role=role_of(r), requested=day(r.requested_at),
                status=tr.STATUS_NAMES.get(r.status, r.status), day=day(r.decided_at)))
    if not roles.current and not roles.is_admin:
        lines.append(tr.ME_NONE)
    return lines
