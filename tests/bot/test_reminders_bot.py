"""The reminder job through the real Application and the local Bot API emulator (HTTP on
127.0.0.1): sending, mentions, RetryAfter, Forbidden, chat migration, two schedulers, the job,
and the commands /nhacviec, /tatnhac, /lich."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest
from icalendar import Calendar
from sqlmodel import select

from bot import reminders as job
from bot.app import build_application
from bot.render import plain_text
from core.clock import FixedClock
from core.texts import reminders as t
from features import reminder_delivery as rd, reminders as rem
from storage import audit, chats
from storage.models import (
    REMINDER_FAILED,
    REMINDER_SENT,
    ROLE_COORDINATOR,
    STATUS_APPROVED,
    Person,
    Registration,
    ReminderDelivery,
)
from tests.features.test_reminders import PLAN, SCHEDULE, add_officer, at, submit, subscribe
from tests.support.emulator import TOKEN, BotApiEmulator
from tests.support.factories import (
    GROUP_ID,
    USER_ID,
    group_chat,
    make_settings,
    offline_bot,
    text_of,
)

FIRE = at(dt.date(2026, 12, 3))  # the 7-day reminder of "Báo cáo năm" (10/12/2026)
COORDINATOR = 2001


class Sleeps:
    """Records the waits asked for instead of waiting."""

    def __init__(self) -> None:
        self.waited: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waited.append(seconds)


@contextlib.asynccontextmanager
async def bot_on(emu: BotApiEmulator, db, kb, clock, **settings) -> AsyncIterator:
    """The real application on the emulator, initialised but not started: its bot sends, and
    no scheduler runs behind the test's back (the tests drive the sender themselves)."""
    app = build_application(
        make_settings(telegram_bot_token=TOKEN, telegram_base_url=emu.base_url,
                      telegram_base_file_url=emu.base_file_url, **settings),
        kb=kb, db=db, clock=clock, rate_limit=False,
    )
    await app.initialize()
    try:
        yield app
    finally:
        await app.shutdown()


def sender(app, db, kb, clock, **kw) -> job.ReminderSender:
    return job.ReminderSender(app.bot, db, kb, clock, SCHEDULE, **kw)


def texts(emu: BotApiEmulator, chat_id: int) -> list[str]:
    return [plain_text(m["text"]) for m in emu.api.sent_messages(chat_id)]


def add_coordinator(db, telegram_id: int = COORDINATOR) -> None:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with db.unit_of_work() as s:
        s.add(Person(telegram_id=telegram_id, full_name="Điều phối", created_at=now,
                     updated_at=now))
        s.flush()
        s.add(Registration(telegram_id=telegram_id, plan_id=PLAN, role=ROLE_COORDINATOR,
                           status=STATUS_APPROVED, requested_at=now))


# --- the sender -------------------------------------------------------------------------------


