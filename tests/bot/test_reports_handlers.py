"""/baocao, /huy, /tinhhinh, /xuat, /xembaocao through the real application."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from bot.handlers import conversation
from core.texts import reports as t
from features import reports
from storage import audit, conversations
from storage.files import path_for
from tests.support.factories import buttons_of, group_chat, make_settings, text_of
from tests.support.reports_kit import (
    COORD,
    OFFICER,
    OFFICER_GDDT,
    PLAN,
    STRANGER,
    FilesBotApi,
    person,
    reports_bot,
    seed_roles,
)

# 22/11/2026 09:00 in Asia/Ho_Chi_Minh, as a spreadsheet holds it (no time zone).
LOCAL_NOON = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).replace(tzinfo=None)
YEAR = "Báo cáo năm kết quả thực hiện kế hoạch"


@pytest.fixture
def settings(tmp_path):
    return make_settings(admin_ids=[3001], files_dir=tmp_path / "files", max_file_mb=1)


@pytest.fixture
async def bot(sqlite_db, kb, clock, settings):
    seed_roles(sqlite_db, now=clock.now())
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as b:
        yield b


def _data(message, label_start: str) -> str:
    return next(d for text, d in buttons_of(message) if text.startswith(label_start))


async def _to_content(bot, who=None) -> dict:
    """/baocao, then the year report's button: the bot now waits for the content."""
    await bot.process(bot.private("/baocao", who=who))
    menu = bot.last()
    await bot.process(bot.tap(menu, _data(menu, YEAR), who=who))
    return menu


async def _preview(bot, text: str, who=None) -> dict:
    await _to_content(bot, who)
    await bot.process(bot.private(text, who=who))
    return bot.last()


def _reports(db) -> list[reports.ReportView]:
    with db.unit_of_work() as s:
        return reports.list_reports(s, plan_id=PLAN)


# --- the happy path --------------------------------------------------------------------------


async def test_content_step_states_the_limit_with_thousands_separators(sqlite_db, kb, clock,
                                                                       settings):
    """Issue 13 (wording): "tối đa 4.000 ký tự", never "4000"."""
    seed_roles(sqlite_db, now=clock.now())
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as bot:
        await bot.process(bot.private("/baocao"))
        menu = bot.last()
        await bot.process(bot.tap(menu, _data(menu, YEAR)))
        asked = text_of(bot.api.messages[(OFFICER, menu["message_id"])])
        assert "tối đa 4.000 ký tự" in asked
        assert "4000" not in asked


async def test_happy_path_text_report(db, kb, clock, settings):
    seed_roles(db, now=clock.now())
    async with reports_bot(settings, kb=kb, db=db, clock=clock) as bot:
        await bot.process(bot.private("/baocao"))
        menu = bot.last()
        assert text_of(menu) == (
            "Báo cáo của Phòng Y tế, Quận 3 (2020). Bạn gửi báo cáo cho kỳ nào?"
        )
        assert [text for text, _ in buttons_of(menu)] == [
            f"{YEAR} — hạn 10/12/2026", "⚡ Báo cáo đột xuất", "Hủy"
        ]
        await bot.process(bot.tap(menu, _data(menu, YEAR)))
        assert text_of(bot.api.messages[(OFFICER, menu["message_id"])]).startswith(
            f"Kỳ: {YEAR}, hạn 10/12/2026.\nBạn hãy gửi nội dung báo cáo"
        )
        await bot.process(bot.private("Đã tổ chức 3 buổi truyền thông tại 14 phường."))
        preview = bot.last()
        assert "• Nội dung: Đã tổ chức 3 buổi truyền thông tại 14 phường." in text_of(preview)
        assert _reports(db) == []  # nothing stored before the confirmation

        committed_before_receipt = []

        def on_call(call):
            if call.method == "sendMessage" and "Đã nhận báo cáo" in call.params["text"]:
                committed_before_receipt.append(len(_reports(db)) == 1)

        bot.api.listeners.append(on_call)
        await bot.process(bot.tap(preview, _data(preview, "✅")))
        assert committed_before_receipt == [True]
        assert text_of(bot.last()) == (
            f"Đã nhận báo cáo BC-2026-0001 của Phòng Y tế cho kỳ {YEAR}, hạn 10/12/2026; "
            "nhận lúc 09:00 ngày 22/11/2026."
        )
        assert buttons_of(bot.api.messages[(OFFICER, preview["message_id"])]) == []
        (stored,) = _reports(db)
        assert (stored.unit_id, stored.text, stored.submitter_name) == (
            "phong-yte", "Đã tổ chức 3 buổi truyền thông tại 14 phường.", "Lan"
        )
        with db.unit_of_work() as s:
            assert conversations.load(s, OFFICER, OFFICER) is None


