"""The error handler and a chat's life: apology, Forbidden, migration, membership, menu failure."""

from __future__ import annotations

import logging

import pytest

from bot.local_api import BotApiError, forbidden, migrated
from core.texts import common as t
from storage.chats import get_chat, get_chat_plan, set_chat_plan
from tests.support.factories import (
    GROUP_ID,
    USER_ID,
    group_chat,
    make_settings,
    offline_bot,
    text_of,
)

SECRET_QUESTION = "Em Nguyễn Văn A, 9 tuổi, bị bạo hành ở đâu?"


def broken_engine(kb, question, *, today, plan_id):
    raise RuntimeError("engine exploded")


async def test_failure_apologises_and_logs_update_id_but_not_the_text(
    sqlite_db, kb, clock, caplog
):
    caplog.set_level(logging.INFO)
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock,
                           answer=broken_engine) as bot:
        update = bot.private(SECRET_QUESTION)
        await bot.process(update)
        assert text_of(bot.last(USER_ID)) == t.ERROR_APOLOGY
    failures = [r for r in caplog.records if r.name == "bot.errors"]
    assert len(failures) == 1
    assert f"update {update.update_id} failed: RuntimeError" in failures[0].getMessage()
    assert failures[0].exc_info is None  # the traceback is in the message, without messages
    assert "broken_engine" in failures[0].getMessage()
    assert "builtins.RuntimeError (message hidden)" in failures[0].getMessage()
    assert all("Nguyễn Văn A" not in r.getMessage() for r in caplog.records)


async def test_forbidden_in_group_deactivates_the_chat_and_keeps_its_plan(sqlite_db, kb, clock):
    sqlite_db.call(set_chat_plan, GROUP_ID, "quan3-2020", chat_type="group")
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        bot.api.fail("sendMessage", forbidden(), chat_id=GROUP_ID, times=5)
        calls = await bot.process(bot.group("/kehoach"))
    assert calls == []  # no apology attempted where the bot may not write
    row = sqlite_db.call(get_chat, GROUP_ID)
    assert row.active is False
    assert row.plan_id == "quan3-2020"


async def test_send_to_upgraded_group_moves_its_settings(sqlite_db, kb, clock):
    sqlite_db.call(set_chat_plan, GROUP_ID, "cantho-2017", chat_type="group")
    new_id = -1009999
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        bot.api.fail("sendMessage", migrated(new_id), chat_id=GROUP_ID)
        await bot.process(bot.group("/han"))
    assert sqlite_db.call(get_chat_plan, new_id) == "cantho-2017"
    assert sqlite_db.call(get_chat, GROUP_ID) is None


@pytest.mark.parametrize("field", ["migrate_to_chat_id", "migrate_from_chat_id"])
async def test_migration_service_messages_move_settings(sqlite_db, kb, clock, field):
    old_id, new_id = GROUP_ID, -1007777
    sqlite_db.call(set_chat_plan, old_id, "ducpho-2023", chat_type="group")
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        if field == "migrate_to_chat_id":
            update = bot.service(group_chat(old_id), {field: new_id})
        else:
            update = bot.service(group_chat(new_id, kind="supergroup"), {field: old_id})
        await bot.process(update)
        await bot.process(bot.group("/start", chat=group_chat(new_id, kind="supergroup")))
        assert "ducpho" not in text_of(bot.last(new_id))
        assert "Đức Phổ" in text_of(bot.last(new_id))
    assert sqlite_db.call(get_chat_plan, new_id) == "ducpho-2023"


async def test_bot_removed_then_added_back_keeps_the_group_plan(sqlite_db, kb, clock):
    sqlite_db.call(set_chat_plan, GROUP_ID, "binhson-2023", chat_type="group")
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        await bot.process(bot.group("/start"))
        assert "Bình Sơn" in text_of(bot.last(GROUP_ID))
        await bot.process(bot.membership(group_chat(), "member", "kicked"))
        assert sqlite_db.call(get_chat_plan, GROUP_ID) is None  # inactive
        await bot.process(bot.membership(group_chat(), "left", "member"))
        assert text_of(bot.last(GROUP_ID)) == t.GROUP_WELCOME
        await bot.process(bot.group("/start"))
        assert "Bình Sơn" in text_of(bot.last(GROUP_ID))
    assert sqlite_db.call(get_chat_plan, GROUP_ID) == "binhson-2023"


async def test_a_migrated_group_is_not_answered_from_a_stale_plan(sqlite_db, kb, clock):
    new_id = -1005555
    sqlite_db.call(set_chat_plan, GROUP_ID, "quan3-2020", chat_type="group")
    sqlite_db.call(set_chat_plan, new_id, "cantho-2017", chat_type="supergroup")
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        new_chat = group_chat(new_id, kind="supergroup")
        await bot.process(bot.group("/start", chat=new_chat))  # cached: Cần Thơ
        await bot.process(bot.group("/start"))  # cached: Quận 3
        await bot.process(bot.service(group_chat(), {"migrate_to_chat_id": new_id}))
        await bot.process(bot.group("/start", chat=new_chat))
        assert "Cần Thơ" in text_of(bot.last(new_id))  # the new chat's own settings win
        await bot.process(bot.group("/start"))
        assert "Quận 3" not in text_of(bot.last(GROUP_ID))  # the old id has no settings now


async def test_command_menu_failure_does_not_stop_the_bot(sqlite_db, kb, clock, caplog):
    from bot.app import build_application, running
    from bot.local_api import LocalBotApi, LocalRequest
    from tests.support.factories import OfflineBot

    api = LocalBotApi()
    api.fail("setMyCommands", BotApiError(500, "Internal Server Error"))
    app = build_application(make_settings(), kb=kb, db=sqlite_db, clock=clock,
                            request=LocalRequest(api), rate_limit=False)
    async with running(app):
        bot = OfflineBot(app, api)
        await bot.process(bot.private("/start"))
        assert text_of(bot.last()).startswith("Xin chào")
    assert any("command menu not registered" in r.getMessage() for r in caplog.records)
