"""Today's places (issue 14): the five plans' places after the 2025 reorganisation, checked in the
package's data against the reference, and today's names accepted by /dangky, /kehoach and typed
plan arguments."""

from __future__ import annotations

import pytest

from bot.cli.knowledge import _check_plan
from core.texts import common as ct
from features import registry
from features.plans import match_plans
from knowledge.place_plans import note, plans_for_place, today_names
from knowledge.places import gazetteer
from storage import chats
from tests.support.factories import GROUP_ID, USER_ID, make_settings, offline_bot, text_of

# the reference (shared/reference/vietnam-2025.md): old place → today's province
TODAY = {
    "quan3-2020": "Thành phố Hồ Chí Minh",
    "haiduong-2017": "Thành phố Hải Phòng",
    "cantho-2017": "Thành phố Cần Thơ",
    "ducpho-2023": "Tỉnh Quảng Ngãi",
    "binhson-2023": "Tỉnh Quảng Ngãi",
}
HOW = {"quan3-2020": "contains", "haiduong-2017": "merged", "cantho-2017": "own",
       "ducpho-2023": "contains", "binhson-2023": "contains"}


def test_the_package_agrees_with_the_reference():
    gaz = gazetteer()
    merged_into = {
        "Thành phố Cần Thơ": ["Tỉnh Sóc Trăng", "Tỉnh Hậu Giang", "Thành phố Cần Thơ"],
        "Tỉnh Quảng Ngãi": ["Tỉnh Kon Tum", "Tỉnh Quảng Ngãi"],
        "Thành phố Hải Phòng": ["Tỉnh Hải Dương", "Thành phố Hải Phòng"],
    }
    for new, olds in merged_into.items():
        for old in olds:
            (place,) = [p for p in gaz.lookup(old) if p.era == "old" and p.level == "province"]
            assert gaz.successor_province(place).name == new


@pytest.mark.parametrize("plan_id", sorted(TODAY))
def test_todays_province_reaches_the_plan(kb, plan_id):
    assert today_names(kb)[plan_id][0] == TODAY[plan_id]
    for name in today_names(kb)[plan_id]:
        matches = {m.plan_id: m for m in plans_for_place(kb, name)}
        assert plan_id in matches
        assert matches[plan_id].how == HOW[plan_id]


@pytest.mark.parametrize("plan_id", ["quan3-2020", "ducpho-2023", "binhson-2023"])
def test_each_commune_formed_from_a_district_reaches_its_plan(kb, plan_id):
    gaz = gazetteer()
    own = next(m.own for m in plans_for_place(kb, kb.plans[plan_id].locality)
               if m.plan_id == plan_id)
    communes = gaz.new_communes_of(own)
    assert communes
    for commune in communes:
        matches = {m.plan_id: m for m in plans_for_place(kb, commune.name)}
        assert matches[plan_id].how == "merged", commune.name
        assert "được lập năm 2025 từ địa bàn của" in note(kb, matches[plan_id])


@pytest.mark.parametrize("plan_id", ["haiduong-2017", "cantho-2017"])
def test_communes_of_a_province_plan_are_inside_it(kb, plan_id):
    gaz = gazetteer()
    own = next(m.own for m in plans_for_place(kb, kb.plans[plan_id].locality)
               if m.plan_id == plan_id)
    communes = [c for d in gaz.places.values() if d.level == "district" and d.era == "old"
                and d.province == own.province for c in gaz.new_communes_of(d)]
    assert communes
    for commune in communes[:40]:
        assert plan_id in {m.plan_id for m in plans_for_place(kb, commune.name)}, commune.name


def test_typed_plan_arguments_accept_todays_names(kb):
    # the one reading of a plan argument (features.plans, behind every coordinator command)
    assert match_plans(kb, "Hải Phòng") == ["haiduong-2017"]
    assert match_plans(kb, "tp hcm") == ["quan3-2020"]
    assert len(match_plans(kb, "Quảng Ngãi")) == 2  # two plans: ambiguous, no plan chosen
    assert _check_plan(kb, "Hải Phòng") == "haiduong-2017"
    assert _check_plan(kb, "cantho-2017") == "cantho-2017"


def test_registration_matching_accepts_todays_province(kb):
    sure = registry.sure_match(registry.find_units(kb, "Sở Y tế Hải Phòng"))
    assert (sure.plan_id, sure.unit_id) == ("haiduong-2017", "so-y-te")
    sure = registry.sure_match(registry.find_units(kb, "phòng y tế Hồ Chí Minh"))
    assert (sure.plan_id, sure.unit_id) == ("quan3-2020", "phong-yte")


@pytest.fixture
async def bot(sqlite_db, kb, clock):
    async with offline_bot(make_settings(admin_ids=[USER_ID]), kb=kb, db=sqlite_db,
                           clock=clock) as b:
        yield b


async def test_kehoach_with_todays_name_selects_the_plan_and_says_why(bot, sqlite_db):
    await bot.process(bot.group("/kehoach Hải Phòng"))
    reply = text_of(bot.last(GROUP_ID))
    assert reply.startswith("Thành phố Hải Phòng nay gồm cả tỉnh Hải Dương cũ (từ 01/07/2025,"
                            " Nghị quyết 202/2025/QH15): Kế hoạch tỉnh Hải Dương 2017.")
    assert sqlite_db.call(chats.get_chat_plan, GROUP_ID) == "haiduong-2017"


async def test_kehoach_with_a_place_of_two_plans_offers_them(bot, sqlite_db):
    await bot.process(bot.group("/kehoach Quảng Ngãi"))
    last = bot.last(GROUP_ID)
    assert text_of(last).startswith(ct.PLANS_OF_PLACE.format(place="Quảng Ngãi", n=2))
    assert "reply_markup" in last
    assert sqlite_db.call(chats.get_chat_plan, GROUP_ID) is None


async def test_dangky_with_todays_province(bot, sqlite_db):
    await bot.process(bot.private("/dangky Sở Y tế Hải Phòng"))
    with sqlite_db.unit_of_work() as s:
        regs = registry.list_registrations(s, telegram_id=USER_ID)
    assert [(r.plan_id, r.unit_id) for r in regs] == [("haiduong-2017", "so-y-te")]
