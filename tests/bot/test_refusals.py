"""Permission refusals: one exception type, one table of texts, one reply (issue 12, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.refusals import refusal_text
from core.texts import (
    common as tc,
    office as to,
    registration as tg,
    reminders as tm,
    reports as tr,
)
from features.permissions import Action, PermissionDenied

BOT = Path(__file__).resolve().parents[2] / "bot"


@pytest.mark.parametrize(("err", "text"), [
    (PermissionDenied(Action.GRANT_ROLE), tg.NOT_ALLOWED),
    (PermissionDenied(Action.DECIDE_REGISTRATION, "quan3-2020"), tg.NOT_ALLOWED),
    (PermissionDenied(Action.MANAGE_REMINDERS, "quan3-2020"), tm.NOT_ALLOWED),
    (PermissionDenied(Action.MANAGE_REMINDERS, "quan3-2020", subject="chat_plan"),
     tc.PLAN_CHANGE_DENIED),
    (PermissionDenied(Action.VIEW_STATUS, subject="notices"), to.NOTICE_NOT_COORDINATOR),
    (PermissionDenied(Action.EXPORT, "quan3-2020"), tr.NOT_ALLOWED),
    (PermissionDenied(Action.SUBMIT_REPORT, "quan3-2020"), tc.PERMISSION_DENIED),
])
def test_each_refusal_is_worded_from_the_one_table(err, text):
    assert refusal_text(err) == text


def test_no_handler_words_a_refusal_itself():
    """Handlers let PermissionDenied through to bot.errors → bot.refusals."""
    catching = [str(p.relative_to(BOT)) for p in BOT.rglob("*.py")
                if "except PermissionDenied" in p.read_text(encoding="utf-8")
                and p.name not in ("errors.py", "refusals.py") and "cli" not in p.parts]
    assert catching == []


async def test_a_refused_command_gets_the_tables_reply_once(sqlite_db, kb, clock):
    """/thongbao by someone who coordinates nothing: refused in the feature, answered once."""
    from tests.support.factories import make_settings, offline_bot, text_of

    async with offline_bot(make_settings(admin_ids=[]), kb=kb, db=sqlite_db,
                           clock=clock) as bot:
        calls = await bot.process(bot.private("/thongbao ngay"))
        sent = [c for c in calls if c.method == "sendMessage"]
        assert len(sent) == 1
        assert text_of(bot.last()) == to.NOTICE_NOT_COORDINATOR
