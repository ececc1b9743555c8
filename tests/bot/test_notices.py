"""The coordinator is told when a report arrives (/thongbao: each, a daily digest, off) —
an outbox: nothing lost, nothing sent twice, never the content."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from bot.local_api import forbidden
from bot.notices_job import NoticeSender
from core.clock import VN_TZ
from features import report_notices as rn
from storage.models import NOTICE_FAILED, NOTICE_SENT, NOTICE_SKIPPED, ReportNotice
from tests.support.factories import make_settings, text_of
from tests.support.office_kit import submit, year_period
from tests.support.reports_kit import (
    COORD,
    OFFICER,
    OTHER_COORD,
    know_private_chats,
    person,
    reports_bot,
    seed_roles,
)

DUE = dt.date(2026, 12, 10)
COORDINATOR = person(COORD, "Hùng")


@pytest.fixture
async def bot(sqlite_db, kb, clock, tmp_path):
    seed_roles(sqlite_db, now=clock.now())
    settings = make_settings(admin_ids=[3001], files_dir=tmp_path / "files")
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as b:
        know_private_chats(b.api, OFFICER, COORD, OTHER_COORD)
        yield b


@pytest.fixture
def sender(bot, sqlite_db, kb, clock):
    return NoticeSender(bot.app.bot, sqlite_db, kb, clock, worker="test")


def _notices(bot, chat_id):
    return [text_of(m) for m in bot.sent(chat_id) if "📥" in text_of(m)]


async def test_thongbao_shows_and_sets_the_choice(bot):
    await bot.process(bot.private("/thongbao", who=COORDINATOR))
    assert text_of(bot.last(COORD)) == "Bạn đang nhận tin báo cho từng báo cáo mới, ngay khi nhận."
    await bot.process(bot.private("/thongbao 17:00", who=COORDINATOR))
    assert "mỗi ngày lúc 17:00" in text_of(bot.last(COORD))
    await bot.process(bot.private("/thongbao 7h", who=COORDINATOR))
    assert "mỗi ngày lúc 07:00" in text_of(bot.last(COORD))
    await bot.process(bot.private("/thongbao", who=COORDINATOR))
    assert text_of(bot.last(COORD)) == "Bạn đang nhận một bản tin báo cáo mới mỗi ngày lúc 07:00."
    await bot.process(bot.private("/thongbao tắt", who=COORDINATOR))
    assert text_of(bot.last(COORD)).startswith("✅ Đã tắt tin báo")
    await bot.process(bot.private("/thongbao ngày", who=COORDINATOR))
    assert text_of(bot.last(COORD)).startswith("✅ Từ nay bạn được báo ngay")
    await bot.process(bot.private("/thongbao 25:00", who=COORDINATOR))
    assert text_of(bot.last(COORD)).startswith("Cách dùng: /thongbao ngay")


async def test_thongbao_is_for_coordinators(bot):
    await bot.process(bot.private("/thongbao ngay", who=person(OFFICER, "Lan")))
    assert text_of(bot.last(OFFICER)) == (
        "Tin báo báo cáo mới dành cho người điều phối của một kế hoạch.")


async def test_one_notice_per_report_no_content_never_twice(bot, sender, sqlite_db, clock):
    submit(sqlite_db, "phong-yte", clock.now(), period=year_period(DUE), text="Mật")
    await sender.run_once()  # the first tick starts after the newest report: no backlog
    assert _notices(bot, COORD) == []
    clock.advance(minutes=5)
    receipt = submit(sqlite_db, "phong-gddt", clock.now(), period=year_period(DUE),
                     text="Nội dung bí mật")
    assert (await sender.run_once())["sent"] == 1
    (notice,) = _notices(bot, COORD)
    assert receipt.number in notice
    assert "Phòng Giáo dục và Đào tạo" in notice
    assert "nhận lúc 09:05 22/11/2026" in notice
    assert "bí mật" not in notice
    assert _notices(bot, OTHER_COORD) == []  # another plan's coordinator
    assert (await sender.run_once())["sent"] == 0  # a restart or a second tick: not twice
    assert len(_notices(bot, COORD)) == 1


async def test_a_daily_digest_at_the_hour_chosen(bot, sender, sqlite_db, clock):
    await sender.run_once()
    await bot.process(bot.private("/thongbao 17:00", who=COORDINATOR))
    for unit in ("phong-yte", "phong-gddt"):
        clock.advance(minutes=10)
        submit(sqlite_db, unit, clock.now(), period=year_period(DUE))
    assert (await sender.run_once())["sent"] == 0  # 09:20: not yet
    clock.set(dt.datetime(2026, 11, 22, 17, 1, tzinfo=VN_TZ))
    assert (await sender.run_once())["sent"] == 1
    (digest,) = _notices(bot, COORD)
    assert digest.startswith("📥 Bản tin báo cáo mới (2 báo cáo):")
    clock.advance(hours=1)
    assert (await sender.run_once())["sent"] == 0


async def test_off_drops_what_was_not_sent(bot, sender, sqlite_db, clock):
    await sender.run_once()
    await bot.process(bot.private("/thongbao 17:00", who=COORDINATOR))
    submit(sqlite_db, "phong-yte", clock.now(), period=year_period(DUE))
    await sender.run_once()
    await bot.process(bot.private("/thongbao tat", who=COORDINATOR))
    submit(sqlite_db, "phong-gddt", clock.now(), period=year_period(DUE))
    clock.set(dt.datetime(2026, 11, 22, 18, 0, tzinfo=VN_TZ))
    await sender.run_once()
    assert _notices(bot, COORD) == []
    rows = sqlite_db.call(lambda s: s.exec(select(ReportNotice)).all())
    assert [r.status for r in rows] == [NOTICE_SKIPPED]


async def test_a_claim_survives_a_crash_and_a_block_is_not_retried(bot, sqlite_db, kb, clock):
    first = NoticeSender(bot.app.bot, sqlite_db, kb, clock, worker="a")
    await first.run_once()
    submit(sqlite_db, "phong-yte", clock.now(), period=year_period(DUE))
    # process "a" claims and dies before sending
    claimed = sqlite_db.call(rn.claim_due, clock.now(), worker="a")
    assert len(claimed) == 1
    other = NoticeSender(bot.app.bot, sqlite_db, kb, clock, worker="b")
    assert (await other.run_once())["sent"] == 0  # the claim is respected
    clock.advance(minutes=6)  # the lease has passed
    assert (await other.run_once())["sent"] == 1
    rows = sqlite_db.call(lambda s: s.exec(select(ReportNotice)).all())
    assert [r.status for r in rows] == [NOTICE_SENT]
    submit(sqlite_db, "phong-gddt", clock.now(), period=year_period(DUE))
    bot.api.fail("sendMessage", forbidden("Forbidden: bot was blocked by the user"), chat_id=COORD)
    assert (await other.run_once())["failed"] == 1
    clock.advance(minutes=10)
    assert (await other.run_once())["failed"] == 0
    rows = sqlite_db.call(lambda s: s.exec(select(ReportNotice)).all())
    assert [r.status for r in rows] == [NOTICE_SENT, NOTICE_FAILED]


@pytest.mark.parametrize(("typed", "mode", "hour"), [
    ("ngay", "each", 17), ("Ngày", "each", 17), ("tat", "off", 17), ("17:30", "digest", 17),
    ("8h", "digest", 8), ("08h30", "digest", 8)])
def test_parse_setting(typed, mode, hour):
    setting = rn.parse_setting(typed)
    assert (setting.mode, setting.hour) == (mode, hour)


@pytest.mark.parametrize("typed", ["24:00", "abc", "17:75"])
def test_parse_setting_refuses(typed):
    with pytest.raises(rn.BadSetting):
        rn.parse_setting(typed)


async def test_the_job_has_a_stable_name_and_replaces_an_earlier_one(bot):
    from bot.notices_job import JOB_NAME, schedule_notices

    first = schedule_notices(bot.app, first=3600)
    second = schedule_notices(bot.app, first=3600)
    assert first.name == second.name == JOB_NAME
    assert first.removed
    assert not second.removed
    second.schedule_removal()
