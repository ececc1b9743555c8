"""Reminders and the working calendar (issue 14): weekends, Tết 2027, make-up Saturdays, the
reviewed list of days off, with exactly-once kept (the key does not change); SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.reminders import render_reminder
from features import reminder_delivery as rd, reminders as rem
from knowledge.base import KnowledgeBase
from knowledge.schema import DateRule
from knowledge.workdays import WorkingCalendar, load_working_calendar
from storage.models import REMINDER_SENT, REMINDER_SKIPPED
from tests.features.test_reminders import GROUP, PLAN, YEAR_KEY, at, records, subscribe, tick

CAL = rem.Schedule(calendar=rem.working_calendar())


def with_deadline(kb: KnowledgeBase, month: int, day: int) -> KnowledgeBase:
    """quan3-2020 with one yearly deadline on ``day``/``month``."""
    plan = kb.get(PLAN)
    deadline = plan.deadlines[3].model_copy(update={
        "id": "bao-cao-thu", "title": "Báo cáo thử",
        "rule": DateRule(kind="yearly", month=month, day=day, text=f"trước {day}/{month}"),
    })
    return KnowledgeBase(plans={PLAN: plan.model_copy(update={"deadlines": [deadline]})})


# --- the calendar itself ------------------------------------------------------------------------


def test_tet_2027_per_the_package():
    cal = WorkingCalendar()
    days = [dt.date(2027, 2, d) for d in range(1, 15)]
    off = [d for d in days if not cal.is_working_day(d)]
    # the package: 29 Tết (4/2) to Mùng năm (10/2); 13–14/2 a weekend
    assert off == [dt.date(2027, 2, d) for d in (4, 5, 6, 7, 8, 9, 10, 13, 14)]
    assert cal.day_off_reason(dt.date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert cal.previous_working_day(dt.date(2027, 2, 10)) == dt.date(2027, 2, 3)


def test_weekends_and_the_packages_make_up_saturday():
    cal = WorkingCalendar()
    assert cal.day_off_reason(dt.date(2026, 12, 6)) == "Chủ nhật"
    assert cal.day_off_reason(dt.date(2026, 12, 5)) == "Thứ bảy"
    assert cal.is_working_day(dt.date(2026, 8, 22))  # Saturday, made up for 31/8/2026
    assert not cal.is_working_day(dt.date(2026, 8, 31))
    assert WorkingCalendar(skip_weekends=False).is_working_day(dt.date(2026, 12, 6))


def test_reviewed_list_adds_make_up_days_and_breaks(tmp_path):
    path = tmp_path / "workdays.yaml"
    path.write_text("2026:\n  source: Quyết định thử\n  make_up: [2026-12-05]\n"
                    "  days_off:\n    - {date: 2026-12-07, reason: nghỉ bù}\n", encoding="utf-8")
    cal = load_working_calendar(path=path)
    assert cal.is_working_day(dt.date(2026, 12, 5))
    assert cal.day_off_reason(dt.date(2026, 12, 7)) == "nghỉ bù"


@pytest.mark.parametrize("text", [
    "2027:\n  source: X\n  make_up: [2027-02-30]\n",  # no such date
    "2027:\n  source: X\n  make_up: [sớm]\n",
    "2027:\n  make_up: [2027-02-20]\n",  # no source
    "- 2027-02-20\n",
])
def test_malformed_list_is_logged_and_the_package_is_used_alone(tmp_path, caplog, text):
    path = tmp_path / "workdays.yaml"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="knowledge.workdays"):
        cal = load_working_calendar(path=path)
    assert str(path) in caplog.text
    assert cal.make_up == frozenset()
    assert not cal.is_working_day(dt.date(2027, 2, 8))  # Tết still off
    assert not cal.is_working_day(dt.date(2027, 2, 20))  # a Saturday, not made up


def test_the_bundled_list_loads_without_errors(caplog):
    with caplog.at_level(logging.ERROR, logger="knowledge.workdays"):
        load_working_calendar()
    assert caplog.text == ""


# --- reminders ----------------------------------------------------------------------------------


def test_a_reminder_on_a_sunday_goes_out_on_friday_with_true_days_left(db, kb):
    subscribe(db, kb, lead_days=[4])  # 4 days before 10/12/2026: Sunday 6/12
    assert tick(db, kb, at(dt.date(2026, 12, 4), 7, 59), schedule=CAL) == []
    got = tick(db, kb, at(dt.date(2026, 12, 4)), schedule=CAL)
    assert [(r.lead_days, r.days_left, r.date_note) for r in got] == [(4, 6, "")]
    for moment in (at(dt.date(2026, 12, 4), 12), at(dt.date(2026, 12, 6)),
                   at(dt.date(2026, 12, 7))):
        assert tick(db, kb, moment, schedule=CAL) == []  # exactly once, key unchanged
    assert records(db)[(GROUP, YEAR_KEY, 4)].status == REMINDER_SENT
    assert "Còn 6 ngày" in render_reminder(got[0])


def test_calendar_off_keeps_the_sunday(db, kb):
    subscribe(db, kb, lead_days=[4])
    off = rem.Schedule(calendar=WorkingCalendar(skip_weekends=False))
    assert tick(db, kb, at(dt.date(2026, 12, 4)), schedule=off) == []
    assert [r.days_left for r in tick(db, kb, at(dt.date(2026, 12, 6)), schedule=off)] == [4]


def test_a_deadline_on_a_sunday_keeps_its_date_and_says_so(db, kb):
    kb2 = with_deadline(kb, 12, 13)  # 13/12/2026 is a Sunday
    subscribe(db, kb2)
    sent = []
    moment = at(dt.date(2026, 12, 1))
    while moment < at(dt.date(2026, 12, 20)):
        sent += [(moment.date(), r.kind, r.days_left, r.date) for r in tick(db, kb2, moment,
                                                                          schedule=CAL)]
        moment += dt.timedelta(hours=2)
    assert sent == [
        (dt.date(2026, 12, 4), "group", 9, dt.date(2026, 12, 13)),  # 6/12 Sunday → Friday
        (dt.date(2026, 12, 10), "group", 3, dt.date(2026, 12, 13)),
        (dt.date(2026, 12, 11), "group", 2, dt.date(2026, 12, 13)),  # 1 and 0 days: Friday
        (dt.date(2026, 12, 14), "overdue", -1, dt.date(2026, 12, 13)),
    ]
    rows = records(db)
    key = f"{PLAN}:bao-cao-thu:2026-12-13"
    assert (rows[(GROUP, key, 1)].status, rows[(GROUP, key, 1)].error) == (
        REMINDER_SKIPPED, "superseded")
    assert rows[(GROUP, key, 0)].status == REMINDER_SENT
    got = tick(db, kb2, at(dt.date(2026, 12, 11)), schedule=CAL)
    assert got == []
    reminder = db.call(rd.claim, kb2, rd.Due("group", GROUP, PLAN, "bao-cao-thu",
                                                 dt.date(2026, 12, 13), 0,
                                                 at(dt.date(2026, 12, 11))),
                       at(dt.date(2026, 12, 11)), worker="x", schedule=CAL)
    assert reminder is None  # the key is taken: no second send
    planned = db.call(rd.preview, kb2, dt.date(2026, 12, 11), 1, CAL)
    html = render_reminder(planned[0].reminder)
    assert "13/12/2026 (13/12 là Chủ nhật)" in html
    assert "Còn 2 ngày" in html


def test_tet_2027_moves_every_reminder_to_the_last_working_day_before(db, kb):
    kb2 = with_deadline(kb, 2, 10)  # 10/02/2027: Mùng năm Tết
    subscribe(db, kb2)
    sent = []
    moment = at(dt.date(2027, 1, 30))
    while moment < at(dt.date(2027, 2, 16)):
        sent += [(moment.date(), r.kind, r.lead_days, r.days_left, r.date_note)
                 for r in tick(db, kb2, moment, schedule=CAL)]
        moment += dt.timedelta(hours=3)
    assert sent == [
        (dt.date(2027, 2, 3), "group", 0, 7, "10/02 là Mùng năm Tết Nguyên Đán"),
        (dt.date(2027, 2, 11), "overdue", rem.OVERDUE, -1, "10/02 là Mùng năm Tết Nguyên Đán"),
    ]


def test_a_make_up_saturday_is_a_working_day_once(db, kb):
    kb2 = with_deadline(kb, 8, 24)  # Monday 24/8/2026; 2 days before: Saturday 22/8, made up
    subscribe(db, kb2, lead_days=[2], now=at(dt.date(2026, 8, 1)))
    assert tick(db, kb2, at(dt.date(2026, 8, 21)), schedule=CAL) == []
    got = tick(db, kb2, at(dt.date(2026, 8, 22)), schedule=CAL)
    assert [(r.lead_days, r.days_left) for r in got] == [(2, 2)]
    assert tick(db, kb2, at(dt.date(2026, 8, 22), 9), schedule=CAL) == []
    assert tick(db, kb2, at(dt.date(2026, 8, 24)), schedule=CAL) == []


def test_a_reviewed_make_up_saturday_through_restart(db, kb, tmp_path):
    path = tmp_path / "workdays.yaml"
    path.write_text("2026:\n  source: Quyết định thử\n  make_up: [2026-12-05]\n",
                    encoding="utf-8")
    schedule = rem.Schedule(calendar=load_working_calendar(path=path))
    subscribe(db, kb, lead_days=[5])  # 5/12/2026, a Saturday made a working day
    crashed = tick(db, kb, at(dt.date(2026, 12, 5)), worker="dead", sent=False, schedule=schedule)
    assert [(r.lead_days, r.days_left) for r in crashed] == [(5, 5)]
    later = at(dt.date(2026, 12, 5)) + schedule.lease + dt.timedelta(minutes=1)
    assert len(tick(db, kb, later, worker="new", schedule=schedule)) == 1
    assert tick(db, kb, at(dt.date(2026, 12, 7)), worker="third", schedule=schedule) == []
    row = records(db)[(GROUP, YEAR_KEY, 5)]
    assert (row.status, row.attempts) == (REMINDER_SENT, 2)


def test_preview_shows_the_shifted_time(db, kb):
    subscribe(db, kb, lead_days=[4])
    planned = db.call(rd.preview, kb, dt.date(2026, 12, 1), 11, CAL)
    assert [(p.fire_at, p.reminder.days_left) for p in planned if p.reminder.kind != "private"
            ] == [(at(dt.date(2026, 12, 4)), 6), (at(dt.date(2026, 12, 11)), -1)]
