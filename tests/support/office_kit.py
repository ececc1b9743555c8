"""Helpers of the office tests (rates, compile, incident clock) and bench/bench_office.py.

``big_plan`` is Quận 3's plan with ``units`` units and ``months`` monthly one-off deadlines
(due the 10th of each month of 2026), every unit submitting each; ``bulk_submit`` stores
reports straight into the tables (one version each), fast enough for 12,000 of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.clock import VN_TZ
from features import reports
from features.permissions import Actor
from knowledge.base import KnowledgeBase
from knowledge.schema import DateRule, Deadline, Plan, Unit
from storage.models import Submission, SubmissionVersion

PLAN = "quan3-2020"
YEAR = "bao-cao-nam"
YEAR_TITLE = "Báo cáo năm kết quả thực hiện kế hoạch"
UNITS = ["cong-an-quan", "phong-ldtbxh", "phong-gddt", "phong-vhtt", "phong-tu-phap",
         "phong-yte", "phong-tckh", "mttq-doan-the", "ubnd-phuong"]


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour:minute`` in Asia/Ho_Chi_Minh."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)


def year_period(due: dt.date = dt.date(2025, 12, 10)) -> reports.Period:
    """Quận 3's "Báo cáo năm" occurrence on ``due``."""
    return reports.Period(PLAN, YEAR, due, YEAR_TITLE)


def submit(db: Any, unit_id: str, when: dt.datetime, *, period: reports.Period | None = None,
           text: str | None = "Đã thực hiện.", file: Any = None, plan_id: str = PLAN
           ) -> reports.Receipt:
    """An officer of ``unit_id`` reports for ``period`` at ``when`` (through the service)."""
    return db.call(reports.submit, Actor(5000 + len(unit_id), officer_of=(plan_id, unit_id)),
                   plan_id=plan_id, unit_id=unit_id, period=period or year_period(),
                   text=text, file=file, submitter_name="Cán bộ", now=when)


def big_plan(kb: KnowledgeBase, *, units: int = 1000, months: int = 12,
             plan_id: str = "lon-2026") -> KnowledgeBase:
    """A knowledge base with one plan of ``units`` units and ``months`` monthly deadlines."""
    base = kb.get(PLAN)
    assert base is not None
    unit_rows = [Unit(id=f"don-vi-{i:04d}", name=f"Ủy ban nhân dân xã số {i}", section="V",
                      line=1) for i in range(1, units + 1)]
    ids = [u.id for u in unit_rows]
    deadlines = [
        Deadline(id=f"bao-cao-thang-{m:02d}", title=f"Báo cáo tháng {m}/2026", section="VI",
                 line=1, rule=DateRule(kind="once", date=dt.date(2026, m, 10),
                                       text=f"trước ngày 10/{m}/2026"),
                 submitters=ids, submitters_text="các xã", recipient="Ủy ban nhân dân tỉnh",
                 via="Sở Y tế", text="Báo cáo tháng.")
        for m in range(1, months + 1)
    ]
    plan = Plan.model_validate({**base.model_dump(), "id": plan_id, "units": unit_rows,
                                "deadlines": deadlines, "locality": "tỉnh Lớn", "year": 2026})
    big = KnowledgeBase()
    for p in kb:
        big.add(p, kb.sources.get(p.id, []))
    big.add(plan, [])
    return big


def bulk_submit(db: Any, plan: Plan, *, share: float = 0.9, late_every: int = 7,
                text: str = "Đã thực hiện.", start_number: int = 1) -> int:
    """Reports of ``share`` of the units for every deadline of ``plan``; one in ``late_every``
    late. Returns how many were stored."""
    count = 0
    number = start_number
    with db.unit_of_work() as s:
        for d in plan.deadlines:
            due = d.rule.date
            assert due is not None
            submitters = d.submitters[: int(len(d.submitters) * share)]
            subs = []
            for i, unit_id in enumerate(submitters):
                when = at(due + dt.timedelta(days=3)) if i % late_every == 0 else at(due, 8)
                code = f"BC-2026-{number:06d}"
                number += 1
                subs.append(Submission(
                    plan_id=plan.id, unit_id=unit_id,
                    occurrence_key=f"{plan.id}:{d.id}:{due.isoformat()}", deadline_id=d.id,
                    due_date=due, title=d.title, first_submitted_at=when, last_submitted_at=when,
                    version_count=1, current_number=code,
                ))
            s.add_all(subs)
            s.flush()
            s.add_all([SubmissionVersion(
                submission_id=sub.id, version=1, number=sub.current_number, submitted_by=9,
                submitter_name="Cán bộ", text=text, submitted_at=sub.first_submitted_at,
                file_name="phu-luc.pdf" if k % 5 == 0 else None,
                file_sha256=("0" * 64) if k % 5 == 0 else None,
            ) for k, sub in enumerate(subs)])
            count += len(subs)
    return count
