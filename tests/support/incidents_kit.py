"""Helpers of the incident tests: people and roles, a complete draft, the /suvu form by hand.

Roles (Quận 3 is the plan of the incidents unless said otherwise):
``OFFICER`` of Phòng Y tế (Quận 3), ``OFFICER_OTHER`` of Sở LĐ-TB&XH (Cần Thơ: another
plan), ``COORD`` coordinating Quận 3, ``OTHER_COORD`` coordinating Cần Thơ, ``ADMIN`` (in
``ADMIN_IDS``), ``STRANGER`` (nobody).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.local_api import JSON
from features import registry
from features.incident_fields import IncidentDraft
from features.permissions import Actor
from storage.crypto import FieldCipher
from tests.support.factories import TEST_INCIDENT_KEY, OfflineBot, private_chat, user

OFFICER = 1001
OFFICER_OTHER = 1003
COORD = 2001
OTHER_COORD = 2002
ADMIN = 3001
STRANGER = 4001
PLAN = "quan3-2020"
OTHER_PLAN = "cantho-2017"
# A description that must never be found outside the encrypted column and the reader's chat.
PLANTED = "PLANTEDx7Q: trẻ bị cha dượng đánh bằng thắt lưng sau nhà kho"
PLANTED_MARK = "PLANTEDx7Q"

OFFICER_ACTOR = Actor(OFFICER, officer_of=(PLAN, "phong-yte"))
OTHER_OFFICER_ACTOR = Actor(OFFICER_OTHER, officer_of=(OTHER_PLAN, "so-ldtbxh"))
COORD_ACTOR = Actor(COORD, coordinator_of=frozenset({PLAN}))
OTHER_COORD_ACTOR = Actor(OTHER_COORD, coordinator_of=frozenset({OTHER_PLAN}))
ADMIN_ACTOR = Actor(ADMIN, is_admin=True)
STRANGER_ACTOR = Actor(STRANGER)


def cipher() -> FieldCipher:
    """The cipher of the tests' INCIDENT_KEY."""
    return FieldCipher([TEST_INCIDENT_KEY])


def draft(**changes: Any) -> IncidentDraft:
    """A complete form (violence at home, Phường 5), with ``changes``."""
    base = IncidentDraft(
        kind="violence", setting="family", place="Phường 5", occurred_on=dt.date(2026, 11, 21),
        child_sex="female", age_group="6-10", perpetrator="step_parent", description=PLANTED,
        actions=("police", "hotline_111"), urgency="urgent",
    )
    return base.with_(**changes)


def seed_roles(db: Any, now: dt.datetime) -> None:
    """Register the people of this module (approved)."""
    cli = Actor.command_line("test")
    with db.unit_of_work() as s:
        registry.grant_coordinator(s, cli, COORD, PLAN, now=now, full_name="Điều phối Quận 3")
        registry.grant_coordinator(s, cli, OTHER_COORD, OTHER_PLAN, now=now,
                                   full_name="Điều phối Cần Thơ")
        for uid, plan, unit in ((OFFICER, PLAN, "phong-yte"),
                                (OFFICER_OTHER, OTHER_PLAN, "so-ldtbxh")):
            reg = registry.request_officer(s, telegram_id=uid, plan_id=plan, unit_id=unit,
                                           now=now, full_name="Cán bộ")
            registry.decide(s, cli, reg.id, approve=True, now=now)


def person(uid: int) -> JSON:
    """The Telegram user ``uid``."""
    return user(uid, "Cán bộ")


def know(bot: OfflineBot, *uids: int) -> None:
    """These users have started the bot (it may write to them first)."""
    for uid in uids:
        bot.api.remember_chat(private_chat(uid, "Cán bộ"))


async def fill_form(bot: OfflineBot, uid: int = OFFICER, *, description: str = PLANTED,
                    place: str = "p.5") -> JSON:
    """Answer every step of /suvu as ``uid``; return the confirmation message."""
    who = person(uid)
    await bot.process(bot.private("/suvu", who=who))
    for data in ("sv:f:kind:violence", "sv:f:setting:family"):
        await bot.process(bot.tap(bot.last(uid), data, who=who))
    await bot.process(bot.private(place, who=who))
    for data in ("sv:f:date:yesterday", "sv:f:sex:female", "sv:f:age:6-10",
                 "sv:f:perp:step_parent"):
        await bot.process(bot.tap(bot.last(uid), data, who=who))
    await bot.process(bot.private(description, who=who))
    actions = bot.last(uid)
    for data in ("sv:f:actions:police", "sv:f:actions:hotline_111", "sv:f:actions:done"):
        await bot.process(bot.tap(actions, data, who=who))
    await bot.process(bot.tap(bot.last(uid), "sv:f:urgency:urgent", who=who))
    return bot.last(uid)