async def test_file_report_with_caption_stored_by_hash(bot, sqlite_db, settings):
    await _to_content(bot)
    pdf = b"%PDF-1.4 bao cao nam"
    await bot.process(bot.update(bot.api.user_file(
        bot.who, name="bao-cao-y-te.pdf", data=pdf, mime="application/pdf", caption="Kèm tệp",
    )))
    preview = bot.last()
    assert "• Tệp: bao-cao-y-te.pdf (1 KB)" in text_of(preview)
    assert "• Nội dung: Kèm tệp" in text_of(preview)
    await bot.process(bot.tap(preview, _data(preview, "✅")))
    (stored,) = _reports(sqlite_db)
    assert (stored.file_name, stored.file_size, stored.text) == ("bao-cao-y-te.pdf", 20,
                                                                 "Kèm tệp")
    assert path_for(settings.files_dir, stored.file_sha256).read_bytes() == pdf


async def test_photo_report(bot, sqlite_db):
    await _to_content(bot)
    await bot.process(bot.update(bot.api.user_file(bot.who, name=None, data=b"\xff\xd8jpg",
                                                   photo=True)))
    await bot.process(bot.tap(bot.last(), _data(bot.last(), "✅")))
    (stored,) = _reports(sqlite_db)
    assert stored.file_mime == "image/jpeg"
    assert stored.file_name.endswith(".jpg")


async def test_adhoc_report(bot, sqlite_db):
    await bot.process(bot.private("/baocao"))
    menu = bot.last()
    await bot.process(bot.tap(menu, _data(menu, "⚡")))
    await bot.process(bot.private("Phát hiện 1 trường hợp cần hỗ trợ khẩn cấp."))
    await bot.process(bot.tap(bot.last(), _data(bot.last(), "✅")))
    assert "(khi có yêu cầu); nhận lúc" in text_of(bot.last())  # not "(…) (đột xuất)"
    (stored,) = _reports(sqlite_db)
    assert (stored.deadline_id, stored.due_date) == ("bao-cao-dot-xuat", None)


# --- cancel, timeout, replace, restart -------------------------------------------------------


async def test_cancel_with_command_and_button(bot, sqlite_db):
    preview = await _preview(bot, "Nội dung")
    await bot.process(bot.private("/huy"))
    assert text_of(bot.last()) == t.CANCELLED
    calls = await bot.process(bot.tap(preview, _data(preview, "✅")))  # too late
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [t.STALE]
    assert _reports(sqlite_db) == []
    await bot.process(bot.private("/huy"))
    assert text_of(bot.last()) == t.NOTHING_TO_CANCEL
    await bot.process(bot.private("/baocao"))
    menu = bot.last()
    await bot.process(bot.tap(menu, _data(menu, "Hủy")))
    assert text_of(bot.api.messages[(OFFICER, menu["message_id"])]) == t.CANCELLED


