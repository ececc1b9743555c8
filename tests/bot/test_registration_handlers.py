"""/dangky, approval buttons, /toi, /choduyet, /capquyen, /thuhoi through the real application."""

from __future__ import annotations

import pytest

from core.texts import registration as t
from features import registry
from features.permissions import load_actor
from storage import audit, conversations
from storage.models import STATUS_APPROVED, STATUS_PENDING, STATUS_REFUSED
from tests.support.factories import buttons_of, make_settings, text_of
from tests.support.reports_kit import (
    ADMIN,
    COORD,
    OTHER_COORD,
    PLAN,
    STRANGER,
    know_private_chats,
    person,
    reports_bot,
)

NEW = 5001  # an officer who registers in these tests


@pytest.fixture
async def bot(sqlite_db, kb, clock, tmp_path):
    with sqlite_db.unit_of_work() as s:
        from features.permissions import Actor

        registry.grant_coordinator(s, Actor.command_line(), COORD, PLAN, now=clock.now(),
                                   full_name="Điều phối Quận 3")
    settings = make_settings(admin_ids=[ADMIN], files_dir=tmp_path / "files")
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as b:
        b.who = person(NEW, "Minh")
        know_private_chats(b.api, COORD, OTHER_COORD, ADMIN, STRANGER)
        yield b


def _regs(db, user_id=NEW):
    with db.unit_of_work() as s:
        return registry.list_registrations(s, telegram_id=user_id)


async def test_register_with_buttons_then_approved(bot, sqlite_db):
    await bot.process(bot.private("/dangky"))
    plans = bot.last()
    assert text_of(plans) == t.CHOOSE_PLAN
    assert "Quận 3 (2020)" in [text for text, _ in buttons_of(plans)]
    plan_button = next(d for text, d in buttons_of(plans) if text == "Quận 3 (2020)")
    await bot.process(bot.tap(plans, plan_button))
    units = bot.api.messages[(NEW, plans["message_id"])]
    assert text_of(units).startswith("Kế hoạch: Quận 3 (2020).\nHãy chọn đơn vị của bạn")
    assert len(buttons_of(units)) == 11
    unit_button = next(d for text, d in buttons_of(units) if text == "Phòng Y tế")
    calls = await bot.process(bot.tap(units, unit_button))
    sent = {c.params["chat_id"]: c.params for c in calls if c.method == "sendMessage"}
    assert text_of(sent[NEW]) == t.REQUEST_SENT.format(unit="Phòng Y tế", plan="Quận 3 (2020)")
    (reg,) = _regs(sqlite_db)
    assert (reg.unit_id, reg.status, reg.full_name) == ("phong-yte", STATUS_PENDING, "Minh")
    ask = bot.last(COORD)
    assert text_of(ask) == (
        f"Yêu cầu đăng ký mới #{reg.id}:\nMinh (mã {NEW}) xin làm cán bộ của Phòng Y tế — "
        "Quận 3 (2020)."
    )
    coord = person(COORD, "Hùng")
    approve = next(d for text, d in buttons_of(ask) if text == t.APPROVE_BUTTON)
    await bot.process(bot.tap(ask, approve, who=coord))
    assert text_of(bot.api.messages[(COORD, ask["message_id"])]).startswith("✅ Đã duyệt")
    assert text_of(bot.last(NEW)).startswith("Yêu cầu đăng ký của bạn đã được duyệt")
    assert [r.status for r in _regs(sqlite_db)] == [STATUS_APPROVED]
    # a second tap on the old button: already decided
    calls = await bot.process(bot.tap(ask, approve, who=coord))
    alerts = [c.params["text"] for c in calls if c.method == "answerCallbackQuery"]
    assert alerts == [t.ALREADY_DECIDED.format(status="đã được duyệt")]
    with sqlite_db.unit_of_work() as s:
        (entry,) = audit.list_entries(s, action=audit.REGISTRATION_APPROVED)
    assert (entry.actor_id, entry.details["user_id"]) == (COORD, NEW)


