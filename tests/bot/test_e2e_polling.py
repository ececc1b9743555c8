"""End to end over HTTP: the real Application long-polls the local Bot API emulator.

Covers /start, a question in a private chat, button taps, a group command, and a restart in the
middle: the chat's plan survives (same database) and no update is processed twice (offsets).
Also the transport's robustness: flood control (429) and a gateway error are retried. (The
webhook server: ``tests/test_webhook.py``.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.local_api import BotApiError
from bot.render import plain_text
from tests.support.emulator import TOKEN, BotApiEmulator
from tests.support.factories import (
    GROUP_ID,
    USER_ID,
    group_chat,
    make_settings,
    private_chat,
    user,
)

LAN = user()
ROOT = Path(__file__).resolve().parents[2]


def settings_for(emu: BotApiEmulator, **more):
    return make_settings(telegram_bot_token=TOKEN, telegram_base_url=emu.base_url,
                         telegram_base_file_url=emu.base_file_url, **more)


def text(message: dict) -> str:
    return plain_text(message["text"])


def data_of(message: dict) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


def replies_to(emu: BotApiEmulator, chat_id: int) -> dict[int, int]:
    """How many bot messages quote each user message of the chat."""
    counts: dict[int, int] = {}
    for m in emu.api.sent_messages(chat_id):
        if "reply_to_message" in m:
            replied = m["reply_to_message"]["message_id"]
            counts[replied] = counts.get(replied, 0) + 1
    return counts


async def test_polling_conversation_survives_a_restart(sqlite_db, kb, clock):
    async with BotApiEmulator() as emu:
        settings = settings_for(emu)
        first = build_application(settings, kb=kb, db=sqlite_db, clock=clock)
        async with running(first, polling=True, poll_timeout=5):
            await emu.send(private_chat(), LAN, "/start")
            (menu,) = await emu.wait_for_replies(USER_ID, 1)
            assert text(menu).startswith("Xin chào Lan!")
            assert {c["command"] for c in emu.api.commands} >= {"start", "hoi", "kehoach", "han"}

            await emu.tap(USER_ID, menu["message_id"], "menu:plans", LAN)
            listing = (await emu.wait_for_replies(USER_ID, 2))[-1]
            assert "plan:quan3-2020" in data_of(listing)
            await emu.tap(USER_ID, listing["message_id"], "plan:quan3-2020", LAN)
            await emu.wait_for(lambda calls: any(c.method == "editMessageText" for c in calls))
            assert "Đã chọn kế hoạch" in text(emu.api.messages[(USER_ID, listing["message_id"])])

            await emu.send(private_chat(), LAN, "Ai chủ trì tổ chức Tháng hành động vì trẻ em?")
            answer = (await emu.wait_for_replies(USER_ID, 3))[-1]
            assert "Nguồn: " in text(answer)
            assert "Quận 3" in text(answer)

            await emu.send(group_chat(), LAN, "/hoi@kehoach_bot Hạn báo cáo năm là ngày nào?")
            (group_answer,) = await emu.wait_for_replies(GROUP_ID, 1)
            assert group_answer["reply_to_message"]["text"].startswith("/hoi@kehoach_bot")

        # the bot is down: a user asks anyway
        down = await emu.send(private_chat(), LAN, "/han")
        assert emu.pending() == [down["update_id"]]

        second = build_application(settings, kb=kb, db=sqlite_db, clock=clock)
        async with running(second, polling=True, poll_timeout=5):
            deadlines = (await emu.wait_for_replies(USER_ID, 4))[-1]
            assert "Quận 3" in text(deadlines).splitlines()[0]  # the plan survived
            await emu.send(private_chat(), LAN, "/start")
            again = (await emu.wait_for_replies(USER_ID, 5))[-1]
            assert "Quận 3" in text(again)

    assert len(emu.delivered) == len(set(emu.delivered)) == 7
    assert emu.pending() == []
    assert all(n == 1 for n in replies_to(emu, GROUP_ID).values())
    assert len(emu.api.sent_messages(USER_ID)) == 5


# PTB's AIORateLimiter reads RetryAfter.retry_after, deprecated as an int since PTB 22.2.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_control_and_gateway_errors_are_retried(sqlite_db, kb, clock):
    async with BotApiEmulator() as emu:
        app = build_application(settings_for(emu), kb=kb, db=sqlite_db, clock=clock)
        async with running(app, polling=True, poll_timeout=5):
            emu.fail("sendMessage", emu.too_many_requests(1), chat_id=USER_ID)
            emu.fail("sendMessage", BotApiError(502, "Bad Gateway"),
                     chat_id=USER_ID)
            await emu.send(private_chat(), LAN, "/start")
            (menu,) = await emu.wait_for_replies(USER_ID, 1, within=15)
    assert text(menu).startswith("Xin chào")
    assert emu.requests.count("sendMessage") == 3  # 429, then 502, then delivered




# --- Telegram unreachable at start (issue 13, item 12) ----------------------------------------


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on (connections to it are refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_the_bot_waits_for_a_bot_api_that_comes_up_late_and_logs_once(
        sqlite_db, kb, clock, caplog):
    import asyncio
    import logging

    from bot.startup import wait_for_bot_api

    port = free_port()
    emu = BotApiEmulator()
    settings = make_settings(telegram_bot_token=TOKEN,
                             telegram_base_url=f"http://127.0.0.1:{port}/bot",
                             telegram_base_file_url=f"http://127.0.0.1:{port}/file/bot")
    app = build_application(settings, kb=kb, db=sqlite_db, clock=clock)
    stop = asyncio.Event()
    tries: list[float] = []

    def counting_clock() -> float:  # called once at the start and once per failed try
        tries.append(0.0)
        return float(len(tries))  # one "second" per call: never a minute, one log line

    with caplog.at_level(logging.INFO, logger="bot.startup"):
        waiting = asyncio.create_task(wait_for_bot_api(
            app.bot, stop, first_delay=0.02, max_delay=0.05, clock=counting_clock))
        for _ in range(500):  # refused, again and again (bounded)
            if len(tries) >= 6:
                break
            await asyncio.sleep(0.01)
        assert not waiting.done()
        await emu.start(port)  # the line comes back
        try:
            assert await asyncio.wait_for(waiting, 10) is True
            async with running(app, polling=True, poll_timeout=5):
                await emu.send(private_chat(), LAN, "/start")
                (menu,) = await emu.wait_for_replies(USER_ID, 1, within=15)
        finally:
            await emu.stop()
    assert text(menu).startswith("Xin chào Lan!")
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1  # 6 tries or more, one line
    assert TOKEN not in caplog.text
    assert any("reachable again" in r.getMessage() for r in caplog.records)


async def test_a_stop_during_the_wait_ends_it(sqlite_db, kb, clock):
    import asyncio

    from bot.startup import wait_for_bot_api

    port = free_port()
    settings = make_settings(telegram_bot_token=TOKEN,
                             telegram_base_url=f"http://127.0.0.1:{port}/bot")
    app = build_application(settings, kb=kb, db=sqlite_db, clock=clock)
    stop = asyncio.Event()
    waiting = asyncio.create_task(wait_for_bot_api(app.bot, stop, first_delay=30))
    await asyncio.sleep(0.2)
    stop.set()  # SIGTERM while Telegram is unreachable
    assert await asyncio.wait_for(waiting, 5) is False


async def test_kehoach_run_started_while_telegram_is_down_comes_up_and_answers(tmp_path):
    """The real ``kehoach run`` process: the emulator refuses connections until the bot has
    said it is waiting, then comes up; the bot answers without anyone restarting it."""
    import asyncio
    import os
    import signal
    import subprocess
    import sys

    from tests.support.factories import TEST_INCIDENT_KEY

    port = free_port()
    log = tmp_path / "bot.log"
    env = {**{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")},
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": f"http://127.0.0.1:{port}/bot",
           "TELEGRAM_BASE_FILE_URL": f"http://127.0.0.1:{port}/file/bot",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "INCIDENT_KEY": TEST_INCIDENT_KEY,
           "FILES_DIR": str(tmp_path / "files"), "LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT)}
    with log.open("w") as out:
        child = subprocess.Popen(  # noqa: ASYNC220 - never waited on while the loop runs
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    emu = BotApiEmulator()
    try:
        for _ in range(1200):  # until the bot says it is waiting (bounded: 60 s)
            if "unreachable" in log.read_text(errors="replace") or child.poll() is not None:
                break
            await asyncio.sleep(0.05)
        assert child.poll() is None, log.read_text(errors="replace")
        await emu.start(port)
        await emu.send(private_chat(), LAN, "/start")
        (menu,) = await emu.wait_for_replies(USER_ID, 1, within=60)
        assert text(menu).startswith("Xin chào Lan!")
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        await emu.stop()
    output = log.read_text(errors="replace")
    assert output.count("Bot API unreachable") == 1, output
    assert "Traceback" not in output
    assert TOKEN not in output


async def test_the_engine_is_built_after_the_start_not_before_the_reminders(sqlite_db, kb, clock):
    import asyncio

    from bot.context import services_of

    async with BotApiEmulator() as emu:
        app = build_application(settings_for(emu), kb=kb, db=sqlite_db, clock=clock)
        answerer = services_of(app).answer
        assert answerer._engine is None  # not built by build_application: start-up is faster
        async with running(app, polling=True, poll_timeout=5, catch_up=True):
            for _ in range(600):  # built on a worker thread after the start (bounded: 60 s)
                if answerer._engine is not None:
                    break
                await asyncio.sleep(0.1)
            assert answerer._engine is not None
            assert answerer._engine.kb is kb
            await emu.send(private_chat(), LAN, "Ai chủ trì tổ chức Tháng hành động vì trẻ em?")
            (answer,) = await emu.wait_for_replies(USER_ID, 1, within=15)
    assert "Nguồn: " in text(answer)