async def test_idle_conversation_times_out_at_next_message(bot, sqlite_db, clock):
    await _to_content(bot)
    clock.advance(minutes=31)
    await bot.process(bot.private("Nội dung muộn"))
    assert text_of(bot.last()) == t.TIMED_OUT
    assert _reports(sqlite_db) == []
    # the conversation is over: the next text is a question for the assistant again
    with sqlite_db.unit_of_work() as s:
        assert conversations.load(s, OFFICER, OFFICER) is None


async def test_idle_conversation_gets_a_goodbye_from_the_job(bot, sqlite_db, clock):
    preview = await _preview(bot, "Nội dung")
    clock.advance(minutes=29)
    assert await conversation.expire_idle(bot.app) == 0
    clock.advance(minutes=2)
    assert await conversation.expire_idle(bot.app) == 1
    assert text_of(bot.last()) == t.TIMED_OUT
    calls = await bot.process(bot.tap(preview, _data(preview, "✅")))
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [t.STALE]
    assert _reports(sqlite_db) == []
    assert [j.name for j in bot.app.job_queue.jobs()].count(conversation.EXPIRE_JOB) == 1


async def test_replace_keeps_history(bot, sqlite_db, clock, kb):
    preview = await _preview(bot, "Bản đầu")
    await bot.process(bot.tap(preview, _data(preview, "✅")))
    clock.advance(hours=2)
    await bot.process(bot.private("/baocao"))
    menu = bot.last()
    assert f"🔁 {YEAR} — hạn 10/12/2026 (đã gửi)" in [text for text, _ in buttons_of(menu)]
    await bot.process(bot.tap(menu, _data(menu, "🔁")))
    assert "(số BC-2026-0001)" in text_of(bot.api.messages[(OFFICER, menu["message_id"])])
    await bot.process(bot.private("Bản sửa"))
    await bot.process(bot.tap(bot.last(), _data(bot.last(), "✅")))
    assert text_of(bot.last()).startswith("Đã nhận báo cáo BC-2026-0002")
    assert "thay thế bản gửi trước (lần gửi thứ 2)" in text_of(bot.last())
    with sqlite_db.unit_of_work() as s:
        period = reports.open_periods(kb, PLAN, "phong-yte", clock.now().date())[0]
        versions = reports.history(s, PLAN, "phong-yte", period)
    assert [(v.number, v.text, v.current) for v in versions] == [
        ("BC-2026-0001", "Bản đầu", False), ("BC-2026-0002", "Bản sửa", True)
    ]


async def test_restart_in_the_middle_of_a_conversation(db, kb, clock, settings):
    seed_roles(db, now=clock.now())
    api = FilesBotApi()
    async with reports_bot(settings, kb=kb, db=db, clock=clock, api=api) as first:
        await _to_content(first)
    # the process stops here; a new one starts on the same database (and the same Telegram)
    async with reports_bot(settings, kb=kb, db=db, clock=clock, api=api) as second:
        await second.process(second.private("Gửi sau khi khởi động lại"))
        preview = second.last()
        assert "• Nội dung: Gửi sau khi khởi động lại" in text_of(preview)
    async with reports_bot(settings, kb=kb, db=db, clock=clock, api=api) as third:
        await third.process(third.tap(preview, _data(preview, "✅")))  # a button of before
        assert text_of(third.last()).startswith("Đã nhận báo cáo BC-2026-0001")
    assert [r.text for r in _reports(db)] == ["Gửi sau khi khởi động lại"]


# --- bad input -------------------------------------------------------------------------------


async def test_empty_and_too_long_text(bot, sqlite_db):
    await _to_content(bot)
    await bot.process(bot.private("   "))
    assert text_of(bot.last()) == t.EMPTY_TEXT
    await bot.process(bot.private("x" * 10_000))
    # issue 13 (wording): "4.000", not "4000"
    assert text_of(bot.last()) == t.TOO_LONG.format(length="10.000", limit="4.000")
    await bot.process(bot.private("Nội dung đúng"))
    assert "• Nội dung: Nội dung đúng" in text_of(bot.last())