async def test_group_reminder_text_mentions_officers_and_private_reminder(sqlite_db, kb):
    db = sqlite_db
    add_officer(db, 1001, "phong-yte", name="Nguyễn Thị Lan", username="lan_yte")
    add_officer(db, 1002, "phong-tu-phap", name="Trần <Bình>")
    subscribe(db, kb, GROUP_ID)
    submit(db, "phong-gddt", at(dt.date(2026, 12, 1)))
    async with BotApiEmulator() as emu:
        for chat_id in (GROUP_ID, 1001, 1002):
            emu.api.remember_chat({"id": chat_id, "type": "group" if chat_id < 0 else "private"})
        async with bot_on(emu, db, kb, FixedClock(FIRE)) as app:
            outcomes = await sender(app, db, kb, FixedClock(FIRE)).run_once()
    assert outcomes == {"sent": 3}
    (group,) = texts(emu, GROUP_ID)
    assert group.startswith(
        "📅 Còn 7 ngày: Báo cáo năm kết quả thực hiện kế hoạch — hạn 10/12/2026, gửi Ủy ban "
        "nhân dân Quận 3 qua Cơ quan thường trực BCĐ138 - Công an Quận 3.\nKế hoạch Quận 3 2020"
        "\nChưa nộp: Công an Quận 3, Phòng Lao động - Thương binh và Xã hội, Phòng Văn hóa"
    )
    assert "Phòng Giáo dục" not in group
    assert "Phòng Y tế (@lan_yte)" in group
    assert "Phòng Tư pháp (Trần <Bình>)" in group
    assert group.endswith("Nộp báo cáo: nhắn riêng cho tôi lệnh /baocao.")
    call = next(c for c in emu.api.calls if c.params.get("chat_id") == GROUP_ID)
    assert '<a href="tg://user?id=1002">Trần &lt;Bình&gt;</a>' in call.params["text"]
    assert texts(emu, 1001) == [
        "📅 Còn 7 ngày: Báo cáo năm kết quả thực hiện kế hoạch — hạn 10/12/2026, gửi Ủy ban "
        "nhân dân Quận 3 qua Cơ quan thường trực BCĐ138 - Công an Quận 3.\nKế hoạch Quận 3 2020"
        "\nĐơn vị của bạn (Phòng Y tế) chưa nộp báo cáo này.\nGửi báo cáo: /baocao"
    ]
    with db.unit_of_work() as s:
        rows = s.exec(select(ReminderDelivery)).all()
    assert {(r.chat_id, r.status) for r in rows} == {
        (GROUP_ID, REMINDER_SENT), (1001, REMINDER_SENT), (1002, REMINDER_SENT)}
    assert all(r.message_id for r in rows)


async def test_retry_after_waits_and_sends_once(sqlite_db, kb):
    subscribe(sqlite_db, kb, GROUP_ID)
    sleeps = Sleeps()
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(group_chat(GROUP_ID))
        emu.fail("sendMessage", emu.too_many_requests(7), chat_id=GROUP_ID, times=2)
        async with bot_on(emu, sqlite_db, kb, FixedClock(FIRE)) as app:
            outcomes = await sender(app, sqlite_db, kb, FixedClock(FIRE), sleep=sleeps).run_once()
    assert outcomes == {"sent": 1}
    assert sleeps.waited == [7.0, 7.0]
    assert len(emu.api.sent_messages(GROUP_ID)) == 1


async def test_forbidden_switches_the_group_off_and_tells_coordinators(sqlite_db, kb):
    db = sqlite_db
    add_coordinator(db)
    subscribe(db, kb, GROUP_ID, title="Nhóm BVTE Quận 3")
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(group_chat(GROUP_ID))
        emu.api.remember_chat({"id": COORDINATOR, "type": "private"})
        emu.fail("sendMessage", emu.forbidden(), chat_id=GROUP_ID)
        async with bot_on(emu, db, kb, FixedClock(FIRE)) as app:
            assert await sender(app, db, kb, FixedClock(FIRE)).run_once() == {"failed": 1}
            later = at(dt.date(2026, 12, 7))
            assert await sender(app, db, kb, FixedClock(later)).run_once() == {}
    assert emu.api.sent_messages(GROUP_ID) == []
    (notice,) = texts(emu, COORDINATOR)
    assert notice.startswith("⚠️ Tôi không còn gửi được tin vào nhóm Nhóm BVTE Quận 3")
    assert "kế hoạch Quận 3 2020" in notice
    (sub,) = db.call(rem.subscriptions_of, GROUP_ID, active=None)
    assert (sub.active, sub.deactivated_reason) == (False, "forbidden")
    with db.unit_of_work() as s:
        assert s.exec(select(ReminderDelivery.status)).all() == [REMINDER_FAILED]
    assert [e.action for e in db.call(audit.list_entries, action=rem.DEACTIVATED)] == [
        rem.DEACTIVATED]


