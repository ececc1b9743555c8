"""Handler tests: every command and button through the real Application (process_update)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.texts import common as t
from knowledge.answers import Answer, Citation
from knowledge.deadlines import upcoming
from storage.chats import get_chat_plan
from tests.support.factories import (
    GROUP_ID,
    USER_ID,
    buttons_of,
    group_chat,
    make_settings,
    offline_bot,
    text_of,
)


class FakeEngine:
    """An answering function that records what it is asked."""

    def __init__(self, suggestions: list[str] | None = None) -> None:
        self.asked: list[tuple[str, str | None, dt.date]] = []
        self.suggestions = suggestions or []

    def __call__(self, kb, question: str, *, today: dt.date, plan_id: str | None) -> Answer:
        self.asked.append((question, plan_id, today))
        return Answer(
            intent="search", text=f"Trả lời <{question}>", suggestions=self.suggestions,
            citations=[Citation(plan_id="quan3-2020", section="III.1.4")],
        )


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
async def bot(sqlite_db, kb, clock, engine):
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock,
                           answer=engine) as b:
        yield b


# --- /start, /help ---------------------------------------------------------------------------


async def test_start_greets_by_name_with_menu_and_registers_command_menu(bot):
    await bot.process(bot.private("/start"))
    reply = bot.last(USER_ID)
    assert text_of(reply).startswith("Xin chào Lan!")
    assert t.START_NO_PLAN_LINE in text_of(reply)
    assert [d for _, d in buttons_of(reply)] == ["menu:plans", "menu:han", "menu:help"]
    menu = [c["command"] for c in bot.api.commands]
    assert menu[:len(t.COMMANDS)] == [c for c, _ in t.COMMANDS]  # features add theirs after


async def test_start_in_group_tells_how_to_ask_there(bot):
    await bot.process(bot.group("/start@kehoach_bot"))
    assert "@kehoach_bot" in text_of(bot.last(GROUP_ID))
    assert "/hoi <câu hỏi>" in text_of(bot.last(GROUP_ID))


@pytest.mark.parametrize("command", ["/help", "/trogiup"])
async def test_help_lists_every_command(bot, command):
    await bot.process(bot.private(command))
    shown = text_of(bot.last())
    for name, description in t.COMMANDS:
        assert f"/{name} — {description}" in shown


async def test_menu_buttons_open_plans_deadlines_and_help(bot):
    await bot.process(bot.private("/start"))
    menu = bot.last()
    await bot.process(bot.tap(menu, "menu:plans"))
    assert ("Quận 3 (2020)", "plan:quan3-2020") in buttons_of(bot.last())
    await bot.process(bot.tap(menu, "menu:han"))
    assert "Các hạn sắp tới" in text_of(bot.last())
    await bot.process(bot.tap(menu, "menu:help"))
    assert "Hướng dẫn sử dụng" in text_of(bot.last())


# --- questions ---------------------------------------------------------------------------------


async def test_private_question_is_answered_escaped_with_source(bot, engine, clock):
    calls = await bot.process(bot.private("Ai chủ trì?"))
    assert engine.asked == [("Ai chủ trì?", None, clock.now().date())]
    (send,) = [c for c in calls if c.method == "sendMessage"]
    assert send.params["parse_mode"] == "HTML"
    assert "Trả lời &lt;Ai chủ trì?&gt;" in send.params["text"]
    assert "Nguồn: " in text_of(send.result)
    assert "mục III.1.4" in text_of(send.result)


async def test_group_ignores_chatter_but_answers_hoi_replies_and_mentions(bot, engine):
    calls = await bot.process(bot.group("chào cả nhà"))
    assert calls == []
    assert engine.asked == []

    await bot.process(bot.group("/hoi Hạn báo cáo năm?"))
    answer = bot.last(GROUP_ID)
    assert answer["reply_to_message"]["text"] == "/hoi Hạn báo cáo năm?"  # quoted in groups
    await bot.process(bot.group("/hoi@kehoach_bot Ai chủ trì?"))
    await bot.process(bot.group("còn phòng y tế?", reply_to_message_id=answer["message_id"]))
    await bot.process(bot.group("@kehoach_bot kinh phí ở đâu?"))
    await bot.process(bot.group("/hoi@otherbot không phải cho tôi"))
    assert [q for q, _, _ in engine.asked] == [
        "Hạn báo cáo năm?", "Ai chủ trì?", "còn phòng y tế?", "kinh phí ở đâu?",
    ]


async def test_hoi_without_question_explains_usage(bot, engine):
    await bot.process(bot.private("/hoi   "))
    assert text_of(bot.last()) == t.ASK_USAGE
    assert engine.asked == []


async def test_too_long_question_is_refused_clearly(bot, engine):
    await bot.process(bot.private("a" * 2500))
    assert "Câu hỏi dài quá (2.500 ký tự)" in text_of(bot.last())  # issue 13: "4.000", not "4000"
    assert engine.asked == []


async def test_non_text_private_message_gets_a_hint_and_group_one_is_ignored(bot):
    sticker = {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                           "is_animated": False, "is_video": False, "type": "regular"}}
    await bot.process(bot.private("", extra=sticker))
    assert text_of(bot.last()) == t.TEXT_ONLY
    calls = await bot.process(bot.group("", extra=sticker))
    assert calls == []


async def test_suggestion_button_asks_the_question_written_on_it(sqlite_db, kb, clock):
    engine = FakeEngine(suggestions=["Ai chủ trì Tháng hành động?", "Hạn báo cáo năm?"])
    async with offline_bot(make_settings(), kb=kb, db=sqlite_db, clock=clock,
                           answer=engine) as bot:
        await bot.process(bot.private("tháng hành động"))
        first = bot.last()
        assert buttons_of(first) == [("Ai chủ trì Tháng hành động?", "ask:0"),
                                     ("Hạn báo cáo năm?", "ask:1")]
        assert text_of(first).endswith(t.SUGGESTIONS_HEADER)
        calls = await bot.process(bot.tap(first, "ask:1"))
    assert engine.asked[-1][0] == "Hạn báo cáo năm?"
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]


# --- /kehoach ---------------------------------------------------------------------------------


async def test_plan_choice_is_remembered_and_used_for_questions(bot, engine, sqlite_db, kb):
    await bot.process(bot.private("/kehoach"))
    listing = bot.last()
    assert [d for _, d in buttons_of(listing)] == [f"plan:{p.id}" for p in kb] + ["plan:*"]
    calls = await bot.process(bot.tap(listing, "plan:quan3-2020"))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "Đã chọn kế hoạch" in text_of(calls[-1].result)
    assert sqlite_db.call(get_chat_plan, USER_ID) == "quan3-2020"

    await bot.process(bot.private("Ai chủ trì?"))
    assert engine.asked[-1][1] == "quan3-2020"
    await bot.process(bot.private("/kehoach"))
    assert ("✅ Quận 3 (2020)", "plan:quan3-2020") in buttons_of(bot.last())

    await bot.process(bot.tap(bot.last(), "plan:*"))
    assert sqlite_db.call(get_chat_plan, USER_ID) is None


async def test_group_plan_is_per_chat(bot, sqlite_db):
    await bot.process(bot.group("/kehoach"))
    await bot.process(bot.tap(bot.last(GROUP_ID), "plan:haiduong-2017"))
    assert sqlite_db.call(get_chat_plan, GROUP_ID) == "haiduong-2017"
    assert sqlite_db.call(get_chat_plan, USER_ID) is None


# --- /han --------------------------------------------------------------------------------------


async def test_han_lists_next_deadlines_of_the_chat_plan(bot, kb, clock):
    today = clock.now().date()
    await bot.process(bot.private("/han"))
    everything = text_of(bot.last())
    first = upcoming(kb, today)[0]
    assert f"{first.date:%d/%m/%Y}" in everything.splitlines()[1]
    assert f"còn {(first.date - today).days} ngày" in everything.splitlines()[1]
    assert "Nguồn: " in everything

    await bot.process(bot.private("/kehoach"))
    await bot.process(bot.tap(bot.last(), "plan:haiduong-2017"))
    await bot.process(bot.private("/han"))
    narrowed = text_of(bot.last())
    expected = upcoming(kb, today, ["haiduong-2017"])
    assert narrowed.count("\n• ") == min(len(expected), 8)
    assert "tỉnh Hải Dương" in narrowed.splitlines()[0]


# --- unknown input, stale buttons ----------------------------------------------------------------


async def test_unknown_command_answered_in_private_and_when_addressed_in_group(bot):
    await bot.process(bot.private("/xyz abc"))
    assert text_of(bot.last()) == t.UNKNOWN_COMMAND.format(command="/xyz")
    assert await bot.process(bot.group("/xyz")) == []
    await bot.process(bot.group("/xyz@kehoach_bot"))
    assert text_of(bot.last(GROUP_ID)) == t.UNKNOWN_COMMAND.format(command="/xyz")


@pytest.mark.parametrize("data", ["plan:no-such-plan", "old-button", "ask:9"])
async def test_stale_buttons_get_a_helpful_alert(bot, data):
    await bot.process(bot.private("/start"))
    calls = await bot.process(bot.tap(bot.last(), data))
    (alert,) = calls
    assert alert.method == "answerCallbackQuery"
    assert alert.params["show_alert"] is True
    assert alert.params["text"] in (t.PLAN_GONE, t.STALE_BUTTON)


async def test_button_of_a_message_telegram_no_longer_has_is_stale(bot):
    bot.api.remember_chat(group_chat())
    calls = await bot.process(bot.update(bot.api.callback_tap(GROUP_ID, 999, bot.who, "ask:0")))
    assert calls[0].params["text"] == t.STALE_BUTTON