@pytest.mark.parametrize(
    ("name", "mime", "size", "expected"),
    [
        ("bao-cao.pdf", "application/pdf", 5 * 2**20,
         "Tệp “bao-cao.pdf” nặng 5.0 MB, quá giới hạn 1 MB. Bạn hãy nén hoặc chia nhỏ tệp."),
        ("chuong-trinh.exe", "application/x-msdownload", 100, None),
        ("tai-lieu.zip", "application/zip", 100, None),
    ],
)
async def test_file_too_big_or_forbidden(bot, sqlite_db, name, mime, size, expected):
    await _to_content(bot)
    before = len(bot.api.calls)
    await bot.process(bot.update(bot.api.user_file(bot.who, name=name, data=b"x" * 10, mime=mime,
                                                   declared_size=size)))
    assert text_of(bot.last()) == (expected or t.FILE_FORBIDDEN.format(name=name))
    assert "getFile" not in [c.method for c in bot.api.calls[before:]]  # never downloaded
    with sqlite_db.unit_of_work() as s:
        assert conversations.load(s, OFFICER, OFFICER).state == "content"


async def test_stale_buttons(bot, sqlite_db):
    await bot.process(bot.private("/baocao"))
    old_menu = bot.last()
    await bot.process(bot.private("/baocao"))  # a new conversation: the old buttons are stale
    calls = await bot.process(bot.tap(old_menu, _data(old_menu, YEAR)))
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [t.STALE]
    for forged in ("bc:zzzzzz:ok", "bc::p:99"):
        calls = await bot.process(bot.tap(old_menu, forged))
        assert [c.params.get("text") for c in calls
                if c.method == "answerCallbackQuery"] == [t.STALE]
    preview = await _preview(bot, "Nội dung")
    confirm = _data(preview, "✅")
    await bot.process(bot.tap(preview, confirm))
    receipt = text_of(bot.last())
    calls = await bot.process(bot.tap(preview, confirm))  # a double tap: told, receipt again
    assert [c.params.get("text") for c in calls
            if c.method == "answerCallbackQuery"] == [t.ALREADY_SENT]
    assert text_of(bot.last()) == receipt
    assert receipt.startswith("Đã nhận báo cáo BC-2026-0001")
    assert len(_reports(sqlite_db)) == 1


async def test_a_repeated_period_tap_sends_the_question_of_now(bot):
    await bot.process(bot.private("/baocao"))
    menu = bot.last()
    year = _data(menu, YEAR)
    await bot.process(bot.tap(menu, year))
    calls = await bot.process(bot.tap(menu, year))
    assert [c.params.get("text") for c in calls
            if c.method == "answerCallbackQuery"] == [t.STEP_PASSED]
    assert text_of(bot.last()).startswith(f"Kỳ: {YEAR}, hạn 10/12/2026.\nBạn hãy gửi nội dung")


async def test_a_redone_command_sends_the_same_menu(db, kb, clock, settings):
    seed_roles(db, now=clock.now())
    async with reports_bot(settings, kb=kb, db=db, clock=clock) as bot:
        command = bot.private("/baocao")
        await bot.process(command)
        menu = bot.last()
    async with reports_bot(settings, kb=kb, db=db, clock=clock, api=bot.api) as bot2:
        await bot2.process(bot2.update(command.to_dict()))
        assert buttons_of(bot2.last()) == buttons_of(menu)  # same token: its buttons work


