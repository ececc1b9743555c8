"""The shell's ``:`` commands, each driven by a script of lines (issue 13, item 19)."""

from __future__ import annotations

import io
import logging
import shutil

from bot.local_api import Call, save_files
from bot.local_files import real_name, slug, unique_path
from bot.shell import SHELL_GROUP_ID, SHELL_USER_ID, run_shell
from core.texts import shell as ts
from knowledge.base import DEFAULT_PLANS_DIR
from tests.support.factories import make_settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def transcript(lines, *, tmp_path, settings=None, **services) -> str:
    out = io.StringIO()
    run_shell(settings or make_settings(), stdin=io.StringIO("".join(f"{x}\n" for x in lines)),
              out=out, files_dir=tmp_path / "tep", log_path=tmp_path / "nhat-ky.log", **services)
    return out.getvalue()


def test_nguoi_switches_creates_and_lists_users_with_where_each_message_went(
        sqlite_db, kb, clock, tmp_path):
    lines = [":nguoi 2001 Lan", "/start", ":nguoi", ":nguoi 1000", ":nguoi abc", ":nguoi 2001",
             ":nhom", "/hoi Hạn báo cáo năm là ngày nào?"]
    text = transcript(lines, tmp_path=tmp_path, settings=make_settings(admin_ids=[SHELL_USER_ID]),
                      kb=kb, db=sqlite_db, clock=clock)
    assert ts.NEW_USER.format(name="Lan", id=2001, admin="") in text
    assert ts.IN_PRIVATE_OF.format(name="Lan") in text
    # the new user types in their own private chat, under their name, and the bot greets them
    assert "Lan> /start\nbot> Xin chào Lan!" in text
    assert "  (bot → riêng Lan)" in text
    # the list marks who types now and who is an admin
    listing = text.split("Lan> :nguoi\n")[1]
    assert listing.startswith(ts.USERS_HEADER + "\n  1000 Bạn — quản trị (trong ADMIN_IDS)\n"
                              "→ 2001 Lan\n")
    assert ts.NOW_USER.format(name="Bạn", id=1000, admin=ts.ADMIN_MARK) in text
    assert ts.BAD_USER in text
    # back to Lan, in the group: her prompt says so, and the answer says it went to the group
    assert "Lan (nhóm)> /hoi Hạn báo cáo năm là ngày nào?\nbot> " in text
    assert text.rstrip().endswith("  (bot → nhóm Nhóm thử)")


def test_tep_sends_a_document_and_the_files_the_bot_sends_back_are_never_overwritten(
        sqlite_db, kb, clock, tmp_path):
    plan = tmp_path / "ke hoach binh son.txt"
    shutil.copy(DEFAULT_PLANS_DIR / "binhson-2023.txt", plan)
    lines = [
        f':tep "{plan}" binhson-2023 2023', f':tep "{plan}" binhson-2023 2023',
        ":tep /khong/co/tep.docx", f":tep {tmp_path}", ":tep"]
    text = transcript(lines, tmp_path=tmp_path, settings=make_settings(admin_ids=[SHELL_USER_ID]),
                      kb=kb, db=sqlite_db, clock=clock)
    size = plan.stat().st_size
    assert ts.FILE_SENT.format(name=plan.name, size=size, mime="text/plain") in text
    assert "bot> Đang đọc “ke hoach binh son.txt” để lập bản nháp kế hoạch…" in text
    files = tmp_path / "tep"
    assert ts.FILES_DIR.format(path=files) in text.splitlines()[0]
    saved = sorted(p.name for p in files.iterdir())
    assert saved == ["binhson-2023-1.txt", "binhson-2023-1.yaml", "binhson-2023.txt",
                     "binhson-2023.yaml"]
    assert (files / "binhson-2023-1.txt").read_bytes() == (files / "binhson-2023.txt").read_bytes()
    assert f"📎 tệp binhson-2023-1.yaml — đã lưu ở {files / 'binhson-2023-1.yaml'}" in text
    assert ts.FILE_MISSING.format(path="/khong/co/tep.docx") in text
    assert ts.FILE_NOT_A_FILE.format(path=tmp_path) in text
    assert ts.FILE_USAGE in text