async def test_chat_migration_moves_the_subscription_and_sends_to_the_supergroup(sqlite_db, kb):
    db = sqlite_db
    new_id = -1009876543210
    subscribe(db, kb, GROUP_ID)
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(group_chat(GROUP_ID))
        emu.api.remember_chat(group_chat(new_id, kind="supergroup"))
        emu.fail("sendMessage", emu.migrated(new_id), chat_id=GROUP_ID)
        async with bot_on(emu, db, kb, FixedClock(FIRE)) as app:
            assert await sender(app, db, kb, FixedClock(FIRE)).run_once() == {"sent": 1}
            later = at(dt.date(2026, 12, 7))
            assert await sender(app, db, kb, FixedClock(later)).run_once() == {"sent": 1}
    assert emu.api.sent_messages(GROUP_ID) == []
    assert [m.split(":")[0] for m in texts(emu, new_id)] == ["📅 Còn 7 ngày", "📅 Còn 3 ngày"]
    assert [s.chat_id for s in db.call(rem.subscriptions_of, new_id)] == [new_id]
    assert db.call(rem.subscriptions_of, GROUP_ID, active=None) == []


async def test_two_bot_processes_on_one_database_send_exactly_once(db, kb):
    groups = [-7000 - i for i in range(25)]
    for chat_id in groups:
        subscribe(db, kb, chat_id)
    async with BotApiEmulator() as emu:
        for chat_id in groups:
            emu.api.remember_chat(group_chat(chat_id))
        async with bot_on(emu, db, kb, FixedClock(FIRE)) as one, \
                bot_on(emu, db, kb, FixedClock(FIRE)) as two:
            a, b = await asyncio.gather(
                sender(one, db, kb, FixedClock(FIRE), worker="one").run_once(),
                sender(two, db, kb, FixedClock(FIRE), worker="two").run_once(),
            )
    assert a["sent"] + b["sent"] == len(groups)
    assert sorted(m["chat"]["id"] for m in emu.api.sent_messages()) == sorted(groups)


async def test_restart_between_claim_and_send_through_the_bot(sqlite_db, kb):
    db = sqlite_db
    subscribe(db, kb, GROUP_ID)
    clock = FixedClock(FIRE)
    (due,) = db.call(rd.plan_due, kb, FIRE, SCHEDULE)
    assert db.call(rd.claim, kb, due, FIRE, worker="killed", schedule=SCHEDULE) is not None
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(group_chat(GROUP_ID))
        async with bot_on(emu, db, kb, clock) as app:  # the restarted process
            assert await sender(app, db, kb, clock).run_once() == {}
            clock.advance(minutes=6)  # the dead process's lease is over
            assert await sender(app, db, kb, clock).run_once() == {"resent": 1}
            clock.advance(hours=1)
            assert await sender(app, db, kb, clock).run_once() == {}
    assert len(emu.api.sent_messages(GROUP_ID)) == 1


async def test_schedule_reminders_one_named_job_that_sends(sqlite_db, kb):
    subscribe(sqlite_db, kb, GROUP_ID)
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(group_chat(GROUP_ID))
        async with bot_on(emu, sqlite_db, kb, FixedClock(FIRE)) as app:
            job.schedule_reminders(app, first=3600)
            scheduled = job.schedule_reminders(app, first=3600)  # replaces the first one
            jobs = app.job_queue.get_jobs_by_name(job.JOB_NAME)
            assert [j.job.id for j in jobs] == [scheduled.job.id]
            assert scheduled.job.misfire_grace_time is None
            assert scheduled.job.trigger.interval == dt.timedelta(seconds=job.TICK_SECONDS)
            await scheduled.run(app)
            await emu.wait_for_replies(GROUP_ID, 1)
            await scheduled.run(app)
    assert len(emu.api.sent_messages(GROUP_ID)) == 1


# --- commands -----------------------------------------------------------------------------------


@pytest.fixture
async def bot(sqlite_db, kb, clock):
    async with offline_bot(make_settings(admin_ids=[USER_ID]), kb=kb, db=sqlite_db,
                           clock=clock) as b:
        yield b


