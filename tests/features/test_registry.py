"""Registry and permissions as plain services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from features import registry
from features.permissions import Action, Actor, PermissionDenied, allowed, load_actor
from storage import audit
from storage.models import STATUS_APPROVED, STATUS_PENDING, STATUS_REFUSED, STATUS_WITHDRAWN

NOW = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
ADMIN, COORD, OFFICER, OTHER_COORD, STRANGER = 1, 2, 3, 4, 5
CLI = Actor.command_line()


def _setup(s) -> int:
    registry.grant_coordinator(s, CLI, COORD, "quan3-2020", now=NOW, full_name="Điều phối Q3")
    registry.grant_coordinator(s, CLI, OTHER_COORD, "cantho-2017", now=NOW)
    reg = registry.request_officer(
        s, telegram_id=OFFICER, plan_id="quan3-2020", unit_id="phong-yte", now=NOW,
        full_name="Trần Thị Y",
    )
    return reg.id


def test_register_and_approve(db) -> None:
    with db.unit_of_work() as s:
        reg_id = _setup(s)
        assert registry.approvers(s, "quan3-2020", [ADMIN]) == [COORD]
        assert registry.approvers(s, "ducpho-2023", [ADMIN]) == [ADMIN]
    with db.unit_of_work() as s:
        coord = load_actor(s, COORD, [ADMIN])
        assert coord.coordinator_of == {"quan3-2020"}
        reg = registry.decide(s, coord, reg_id, approve=True, now=NOW)
        assert reg.status == STATUS_APPROVED
    with db.unit_of_work() as s:
        officer = load_actor(s, OFFICER, [ADMIN])
        assert officer.officer_of == ("quan3-2020", "phong-yte")
        assert registry.officers_of(s, "quan3-2020", "phong-yte") == [OFFICER]
        with pytest.raises(registry.NotPending):
            registry.decide(s, load_actor(s, ADMIN, [ADMIN]), reg_id, approve=False, now=NOW)
        with pytest.raises(registry.AlreadyRegistered):
            registry.request_officer(
                s, telegram_id=OFFICER, plan_id="quan3-2020", unit_id="phong-yte", now=NOW
            )
        actions = [e.action for e in audit.list_entries(s)]
    assert actions.count(audit.ROLE_GRANTED) == 2
    assert audit.REGISTRATION_APPROVED in actions


@pytest.mark.parametrize(
    ("decider", "ok"),
    [(STRANGER, False), (OFFICER, False), (OTHER_COORD, False), (COORD, True), (ADMIN, True)],
)
def test_decision_permission(db, decider: int, ok: bool) -> None:
    with db.unit_of_work() as s:
        reg_id = _setup(s)
        # an approved officer of another unit, to have an "officer" role to test
        other = registry.request_officer(
            s, telegram_id=STRANGER + 100, plan_id="quan3-2020", unit_id="phong-gddt", now=NOW
        )
        registry.decide(s, CLI, other.id, approve=True, now=NOW)
    with db.unit_of_work() as s:
        actor = load_actor(s, decider, [ADMIN])
        if decider == OFFICER:  # make the officer an approved officer first
            actor = Actor(OFFICER, officer_of=("quan3-2020", "phong-gddt"))
        if ok:
            assert registry.decide(s, actor, reg_id, approve=False, now=NOW).status == (
                STATUS_REFUSED
            )
        else:
            with pytest.raises(PermissionDenied):
                registry.decide(s, actor, reg_id, approve=True, now=NOW)


def test_moving_to_another_unit(db) -> None:
    with db.unit_of_work() as s:
        first = registry.request_officer(
            s, telegram_id=OFFICER, plan_id="quan3-2020", unit_id="phong-yte", now=NOW
        )
        registry.decide(s, CLI, first.id, approve=True, now=NOW)
        second = registry.request_officer(
            s, telegram_id=OFFICER, plan_id="quan3-2020", unit_id="phong-gddt", now=NOW
        )
        third = registry.request_officer(
            s, telegram_id=OFFICER, plan_id="quan3-2020", unit_id="phong-tu-phap", now=NOW
        )
        # the approved one stays until the new one is approved; the older pending is withdrawn
        states = {r.id: r.status for r in registry.list_registrations(s, telegram_id=OFFICER)}
        assert states == {
            first.id: STATUS_APPROVED, second.id: STATUS_WITHDRAWN, third.id: STATUS_PENDING
        }
        registry.decide(s, CLI, third.id, approve=True, now=NOW)
        assert load_actor(s, OFFICER, []).officer_of == ("quan3-2020", "phong-tu-phap")
        states = {r.id: r.status for r in registry.list_registrations(s, telegram_id=OFFICER)}
        assert states[first.id] == STATUS_WITHDRAWN


def test_grant_is_admin_only_and_idempotent(db) -> None:
    with db.unit_of_work() as s:
        _setup(s)
        again = registry.grant_coordinator(s, CLI, COORD, "quan3-2020", now=NOW)
        assert len(registry.list_registrations(s, telegram_id=COORD)) == 1
        assert again.status == STATUS_APPROVED
        with pytest.raises(PermissionDenied):
            registry.grant_coordinator(s, load_actor(s, COORD, []), 9, "quan3-2020", now=NOW)
        revoked = registry.revoke(s, CLI, COORD, "quan3-2020", now=NOW)
        assert [r.role for r in revoked] == ["coordinator"]
        assert load_actor(s, COORD, []).coordinator_of == frozenset()
        assert registry.revoke(s, CLI, COORD, "quan3-2020", now=NOW) == []


@pytest.mark.parametrize(
    ("actor", "action", "plan", "unit", "ok"),
    [
        (Actor(9), Action.VIEW_STATUS, "quan3-2020", None, False),
        (Actor(9, officer_of=("quan3-2020", "phong-yte")), Action.VIEW_STATUS, "quan3-2020",
         None, False),
        (Actor(9, coordinator_of=frozenset({"cantho-2017"})), Action.EXPORT, "quan3-2020",
         None, False),
        (Actor(9, coordinator_of=frozenset({"quan3-2020"})), Action.EXPORT, "quan3-2020",
         None, True),
        (Actor(9, coordinator_of=frozenset({"quan3-2020"})), Action.GRANT_ROLE, None, None,
         False),
        (Actor(9, is_admin=True), Action.GRANT_ROLE, None, None, True),
        (Actor(9, officer_of=("quan3-2020", "phong-yte")), Action.SUBMIT_REPORT, "quan3-2020",
         "phong-yte", True),
        (Actor(9, officer_of=("quan3-2020", "phong-yte")), Action.SUBMIT_REPORT, "quan3-2020",
         "phong-gddt", False),
        (Actor(9, officer_of=("quan3-2020", "phong-yte")), Action.READ_REPORT, "quan3-2020",
         "phong-gddt", False),
        (Actor(9, coordinator_of=frozenset({"quan3-2020"})), Action.READ_REPORT, "quan3-2020",
         "phong-gddt", True),
    ],
)
def test_allowed_table(actor, action, plan, unit, ok) -> None:
    assert allowed(actor, action, plan_id=plan, unit_id=unit) is ok


@pytest.mark.parametrize(
    ("typed", "plan_ids", "expected"),
    [
        ("phong y te q3", None, ("quan3-2020", "phong-yte")),
        ("Phòng Y tế Quận 3", None, ("quan3-2020", "phong-yte")),
        ("cong an quan 3", None, ("quan3-2020", "cong-an-quan")),
        ("so y te can tho", None, ("cantho-2017", "so-y-te")),
        ("giao duc", ["quan3-2020"], ("quan3-2020", "phong-gddt")),
        ("ubnd phuong", ["quan3-2020"], ("quan3-2020", "ubnd-phuong")),
    ],
)
def test_find_units_sure(kb, typed, plan_ids, expected) -> None:
    match = registry.sure_match(registry.find_units(kb, typed, plan_ids=plan_ids))
    assert match is not None
    assert (match.plan_id, match.unit_id) == expected


def test_find_units_ambiguous_or_unknown(kb) -> None:
    matches = registry.find_units(kb, "phong tu phap")
    assert registry.sure_match(matches) is None  # Quận 3 and Đức Phổ both have one
    assert {m.plan_id for m in matches[:2]} == {"quan3-2020", "ducpho-2023"}
    assert registry.find_units(kb, "xyz abc") == []
    assert registry.find_units(kb, "   ") == []
