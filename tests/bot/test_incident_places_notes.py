"""Issue 13, items 7 and 18 on the one conversation mechanism: the place step offers the plan's
communes and reads loosely typed names; the reporter adds a note after saving ("bổ sung thông
tin", /suvu_bosung), encrypted, audited, shown on the coordinator's detail view."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.handlers import incidents as handler
from core.texts import incidents as t
from features import incident_drafts
from storage import audit
from storage.models import Incident
from tests.support.factories import buttons_of, make_settings, offline_bot, text_of
from tests.support.incidents_kit import (
    ADMIN,
    COORD,
    OFFICER,
    OFFICER_OTHER,
    cipher,
    fill_form,
    know,
    person,
    seed_roles,
)

SETTINGS = {"admin_ids": [ADMIN]}
NOTE = "NOTEx9Z: trẻ đã được đưa về nhà bà ngoại"


@pytest.fixture
def seeded(sqlite_db, clock):
    seed_roles(sqlite_db, clock.now())
    return sqlite_db


async def _to_place(bot) -> None:
    who = person(OFFICER)
    await bot.process(bot.private("/suvu", who=who))
    for data in ("sv:f:kind:violence", "sv:f:setting:family"):
        await bot.process(bot.tap(bot.last(OFFICER), data, who=who))


async def test_place_step_offers_the_plans_communes_as_buttons(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await _to_place(bot)
        question = bot.last(OFFICER)
        labels = [label for label, _ in buttons_of(question)]
        for commune in ("Phường Xuân Hòa", "Phường Bàn Cờ", "Phường 5", "Phường Võ Thị Sáu"):
            assert commune in labels
        assert t.PLACE_BUTTONS in text_of(question)
        data = next(d for label, d in buttons_of(question) if label == "Phường Xuân Hòa")
        await bot.process(bot.tap(question, data, who=person(OFFICER)))
        assert "Phường Xuân Hòa" in text_of(bot.api.messages[(OFFICER, question["message_id"])])
        assert text_of(bot.last(OFFICER)).startswith("Bước 4/10")


@pytest.mark.parametrize(("typed", "place"), [
    ("phuong 5", "Phường 5"), ("vo thi sau", "Phường Võ Thị Sáu"), ("p.5", "Phường 5"),
    ("xuan hoa", "Phường Xuân Hòa"), ("phường bàn cờ", "Phường Bàn Cờ"),
    ("xa binh hai", "Xã Binh Hai"),  # not a commune of Quận 3: tidied only
])
async def test_typed_commune_names_are_normalised(seeded, clock, kb, typed, place) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        await _to_place(bot)
        await bot.process(bot.private(typed, who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)).startswith("Bước 4/10")
        form = seeded.call(incident_drafts.load, cipher(), OFFICER, OFFICER, clock.now(),
                           handler.TIMEOUT)
        assert form.draft.place == place


async def _saved(bot) -> str:
    confirm = await fill_form(bot)
    await bot.process(bot.tap(confirm, "sv:ok", who=person(OFFICER)))
    receipt = text_of(bot.api.messages[(OFFICER, confirm["message_id"])])
    assert "/suvu_bosung SV-2026-0001" in receipt
    return "SV-2026-0001"


async def test_reporter_adds_a_note_shown_to_the_coordinator(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        know(bot, COORD, ADMIN)
        number = await _saved(bot)
        await bot.process(bot.private("/suvu_bosung", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)).startswith(f"Gửi thông tin bổ sung cho sự vụ {number}")
        await bot.process(bot.private(NOTE, who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)).startswith(
            f"✅ Đã bổ sung thông tin cho sự vụ {number}")
        told = bot.last(COORD)
        assert number in text_of(told)
        assert "NOTEx9Z" not in text_of(told)
        # encrypted at rest, audited
        rows = seeded.call(lambda s: list(s.exec(select(Incident)).all()))
        assert "NOTEx9Z" not in rows[0].content
        entries = seeded.call(lambda s: list(audit.list_entries(s, action="incident.noted")))
        assert [(e.target, e.actor_id) for e in entries] == [(number, OFFICER)]
        # the coordinator's detail view shows it, with the reporter's name and unit
        await bot.process(bot.tap(told, f"sv:open:{number}", who=person(COORD)))
        detail = text_of(bot.last(COORD))
        assert NOTE in detail
        assert t.DETAIL_NOTES in detail
        assert "Người ghi: Cán bộ" in detail
        assert "Phòng Y tế" in detail


async def test_only_the_reporter_adds_a_note(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        number = await _saved(bot)
        await bot.process(bot.private(f"/suvu_bosung {number}", who=person(OFFICER_OTHER)))
        assert text_of(bot.last(OFFICER_OTHER)) == t.NOTE_NOT_REPORTER
        await bot.process(bot.private("một câu hỏi", who=person(OFFICER_OTHER)))
        assert "bổ sung" not in text_of(bot.last(OFFICER_OTHER)).lower()  # no note waiting


async def test_note_empty_or_cancelled(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        number = await _saved(bot)
        await bot.process(bot.private(f"/suvu_bosung {number.lower()}", who=person(OFFICER)))
        await bot.process(bot.private("x" * 1001, who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)) == t.NOTE_TOO_LONG.format(limit=1000)
        await bot.process(bot.private("/huy", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)) == t.NOTE_CANCELLED


async def test_a_note_never_drops_a_form_under_way(seeded, clock, kb) -> None:
    async with offline_bot(make_settings(**SETTINGS), kb=kb, db=seeded, clock=clock) as bot:
        number = await _saved(bot)
        await _to_place(bot)  # a second form, under way
        await bot.process(bot.private(f"/suvu_bosung {number}", who=person(OFFICER)))
        assert text_of(bot.last(OFFICER)) == t.NOTE_BUSY
        form = seeded.call(incident_drafts.load, cipher(), OFFICER, OFFICER, clock.now(),
                           handler.TIMEOUT)
        assert form.state == "place"