async def test_register_by_typing_the_unit(bot, sqlite_db):
    await bot.process(bot.private("/dangky phong y te q3"))
    assert text_of(bot.last(NEW)) == t.REQUEST_SENT.format(unit="Phòng Y tế",
                                                          plan="Quận 3 (2020)")
    assert [(r.plan_id, r.unit_id) for r in _regs(sqlite_db)] == [(PLAN, "phong-yte")]


async def test_typed_unit_inside_the_conversation(bot, sqlite_db):
    await bot.process(bot.private("/dangky"))
    plans = bot.last()
    quan3 = next(d for x, d in buttons_of(plans) if x == "Quận 3 (2020)")
    await bot.process(bot.tap(plans, quan3))
    await bot.process(bot.private("xyz khong co"))
    assert text_of(bot.last()).startswith("Tôi không tìm thấy đơn vị nào tên “xyz khong co”")
    await bot.process(bot.private("tu phap"))
    assert text_of(bot.last(NEW)) == t.REQUEST_SENT.format(unit="Phòng Tư pháp",
                                                       plan="Quận 3 (2020)")
    with sqlite_db.unit_of_work() as s:
        assert conversations.load(s, NEW, NEW) is None


async def test_ambiguous_typed_unit_offers_buttons(bot, sqlite_db):
    await bot.process(bot.private("/dangky phong tu phap"))
    offer = bot.last()
    assert text_of(offer) == t.PICK_MATCH
    labels = [text for text, _ in buttons_of(offer)]
    assert sorted(labels[:2]) == [
        "Phòng Tư pháp — Quận 3 (2020)", "Phòng Tư pháp — Thị xã Đức Phổ (2023)"
    ]
    choice = next(d for text, d in buttons_of(offer) if text.endswith("Quận 3 (2020)"))
    await bot.process(bot.tap(offer, choice))
    assert [(r.plan_id, r.unit_id) for r in _regs(sqlite_db)] == [(PLAN, "phong-tu-phap")]


async def test_refused_and_wrong_approver(bot, sqlite_db):
    await bot.process(bot.private("/dangky phong y te q3"))
    ask = bot.last(COORD)
    refuse = next(d for text, d in buttons_of(ask) if text == t.REFUSE_BUTTON)
    calls = await bot.process(bot.tap(ask, refuse, who=person(OTHER_COORD)))
    alerts = [c.params["text"] for c in calls if c.method == "answerCallbackQuery"]
    assert alerts == [t.NOT_ALLOWED]
    await bot.process(bot.tap(ask, refuse, who=person(COORD)))
    assert text_of(bot.last(NEW)).startswith("Yêu cầu đăng ký làm cán bộ của Phòng Y tế")
    assert [r.status for r in _regs(sqlite_db)] == [STATUS_REFUSED]


async def test_plan_without_coordinator_asks_the_admins(bot, sqlite_db):
    await bot.process(bot.private("/dangky so y te can tho"))
    assert text_of(bot.last(NEW)) == t.REQUEST_SENT_ADMINS.format(
        unit="Sở Y tế", plan="Thành phố Cần Thơ (2017)")
    assert "quản trị viên sẽ duyệt" in text_of(bot.last(NEW))
    assert text_of(bot.last(ADMIN)).startswith("Yêu cầu đăng ký mới")


async def test_stale_and_group(bot):
    await bot.process(bot.private("/dangky"))
    plans = bot.last()
    await bot.process(bot.private("/huy"))
    assert text_of(bot.last()) == t.CANCELLED
    calls = await bot.process(bot.tap(plans, buttons_of(plans)[0][1]))
    assert [c.params["text"] for c in calls if c.method == "answerCallbackQuery"] == [t.STALE]
    calls = await bot.process(bot.tap(plans, "dk:ok:999999", who=person(COORD)))
    assert [c.params["text"] for c in calls if c.method == "answerCallbackQuery"] == [t.STALE]
    await bot.process(bot.group("/dangky"))
    assert text_of(bot.last()).startswith("Lệnh này chỉ dùng trong tin nhắn riêng")