async def test_a_redone_update_is_not_applied_twice(db, kb, clock, settings):
    """A kill after the commit and before the reply: the same update comes again."""
    seed_roles(db, now=clock.now())
    async with reports_bot(settings, kb=kb, db=db, clock=clock) as bot:
        await _to_content(bot)
        text_update = bot.private("Nội dung lần một")
        await bot.process(text_update)
        preview = bot.last()
        # a new process (nothing in memory) gets the same update again
    clock.advance(minutes=1)
    async with reports_bot(settings, kb=kb, db=db, clock=clock, api=bot.api) as bot2:
        await bot2.process(bot2.update(text_update.to_dict()))
        again = bot2.last()
        assert bot2.app.replayed == 1
        with db.unit_of_work() as s:  # not applied again: the state was not written
            assert conversations.load(s, OFFICER, OFFICER).updated_at < clock.now()
        assert text_of(again) == text_of(preview)  # the preview again, not a second content
        assert buttons_of(again) == buttons_of(preview)
        confirm = bot2.tap(again, _data(again, "✅"))
        await bot2.process(confirm)
        receipt = text_of(bot2.last())
    async with reports_bot(settings, kb=kb, db=db, clock=clock, api=bot.api) as bot3:
        await bot3.process(bot3.update(confirm.to_dict()))  # the confirm, redone
        assert text_of(bot3.last()) == receipt
    (stored,) = _reports(db)
    assert stored.text == "Nội dung lần một"


async def test_choose_with_buttons_first(bot):
    await bot.process(bot.private("/baocao"))
    await bot.process(bot.private("Nội dung trước khi chọn kỳ"))
    assert text_of(bot.last()) == t.CHOOSE_FIRST


async def test_who_may_report(bot):
    await bot.process(bot.private("/baocao", who=person(STRANGER)))
    assert text_of(bot.last()) == t.NOT_OFFICER
    await bot.process(bot.private("/baocao", who=person(COORD)))  # a coordinator, no unit
    assert text_of(bot.last()) == t.NOT_OFFICER
    await bot.process(bot.group("/baocao"))
    assert text_of(bot.last()).startswith("Lệnh này chỉ dùng trong tin nhắn riêng")


async def test_free_text_outside_a_conversation_goes_to_questions(bot):
    calls = await bot.process(bot.private("Ai chủ trì?"))
    assert calls  # the question handler answered (not the reporting conversation)
    assert not any(t.NOT_CONTENT in (c.params.get("text") or "") for c in calls)


# --- coordinator tools -----------------------------------------------------------------------


async def _two_reports(bot):
    for who in (None, person(OFFICER_GDDT, "Giáo")):
        preview = await _preview(bot, f"Nội dung mật của {who['id'] if who else OFFICER}",
                                 who=who)
        await bot.process(bot.tap(preview, _data(preview, "✅"), who=who))


async def test_status_board_private_and_group(bot):
    await _two_reports(bot)
    coord = person(COORD, "Hùng")
    await bot.process(bot.private("/tinhhinh", who=coord))
    board, chart = bot.sent(COORD)[-2:]
    text = text_of(board)
    assert text.startswith("Tình hình nộp báo cáo — Quận 3 (2020)")
    assert f"{YEAR} — hạn 10/12/2026: 2/9 đơn vị đã nộp" in text
    assert "• Phòng Y tế: Đúng hạn 09:00 22/11/2026 (BC-2026-0001)" in text
    assert "• Công an Quận 3: Chưa nộp" in text
    assert "photo" in chart
    await bot.process(bot.group(f"/tinhhinh {PLAN}", who=coord))
    group_board = text_of(bot.sent(-100200300)[-2])
    assert "• Phòng Y tế: Đúng hạn 09:00 22/11/2026" in group_board
    assert "BC-2026" not in group_board
    assert "Nội dung mật" not in group_board


