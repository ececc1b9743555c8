"""The coordinating office's documents: the trend and the compiled report.

``/tinhhinh xuhuong`` and ``/tonghop``: one function per update, the permission checked here
(raising :class:`~features.permissions.PermissionDenied`), typed results for the renderer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from features import compiled, rates, reports
from features.permissions import Action, load_actor
from features.plans import PlanResolution, resolve_plan
from features.reports import Period
from features.status import PeriodChoices, find_period, plan_periods
from knowledge.base import KnowledgeBase
from storage.crypto import FieldCipher

# /tonghop offers the current occurrences and at most this many past ones.
PAST_CHOICES = 6


@dataclass(frozen=True)
class TrendResult:
    """/tinhhinh xuhuong: the trend, or why there is none.

    Attributes:
        resolution: the plan (or its problem).
        trend: the trend (None when the plan has no plan or no dated deadline).
        dated: False when the plan sets no dated deadline (nothing to count).
    """

    resolution: PlanResolution
    trend: rates.Trend | None = None
    dated: bool = True


def plan_trend(session: Session, kb: KnowledgeBase, user_id: int, chat_id: int,
               admin_ids: Iterable[int], arg: str | None, now: dt.datetime) -> TrendResult:
    """/tinhhinh xuhuong [kế hoạch]: the rates of the last occurrences; audited.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    found = resolve_plan(session, kb, user_id, arg, chat_id, "tinhhinh xuhuong",
                         admin_ids=admin_ids, action=Action.VIEW_STATUS)
    if found.plan_id is None:
        return TrendResult(found)
    try:
        trend = rates.export_trend(session, found.actor, kb, found.require(), now=now,
                                   fmt="chat", last=rates.DEFAULT_LAST)
    except rates.NoDatedDeadline:
        return TrendResult(found, dated=False)
    return TrendResult(found, trend)


def compile_periods(kb: KnowledgeBase, plan_id: str, today: dt.date) -> list[Period]:
    """The occurrences /tonghop offers: the ones followed now, then the latest past ones."""
    plan = kb.get(plan_id)
    if plan is None:
        return []
    current = reports.board_periods(kb, plan_id, today)
    past = rates.dated_periods(plan, dt.date(plan.year - 1, 1, 1), today)[-PAST_CHOICES:]
    seen = {p.key for p in current}
    return current + [p for p in reversed(past) if p.key not in seen]


def compile_choices(session: Session, kb: KnowledgeBase, user_id: int, chat_id: int,
                    admin_ids: Iterable[int], arg: str | None, today: dt.date
                    ) -> PeriodChoices:
    """/tonghop [kế hoạch]: the occurrences a compiled report can be made of.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    return plan_periods(session, kb, user_id, chat_id, admin_ids, arg, "tonghop",
                        lambda plan_id: compile_periods(kb, plan_id, today))


def compile_period(session: Session, kb: KnowledgeBase, user_id: int, admin_ids: Iterable[int],
                   plan_id: str, deadline_id: str, day: str, now: dt.datetime,
                   cipher: FieldCipher | None) -> compiled.Compiled:
    """The compiled report a /tonghop button asks for; audited.

    Raises:
        UnknownPeriod: the button is stale.
        PermissionDenied: not a coordinator of the plan nor an admin.
    """
    period = find_period(kb, plan_id, deadline_id, day)
    actor = load_actor(session, user_id, admin_ids)
    return compiled.compile_report(session, actor, kb, period, now=now, cipher=cipher)
