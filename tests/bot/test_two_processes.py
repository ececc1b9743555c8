"""Two webhook workers on one database (round robin): steps alternate, state is shared."""

from __future__ import annotations

import contextlib

import pytest

from bot.context import services_of
from bot.webhook import share_state
from features import reports
from storage.db import Database
from tests.support.factories import buttons_of, make_settings, text_of
from tests.support.reports_kit import PLAN, FilesBotApi, reports_bot, seed_roles

YEAR = "Báo cáo năm kết quả thực hiện kế hoạch"


@pytest.fixture
def settings(tmp_path):
    return make_settings(admin_ids=[3001], files_dir=tmp_path / "files")


def _data(message, label_start: str) -> str:
    return next(d for text, d in buttons_of(message) if text.startswith(label_start))


@contextlib.asynccontextmanager
async def two_workers(settings, kb, db, clock):
    """Two applications, each with its own engine (as two processes would have)."""
    api = FilesBotApi()
    other = Database(db.url)
    try:
        async with reports_bot(settings, kb=kb, db=db, clock=clock, api=api) as a, \
                reports_bot(settings, kb=kb, db=other, clock=clock, api=api) as b:
            share_state(a.app)
            share_state(b.app)
            yield a, b
    finally:
        other.dispose()


async def test_a_report_whose_steps_alternate_between_workers(db, kb, clock, settings):
    seed_roles(db, now=clock.now())
    async with two_workers(settings, kb, db, clock) as (a, b):
        await a.process(a.private("Ai chủ trì?"))  # a question first: worker a knows no form
        await b.process(b.private("/baocao"))
        menu = b.last()
        await b.process(b.tap(menu, _data(menu, YEAR)))
        await a.process(a.private("Nội dung từ hai tiến trình"))  # a never saw the form start
        preview = a.last()
        assert "Nội dung từ hai tiến trình" in text_of(preview)
        await b.process(b.tap(preview, _data(preview, "✅")))
        assert text_of(b.last()).startswith("Đã nhận báo cáo")
    with db.unit_of_work() as s:
        (stored,) = reports.list_reports(s, plan_id=PLAN)
    assert stored.text == "Nội dung từ hai tiến trình"


async def test_a_plan_chosen_on_one_worker_is_seen_by_the_other(db, kb, clock, settings):
    async with two_workers(settings, kb, db, clock) as (a, b):
        await b.process(b.private("/han"))  # b reads "no plan": every plan's deadlines
        assert "tất cả kế hoạch" in text_of(b.last())
        await b.process(b.private("/kehoach"))
        await a.process(a.tap(b.last(), "plan:cantho-2017"))
        await b.process(b.private("/han"))
        assert "tất cả kế hoạch" not in text_of(b.last())
        assert "Cần Thơ" in text_of(b.last())


def test_one_glance_reads_handled_plan_and_open_conversation(db, clock):
    """The one query a shared worker makes per message (``storage.handled.glance``)."""
    from storage import chats, conversations, handled

    assert handled.glance(db.engine, 7, 42, 1001) == (None, None, False)
    with db.unit_of_work() as s:
        chats.set_chat_plan(s, 42, PLAN, chat_type="private", now=clock.now())
        conversations.save(s, 42, 1001, "baocao", "content", {}, now=clock.now())
        token = handled.CURRENT_UPDATE.set(7)
        try:
            handled.record_current(s, now=clock.now())
        finally:
            handled.CURRENT_UPDATE.reset(token)
    assert handled.glance(db.engine, 7, 42, 1001) == ("effect", PLAN, True)
    assert handled.glance(db.engine, 8, 42, 1002) == (None, PLAN, False)
    with db.unit_of_work() as s:
        handled.mark_done(s, [7], now=clock.now())
    assert handled.glance(db.engine, 7, 43, 1001) == ("done", None, False)


async def test_a_shared_worker_answers_a_question_with_one_query(db, kb, clock, settings):
    async with two_workers(settings, kb, db, clock) as (a, b):
        await b.process(b.private("/kehoach"))
        await a.process(a.tap(b.last(), "plan:cantho-2017"))
        runs = []
        database = services_of(b.app).db
        real_run = database.run

        async def counted(fn, *args, **kwargs):
            runs.append(getattr(fn, "__name__", "?"))
            return await real_run(fn, *args, **kwargs)

        database.run = counted
        try:
            await b.process(b.private("Hạn báo cáo năm là ngày nào?"))
        finally:
            del database.run
        assert "Cần Thơ" in text_of(b.last())  # the plan chosen on the other worker
        assert not {"state_of", "load_for_message", "get_chat_plan"} & set(runs)