async def test_me(bot):
    await bot.process(bot.private("/toi"))
    assert text_of(bot.last()) == f"Thông tin của bạn (mã người dùng: {NEW}):\n{t.ME_NONE}"
    await bot.process(bot.private("/dangky phong y te q3"))
    await bot.process(bot.private("/toi"))
    assert text_of(bot.last()).endswith(
        "• Cán bộ — Phòng Y tế, Quận 3 (2020): đang chờ duyệt (gửi ngày 22/11/2026)")
    await bot.process(bot.private("/toi", who=person(COORD)))
    assert text_of(bot.last()).endswith(
        "• Người điều phối — Quận 3 (2020): đã được duyệt ngày 22/11/2026")
    await bot.process(bot.private("/toi", who=person(ADMIN)))
    assert t.ME_ADMIN in text_of(bot.last())


async def test_me_in_a_group_only_links_to_private_and_private_shows_history(bot, sqlite_db,
                                                                             clock):
    from features.permissions import Actor

    db = sqlite_db
    cli = Actor.command_line("test")
    with db.unit_of_work() as s:
        reg = registry.request_officer(s, telegram_id=NEW, plan_id="quan3-2020",
                                       unit_id="phong-yte", now=clock.now(), full_name="Hà")
        registry.decide(s, cli, reg.id, approve=True, now=clock.now())
    clock.advance(days=4)
    with db.unit_of_work() as s:
        registry.revoke(s, cli, NEW, "quan3-2020", now=clock.now())
        registry.grant_coordinator(s, cli, NEW, "cantho-2017", now=clock.now())
    calls = await bot.process(bot.group("/toi", who=person(ADMIN)))
    (sent,) = [c for c in calls if c.method == "sendMessage"]
    assert text_of(sent.result) == t.ME_IN_PRIVATE
    assert "Quản trị" not in text_of(sent.result)
    (button,) = sent.result["reply_markup"]["inline_keyboard"][0]
    assert (button["text"], button["url"]) == (t.ME_BUTTON, "https://t.me/kehoach_bot?start=toi")
    await bot.process(bot.private("/start toi"))
    assert text_of(bot.last()).splitlines()[1:] == [
        "• Người điều phối — Thành phố Cần Thơ (2017): đã được duyệt ngày 26/11/2026",
        "Trước đây:",
        "• Cán bộ — Phòng Y tế, Quận 3 (2020): gửi 22/11/2026 → đã bị thu hồi 26/11/2026",
    ]


async def test_pending_list(bot):
    await bot.process(bot.private("/choduyet", who=person(COORD)))
    assert text_of(bot.last(COORD)) == t.PENDING_NONE.format(plan="Quận 3 (2020)")
    await bot.process(bot.private("/dangky phong y te q3"))
    await bot.process(bot.private("/choduyet", who=person(COORD)))
    assert text_of(bot.last(COORD)).startswith("Yêu cầu đăng ký mới")
    assert [x for x, _ in buttons_of(bot.last(COORD))] == [t.APPROVE_BUTTON, t.REFUSE_BUTTON]


async def test_grant_and_revoke(bot, sqlite_db):
    admin = person(ADMIN, "Quản trị")
    await bot.process(bot.private(f"/capquyen {STRANGER} {PLAN}", who=admin))
    assert text_of(bot.last(ADMIN)) == t.GRANTED.format(plan="Quận 3 (2020)", name=STRANGER,
                                                        user_id=STRANGER)
    assert text_of(bot.last(STRANGER)).startswith("Bạn đã được cấp quyền điều phối")
    with sqlite_db.unit_of_work() as s:
        assert load_actor(s, STRANGER, []).coordinator_of == {PLAN}
    await bot.process(bot.private(f"/thuhoi {STRANGER} {PLAN}", who=admin))
    assert text_of(bot.last(ADMIN)) == t.REVOKED.format(count=1, user_id=STRANGER, plan=PLAN)
    with sqlite_db.unit_of_work() as s:
        assert load_actor(s, STRANGER, []).coordinator_of == frozenset()
        actions = [e.action for e in audit.list_entries(s, actor_id=ADMIN)]
    assert actions == [audit.ROLE_REVOKED, audit.ROLE_GRANTED]
    await bot.process(bot.private("/capquyen", who=admin))
    assert text_of(bot.last(ADMIN)) == t.GRANT_USAGE
    await bot.process(bot.private("/capquyen 1 khong-co", who=admin))
    assert text_of(bot.last(ADMIN)).startswith("Không có kế hoạch mã “khong-co”")