async def test_nhacviec_needs_a_group_a_plan_and_a_coordinator(bot, sqlite_db):
    await bot.process(bot.private("/nhacviec"))
    assert text_of(bot.last(USER_ID)) == t.GROUP_ONLY
    await bot.process(bot.group("/nhacviec"))
    assert text_of(bot.last(GROUP_ID)) == t.NO_PLAN
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    stranger = {"id": 3003, "is_bot": False, "first_name": "Hà"}
    await bot.process(bot.group("/nhacviec", who=stranger))
    assert text_of(bot.last(GROUP_ID)) == t.NOT_ALLOWED
    assert sqlite_db.call(rem.subscriptions_of, GROUP_ID) == []


async def test_nhacviec_subscribes_filters_and_changes_lead_days(bot, sqlite_db):
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    await bot.process(bot.group("/nhacviec"))
    reply = text_of(bot.last(GROUP_ID))
    assert reply.startswith("✅ Đã bật nhắc hạn báo cáo cho nhóm này — kế hoạch Quận 3 2020.")
    assert ("Nhắc trước 7 ngày, trước 3 ngày, trước 1 ngày và đúng ngày hạn, lúc 08:00."
            in reply)
    assert "Hạn gần nhất: Báo cáo năm kết quả thực hiện kế hoạch — 10/12/2026." in reply
    await bot.process(bot.group("/nhacviec báo cáo năm; Phòng Y tế"))
    assert "Chỉ theo dõi đơn vị: Phòng Y tế." in text_of(bot.last(GROUP_ID))
    await bot.process(bot.group("/nhacviec trước 5 0"))
    assert "Nhắc trước 5 ngày và đúng ngày hạn" in text_of(bot.last(GROUP_ID))
    (sub,) = sqlite_db.call(rem.subscriptions_of, GROUP_ID)
    assert (sub.deadline_ids, sub.unit_ids, sub.lead_days) == (["bao-cao-nam"], ["phong-yte"],
                                                               [5, 0])
    await bot.process(bot.group("/nhacviec phòng ngoại vụ"))
    assert text_of(bot.last(GROUP_ID)).startswith(
        "Không tìm thấy hạn báo cáo hay đơn vị nào khớp với: “phòng ngoại vụ”.")
    await bot.process(bot.group("/nhacviec trước 99"))
    assert text_of(bot.last(GROUP_ID)).startswith("Số ngày nhắc trước phải từ 0")
    entries = sqlite_db.call(audit.list_entries, action=rem.SUBSCRIBED)
    assert [e.actor_id for e in entries] == [USER_ID] * 3


async def test_tatnhac_by_a_coordinator_only(bot, sqlite_db, kb):
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    await bot.process(bot.group("/tatnhac"))
    assert text_of(bot.last(GROUP_ID)) == t.NOT_SUBSCRIBED
    subscribe(sqlite_db, kb, GROUP_ID)
    await bot.process(bot.group("/tatnhac", who={"id": 3003, "is_bot": False, "first_name": "H"}))
    assert text_of(bot.last(GROUP_ID)) == t.NOT_ALLOWED
    await bot.process(bot.group("/tatnhac"))
    assert text_of(bot.last(GROUP_ID)) == t.UNSUBSCRIBED
    assert sqlite_db.call(rem.subscriptions_of, GROUP_ID) == []