async def test_tep_gives_the_bot_name_mime_size_and_caption(sqlite_db, kb, clock, tmp_path):
    from bot.app import running
    from bot.shell import Shell

    sheet = tmp_path / "bao-cao.xlsx"
    sheet.write_bytes(b"PK\x03\x04sheet")
    shell = Shell(make_settings(), kb=kb, db=sqlite_db, clock=clock, out=io.StringIO(),
                  files_dir=tmp_path / "tep")
    async with running(shell.app):
        await shell.handle_line(f":tep {sheet} Báo cáo quý IV")
    sent = [m for m in shell.api.messages.values() if "document" in m][0]
    assert sent["document"]["file_name"] == "bao-cao.xlsx"
    assert sent["document"]["mime_type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert sent["document"]["file_size"] == 9
    assert sent["caption"] == "Báo cáo quý IV"
    assert shell.api.download(f"documents/{sent['document']['file_id']}") == b"PK\x03\x04sheet"


def test_traloi_replies_to_the_bots_last_message(sqlite_db, kb, clock, tmp_path):
    text = transcript([":traloi xin chào", "/start", ":traloi", ":traloi cảm ơn"],
                      tmp_path=tmp_path, kb=kb, db=sqlite_db, clock=clock)
    assert ts.NOTHING_TO_REPLY in text
    assert ts.REPLY_USAGE in text
    # a reply to the bot is for the bot: it answers (a plain "cảm ơn" would be answered too,
    # so the reply itself is checked on the Bot API side in the next test)
    assert text.split("bạn> :traloi cảm ơn\n")[1].startswith("bot> ")


async def test_traloi_message_carries_reply_to_message(sqlite_db, kb, clock, tmp_path):
    from bot.app import running
    from bot.shell import Shell

    shell = Shell(make_settings(), kb=kb, db=sqlite_db, clock=clock, out=io.StringIO(),
                  files_dir=tmp_path)
    async with running(shell.app):
        await shell.handle_line("/start")
        last_bot = max(k[1] for k, m in shell.api.messages.items()
                       if m["from"]["is_bot"] and k[0] == SHELL_USER_ID)
        await shell.handle_line(":traloi cảm ơn")
    mine = [m for m in shell.api.messages.values() if m.get("text") == "cảm ơn"]
    assert mine[0]["reply_to_message"]["message_id"] == last_bot


def test_gui_sends_a_number_as_text_while_buttons_are_shown(sqlite_db, kb, clock, tmp_path):
    text = transcript(["/kehoach", ":gui 5", ":gui", ":gui :nhom", ":khonglenh"],
                      tmp_path=tmp_path, kb=kb, db=sqlite_db, clock=clock)
    after = text.split("bạn> :gui 5\n")[1].split("bạn> ")[0]
    assert "bot (sửa tin)>" not in after  # no button was tapped
    assert "Đã chọn kế hoạch" not in after
    assert after.startswith("bot> ")  # "5" went to the bot as a message
    assert ts.SEND_USAGE in text
    assert ts.SHELL_IN_GROUP not in text  # ":nhom" was sent as text, not run
    assert ts.UNKNOWN_COMMAND.format(command=":khonglenh") in text


def test_ngay_moves_the_clock_and_the_reminder_job_runs_as_then(sqlite_db, kb, clock, tmp_path):
    lines = [":ngay", ":nhom", "/kehoach", "5", "/nhacviec", ":ngay 2026-12-03 08:00", ":ngay",
             ":ngay mai", ":ngay 04/12/2026"]
    text = transcript(lines, tmp_path=tmp_path, settings=make_settings(admin_ids=[SHELL_USER_ID]),
                      kb=kb, db=sqlite_db, clock=clock)
    assert ts.CLOCK_NOW.format(time="09:00", weekday="Chủ nhật", date="22/11/2026") in text
    moved = text.split("nhóm> :ngay 2026-12-03 08:00\n")[1].split("nhóm> ")[0]
    assert moved.startswith(ts.CLOCK_NOW.format(time="08:00", weekday="thứ Năm",
                                                date="03/12/2026"))
    # the 7-day reminder of "Báo cáo năm" (10/12/2026) reaches the group at 08:00 on 3/12
    assert "bot> " in moved
    assert "10/12/2026" in moved
    assert "  (bot → nhóm Nhóm thử)" in moved
    assert ts.JOBS_RAN.format(reminders=1, incidents=0) in moved
    # time runs on from there (the fixed clock of the test does not move)
    assert text.count(ts.CLOCK_NOW.format(time="08:00", weekday="thứ Năm",
                                          date="03/12/2026")) == 2
    assert ts.BAD_WHEN.format(value="mai") in text
    # a day alone keeps the time of day
    assert ts.CLOCK_NOW.format(time="08:00", weekday="thứ Sáu", date="04/12/2026") in text
    assert SHELL_GROUP_ID < 0


def test_log_lines_go_to_the_file_shown_at_start_not_the_terminal(sqlite_db, kb, clock,
                                                                   tmp_path):
    terminal = io.StringIO()
    handler = logging.StreamHandler(terminal)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        text = transcript(["/start"], tmp_path=tmp_path, kb=kb, db=sqlite_db, clock=clock)
        logging.getLogger("after").warning("after the shell")
    finally:
        root.removeHandler(handler)
    log = tmp_path / "nhat-ky.log"
    assert text.splitlines()[1] == ts.LOG_FILE.format(path=log)
    assert "telegram.ext.Application" in log.read_text(encoding="utf-8")  # "Application started"
    assert terminal.getvalue() == "after the shell\n"  # the terminal handler is back after
    assert "INFO" not in text


def test_files_are_saved_with_their_real_name_and_extension(tmp_path):
    chart = Call("sendPhoto", {"caption": "Tình hình nộp báo cáo — Quận 3 (2020)"},
                 files={"photo": ("application.octet-stream", PNG)})
    first = save_files(chart, tmp_path)
    second = save_files(chart, tmp_path)
    assert [p.name for p in first + second] == ["tinh-hinh-nop-bao-cao-quan-3-2020.png",
                                                "tinh-hinh-nop-bao-cao-quan-3-2020-1.png"]
    assert real_name("bao-cao.xlsx", b"PK") == "bao-cao.xlsx"
    assert real_name("application.octet-stream", b"%PDF-1.7") == "tep.pdf"
    assert slug("Đường dây nóng 111") == "duong-day-nong-111"
    assert slug("") == "anh"
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a-1.txt").write_text("x")
    assert unique_path(tmp_path, "a.txt").name == "a-2.txt"


def test_ngay_runs_the_incident_clock_as_then_to_the_coordinators_private_chat(
        sqlite_db, kb, clock, tmp_path):
    import datetime as dt

    from core.clock import VN_TZ
    from features import incidents
    from tests.support.incidents_kit import (
        COORD,
        OFFICER_ACTOR,
        PLANTED_MARK,
        cipher,
        draft,
        seed_roles,
    )

    logged = dt.datetime(2026, 11, 22, 21, 10, tzinfo=VN_TZ)
    seed_roles(sqlite_db, logged)
    number = sqlite_db.call(incidents.create, OFFICER_ACTOR, cipher(), draft(urgency="urgent"),
                            source_chat_id=1001, source_message_id=1, now=logged).number
    text = transcript([f":nguoi {COORD} Điều phối", ":rieng", ":ngay 2026-11-23 03:15"],
                      tmp_path=tmp_path, kb=kb, db=sqlite_db, clock=clock)
    moved = text.split(":ngay 2026-11-23 03:15\n")[1]
    assert number in moved
    assert "  (bot → riêng Điều phối)" in moved
    assert ts.JOBS_RAN.format(reminders=0, incidents=1) in moved
    assert PLANTED_MARK not in text
    assert PLANTED_MARK not in (tmp_path / "nhat-ky.log").read_text()


def test_every_role_in_one_shell_an_officer_registers_and_the_admin_approves(
        sqlite_db, kb, clock, tmp_path):
    lines = [":nguoi 1001 Lan", "/dangky", "5", "7", "1", "/toi"]
    text = transcript(lines, tmp_path=tmp_path, settings=make_settings(admin_ids=[SHELL_USER_ID]),
                      kb=kb, db=sqlite_db, clock=clock)
    request = text.split("Lan> 7\n")[1].split("Lan> ")[0]
    assert "  (bot → riêng Lan)" in request
    assert "Lan (mã 1001) xin làm cán bộ của Phòng Y tế" in request
    assert "  (bot → riêng Bạn)\n  [1] ✅ Duyệt" in request  # the admin's private chat
    tapped = text.split("Lan> 1\n")[1].split("Lan> ")[0]
    assert tapped.startswith(ts.TAP_AS.format(name="Bạn") + "\n")  # the owner of the chat taps
    assert "Đã duyệt yêu cầu #1" in tapped
    assert "• Cán bộ — Phòng Y tế, Quận 3 (2020): đã được duyệt" in text.split("Lan> /toi\n")[1]


def test_the_chart_of_tinhhinh_is_saved_as_a_png_named_from_its_caption_twice(
        sqlite_db, kb, clock, tmp_path):
    text = transcript(["/kehoach", "5", "/tinhhinh", "/tinhhinh"], tmp_path=tmp_path,
                      settings=make_settings(admin_ids=[SHELL_USER_ID]), kb=kb, db=sqlite_db,
                      clock=clock)
    files = tmp_path / "tep"
    name = "tinh-hinh-nop-bao-cao-quan-3-2020"
    first, second = files / f"{name}.png", files / f"{name}-1.png"
    assert first.read_bytes().startswith(b"\x89PNG")
    assert second.read_bytes() == first.read_bytes()
    assert f"bot> 🖼 ảnh — đã lưu ở {second}" in text
