"""``kehoach shell``: a scripted session (stdin in, transcript out) through the real handlers."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.app import running
from bot.shell import SHELL_USER_ID, Shell, run_shell
from core.texts import common as t
from storage.chats import get_chat_plan
from tests.support.factories import TEST_INCIDENT_KEY, make_settings

ROOT = Path(__file__).resolve().parents[2]


def transcript(lines: list[str], **services) -> str:
    out = io.StringIO()
    run_shell(make_settings(), stdin=io.StringIO("".join(f"{x}\n" for x in lines)), out=out,
              **services)
    return out.getvalue()


def test_scripted_session_start_plan_question_and_group(sqlite_db, kb, clock):
    lines = ["/start", "/kehoach", "5", "Ai chủ trì tổ chức Tháng hành động vì trẻ em?", "9",
             "/khonglenh", ":nhom", "xin chào mọi người", "/hoi Hạn báo cáo năm là ngày nào?",
             ":thoat", "/start"]
    text = transcript(lines, kb=kb, db=sqlite_db, clock=clock)
    blocks = text.split(t.SHELL_PROMPT)
    assert blocks[1].startswith("/start\nbot> Xin chào Bạn!")
    assert "  [1] 📋 Chọn kế hoạch" in blocks[1]
    # /kehoach numbers the plans; typing 5 taps the fifth button
    fifth = [x for x in blocks[2].splitlines() if x.startswith("  [5] ")][0]
    assert fifth == "  [5] Quận 3 (2020)"
    assert "bot (thông báo)> Đã chọn." in blocks[3]
    assert "bot (sửa tin)> Đã chọn kế hoạch: " in blocks[3]
    assert "(Quận 3, 2020)" in blocks[3]
    assert sqlite_db.call(get_chat_plan, SHELL_USER_ID) == "quan3-2020"
    # the question is answered by the engine, narrowed to the chosen plan, with its source
    assert "Nguồn: Kế hoạch Quận 3 2020 “" in blocks[4]
    assert blocks[5] == "9\n" + t.SHELL_NO_BUTTON.format(number=9) + "\n"
    assert t.UNKNOWN_COMMAND.format(command="/khonglenh") in text
    group = text.split(t.SHELL_PROMPT_GROUP)
    assert t.GROUP_WELCOME in group[0]
    assert "bot>" not in group[1]  # chatter in a group is not for the bot
    assert group[2].startswith("/hoi Hạn báo cáo năm là ngày nào?\nbot> ")
    assert text.count("Xin chào Bạn!") == 1  # nothing after :thoat


async def test_documents_the_bot_sends_are_saved_and_named(sqlite_db, kb, clock, tmp_path):
    out = io.StringIO()
    shell = Shell(make_settings(), kb=kb, db=sqlite_db, clock=clock, out=out,
                  files_dir=tmp_path)
    async with running(shell.app):
        await shell.handle_line("/start")
        await shell.app.bot.send_document(SHELL_USER_ID, document=b"PK-data",
                                          filename="bao-cao.xlsx", caption="Báo cáo <quý>")
    assert (tmp_path / "bao-cao.xlsx").read_bytes() == b"PK-data"
    shown = out.getvalue()
    assert f"📎 tệp bao-cao.xlsx — đã lưu ở {tmp_path / 'bao-cao.xlsx'}" in shown
    assert "Báo cáo <quý>" in shown


def test_kehoach_run_without_token_starts_the_shell(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "INCIDENT"))}
    env.update(TELEGRAM_BOT_TOKEN="", DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'k.db'}",
               INCIDENT_KEY=TEST_INCIDENT_KEY)  # incidents refuse to start without a key
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], input="/start\n/trogiup\n", text=True,
        capture_output=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "kehoach shell" in result.stderr
    assert "bot> Xin chào Bạn!" in result.stdout
    assert "/kehoach — Chọn kế hoạch cho cuộc trò chuyện này" in result.stdout
    assert (tmp_path / "data" / "k.db").exists()
