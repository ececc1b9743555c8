"""Deadline arithmetic (knowledge/deadlines.py): next occurrence, days left, passed, windows."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.base import KnowledgeBase
from knowledge.deadlines import (
    Occurrence,
    dates_between,
    describe_rule,
    next_date,
    next_occurrences,
    to_out,
    upcoming,
    window,
)
from knowledge.schema import DateRule, Deadline

D = dt.date


def yearly(month: int, day: int, first: int | None = None, last: int | None = None) -> DateRule:
    return DateRule(kind="yearly", month=month, day=day, first_year=first, last_year=last,
                    text=f"hằng năm, trước {day}/{month}")


def once(day: dt.date) -> DateRule:
    return DateRule(kind="once", date=day, text=f"trước ngày {day:%d/%m/%Y}")


NONE = DateRule(kind="none", text="khi có yêu cầu")


@pytest.mark.parametrize(
    ("rule", "today", "expected"),
    [
        # before, on and after the day in the same year
        (yearly(6, 15), D(2026, 6, 14), D(2026, 6, 15)),
        (yearly(6, 15), D(2026, 6, 15), D(2026, 6, 15)),
        (yearly(6, 15), D(2026, 6, 16), D(2027, 6, 15)),
        (yearly(6, 15), D(2026, 1, 1), D(2026, 6, 15)),
        # across the year end
        (yearly(6, 15), D(2026, 12, 20), D(2027, 6, 15)),
        (yearly(12, 10), D(2026, 12, 20), D(2027, 12, 10)),
        (yearly(12, 10), D(2026, 12, 10), D(2026, 12, 10)),
        (yearly(12, 31), D(2026, 12, 31), D(2026, 12, 31)),
        (yearly(1, 1), D(2026, 12, 31), D(2027, 1, 1)),
        (yearly(1, 1), D(2027, 1, 1), D(2027, 1, 1)),
        # 29/2: on 28/2 in a common year, on 29/2 in a leap year
        (yearly(2, 29), D(2026, 1, 10), D(2026, 2, 28)),
        (yearly(2, 29), D(2026, 2, 28), D(2026, 2, 28)),
        (yearly(2, 29), D(2026, 3, 1), D(2027, 2, 28)),
        (yearly(2, 29), D(2027, 3, 1), D(2028, 2, 29)),
        (yearly(2, 29), D(2028, 2, 29), D(2028, 2, 29)),
        # first_year / last_year
        (yearly(6, 10, first=2021), D(2020, 11, 1), D(2021, 6, 10)),
        (yearly(6, 10, first=2021), D(2020, 6, 1), D(2021, 6, 10)),
        (yearly(6, 10, first=2021), D(2026, 6, 1), D(2026, 6, 10)),
        (yearly(12, 15, last=2025), D(2025, 12, 1), D(2025, 12, 15)),
        (yearly(12, 15, last=2025), D(2025, 12, 16), D(2025, 12, 15)),  # ended: last one
        (yearly(12, 15, last=2025), D(2030, 3, 1), D(2025, 12, 15)),
        # a one-off date stays its date, passed or not
        (once(D(2020, 11, 10)), D(2026, 11, 22), D(2020, 11, 10)),
        (once(D(2020, 11, 10)), D(2020, 11, 1), D(2020, 11, 10)),
        (once(D(2020, 11, 10)), D(2020, 11, 10), D(2020, 11, 10)),
    ],
)
def test_next_date(rule: DateRule, today: dt.date, expected: dt.date) -> None:
    assert next_date(rule, today) == expected


@pytest.mark.parametrize("today", [D(2017, 1, 1), D(2026, 11, 22), D(2099, 12, 31)])
def test_none_rule_never_gets_a_date(today: dt.date) -> None:
    assert next_date(NONE, today) is None
    assert dates_between(NONE, D(2000, 1, 1), D(2100, 1, 1)) == []


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("once", {}),
        ("yearly", {"month": 6}),
        ("yearly", {"day": 15}),
        ("yearly", {"month": 2, "day": 30}),
        ("yearly", {"month": 13, "day": 1}),
        ("none", {"month": 6, "day": 15}),
        ("none", {"date": D(2020, 1, 1)}),
    ],
)
def test_inconsistent_rules_are_rejected(kind: str, fields: dict) -> None:
    with pytest.raises(ValueError, match=r"."):
        DateRule(kind=kind, text="x", **fields)


def _deadline(rule: DateRule) -> Deadline:
    return Deadline(
        id="bao-cao", section="III.2", line=1, title="Báo cáo thử", rule=rule,
        submitters_text="Các đơn vị", recipient="Ủy ban nhân dân", text="x",
    )


@pytest.mark.parametrize(
    ("rule", "today", "date", "days_left", "passed"),
    [
        (yearly(12, 10), D(2026, 11, 22), "2026-12-10", 18, False),
        (yearly(12, 10), D(2026, 12, 10), "2026-12-10", 0, False),
        (yearly(12, 10), D(2026, 12, 11), "2027-12-10", 364, False),
        (yearly(6, 15), D(2026, 12, 20), "2027-06-15", 177, False),
        (once(D(2020, 11, 10)), D(2026, 11, 22), "2020-11-10", -2203, True),
        (once(D(2026, 11, 22)), D(2026, 11, 22), "2026-11-22", 0, False),
        (NONE, D(2026, 11, 22), None, None, False),
    ],
)
def test_contract_deadline_object(
    kb: KnowledgeBase, rule: DateRule, today: dt.date, date: str | None,
    days_left: int | None, passed: bool,
) -> None:
    plan = kb.get("quan3-2020")
    assert plan is not None
    out = to_out(Occurrence(plan, _deadline(rule), next_date(rule, today)), today)
    assert (out.date, out.days_left, out.passed) == (date, days_left, passed)
    assert out.recurring is (rule.kind == "yearly")
    assert out.plan_id == "quan3-2020"
    assert out.title == "Báo cáo thử"


def test_submitters_are_unit_names_or_the_plan_words(kb: KnowledgeBase) -> None:
    plan = kb.get("quan3-2020")
    assert plan is not None
    named = next(d for d in plan.deadlines if d.id == "bao-cao-phuong-phu-hop-tre-em")
    out = to_out(Occurrence(plan, named, D(2026, 11, 15)), D(2026, 11, 1))
    assert out.submitters == ["Ủy ban nhân dân 14 phường"]
    assert out.recipient == "Ủy ban nhân dân Quận 3"
    unnamed = _deadline(NONE)
    assert to_out(Occurrence(plan, unnamed, None), D(2026, 1, 1)).submitters == ["Các đơn vị"]


@pytest.mark.parametrize(
    ("rule", "start", "end", "expected"),
    [
        (yearly(6, 10), D(2026, 1, 1), D(2027, 12, 31), [D(2026, 6, 10), D(2027, 6, 10)]),
        (yearly(6, 10), D(2026, 6, 10), D(2026, 6, 10), [D(2026, 6, 10)]),
        (yearly(6, 10), D(2026, 6, 11), D(2027, 6, 9), []),
        (yearly(6, 10, first=2021), D(2020, 1, 1), D(2022, 12, 31),
         [D(2021, 6, 10), D(2022, 6, 10)]),
        (yearly(6, 10, last=2021), D(2020, 1, 1), D(2022, 12, 31),
         [D(2020, 6, 10), D(2021, 6, 10)]),
        (yearly(2, 29), D(2027, 1, 1), D(2028, 12, 31), [D(2027, 2, 28), D(2028, 2, 29)]),
        (once(D(2020, 11, 10)), D(2020, 1, 1), D(2020, 12, 31), [D(2020, 11, 10)]),
        (once(D(2020, 11, 10)), D(2021, 1, 1), D(2021, 12, 31), []),
    ],
)
def test_dates_between(rule: DateRule, start: dt.date, end: dt.date, expected: list) -> None:
    assert dates_between(rule, start, end) == expected


def test_window_2020_to_2027(kb: KnowledgeBase) -> None:
    occs = window(kb, D(2020, 1, 1), D(2027, 12, 31))
    per_plan: dict[str, int] = {}
    for o in occs:
        per_plan[o.plan.id] = per_plan.get(o.plan.id, 0) + 1
    # Quận 3: 2 one-off dates (2020) + 6-month report 2021–2027 (7) + yearly report 2020–2027
    # (8) + "phường phù hợp với trẻ em" 2020–2027 (8); Hải Dương: two yearly reports, 8 each.
    assert per_plan == {"quan3-2020": 25, "haiduong-2017": 16, "ducpho-2023": 3,
                        "binhson-2023": 6}
    assert "cantho-2017" not in per_plan
    dates = [o.date for o in occs]
    assert dates == sorted(dates)
    assert all(D(2020, 1, 1) <= d <= D(2027, 12, 31) for d in dates)  # type: ignore[operator]
    # every dated deadline of the five plans shows up at least once
    seen = {(o.plan.id, o.deadline.id) for o in occs}
    dated = {(p.id, d.id) for p in kb for d in p.deadlines if d.rule.kind != "none"}
    assert seen == dated
    assert len(dated) == 16
    keys = [o.key for o in occs]
    assert len(keys) == len(set(keys))


def test_window_for_one_plan(kb: KnowledgeBase) -> None:
    occs = window(kb, D(2026, 1, 1), D(2026, 12, 31), ["haiduong-2017"])
    assert [(o.date, o.deadline.id) for o in occs] == [
        (D(2026, 6, 15), "bao-cao-6-thang"),
        (D(2026, 12, 15), "bao-cao-nam"),
    ]
    assert window(kb, D(2020, 1, 1), D(2027, 12, 31), ["cantho-2017"]) == []


def test_upcoming_is_ascending_from_today(kb: KnowledgeBase) -> None:
    today = D(2026, 11, 22)
    occs = upcoming(kb, today)
    assert [(o.date, o.plan.id, o.deadline.id) for o in occs] == [
        (D(2026, 12, 10), "quan3-2020", "bao-cao-nam"),
        (D(2026, 12, 15), "haiduong-2017", "bao-cao-nam"),
        (D(2027, 6, 10), "quan3-2020", "bao-cao-6-thang"),
        (D(2027, 6, 15), "haiduong-2017", "bao-cao-6-thang"),
        (D(2027, 11, 15), "quan3-2020", "bao-cao-phuong-phu-hop-tre-em"),
    ]
    assert [o.deadline.id for o in upcoming(kb, today, limit=2)] == ["bao-cao-nam"] * 2


def test_upcoming_on_the_day_includes_it(kb: KnowledgeBase) -> None:
    occs = upcoming(kb, D(2026, 12, 10), ["quan3-2020"])
    assert occs[0].date == D(2026, 12, 10)
    assert to_out(occs[0], D(2026, 12, 10)).days_left == 0


def test_next_occurrences_keep_undated_and_passed(kb: KnowledgeBase) -> None:
    today = D(2026, 11, 22)
    occs = {(o.plan.id, o.deadline.id): o for o in next_occurrences(kb, today)}
    assert len(occs) == sum(len(p.deadlines) for p in kb)
    assert occs[("cantho-2017", "bao-cao-dinh-ky-ldtbxh")].date is None
    passed = occs[("binhson-2023", "huyen-bao-cao-nam")]
    assert passed.date == D(2023, 12, 5)
    assert to_out(passed, today).passed
    assert upcoming(kb, today, ["binhson-2023", "cantho-2017", "ducpho-2023"]) == []


@pytest.mark.parametrize(
    ("rule", "words"),
    [(once(D(2020, 11, 10)), "10/11/2020"), (yearly(6, 15), "15/06"), (NONE, "không ấn định")],
)
def test_describe_rule(rule: DateRule, words: str) -> None:
    assert words in describe_rule(rule)
