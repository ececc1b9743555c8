"""Forum topics (issue 14): /nhacviec typed in a topic stores it, reminders and overdue notices go
there, a deleted topic ("message thread not found") makes the reminder go to the group and the
topic stale (logged, audited) — never a lost reminder. /nhacviec xem shows shifted times."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.render import plain_text
from core.clock import FixedClock
from core.texts import reminders as t
from features import reminders as rem
from storage import audit, chats
from storage.models import REMINDER_SENT
from tests.bot.test_reminders_bot import bot_on, sender
from tests.features.test_reminders import PLAN, YEAR_KEY, at, records, subscribe
from tests.support.emulator import BotApiEmulator
from tests.support.factories import (
    GROUP_ID,
    USER_ID,
    group_chat,
    make_settings,
    offline_bot,
    text_of,
)

TOPIC = 42
FORUM = {**group_chat(GROUP_ID, kind="supergroup"), "is_forum": True}
IN_TOPIC = {"message_thread_id": TOPIC, "is_topic_message": True}
FIRE = at(dt.date(2026, 12, 3))


@pytest.fixture
async def bot(sqlite_db, kb):
    clock = FixedClock(at(dt.date(2026, 12, 1), 9))
    async with offline_bot(make_settings(admin_ids=[USER_ID]), kb=kb, db=sqlite_db,
                           clock=clock) as b:
        yield b


async def test_nhacviec_in_a_topic_stores_it_and_replies_there(bot, sqlite_db):
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    await bot.process(bot.group("/nhacviec", chat=FORUM, extra=IN_TOPIC))
    reply = bot.last(GROUP_ID)
    assert reply.get("message_thread_id") == TOPIC  # PTB answers in the topic
    assert t.TOPIC_NOTE.strip() in text_of(reply)
    (sub,) = sqlite_db.call(rem.subscriptions_of, GROUP_ID)
    assert (sub.message_thread_id, sub.topic_stale_at) == (TOPIC, None)
    entry = sqlite_db.call(audit.list_entries, action=rem.SUBSCRIBED)[-1]
    assert entry.details["topic"] == TOPIC
    # typed again in the General topic (no thread): the group itself
    await bot.process(bot.group("/nhacviec", chat=FORUM))
    (sub,) = sqlite_db.call(rem.subscriptions_of, GROUP_ID)
    assert sub.message_thread_id is None
    assert "message_thread_id" not in bot.last(GROUP_ID)


async def test_nhacviec_xem_lists_the_next_30_days_at_shifted_times(bot, sqlite_db):
    sqlite_db.call(chats.set_chat_plan, GROUP_ID, PLAN)
    await bot.process(bot.group("/nhacviec trước 4 0"))
    await bot.process(bot.group("/nhacviec xem"))
    lines = text_of(bot.last(GROUP_ID)).split("\n")
    assert lines[0] == t.UPCOMING_HEAD.format(days=30)
    # 4 days before 10/12/2026 is Sunday 6/12: sent on Friday 4/12, 6 days ahead
    assert lines[1].startswith("• Thứ sáu 04/12/2026 08:00 — 📅 Còn 6 ngày: Báo cáo năm")
    assert lines[2].startswith("• Thứ năm 10/12/2026 08:00 — 📅 Hôm nay là hạn: Báo cáo năm")
    assert lines[3].startswith("• Thứ sáu 11/12/2026 08:00 — ⏰ Quá hạn 1 ngày")


async def test_nhacviec_xem_with_nothing_to_send(bot, sqlite_db):
    await bot.process(bot.group("/nhacviec xem"))
    assert text_of(bot.last(GROUP_ID)) == t.UPCOMING_NONE.format(days=30)


async def test_reminders_and_the_overdue_notice_go_to_the_topic(sqlite_db, kb):
    db = sqlite_db
    subscribe(db, kb, GROUP_ID, lead_days=[7], topic=TOPIC)
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(FORUM)
        async with bot_on(emu, db, kb, FixedClock(FIRE)) as app:
            assert await sender(app, db, kb, FixedClock(FIRE)).run_once() == {"sent": 1}
            overdue = at(dt.date(2026, 12, 11))
            assert await sender(app, db, kb, FixedClock(overdue)).run_once() == {"sent": 1}
    sent = emu.api.sent_messages(GROUP_ID)
    assert [m.get("message_thread_id") for m in sent] == [TOPIC, TOPIC]
    assert [plain_text(m["text"]).split(":")[0] for m in sent] == ["📅 Còn 7 ngày",
                                                                   "⏰ Quá hạn 1 ngày"]


async def test_a_deleted_topic_sends_to_the_group_and_marks_it_stale(sqlite_db, kb, caplog):
    db = sqlite_db
    subscribe(db, kb, GROUP_ID, topic=TOPIC)
    async with BotApiEmulator() as emu:
        emu.api.remember_chat(FORUM)
        emu.api.deleted_topics.add((GROUP_ID, TOPIC))
        async with bot_on(emu, db, kb, FixedClock(FIRE)) as app:
            with caplog.at_level(logging.WARNING):
                assert await sender(app, db, kb, FixedClock(FIRE)).run_once() == {"sent": 1}
            later = at(dt.date(2026, 12, 7))
            assert await sender(app, db, kb, FixedClock(later)).run_once() == {"sent": 1}
    sent = emu.api.sent_messages(GROUP_ID)
    assert [m.get("message_thread_id") for m in sent] == [None, None]
    assert [plain_text(m["text"]).split(":")[0] for m in sent] == ["📅 Còn 7 ngày",
                                                                   "📅 Còn 3 ngày"]
    # one refused call (the first), none for the second reminder: the topic is stale
    refused = [r for r in emu.requests if r == "sendMessage"]
    assert len(refused) == 3
    (sub,) = db.call(rem.subscriptions_of, GROUP_ID)
    assert sub.message_thread_id == TOPIC
    assert sub.topic_stale_at is not None
    (entry,) = db.call(audit.list_entries, action=rem.TOPIC_STALE)
    assert (entry.target, entry.details) == (f"chat:{GROUP_ID}", {"topic": TOPIC})
    assert "topic 42 not found" in caplog.text
    assert records(db)[(GROUP_ID, YEAR_KEY, 7)].status == REMINDER_SENT