async def test_export_xlsx_through_the_chat(bot, sqlite_db):
    await _two_reports(bot)
    coord = person(COORD, "Hùng")
    await bot.process(bot.private("/xuat", who=coord))
    choose = bot.last()
    assert [text for text, _ in buttons_of(choose)] == [
        "Báo cáo tình hình thực hiện tiêu chuẩn phường phù hợp với trẻ em — hạn 15/11/2026",
        f"{YEAR} — hạn 10/12/2026", t.EXPORT_ALL_BUTTON,
    ]
    calls = await bot.process(bot.tap(choose, _data(choose, YEAR), who=coord))
    (doc,) = [c for c in calls if c.method == "sendDocument"]
    name, data = next(iter(doc.files.values()))
    assert name == "bao-cao-quan3-2020-bao-cao-nam-2026-12-10.xlsx"
    ws = load_workbook(io.BytesIO(data))["Báo cáo"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["Đơn vị", "Tình trạng", "Thời gian nộp", "Số biên nhận", "Số lần gửi",
                       "Người gửi", "Nội dung", "Tệp đính kèm"]
    assert rows[1] == ["Công an Quận 3", "Chưa nộp", None, None, None, None, None, None]
    assert rows[3] == ["Phòng Giáo dục và Đào tạo", "Đúng hạn", LOCAL_NOON,
                       "BC-2026-0002", 1, "Lê Văn Giáo", f"Nội dung mật của {OFFICER_GDDT}", None]
    assert rows[6] == ["Phòng Y tế", "Đúng hạn", LOCAL_NOON, "BC-2026-0001", 1,
                       "Trần Thị Lan", f"Nội dung mật của {OFFICER}", None]
    assert len(rows) == 10
    with sqlite_db.unit_of_work() as s:
        (entry,) = audit.list_entries(s, action=audit.EXPORTED)
    assert (entry.actor_id, entry.plan_id, entry.details["format"]) == (COORD, PLAN, "xlsx")


async def test_export_caption_names_the_report_once(bot, sqlite_db):
    """Issue 13 (wording): "Báo cáo Báo cáo năm…" in the export's caption said once."""
    await _two_reports(bot)
    coord = person(COORD, "Hùng")
    await bot.process(bot.private("/xuat", who=coord))
    choose = bot.last()
    calls = await bot.process(bot.tap(choose, _data(choose, YEAR), who=coord))
    (doc,) = [c for c in calls if c.method == "sendDocument"]
    caption = doc.params["caption"]
    assert caption.startswith(YEAR)
    assert "Báo cáo Báo cáo" not in caption


async def test_read_report_by_number(bot, sqlite_db, settings):
    await _to_content(bot)
    await bot.process(bot.update(bot.api.user_file(bot.who, name="bc.docx", data=b"PK docx",
                                                   caption="Tóm tắt")))
    await bot.process(bot.tap(bot.last(), _data(bot.last(), "✅")))
    coord = person(COORD, "Hùng")
    calls = await bot.process(bot.private("/xembaocao bc-2026-0001", who=coord))
    texts = [text_of(c.result) for c in calls if c.method == "sendMessage"]
    assert texts[0].startswith("Báo cáo BC-2026-0001 — Phòng Y tế, Quận 3 (2020)")
    assert texts[0].endswith("\n\nTóm tắt")
    (doc,) = [c for c in calls if c.method == "sendDocument"]
    assert next(iter(doc.files.values())) == ("bc.docx", b"PK docx")
    await bot.process(bot.private("/xembaocao BC-2026-0001", who=person(OFFICER_GDDT)))
    assert text_of(bot.last()) == t.NOT_ALLOWED
    with sqlite_db.unit_of_work() as s:
        reads = audit.list_entries(s, action=audit.REPORT_READ)
    assert [(e.actor_id, e.target) for e in reads] == [(COORD, "BC-2026-0001")]


async def test_coordinator_commands_need_a_plan(bot):
    await bot.process(bot.private("/tinhhinh", who=person(3001)))  # an admin, no plan anywhere
    assert text_of(bot.last()).startswith("Bạn hãy ghi mã kế hoạch sau lệnh")
    await bot.process(bot.private("/tinhhinh khong-co", who=person(COORD)))
    assert text_of(bot.last()).startswith("Không có kế hoạch mã “khong-co”")
    await bot.process(bot.group("/xuat", chat=group_chat()))
    assert text_of(bot.last()).startswith("Lệnh này chỉ dùng trong tin nhắn riêng")


async def test_revoked_between_preview_and_confirm(bot, sqlite_db, clock):
    from features import registry
    from features.permissions import Actor

    preview = await _preview(bot, "Nội dung")
    sqlite_db.call(registry.revoke, Actor.command_line("test"), OFFICER, PLAN, now=clock.now())
    calls = await bot.process(bot.tap(preview, _data(preview, "✅")))
    assert text_of(bot.last()) == t.NO_LONGER_OFFICER
    assert not [c for c in calls if "Xin lỗi" in str(c.params.get("text", ""))]
    assert _reports(sqlite_db) == []
    with sqlite_db.unit_of_work() as s:
        assert conversations.load(s, OFFICER, OFFICER) is None  # the conversation ended


async def test_longest_file_name_and_mime_type_are_stored(db, kb, clock, settings):
    """A MIME type over 128 characters and a 300-character name fit both databases."""
    seed_roles(db, now=clock.now())
    api = FilesBotApi()
    async with reports_bot(settings, kb=kb, db=db, clock=clock, api=api) as bot:
        await _to_content(bot)
        name = "Bá" * 150 + ".pdf"
        mime = "application/pdf; " + "x" * 300
        await bot.process(bot.update(api.user_file(person(OFFICER), name=name,
                                                   data=b"%PDF-1.4", mime=mime)))
        preview = bot.last()
        await bot.process(bot.tap(preview, _data(preview, "✅")))
        assert text_of(bot.last()).startswith("Đã nhận báo cáo")
    with db.unit_of_work() as s:
        (stored,) = reports.list_reports(s, plan_id=PLAN)
    assert stored.file_mime == "application/pdf"
    assert len(stored.file_name) == 255


@pytest.mark.parametrize("command", ["/tinhhinh", "/xuat", "/choduyet", "/capquyen 1001",
                                     "/thuhoi 1001", "/lenhkhongco"])
async def test_a_long_argument_is_not_echoed_in_full(bot, command):
    long = "ữ" * 4000
    who = person(3001)  # an admin: every command answers
    bot.api.remember_chat({"id": 3001, "type": "private", "first_name": "Cán bộ"})
    calls = await bot.process(bot.private(f"{command}{long}" if command == "/lenhkhongco"
                                          else f"{command} {long}", who=who))
    texts = [str(c.params.get("text", "")) for c in calls if c.method == "sendMessage"]
    assert texts
    assert all(len(x) < 1000 for x in texts)
    assert not any("Xin lỗi" in x for x in texts)


async def test_baocaocuatoi_lists_my_units_receipts_on_time_or_late(bot, sqlite_db, clock):
    await bot.process(bot.private("/baocaocuatoi"))
    assert text_of(bot.last()) == t.MINE_NONE.format(unit="Phòng Y tế", plan="Quận 3 (2020)")
    preview = await _preview(bot, "Bản đầu")
    await bot.process(bot.tap(preview, _data(preview, "✅")))
    clock.advance(days=20)  # 12/12/2026: after the due date of 10/12
    await bot.process(bot.private("/baocao"))
    menu = bot.last()
    await bot.process(bot.tap(menu, _data(menu, "⚡")))
    await bot.process(bot.private("Đột xuất"))
    await bot.process(bot.tap(bot.last(), _data(bot.last(), "✅")))
    await bot.process(bot.private("/baocaocuatoi"))
    assert text_of(bot.last()).splitlines() == [
        "Báo cáo đã nộp của Phòng Y tế, Quận 3 (2020) (mới nhất trước):",
        "• BC-2026-0002 — Báo cáo đột xuất kết quả thực hiện kế hoạch (khi có yêu cầu)"
        ": đột xuất, không có hạn; nhận lúc 09:00 ngày 12/12/2026",
        f"• BC-2026-0001 — {YEAR} (hạn 10/12/2026): đúng hạn; nhận lúc 09:00 ngày 22/11/2026",
        t.MINE_FOOTER,
    ]
    calls = await bot.process(bot.group("/baocaocuatoi"))
    assert "BC-2026" not in repr([c.params for c in calls])
