"""Completeness and timeliness (SQLite and PostgreSQL): expected, received, on time with grace
days, late, missing, exemptions, units added later, the trend — and the exports' figures."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from features import exports, rate_exports, rates
from features.permissions import Actor, PermissionDenied
from features.reports import Period
from storage import audit
from storage.models import AuditLog
from tests.support.office_kit import (
    PLAN,
    UNITS,
    YEAR,
    at,
    big_plan,
    bulk_submit,
    submit,
    year_period,
)

DUE = dt.date(2025, 12, 10)
TODAY = dt.date(2026, 11, 22)
CLI = Actor.command_line("test")
COORD = Actor(2001, coordinator_of=frozenset({PLAN}))


def rate(db, kb, period=None, today=TODAY) -> rates.OccurrenceRate:
    return db.call(rates.occurrence_rate, kb, period or year_period(), today)


def statuses(r: rates.OccurrenceRate) -> dict[str, str]:
    return {u.unit_id: u.status for u in r.units}


@pytest.mark.parametrize(("part", "whole", "shown"), [
    (7, 9, 78), (6, 9, 67), (0, 9, 0), (9, 9, 100), (999, 1000, 99), (1, 1000, 1),
    (1, 3, 33), (2, 3, 67), (0, 0, None), (5, 0, None),
])
def test_percent_rounds_but_never_claims_complete_or_nothing(part, whole, shown) -> None:
    assert rates.percent(part, whole) == shown


def test_seven_of_nine_six_on_time(db, kb) -> None:
    for unit in UNITS[:6]:
        submit(db, unit, at(DUE, 8))
    submit(db, UNITS[6], at(DUE + dt.timedelta(days=1)))
    r = rate(db, kb)
    assert (r.expected, r.received, r.on_time, r.late, r.missing, r.exempt) == (9, 7, 6, 1, 2, 0)
    assert (r.rate, r.on_time_rate) == (78, 67)
    assert statuses(r)[UNITS[6]] == rates.LATE
    assert statuses(r)[UNITS[8]] == rates.OVERDUE


def test_an_occurrence_with_no_submission_is_zero_not_an_error(db, kb) -> None:
    r = rate(db, kb)
    assert (r.expected, r.received, r.rate, r.on_time_rate) == (9, 0, 0, 0)
    assert set(statuses(r).values()) == {rates.OVERDUE}
    ahead = rate(db, kb, year_period(dt.date(2026, 12, 10)))  # not yet due: missing, not overdue
    assert set(statuses(ahead).values()) == {rates.MISSING}


def test_on_time_is_the_due_date_itself_in_local_time(db, kb) -> None:
    submit(db, "phong-yte", at(DUE, 23, 59))  # 16:59 UTC: still the 10th in Hà Nội
    submit(db, "phong-gddt", at(DUE + dt.timedelta(days=1), 0, 1))
    s = statuses(rate(db, kb))
    assert (s["phong-yte"], s["phong-gddt"]) == (rates.ON_TIME, rates.LATE)


def test_late_then_replaced_stays_late_and_counts_once(db, kb) -> None:
    submit(db, "phong-yte", at(DUE + dt.timedelta(days=2)))
    submit(db, "phong-yte", at(DUE + dt.timedelta(days=3)), text="Bản sửa")
    r = rate(db, kb)
    assert (r.received, r.late, r.on_time) == (1, 1, 0)


def test_on_time_then_replaced_after_the_due_date_stays_on_time_and_counts_once(db, kb) -> None:
    submit(db, "phong-yte", at(DUE - dt.timedelta(days=1)))
    submit(db, "phong-yte", at(DUE + dt.timedelta(days=5)), text="Bản bổ sung")
    r = rate(db, kb)
    assert (r.received, r.on_time, r.late, r.rate) == (1, 1, 0, 11)
    (unit,) = [u for u in r.units if u.unit_id == "phong-yte"]
    assert unit.number == "BC-2025-0002"  # the current version's receipt


def test_grace_days_make_a_late_report_on_time_and_delay_overdue(db, kb) -> None:
    submit(db, "phong-yte", at(DUE + dt.timedelta(days=3)))  # late without grace
    submit(db, "phong-gddt", at(DUE + dt.timedelta(days=4)))  # late even with 3 days
    assert rate(db, kb).on_time == 0
    db.call(rates.set_grace, CLI, kb, PLAN, YEAR, 3, now=at(TODAY))
    r = rate(db, kb)
    assert (r.grace_days, r.on_time, r.late) == (3, 1, 1)
    # within the grace days a unit that sent nothing is not yet overdue
    inside = rate(db, kb, today=DUE + dt.timedelta(days=2))
    assert statuses(inside)["phong-tu-phap"] == rates.MISSING
    assert statuses(rate(db, kb))["phong-tu-phap"] == rates.OVERDUE
    # the grace applies to that deadline only
    assert db.call(rates.load_rules, PLAN).grace_days("bao-cao-6-thang") == 0


def test_exempt_units_are_not_expected_and_their_reports_do_not_count(db, kb) -> None:
    db.call(rates.add_exemption, CLI, kb, PLAN, "phong-tckh", now=at(TODAY), deadline_id=YEAR,
            note="sáp nhập")
    submit(db, "phong-tckh", at(DUE))  # sent anyway: not counted, so never above 100%
    for unit in UNITS:
        if unit != "phong-tckh":
            submit(db, unit, at(DUE))
    r = rate(db, kb)
    assert (r.expected, r.received, r.exempt, r.rate, r.on_time_rate) == (8, 8, 1, 100, 100)
    assert statuses(r)["phong-tckh"] == rates.EXEMPT
    # another deadline is not touched by a deadline-specific exemption
    other = rate(db, kb, Period(PLAN, "bao-cao-6-thang", dt.date(2025, 6, 10), "6 tháng"))
    assert other.expected == 9


def test_a_unit_added_to_the_plan_later_is_expected_only_from_then(db, kb) -> None:
    db.call(rates.add_exemption, CLI, kb, PLAN, "ubnd-phuong", now=at(TODAY),
            to_date=dt.date(2025, 12, 31), reason="added_later")
    before, after = year_period(DUE), year_period(dt.date(2026, 12, 10))
    assert rate(db, kb, before).expected == 8
    assert statuses(rate(db, kb, before))["ubnd-phuong"] == rates.EXEMPT
    assert rate(db, kb, after, today=dt.date(2026, 12, 20)).expected == 9


def test_reports_of_units_outside_the_deadline_never_push_the_rate_above_100(db, kb) -> None:
    for unit in UNITS:
        submit(db, unit, at(DUE))
    submit(db, "vp-hdnd-ubnd", at(DUE))  # a unit of the plan, not a submitter of this deadline
    r = rate(db, kb)
    assert (r.expected, r.received, r.rate) == (9, 9, 100)
    assert "vp-hdnd-ubnd" not in statuses(r)


def test_exemptions_and_grace_are_checked_and_audited(db, kb) -> None:
    with pytest.raises(rates.RulesError, match="unknown_unit"):
        db.call(rates.add_exemption, CLI, kb, PLAN, "khong-co", now=at(TODAY))
    with pytest.raises(rates.RulesError, match="bad_days"):
        db.call(rates.set_grace, CLI, kb, PLAN, YEAR, 99, now=at(TODAY))
    with pytest.raises(PermissionDenied):
        db.call(rates.set_grace, Actor(1001, officer_of=(PLAN, "phong-yte")), kb, PLAN, YEAR, 2,
                now=at(TODAY))
    db.call(rates.set_grace, COORD, kb, PLAN, YEAR, 2, now=at(TODAY))
    db.call(rates.set_grace, COORD, kb, PLAN, YEAR, 5, now=at(TODAY))  # an update, not a dupe
    assert db.call(rates.load_rules, PLAN).grace_days(YEAR) == 5
    actions = [e.action for e in db.call(audit.list_entries, action="reports.")]
    assert actions.count(rates.GRACE_SET) == 2


# --- the trend -------------------------------------------------------------------------------


def test_trend_over_the_last_occurrences_names_the_regularly_late(db, kb) -> None:
    dues = [dt.date(y, 12, 10) for y in (2023, 2024, 2025)]
    for due in dues:
        for unit in UNITS:
            if unit == "phong-tu-phap":
                continue  # never reports
            late = unit == "phong-yte" or (unit == "phong-gddt" and due.year == 2024)
            submit(db, unit, at(due + dt.timedelta(days=2 if late else -1)),
                   period=year_period(due))
    found = db.call(rates.trend, kb, PLAN, today=TODAY, start=dt.date(2023, 1, 1),
                    last=None, deadline_ids=[YEAR])
    assert [(o.due_date, o.received, o.on_time, o.rate, o.on_time_rate)
            for o in found.occurrences] == [
        (dt.date(2023, 12, 10), 8, 7, 89, 78),
        (dt.date(2024, 12, 10), 8, 6, 89, 67),
        (dt.date(2025, 12, 10), 8, 7, 89, 78),
    ]
    late = {u.unit_id: u for u in found.regularly_late}
    assert set(late) == {"phong-yte", "phong-tu-phap"}  # phong-gddt: late once in three
    assert (late["phong-yte"].late, late["phong-yte"].on_time_rate) == (3, 0)
    assert (late["phong-tu-phap"].missing, late["phong-tu-phap"].received) == (3, 0)
    gddt = next(u for u in found.units if u.unit_id == "phong-gddt")
    assert (gddt.expected, gddt.on_time, gddt.late, gddt.on_time_rate) == (3, 2, 1, 67)
    # every deadline of the plan: the 6-month reports nobody sent pull everyone down
    everything = db.call(rates.trend, kb, PLAN, today=TODAY, start=dt.date(2023, 1, 1),
                         last=None)
    assert len(everything.occurrences) > len(found.occurrences)
    assert {o.deadline_id for o in everything.occurrences} >= {YEAR, "bao-cao-6-thang"}


def test_trend_last_n_and_the_range(db, kb) -> None:
    found = db.call(rates.trend, kb, PLAN, today=TODAY, last=3)
    assert len(found.occurrences) == 3
    assert found.occurrences[-1].due_date <= TODAY
    ranged = db.call(rates.trend, kb, PLAN, today=TODAY, start=dt.date(2025, 1, 1),
                     end=dt.date(2025, 12, 31), last=None)
    assert {o.due_date.year for o in ranged.occurrences} == {2025}
    assert db.call(rates.trend, kb, PLAN, today=TODAY, start=dt.date(2030, 1, 1),
                   last=None).occurrences == ()


def test_a_plan_with_no_dated_deadline_says_so(db, kb) -> None:
    with pytest.raises(rates.NoDatedDeadline):
        db.call(rates.trend, kb, "cantho-2017", today=TODAY)


def test_export_trend_is_audited_and_the_files_carry_the_figures(db, kb) -> None:
    for unit in UNITS[:7]:
        submit(db, unit, at(DUE, 8) if unit != UNITS[6] else at(DUE + dt.timedelta(days=1)))
    found = db.call(rates.export_trend, COORD, kb, PLAN, now=at(TODAY), fmt="xlsx",
                    start=dt.date(2025, 12, 1), end=dt.date(2025, 12, 31))
    (entry,) = db.call(audit.list_entries, action=rates.RATES_EXPORTED)
    assert (entry.actor_id, entry.plan_id, entry.details["format"]) == (2001, PLAN, "xlsx")
    data = json.loads(rate_exports.trend_json(found))
    (occ,) = data["occurrences"]
    assert (occ["expected"], occ["received"], occ["on_time"], occ["rate"],
            occ["on_time_rate"]) == (9, 7, 6, 78, 67)
    book = load_workbook(io.BytesIO(rate_exports.trend_xlsx(found, title="Quận 3")))
    rows = list(book["Theo kỳ"].iter_rows(values_only=True))
    assert rows[0] == tuple(rate_exports.RATE_HEADERS)
    assert rows[1][3:] == (9, 7, 6, 1, 2, 0, 78, 67)
    units = {r[0]: r for r in book["Theo đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert units["Phòng Y tế"][1:5] == (1, 1, 0, 0)
    assert rate_exports.trend_png(found, heading="Quận 3").startswith(b"\x89PNG")
    with pytest.raises(PermissionDenied):
        db.call(rates.export_trend, Actor(2002, coordinator_of=frozenset({"cantho-2017"})), kb,
                PLAN, now=at(TODAY), fmt="json")


def test_the_period_export_has_the_rates_on_its_information_sheet(db, kb) -> None:
    for unit in UNITS[:7]:
        submit(db, unit, at(DUE, 8) if unit != UNITS[6] else at(DUE + dt.timedelta(days=1)))
    data = db.call(exports.export, CLI, kb, PLAN, year_period(), fmt="xlsx", now=at(TODAY))
    info = dict(load_workbook(io.BytesIO(data))["Thông tin"].iter_rows(values_only=True))
    assert (info["Đơn vị phải nộp"], info["Đã nộp"], info["Nộp đúng hạn"],
            info["Tỷ lệ nộp (%)"], info["Tỷ lệ đúng hạn (%)"]) == (9, 7, 6, 78, 67)


def test_a_thousand_units_twelve_occurrences(db, kb) -> None:
    big = big_plan(kb)
    plan = big.get("lon-2026")
    assert bulk_submit(db, plan, share=0.9, late_every=10) == 10_800
    found = db.call(rates.trend, big, plan.id, today=dt.date(2026, 12, 31), last=12)
    assert len(found.occurrences) == 12
    for occ in found.occurrences:
        assert (occ.expected, occ.received, occ.on_time, occ.missing) == (1000, 900, 810, 100)
        assert (occ.rate, occ.on_time_rate) == (90, 81)
    assert len(found.units) == 1000
    assert len(found.regularly_late) == 100 + 90  # never report + late every time
    with db.unit_of_work() as s:
        assert s.exec(select(AuditLog)).all() == []  # the plain trend is not an export