async def test_lich_sends_the_chats_deadlines_as_ics(bot, sqlite_db, kb):
    await bot.process(bot.group("/lich"))
    assert text_of(bot.last(GROUP_ID)) == t.CALENDAR_NO_PLAN
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    subscribe(sqlite_db, kb, GROUP_ID, deadline_ids=["bao-cao-nam", "bao-cao-6-thang"])
    calls = await bot.process(bot.group("/lich"))
    (call,) = [c for c in calls if c.method == "sendDocument"]
    (name, data), = call.files.values()
    assert name == "lich-han-bao-cao-quan3-2020.ics"
    events = Calendar.from_ical(data).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Hạn: Báo cáo năm kết quả thực hiện kế hoạch", dt.date(2026, 12, 10)),
        ("Hạn: Báo cáo 6 tháng kết quả thực hiện kế hoạch", dt.date(2027, 6, 10)),
    ]
    assert call.params["caption"].startswith("🗓 Lịch hạn báo cáo — kế hoạch Quận 3 2020, 2 hạn")


async def test_group_upgrade_service_message_moves_the_subscription(bot, sqlite_db, kb):
    subscribe(sqlite_db, kb, GROUP_ID)
    new_id = -1005550001
    await bot.process(bot.service(group_chat(GROUP_ID), {"migrate_to_chat_id": new_id}))
    assert [s.chat_id for s in sqlite_db.call(rem.subscriptions_of, new_id)] == [new_id]


