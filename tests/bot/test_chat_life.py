"""A chat's life has one owner (features.chats): removal, return, migration, refusals."""

from __future__ import annotations

import datetime as dt

from bot import reminders as job
from bot.handlers import HANDLER_MODULES, chat_status, guard, register_all
from bot.refusals import refusal_text
from core.clock import FixedClock
from core.texts import common as t, reminders as rt
from features import chats as chat_life, reminders as rem
from features.permissions import Action, PermissionDenied
from storage import chats
from storage.models import ConversationState, FinishedStep
from tests.bot.test_reminders_bot import COORDINATOR, FIRE, add_coordinator
from tests.features.test_reminders import PLAN, SCHEDULE, subscribe
from tests.support.factories import (
    GROUP_ID,
    USER_ID,
    group_chat,
    make_settings,
    offline_bot,
    text_of,
)


async def test_bot_removed_switches_reminders_off_at_once_and_job_sends_nothing(sqlite_db, kb):
    db = sqlite_db
    add_coordinator(db)
    db.call(chats.set_chat_plan, GROUP_ID, PLAN, chat_type="group")
    subscribe(db, kb, GROUP_ID, title="Nhóm BVTE Quận 3")
    clock = FixedClock(FIRE)
    async with offline_bot(make_settings(), kb=kb, db=db, clock=clock) as bot:
        bot.api.remember_chat({"id": COORDINATOR, "type": "private"})
        await bot.process(bot.membership(group_chat(), "member", "kicked"))
        (sub,) = db.call(rem.subscriptions_of, GROUP_ID, active=None)
        assert (sub.active, sub.deactivated_reason) == (False, chat_life.REMOVED)
        assert db.call(chats.get_chat_plan, GROUP_ID) is None  # the chat is inactive
        notice = text_of(bot.last(COORDINATOR))
        assert notice.startswith("⚠️ Tôi không còn gửi được tin vào nhóm Nhóm BVTE Quận 3")
        sender = job.ReminderSender(bot.app.bot, db, kb, clock, SCHEDULE)
        assert await sender.run_once() == {}  # nothing planned for the group, nothing sent
        assert bot.sent(GROUP_ID) == []
        # added back: the chat (and its plan) is active again, the reminders stay off until
        # /nhacviec, as the coordinators were told
        await bot.process(bot.membership(group_chat(), "left", "member"))
        assert text_of(bot.last(GROUP_ID)) == t.GROUP_WELCOME
        assert "/nhacviec" in rt.REMOVED_HTML
    assert db.call(chats.get_chat_plan, GROUP_ID) == PLAN
    assert db.call(rem.subscriptions_of, GROUP_ID) == []


def test_migrate_moves_every_table_keyed_by_chat_id(sqlite_db, kb):
    db = sqlite_db
    new_id = -1004444
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    db.call(chats.set_chat_plan, GROUP_ID, PLAN, chat_type="group")
    subscribe(db, kb, GROUP_ID)
    with db.unit_of_work() as s:
        s.add(ConversationState(chat_id=GROUP_ID, user_id=USER_ID, name="baocao", state="x",
                                data={}, updated_at=now))
        s.add(FinishedStep(chat_id=GROUP_ID, user_id=USER_ID, token="t1", name="baocao",
                           outcome={}, finished_at=now))
    moved = db.call(chat_life.migrate, GROUP_ID, new_id, now=now)
    assert (moved.subscriptions, moved.conversations) == (1, 2)
    assert db.call(chats.get_chat_plan, new_id) == PLAN
    assert [s.plan_id for s in db.call(rem.subscriptions_of, new_id)] == [PLAN]
    with db.unit_of_work() as s:
        assert s.get(ConversationState, (new_id, USER_ID, "baocao")) is not None
        assert s.get(FinishedStep, (new_id, USER_ID, "t1")) is not None
        assert s.get(ConversationState, (GROUP_ID, USER_ID, "baocao")) is None
    again = db.call(chat_life.migrate, GROUP_ID, new_id, now=now)  # idempotent
    assert (again.subscriptions, again.conversations) == (0, 0)


async def test_an_unhandled_refusal_gets_one_vietnamese_reply(sqlite_db, kb, clock):
    from telegram.ext import CommandHandler

    async def refuse(update, context):
        raise PermissionDenied(Action.MANAGE_REMINDERS, PLAN)

    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        bot.app.add_handler(CommandHandler("nhacviec", refuse), group=-5)
        await bot.process(bot.private("/nhacviec"))
        replies = [text_of(m) for m in bot.sent(USER_ID)]
        # worded from the one table of bot.refusals (a handler added after the start: through
        # the error handler)
        assert replies.count(refusal_text(PermissionDenied(Action.MANAGE_REMINDERS, PLAN))) == 1
        assert t.ERROR_APOLOGY not in replies  # a refusal is not an error


def test_handler_table_is_static_and_true():
    modules = [m for m, _ in HANDLER_MODULES]
    assert modules[0] is guard
    assert modules[1] is chat_status
    groups = {m.__name__: g for m, g in HANDLER_MODULES}
    assert groups["bot.handlers.guard"] == -1000
    assert groups["bot.handlers.chat_status"] == -1

    assert register_all  # the real registration runs in every offline_bot test


def test_a_wrong_group_in_the_handler_table_fails_at_start(monkeypatch):
    import pytest
    from telegram.ext import ApplicationBuilder

    from bot import handlers

    wrong = tuple((m, 7 if m is guard else g) for m, g in HANDLER_MODULES)
    monkeypatch.setattr(handlers, "HANDLER_MODULES", wrong)
    app = ApplicationBuilder().token("1:x").build()
    with pytest.raises(RuntimeError, match="bot.handlers.guard added no handler to group 7"):
        handlers.register_all(app)


async def test_changing_a_reminded_groups_plan_is_refused_to_others(sqlite_db, kb, clock):
    db = sqlite_db
    db.call(chats.set_chat_plan, GROUP_ID, PLAN, chat_type="group")
    subscribe(db, kb, GROUP_ID)
    async with offline_bot(make_settings(), kb=kb, db=db, clock=clock) as bot:
        await bot.process(bot.group("/kehoach"))
        calls = await bot.process(bot.tap(bot.last(GROUP_ID), "plan:cantho-2017"))
    toasts = [c.params for c in calls if c.method == "answerCallbackQuery"]
    assert [(p.get("text"), p.get("show_alert")) for p in toasts] == [
        (t.PLAN_CHANGE_DENIED, True)]
    assert db.call(chats.get_chat_plan, GROUP_ID) == PLAN
    assert [s.plan_id for s in db.call(rem.subscriptions_of, GROUP_ID)] == [PLAN]
