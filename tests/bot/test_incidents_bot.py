"""/suvu and /suvu_ds through the real application: private only, roles, the form, duplicates,
notifications without the description, nothing in the logs (even when a handler fails)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.handlers import incidents as handler
from bot.local_api import forbidden
from bot.render import plain_text
from core.texts import incidents as t
from features import incidents
from storage import audit
from storage.models import ConversationState, Incident
from tests.support.factories import buttons_of, group_chat, make_settings, offline_bot, text_of
from tests.support.incidents_kit import (
    ADMIN,
    COORD,
    COORD_ACTOR,
    OFFICER,
    OFFICER_ACTOR,
    OFFICER_OTHER,
    OTHER_COORD,
    PLANTED,
    PLANTED_MARK,
    STRANGER,
    cipher,
    draft,
    fill_form,
    know,
    person,
    seed_roles,
)
from tests.support.reports_kit import FilesBotApi, reports_bot

SETTINGS = {"admin_ids": [ADMIN]}


def _incidents(db) -> list[Incident]:
    return db.call(lambda s: list(s.exec(select(Incident)).all()))


def _texts(bot, chat_id: int) -> str:
    return "\n".join(text_of(m) for m in bot.sent(chat_id))


@pytest.fixture
def seeded(sqlite_db, clock):
    seed_roles(sqlite_db, clock.now())
    return sqlite_db


# --- groups ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["/suvu", "/suvu@kehoach_bot", "/suvu_ds"])
async def test_group_gets_only_a_button_to_the_private_chat(seeded, clock, kb, command) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        calls = await bot.process(bot.group(command, who=person(COORD)))
        sent = [c for c in calls if c.method == "sendMessage"]
        assert len(sent) == 1
        reply = bot.last(bot.sent()[-1]["chat"]["id"])
        assert reply["chat"]["type"] == "group"
        assert "reply_to_message" not in reply
        assert t.GROUP_PRIVATE_ONLY in text_of(reply)
        button = reply["reply_markup"]["inline_keyboard"][0][0]
        payload = "suvu_ds" if command == "/suvu_ds" else "suvu"
        assert button["url"] == f"https://t.me/kehoach_bot?start={payload}"
        assert "SV-" not in text_of(reply)
    assert seeded.call(lambda s: s.exec(select(ConversationState)).all()) == []


async def test_group_never_echoes_details(seeded, clock, kb) -> None:
    typed = "/suvu bé Nguyễn Văn An bị đánh ở số 12 đường Lê Lợi"
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        calls = await bot.process(bot.group(typed, who=person(OFFICER)))
        reply = bot.sent(group_chat()["id"])[-1]
        assert t.GROUP_DONT_WRITE in text_of(reply)
        for word in ("Nguyễn", "Lê Lợi", "đánh"):
            assert word not in text_of(reply)
        assert [c.method for c in calls].count("sendMessage") == 1
        assert not bot.sent(OFFICER)  # nothing started in private either
    assert _incidents(seeded) == []


async def test_reader_buttons_refused_outside_private_chats(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD)
        await fill_form(bot)
        await bot.process(bot.tap(bot.last(OFFICER), "sv:ok", who=person(OFFICER)))
        await bot.process(bot.group("/hoi hạn báo cáo năm", who=person(COORD)))
        in_group = bot.sent(group_chat()["id"])[-1]
        before = len(bot.sent())
        calls = await bot.process(bot.tap(in_group, "sv:open:SV-2026-0001", who=person(COORD)))
        assert len(bot.sent()) == before
        assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [
            t.STALE]


# --- the form, end to end --------------------------------------------------------------------


async def test_officer_logs_an_incident(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD, OTHER_COORD, ADMIN)
        await bot.process(bot.private("/suvu", who=person(OFFICER)))
        first, question = bot.sent(OFFICER)[-2:]
        assert "113" in text_of(first)
        assert "111" in text_of(first)
        assert text_of(question).startswith("Bước 1/10. Loại sự vụ?")
        assert ("Xâm hại tình dục", "sv:f:kind:sexual_abuse") in buttons_of(question)
        confirm = await fill_form(bot)
        summary = text_of(confirm)
        for expected in ("Bạo lực", "Gia đình", "Phường 5", "21/11/2026", "Nữ", "6–10 tuổi",
                         "Cha dượng, mẹ kế", PLANTED, "Công an, Tổng đài 111",
                         "Khẩn cấp — nguy hiểm ngay"):
            assert expected in summary
        await bot.process(bot.tap(confirm, "sv:ok", who=person(OFFICER)))
        receipt = bot.api.messages[(OFFICER, confirm["message_id"])]
        assert "Đã lưu sự vụ SV-2026-0001" in text_of(receipt)
        assert PLANTED_MARK not in text_of(receipt)
        assert "reply_markup" not in receipt
        note = bot.last(COORD)
        assert text_of(note).startswith("🔔 Sự vụ mới SV-2026-0001")
        for expected in ("Bạo lực", "Phường 5", "Khẩn cấp", "Quận 3"):
            assert expected in text_of(note)
        for absent in (PLANTED_MARK, "thắt lưng", "Cha dượng", "Nữ", "6–10"):
            assert absent not in text_of(note)
        assert buttons_of(note) == [("Xem SV-2026-0001", "sv:open:SV-2026-0001")]
        assert not bot.sent(OTHER_COORD)
        assert not bot.sent(ADMIN)
    [row] = _incidents(seeded)
    assert (row.plan_id, row.unit_id, row.reported_by) == ("quan3-2020", "phong-yte", OFFICER)
    assert seeded.call(lambda s: s.exec(select(ConversationState)).all()) == []


async def test_coordinator_reads_and_marks_audited(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD)
        await bot.process(bot.tap(await fill_form(bot), "sv:ok", who=person(OFFICER)))
        await bot.process(bot.tap(bot.last(COORD), "sv:open:SV-2026-0001", who=person(COORD)))
        detail = bot.last(COORD)
        assert text_of(detail).startswith("Sự vụ SV-2026-0001 — Mới")
        assert PLANTED in text_of(detail)
        assert "Phòng Y tế" in text_of(detail)
        assert "• Người ghi: Cán bộ" in text_of(detail)  # the registered name, in private only
        await bot.process(bot.tap(detail, "sv:st:SV-2026-0001:referred", who=person(COORD)))
        detail = bot.api.messages[(COORD, detail["message_id"])]
        assert text_of(detail).startswith("Sự vụ SV-2026-0001 — Đã chuyển gửi")
        assert ("✓ Đã chuyển gửi", "sv:st:SV-2026-0001:referred") in buttons_of(detail)
        await bot.process(bot.tap(detail, "sv:hide:SV-2026-0001", who=person(COORD)))
        hidden = bot.api.messages[(COORD, detail["message_id"])]
        assert PLANTED_MARK not in text_of(hidden)
        await bot.process(bot.private("/suvu_ds", who=person(COORD)))
        listing = text_of(bot.last(COORD))
        assert "SV-2026-0001 · 21/11/2026 · Bạo lực · Phường 5 · Khẩn cấp · Đã chuyển gửi" \
            in listing
        assert PLANTED_MARK not in listing
    actions = [e.action for e in reversed(seeded.call(audit.list_entries, action="incident."))]
    assert actions == [incidents.LOGGED, incidents.READ, incidents.STATUS_CHANGED,
                       incidents.LISTED]


async def test_deep_link_starts_the_form(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/start suvu", who=person(OFFICER)))
        assert t.SAFETY in _texts(bot, OFFICER)
        assert text_of(bot.last(OFFICER)).startswith("Bước 1/10")
        await bot.process(bot.private("/start suvu_ds", who=person(COORD)))
        assert text_of(bot.last(COORD)).startswith("Chưa có sự vụ nào")


async def test_pii_warning_then_redaction(seeded, clock, kb) -> None:
    described = "Cháu Nguyễn Văn An bị đánh, mẹ gọi 0912345678"
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/suvu", who=person(OFFICER)))
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=person(OFFICER)))
        await bot.process(bot.private("Số 12 đường Lê Lợi", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)).startswith(t.PLACE_PII)
        await bot.process(bot.private("xã bình hải", who=person(OFFICER)))
        await bot.process(bot.private("31/02", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)).startswith(t.DATE_BAD)
        await bot.process(bot.private("20/11", who=person(OFFICER)))
        for data in ("sv:f:sex:male", "sv:f:age:0-5", "sv:f:perp:parent"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=person(OFFICER)))
        await bot.process(bot.private(described, who=person(OFFICER)))
        warning = bot.last(OFFICER)
        assert text_of(warning).startswith(t.PII_HEAD)
        assert "tên người: “Nguyễn Văn An”" in text_of(warning)
        assert "số điện thoại: “0912345678”" in text_of(warning)
        await bot.process(bot.tap(warning, "sv:pii:redact", who=person(OFFICER)))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:actions:done", who=person(OFFICER)))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:urgency:normal", who=person(OFFICER)))
        confirm = bot.last(OFFICER)
        assert "Cháu [tên] bị đánh, mẹ gọi [số điện thoại]" in text_of(confirm)
        assert "Xã Bình Hải" in text_of(confirm)
        assert "20/11/2026" in text_of(confirm)
        assert "Chưa xử lý, chưa chuyển gửi" in text_of(confirm)
        await bot.process(bot.tap(confirm, "sv:ok", who=person(OFFICER)))
    view = seeded.call(incidents.read, COORD_ACTOR, cipher(), "SV-2026-0001", now=clock.now())
    assert view.description == "Cháu [tên] bị đánh, mẹ gọi [số điện thoại]"


async def test_edit_an_answer_from_the_confirmation(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        confirm = await fill_form(bot)
        await bot.process(bot.tap(confirm, "sv:edit", who=person(OFFICER)))
        menu = bot.api.messages[(OFFICER, confirm["message_id"])]
        assert text_of(menu) == t.EDIT_WHICH
        assert PLANTED_MARK not in text_of(menu)
        await bot.process(bot.tap(menu, "sv:edit:urgency", who=person(OFFICER)))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:urgency:high", who=person(OFFICER)))
        again = bot.last(OFFICER)
        assert text_of(again).startswith(t.CONFIRM_HEAD)
        assert "Mức khẩn cấp: Cao" in text_of(again)
        await bot.process(bot.tap(again, "sv:ok", who=person(OFFICER)))
    assert [r.urgency for r in _incidents(seeded)] == ["high"]


async def test_cancel_keeps_nothing(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await fill_form(bot)
        await bot.process(bot.private("/huy", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)) == t.CANCELLED
        await bot.process(bot.private("/suvu", who=person(OFFICER)))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:cancel", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)) == t.CANCELLED
    assert _incidents(seeded) == []
    assert seeded.call(lambda s: s.exec(select(ConversationState)).all()) == []


# --- duplicates ------------------------------------------------------------------------------


async def test_repeated_updates_create_one_incident(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD)
        who = person(OFFICER)
        await bot.process(bot.private("/suvu", who=who))
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        place = bot.private("Phường 5", who=who)
        await bot.process(place)
        date_question = bot.last(OFFICER)
        calls = await bot.process(place)  # the same update delivered again
        assert not [c for c in calls if c.method == "sendMessage"]
        assert bot.last(OFFICER) == date_question
        tap = bot.tap(date_question, "sv:f:date:today", who=who)
        await bot.process(tap)
        calls = await bot.process(tap)  # a double tap: the step has passed
        assert [c.params.get("text") for c in calls] == [t.STALE]
        for data in ("sv:f:sex:female", "sv:f:age:6-10", "sv:f:perp:step_parent"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        await bot.process(bot.private(PLANTED, who=who))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:actions:done", who=who))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:urgency:urgent", who=who))
        confirm = bot.last(OFFICER)
        save = bot.tap(confirm, "sv:ok", who=who)
        await bot.process(save)
        await bot.process(save)  # the same update again
        await bot.process(bot.tap(confirm, "sv:ok", who=who))  # a second tap
        receipt = bot.api.messages[(OFFICER, confirm["message_id"])]
        assert "SV-2026-0001" in text_of(receipt)
        assert len(bot.sent(COORD)) == 1  # notified once
    assert [r.number for r in _incidents(seeded)] == ["SV-2026-0001"]


async def test_a_redone_tap_whose_question_was_lost_gets_it_again(seeded, clock, kb) -> None:
    """Killed after the answer's commit, before the next question left: the tap is given
    again to the restarted process, which sends that question (not only "stale")."""
    settings = make_settings(**SETTINGS)
    who = person(OFFICER)
    async with offline_bot(settings, kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/suvu", who=who))
        tap = bot.tap(bot.last(OFFICER), "sv:f:kind:violence", who=who)
        await bot.process(tap)
        question = bot.last(OFFICER)
        calls = await bot.process(tap)  # the same process again: it finished it, stale only
        assert [c.method for c in calls] == ["answerCallbackQuery"]
    async with offline_bot(settings, kb=kb, db=seeded, clock=clock) as bot2:
        know(bot2, OFFICER)
        calls = await bot2.process(bot2.update(tap.to_dict()))  # a new process, the same tap
        (sent,) = [c for c in calls if c.method == "sendMessage"]
        assert plain_text(sent.params["text"]) == text_of(question)


async def test_a_redone_text_and_a_redone_save_after_a_kill(seeded, clock, kb) -> None:
    """Killed after the commit, before the replies: the place typed again gets the next
    question; the confirm tapped again gets the receipt and the coordinator is told."""
    settings = make_settings(**SETTINGS)
    who = person(OFFICER)
    api = FilesBotApi()  # one Telegram across the restarts
    async with reports_bot(settings, kb=kb, db=seeded, clock=clock, api=api) as bot:
        know(bot, OFFICER, COORD)
        await bot.process(bot.private("/suvu", who=who))
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        place = bot.private("Phường 5", who=who)
        await bot.process(place)
        date_question = bot.last(OFFICER)
    async with reports_bot(settings, kb=kb, db=seeded, clock=clock, api=api) as bot2:
        calls = await bot2.process(bot2.update(place.to_dict()))  # the place, redone
        (sent,) = [c for c in calls if c.method == "sendMessage"]
        assert plain_text(sent.params["text"]) == text_of(date_question)
        for data in ("sv:f:date:today", "sv:f:sex:female", "sv:f:age:6-10",
                     "sv:f:perp:step_parent"):
            await bot2.process(bot2.tap(bot2.last(OFFICER), data, who=who))
        await bot2.process(bot2.private(PLANTED, who=who))
        await bot2.process(bot2.tap(bot2.last(OFFICER), "sv:f:actions:done", who=who))
        await bot2.process(bot2.tap(bot2.last(OFFICER), "sv:f:urgency:urgent", who=who))
        confirm = bot2.last(OFFICER)
        save = bot2.tap(confirm, "sv:ok", who=who)
        api.fail("sendMessage", forbidden(), chat_id=COORD)  # the notice never left
        await bot2.process(save)
        assert bot2.sent(COORD) == []
    async with reports_bot(settings, kb=kb, db=seeded, clock=clock, api=api) as bot3:
        await bot3.process(bot3.update(save.to_dict()))  # the confirm, redone
        (notice,) = bot3.sent(COORD)
        assert "SV-2026-0001" in text_of(notice)
        assert PLANTED not in text_of(notice)
    assert [r.number for r in _incidents(seeded)] == ["SV-2026-0001"]


async def test_a_redone_toggle_of_an_action_is_not_applied_twice(seeded, clock, kb) -> None:
    """A kill after the toggle's commit: the same update again must not untick the action."""
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        who = person(OFFICER)
        await bot.process(bot.private("/suvu", who=who))
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        await bot.process(bot.private("Phường 5", who=who))
        for data in ("sv:f:date:today", "sv:f:sex:female", "sv:f:age:6-10",
                     "sv:f:perp:step_parent"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        await bot.process(bot.private(PLANTED, who=who))
        actions = bot.last(OFFICER)
        police = bot.tap(actions, "sv:f:actions:police", who=who)
        await bot.process(police)
        await bot.process(police)  # the same update redone after a restart
        await bot.process(bot.tap(actions, "sv:f:actions:done", who=who))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:urgency:urgent", who=who))
        assert "Công an" in text_of(bot.last(OFFICER))


# --- roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uid", "expected"),
    [(STRANGER, t.NOT_OFFICER), (COORD, t.NOT_OFFICER_BUT_READER),
     (ADMIN, t.NOT_OFFICER_BUT_READER), (OFFICER, "Bước 1/10"), (OFFICER_OTHER, "Bước 1/10")],
)
async def test_who_may_start_the_form(seeded, clock, kb, uid, expected) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/suvu", who=person(uid)))
        assert text_of(bot.last(uid)).startswith(expected)


