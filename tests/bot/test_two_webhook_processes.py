"""Two real ``kehoach run --webhook`` processes on one PostgreSQL behind a round-robin proxy.

Everything on 127.0.0.1: the Bot API emulator, the two bot processes (each its own port) and
a small HTTP proxy written here that sends each request to the next process in turn, as a load
balancer would. The test plays Telegram: it posts each update (with the secret) to the proxy,
so the steps of one /baocao, one /dangky and one /suvu alternate between the processes, and a
``/kehoach`` choice made through one is seen through the other. Skipped without PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database
from tests.support.emulator import TOKEN, BotApiEmulator
from tests.support.factories import TEST_INCIDENT_KEY, private_chat, user
from tests.support.reports_kit import ADMIN, COORD, OFFICER, seed_roles

ROOT = Path(__file__).resolve().parents[2]
SECRET = "two-processes-secret"
NEW = 5005  # registers with /dangky
pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _read_http(reader: asyncio.StreamReader) -> bytes:
    """One HTTP/1.1 message (head and Content-Length body), as bytes."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    return head + (await reader.readexactly(length) if length else b"")


class RoundRobinProxy:
    """Forwards each request to the next backend port in turn; counts who served what."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self._next = itertools.cycle(range(len(ports)))
        self.served: list[int] = []  # the backend index of each request, in order
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await _read_http(reader)
            index = next(self._next)
            self.served.append(index)
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.ports[index])
            try:
                up_writer.write(request)
                await up_writer.drain()
                writer.write(await _read_http(up_reader))
                await writer.drain()
            finally:
                up_writer.close()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


async def _post(port: int, update: dict) -> int:
    """Post ``update`` as Telegram would (with the secret); the status once it is processed."""
    body = json.dumps(update).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (f"POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
             f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: {len(body)}\r\n"
             "Connection: close\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await asyncio.wait_for(_read_http(reader), timeout=30)
    finally:
        writer.close()
    return int(raw.split(b" ", 2)[1])


async def _healthy(port: int, child: subprocess.Popen, within: float = 60) -> None:
    for _ in range(int(within * 10)):
        if child.poll() is not None:
            raise RuntimeError(f"kehoach run --webhook exited with {child.returncode}")
        with contextlib.suppress(OSError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n")
            await writer.drain()
            raw = await reader.read()
            writer.close()
            if raw.startswith(b"HTTP/1.1 200"):
                return
        await asyncio.sleep(0.1)
    raise TimeoutError("the webhook process did not start")


@contextlib.asynccontextmanager
async def two_processes(db_url: str, tmp_path: Path
                        ) -> AsyncIterator[tuple[BotApiEmulator, RoundRobinProxy]]:
    async with BotApiEmulator() as emu:
        ports = [_free_port(), _free_port()]
        proxy = RoundRobinProxy(ports)
        await proxy.start()
        children: list[subprocess.Popen] = []
        log = (tmp_path / "bots.log").open("w")
        try:
            for n, port in enumerate(ports):
                env = {
                    "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
                    "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": emu.base_url,
                    "TELEGRAM_BASE_FILE_URL": emu.base_file_url, "DATABASE_URL": db_url,
                    "WEBHOOK_URL": f"http://127.0.0.1:{proxy.port}/hook",
                    "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": "127.0.0.1",
                    "WEBHOOK_PORT": str(port), "ADMIN_IDS": str(ADMIN),
                    "INCIDENT_KEY": TEST_INCIDENT_KEY, "REMINDER_HOUR": "23",
                    "FILES_DIR": str(tmp_path / f"files{n}"), "LOG_LEVEL": "WARNING",
                }
                children.append(subprocess.Popen(  # noqa: ASYNC220 - never waited on here
                    [sys.executable, "-m", "bot", "run", "--webhook"], cwd=tmp_path, env=env,
                    stdout=log, stderr=subprocess.STDOUT))
            for port, child in zip(ports, children, strict=True):
                await _healthy(port, child)
            yield emu, proxy
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            log.close()
            await proxy.stop()


def _buttons(message: dict) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def _data(message: dict, label_start: str) -> str:
    return next(d for text, d in _buttons(message) if text.startswith(label_start))


class Person:
    """A user acting through the proxy (each action: one request, the next process)."""

    def __init__(self, emu: BotApiEmulator, proxy: RoundRobinProxy, uid: int) -> None:
        self.emu, self.proxy, self.uid = emu, proxy, uid
        self.who = user(uid, "Cán bộ")
        emu.api.remember_chat(private_chat(uid, "Cán bộ"))

    async def say(self, text: str) -> None:
        update = self.emu.api.user_message(private_chat(self.uid, "Cán bộ"), self.who, text)
        assert await _post(self.proxy.port, update) == 200

    async def tap(self, message: dict, data: str) -> None:
        update = self.emu.api.callback_tap(self.uid, message["message_id"], self.who, data)
        assert await _post(self.proxy.port, update) == 200

    def last(self) -> dict:
        return self.emu.api.sent_messages(self.uid)[-1]

    def now(self, message: dict) -> dict:
        """``message`` as it is now (after edits)."""
        return self.emu.api.messages[(self.uid, message["message_id"])]


def _text(message: dict) -> str:
    from bot.render import plain_text

    return plain_text(message.get("text") or "")


async def test_steps_alternate_between_two_webhook_processes(db_url, tmp_path):
    if not db_url.startswith("postgresql"):
        pytest.skip("several webhook processes share a PostgreSQL")
    import datetime as dt

    db = Database(db_url)
    db.upgrade()
    seed_roles(db, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    async with two_processes(db_url, tmp_path) as (emu, proxy):
        emu.api.remember_chat(private_chat(COORD, "Cán bộ"))
        emu.api.remember_chat(private_chat(ADMIN, "Cán bộ"))
        officer = Person(emu, proxy, OFFICER)

        # /baocao: the menu from one process, each later step from the other one
        await officer.say("/baocao")
        menu = officer.last()
        await officer.tap(menu, _data(menu, "⚡"))
        await officer.say("Nội dung gửi qua hai tiến trình")
        preview = officer.last()
        assert "Nội dung gửi qua hai tiến trình" in _text(preview)
        await officer.tap(preview, _data(preview, "✅"))
        receipts = [m for m in emu.api.sent_messages(OFFICER) + [officer.now(preview)]
                    if _text(m).startswith("Đã nhận báo cáo")]
        assert receipts

        # /dangky: the plan tapped on one process, the unit typed to the other
        newcomer = Person(emu, proxy, NEW)
        await newcomer.say("/dangky")
        plans = newcomer.last()
        await newcomer.tap(plans, _data(plans, "Quận 3 (2020)"))
        await newcomer.say("tu phap")
        assert _text(newcomer.last()).startswith(
            "Đã gửi yêu cầu đăng ký làm cán bộ của Phòng Tư pháp, Quận 3 (2020).")

        # /suvu: thirteen steps, alternating
        await officer.say("/suvu")
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await officer.tap(officer.last(), data)
        await officer.say("p.5")
        for data in ("sv:f:date:yesterday", "sv:f:sex:female", "sv:f:age:6-10",
                     "sv:f:perp:step_parent"):
            await officer.tap(officer.last(), data)
        await officer.say("Hàng xóm báo tin qua hai tiến trình")
        actions = officer.last()
        for data in ("sv:f:actions:police", "sv:f:actions:done"):
            await officer.tap(actions, data)
        await officer.tap(officer.last(), "sv:f:urgency:urgent")
        confirm = officer.last()
        assert "Công an" in _text(confirm)
        await officer.tap(confirm, "sv:ok")
        assert "Đã lưu sự vụ SV-" in _text(officer.now(confirm))

        # /kehoach chosen through one process, seen by both (each read the chat's plan before)
        for _ in range(2):
            await officer.say("/han")
            assert "Cần Thơ" not in _text(officer.last())  # the officer's own plan, Quận 3
        await officer.say("/kehoach")
        await officer.tap(officer.last(), "plan:cantho-2017")
        seen = []
        for _ in range(2):
            await officer.say("/han")
            seen.append(_text(officer.last()))
        assert all("Cần Thơ" in s for s in seen), seen

    served = Counter(proxy.served)
    assert served[0] == served[1] == 13  # every other update to each process
    assert all(a != b for a, b in itertools.pairwise(proxy.served))
    from sqlmodel import func, select

    from storage.models import Incident, Registration, SubmissionVersion

    with db.unit_of_work() as s:
        assert s.exec(select(func.count()).select_from(SubmissionVersion)).one() == 1
        assert s.exec(select(func.count()).select_from(Incident)).one() == 1
        assert s.exec(select(func.count()).select_from(Registration).where(
            Registration.telegram_id == NEW)).one() == 1
    db.dispose()
    log = (tmp_path / "bots.log").read_text()
    assert "Traceback" not in log
    assert "Nội dung gửi qua hai tiến trình" not in log
