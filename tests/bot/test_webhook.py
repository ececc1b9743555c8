"""The webhook server: the secret before the body, 413 unread, 400 once, replays, /healthz."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot.app import build_application, running
from bot.webhook import MAX_BODY_BYTES, WebhookServer
from core.settings import Settings
from tests.support.emulator import TOKEN, BotApiEmulator
from tests.support.factories import USER_ID, make_settings, private_chat, user

SECRET = "s3cret-token"
LAN = user()


async def _request(port: int, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send ``head`` (and ``body``); return the status and body of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode("latin-1") + b"\r\n" + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.close()
    status_line, _, rest = raw.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def _post(length: int, *, secret: str | None = SECRET, path: str = "/hook") -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: bot", "Content-Type: application/json",
             f"Content-Length: {length}", "Connection: close"]
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
async def served(sqlite_db, kb, clock):
    async with BotApiEmulator() as emu:
        settings = make_settings(telegram_bot_token=TOKEN, telegram_base_url=emu.base_url,
                                 telegram_base_file_url=emu.base_file_url)
        app = build_application(settings, kb=kb, db=sqlite_db, clock=clock)
        async with running(app):
            server = WebhookServer(app, path="hook", secret=SECRET)
            port = await server.start("127.0.0.1", 0)
            try:
                yield emu, server, port
            finally:
                await server.stop()


def test_listens_on_loopback_by_default():
    assert Settings(_env_file=None).webhook_listen == "127.0.0.1"


@pytest.mark.parametrize("secret", [None, "wrong"])
async def test_no_secret_is_refused_before_the_body_is_read(served, secret):
    emu, server, port = served
    # a 100 MB body announced and never sent: the answer comes without waiting for it
    status, _ = await asyncio.wait_for(_request(port, _post(100 << 20, secret=secret)), 5)
    assert status == 403
    assert emu.api.sent_messages(USER_ID) == []


async def test_an_oversize_body_with_the_secret_gets_413_unread(served):
    emu, server, port = served
    status, _ = await asyncio.wait_for(_request(port, _post(MAX_BODY_BYTES + 1)), 5)
    assert status == 413


async def test_malformed_json_gets_400_and_one_log_line(served, caplog):
    emu, server, port = served
    caplog.set_level(logging.DEBUG)
    body = b'{"update_id": 5, "message": {"text": "Nguy\xe1\xbb\x85n V\xc4\x83n An"'
    status, _ = await _request(port, _post(len(body)), body)
    assert status == 400
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1
    assert lines[0].name == "bot.webhook"
    assert lines[0].exc_info is None
    assert "Nguyễn" not in caplog.text


async def test_an_update_is_answered_once_and_a_replay_is_only_acknowledged(served):
    emu, server, port = served
    update = emu.api.user_message(private_chat(), LAN, "/start")
    body = json.dumps(update).encode()
    status, _ = await _request(port, _post(len(body)), body)
    assert status == 200
    assert len(emu.api.sent_messages(USER_ID)) == 1  # answered before the 200
    status, _ = await _request(port, _post(len(body)), body)  # Telegram re-posts it
    assert status == 200
    assert len(emu.api.sent_messages(USER_ID)) == 1
    assert server.application.replayed == 1


async def test_healthz_and_other_paths(served):
    emu, server, port = served
    assert await _request(port, "GET /healthz HTTP/1.1\r\nConnection: close\r\n") == (200, b"ok")
    status, _ = await _request(port, _post(2, path="/other"), b"{}")
    assert status == 404
    status, _ = await _request(port, "GET /hook HTTP/1.1\r\nConnection: close\r\n")
    assert status == 405


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(s for s in status if s.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def _push_body(port: int, size: int) -> tuple[int | None, int]:
    """POST ``size`` bytes without the secret, really sent (1 MB at a time, one buffer
    reused); returns the status (None if the server hung up first) and the bytes written."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    chunk = b"x" * (1 << 20)
    written = 0
    try:
        writer.write(_post(size, secret=None).encode("latin-1") + b"\r\n")
        while written < size:
            writer.write(chunk)
            await writer.drain()
            written += len(chunk)
    except (ConnectionError, OSError):
        pass
    try:
        raw = await asyncio.wait_for(reader.read(), timeout=10)
        status = int(raw.split(b" ", 2)[1]) if raw else None
    except (ConnectionError, OSError):
        status = None
    finally:
        writer.close()
    return status, written


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/status"), reason="Linux /proc")
async def test_memory_stays_flat_under_100_mb_unauthenticated_bodies(served):
    emu, server, port = served
    await _push_body(port, 1 << 20)  # warm-up: the first connection's buffers
    before = _rss_mb()
    results = await asyncio.gather(*(_push_body(port, 100 << 20) for _ in range(6)))
    grown = _rss_mb() - before
    sent = sum(n for _, n in results) >> 20
    print(f"RSS {before:.0f} MB -> {before + grown:.0f} MB; {sent} MB written by the clients")
    assert all(status in (403, None) for status, _ in results)
    assert grown < 20, f"RSS grew by {grown:.0f} MB under 6 x 100 MB bodies"
    assert emu.api.sent_messages(USER_ID) == []
