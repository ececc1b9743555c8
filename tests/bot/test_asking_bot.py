"""Asking from a chat: the asker's own plans, follow-ups (expiry, isolation), near-miss
commands, and the log of unanswered questions (screened, 90 days, ``kehoach questions``)."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from features import questions
from features.memory import FollowUpMemory
from knowledge.answers import Answer
from storage.models import UnansweredQuestion
from tests.support.factories import GROUP_ID, make_settings, offline_bot, text_of
from tests.support.reports_kit import COORD, OFFICER, STRANGER, person, seed_roles


async def ask(bot, text, who):
    await bot.process(bot.private(text, who=who))
    return text_of(bot.last(who["id"]))


# --- the asker's own plan ---

async def test_with_no_chat_plan_an_officer_is_answered_from_their_plan(sqlite_db, kb, clock):
    seed_roles(sqlite_db, now=clock.now())
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        officer = await ask(bot, "Phòng Y tế có nhiệm vụ gì?", person(OFFICER))
        stranger = await ask(bot, "Phòng Y tế có nhiệm vụ gì?", person(STRANGER))
    assert "Kế hoạch Quận 3 2020" in officer
    assert "kế hoạch có nhiệm vụ" not in officer
    assert "2 kế hoạch có nhiệm vụ cho Phòng Y tế" in stranger  # no registration: every plan


async def test_han_uses_the_askers_plan_when_the_chat_has_none(sqlite_db, kb, clock):
    seed_roles(sqlite_db, now=clock.now())
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        coordinator = await ask(bot, "/han", person(COORD))
        stranger = await ask(bot, "/han", person(STRANGER))
    assert "Quận 3" in coordinator
    assert "Hải Dương" not in coordinator
    assert "Hải Dương" in stranger


async def test_lich_uses_the_askers_plan_when_the_chat_has_none(sqlite_db, kb, clock):
    seed_roles(sqlite_db, now=clock.now())
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        await bot.process(bot.private("/lich", who=person(OFFICER)))
        docs = [c for c in bot.api.calls if c.method == "sendDocument"]
        await bot.process(bot.private("/lich", who=person(STRANGER)))
        after = [c for c in bot.api.calls if c.method == "sendDocument"]
    assert len(docs) == 1
    assert len(after) == 1


# --- follow-ups ---

async def test_a_follow_up_in_private_continues_the_previous_question(sqlite_db, kb, clock):
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        lan = person(OFFICER, "Lan")
        await ask(bot, "phòng y tế quận 3 có nhiệm vụ gì", lan)
        follow = await ask(bot, "còn phòng tư pháp thì sao?", lan)
        other = await ask(bot, "còn phòng tư pháp thì sao?", person(STRANGER, "Bình"))
    assert "Kế hoạch Quận 3 2020: nhiệm vụ của Phòng Tư pháp" in follow
    assert "2 kế hoạch có nhiệm vụ cho Phòng Tư pháp" in other  # another user: no context


async def test_a_follow_up_expires(sqlite_db, kb, clock):
    settings = make_settings(follow_up_minutes=0)  # remembered for no time at all
    async with offline_bot(settings, kb=kb, db=sqlite_db, clock=clock) as bot:
        lan = person(OFFICER, "Lan")
        await ask(bot, "phòng y tế quận 3 có nhiệm vụ gì", lan)
        expired = await ask(bot, "còn phòng tư pháp thì sao?", lan)
    assert "2 kế hoạch có nhiệm vụ cho Phòng Tư pháp" in expired


def test_memory_is_per_chat_and_user_bounded_and_expires():
    memory = FollowUpMemory(minutes=1, size=2)
    answer = Answer(intent="unknown", text="x")
    memory.put((1, 10), "q1", answer, None, now=0)
    memory.put((2, 10), "q2", answer, None, now=0)
    assert memory.get((1, 10), now=30).question == "q1"
    assert memory.get((1, 11), now=30) is None  # another user in the same chat
    assert memory.get((3, 10), now=30) is None  # the same user in another chat
    assert memory.get((1, 10), now=61) is None  # expired
    memory.put((4, 10), "q4", answer, None, now=70)
    memory.put((5, 10), "q5", answer, None, now=70)
    assert memory.get((2, 10), now=70) is None  # the oldest went past the size


async def test_in_a_group_only_replies_to_the_bot_are_remembered(sqlite_db, kb, clock):
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        lan = person(OFFICER, "Lan")
        await bot.process(bot.group("/hoi phòng y tế quận 3 có nhiệm vụ gì", who=lan))
        await bot.process(bot.group("/hoi còn phòng tư pháp thì sao?", who=lan))
        plain = text_of(bot.last(GROUP_ID))
        await bot.process(bot.group(f"@{bot.app.bot.username} phòng y tế quận 3 có nhiệm vụ gì",
                                    who=lan))
        await bot.process(bot.group("còn phòng tư pháp thì sao?", who=lan,
                                    reply_to_message_id=bot.last(GROUP_ID)["message_id"]))
        replied = text_of(bot.last(GROUP_ID))
    assert "2 kế hoạch có nhiệm vụ cho Phòng Tư pháp" in plain  # /hoi in a group: no memory
    assert "Kế hoạch Quận 3 2020: nhiệm vụ của Phòng Tư pháp" in replied


# --- near-miss commands ---

@pytest.mark.parametrize(("typed", "said"), [
    ("/hann", "Ý bạn là /han?"), ("/kehoac", "Ý bạn là /kehoach?"), ("/trogiupp", "/trogiup"),
])
async def test_a_mistyped_command_gets_did_you_mean(sqlite_db, kb, clock, typed, said):
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        reply = await ask(bot, typed, person(OFFICER))
    assert said in reply


async def test_an_unrelated_command_is_unknown(sqlite_db, kb, clock):
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock) as bot:
        reply = await ask(bot, "/xyzxyzxyz", person(OFFICER))
    assert reply.startswith("Tôi không biết lệnh /xyzxyzxyz")


# --- unanswered questions ---

SECRET = "Bé Nguyễn Thị Hoa 0912345678 ở số 12 đường Lê Lợi bị đánh thì lương ctv bao nhiêu"


async def test_an_unanswered_question_is_kept_screened_and_never_logged(db, kb, clock, caplog):
    caplog.set_level(logging.DEBUG)
    async with offline_bot(make_settings(), kb=kb, db=db, clock=clock) as bot:
        await ask(bot, SECRET, person(OFFICER))
        await ask(bot, "Phòng Y tế Quận 3 có nhiệm vụ gì?", person(OFFICER))  # answered
        await ask(bot, "xin chào", person(OFFICER))  # small talk: not a gap
    with db.unit_of_work() as s:
        rows = s.exec(select(UnansweredQuestion)).all()
    assert len(rows) == 1
    kept = rows[0].text
    assert "hoa" not in kept.split()
    assert "0912345678" not in kept
    assert "le loi" not in kept
    assert "luong" in kept
    assert rows[0].asked_on == clock.now().date()
    assert all("Hoa" not in r.getMessage() and "0912345678" not in r.getMessage()
               for r in caplog.records)


def test_unanswered_questions_are_grouped_and_kept_ninety_days(db):
    day = dt.date(2026, 12, 1)
    with db.unit_of_work() as s:
        questions.record(s, "lương ctv bao nhiêu 1 tháng", intent="unknown", score=0, today=day)
        questions.record(s, "luong ctv duoc bao nhieu mot thang", intent="unknown", score=0,
                         today=day)
        questions.record(s, "giá xăng hôm nay", intent="unknown", score=0,
                         today=day - dt.timedelta(days=100))
        questions.record(s, "phụ cấp cộng tác viên", intent="search", score=20, today=day)
    with db.unit_of_work() as s:
        found = questions.groups(s)
    assert [g.count for g in found] == [2, 1]  # the 100-day-old one was purged
    assert found[0].intents == ("unknown",)
    with db.unit_of_work() as s:
        assert questions.groups(s, since=day + dt.timedelta(days=1)) == []


def test_cli_lists_unanswered_questions(tmp_path, monkeypatch):
    from bot.cli import _register_all, app
    from core.settings import get_settings
    from storage.db import Database

    url = f"sqlite:///{tmp_path / 'k.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    database = Database(url)
    database.upgrade()
    with database.unit_of_work() as s:
        questions.record(s, "lương ctv bao nhiêu", intent="unknown", score=0,
                         today=dt.date(2026, 12, 1))
    database.dispose()
    _register_all()
    runner = CliRunner()
    out = runner.invoke(app, ["questions", "unanswered", "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert rows[0]["example"] == "luong ctv bao nhieu"
    assert rows[0]["count"] == 1
    bad = runner.invoke(app, ["questions", "unanswered", "--since", "hôm qua"])
    assert bad.exit_code == 2
    assert "Ngày không hợp lệ" in bad.output
    get_settings.cache_clear()


def test_the_bots_engine_is_built_at_start_and_again_for_reloaded_plans(kb):
    import copy

    from bot.app import EngineAnswerer

    answerer = EngineAnswerer(kb)
    first = answerer._engine
    today = dt.date(2026, 12, 1)
    assert answerer(kb, "Phòng Y tế Quận 3 có nhiệm vụ gì?", today=today).units
    assert answerer._engine is first  # the same knowledge base: the same engine
    reloaded = copy.copy(kb)
    answerer(reloaded, "Phòng Y tế Quận 3 có nhiệm vụ gì?", today=today)
    assert answerer._engine is not first
    assert answerer._engine.kb is reloaded