def test_cli_groups_and_preview(sqlite_db, kb, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from bot.cli import reminders as cli_reminders
    from core.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", str(sqlite_db.url))
    get_settings.cache_clear()
    app = typer.Typer()
    cli_reminders.register(app)
    runner = CliRunner()
    try:
        got = runner.invoke(app, ["groups", "subscribe", "-1001", "--plan", PLAN, "--lead", "3"])
        assert got.exit_code == 0, got.output
        assert "nhắc trước 3 ngày" in got.output
        assert runner.invoke(app, ["groups", "subscribe", "-1001", "--plan", "x"]).exit_code == 2
        user = runner.invoke(app, ["groups", "subscribe", "1001", "--plan", PLAN])
        assert user.exit_code == 2
        assert "là mã một người dùng, không phải nhóm" in user.output
        nodeadline = runner.invoke(app, ["groups", "subscribe", "-1001", "--plan", PLAN,
                                         "--deadline", "bao-cao-quy"])
        assert nodeadline.exit_code == 2
        assert f"kế hoạch {PLAN} không có hạn hay đơn vị bao-cao-quy" in nodeadline.output
        listing = runner.invoke(app, ["groups", "list"]).output
        assert listing.startswith(f"-1001\t{PLAN}\tbật\tnhắc trước 3 ngày\ttất cả")
        preview = runner.invoke(app, ["reminders", "preview", "--today", "2026-12-01",
                                      "--days", "10"]).output
        assert preview.startswith("2026-12-07 08:00  nhóm -1001: 📅 Còn 3 ngày: Báo cáo năm")
        as_json = runner.invoke(app, ["reminders", "preview", "--today", "2026-12-07",
                                      "--days", "1", "--json"]).output
        objects = [json.loads(line) for line in as_json.splitlines()]
        assert [(o["chat_id"], o["lead_days"], o["days_left"], o["status"]) for o in objects] == [
            (-1001, 3, 3, None)]
        assert objects[0]["text"].startswith("📅 Còn 3 ngày: Báo cáo năm")
        assert runner.invoke(app, ["groups", "unsubscribe", "-1001"]).exit_code == 0
        assert runner.invoke(app, ["groups", "unsubscribe", "-1001"]).exit_code == 2
    finally:
        get_settings.cache_clear()
    assert [e.actor for e in sqlite_db.call(audit.list_entries, action="reminders.")] == [
        "cli", "cli"]


async def test_a_claim_of_a_dead_process_on_this_host_is_sent_at_once(sqlite_db, kb):
    import asyncio
    import socket
    import sys

    child = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await child.wait()  # its pid is gone
    dead = f"{socket.gethostname()}:{child.pid}:deadbeef"
    db = sqlite_db
    subscribe(db, kb, GROUP_ID)
    clock = FixedClock(FIRE)
    (due,) = db.call(rd.plan_due, kb, FIRE, SCHEDULE)
    assert db.call(rd.claim, kb, due, FIRE, worker=dead, schedule=SCHEDULE) is not None
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(group_chat(GROUP_ID))
        async with bot_on(emu, db, kb, clock) as app:  # restarted 10 s later, lease 5 min
            clock.advance(seconds=10)
            assert await sender(app, db, kb, clock).run_once() == {"resent": 1}
    assert len(emu.api.sent_messages(GROUP_ID)) == 1


def test_claimant_is_dead_only_for_this_host_and_a_gone_pid():
    import os
    import socket

    host = socket.gethostname()
    me = f"{host}:{os.getpid()}:mine"
    assert job.claimant_is_dead(f"{host}:{os.getpid()}:older", me=me)  # pid reused by me
    assert not job.claimant_is_dead(me, me=me)
    assert not job.claimant_is_dead(f"{host}:{os.getppid()}:x", me=me)  # alive
    assert not job.claimant_is_dead(f"elsewhere:{2**22 + 7}:x", me=me)  # another host
    assert not job.claimant_is_dead("killed", me=me)


def test_a_worker_lock_is_held_while_it_lives_and_free_after(db):
    from storage import worker_locks

    if db.dialect != "postgresql":
        pytest.skip("advisory locks: PostgreSQL only")
    other = "elsewhere:4242:0badf00d"
    lock = worker_locks.WorkerLock(db.engine, other)
    assert lock.hold()
    assert lock.hold()  # taken once, kept
    assert not worker_locks.lock_is_free(db.engine, other)  # alive on another host
    lock.release()  # its connection ends, as when the process or its host dies
    assert worker_locks.lock_is_free(db.engine, other)
    assert worker_locks.lock_is_free(db.engine, other)  # the check did not keep it
    assert not worker_locks.lock_is_free(db.engine, "elsewhere:4242:x")  # no key: unknown


async def test_a_claim_of_a_dead_worker_on_another_host_is_sent_at_once(db, kb):
    """PostgreSQL: the claimant's advisory lock is free, so its claim is not left to the lease."""
    from storage import worker_locks

    if db.dialect != "postgresql":
        pytest.skip("advisory locks: PostgreSQL only")
    alive, dead = "host-a:77:aaaa0001", "host-b:77:bbbb0002"
    lock = worker_locks.WorkerLock(db.engine, alive)
    assert lock.hold()
    try:
        subscribe(db, kb, GROUP_ID)
        subscribe(db, kb, GROUP_ID - 1)
        clock = FixedClock(FIRE)
        first, second = db.call(rd.plan_due, kb, FIRE, SCHEDULE)
        assert db.call(rd.claim, kb, first, FIRE, worker=alive, schedule=SCHEDULE) is not None
        assert db.call(rd.claim, kb, second, FIRE, worker=dead, schedule=SCHEDULE) is not None
        async with BotApiEmulator() as emu:
            for chat_id in (GROUP_ID, GROUP_ID - 1):
                emu.api.remember_chat(group_chat(chat_id))
            async with bot_on(emu, db, kb, clock) as app:  # 10 s later, lease 5 min
                clock.advance(seconds=10)
                assert await sender(app, db, kb, clock).run_once() == {"resent": 1}
        sent = [len(emu.api.sent_messages(d.chat_id)) for d in (first, second)]
        assert sent == [0, 1]  # the live worker's claim waits for it, the dead one's is resent
    finally:
        lock.release()


async def test_the_catch_up_runs_right_after_the_start(sqlite_db, kb):
    """Not a tick later: the reminders due while no bot ran leave at once after a restart."""
    import time

    from bot.app import running

    subscribe(sqlite_db, kb, GROUP_ID)
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(group_chat(GROUP_ID))
        app = build_application(
            make_settings(telegram_bot_token=TOKEN, telegram_base_url=emu.base_url,
                          telegram_base_file_url=emu.base_file_url),
            kb=kb, db=sqlite_db, clock=FixedClock(FIRE), rate_limit=False,
        )
        started = time.monotonic()
        async with running(app, catch_up=True):
            await emu.wait_for_replies(GROUP_ID, 1, within=10)
            assert time.monotonic() - started < 5
            [tick] = app.job_queue.get_jobs_by_name(job.JOB_NAME)
            assert tick.next_t.timestamp() - time.time() > job.TICK_SECONDS - 10


async def test_nhacviec_refuses_a_deadline_the_plan_lacks_and_keeps_earlier_filters(
        bot, sqlite_db):
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    await bot.process(bot.group("/nhacviec báo cáo quý"))
    reply = text_of(bot.last(GROUP_ID))
    assert reply.startswith("Không tìm thấy hạn báo cáo hay đơn vị nào khớp với: “báo cáo quý”.")
    assert "Các hạn có ngày cụ thể của kế hoạch:" in reply
    assert "• Báo cáo năm kết quả thực hiện kế hoạch" in reply
    assert sqlite_db.call(rem.subscriptions_of, GROUP_ID) == []
    await bot.process(bot.group("/nhacviec Phòng Y tế"))
    await bot.process(bot.group("/nhacviec báo cáo năm"))
    reply = text_of(bot.last(GROUP_ID))
    assert "Chỉ theo dõi đơn vị: Phòng Y tế." in reply
    assert "Hạn được nhắc: Báo cáo năm kết quả thực hiện kế hoạch." in reply
    (sub,) = sqlite_db.call(rem.subscriptions_of, GROUP_ID)
    assert (sub.deadline_ids, sub.unit_ids) == (["bao-cao-nam"], ["phong-yte"])
    await bot.process(bot.group("/nhacviec"))  # a bare command keeps the filters
    assert "Chỉ theo dõi đơn vị: Phòng Y tế." in text_of(bot.last(GROUP_ID))
    await bot.process(bot.group("/nhacviec tất cả"))
    assert "Hạn được nhắc: tất cả hạn có ngày cụ thể." in text_of(bot.last(GROUP_ID))
    (sub,) = sqlite_db.call(rem.subscriptions_of, GROUP_ID)
    assert (sub.deadline_ids, sub.unit_ids) == ([], [])


async def test_only_a_coordinator_changes_a_reminded_groups_plan_and_reminders_follow(
        bot, sqlite_db, kb):
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    subscribe(sqlite_db, kb, GROUP_ID, lead_days=[5, 0])
    stranger = {"id": 3003, "is_bot": False, "first_name": "Hà"}
    await bot.process(bot.group("/kehoach", who=stranger))
    calls = await bot.process(bot.tap(bot.last(GROUP_ID), "plan:haiduong-2017", who=stranger))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["show_alert"] is True
    assert sqlite_db.call(chats.get_chat_plan, GROUP_ID) == PLAN
    await bot.process(bot.group("/kehoach"))  # the admin
    calls = await bot.process(bot.tap(bot.last(GROUP_ID), "plan:haiduong-2017"))
    note = text_of(calls[-1].result)
    assert "Nhắc hạn báo cáo của nhóm đã chuyển từ kế hoạch Quận 3 (2020)" in note
    assert sqlite_db.call(chats.get_chat_plan, GROUP_ID) == "haiduong-2017"
    (sub,) = sqlite_db.call(rem.subscriptions_of, GROUP_ID)
    assert (sub.plan_id, sub.lead_days) == ("haiduong-2017", [5, 0])
    await bot.process(bot.group("/kehoach"))
    calls = await bot.process(bot.tap(bot.last(GROUP_ID), "plan:*"))
    ended = text_of(calls[-1].result)
    assert "Đã tắt nhắc hạn báo cáo của kế hoạch Tỉnh Hải Dương (2017)" in ended
    assert sqlite_db.call(rem.subscriptions_of, GROUP_ID) == []
    changes = sqlite_db.call(audit.list_entries, action="chat.plan_changed")
    assert [e.actor_id for e in changes] == [USER_ID, USER_ID]
