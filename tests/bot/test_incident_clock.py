"""The 12-hour clock of urgent incidents (SQLite and PostgreSQL): 6 h, 11 h and 5-day reminders,
exactly once each, across a kill and a restart, stopped by "đã xử lý"/"đã chuyển"; and the job
through the real application and the Bot API emulator."""

from __future__ import annotations

import datetime as dt

from bot import incident_clock as job
from bot.render import plain_text
from core.clock import VN_TZ, FixedClock
from features import incident_clock as ic, incidents
from storage import audit
from storage.models import (
    INCIDENT_HANDLED,
    INCIDENT_REFERRED,
    REMINDER_CLAIMED,
    REMINDER_SENT,
    REMINDER_SKIPPED,
    ReminderDelivery,
)
from tests.bot.test_reminders_bot import bot_on
from tests.support.emulator import BotApiEmulator
from tests.support.factories import private_chat
from tests.support.incidents_kit import (
    ADMIN,
    COORD,
    COORD_ACTOR,
    OFFICER_ACTOR,
    PLANTED_MARK,
    cipher,
    draft,
    seed_roles,
)

LOGGED = dt.datetime(2026, 11, 22, 21, 10, tzinfo=VN_TZ)  # logged at night
LEASE = ic.CLAIM_LEASE


def log(db, *, urgency: str = "urgent", message_id: int = 1, when: dt.datetime = LOGGED,
        actor=OFFICER_ACTOR) -> str:
    return db.call(incidents.create, actor, cipher(), draft(urgency=urgency),
                   source_chat_id=1001, source_message_id=message_id, now=when).number


def tick(db, now: dt.datetime, *, worker: str = "w1", sent: bool = True,
         admin_ids=(ADMIN,)) -> list[ic.ClockReminder]:
    """One tick with a perfect Telegram: plan, claim, (send,) mark sent."""
    out = []
    for due in db.call(ic.plan_due, now, admin_ids):
        reminder = db.call(ic.claim, cipher(), due, now, worker=worker, admin_ids=admin_ids)
        if reminder is not None:
            if sent:
                db.call(ic.mark_sent, reminder, now=now)
            out.append(reminder)
    return out


def steps(reminders: list[ic.ClockReminder]) -> list[tuple[int, int]]:
    return [(r.chat_id, r.step) for r in reminders]


def records(db) -> dict[tuple[int, str, int], ReminderDelivery]:
    from sqlmodel import select

    with db.unit_of_work() as s:
        rows = s.exec(select(ReminderDelivery)).all()
    return {(r.chat_id, r.occurrence_key, r.lead_days): r for r in rows}


def hours(n: float) -> dt.datetime:
    return LOGGED + dt.timedelta(hours=n)


