"""The office's commands through the real application: the rate line of /tinhhinh,
/tinhhinh xuhuong, /tonghop — private only, for coordinators, audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from core.texts import office as t
from features import compiled, rates
from storage import audit
from tests.support.factories import buttons_of, make_settings, text_of
from tests.support.office_kit import YEAR_TITLE, at, submit, year_period
from tests.support.reports_kit import COORD, OTHER_COORD, PLAN, person, reports_bot, seed_roles

GROUP = -100200300
DUE = dt.date(2026, 12, 10)  # the open "Báo cáo năm" on the clock's 22/11/2026


@pytest.fixture
async def bot(sqlite_db, kb, clock, tmp_path):
    seed_roles(sqlite_db, now=clock.now())
    for unit in ("phong-yte", "phong-gddt"):
        submit(sqlite_db, unit, clock.now(), period=year_period(DUE), text=f"Mật {unit}")
    submit(sqlite_db, "phong-yte", at(dt.date(2025, 12, 12)), period=year_period())  # late
    settings = make_settings(admin_ids=[3001], files_dir=tmp_path / "files")
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as b:
        yield b


COORDINATOR = person(COORD, "Hùng")


async def test_tinhhinh_has_the_rate_line_in_private_only(bot):
    await bot.process(bot.private("/tinhhinh", who=COORDINATOR))
    text = text_of(bot.sent(COORD)[-2])
    assert f"{YEAR_TITLE} — hạn 10/12/2026: 2/9 đơn vị đã nộp\n" \
           "2/9 đơn vị đã nộp (22%), 2 đúng hạn (22%)\n" in text
    await bot.process(bot.group(f"/tinhhinh {PLAN}", who=COORDINATOR))
    group_text = text_of(bot.sent(GROUP)[-2])
    assert "đúng hạn (" not in group_text
    assert "(22%)" not in group_text


@pytest.mark.parametrize("command", ["/tinhhinh xuhuong", "/tinhhinh xu hướng quan3-2020",
                                     "/tinhhinh XUHUONG"])
async def test_trend_text_and_chart(bot, sqlite_db, command):
    await bot.process(bot.private(command, who=COORDINATOR))
    text, chart = bot.sent(COORD)[-2:]
    body = text_of(text)
    assert body.startswith("Xu hướng nộp báo cáo — Quận 3 (2020) (6 kỳ gần nhất)")
    assert ("• Báo cáo năm kết quả thực hiện kế hoạch 10/12/2025: 1/9 đơn vị đã nộp (11%), "
            "0 đúng hạn (0%)") in body
    assert "Đơn vị thường nộp muộn hoặc không nộp:" in body
    assert "photo" in chart
    assert chart["caption"] == "Xu hướng nộp báo cáo — Quận 3 (2020)"
    (entry,) = sqlite_db.call(audit.list_entries, action=rates.RATES_EXPORTED)
    assert (entry.actor_id, entry.details["format"]) == (COORD, "chat")


async def test_trend_of_a_plan_without_dated_deadlines(bot):
    other = person(OTHER_COORD, "Cần Thơ")
    await bot.process(bot.private("/tinhhinh xuhuong cantho-2017", who=other))
    assert "(kế hoạch không đặt hạn)" in text_of(bot.last(OTHER_COORD))


async def test_in_a_group_none_of_it_is_shown(bot, sqlite_db):
    for command in ("/tinhhinh xuhuong", "/tonghop", f"/tonghop {PLAN}"):
        await bot.process(bot.group(command, who=COORDINATOR))
        reply = bot.sent(GROUP)[-1]
        assert text_of(reply).startswith("Lệnh này chỉ dùng trong tin nhắn riêng")
        assert "photo" not in reply
        assert "document" not in reply
    assert sqlite_db.call(audit.list_entries, action="reports.") == []


async def test_tonghop_sends_the_word_draft(bot, sqlite_db):
    await bot.process(bot.private("/tonghop", who=COORDINATOR))
    menu = bot.last(COORD)
    assert text_of(menu) == "Báo cáo tổng hợp — Quận 3 (2020). Chọn kỳ:"
    labels = [label for label, _ in buttons_of(menu)]
    assert f"{YEAR_TITLE} — hạn 10/12/2026" in labels
    assert f"{YEAR_TITLE} — hạn 10/12/2025" in labels  # a past one too
    data = next(d for label, d in buttons_of(menu) if label.endswith("10/12/2026"))
    calls = await bot.process(bot.tap(menu, data, who=COORDINATOR))
    (sent,) = [c for c in calls if c.method == "sendDocument"]
    name, content = next(iter(sent.files.values())) if sent.files else (None, None)
    assert sent.params["caption"].startswith(
        f"Dự thảo báo cáo tổng hợp: {YEAR_TITLE}, hạn 10/12/2026 — 2/9 đơn vị đã nộp (22%)")
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO TỔNG HỢP" in paragraphs
    assert "Mật phong-yte" in paragraphs
    assert name == f"tong-hop-{PLAN}-bao-cao-nam-2026-12-10.docx"
    (entry,) = sqlite_db.call(audit.list_entries, action=compiled.COMPILED)
    assert entry.actor_id == COORD


async def test_a_stale_compile_button(bot):
    await bot.process(bot.private("/tonghop", who=COORDINATOR))
    await bot.process(bot.tap(bot.last(COORD), f"th:{PLAN}:bao-cao-nam:20261211",
                              who=COORDINATOR))
    assert any(c.method == "answerCallbackQuery" and c.params.get("text") == t.STALE
               for c in bot.api.calls)


async def test_tonghop_of_a_plan_without_dated_deadlines(bot):
    other = person(OTHER_COORD, "Cần Thơ")
    await bot.process(bot.private("/tonghop cantho-2017", who=other))
    assert text_of(bot.last(OTHER_COORD)) == (
        "Kế hoạch Thành phố Cần Thơ (2017) không có kỳ báo cáo nào có hạn cụ thể "
        "(kế hoạch không đặt hạn).")