async def test_officer_of_another_plan_notifies_that_plan(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD, OTHER_COORD)
        await bot.process(bot.tap(await fill_form(bot, OFFICER_OTHER), "sv:ok",
                                  who=person(OFFICER_OTHER)))
        assert "Cần Thơ" in text_of(bot.last(OTHER_COORD))
        assert not bot.sent(COORD)
    assert [r.plan_id for r in _incidents(seeded)] == ["cantho-2017"]


@pytest.mark.parametrize(
    ("uid", "reads"),
    [(STRANGER, False), (OFFICER, False), (OFFICER_OTHER, False), (OTHER_COORD, False),
     (COORD, True), (ADMIN, True)],
)
async def test_who_may_list_read_and_mark(seeded, clock, kb, uid, reads) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD)
        await bot.process(bot.tap(await fill_form(bot), "sv:ok", who=person(OFFICER)))
        await bot.process(bot.private("/suvu_ds", who=person(uid)))
        listing = bot.last(uid)
        if uid == OTHER_COORD:  # their own plan's list: without Quận 3's incident
            assert text_of(listing).startswith("Chưa có sự vụ nào — Thành phố Cần Thơ")
        elif reads:
            assert "SV-2026-0001" in text_of(listing)
        else:
            assert text_of(listing) == t.NOT_READER
        for data in ("sv:open:SV-2026-0001", "sv:st:SV-2026-0001:handled"):
            before = len(bot.sent(uid))
            calls = await bot.process(bot.tap(listing, data, who=person(uid)))
            toasts = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
            if reads:
                assert toasts != [t.DENIED_TOAST]
            else:
                assert toasts == [t.DENIED_TOAST]
                assert len(bot.sent(uid)) == before
    [row] = _incidents(seeded)
    assert row.status == ("handled" if reads else "new")
    reads_logged = seeded.call(audit.list_entries, action=incidents.READ)
    assert [e.actor_id for e in reads_logged] == ([uid] if reads else [])


