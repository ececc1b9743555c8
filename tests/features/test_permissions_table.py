"""Every privileged command, for every role: refused without the right, accepted with it.

Roles: nobody (unregistered), an officer of another unit of the plan, the coordinator of
another plan, the plan's coordinator, an admin. The plan is Quận 3; the report BC-2026-0001
is Phòng Y tế's; a registration is pending ({pending} in the commands).
"""

from __future__ import annotations

import pytest

from core.texts import incidents as it, office as ot, registration as rt, reports as t
from features import registry, reports
from features.permissions import Actor
from tests.support.factories import make_settings, text_of
from tests.support.reports_kit import (
    ADMIN,
    COORD,
    OFFICER,
    OFFICER_GDDT,
    OTHER_COORD,
    PLAN,
    STRANGER,
    know_private_chats,
    person,
    reports_bot,
    seed_roles,
)

ROLES = {
    "unregistered": STRANGER,
    "officer": OFFICER_GDDT,
    "other_coordinator": OTHER_COORD,
    "coordinator": COORD,
    "admin": ADMIN,
}
COORDINATION = {"coordinator", "admin"}
# (what the user does, who may do it, how the bot shows it accepted)
COMMANDS = [
    (f"/tinhhinh {PLAN}", COORDINATION, "Tình hình nộp báo cáo — Quận 3 (2020)"),
    (f"/xuat {PLAN}", COORDINATION, "Xuất báo cáo của kế hoạch Quận 3 (2020)"),
    (f"tap:xu:{PLAN}:*", COORDINATION, "sendDocument"),
    (f"/tinhhinh xuhuong {PLAN}", COORDINATION, "Xu hướng nộp báo cáo — Quận 3 (2020)"),
    (f"/tonghop {PLAN}", COORDINATION, "Báo cáo tổng hợp — Quận 3 (2020)"),
    (f"tap:th:{PLAN}:bao-cao-nam:20261210", COORDINATION, "sendDocument"),
    (f"/choduyet {PLAN}", COORDINATION, "Yêu cầu đăng ký chờ duyệt — Quận 3 (2020)"),
    ("tap:dk:ok:{pending}", COORDINATION, rt.TOAST_DONE),
    ("/xembaocao BC-2026-0001", COORDINATION, "Báo cáo BC-2026-0001 — Phòng Y tế"),
    (f"/capquyen 9999 {PLAN}", {"admin"}, "Đã cấp quyền điều phối"),
    (f"/thuhoi {OFFICER} {PLAN}", {"admin"}, "Đã thu hồi 1 quyền"),
    ("/baocao", {"officer"}, "Báo cáo của Phòng Giáo dục và Đào tạo"),
    ("/baocaocuatoi", {"officer"}, "Phòng Giáo dục và Đào tạo, Quận 3 (2020) chưa nộp"),
    # counts of the plans one coordinates: a coordinator of another plan sees that plan's
    ("/suvu_tk", {"coordinator", "other_coordinator", "admin"}, "Số sự vụ của các kế hoạch"),
]
REFUSALS = {rt.NOT_ALLOWED, t.NOT_ALLOWED, t.NOT_OFFICER, ot.NOT_ALLOWED, it.NOT_READER}


def _seed(db, now) -> int:
    seed_roles(db, now=now)
    with db.unit_of_work() as s:
        period = reports.Period(PLAN, "bao-cao-nam", now.date().replace(month=12, day=10),
                                "Báo cáo năm kết quả thực hiện kế hoạch")
        receipt = reports.submit(
            s, Actor(OFFICER, officer_of=(PLAN, "phong-yte")), plan_id=PLAN,
            unit_id="phong-yte", period=period, text="Nội dung", file=None,
            submitter_name="Lan", now=now,
        )
        assert receipt.number == "BC-2026-0001"
        pending = registry.request_officer(s, telegram_id=5001, plan_id=PLAN,
                                           unit_id="phong-tu-phap", now=now)
        return pending.id


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(("command", "allowed_roles", "accepted"), COMMANDS,
                         ids=[c[0] for c in COMMANDS])
async def test_privileged_command(sqlite_db, kb, clock, tmp_path, command, allowed_roles,
                                  accepted, role):
    command = command.format(pending=_seed(sqlite_db, clock.now()))
    settings = make_settings(admin_ids=[ADMIN], files_dir=tmp_path / "files")
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as bot:
        know_private_chats(bot.api, *ROLES.values(), OFFICER, 5001)
        who = person(ROLES[role], "Người thử")
        if command.startswith("tap:"):
            await bot.process(bot.private("/toi", who=who))
            calls = await bot.process(bot.tap(bot.last(who["id"]), command[4:], who=who))
        else:
            calls = await bot.process(bot.private(command, who=who))
    said = [c.params.get("text", "") for c in calls
            if c.method in ("sendMessage", "answerCallbackQuery")]
    said = [text_of({"text": x}) for x in said]
    methods = {c.method for c in calls}
    was_accepted = accepted in methods or any(x.startswith(accepted) for x in said)
    was_refused = any(x in REFUSALS for x in said)
    if role in allowed_roles:
        assert was_accepted, said
        assert not was_refused, said
    else:
        assert was_refused, said
        assert not was_accepted, said
