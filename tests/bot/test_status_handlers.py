"""/tinhhinh's "Nhắc các đơn vị chưa nộp" button, and plan arguments typed loosely —
through the real application."""

from __future__ import annotations

import datetime as dt

import pytest

from features import status
from storage import audit
from tests.support.factories import buttons_of, make_settings, text_of
from tests.support.office_kit import at, submit, year_period
from tests.support.reports_kit import (
    COORD,
    OFFICER,
    OFFICER_GDDT,
    OTHER_COORD,
    PLAN,
    know_private_chats,
    person,
    reports_bot,
    seed_roles,
)

GROUP = -100200300
DUE = dt.date(2026, 12, 10)  # the open "Báo cáo năm" on the clock's 22/11/2026
COORDINATOR = person(COORD, "Hùng")


@pytest.fixture
async def bot(sqlite_db, kb, clock, tmp_path):
    seed_roles(sqlite_db, now=clock.now())
    submit(sqlite_db, "phong-gddt", clock.now(), period=year_period(DUE))
    settings = make_settings(admin_ids=[3001], files_dir=tmp_path / "files")
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as b:
        know_private_chats(b.api, OFFICER, OFFICER_GDDT, COORD, OTHER_COORD)
        yield b


def _remind_button(message):
    found = [(text, data) for text, data in buttons_of(message)
             if data.startswith("nn:") and ":bao-cao-nam:" in data]
    assert found, buttons_of(message)
    return found[0]


async def test_remind_button_reminds_the_missing_units_officers_once_an_hour(bot, sqlite_db,
                                                                             clock):
    await bot.process(bot.private("/tinhhinh", who=COORDINATOR))
    board = bot.sent(COORD)[-2]
    text, data = _remind_button(board)
    assert text == "🔔 Nhắc đơn vị chưa nộp: Báo cáo năm kết quả thực hiện kế hoạch"
    calls = await bot.process(bot.tap(board, data, who=COORDINATOR))
    (alert,) = [c for c in calls if c.method == "answerCallbackQuery"]
    # Phòng Y tế's officer is reminded; Phòng GD&ĐT has reported: its officer is not
    assert alert.params["text"].startswith("Đã nhắc 1 cán bộ của 8 đơn vị chưa nộp")
    reminder = text_of(bot.last(OFFICER))
    assert "chưa nộp “Báo cáo năm" in reminder
    assert "Gửi báo cáo: /baocao" in reminder
    assert not [m for m in bot.sent(OFFICER_GDDT) if "nhắc" in text_of(m)]
    (entry,) = sqlite_db.call(audit.list_entries, action=status.MISSING_REMINDED)
    assert entry.actor_id == COORD
    assert entry.details == {"units": 8, "officers": 1}
    # a second press within the hour sends nothing
    before = len(bot.sent(OFFICER))
    calls = await bot.process(bot.tap(board, data, who=COORDINATOR))
    (alert,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "vừa được nhắc trong vòng một giờ qua" in alert.params["text"]
    assert len(bot.sent(OFFICER)) == before


async def test_remind_button_in_a_group_refuses_others(bot):
    await bot.process(bot.group(f"/tinhhinh {PLAN}", who=COORDINATOR))
    board = bot.sent(GROUP)[-2]
    _, data = _remind_button(board)
    calls = await bot.process(bot.tap(board, data, who=person(OFFICER, "Lan")))
    (alert,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert alert.params["text"] == "Bạn không có quyền xem hoặc xuất báo cáo của kế hoạch này."
    assert alert.params.get("show_alert")


async def test_a_stale_remind_button(bot):
    await bot.process(bot.private("/tinhhinh", who=COORDINATOR))
    board = bot.sent(COORD)[-2]
    calls = await bot.process(bot.tap(board, f"nn:{PLAN}:bao-cao-nam:20200101",
                                      who=COORDINATOR))
    (alert,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert alert.params["text"] == "Nút này đã cũ. Gõ /tinhhinh để xem lại."


@pytest.mark.parametrize("typed", ["quan 3", "q3", "quận 3", "Quận 3"])
async def test_plan_typed_loosely(bot, typed):
    await bot.process(bot.private(f"/tinhhinh {typed}", who=COORDINATOR))
    assert text_of(bot.sent(COORD)[-2]).startswith("Tình hình nộp báo cáo — Quận 3 (2020)")


async def test_xuat_with_a_plan_typed_loosely(bot):
    await bot.process(bot.private("/xuat quận 3", who=COORDINATOR))
    assert "Quận 3 (2020)" in text_of(bot.last(COORD))


async def test_an_ambiguous_plan_names_the_candidates(bot):
    await bot.process(bot.private("/tinhhinh Quảng Ngãi", who=COORDINATOR))
    text = text_of(bot.last(COORD))
    assert "ứng với nhiều kế hoạch: binhson-2023, ducpho-2023" in text


async def test_late_units_can_be_reminded_after_the_due_date(bot, clock, sqlite_db):
    submit(sqlite_db, "phong-yte", at(dt.date(2026, 11, 22)), period=year_period(DUE))
    await bot.process(bot.private("/tinhhinh", who=COORDINATOR))
    board = bot.sent(COORD)[-2]
    _, data = _remind_button(board)
    calls = await bot.process(bot.tap(board, data, who=COORDINATOR))
    (alert,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "chưa có cán bộ nào đăng ký" in alert.params["text"]