# --- nothing in the logs ---------------------------------------------------------------------


def _assert_clean(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records
    everything = caplog.text + "\n".join(
        r.getMessage() + (r.exc_text or "") for r in caplog.records
    )
    for needle in (PLANTED_MARK, "thắt lưng"):
        assert needle not in everything


async def test_logs_hold_no_content(seeded, clock, kb, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD)
        await bot.process(bot.tap(await fill_form(bot), "sv:ok", who=person(OFFICER)))
        await bot.process(bot.tap(bot.last(COORD), "sv:open:SV-2026-0001", who=person(COORD)))
        assert PLANTED in text_of(bot.last(COORD))  # the content did travel
    assert any("SV-2026-0001" in r.getMessage() for r in caplog.records)
    _assert_clean(caplog)


@pytest.mark.parametrize("where", ["description", "save"])
async def test_logs_hold_no_content_when_a_handler_fails(seeded, clock, kb, caplog,
                                                         where) -> None:
    """A database failure while the description is handled: the error is logged, not it."""
    trigger = {
        "description": "CREATE TRIGGER boom BEFORE UPDATE ON conversation_state "
                       "WHEN NEW.state = 'actions' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        "save": "CREATE TRIGGER boom BEFORE INSERT ON incident "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    }[where]
    with seeded.engine.begin() as conn:
        conn.execute(text(trigger))
    caplog.set_level(logging.DEBUG)
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        confirm = await fill_form(bot) if where == "save" else None
        if confirm is None:
            await bot.process(bot.private("/suvu", who=person(OFFICER)))
            for data in ("sv:f:kind:violence", "sv:f:setting:family"):
                await bot.process(bot.tap(bot.last(OFFICER), data, who=person(OFFICER)))
            await bot.process(bot.private("Phường 5", who=person(OFFICER)))
            for data in ("sv:f:date:today", "sv:f:sex:female", "sv:f:age:6-10",
                         "sv:f:perp:step_parent"):
                await bot.process(bot.tap(bot.last(OFFICER), data, who=person(OFFICER)))
            await bot.process(bot.private(PLANTED, who=person(OFFICER)))
        else:
            await bot.process(bot.tap(confirm, "sv:ok", who=person(OFFICER)))
        assert "Xin lỗi" in text_of(bot.last(OFFICER))  # the error handler apologised
    failures = [r for r in caplog.records if r.name == "bot.errors"]
    assert failures
    assert "IntegrityError" in failures[0].getMessage()
    assert "Traceback" in failures[0].getMessage()  # frames and types, no message:
    assert "disk full" not in caplog.text  # a driver's message may carry values
    _assert_clean(caplog)
    assert _incidents(seeded) == []


# --- retention job ---------------------------------------------------------------------------


async def test_daily_retention_job_anonymises(seeded, clock, kb) -> None:
    old = clock.now().replace(year=2024, month=1)
    seeded.call(incidents.create, OFFICER_ACTOR, cipher(), draft(), source_chat_id=OFFICER,
                source_message_id=1, now=old)
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        [job] = bot.app.job_queue.get_jobs_by_name(handler.RETENTION_JOB)
        await job.run(bot.app)
    [row] = _incidents(seeded)
    assert row.anonymised_at is not None
    assert row.reported_by is None
    [entry] = seeded.call(audit.list_entries, action=incidents.ANONYMISED)
    assert entry.actor == "retention"
    assert entry.details["numbers"] == ["SV-2024-0001"]



async def test_the_only_coordinator_reporting_is_told_who_was_told(seeded, clock, kb) -> None:
    from features import registry
    from features.permissions import Actor

    with seeded.unit_of_work() as s:
        reg = registry.request_officer(s, telegram_id=COORD, plan_id="quan3-2020",
                                       unit_id="phong-gddt", now=clock.now(), full_name="Hoa")
        registry.decide(s, Actor.command_line("test"), reg.id, approve=True, now=clock.now())
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, ADMIN)
        confirm = await fill_form(bot, COORD)
        await bot.process(bot.tap(confirm, "sv:ok", who=person(COORD)))
        receipt = text_of(bot.api.messages[(COORD, confirm["message_id"])])
        assert t.NOTIFIED_SELF_ADMINS in receipt
        assert "chưa có" not in receipt
        assert text_of(bot.last(ADMIN)).startswith("🔔 Sự vụ mới")
        confirm = await fill_form(bot, OFFICER)
        await bot.process(bot.tap(confirm, "sv:ok", who=person(OFFICER)))
        receipt = text_of(bot.api.messages[(OFFICER, confirm["message_id"])])
        assert "Đã báo 1 người điều phối của kế hoạch" in receipt


async def test_starting_suvu_during_baocao_asks_before_dropping_it(seeded, clock, kb) -> None:
    from core.texts import common as tc

    who = person(OFFICER)
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/baocao", who=who))
        await bot.process(bot.private("/suvu", who=who))
        ask = bot.last(OFFICER)
        assert text_of(ask) == "Bạn đang gửi báo cáo dở — bỏ và ghi sự vụ?"
        assert buttons_of(ask) == [("Bỏ và ghi sự vụ", "cs:go:suvu"),
                                   ("Tiếp tục gửi báo cáo", "cs:stay:baocao")]
        names = seeded.call(lambda s: [r.name for r in s.exec(select(ConversationState))])
        assert names == ["baocao"]  # nothing dropped yet
        await bot.process(bot.tap(ask, "cs:go:suvu", who=who))
        assert text_of(bot.last(OFFICER)).startswith("Bước 1/10. Loại sự vụ?")
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:kind:violence", who=who))
        await bot.process(bot.private("/baocao", who=who))
        ask = bot.last(OFFICER)
        assert text_of(ask) == "Bạn đang ghi sự vụ dở — bỏ và gửi báo cáo?"
        calls = await bot.process(bot.tap(ask, "cs:stay:suvu", who=who))
        assert text_of(calls[-1].result) == tc.SWITCH_KEPT.format(current="ghi sự vụ")
        names = seeded.call(lambda s: [r.name for r in s.exec(select(ConversationState))])
        assert names == ["suvu"]


async def test_a_date_long_ago_is_confirmed_not_taken_silently(seeded, clock, kb) -> None:
    who = person(OFFICER)
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/suvu", who=who))
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        await bot.process(bot.private("p.5", who=who))
        await bot.process(bot.private("25/12", who=who))  # on 22/11/2026: 25/12/2025
        ask = bot.last(OFFICER)
        assert text_of(ask).startswith(t.DATE_CHECK.format(date="25/12/2025", days=30))
        assert buttons_of(ask)[0] == ("Đúng, ngày 25/12/2025", "sv:f:date:confirm")
        await bot.process(bot.private("20/11", who=who))  # retyped: two days back, taken
        assert text_of(bot.last(OFFICER)).startswith("Bước 5/10.")
        await bot.process(bot.tap(bot.last(OFFICER), "sv:f:date:confirm", who=who))  # passed
        assert text_of(bot.last(OFFICER)).startswith("Bước 5/10.")
    with seeded.unit_of_work() as s:
        from features import incident_drafts
        from tests.support.incidents_kit import cipher as kit_cipher

        form = incident_drafts.load(s, kit_cipher(), OFFICER, OFFICER, clock.now(),
                                    handler.TIMEOUT)
        assert form.draft.occurred_on.isoformat() == "2026-11-20"


async def test_actions_step_offers_nothing_yet_and_other(seeded, clock, kb) -> None:
    who = person(OFFICER)
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/suvu", who=who))
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        await bot.process(bot.private("p.5", who=who))
        for data in ("sv:f:date:yesterday", "sv:f:sex:female", "sv:f:age:6-10",
                     "sv:f:perp:step_parent"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        await bot.process(bot.private("Trẻ bị đánh", who=who))
        actions = bot.last(OFFICER)
        assert ("☐ Khác", "sv:f:actions:other") in buttons_of(actions) or any(
            d == "sv:f:actions:other" for _, d in buttons_of(actions))
        assert (t.BUTTON_NOTHING_YET, "sv:f:actions:none") in buttons_of(actions)
        await bot.process(bot.tap(actions, "sv:f:actions:none", who=who))
        assert text_of(bot.last(OFFICER)).startswith("Bước 10/10.")


async def test_an_idle_form_is_kept_a_day_and_offered_again(seeded, clock, kb) -> None:
    who = person(OFFICER)
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/suvu", who=who))
        for data in ("sv:f:kind:violence", "sv:f:setting:family"):
            await bot.process(bot.tap(bot.last(OFFICER), data, who=who))
        clock.advance(hours=3)
        await handler.conversation.expire_idle(bot.app)  # the idle job keeps it
        await bot.process(bot.private("/suvu", who=who))
        offer = bot.last(OFFICER)
        assert text_of(offer) == t.RESUME_ASK.format(n=3, total=10)
        assert buttons_of(offer) == [(t.BUTTON_RESUME, "sv:resume"),
                                     (t.BUTTON_RESTART, "sv:restart")]
        await bot.process(bot.tap(offer, "sv:resume", who=who))
        assert text_of(bot.last(OFFICER)).startswith("Bước 3/10.")
        await bot.process(bot.private("/suvu", who=who))
        await bot.process(bot.tap(bot.last(OFFICER), "sv:restart", who=who))
        assert text_of(bot.last(OFFICER)).startswith("Bước 1/10.")
        clock.advance(hours=25)
        await bot.process(bot.private("/suvu", who=who))
        assert text_of(bot.last(OFFICER)).startswith("Bước 1/10.")  # a day later: gone


async def test_suvu_tk_counts_by_type_and_month_with_small_counts_hidden(seeded, clock,
                                                                         kb) -> None:
    for message_id in (1, 2, 3):
        seeded.call(incidents.create, OFFICER_ACTOR, cipher(), draft(), source_chat_id=OFFICER,
                    source_message_id=message_id, now=clock.now())
    seeded.call(incidents.create, OFFICER_ACTOR, cipher(), draft(kind="neglect"),
                source_chat_id=OFFICER, source_message_id=4, now=clock.now())
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await bot.process(bot.private("/suvu_tk", who=person(COORD)))
        lines = text_of(bot.last(COORD)).splitlines()
        assert lines[0] == t.STATS_HEAD.format(total=4)
        assert "• Bạo lực: 3" in lines
        assert "• 2026-11: 4" in lines
        assert any(line.endswith(": < 3") for line in lines)  # the one neglect case
        assert PLANTED_MARK not in "\n".join(lines)
        await bot.process(bot.private("/suvu_tk", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)) == t.NOT_READER
        calls = await bot.process(bot.group("/suvu_tk", who=person(COORD)))
        assert [text_of(c.result) for c in calls if c.method == "sendMessage"] == [
            t.STATS_PRIVATE_ONLY]
    assert len(seeded.call(audit.list_entries, action=incidents.COUNTED)) == 1
