"""Reminder services with a fake clock (SQLite and PostgreSQL): when each reminder is due, what
it says, and the claim protocol — restarts, downtime, two schedulers on one database."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from core.clock import VN_TZ
from features import reminder_delivery as rd, reminders as rem, reports
from features.permissions import Actor, PermissionDenied
from knowledge.base import KnowledgeBase
from knowledge.schema import DateRule
from storage import audit
from storage.models import (
    REMINDER_CLAIMED,
    REMINDER_SENT,
    REMINDER_SKIPPED,
    REMINDER_UNKNOWN,
    ROLE_OFFICER,
    STATUS_APPROVED,
    Person,
    Registration,
    ReminderDelivery,
)

PLAN = "quan3-2020"
GROUP = -100200300
OTHER_GROUP = -100200301
ADMIN = Actor.command_line("test")
# 7, 3, 1, 0 days before, at 08:00, with the working calendar on (these dates are working days:
# every exactly-once, restart and catch-up test below holds with the calendar as without it)
SCHEDULE = rem.Schedule(calendar=rem.working_calendar())
SUBSCRIBED_AT = dt.datetime(2026, 11, 22, 9, 0, tzinfo=VN_TZ)
YEAR_DUE = dt.date(2026, 12, 10)  # quan3-2020 "Báo cáo năm", yearly on 10/12
YEAR_KEY = f"{PLAN}:bao-cao-nam:2026-12-10"
UNITS = ["cong-an-quan", "phong-ldtbxh", "phong-gddt", "phong-vhtt", "phong-tu-phap",
         "phong-yte", "phong-tckh", "mttq-doan-the", "ubnd-phuong"]


def at(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)


def subscribe(db, kb, chat_id: int = GROUP, now: dt.datetime = SUBSCRIBED_AT, **kw):
    return db.call(rem.subscribe, kb, ADMIN, chat_id, PLAN, now=now, **kw)


def tick(db, kb, now: dt.datetime, *, worker: str = "w1", schedule: rem.Schedule = SCHEDULE,
         sent: bool = True) -> list[rem.Reminder]:
    """One scheduler tick with a perfect Telegram: plan, claim, (send,) mark sent."""
    out = []
    for due in db.call(rd.plan_due, kb, now, schedule):
        reminder = db.call(rd.claim, kb, due, now, worker=worker, schedule=schedule)
        if reminder is not None:
            if sent:
                db.call(rd.mark_sent, reminder.delivery_id, now=now)
            out.append(reminder)
    return out


def summary(reminders: list[rem.Reminder]) -> list[tuple]:
    return [(r.kind, r.chat_id, r.deadline_id, r.date, r.lead_days, r.days_left)
            for r in reminders]


def records(db) -> dict[tuple[int, str, int], ReminderDelivery]:
    with db.unit_of_work() as s:
        rows = s.exec(select(ReminderDelivery)).all()
    return {(r.chat_id, r.occurrence_key, r.lead_days): r for r in rows}


def add_officer(db, telegram_id: int, unit_id: str, *, name: str, username: str | None = None):
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with db.unit_of_work() as s:
        s.add(Person(telegram_id=telegram_id, full_name=name, username=username,
                     created_at=now, updated_at=now))
        s.flush()
        s.add(Registration(telegram_id=telegram_id, plan_id=PLAN, unit_id=unit_id,
                           role=ROLE_OFFICER, status=STATUS_APPROVED, requested_at=now,
                           decided_at=now))


def submit(db, unit_id: str, now: dt.datetime, due: dt.date = YEAR_DUE) -> None:
    period = reports.Period(PLAN, "bao-cao-nam", due, "Báo cáo năm kết quả thực hiện kế hoạch")
    db.call(reports.submit, Actor(5000, officer_of=(PLAN, unit_id)), plan_id=PLAN,
            unit_id=unit_id, period=period, text="Đã thực hiện.", file=None,
            submitter_name="Cán bộ", now=now)


# --- when -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lead", "days_left"), [(7, 7), (3, 3), (1, 1), (0, 0)])
def test_each_lead_time_fires_at_eight_on_its_day_once(db, kb, lead, days_left) -> None:
    subscribe(db, kb)
    fire = at(YEAR_DUE - dt.timedelta(days=lead))
    tick(db, kb, fire - dt.timedelta(days=1))  # the earlier reminders go out first
    assert tick(db, kb, fire - dt.timedelta(minutes=1)) == []
    got = tick(db, kb, fire)
    assert summary(got) == [("group", GROUP, "bao-cao-nam", YEAR_DUE, lead, days_left)]
    assert [u.unit_id for u in got[0].missing] == UNITS
    assert tick(db, kb, fire) == []
    assert tick(db, kb, fire + dt.timedelta(hours=3)) == []
    assert records(db)[(GROUP, YEAR_KEY, lead)].status == REMINDER_SENT


def test_a_month_minute_by_minute_hour_gives_each_reminder_once_then_one_overdue(db, kb) -> None:
    subscribe(db, kb)
    sent = []
    moment = SUBSCRIBED_AT
    while moment < at(dt.date(2026, 12, 31)):
        sent += [(moment, r.kind, r.lead_days) for r in tick(db, kb, moment)]
        moment += dt.timedelta(minutes=30)
    assert sent == [
        (at(dt.date(2026, 12, 3)), "group", 7),
        (at(dt.date(2026, 12, 7)), "group", 3),
        (at(dt.date(2026, 12, 9)), "group", 1),
        (at(dt.date(2026, 12, 10)), "group", 0),
        (at(dt.date(2026, 12, 11)), "overdue", rem.OVERDUE),
    ]


def test_lead_times_and_hour_are_changeable_per_group(db, kb) -> None:
    subscribe(db, kb, lead_days=[10, 2])
    subscribe(db, kb, OTHER_GROUP)
    schedule = rem.Schedule(hour=7)
    got = tick(db, kb, at(dt.date(2026, 11, 30), 7), schedule=schedule)
    assert summary(got) == [("group", GROUP, "bao-cao-nam", YEAR_DUE, 10, 10)]
    sent = {day: [(r.chat_id, r.lead_days) for r in tick(db, kb, at(dt.date(2026, 12, day), 7),
                                                          schedule=schedule)]
            for day in (3, 7, 8)}
    assert sent == {3: [(OTHER_GROUP, 7)], 7: [(OTHER_GROUP, 3)], 8: [(GROUP, 2)]}


def test_year_rollover_new_occurrence_new_reminders(db, kb) -> None:
    subscribe(db, kb)
    for day in (3, 7, 9, 10, 11):
        tick(db, kb, at(dt.date(2026, 12, day)))
    six_months = tick(db, kb, at(dt.date(2027, 6, 3)))
    assert summary(six_months) == [
        ("group", GROUP, "bao-cao-6-thang", dt.date(2027, 6, 10), 7, 7)]
    got = tick(db, kb, at(dt.date(2027, 12, 3)))
    assert summary(got) == [("group", GROUP, "bao-cao-nam", dt.date(2027, 12, 10), 7, 7)]


def test_year_rollover_reminder_in_december_for_a_january_deadline(db, kb) -> None:
    plan = kb.get(PLAN)
    january = plan.deadlines[3].model_copy(update={
        "id": "bao-cao-quy-4", "title": "Báo cáo quý IV",
        "rule": DateRule(kind="yearly", month=1, day=3, text="trước 03/01"),
    })
    kb2 = KnowledgeBase(plans={PLAN: plan.model_copy(update={"deadlines": [january]})})
    subscribe(db, kb2)
    got = tick(db, kb2, at(dt.date(2026, 12, 27)))
    assert summary(got) == [("group", GROUP, "bao-cao-quy-4", dt.date(2027, 1, 3), 7, 7)]
    assert summary(tick(db, kb2, at(dt.date(2027, 1, 4)))) == [
        ("overdue", GROUP, "bao-cao-quy-4", dt.date(2027, 1, 3), rem.OVERDUE, -1)]


def test_a_dateless_deadline_is_never_reminded(db, kb) -> None:
    subscribe(db, kb, deadline_ids=["bao-cao-dot-xuat"])
    moment = SUBSCRIBED_AT
    while moment < at(dt.date(2027, 12, 31)):
        assert tick(db, kb, moment) == []
        moment += dt.timedelta(days=1)
    assert records(db) == {}


# --- what it says -----------------------------------------------------------------------------


def test_a_submission_removes_the_unit_from_the_list(db, kb) -> None:
    subscribe(db, kb)
    submit(db, "phong-gddt", at(dt.date(2026, 12, 1)))
    planned = db.call(rd.plan_due, kb, at(YEAR_DUE, 9), SCHEDULE)
    submit(db, "phong-yte", at(YEAR_DUE, 9))  # between scheduling and sending
    reminder = db.call(rd.claim, kb, planned[0], at(YEAR_DUE, 9), worker="w",
                       schedule=SCHEDULE)
    assert [u.unit_id for u in reminder.missing] == [
        u for u in UNITS if u not in ("phong-gddt", "phong-yte")]


def test_nothing_is_sent_when_every_unit_has_reported(db, kb) -> None:
    subscribe(db, kb, unit_ids=["phong-yte", "phong-tu-phap"])
    submit(db, "phong-yte", at(dt.date(2026, 12, 1)))
    submit(db, "phong-tu-phap", at(dt.date(2026, 12, 1)))
    assert tick(db, kb, at(dt.date(2026, 12, 3))) == []
    assert tick(db, kb, at(dt.date(2026, 12, 11))) == []  # no overdue notice either
    assert records(db)[(GROUP, YEAR_KEY, 7)].status == REMINDER_SKIPPED


def test_unit_filter_names_only_those_units_and_their_deadlines(db, kb) -> None:
    subscribe(db, kb, unit_ids=["phong-yte", "phong-tu-phap"])
    got = tick(db, kb, at(dt.date(2026, 12, 3)))
    assert [(r.deadline_id, [u.unit_id for u in r.missing]) for r in got] == [
        ("bao-cao-nam", ["phong-tu-phap", "phong-yte"])]
    # the wards' own yearly report (15/11) is not followed by these units
    assert tick(db, kb, at(dt.date(2027, 11, 8))) == []


def test_overdue_notice_once_names_late_units(db, kb) -> None:
    subscribe(db, kb)
    for unit in UNITS[:-2]:
        submit(db, unit, at(dt.date(2026, 12, 9)))
    got = tick(db, kb, at(dt.date(2026, 12, 11)))
    assert [(r.kind, r.days_left, [u.unit_id for u in r.missing]) for r in got] == [
        ("overdue", -1, ["mttq-doan-the", "ubnd-phuong"])]
    assert tick(db, kb, at(dt.date(2026, 12, 12))) == []


def test_private_reminders_to_officers_of_missing_units_once_per_lead(db, kb) -> None:
    add_officer(db, 1001, "phong-yte", name="Nguyễn Thị Lan", username="lan_yte")
    add_officer(db, 1002, "phong-yte", name="Trần Văn Bình")
    add_officer(db, 1003, "phong-gddt", name="Lê Văn Cường")
    subscribe(db, kb)
    subscribe(db, kb, OTHER_GROUP)
    submit(db, "phong-gddt", at(dt.date(2026, 12, 1)))
    got = tick(db, kb, at(dt.date(2026, 12, 3)))
    assert sorted((r.kind, r.chat_id) for r in got) == sorted([
        ("group", GROUP), ("group", OTHER_GROUP), ("private", 1001), ("private", 1002)])
    private = next(r for r in got if r.chat_id == 1001)
    assert (private.unit_name, [u.unit_id for u in private.missing]) == ("Phòng Y tế",
                                                                         ["phong-yte"])
    group = next(r for r in got if r.chat_id == GROUP)
    yte = next(u for u in group.missing if u.unit_id == "phong-yte")
    assert [(o.telegram_id, o.username) for o in yte.officers] == [(1001, "lan_yte"),
                                                                   (1002, None)]
    submit(db, "phong-yte", at(dt.date(2026, 12, 5)))
    later = tick(db, kb, at(dt.date(2026, 12, 7)))
    assert sorted((r.kind, r.chat_id) for r in later) == sorted([("group", GROUP),
                                                                 ("group", OTHER_GROUP)])


# --- subscriptions --------------------------------------------------------------------------


def test_subscription_changed_between_scheduling_and_sending(db, kb) -> None:
    subscribe(db, kb)
    subscribe(db, kb, OTHER_GROUP)
    subscribe(db, kb, -3, unit_ids=["phong-yte"])
    planned = db.call(rd.plan_due, kb, at(dt.date(2026, 12, 3)), SCHEDULE)
    assert sorted(d.chat_id for d in planned) == sorted([GROUP, OTHER_GROUP, -3])
    db.call(rem.unsubscribe, ADMIN, GROUP, now=at(dt.date(2026, 12, 3)))
    subscribe(db, kb, OTHER_GROUP, deadline_ids=["bao-cao-6-thang"])  # not this deadline now
    subscribe(db, kb, -3, lead_days=[3, 1])  # not 7 days ahead any more
    claimed = [db.call(rd.claim, kb, d, at(dt.date(2026, 12, 3)), worker="w",
                       schedule=SCHEDULE) for d in planned]
    assert claimed == [None, None, None]
    assert records(db) == {}


def test_subscribe_checks_role_targets_and_leads_and_is_audited(db, kb) -> None:
    officer = Actor(11, officer_of=(PLAN, "phong-yte"))
    coordinator = Actor(20, coordinator_of=frozenset({PLAN}))
    with pytest.raises(PermissionDenied):
        db.call(rem.subscribe, kb, officer, GROUP, PLAN, now=SUBSCRIBED_AT)
    with pytest.raises(PermissionDenied):
        db.call(rem.subscribe, kb, coordinator, GROUP, "haiduong-2017", now=SUBSCRIBED_AT)
    with pytest.raises(rem.ReminderError, match="unknown_target"):
        db.call(rem.subscribe, kb, coordinator, GROUP, PLAN, now=SUBSCRIBED_AT,
                unit_ids=["so-y-te"])
    with pytest.raises(rem.ReminderError, match="bad_leads"):
        db.call(rem.subscribe, kb, coordinator, GROUP, PLAN, now=SUBSCRIBED_AT, lead_days=[-2])
    sub = db.call(rem.subscribe, kb, coordinator, GROUP, PLAN, now=SUBSCRIBED_AT,
                  lead_days=[1, 5, 5])
    assert (sub.active, sub.lead_days, sub.deadline_ids) == (True, [5, 1], [])
    with pytest.raises(PermissionDenied):
        db.call(rem.unsubscribe, officer, GROUP, now=SUBSCRIBED_AT)
    assert [s.plan_id for s in db.call(rem.unsubscribe, coordinator, GROUP,
                                       now=SUBSCRIBED_AT)] == [PLAN]
    entries = db.call(audit.list_entries, action="reminders.")
    assert [(e.action, e.actor_id, e.target) for e in entries] == [
        (rem.UNSUBSCRIBED, 20, f"chat:{GROUP}"), (rem.SUBSCRIBED, 20, f"chat:{GROUP}")]


def test_a_new_subscription_gets_no_backlog(db, kb) -> None:
    subscribe(db, kb, now=at(dt.date(2026, 12, 8), 10))  # after the 7- and 3-day reminders
    assert tick(db, kb, at(dt.date(2026, 12, 8), 11)) == []
    assert [r.lead_days for r in tick(db, kb, at(dt.date(2026, 12, 9)))] == [1]


def test_resubscribing_after_unsubscribe_starts_afresh(db, kb) -> None:
    subscribe(db, kb)
    db.call(rem.unsubscribe, ADMIN, GROUP, now=at(dt.date(2026, 12, 1)))
    assert tick(db, kb, at(dt.date(2026, 12, 3))) == []
    subscribe(db, kb, now=at(dt.date(2026, 12, 5)))
    assert tick(db, kb, at(dt.date(2026, 12, 5), 9)) == []
    assert [r.lead_days for r in tick(db, kb, at(dt.date(2026, 12, 7)))] == [3]


def test_migrate_chat_moves_subscription_and_records(db, kb) -> None:
    subscribe(db, kb)
    tick(db, kb, at(dt.date(2026, 12, 3)))
    assert db.call(rem.migrate_chat, GROUP, -1009, now=at(dt.date(2026, 12, 4))) == 1
    assert db.call(rem.migrate_chat, GROUP, -1009, now=at(dt.date(2026, 12, 4))) == 0
    assert db.call(rem.subscriptions_of, GROUP) == []
    assert tick(db, kb, at(dt.date(2026, 12, 4))) == []  # the 7-day one is not sent again
    assert [(r.chat_id, r.lead_days) for r in tick(db, kb, at(dt.date(2026, 12, 7)))] == [
        (-1009, 3)]


# --- restarts, downtime, two schedulers --------------------------------------------------------


def test_restart_between_claim_and_send_no_duplicate_no_loss(db, kb) -> None:
    subscribe(db, kb)
    fire = at(dt.date(2026, 12, 3))
    crashed = tick(db, kb, fire, worker="dead", sent=False)  # claimed, then the process died
    assert len(crashed) == 1
    assert records(db)[(GROUP, YEAR_KEY, 7)].status == REMINDER_CLAIMED
    # restarted within the lease: the claim may still be in flight, so nothing is sent
    assert tick(db, kb, fire + dt.timedelta(minutes=1), worker="new") == []
    retried = tick(db, kb, fire + SCHEDULE.lease + dt.timedelta(minutes=1), worker="new")
    assert summary(retried) == summary(crashed)
    row = records(db)[(GROUP, YEAR_KEY, 7)]
    assert (row.status, row.attempts, row.claimed_by) == (REMINDER_SENT, 2, "new")
    assert tick(db, kb, fire + dt.timedelta(hours=5), worker="third") == []


def test_a_stale_claim_is_not_resent_once_its_units_have_reported(db, kb) -> None:
    subscribe(db, kb, unit_ids=["phong-yte"])
    fire = at(dt.date(2026, 12, 3))
    assert len(tick(db, kb, fire, worker="dead", sent=False)) == 1
    submit(db, "phong-yte", fire + dt.timedelta(minutes=2))
    assert tick(db, kb, fire + dt.timedelta(minutes=10), worker="new") == []
    row = records(db)[(GROUP, YEAR_KEY, 7)]
    assert (row.status, row.error) == (REMINDER_SKIPPED, "complete")


def test_two_interrupted_attempts_do_not_lose_the_reminder(db, kb) -> None:
    subscribe(db, kb)
    fire = at(dt.date(2026, 12, 3))
    tick(db, kb, fire, worker="a", sent=False)
    assert len(tick(db, kb, fire + dt.timedelta(minutes=10), worker="b", sent=False)) == 1
    assert len(tick(db, kb, fire + dt.timedelta(minutes=20), worker="c")) == 1  # third try
    row = records(db)[(GROUP, YEAR_KEY, 7)]
    assert (row.status, row.attempts) == (REMINDER_SENT, 3)


def test_a_claim_interrupted_too_often_is_unknown_not_failed(db, kb, caplog) -> None:
    subscribe(db, kb)
    fire = at(dt.date(2026, 12, 3))
    for i in range(rd.MAX_ATTEMPTS):
        assert len(tick(db, kb, fire + dt.timedelta(minutes=10 * i), worker=f"w{i}",
                        sent=False)) == 1
        assert records(db)[(GROUP, YEAR_KEY, 7)].error == (
            f"unknown: attempt {i} interrupted" if i else None)
    with caplog.at_level(logging.WARNING, logger="features.reminder_delivery"):
        assert tick(db, kb, fire + dt.timedelta(hours=2), worker="last") == []
    row = records(db)[(GROUP, YEAR_KEY, 7)]
    assert row.status == REMINDER_UNKNOWN
    assert "delivery unknown" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_claim_of_a_dead_process_is_retried_at_once(db, kb) -> None:
    subscribe(db, kb)
    fire = at(dt.date(2026, 12, 3))
    assert len(tick(db, kb, fire, worker="host:1:dead", sent=False)) == 1
    now = fire + dt.timedelta(seconds=5)  # well within the lease
    out = []
    for due in db.call(rd.plan_due, kb, now, SCHEDULE, is_dead=lambda w: w == "host:1:dead"):
        out.append(db.call(rd.claim, kb, due, now, worker="new", schedule=SCHEDULE))
    assert [r is not None for r in out] == [True]
    # a second worker, planning from the same state, cannot take it too (compare-and-set)
    assert db.call(rd.claim, kb, due, now, worker="other", schedule=SCHEDULE) is None


def test_downtime_catch_up_sends_only_the_latest_with_true_days_left(db, kb, caplog) -> None:
    subscribe(db, kb)
    with caplog.at_level(logging.INFO, logger="features.reminder_delivery"):
        got = tick(db, kb, at(dt.date(2026, 12, 8), 10, 30))  # down from 1/12 to 8/12 10:30
    assert [(r.lead_days, r.days_left) for r in got] == [(3, 2)]
    rows = records(db)
    assert (rows[(GROUP, YEAR_KEY, 7)].status, rows[(GROUP, YEAR_KEY, 7)].error) == (
        REMINDER_SKIPPED, "superseded")
    assert "skipped: superseded" in caplog.text
    assert [r.lead_days for r in tick(db, kb, at(dt.date(2026, 12, 9)))] == [1]


def test_downtime_past_the_deadline_skips_reminders_and_sends_the_overdue_notice(db, kb,
                                                                                 caplog) -> None:
    subscribe(db, kb)
    tick(db, kb, at(dt.date(2026, 12, 3)))
    with caplog.at_level(logging.INFO, logger="features.reminder_delivery"):
        got = tick(db, kb, at(dt.date(2026, 12, 13), 15))  # down from 4/12 to 13/12
    assert [(r.kind, r.days_left) for r in got] == [("overdue", -3)]
    rows = records(db)
    assert {lead: rows[(GROUP, YEAR_KEY, lead)].status for lead in (3, 1, 0)} == {
        3: REMINDER_SKIPPED, 1: REMINDER_SKIPPED, 0: REMINDER_SKIPPED}
    assert caplog.text.count("skipped") == 3


def test_downtime_long_past_the_deadline_sends_nothing_and_logs(db, kb, caplog) -> None:
    subscribe(db, kb)
    with caplog.at_level(logging.INFO, logger="features.reminder_delivery"):
        assert tick(db, kb, at(dt.date(2026, 12, 18), 9)) == []  # 8 days after the due date
    assert records(db)[(GROUP, YEAR_KEY, rem.OVERDUE)].error == "too_late"
    assert "too_late" in caplog.text
    assert tick(db, kb, at(dt.date(2026, 12, 18), 10)) == []


def test_two_schedulers_on_one_database_send_each_reminder_exactly_once(db, kb) -> None:
    groups = [-5000 - i for i in range(40)]
    for chat_id in groups:
        subscribe(db, kb, chat_id)
    add_officer(db, 1001, "phong-yte", name="Nguyễn Thị Lan")
    fire = at(dt.date(2026, 12, 3))
    start = threading.Barrier(2)

    def scheduler(name: str) -> tuple[int, list[tuple]]:
        due = db.call(rd.plan_due, kb, fire, SCHEDULE)
        start.wait()  # both planned the same reminders; now both race to claim them
        won = []
        for item in due:
            reminder = db.call(rd.claim, kb, item, fire, worker=name, schedule=SCHEDULE)
            if reminder is not None:
                db.call(rd.mark_sent, reminder.delivery_id, now=fire)
                won.append((reminder.chat_id, reminder.lead_days))
        return len(due), won

    with ThreadPoolExecutor(2) as pool:
        (planned_a, a), (planned_b, b) = pool.map(scheduler, ["a", "b"])
    assert planned_a == planned_b == len(groups) + 1
    assert not set(a) & set(b)
    assert sorted(a + b) == sorted([(g, 7) for g in groups] + [(1001, 7)])
    assert {r.status for r in records(db).values()} == {REMINDER_SENT}


# --- reading what a group asks ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "deadlines", "units", "leads"), [
    ("", [], [], None),
    ("báo cáo năm", ["bao-cao-nam"], [], None),
    ("bao cao 6 thang; Phòng Y tế, phong tu phap", ["bao-cao-6-thang"],
     ["phong-yte", "phong-tu-phap"], None),
    ("trước 5 1 0", [], [], [5, 1, 0]),
    ("10, 2", [], [], [10, 2]),
    ("công an quận 3", [], ["cong-an-quan"], None),
])
def test_parse_request(kb, text, deadlines, units, leads) -> None:
    got = rem.parse_request(kb.get(PLAN), text)
    assert (got.deadline_ids, got.unit_ids, got.lead_days, got.unknown) == (
        deadlines, units, leads, [])


def test_parse_request_unknown_and_dateless(kb) -> None:
    got = rem.parse_request(kb.get(PLAN), "báo cáo đột xuất; sở ngoại vụ")
    assert (got.dateless, got.unknown) == (["báo cáo đột xuất"], ["sở ngoại vụ"])


def test_preview_lists_what_and_to_whom_without_sending(db, kb) -> None:
    add_officer(db, 1001, "phong-yte", name="Nguyễn Thị Lan")
    subscribe(db, kb, unit_ids=["phong-yte"], title="Nhóm BVTE Quận 3")
    tick(db, kb, at(dt.date(2026, 12, 3)))
    got = db.call(rd.preview, kb, dt.date(2026, 12, 3), 5, SCHEDULE)
    assert [(p.fire_at, p.reminder.kind, p.reminder.chat_id, p.reminder.lead_days, p.status)
            for p in got] == [
        (at(dt.date(2026, 12, 3)), "group", GROUP, 7, REMINDER_SENT),
        (at(dt.date(2026, 12, 3)), "private", 1001, 7, REMINDER_SENT),
        (at(dt.date(2026, 12, 7)), "group", GROUP, 3, None),
        (at(dt.date(2026, 12, 7)), "private", 1001, 3, None),
    ]
    assert got[0].chat_title == "Nhóm BVTE Quận 3"
    assert len(records(db)) == 2
