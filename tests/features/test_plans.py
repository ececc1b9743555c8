"""resolve_plan: the plan of a coordinator command, typed loosely, or why there is none."""

from __future__ import annotations

import pytest

from features.permissions import Action, Actor, PermissionDenied
from features.plans import PlanProblem, match_plans, resolve_plan
from storage import chats

COORD = Actor(2001, coordinator_of=frozenset({"quan3-2020"}))


@pytest.mark.parametrize("typed", ["quan3-2020", "quan 3", "q3", "quận 3", "Quận 3",
                                   "QUAN3-2020", "quan3", "tp hcm"])
def test_loose_plan_arguments_name_quan3(kb, typed):
    assert match_plans(kb, typed) == ["quan3-2020"]


def test_title_words_and_places(kb):
    assert match_plans(kb, "Hải Phòng") == ["haiduong-2017"]
    assert match_plans(kb, "thực hiện công tác trẻ em") == ["ducpho-2023"]
    assert match_plans(kb, "xyz") == []


def test_resolution_outcomes(sqlite_db, kb):
    def run(actor, arg, chat_id=None, action=None):
        return sqlite_db.call(resolve_plan, kb, actor, arg, chat_id, "tinhhinh", action=action)

    found = run(COORD, "quan 3", action=Action.VIEW_STATUS)
    assert found.ok
    assert found.plan_id == "quan3-2020"
    assert found.actor == COORD
    assert run(COORD, "xyz").problem is PlanProblem.UNKNOWN
    many = run(COORD, "Quảng Ngãi")
    assert many.problem is PlanProblem.AMBIGUOUS
    assert many.candidates == ("binhson-2023", "ducpho-2023")
    assert run(Actor(5), None).problem is PlanProblem.NONE_CHOSEN
    assert run(COORD, None).plan_id == "quan3-2020"  # the actor's own plan
    refused = run(COORD, "cantho-2017", action=Action.VIEW_STATUS)
    assert refused.problem is PlanProblem.NOT_YOURS
    assert refused.plan_id == "cantho-2017"
    with pytest.raises(PermissionDenied):
        refused.require()


def test_chat_plan_and_user_id(sqlite_db, kb, clock):
    sqlite_db.call(chats.set_chat_plan, -100, "cantho-2017", now=clock.now())
    found = sqlite_db.call(resolve_plan, kb, 2001, None, -100, "tinhhinh", admin_ids=[2001])
    assert found.plan_id == "cantho-2017"
    assert found.actor.is_admin