async def test_grant_by_replying_in_a_group(bot, sqlite_db):
    admin = person(ADMIN, "Quản trị")
    said = bot.group("Chào mọi người", who=person(STRANGER, "Hoa"))
    await bot.process(said)
    await bot.process(bot.group(f"/capquyen {PLAN}", who=admin,
                                reply_to_message_id=said.message.message_id))
    assert text_of(bot.last(-100200300)) == t.GRANTED.format(plan="Quận 3 (2020)", name="Hoa",
                                                             user_id=STRANGER)


async def test_pending_officer_and_another_unit_are_told_what_applies(bot, sqlite_db, clock):
    from core.texts import incidents as ti

    await bot.process(bot.private("/dangky phong y te q3"))
    await bot.process(bot.private("/suvu"))
    assert text_of(bot.last(NEW)) == ti.NOT_YET_APPROVED
    ask = bot.last(COORD)
    approve = next(d for text, d in buttons_of(ask) if text == t.APPROVE_BUTTON)
    await bot.process(bot.tap(ask, approve, who=person(COORD)))
    await bot.process(bot.private("/dangky phong tu phap quan 3"))
    offer = bot.last(NEW)
    if buttons_of(offer):  # several units match: the one of Quận 3
        choice = next(d for text, d in buttons_of(offer) if text.endswith("Quận 3 (2020)"))
        await bot.process(bot.tap(offer, choice))
    reply = text_of(bot.last(NEW))
    assert reply.startswith("Đã gửi yêu cầu đăng ký làm cán bộ của Phòng Tư pháp")
    assert reply.endswith(t.REQUEST_REPLACES.format(unit="Phòng Y tế", plan="Quận 3 (2020)"))


async def test_choduyet_without_a_plan_shows_every_plan_with_requests(bot, sqlite_db, clock):
    from features.permissions import Actor

    with sqlite_db.unit_of_work() as s:
        registry.grant_coordinator(s, Actor.command_line(), COORD, "cantho-2017",
                                   now=clock.now())
    await bot.process(bot.private("/choduyet", who=person(COORD)))
    assert text_of(bot.last(COORD)) == t.PENDING_NONE.format(plan=t.PENDING_ALL_PLANS)
    await bot.process(bot.private("/dangky so y te can tho"))
    calls = await bot.process(bot.private("/choduyet", who=person(COORD)))
    sent = [text_of(c.result) for c in calls if c.method == "sendMessage"]
    assert sent[0] == t.PENDING_HEADER.format(plan="Thành phố Cần Thơ (2017)")
    assert sent[1].startswith("Yêu cầu đăng ký mới")
    assert len(sent) == 2  # Quận 3 has none: not listed


async def test_thuhoi_one_role(bot, sqlite_db, clock):
    from features.permissions import Actor

    admin = person(ADMIN, "Quản trị")
    with sqlite_db.unit_of_work() as s:
        reg = registry.request_officer(s, telegram_id=STRANGER, plan_id=PLAN,
                                       unit_id="phong-yte", now=clock.now(), full_name="Hà")
        registry.decide(s, Actor.command_line(), reg.id, approve=True, now=clock.now())
        registry.grant_coordinator(s, Actor.command_line(), STRANGER, PLAN, now=clock.now())
    await bot.process(bot.private(f"/thuhoi {STRANGER} {PLAN} cán bộ", who=admin))
    assert text_of(bot.last(ADMIN)) == t.REVOKED.format(count=1, user_id=STRANGER, plan=PLAN)
    assert text_of(bot.last(STRANGER)).startswith("Quyền cán bộ của bạn trong kế hoạch")
    with sqlite_db.unit_of_work() as s:
        actor = load_actor(s, STRANGER, [])
    assert (actor.officer_of, actor.coordinator_of) == (None, {PLAN})