def test_six_hours_eleven_hours_five_days_each_once(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    number = log(db)
    assert tick(db, hours(5) + dt.timedelta(minutes=59)) == []
    (first,) = tick(db, hours(6))
    assert (first.chat_id, first.step, first.number, first.kind, first.place) == (
        COORD, 6, number, "Bạo lực", "Phường 5")
    assert first.logged_at == LOGGED
    assert tick(db, hours(6) + dt.timedelta(minutes=1)) == []
    assert tick(db, hours(10)) == []
    assert steps(tick(db, hours(11))) == [(COORD, 11)]
    assert tick(db, hours(30)) == []
    assert tick(db, hours(119)) == []
    (support,) = tick(db, hours(120))
    assert support.support
    assert tick(db, hours(121)) == []
    entries = db.call(audit.list_entries, action=ic.REMINDED)
    assert sorted((e.target, e.details["hours"], e.details["to"]) for e in entries) == [
        (number, 6, COORD), (number, 11, COORD), (number, 120, COORD)]


def test_only_urgent_incidents_start_the_clock(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    log(db, urgency="high", message_id=1)
    log(db, urgency="normal", message_id=2)
    assert tick(db, hours(6)) == []
    assert tick(db, hours(120)) == []


def test_handled_or_referred_stops_the_clock(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    handled = log(db, message_id=1)
    referred = log(db, message_id=2)
    assert len(tick(db, hours(6))) == 2
    db.call(incidents.set_status, COORD_ACTOR, cipher(), handled, INCIDENT_HANDLED, now=hours(7))
    db.call(incidents.set_status, COORD_ACTOR, cipher(), referred, INCIDENT_REFERRED,
            now=hours(7))
    assert tick(db, hours(11)) == []
    assert tick(db, hours(120)) == []


def test_marked_between_plan_and_claim_is_not_sent(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    number = log(db)
    (due,) = db.call(ic.plan_due, hours(6), [ADMIN])
    db.call(incidents.set_status, COORD_ACTOR, cipher(), number, INCIDENT_HANDLED, now=hours(6))
    assert db.call(ic.claim, cipher(), due, hours(6), worker="w", admin_ids=[ADMIN]) is None
    assert records(db)[(COORD, ic.key_of(number), 6)].status == REMINDER_SKIPPED


def test_no_coordinator_the_admins_are_reminded(db) -> None:
    from features import registry
    from features.permissions import Actor

    seed_roles(db, LOGGED - dt.timedelta(days=1))
    db.call(registry.revoke, Actor.command_line("t"), COORD, "quan3-2020", now=LOGGED)
    log(db)
    assert steps(tick(db, hours(6), admin_ids=(ADMIN, 3002))) == [(ADMIN, 6), (3002, 6)]


def test_downtime_sends_only_the_latest_step_and_not_after_a_day(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    number = log(db, message_id=1)
    assert steps(tick(db, hours(11.5))) == [(COORD, 11)]  # down from 21:10 to 08:40
    assert records(db)[(COORD, ic.key_of(number), 6)].status == REMINDER_SKIPPED
    late = log(db, message_id=2, when=hours(1))
    assert tick(db, hours(1) + dt.timedelta(hours=30)) == []  # down for 30 h: too late now
    assert records(db)[(COORD, ic.key_of(late), 11)].error == "superseded"


def test_kill_between_claim_and_send_then_restart_exactly_once(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    number = log(db)
    crashed = tick(db, hours(6), worker="dead", sent=False)  # claimed, then killed
    assert steps(crashed) == [(COORD, 6)]
    assert records(db)[(COORD, ic.key_of(number), 6)].status == REMINDER_CLAIMED
    # the restarted process, within the lease: the claim may still be in flight
    assert tick(db, hours(6) + dt.timedelta(minutes=1), worker="new") == []
    retried = tick(db, hours(6) + LEASE + dt.timedelta(minutes=1), worker="new")
    assert steps(retried) == [(COORD, 6)]
    row = records(db)[(COORD, ic.key_of(number), 6)]
    assert (row.status, row.attempts, row.claimed_by, row.kind) == (REMINDER_SENT, 2, "new",
                                                                    ic.KIND)
    assert tick(db, hours(7), worker="third") == []
    assert len(db.call(audit.list_entries, action=ic.REMINDED)) == 1


def test_a_dead_claim_overtaken_by_the_next_step_is_not_resent(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    number = log(db)
    tick(db, hours(6), worker="dead", sent=False)
    assert steps(tick(db, hours(11), worker="new")) == [(COORD, 11)]
    assert records(db)[(COORD, ic.key_of(number), 6)].status == REMINDER_SKIPPED


def test_two_workers_claim_it_once(db) -> None:
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    log(db)
    (due,) = db.call(ic.plan_due, hours(6), [ADMIN])
    a = db.call(ic.claim, cipher(), due, hours(6), worker="a", admin_ids=[ADMIN])
    b = db.call(ic.claim, cipher(), due, hours(6), worker="b", admin_ids=[ADMIN])
    assert a is not None
    assert b is None


# --- through the application -----------------------------------------------------------------


async def test_the_job_sends_privately_once_across_a_restart(sqlite_db, kb) -> None:
    db = sqlite_db
    seed_roles(db, LOGGED - dt.timedelta(days=1))
    number = log(db)
    clock = FixedClock(hours(6))
    (due,) = db.call(ic.plan_due, hours(6), [ADMIN])
    assert db.call(ic.claim, cipher(), due, hours(6), worker="killed", admin_ids=[ADMIN])
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(private_chat(COORD, "Điều phối"))
        async with bot_on(emu, db, kb, clock, admin_ids=[ADMIN]) as app:  # restarted
            sender = job.IncidentClockSender.from_application(app)
            assert await sender.run_once() == {}
            clock.advance(minutes=6)  # the dead process's lease is over
            assert await sender.run_once() == {"sent": 1}
            assert await job.IncidentClockSender.from_application(app).run_once() == {}
            clock.set(hours(11))
            assert await sender.run_once() == {"sent": 1}
            scheduled = job.schedule_incident_clock(app, first=3600)
            again = job.schedule_incident_clock(app, first=3600)
            assert [j.job.id for j in app.job_queue.get_jobs_by_name(job.JOB_NAME)] == [
                again.job.id]
            assert scheduled.job.id != again.job.id
    texts = [plain_text(m["text"]) for m in emu.api.sent_messages(COORD)]
    assert len(texts) == 2
    assert texts[0].startswith(f"⏰ Sự vụ khẩn cấp {number} được ghi lúc 21:10 22/11/2026 — "
                               "đã 6 giờ")
    assert "Loại: Bạo lực · Nơi xảy ra: Phường 5" in texts[0]
    assert "còn khoảng 6 giờ" in texts[0]
    assert "còn khoảng 1 giờ" in texts[1]
    assert all(PLANTED_MARK not in x for x in texts)
    assert all("step_parent" not in x and "6-10" not in x for x in texts)
    assert emu.api.sent_messages(ADMIN) == []


def test_support_text_says_plain_days() -> None:
    reminder = ic.ClockReminder(1, COORD, "SV-2026-0001", "quan3-2020", ic.STEP_SUPPORT,
                                "Bạo lực", "Phường <5>", LOGGED)
    text = plain_text(job.render_clock(reminder))
    assert "5 ngày làm việc" in text
    assert "5 ngày liên tục, chưa trừ ngày nghỉ" in text
    assert "Phường <5>" in text  # escaped in the HTML, shown as typed
    assert "&lt;5&gt;" in job.render_clock(reminder)
