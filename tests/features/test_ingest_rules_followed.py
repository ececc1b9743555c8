"""The new date rules (monthly, quarterly, daily, period, relative) in the schema, the deadline
arithmetic, the reminders and the report periods of the status board."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from features.reminders import is_reminded, parse_request, watched_deadlines
from features.reports import open_periods
from knowledge.base import KnowledgeBase
from knowledge.deadlines import dates_between, describe_rule, next_date
from knowledge.schema import DateRule, Deadline, Plan, Unit
from storage.models import ReminderSubscription

D = dt.date
RULES = {
    "hang-thang": DateRule(kind="monthly", day=31, text="trước ngày 31 hằng tháng"),
    "hang-quy": DateRule(kind="quarterly", day=15, month=1, text="ngày 15 tháng đầu quý"),
    "hang-ngay": DateRule(kind="daily", time="19:00", text="trước 19h00 hằng ngày"),
    "dot-kiem-tra": DateRule(kind="period", start=D(2026, 3, 2), date=D(2026, 3, 6),
                             text="từ ngày 02 đến ngày 06/3/2026"),
    "giai-doan": DateRule(kind="period", first_year=2026, last_year=2030, text="2026-2030"),
    "sau-khi-nhan": DateRule(kind="relative", days=10, after="ngày nhận Kế hoạch",
                             text="trong thời hạn 10 ngày kể từ ngày nhận Kế hoạch"),
    "theo-quy-dinh": DateRule(kind="none", text="theo quy định"),
}


def _plan() -> Plan:
    unit = Unit(id="so-y-te", section="I.1", line=1, name="Sở Y tế")
    deadlines = [
        Deadline(id=i, section="I.1", line=1, title=f"Báo cáo {i}", rule=r,
                 submitters=["so-y-te"], submitters_text="Sở Y tế", recipient="UBND tỉnh",
                 text="…")
        for i, r in RULES.items()
    ]
    return Plan(id="thu-2026", title="Thử", issuer="UBND tỉnh", level="tỉnh", locality="tỉnh A",
                year=2026, source="thu-2026.txt", units=[unit], deadlines=deadlines)


@pytest.mark.parametrize(
    ("rule", "today", "expected"),
    [
        ("hang-thang", D(2026, 2, 1), D(2026, 2, 28)),  # 31 → the month's last day
        ("hang-thang", D(2026, 3, 31), D(2026, 3, 31)),
        ("hang-quy", D(2026, 1, 16), D(2026, 4, 15)),
        ("hang-ngay", D(2026, 5, 4), D(2026, 5, 4)),
        ("dot-kiem-tra", D(2026, 1, 1), D(2026, 3, 6)),
        ("giai-doan", D(2026, 1, 1), None),
        ("sau-khi-nhan", D(2026, 1, 1), None),
        ("theo-quy-dinh", D(2026, 1, 1), None),
    ],
)
def test_next_date(rule: str, today: dt.date, expected: dt.date | None) -> None:
    assert next_date(RULES[rule], today) == expected


def test_occurrences_in_a_window() -> None:
    quarter = dates_between(RULES["hang-quy"], D(2026, 1, 1), D(2026, 12, 31))
    assert quarter == [D(2026, 1, 15), D(2026, 4, 15), D(2026, 7, 15), D(2026, 10, 15)]
    assert len(dates_between(RULES["hang-ngay"], D(2026, 1, 1), D(2026, 1, 7))) == 7
    assert dates_between(RULES["sau-khi-nhan"], D(2020, 1, 1), D(2030, 1, 1)) == []
    assert dates_between(RULES["giai-doan"], D(2020, 1, 1), D(2030, 1, 1)) == []


def test_descriptions_say_what_the_plan_says() -> None:
    assert describe_rule(RULES["hang-ngay"]) == "hằng ngày trước 19h00"
    assert describe_rule(RULES["hang-quy"]) == "hằng quý, ngày 15 tháng đầu quý"
    assert "không ấn định ngày" in describe_rule(RULES["giai-doan"])
    assert "không ấn định ngày cụ thể" in describe_rule(RULES["sau-khi-nhan"])


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "monthly", "text": "x"},  # no day
        {"kind": "monthly", "day": 5, "month": 2, "text": "x"},
        {"kind": "quarterly", "day": 5, "month": 4, "text": "x"},
        {"kind": "daily", "date": D(2026, 1, 1), "text": "x"},
        {"kind": "relative", "date": D(2026, 1, 1), "text": "x"},
        {"kind": "once", "date": D(2026, 1, 1), "days": 3, "text": "x"},
        {"kind": "period", "start": D(2026, 3, 6), "date": D(2026, 3, 2), "text": "x"},
        {"kind": "daily", "time": "25:00", "text": "x"},
    ],
)
def test_rules_that_do_not_hold_together(fields: dict) -> None:
    with pytest.raises(ValidationError):
        DateRule(**fields)


def test_reminders_follow_dated_rules_but_not_daily_or_dateless_ones() -> None:
    plan = _plan()
    sub = ReminderSubscription(chat_id=-1, plan_id=plan.id)
    assert [d.id for d in watched_deadlines(plan, sub)] == ["hang-thang", "hang-quy",
                                                            "dot-kiem-tra"]
    assert not is_reminded(plan.deadlines[2])  # daily
    request = parse_request(plan, "Báo cáo sau-khi-nhan, Báo cáo hang-thang")
    assert request.deadline_ids == ["hang-thang"]
    assert request.dateless == ["Báo cáo sau-khi-nhan"]


def test_the_report_periods_open_a_daily_report_on_its_day_only() -> None:
    kb = KnowledgeBase()
    kb.add(_plan(), [])
    periods = open_periods(kb, "thu-2026", "so-y-te", D(2026, 3, 1))
    daily = [p.due_date for p in periods if p.deadline_id == "hang-ngay"]
    assert daily == [D(2026, 3, 1)]
    monthly = [p.due_date for p in periods if p.deadline_id == "hang-thang"]
    assert D(2026, 3, 31) in monthly
    assert [p.due_date for p in periods if p.deadline_id == "dot-kiem-tra"] == [D(2026, 3, 6)]
