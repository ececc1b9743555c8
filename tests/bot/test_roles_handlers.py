"""/capquyen, /thuhoi, /choduyet with a plan typed loosely; refusals through one mapping."""

from __future__ import annotations

import pytest

from core.texts import registration as t
from features import registry
from features.permissions import Actor, load_actor
from tests.support.factories import make_settings, text_of
from tests.support.reports_kit import (
    ADMIN,
    COORD,
    PLAN,
    STRANGER,
    know_private_chats,
    person,
    reports_bot,
)


@pytest.fixture
async def bot(sqlite_db, kb, clock, tmp_path):
    with sqlite_db.unit_of_work() as s:
        registry.grant_coordinator(s, Actor.command_line(), COORD, PLAN, now=clock.now())
    settings = make_settings(admin_ids=[ADMIN], files_dir=tmp_path / "files")
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as b:
        know_private_chats(b.api, COORD, ADMIN, STRANGER)
        yield b


ADMIN_USER = person(ADMIN, "Quản trị")


@pytest.mark.parametrize("typed", ["quận 3", "q3", "Quận 3"])
async def test_grant_with_a_plan_typed_loosely(bot, sqlite_db, typed):
    await bot.process(bot.private(f"/capquyen {STRANGER} {typed}", who=ADMIN_USER))
    assert "Quận 3 (2020)" in text_of(bot.last(ADMIN))
    actor = sqlite_db.call(load_actor, STRANGER, [])
    assert actor.coordinator_of == frozenset({PLAN})


async def test_grant_with_an_ambiguous_plan_names_the_candidates(bot, sqlite_db):
    await bot.process(bot.private(f"/capquyen {STRANGER} Quảng Ngãi", who=ADMIN_USER))
    assert "binhson-2023, ducpho-2023" in text_of(bot.last(ADMIN))
    assert sqlite_db.call(load_actor, STRANGER, []).coordinator_of == frozenset()


async def test_revoke_with_a_plan_typed_loosely_and_one_role(bot, sqlite_db):
    await bot.process(bot.private(f"/capquyen {STRANGER} quan 3", who=ADMIN_USER))
    await bot.process(bot.private(f"/thuhoi {STRANGER} quan 3 điều phối", who=ADMIN_USER))
    assert text_of(bot.last(ADMIN)) == t.REVOKED.format(count=1, user_id=STRANGER, plan=PLAN)
    assert sqlite_db.call(load_actor, STRANGER, []).coordinator_of == frozenset()


async def test_refusals_are_one_reply(bot):
    for command in (f"/capquyen {STRANGER} {PLAN}", "/capquyen", f"/thuhoi {STRANGER} {PLAN}",
                    "/choduyet cantho-2017"):
        await bot.process(bot.private(command, who=person(COORD, "Hùng")))
        assert text_of(bot.last(COORD)) == t.NOT_ALLOWED, command


async def test_choduyet_with_a_plan_typed_loosely(bot):
    await bot.process(bot.private("/choduyet quận 3", who=person(COORD, "Hùng")))
    assert text_of(bot.last(COORD)) == t.PENDING_NONE.format(plan="Quận 3 (2020)")
